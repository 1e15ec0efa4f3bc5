"""The PDF storyboard sheet: shots in a grid, each with its picture, numbers, framing and words.

Pure (no Django): `storyboard_pdf(SheetData, paper)` takes plain data with the pictures as file
paths and returns the bytes of the PDF. Two shots per row, as many rows as fit on a page; the
project's title heads every page and its number ends it. Text is set in Noto Sans CJK (see
`sheet_fonts`), so Chinese, Japanese and Korean are drawn and can be searched and copied.
"""

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import WrapMode
from PIL import Image

from exports.plain_text import one_line
from exports.sheet_fonts import font_bytes

PAPERS = {"a4": "A4", "letter": "Letter"}
MARGIN = 12  # mm
COLUMNS = 2
GUTTER = 6
TITLE_SIZE = 14  # pt
HEADING_SIZE = 9
BODY_SIZE = 8
LINE_HEIGHT = 3.6  # mm at BODY_SIZE
PICTURE_RATIO = 9 / 16  # the thumbnail box: a landscape frame, pictures fitted inside
CELL_PADDING = 2
ROW_SPACING = 5
# Pictures are scaled down before they are embedded: a sheet of 120 shots stays small.
MAX_PICTURE_PIXELS = 640
PLACEHOLDER_FILL = (232, 232, 236)
PLACEHOLDER_INK = (150, 150, 160)
MUTED_INK = (90, 90, 100)
BODY_INK = (20, 20, 24)
# A shot's words longer than a page's worth are cut at a whole line, with an ellipsis.
ELLIPSIS = "…"
FONT = "sheet"


@dataclass(frozen=True)
class SheetLine:
    speaker: str
    text: str
    delivery: str = ""
    voice_over: bool = False


@dataclass(frozen=True)
class SheetShot:
    number: str  # "S1 · Shot 2"
    duration: int  # seconds
    framing: str  # "Close-up · Low angle · Push in"
    text: str = ""
    lettering: str = ""
    sound_notes: str = ""
    dialogue: list[SheetLine] = field(default_factory=list)
    picture: str | None = None  # a file path, or None for a drawn placeholder


@dataclass(frozen=True)
class SheetData:
    title: str
    shots: list[SheetShot]


class UnknownPaper(ValueError):
    pass


