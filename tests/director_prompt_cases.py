"""The prompts the director must read (tests/test_director_reads_prompts_in_five_languages.py),
in English, Spanish, Chinese, Japanese, Korean and mixes of them: explicit shot markers, cut
phrases, framing words opening a shot, continuous takes, speakers, voice-over and lettering.

Each prompt comes with exactly what it must make: `frames` lists the shots as
"size/angle/movement" (an omitted or empty part is the default, eye_level or static), `lines`
every dialogue line in order with the shot it falls in.
"""

from tests.director_prompt_helpers import Case, L

CASES = [
    # --- explicit markers in each language ---
    Case(
        "en-markers-relative-clause-and-handle",
        "Shot 1: Establishing shot of a desert highway at noon. Shot 2: Medium shot of @Mara, "
        'who says, "Storm\'s coming." Shot 3: Close-up of her hands on the wheel.',
        ["extreme_wide", "medium", "close_up"],
        [L(2, "@Mara", "Storm's coming.", "en")],
        starts=["Establishing shot", "Medium shot of @Mara", "Close-up of her hands"],
    ),
    Case(
        "es-markers-que-susurra",
        "Plano 1: Plano general de la plaza, la cámara hace un paneo a la derecha. "
        "Plano 2: Primer plano de Lucía, que susurra: «No mires atrás.»",
        ["wide//pan_right", "close_up"],
        [L(2, "Lucía", "No mires atrás.", "es", "whispering")],
        starts=["Plano general de la plaza", "Primer plano de Lucía"],
    ),
    Case(
        "es-toma-markers-angles",
        "Toma 1: contrapicado de la torre. Toma 2: plano cenital del patio; un perro cruza.",
        ["medium/low", "medium/overhead"],
        starts=["Contrapicado de la torre", "Plano cenital del patio"],
    ),
    Case(
        "zh-numbered-markers",
        "镜头1：航拍，城市夜景。镜头2：中景，小林推门进来，问道：“有人吗？”镜头3：特写，门把手。",
        ["extreme_wide", "medium", "close_up"],
        [L(2, "小林", "有人吗？", "zh")],
        starts=["航拍", "中景", "特写"],
    ),
    Case(
        "zh-ordinal-markers-corner-quotes",
        "第一个镜头：俯拍街道。第二个镜头：近景，老李低声说：「快走。」",
        ["medium/high", "close_up"],
        [L(2, "老李", "快走。", "zh", "低声")],
        starts=["俯拍街道", "近景"],
    ),
    Case(
        "ja-markers-quotative-to",
        "ショット1：ロングショット、雪の駅。ショット2：クローズアップ、ハナが小声で「遅いよ」と言う。"
        "ショット3：ローアングル、列車が入ってくる。",
        ["wide", "close_up", "medium/low"],
        [L(2, "ハナ", "遅いよ", "ja", "小声で")],
        starts=["ロングショット", "クローズアップ、ハナが小声で言う。", "ローアングル"],
    ),
    Case(
        "ko-markers-rago",
        '컷 1: 와이드 샷, 비 오는 거리. 컷 2: 클로즈업, 지수가 작게 "우산 있어?" 라고 묻는다. '
        "컷 3: 하이 앵글, 두 사람이 걸어간다.",
        ["wide", "close_up", "medium/high"],
        [L(2, "지수", "우산 있어?", "ko", "작게")],
        starts=["와이드 샷", "클로즈업, 지수가 작게 묻는다.", "하이 앵글"],
    ),
    # --- cut phrases ---
    Case(
        "en-camera-cuts-to-and-a-screen",
        "A girl waits at a bus stop in the rain. Then the camera cuts to a close-up of her "
        'phone: the screen reads "NO SIGNAL".',
        ["medium", "close_up"],
        lettering={2: "NO SIGNAL"},
        starts=["A girl waits", "A close-up of her phone"],
    ),
    Case(
        "en-cut-to-relative-speaker",
        'A man walks into a bar. Cut to a close-up of the bartender, who says, "We\'re closed."',
        ["medium", "close_up"],
        [L(2, "Bartender", "We're closed.", "en")],
    ),
    Case(
        "es-corte-a",
        "Un hombre entra en un bar. Corte a un primer plano del camarero, que dice: "
        '"Está cerrado."',
        ["medium", "close_up"],
        [L(2, "Camarero", "Está cerrado.", "es")],
    ),
    Case(
        "zh-qie-dao",
        "一个男人走进酒吧。切到特写，酒保说：“打烊了。”",
        ["medium", "close_up"],
        [L(2, "酒保", "打烊了。", "zh")],
        starts=["一个男人走进酒吧。", "特写，酒保说。"],
    ),
    Case(
        "ja-katto-shite-pronoun-after-quote",
        "男がバーに入る。カットして、バーテンダーのクローズアップ。「閉店です」と彼は言う。",
        ["medium", "close_up"],
        [L(2, "バーテンダー", "閉店です", "ja")],
        starts=["男がバーに入る。", "バーテンダーのクローズアップ。彼は言う。"],
    ),
    # --- framing words opening a new shot ---
    Case(
        "en-back-shot-then-close-up",
        "Back shot of a girl walking into the fog. Close-up of her hand holding a red ribbon.",
        ["medium", "close_up"],
        starts=["Back shot of a girl", "Close-up of her hand"],
    ),
    Case(
        "en-angles-and-moves-per-shot",
        "Low angle shot of a skyscraper; the camera tilts up to the roof. High angle shot of the "
        "street below, the camera pans left. Bird's-eye view of the parking lot, the camera "
        "cranes down. Over-the-shoulder shot of Ana looking at the screen. Dutch angle of the "
        "hallway as the lights flicker, handheld.",
        [
            "medium/low/tilt_up",
            "medium/high/pan_left",
            "medium/overhead/crane_down",
            "medium/over_the_shoulder",
            "medium/dutch/handheld",
        ],
    ),
    Case(
        "es-primer-plano-opens-a-shot",
        "Una niña espera el autobús bajo la lluvia. Primer plano de su reloj. Plano detalle de "
        "la aguja que avanza, la cámara se acerca.",
        ["medium", "close_up", "extreme_close_up//push_in"],
    ),
    Case(
        "zh-texie-opens-a-shot",
        "雨中的车站，人们在等车。特写，手表的指针。",
        ["medium", "close_up"],
        starts=["雨中的车站", "特写"],
    ),
    Case(
        "ja-closeup-opens-a-shot",
        "駅のホーム、人々が電車を待つ。クローズアップ、時計の針。",
        ["medium", "close_up"],
        starts=["駅のホーム", "クローズアップ"],
    ),
    Case(
        "ko-closeup-opens-a-shot",
        "버스 정류장, 사람들이 기다린다. 클로즈업, 시계 바늘. 와이드 샷, 버스가 도착한다.",
        ["medium", "close_up", "wide"],
        starts=["버스 정류장", "클로즈업", "와이드 샷"],
    ),
    Case(
        "en-pull-back-to-a-wide-shot",
        "Macro shot of a dewdrop on a leaf, the camera orbits it. Pull back to a wide shot of "
        "the forest at dawn.",
        ["extreme_close_up//orbit", "wide//pull_out"],
    ),
    # --- continuous takes: never cut ---
    Case(
        "en-one-continuous-shot-no-cuts",
        "One continuous shot, no cuts: the camera follows @Mara up the stairs. Close-up of her "
        'face as she opens the door, and she says, "I\'m home."',
        ["close_up//tracking"],
        [L(1, "@Mara", "I'm home.", "en")],
    ),
    Case(
        "es-plano-secuencia",
        "Plano secuencia sin cortes: la cámara sigue a Pablo por la cocina. Primer plano de la "
        'olla. Pablo dice: "Ya está la cena."',
        ["close_up//tracking"],
        [L(1, "Pablo", "Ya está la cena.", "es")],
    ),
    Case(
        "zh-yi-jing-dao-di-pronoun",
        "一镜到底，镜头跟随小雨走过长长的走廊。特写，她回头说：“跟上。”",
        ["close_up//tracking"],
        [L(1, "小雨", "跟上。", "zh")],
    ),
    Case(
        "ja-wan-katto",
        "ワンカットで、カメラがケンを追いかける。クローズアップ、ケンが振り向いて「こっちだ」と叫ぶ。",
        ["close_up//tracking"],
        [L(1, "ケン", "こっちだ", "ja", "shouting")],
    ),
    Case(
        "ko-one-take",
        '원테이크로 카메라가 준호를 따라간다. 클로즈업, 준호가 "여기야!"라고 외친다.',
        ["close_up//tracking"],
        [L(1, "준호", "여기야!", "ko", "shouting")],
    ),
    Case(
        "en-quoted-direction-is-dialogue-not-direction",
        '@Mara says, "No cuts, please. Cut to the chase." Close-up of @Tomas, who laughs.',
        ["medium", "close_up"],
        [L(1, "@Mara", "No cuts, please. Cut to the chase.", "en")],
    ),
    # --- speakers: handles, noun phrases, pronouns; quoting styles ---
    Case(
        "en-handle-with-a-space",
        '@Old Sailor looks at the sea and says, "Storm\'s coming." Close-up of @Tomas, who '
        "replies, ‘Let it come.’",
        ["medium", "close_up"],
        [L(1, "@Old Sailor", "Storm's coming.", "en"), L(2, "@Tomas", "Let it come.", "en")],
        handles=["Old Sailor", "Old", "Tomas"],
    ),
    Case(
        "en-noun-phrase-and-pronoun-in-the-next-shot",
        "The old captain stares at the horizon and mutters, 'We should turn back.' Close-up of "
        'the first mate. He replies in a low, flat voice, "Too late."',
        ["medium", "close_up"],
        [
            L(1, "Old captain", "We should turn back.", "en", "muttering"),
            L(2, "First mate", "Too late.", "en", "low, flat voice"),
        ],
    ),
    Case(
        "en-speaker-after-the-quotation",
        '"We\'re closed," the bartender says without looking up. Mara opens the door. '
        "‘Who's there?’ she whispers.",
        ["medium"],
        [
            L(1, "Bartender", "We're closed", "en"),
            L(1, "Mara", "Who's there?", "en", "whispering"),
        ],
        starts=["The bartender says without looking up. Mara opens the door. She whispers."],
    ),
    Case(
        "en-clumsy-accent-in-spanish",
        "The detective lights a cigarette. She says with a clumsy accent in Spanish, "
        '"¿Dónde está el dinero?"',
        ["medium"],
        [L(1, "Detective", "¿Dónde está el dinero?", "es", "clumsy accent in Spanish")],
    ),
    Case(
        "es-inverted-speaker-guillemets",
        "«Hola», dice María con una sonrisa. El viejo marinero mira el mar y responde en voz "
        'baja: "Buenos días."',
        ["medium"],
        [
            L(1, "María", "Hola", "es", "con una sonrisa"),
            L(1, "Viejo marinero", "Buenos días.", "es", "en voz baja"),
        ],
    ),
    Case(
        "zh-pronoun-refers-back",
        "老周看着大海。他轻声说：“风来了。”",
        ["medium"],
        [L(1, "老周", "风来了。", "zh", "轻声")],
    ),
    Case(
        "ja-double-corner-quotes-and-pronoun",
        "ユキは窓の外を見る。彼女は小声で『来たよ』と言う。",
        ["medium"],
        [L(1, "ユキ", "来たよ", "ja", "小声で")],
        starts=["ユキは窓の外を見る。彼女は小声で言う。"],
    ),
    Case(
        "ko-pronoun-and-particle",
        '민지가 창밖을 본다. 그녀는 작게 "왔어."라고 말한다.',
        ["medium"],
        [L(1, "민지", "왔어.", "ko", "작게")],
        starts=["민지가 창밖을 본다. 그녀는 작게 말한다."],
    ),
    Case(
        "mixed-languages-and-speakers-in-one-shot",
        'Tokyo, a crowded crossing. @Kenji shouts, "こっちだ！" @Lucía answers in Spanish, '
        '"¡Ya voy!" Her brother calls out in Korean, "기다려!" The old man mutters, “走吧。”',
        ["medium"],
        [
            L(1, "@Kenji", "こっちだ！", "ja", "shouting"),
            L(1, "@Lucía", "¡Ya voy!", "es"),
            L(1, "Brother", "기다려!", "ko"),
            L(1, "Old man", "走吧。", "zh", "muttering"),
        ],
    ),
    # --- voice-over in each language ---
    Case(
        "en-voice-over",
        'Voice-over (warm female voice): "It was the summer everything changed." Wide shot of '
        "a lake at sunset.",
        ["medium", "wide"],
        [
            L(
                1,
                "Narrator",
                "It was the summer everything changed.",
                "en",
                "warm female voice",
                True,
            )
        ],
    ),
    Case(
        "es-voz-en-off",
        'Voz en off (mujer, tono cálido): "Aquel verano lo cambió todo." Plano general de un lago.',
        ["medium", "wide"],
        [L(1, "Narrator", "Aquel verano lo cambió todo.", "es", "mujer, tono cálido", True)],
    ),
    Case(
        "zh-pangbai",
        "旁白：“那年夏天，一切都变了。”远景，湖面上的落日。",
        ["medium", "wide"],
        [L(1, "Narrator", "那年夏天，一切都变了。", "zh", "", True)],
        starts=["旁白。", "远景"],
    ),
    Case(
        "ja-narration",
        "ナレーション（落ち着いた声）：「あの夏、すべてが変わった。」ロングショット、夕暮れの湖。",
        ["medium", "wide"],
        [L(1, "Narrator", "あの夏、すべてが変わった。", "ja", "落ち着いた声", True)],
    ),
    Case(
        "ko-narration",
        '내레이션: "그 여름, 모든 것이 변했다." 와이드 샷, 노을 지는 호수.',
        ["medium", "wide"],
        [L(1, "Narrator", "그 여름, 모든 것이 변했다.", "ko", "", True)],
    ),
    # --- lettering (signs, products) is text, not dialogue ---
    Case(
        "en-sign-and-logo-are-lettering",
        'A neon sign reads "OPEN 24 HOURS" above the diner door. A poster says "WANTED". '
        'Close-up of a coffee cup printed with the logo "BREW & CO". The waitress says, "Coffee?"',
        ["medium", "close_up"],
        [L(2, "Waitress", "Coffee?", "en")],
        lettering={1: "OPEN 24 HOURS / WANTED", 2: "BREW & CO"},
    ),
    Case(
        "es-letrero-y-etiqueta",
        'Un letrero dice "FARMACIA" sobre la puerta. Primer plano de una botella con la etiqueta '
        '"Agua Viva". La farmacéutica dice: "¿Algo más?"',
        ["medium", "close_up"],
        [L(2, "Farmacéutica", "¿Algo más?", "es")],
        lettering={1: "FARMACIA", 2: "Agua Viva"},
    ),
    Case(
        "zh-sign-lettering",
        "招牌上写着“老字号”。老板说：“欢迎光临！”",
        ["medium"],
        [L(1, "老板", "欢迎光临！", "zh")],
        lettering={1: "老字号"},
    ),
    Case(
        "ja-written-lettering",
        "クローズアップ、マグカップに「GOOD MORNING」と書かれている。店員が「どうぞ」と言う。",
        ["close_up"],
        [L(1, "店員", "どうぞ", "ja")],
        lettering={1: "GOOD MORNING"},
    ),
    Case(
        "ko-written-lettering",
        '간판에 "카페"라고 적혀 있다. 점원이 "어서 오세요."라고 말한다.',
        ["medium"],
        [L(1, "점원", "어서 오세요.", "ko")],
        lettering={1: "카페"},
    ),
]
