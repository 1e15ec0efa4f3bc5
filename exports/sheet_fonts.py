"""The fonts of the PDF sheet: Noto Sans CJK, cut down to the characters used and made TrueType.

Noto Sans CJK ships as CFF (PostScript) outlines in a collection. fpdf2 embeds such a font with
an encoding CMap of its own, which PDF viewers draw but text extractors (pdfminer, search,
copy and paste in some readers) cannot decode. So we subset the face to the characters of the
document, convert the few hundred glyphs to TrueType quadratic outlines (cu2qu), and embed that:
fpdf2 then writes the standard Identity-H encoding with a ToUnicode map. Pure: no Django.
"""

import io
from functools import lru_cache
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

# Tried in order: the CJK face covers Latin, Han, kana and Hangul; DejaVu is the fallback where
# the CJK fonts are not installed (Latin still renders).
REGULAR_FONTS = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
)
BOLD_FONTS = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
)
# Face 0 of the collection is the Japanese-preferred "Noto Sans CJK JP": every Han, kana and
# Hangul character is in each face; only preferred glyph shapes differ.
COLLECTION_FACE = 0
# The largest error, in font units (of 1000 per em), of the quadratic approximation of a curve.
CURVE_TOLERANCE = 1.0
# Characters always kept, whatever the document says: page numbers and the sheet's own words.
ALWAYS = "".join(chr(c) for c in range(0x20, 0x7F)) + "·…—–“”‘’"
MAX_CACHED_FONTS = 8


def font_bytes(bold: bool, characters: str) -> tuple[bytes, str]:
    """A TrueType font (its bytes and file extension) holding `characters` (and `ALWAYS`)."""
    for path in BOLD_FONTS if bold else REGULAR_FONTS:
        if path.is_file():
            if path.suffix == ".ttf":
                return path.read_bytes(), ".ttf"
            wanted = "".join(sorted(set(characters) | set(ALWAYS)))
            return _subset_as_truetype(str(path), wanted), ".ttf"
    raise FileNotFoundError("No font for the PDF sheet is installed (Noto Sans CJK or DejaVu).")


@lru_cache(maxsize=MAX_CACHED_FONTS)
def _subset_as_truetype(path: str, characters: str) -> bytes:
    options = subset.Options()
    options.desubroutinize = True
    options.notdef_outline = True
    options.hinting = False
    options.layout_features = []  # no shaping tables: fpdf2 draws one glyph per character
    options.name_IDs = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    out = io.BytesIO()
    # Closed here: a lazy font reads its file until saved, and a font left to the garbage
    # collector keeps the file open until it runs (then warns of an unclosed file).
    with TTFont(path, fontNumber=COLLECTION_FACE, lazy=True) as font:
        subsetter.subset(font)
        if "CFF " in font:
            _cff_to_glyf(font)
        font.save(out)
    return out.getvalue()


def _cff_to_glyf(font: TTFont) -> None:
    """Replace the CFF outlines with TrueType ones (after fontTools' otf2ttf snippet)."""
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, CURVE_TOLERANCE, reverse_direction=True))
        glyphs[name] = pen.glyph()
    for tag in ("CFF ", "VORG", "vhea", "vmtx"):
        if tag in font:
            del font[tag]
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    metrics = font["hmtx"]
    for name in order:
        glyph = glyphs[name]
        glyph.recalcBounds(glyf)
        advance, _ = metrics[name]
        metrics[name] = (advance, glyph.xMin if glyph.numberOfContours else 0)
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in [
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
        "maxPoints",
        "maxContours",
        "maxCompositePoints",
        "maxCompositeContours",
        "maxComponentDepth",
    ]:
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    font["post"].formatType = 3.0  # no glyph names: CID-keyed glyphs have none worth keeping
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"
