"""The words the director reads, in the five languages: shot sizes, camera angles and moves,
the markers that cut, the phrases that forbid a cut, speech verbs, voice-over and lettering
cues, and time marks. Plain data and compiled patterns; no Django.

Each table maps a storyboard choice value (storyboard_app.choices) to the phrases that name it.
Order matters where one phrase contains another: the longer, more specific phrase comes first
("extreme close-up" before "close-up", "medium close-up" before "medium").
"""

import re

# Latin phrases match as whole words (with "-" or a space between their parts); CJK phrases
# match anywhere (no spaces between words there).
# fmt: off
SHOT_SIZES: dict[str, tuple[str, ...]] = {
    "extreme_close_up": (
        "extreme close-up", "extreme close up", "extreme closeup", "macro shot", "macro",
        "primerísimo primer plano", "plano detalle", "大特写", "微距", "超クローズアップ",
        "クローズアップ接写", "マクロ", "익스트림 클로즈업", "초접사", "매크로",
    ),
    "medium_close_up": (
        "medium close-up", "medium close up", "mcu", "plano medio corto", "中近景",
        "ミディアムクローズアップ", "バストショット", "미디엄 클로즈업", "바스트 샷",
    ),
    "close_up": (
        "close-up", "close up", "closeup", "tight shot", "primer plano", "特写", "近景",
        "クローズアップ", "클로즈업",
    ),
    "medium_long": (
        "medium long shot", "medium wide shot", "cowboy shot", "plano americano", "中远景",
        "ミディアムロング", "니 샷", "미디엄 롱",
    ),
    "medium": (
        "medium shot", "mid shot", "mid-shot", "waist shot", "plano medio", "中景",
        "ミディアムショット", "ミディアム", "미디엄 샷", "미디엄",
    ),
    "full": (
        "full shot", "full-body shot", "full body shot", "plano entero", "全身", "全景",
        "フルショット", "全身ショット", "풀 샷", "풀샷", "전신",
    ),
    "extreme_wide": (
        "extreme wide shot", "extreme long shot", "establishing shot", "aerial shot",
        "gran plano general", "plano de establecimiento", "大远景", "航拍", "超ロング",
        "エスタブリッシングショット", "空撮", "익스트림 롱", "항공 샷", "설정 샷",
    ),
    "wide": (
        "wide shot", "wide-shot", "long shot", "plano general", "远景", "ロングショット",
        "引きの画", "와이드 샷", "롱 샷", "와이드샷",
    ),
}

CAMERA_ANGLES: dict[str, tuple[str, ...]] = {
    "over_the_shoulder": (
        "over-the-shoulder", "over the shoulder", "ots", "sobre el hombro", "过肩", "肩越し",
        "オーバーショルダー", "어깨 너머", "오버 더 숄더",
    ),
    "pov": (
        "point-of-view", "point of view", "pov", "first-person", "first person", "punto de vista",
        "plano subjetivo", "主观镜头", "第一人称", "主観", "시점 샷", "1인칭",
    ),
    "overhead": (
        "overhead", "bird's-eye", "bird's eye", "top-down", "top down", "cenital",
        "vista de pájaro", "俯瞰镜头", "鸟瞰", "顶拍", "真上から", "俯瞰", "버즈아이", "부감",
        "탑뷰",
    ),
    "low": (
        "low angle", "low-angle", "from below", "worm's-eye", "contrapicado", "仰拍", "低角度",
        "ローアングル", "あおり", "로우 앵글", "로우앵글", "앙각",
    ),
    "high": (
        "high angle", "high-angle", "from above", "picado", "俯拍", "高角度", "ハイアングル",
        "하이 앵글", "하이앵글",
    ),
    "dutch": (
        "dutch angle", "dutch tilt", "canted", "plano holandés", "ángulo holandés", "荷兰角",
        "倾斜镜头", "ダッチアングル", "더치 앵글",
    ),
}

