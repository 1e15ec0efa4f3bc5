"""What a generation costs in credits (compiler/pricing.py): free locally, per second on Kling."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compiler import pricing
from compiler.pricing import estimate_cost

pytestmark = pytest.mark.filterwarnings("error")


@pytest.mark.parametrize("quality", ["720p", "1080p"])
@pytest.mark.parametrize("sound", [False, True])
def test_the_animatic_is_free(quality, sound):
    assert estimate_cost("animatic", 15, quality, sound) == 0


@pytest.mark.parametrize(
    ("quality", "sound", "seconds", "cost"),
    [
        ("720p", False, 5, 5),  # std: 1 credit a second
        ("1080p", False, 5, 10),  # pro: 2 credits a second
        ("720p", True, 5, 8),  # 7.5 with sound, rounded up
        ("1080p", True, 5, 15),
        ("720p", True, 4, 6),  # exactly 6: no rounding
        ("1080p", True, 15, 45),
        ("720p", True, 3, 5),  # 4.5 rounded up
    ],
)
def test_kling_costs_per_second_by_mode_and_half_again_with_sound(quality, sound, seconds, cost):
    assert estimate_cost("kling", seconds, quality, sound) == cost


@given(st.integers(min_value=0, max_value=60), st.sampled_from(["720p", "1080p"]))
def test_sound_never_makes_kling_cheaper_and_never_more_than_half_again_plus_one(seconds, quality):
    silent = estimate_cost("kling", seconds, quality, False)
    spoken = estimate_cost("kling", seconds, quality, True)

    assert silent <= spoken <= silent * 3 / 2 + 1
    assert estimate_cost("kling", seconds, "1080p", False) == 2 * estimate_cost(
        "kling", seconds, "720p", False
    )


def test_only_kling_has_a_cost():
    paid = pricing.PROVIDERS_WITH_COST

    assert paid == {"kling"}
    assert all(estimate_cost(provider, 5, "720p", True) > 0 for provider in paid)
    assert estimate_cost("animatic", 5, "720p", True) == 0


@pytest.mark.parametrize(
    ("provider", "quality", "seconds"),
    [("sora", "720p", 5), ("kling", "4k", 5), ("kling", "720p", -1)],
)
def test_an_unknown_provider_quality_or_a_negative_length_has_no_price(provider, quality, seconds):
    with pytest.raises(ValueError, match="no price|no Kling price|negative"):
        estimate_cost(provider, seconds, quality, False)
