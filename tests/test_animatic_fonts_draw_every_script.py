"""The animatic's font draws every script a storyboard may hold: no empty boxes ("tofu") for
Chinese, Japanese, Korean or Spanish subtitles and lettering."""

import pytest
from PIL import Image, ImageDraw

from animatic.cards import load_font

# A code point no font draws: what the font shows for a character it lacks.
MISSING = "\U0010fffd"
SAMPLES = {
    "Chinese": "抓住绳子",
    "Japanese": "ロープを持って",
    "Korean": "밧줄을 잡아",
    "Spanish": "¿Dónde está la niña?",
    "English": "Hold the rope",
}


def drawn(char: str, bold: bool) -> bytes:
    image = Image.new("L", (64, 64))
    ImageDraw.Draw(image).text((8, 4), char, font=load_font(40, bold=bold), fill=255)
    return image.tobytes()


@pytest.mark.parametrize("bold", [False, True])
@pytest.mark.parametrize("script", SAMPLES)
def test_each_character_has_its_own_glyph(script, bold):
    missing = drawn(MISSING, bold)

    for char in SAMPLES[script].replace(" ", ""):
        assert drawn(char, bold) != missing, f"{script}: {char!r} is not drawn"
