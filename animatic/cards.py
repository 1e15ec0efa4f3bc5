"""The drawn pictures of an animatic, with Pillow: text cards, subtitles, lettering, badges.

Everything here draws on `PIL.Image`s of exactly the output size and knows nothing of video:
cards are RGB pictures; subtitles, signs and badges are drawn onto a transparent RGBA layer that
`frames.py` lays over the moving picture.

Sizes are fractions of the frame's shorter side (`unit`), so a card reads the same at 720p,
1080p, portrait and square.
"""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont

# Tried in order; the CJK font first because it also covers Latin, so Chinese or Japanese
# dialogue renders without tofu when the font is installed.
REGULAR_FONTS = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
)
BOLD_FONTS = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    *REGULAR_FONTS,
)


BACKGROUND = (32, 35, 43)
SAFE_AREA_LINE = (58, 63, 75)
TITLE_COLOUR = (240, 240, 240)
LABEL_COLOUR = (154, 163, 181)
BODY_COLOUR = (226, 226, 226)
LETTERING_COLOUR = (242, 193, 78)
SPEAKER_COLOUR = (255, 214, 102)
SUBTITLE_COLOUR = (255, 255, 255)
SUBTITLE_BOX = (0, 0, 0, 165)
BADGE_BOX = (0, 0, 0, 140)

# Fractions of the shorter side of the frame.
MARGIN = 0.06
TITLE_SIZE = 0.075
LABEL_SIZE = 0.04
BODY_SIZE = 0.05
LETTERING_SIZE = 0.055
SUBTITLE_SIZE = 0.045
BADGE_SIZE = 0.035
LINE_SPACING = 1.25
# Subtitles stay inside the lower third; their block ends this far above the bottom edge.
SUBTITLE_BOTTOM = 0.08
SUBTITLE_WIDTH = 0.86
SUBTITLE_MAX_LINES = 3
# Lettering over a picture reads like a sign or a caption card: dark letters on a light plate,
# centred near the top (the lower third belongs to the subtitles).
SIGN_SIZE = 0.07
SIGN_TOP = 0.1
SIGN_WIDTH = 0.8
SIGN_MAX_LINES = 2
SIGN_PLATE = (250, 248, 240, 240)
SIGN_INK = (24, 24, 28)
ELLIPSIS = "…"
# Angle values that read as adjectives alone ("Low"): the card says "Low angle".
BARE_ANGLES = frozenset({"low", "high", "dutch"})


@lru_cache(maxsize=64)
def load_font(size: int, bold: bool = False) -> Font:
    """The first installed font of the list at `size` px, else Pillow's built-in font."""
    for path in BOLD_FONTS if bold else REGULAR_FONTS:
        if path.is_file():
            try:
                return ImageFont.truetype(str(path), size)
            except OSError:  # a broken font file: try the next one
                continue
    return ImageFont.load_default(size=size)


def unit_of(size: tuple[int, int]) -> int:
    return min(size)


def _px(fraction: float, size: tuple[int, int]) -> int:
    return max(1, round(fraction * unit_of(size)))


def words(value: str) -> str:
    """A vocabulary value as words: `medium_close_up` -> `Medium close-up`."""
    text = value.replace("_", " ").strip().capitalize()
    return text.replace("close up", "close-up").replace("Close up", "Close-up")