CAMERA_MOVEMENTS: dict[str, tuple[str, ...]] = {
    "zoom_in": (
        "zooms in", "zoom in", "zooming in", "acercamiento con zoom", "zoom in", "变焦推进",
        "ズームイン", "줌 인", "줌인",
    ),
    "zoom_out": (
        "zooms out", "zoom out", "zooming out", "变焦拉远", "ズームアウト", "줌 아웃", "줌아웃",
    ),
    "push_in": (
        "pushes in", "push in", "pushing in", "dolly in", "dollies in", "moves in", "moves closer",
        "creeps in", "travelling de acercamiento", "se acerca", "推近", "推镜头", "推镜",
        "镜头推进", "ドリーイン", "寄っていく", "寄る", "푸시 인", "다가간다", "다가가",
    ),
    "pull_out": (
        "pulls back", "pull back", "pulling back", "pulls out", "pull out", "pulling out",
        "dolly out", "dollies out", "dolly back", "travelling de alejamiento", "se aleja", "拉远",
        "拉镜头", "镜头拉开", "ドリーアウト", "引いていく", "풀 아웃", "멀어진다", "물러나",
    ),
    "orbit": (
        "orbits", "orbit", "orbiting", "circles around", "arcs around", "360", "gira alrededor",
        "órbita", "环绕", "绕着", "回り込む", "周回", "궤도", "주위를 돈다", "돌며",
    ),
    "crane_up": (
        "cranes up", "crane up", "camera rises", "rises above", "rises up", "camera lifts",
        "ascends", "grúa arriba", "升起", "升镜", "上升", "クレーンアップ", "上昇", "크레인 업",
        "솟아오른",
    ),
    "crane_down": (
        "cranes down", "crane down", "camera descends", "camera lowers", "grúa abajo", "下降",
        "降镜", "クレーンダウン", "下降する", "크레인 다운", "내려온",
    ),
    "tilt_up": (
        "tilts up", "tilt up", "panorámica vertical hacia arriba", "上摇", "ティルトアップ",
        "틸트 업",
    ),
    "tilt_down": (
        "tilts down", "tilt down", "panorámica vertical hacia abajo", "下摇", "ティルトダウン",
        "틸트 다운",
    ),
    "pan_left": (
        "pans left", "pan left", "panning left", "paneo a la izquierda", "左摇", "左にパン",
        "왼쪽으로 팬",
    ),
    "pan_right": (
        "pans right", "pan right", "panning right", "paneo a la derecha", "右摇", "右にパン",
        "오른쪽으로 팬",
    ),
    "tracking": (
        "tracking shot", "tracking", "camera tracks", "camera follows", "travelling",
        "seguimiento", "la cámara sigue", "跟拍", "跟随", "跟着", "追いかけ", "追う", "フォロー",
        "トラッキング", "따라간다", "트래킹", "따라가",
    ),
    "handheld": (
        "handheld", "hand-held", "shaky cam", "cámara en mano", "手持", "手持ち", "핸드헬드",
    ),
    "static": (
        "static shot", "locked-off", "locked off", "fixed camera", "cámara fija", "plano fijo",
        "固定镜头", "固定", "フィックス", "고정",
    ),
}

# A prompt asking for one continuous take: no cut anywhere.
CONTINUOUS = (
    "one shot", "single shot", "one take", "single take", "one continuous", "single continuous",
    "continuous shot", "continuous take", "no cuts", "no cut", "without cuts", "without a cut",
    "without cutting", "uncut", "a oner", "long take", "plano secuencia", "sin cortes",
    "sin corte", "una sola toma", "toma continua", "un solo plano", "一镜到底", "一个镜头",
    "长镜头", "不切镜头", "无剪辑", "ワンカット", "長回し", "ワンテイク", "カットなし", "원테이크",
    "원 테이크", "롱테이크", "컷 없이", "끊김 없이",
)
# fmt: on

