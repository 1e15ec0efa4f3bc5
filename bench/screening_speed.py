"""Screening a 2,500-character prompt against 10,000 blocked terms in five languages.

It runs on every generate request, so it is measured in-process, without a server: the time to
build the screen from the terms (once per change of the list), then the time of one screening
of a prompt that mixes the five languages, with evasions and a few real hits. Goal: p99 under
5 ms.
"""

import random
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Figure, arguments, median, percentile, report, timed_ms
from screening.screen import Screen, Term, screen_fields, storyboard_texts

TITLE = "Bench: content screening"
TERMS_PER_LANGUAGE = 2000
PROMPT_CHARS = 2500
RUNS = 2000
GOAL_P99_MS = 5.0
LATIN = "abcdefghijklmnopqrstuvwxyzñ"
# A few hundred characters of each script, so that terms and prompt share many of them.
HAN = "".join(map(chr, range(0x4E00, 0x4E00 + 400)))
KANA = "".join(map(chr, [*range(0x3041, 0x3094), *range(0x30A1, 0x30F4)]))
HANGUL = "".join(map(chr, range(0xAC00, 0xAC00 + 11172, 97)))


def make_terms(rng: random.Random) -> list[Term]:
    def word(alphabet: str, low: int, high: int) -> str:
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(low, high)))

    makers = {
        "en": lambda: word(LATIN[:26], 4, 10),
        "es": lambda: word(LATIN, 4, 10) + (" " + word(LATIN, 3, 7) if rng.random() < 0.2 else ""),
        "zh": lambda: word(HAN, 2, 4),
        "ja": lambda: word(KANA, 3, 5),
        "ko": lambda: word(HANGUL, 2, 4),
    }
    return [
        Term(make(), "bench", "block" if i % 3 else "review", language)
        for language, make in makers.items()
        for i in range(TERMS_PER_LANGUAGE)
    ]


def make_prompt(rng: random.Random, terms: list[Term]) -> str:
    """Sentences in the five scripts; a few real terms, one spaced out, one in full width."""
    pieces = []
    hits = rng.sample(terms, 6)
    while sum(map(len, pieces)) < PROMPT_CHARS:
        kind = rng.randrange(5)
        if kind == 0:
            pieces.append(" ".join(rng.choice(["the", "lighthouse", "keeper", "walks", "slowly",
                                                "towards", "camera", "close-up", "dawn"])
                                   for _ in range(8)) + ". ")  # fmt: skip
        elif kind == 1:
            pieces.append("El farero camina hacia la cámara al amanecer, año tras año. ")
        elif kind == 2:
            pieces.append("".join(rng.choice(HAN) for _ in range(20)) + "。")
        elif kind == 3:
            pieces.append("".join(rng.choice(KANA) for _ in range(20)) + "。")
        else:
            pieces.append("".join(rng.choice(HANGUL) for _ in range(12)) + " 입니다. ")
    prompt = "".join(pieces)[: PROMPT_CHARS - 120]
    evasions = [hits[0].text, " ".join(hits[1].text), hits[2].text.upper()]
    prompt = f"{prompt} {' / '.join(evasions)} "
    return (prompt + "the keeper waits. " * 20)[:PROMPT_CHARS]


def as_storyboard(prompt: str, shots: int = 6) -> dict:
    """The same prompt spread over a storyboard as a generation sends it: per shot a text,
    lettering, sound notes and two dialogue lines (jobs/snapshot.py's shape)."""
    size = len(prompt) // (shots * 5)
    parts = iter(prompt[i : i + size] for i in range(0, len(prompt), size))
    return {
        "prompt": "",
        "negative_prompt": next(parts, ""),
        "shots": [
            {
                "text": next(parts, ""),
                "lettering": next(parts, ""),
                "sound_notes": next(parts, ""),
                "dialogue": [
                    {"speaker": "Mara", "text": next(parts, ""), "delivery": "low"},
                    {"speaker": "Tomas", "text": next(parts, ""), "delivery": ""},
                ],
            }
            for _ in range(shots)
        ],
    }


def main() -> None:
    options = arguments(__doc__.splitlines()[0])
    rng = random.Random(7)
    terms = make_terms(rng)
    began = time.perf_counter()
    screen = Screen(terms)
    build_ms = (time.perf_counter() - began) * 1000
    prompt = make_prompt(rng, terms)
    found = screen.matches(prompt)
    timings = timed_ms(lambda: screen.matches(prompt), RUNS)
    p99 = percentile(timings, 99)
    # What a generate request really does: every field of the storyboard on its own.
    fields = storyboard_texts(as_storyboard(prompt))
    per_field = timed_ms(lambda: screen_fields(screen, fields), RUNS)
    fields_p99 = percentile(per_field, 99)
    figures = [
        Figure("blocked terms (5 languages)", len(terms)),
        Figure("prompt length", len(prompt), "chars"),
        Figure("build the screen", build_ms, "ms"),
        # Random CJK text spells some of the 2-character terms too.
        Figure("terms found (3 planted, others spelled by chance)", len(found)),
        Figure("screening median", median(timings), "ms"),
        Figure("screening p99", p99, "ms", f"< {GOAL_P99_MS:g} ms", p99 < GOAL_P99_MS),
        Figure("storyboard fields (6 shots)", len(fields)),
        Figure("storyboard screening median", median(per_field), "ms"),
        Figure(
            "storyboard screening p99",
            fields_p99,
            "ms",
            f"< {GOAL_P99_MS:g} ms",
            fields_p99 < GOAL_P99_MS,
        ),
    ]
    report(TITLE, figures, options.json)


if __name__ == "__main__":
    main()