class _Sheet(FPDF):
    title_text = ""

    def header(self) -> None:
        self.set_font(FONT, "B", TITLE_SIZE)
        self.set_text_color(*BODY_INK)
        self.cell(0, 7, one_line(self.title_text), new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def footer(self) -> None:
        self.set_y(-MARGIN + 2)
        self.set_font(FONT, "", BODY_SIZE)
        self.set_text_color(*MUTED_INK)
        self.cell(0, 4, f"Page {self.page_no()} of {{nb}}", align="C")


def storyboard_pdf(data: SheetData, paper: str = "a4") -> bytes:
    if paper not in PAPERS:
        raise UnknownPaper(f"Choose the paper: {' or '.join(PAPERS)}.")
    pdf = _Sheet(format=PAPERS[paper], unit="mm")
    pdf.title_text = data.title
    pdf.set_margins(MARGIN, MARGIN)
    pdf.set_auto_page_break(False)
    pdf.alias_nb_pages()
    with tempfile.TemporaryDirectory(prefix="sheet-fonts-") as folder:
        _add_fonts(pdf, folder, _characters(data))
        _lay_out(pdf, data.shots)
        return bytes(pdf.output())


def _characters(data: SheetData) -> str:
    parts = [data.title]
    for shot in data.shots:
        parts += [shot.number, shot.framing, shot.text, shot.lettering, shot.sound_notes]
        parts += [f"{line.speaker}{line.text}{line.delivery}" for line in shot.dialogue]
    return "".join(parts)


def _add_fonts(pdf: FPDF, folder: str, characters: str) -> None:
    # fpdf2 reads fonts from a path only: the subset is written to a folder removed afterwards.
    for style, bold in (("", False), ("B", True)):
        content, extension = font_bytes(bold, characters)
        path = Path(folder) / f"{FONT}{style or 'R'}{extension}"
        path.write_bytes(content)
        pdf.add_font(FONT, style, str(path))


def _lay_out(pdf: FPDF, shots: list[SheetShot]) -> None:
    width = (pdf.w - 2 * MARGIN - GUTTER * (COLUMNS - 1)) / COLUMNS
    picture_height = width * PICTURE_RATIO
    pdf.add_page()
    bottom = pdf.h - MARGIN - 4
    for start in range(0, len(shots), COLUMNS):
        row = shots[start : start + COLUMNS]
        words_room = bottom - (pdf.t_margin + 9) - picture_height - 2 * CELL_PADDING
        blocks = [_words(pdf, shot, width - 2 * CELL_PADDING, words_room) for shot in row]
        height = picture_height + CELL_PADDING * 2 + max(_height(b) for b in blocks)
        if pdf.get_y() + height > bottom:
            pdf.add_page()
        top = pdf.get_y()
        for column, (shot, block) in enumerate(zip(row, blocks, strict=True)):
            x = MARGIN + column * (width + GUTTER)
            _picture(pdf, shot.picture, x, top, width, picture_height)
            _draw_words(pdf, block, x + CELL_PADDING, top + picture_height + CELL_PADDING)
            pdf.set_draw_color(200, 200, 208)
            pdf.rect(x, top, width, height)
        pdf.set_y(top + height + ROW_SPACING)


# A block is a list of (style, size, colour, lines): the lines already wrapped to the column.
Block = list[tuple[str, int, tuple[int, int, int], list[str]]]


def _height(block: Block) -> float:
    return sum(len(lines) for *_, lines in block) * LINE_HEIGHT


def _words(pdf: FPDF, shot: SheetShot, width: float, room: float) -> Block:
    parts = [
        ("B", HEADING_SIZE, BODY_INK, f"{shot.number} — {shot.duration} s"),
        ("", BODY_SIZE, MUTED_INK, shot.framing),
        ("", BODY_SIZE, BODY_INK, shot.text),
    ]
    if shot.lettering:
        parts.append(("", BODY_SIZE, MUTED_INK, f"Lettering: {shot.lettering}"))
    for line in shot.dialogue:
        who = one_line(line.speaker).strip() or "Someone"
        if line.voice_over:
            who += " (V.O.)"
        said = f"{who}: {line.text}" + (f" ({line.delivery})" if line.delivery else "")
        parts.append(("", BODY_SIZE, BODY_INK, said))
    if shot.sound_notes:
        parts.append(("", BODY_SIZE, MUTED_INK, f"Sound: {shot.sound_notes}"))
    block: Block = []
    room_lines = max(1, int(room // LINE_HEIGHT))
    for style, size, colour, text in parts:
        if not text:
            continue
        lines = _wrap(pdf, style, size, text, width)
        used = sum(len(existing) for *_, existing in block)
        if used + len(lines) > room_lines:
            lines = lines[: max(0, room_lines - used)]
            if lines:
                lines[-1] = lines[-1].rstrip()[:-1] + ELLIPSIS
                block.append((style, size, colour, lines))
            break
        block.append((style, size, colour, lines))
    return block


def _wrap(pdf: FPDF, style: str, size: int, text: str, width: float) -> list[str]:
    """The text's lines at this width, broken between words, or between characters in scripts
    written without spaces (a line never ends inside a character: fpdf2 measures whole glyphs)."""
    pdf.set_font(FONT, style, size)
    mode = WrapMode.CHAR if _unspaced(text) else WrapMode.WORD
    lines: list[str] = []
    # A text's own line breaks (any str.splitlines knows) start paragraphs; other control
    # characters are spaces, not glyphs the font lacks.
    for paragraph in text.splitlines() or [""]:
        lines += pdf.multi_cell(
            width, LINE_HEIGHT, one_line(paragraph), dry_run=True, output="LINES", wrapmode=mode
        ) or [""]
    return lines


def _unspaced(text: str) -> bool:
    """Mostly Han, kana or Hangul: break anywhere, as those scripts are set."""
    cjk = sum(1 for char in text if ord(char) >= 0x2E80)
    return cjk * 2 >= len(text)


def _draw_words(pdf: FPDF, block: Block, x: float, y: float) -> None:
    for style, size, colour, lines in block:
        pdf.set_font(FONT, style, size)
        pdf.set_text_color(*colour)
        for line in lines:
            pdf.set_xy(x, y)
            pdf.cell(0, LINE_HEIGHT, line)
            y += LINE_HEIGHT


def _picture(pdf: FPDF, path: str | None, x: float, y: float, w: float, h: float) -> None:
    picture = _load(path)
    if picture is None:
        pdf.set_fill_color(*PLACEHOLDER_FILL)
        pdf.rect(x, y, w, h, style="F")
        pdf.set_draw_color(*PLACEHOLDER_INK)
        pdf.line(x, y, x + w, y + h)
        pdf.line(x, y + h, x + w, y)
        return
    pdf.set_fill_color(0, 0, 0)
    pdf.rect(x, y, w, h, style="F")
    pdf.image(picture, x=x, y=y, w=w, h=h, keep_aspect_ratio=True)


def _load(path: str | None) -> Image.Image | None:
    """The picture scaled down for the sheet, or None for a missing or unreadable file (a
    thumbnail lost from storage must not stop the sheet: it gets the placeholder)."""
    if not path:
        return None
    try:
        with Image.open(path) as opened:
            opened.draft("RGB", (MAX_PICTURE_PIXELS, MAX_PICTURE_PIXELS))
            picture = opened.convert("RGB")
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
    picture.thumbnail((MAX_PICTURE_PIXELS, MAX_PICTURE_PIXELS))
    return picture
