"""What a generation costs, in credits, before the job exists.

Pure Python, no Django. The compiler puts the estimate in every compiled request; the job
reserves exactly that many credits (jobs/credits.py), so the user sees the price before paying.

Prices are per second of video. Kling bills by mode and sound, so ours follow the same shape:
pro (1080p) costs twice std (720p), and native audio adds half again. Local providers are free.
"""

from fractions import Fraction
from math import ceil

ANIMATIC = "animatic"
KLING = "kling"
# The benchmarks' stock-clip provider (jobs/choices.py): it renders nothing, so it is free.
INSTANT = "instant"

FREE_PROVIDERS = frozenset({ANIMATIC, INSTANT})
PROVIDERS_WITH_COST = frozenset({KLING})

# Credits per second of Kling video, by quality (720p is Kling's std mode, 1080p its pro mode).
KLING_CREDITS_PER_SECOND = {"720p": 1, "1080p": 2}
# Native audio costs half as much again; Fraction keeps the product exact before rounding up.
SOUND_MULTIPLIER = Fraction(3, 2)


def estimate_cost(provider: str, seconds: int, quality: str, sound: bool) -> int:
    """Credits for `seconds` of video from `provider`, rounded up to a whole credit.

    Raises ValueError for an unknown provider or quality, so a typo never makes a paid model
    free.
    """
    if seconds < 0:
        raise ValueError(f"seconds must not be negative, got {seconds}")
    if provider in FREE_PROVIDERS:
        return 0
    if provider != KLING:
        raise ValueError(f"no price for provider {provider!r}")
    try:
        per_second = KLING_CREDITS_PER_SECOND[quality]
    except KeyError:
        raise ValueError(f"no Kling price for quality {quality!r}") from None
    cost = Fraction(seconds * per_second)
    if sound:
        cost *= SOUND_MULTIPLIER
    return ceil(cost)