NUMBER = r"(?:\d+|[一二三四五六七八九十]+)"
# A short aside after the number, often the shot's length: "Shot 1 (3s):", "镜头1（3秒）：".
ASIDE = r"(?:\s*[(（][^()（）\n]{1,16}[)）])?"
# An explicit shot marker opening a shot: "Shot 2:", "SHOT 2 -", "Plano 2:", "镜头2", "第二个镜头",
# "ショット2", "カット2", "샷 2", "컷 2". It opens the text or follows a sentence's end, spaces
# between: director.cutting.shot_markers finds those places in one pass and matches this body
# there (a lookbehind and `\s*` before it made a search retry every newline of a run of them).
SHOT_MARKER_AFTER = '\n.!?。！？」』”’»"'
SHOT_MARKER_BODY = re.compile(
    rf"(?:"
    rf"(?:shot|plano|toma|escena|scene|take)\s*(?:no\.?\s*|#\s*)?{NUMBER}{ASIDE}\s*[:.)\-–—]"
    rf"|镜头\s*{NUMBER}{ASIDE}\s*[:：.、]?|第\s*{NUMBER}\s*个?镜头{ASIDE}\s*[:：]?"
    rf"|(?:ショット|カット|シーン)\s*{NUMBER}{ASIDE}\s*[:：.、]?"
    rf"|(?:샷|컷|장면)\s*{NUMBER}{ASIDE}\s*[:：.]?"
    rf")\s*",
    re.IGNORECASE,
)
# A transition said in words: it cuts, and the words themselves are not part of either shot.
CUT_PHRASE = re.compile(
    r"(?:\b(?:and\s+)?then\s+(?:the\s+camera\s+)?cuts?\s+to\b|\bcut\s+to\s*:?|\bsmash\s+cut\s+to\b"
    r"|\bwe\s+cut\s+to\b|\bcorte\s+a\b|\bcortamos\s+a\b|\bcorta\s+a\b"
    r"|切到|切至|切换到|镜头切到|画面切到|カットして|場面が変わって|場面転換|"
    r"컷\s*전환|화면이\s*바뀌어|컷하여)\s*[:：,，、]?\s*",
    re.IGNORECASE,
)
# Words that may stand before the framing that opens a new shot ("Then a close-up of …").
OPENERS = re.compile(
    r"^(?:(?:and\s+)?then|now|next|finally|later|after\s+that|luego|después|entonces|"
    r"finalmente|然后|接着|随后|最后|そして|次に|最後に|그리고|이어서|마지막으로)[\s,，、]*",
    re.IGNORECASE,
)
ARTICLE = re.compile(r"^(?:a|an|the|un|una|el|la|los|las)\s+", re.IGNORECASE)
# A sentence opening with a move toward a framing ("Pull back to a wide shot …").
# Possessive spaces: `\s+` then an optional word then `\s*` split every run of spaces both
# ways before failing (quadratic in the run).
MOVE_TO_FRAMING = re.compile(
    r"^(?:the\s+camera\s+)?(?:pulls?|push(?:es)?|moves?|cranes?|tilts?|pans?|zooms?|dolly|dollies)"
    r"\s++(?:(?:back|in|out|up|down|left|right)\s*+)?(?:to|into|onto)\s+",
    re.IGNORECASE,
)

# Speech verbs: a quotation after one (in the same clause) is dialogue.
SPEECH_VERBS = re.compile(
    r"\b(?:says?|said|saying|asks?|asked|asking|repl(?:y|ies|ied)|answers?|answered|whispers?|"
    r"whispered|whispering|shouts?|shouted|shouting|yells?|yelled|screams?|screamed|mutters?|"
    r"muttered|murmurs?|murmured|calls?(?:\s+out)?|called|cries|cried|adds?|added|tells?|told|"
    r"exclaims?|exclaimed|sings?|sang|snaps?|snapped|sighs?|sighed|laughs?|laughing|continues?|"
    r"insists?|explains?|announces?|begs?|pleads?|"
    r"dice|dijo|pregunta|preguntó|responde|respondió|contesta|contestó|susurra|susurró|grita|"
    r"gritó|murmura|murmuró|exclama|añade|canta)\b"
    r"|说|问|回答|答道|喊|叫道|嘀咕|低语|大叫|告诉|言う|言った|言い|尋ねる|聞く|答える|叫ぶ|"
    r"ささやく|囁く|つぶやく|呟く|말한다|말했다|묻는다|물었다|대답한다|대답했다|속삭인다|외친다|중얼거린다",
    re.IGNORECASE,
)
VOICE_OVER = re.compile(
    r"\b(?:voice[\s-]?over|v\.?\s?o\.?|narrator|narration|voz\s+en\s+off|narrador|narración)\b"
    r"|旁白|画外音|ナレーション|ナレーター|내레이션|나레이션|보이스오버",
    re.IGNORECASE,
)
# Words before a quotation that make it on-screen lettering, not speech.
LETTERING_CUES = re.compile(
    r"\b(?:word|words|sign|signs|reads|reading|engraved|printed|written|painted|logo|title|"
    r"caption|label|banner|neon|letters|lettering|text|headline|slogan|brand|tagline|"
    r"palabra|letrero|cartel|rótulo|grabad[ao]|escrito|título|logotipo)\b"
    r"|写着|印着|刻着|字样|招牌|标语|文字|标题|書かれ|書いてある|印刷され|刻まれ|看板|ロゴ|"
    r"적힌|적혀|새겨|글자|간판|로고|문구",
    re.IGNORECASE,
)
# Things that carry lettering: what they "say" is on-screen text ("A sign says "OPEN"").
LETTERING_SUBJECTS = re.compile(
    r"\b(?:signs?|posters?|screens?|labels?|banners?|billboards?|placards?|notes?|headlines?|"
    r"displays?|monitors?|t-shirts?|shirts?|mugs?|cards?|plates?|letreros?|carteles?|pantallas?|"
    r"etiquetas?|pancartas?|camisetas?|notas?|titulares?)\b"
    r"|招牌|海报|屏幕|标牌|横幅|牌子|看板|ポスター|画面|張り紙|간판|포스터|화면|현수막|표지판",
    re.IGNORECASE,
)
# How a line is said, when the verb itself tells it.
# fmt: off
VERB_DELIVERY = {
    "whisper": "whispering", "susurr": "whispering", "低语": "whispering", "ささや": "whispering",
    "囁": "whispering", "속삭": "whispering", "shout": "shouting", "yell": "shouting",
    "scream": "screaming", "grit": "shouting", "喊": "shouting", "叫": "shouting",
    "외친": "shouting", "mutter": "muttering", "murmur": "murmuring", "sing": "singing",
    "sang": "singing", "laugh": "laughing",
}
# fmt: on
# Delivery spelled out near the verb: "in a low, flat voice", "with a slow, careful accent".
DELIVERY_PHRASE = re.compile(
    r"\b(?:in\s+an?\s+[^.;:\"“”]{0,40}?\b(?:voice|tone|whisper|accent)"
    r"|with\s+an?\s+(?:[\w-]+,?\s+){0,4}?(?:accent|voice|tone|drawl|lisp|smile)"
    r"(?:\s+in\s+(?:english|spanish|japanese|korean|chinese|mandarin|cantonese))?"
    r"|(?:softly|quietly|loudly|angrily|sadly|gently|calmly|nervously|coldly|warmly|slowly|"
    r"quickly|flatly|sharply|sarcastically|tearfully|excitedly|firmly|dryly|drily)"
    r"|con\s+(?:un\s+|una\s+)?(?:[\wáéíóúñ]+,?\s+){0,4}?(?:acento|voz|tono|sonrisa)"
    r"(?:\s+[\wáéíóúñ]+){0,2}"
    r"|en\s+voz\s+(?:baja|alta))\b"
    # CJK alternatives longest first: "小声で" must not stop at "小声" and leave a stray "で".
    r"|小声で|大声で|笑いながら|泣きながら|低声|小声|大声|笑着|轻声|哭着|작게|크게|조용히|웃으며",
    re.IGNORECASE,
)
LANGUAGE_NAMES = re.compile(
    r"\bin\s+(?:english|spanish|japanese|korean|chinese|mandarin|cantonese)\b"
    r"|\ben\s+(?:inglés|español|japonés|coreano|chino)\b",
    re.IGNORECASE,
)