def wrap(text: str, font: Font, max_width: float) -> list[str]:
    """`text` broken into lines no wider than `max_width`: at spaces where it can, between
    characters inside a word that does not fit (long URLs, and CJK text, which has no spaces)."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if font.getlength(candidate) <= max_width:
                line = candidate
                continue
            if line:
                lines.append(line)
                line = ""
            for char in word:
                if line and font.getlength(line + char) > max_width:
                    lines.append(line)
                    line = ""
                line += char
        lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def clip_lines(lines: list[str], max_lines: int, font: Font, max_width: float) -> list[str]:
    """At most `max_lines`, the last one ending in an ellipsis when text was cut."""
    if max_lines <= 0:
        return []
    if len(lines) <= max_lines:
        return lines
    last = lines[max_lines - 1]
    while last and font.getlength(last + ELLIPSIS) > max_width:
        last = last[:-1]
    return [*lines[: max_lines - 1], last.rstrip() + ELLIPSIS]


def _line_height(font: Font) -> int:
    ascent, descent = font.getmetrics() if hasattr(font, "getmetrics") else (font.size, 0)
    return round((ascent + descent) * LINE_SPACING)


def _translucent_box(
    image: Image.Image, box: tuple[int, int, int, int], fill: tuple[int, int, int, int]
) -> None:
    """A translucent rounded box over `box` of `image`, in place, so text over a picture reads."""
    left, top, right, bottom = box
    mask = Image.new("L", (right - left, bottom - top), 0)
    radius = max(2, (bottom - top) // 6)
    ImageDraw.Draw(mask).rounded_rectangle(
        (0, 0, right - left - 1, bottom - top - 1), radius=radius, fill=fill[3]
    )
    image.paste(Image.new("RGB", mask.size, fill[:3]), (left, top), mask)


@dataclass(frozen=True)
class CardText:
    """What a card says about a shot with no picture."""

    number: int
    shot_size: str
    camera_angle: str
    camera_movement: str
    text: str
    lettering: str


def draw_card(card: CardText, size: tuple[int, int]) -> Image.Image:
    """A text card: shot number, its size / angle / movement, the action text, the lettering.
    The lower third is left free for subtitles."""
    width, height = size
    image = Image.new("RGB", size, BACKGROUND)
    draw = ImageDraw.Draw(image)
    margin = _px(MARGIN, size)
    inner = width - 2 * margin
    draw.rectangle(
        (margin // 2, margin // 2, width - margin // 2 - 1, height - margin // 2 - 1),
        outline=SAFE_AREA_LINE,
        width=max(1, _px(0.004, size)),
    )
    y = margin
    title = load_font(_px(TITLE_SIZE, size), bold=True)
    draw.text((margin, y), f"SHOT {card.number}", font=title, fill=TITLE_COLOUR)
    y += _line_height(title)

    label = load_font(_px(LABEL_SIZE, size))
    angle = words(card.camera_angle)
    if card.camera_angle in BARE_ANGLES:
        angle += " angle"
    described = " · ".join(
        part for part in (words(card.shot_size), angle, words(card.camera_movement)) if part
    )
    for line in clip_lines(wrap(described, label, inner), 2, label, inner):
        draw.text((margin, y), line, font=label, fill=LABEL_COLOUR)
        y += _line_height(label)
    y += margin // 2

    # The lettering sits just above the lower third; the body text fills what is left above it.
    lower_third = height * 2 // 3
    lettering_lines: list[str] = []
    lettering_font = load_font(_px(LETTERING_SIZE, size), bold=True)
    if card.lettering.strip():
        quoted = f"“{card.lettering.strip()}”"
        lettering_lines = clip_lines(wrap(quoted, lettering_font, inner), 2, lettering_font, inner)
    lettering_top = lower_third - len(lettering_lines) * _line_height(lettering_font)

    body = load_font(_px(BODY_SIZE, size))
    room = (lettering_top - margin // 2 - y) // _line_height(body)
    for line in clip_lines(wrap(card.text.strip(), body, inner), room, body, inner):
        draw.text((margin, y), line, font=body, fill=BODY_COLOUR)
        y += _line_height(body)

    y = max(lettering_top, y)
    for line in lettering_lines:
        left = (width - lettering_font.getlength(line)) / 2
        draw.text((left, y), line, font=lettering_font, fill=LETTERING_COLOUR)
        y += _line_height(lettering_font)
    return image


def draw_badge(image: Image.Image, number: int) -> None:
    """A small shot number in the top-left corner of a picture, in place, so a reviewer can
    say which shot they mean."""
    font = load_font(_px(BADGE_SIZE, image.size), bold=True)
    text = str(number)
    pad = _px(0.012, image.size)
    margin = _px(MARGIN / 2, image.size)
    text_width = round(font.getlength(text))
    box = (margin, margin, margin + text_width + 2 * pad, margin + _line_height(font) + pad)
    _translucent_box(image, box, BADGE_BOX)
    ImageDraw.Draw(image).text((margin + pad, margin + pad), text, font=font, fill=TITLE_COLOUR)


def draw_subtitle(image: Image.Image, speaker: str, text: str) -> None:
    """`speaker: text` over the lower third of `image`, in place: centred lines on a dark box,
    the speaker's name in its own colour."""
    width, height = image.size
    font = load_font(_px(SUBTITLE_SIZE, image.size))
    prefix = f"{speaker}: " if speaker else ""
    max_width = width * SUBTITLE_WIDTH
    lines = clip_lines(wrap(prefix + text, font, max_width), SUBTITLE_MAX_LINES, font, max_width)
    if not lines:
        return
    line_height = _line_height(font)
    pad = _px(0.015, image.size)
    block_width = max(round(font.getlength(line)) for line in lines)
    bottom = round(height * (1 - SUBTITLE_BOTTOM))
    top = bottom - line_height * len(lines)
    left = (width - block_width) // 2
    _translucent_box(
        image, (left - 2 * pad, top - pad, left + block_width + 2 * pad, bottom + pad), SUBTITLE_BOX
    )
    draw = ImageDraw.Draw(image)
    stroke = max(1, font.size // 18) if hasattr(font, "size") else 1
    for index, line in enumerate(lines):
        x = (width - font.getlength(line)) / 2
        y = top + index * line_height
        # The speaker's name is the start of the first line unless wrapping broke inside it.
        name = prefix.rstrip() if index == 0 and line.startswith(prefix.rstrip()) else ""
        if name:
            draw.text(
                (x, y),
                name,
                font=font,
                fill=SPEAKER_COLOUR,
                stroke_width=stroke,
                stroke_fill=(0, 0, 0),
            )
            x += font.getlength(name)
            line = line[len(name) :]
        draw.text(
            (x, y),
            line,
            font=font,
            fill=SUBTITLE_COLOUR,
            stroke_width=stroke,
            stroke_fill=(0, 0, 0),
        )


def draw_sign(image: Image.Image, text: str) -> None:
    """`text` (a sign, a caption, a product name) lettered on a light plate near the top of
    `image`, in place, centred, in a font that draws every script we speak."""
    width, height = image.size
    font = load_font(_px(SIGN_SIZE, image.size), bold=True)
    max_width = width * SIGN_WIDTH
    lines = clip_lines(wrap(text.strip(), font, max_width), SIGN_MAX_LINES, font, max_width)
    if not lines:
        return
    line_height = _line_height(font)
    pad = _px(0.02, image.size)
    block_width = max(round(font.getlength(line)) for line in lines)
    top = round(height * SIGN_TOP)
    left = (width - block_width) // 2
    bottom = top + line_height * len(lines)
    _translucent_box(
        image, (left - 2 * pad, top - pad, left + block_width + 2 * pad, bottom + pad), SIGN_PLATE
    )
    draw = ImageDraw.Draw(image)
    for index, line in enumerate(lines):
        x = (width - font.getlength(line)) / 2
        draw.text((x, top + index * line_height), line, font=font, fill=SIGN_INK)
