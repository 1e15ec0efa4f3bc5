"""The prompt director on a 2,500-character prompt that mixes the five languages.

The director runs on every "split" request of the editor, so it is measured in-process, without
a server: the time of one direct() of a prompt of shots in English, Spanish, Chinese, Japanese
and Korean (markers, framings, cut phrases, dialogue in every quoting style, voice-over,
lettering, time marks). Warm: lingua's language models and MeCab's dictionary are loaded once
per process, on the first line in English or Spanish and the first Japanese line, so a first
call is made (and reported as "first call") before the timed ones. Goal: p99 under 50 ms.
"""

import random
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Figure, arguments, median, percentile, report, timed_ms
from director.direct import direct

TITLE = "Bench: prompt director"
PROMPT_CHARS = 2500
RUNS = 500
GOAL_P99_MS = 50.0
HANDLES = ["Mara", "Tomas", "Old Sailor", "老周", "小雨", "ユキ", "지수"]
# Shots in the five languages, each with its marker, framing, move, dialogue or lettering.
SHOTS = [
    "Shot {n}: Wide shot of a lighthouse kitchen at dawn, rain on the window. @Mara pours tea "
    'and says, "The ferry won\'t run today." ',
    "Close-up of @Tomas, who smiles without looking up and replies in a low, flat voice, "
    "‘Then we have all day.’ ",
    "Cut to a medium shot, the camera slowly pushes in as the kettle whistles; at the 3-second "
    "mark @Old Sailor knocks. ",
    'Voice-over (calm male voice, British accent): "Made for the hours that matter." ',
    'Macro shot of a watch engraved with the word "TIDE"; the camera orbits the case. ',
    "Plano {n}: Primer plano de Lucía, que susurra: «No mires atrás.» ",
    'Corte a un plano general de la plaza; un letrero dice "FARMACIA". El viejo marinero '
    'responde con un acento torpe: "Ya voy." ',
    "镜头{n}：特写，@老周 站在码头上望着远方说：“明天就要出海了。”",
    "切到远景，第3秒海鸥飞过。@小雨低声说：「一路平安。」",
    "ショット{n}：クローズアップ、@ユキ が小声で『行かないで』と言った。3秒目に振り返る。",
    "カットして、看板には「ラーメン」と書かれている。店主が「いらっしゃい」と言う。",
    '컷 {n}: 클로즈업, @지수 가 작게 "우산 있어?" 라고 묻는다. 3초에 비가 그친다. ',
    '내레이션: "그 여름, 모든 것이 변했다." 와이드 샷, 노을 지는 호수. ',
]


def make_prompt(rng: random.Random) -> str:
    """Every shot of SHOTS in a shuffled order, then more drawn at random, numbered in turn,
    up to PROMPT_CHARS characters."""
    order = rng.sample(SHOTS, len(SHOTS))
    pieces, number = [], 1
    while sum(map(len, pieces)) < PROMPT_CHARS:
        pieces.append((order.pop() if order else rng.choice(SHOTS)).format(n=number))
        number += 1
    return "".join(pieces)[:PROMPT_CHARS]


def main() -> None:
    options = arguments(__doc__.splitlines()[0])
    prompt = make_prompt(random.Random(7))
    began = time.perf_counter()
    direction = direct(prompt, handles=HANDLES)  # loads lingua's models and MeCab
    first_ms = (time.perf_counter() - began) * 1000
    timings = timed_ms(lambda: direct(prompt, handles=HANDLES), RUNS)
    if options.profile:
        import cProfile

        cProfile.runctx("direct(prompt, handles=HANDLES)", globals(), locals(), sort="cumtime")
    p99 = percentile(timings, 99)
    lines = [line for shot in direction.shots for line in shot.dialogue]
    figures = [
        Figure("prompt length (5 languages)", len(prompt), "chars"),
        Figure("shots / sequences", f"{len(direction.shots)} / {len(direction.sequences)}"),
        Figure("dialogue lines", len(lines)),
        Figure("languages of the lines", " ".join(sorted({line.language for line in lines}))),
        Figure("first call (loads lingua and MeCab)", first_ms, "ms"),
        Figure("direct() median, warm", median(timings), "ms"),
        Figure("direct() p99, warm", p99, "ms", f"< {GOAL_P99_MS:g} ms", p99 < GOAL_P99_MS),
    ]
    report(TITLE, figures, options.json)


if __name__ == "__main__":
    main()