# Time marks inside a shot: "at the 4-second mark", "at 4 seconds", "at 0:04", "a los 4
# segundos", "第4秒", "4秒时", "4秒目", "4초에"; and "in the final 2 seconds".
# The marks that open with their number start at the first digit of a run only (`(?<![\d])`)
# and read it possessively: else a search retried them at every digit of a long run (quadratic).
TIME_MARK = re.compile(
    r"\bat\s+(?:the\s+)?(?P<en>\d+(?:\.\d+)?)[\s-]*(?:s\b|sec(?:ond)?s?)(?:[\s-]*mark)?"
    r"|\bat\s+0?:(?P<clock>\d{2})\b"
    r"|\ba\s+los\s+(?P<es>\d+(?:\.\d+)?)\s*segundos?"
    r"|\ben\s+el\s+segundo\s+(?P<es2>\d+(?:\.\d+)?)"
    r"|第\s*(?P<zh>\d+(?:\.\d+)?)\s*秒|(?<!\d)(?P<zh2>\d++(?:\.\d++)?+)\s*+秒(?:时|的时候|钟时)"
    r"|(?<!\d)(?P<ja>\d++(?:\.\d++)?+)\s*+秒(?:目|後|で)に?"
    r"|(?<!\d)(?P<ko>\d++(?:\.\d++)?+)\s*+초(?:에|째|쯤)",
    re.IGNORECASE,
)
FINAL_SECONDS = re.compile(
    r"\b(?:in\s+the\s+)?(?:final|last)\s+(?P<n>\d+(?:\.\d+)?)\s*(?:s\b|sec(?:ond)?s?)"
    r"|\b(?:en\s+los\s+)?últimos\s+(?P<es>\d+(?:\.\d+)?)\s*segundos"
    r"|最后\s*(?P<zh>\d+(?:\.\d+)?)\s*秒|最後の\s*(?P<ja>\d+(?:\.\d+)?)\s*秒|마지막\s*(?P<ko>\d+(?:\.\d+)?)\s*초",
    re.IGNORECASE,
)
