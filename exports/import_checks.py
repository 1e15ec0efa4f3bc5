"""Checks of an imported project document and of its zip, before anything is written. Pure.

`read_document(raw)` parses JSON text (refusing deep nesting before the parser sees it) and
checks every field against the storage limits, with the path of the field in each message;
`read_zip(data)` opens a zip, refusing zip bombs (declared and real sizes, compression ratio),
names that leave the archive and too many members. Both raise `ImportRefused(errors, status)`.
"""

import io
import json
import re
import zipfile
from dataclasses import dataclass

FORMAT = "storyboard-director.project"
VERSION = 1
MAX_IMPORT_BYTES = 60 * 1024 * 1024
MAX_DOCUMENT_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 12  # the document itself nests 7 deep (project → sequences → shots → dialogue)
MAX_SEQUENCES = 50
MAX_ZIP_MEMBERS = 2 * MAX_SEQUENCES + 1  # the document and two frames per sequence
MAX_MEMBER_BYTES = 10 * 1024 * 1024  # as media.MAX_IMAGE_BYTES
MAX_UNPACKED_BYTES = MAX_IMPORT_BYTES
MAX_RATIO = 100  # real images barely compress; text compresses ~10×
DOCUMENT_NAME = "project.json"
MEDIA_NAME = re.compile(r"^media/[A-Za-z0-9_-]{1,64}\.(jpg|png)$")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A JSON string, possessively; an unclosed one is consumed too (group `closed` empty) and kept:
# searched for from each of its escaped quotes, it would fail there again, reading the rest of
# the text each time (quadratic), where the first try already read it once.
_STRINGS = re.compile(r'"(?:\\.|[^"\\])*+(?P<closed>"?)')
_BRACKETS = re.compile(r"[\[\]{}]")


class ImportRefused(Exception):
    def __init__(self, errors: dict, status: int = 400) -> None:
        super().__init__(str(errors))
        self.errors = errors
        self.status = status


def refuse(message: str, status: int = 400, at: str = "file"):
    raise ImportRefused({at: [message]}, status)


def nesting_depth(text: str) -> int:
    depth = deepest = 0
    unquoted = _STRINGS.sub(lambda string: "" if string["closed"] else string.group(), text)
    for bracket in _BRACKETS.finditer(unquoted):
        depth += 1 if bracket.group() in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def parse(raw: bytes) -> object:
    if len(raw) > MAX_DOCUMENT_BYTES:
        refuse(f"The project document is over {MAX_DOCUMENT_BYTES // 2**20} MB.", 413)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        refuse("The file is not JSON (nor a zip made by the export): it is not UTF-8 text.", 415)
    if nesting_depth(text) > MAX_DEPTH:
        refuse(f"The JSON nests deeper than {MAX_DEPTH} levels; a project document does not.")
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as error:
        refuse(f"The file is not valid JSON: {error}.", 415)


@dataclass
class Unpacked:
    document: bytes
    media: dict[str, bytes]


def read_zip(data: bytes) -> Unpacked:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        refuse("The zip file is damaged.", 415)
    if len(members) > MAX_ZIP_MEMBERS:
        refuse(f"The zip holds {len(members)} files; an export holds at most {MAX_ZIP_MEMBERS}.")
    names = [m.filename for m in members]
    if DOCUMENT_NAME not in names or len(set(names)) != len(names):
        refuse(f"The zip must hold one {DOCUMENT_NAME} (as the export writes it).")
    declared = 0
    for member in members:
        if member.filename != DOCUMENT_NAME and not MEDIA_NAME.match(member.filename):
            refuse(f"The zip holds a file the export never writes: {member.filename[:80]!r}.")
        declared += member.file_size
        limit = MAX_DOCUMENT_BYTES if member.filename == DOCUMENT_NAME else MAX_MEMBER_BYTES
        if member.file_size > limit or declared > MAX_UNPACKED_BYTES:
            refuse(f"{member.filename} is too large once unpacked.", 413)
        if member.file_size > MAX_RATIO * max(member.compress_size, 1):
            refuse(f"{member.filename} is compressed suspiciously well (a zip bomb?).", 413)
    contents = {m.filename: _read_member(archive, m) for m in members}
    document = contents.pop(DOCUMENT_NAME)
    return Unpacked(document, contents)


def _read_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bytes:
    """The member's bytes, read no further than it declared: a lying header is refused."""
    try:
        with archive.open(member) as stream:
            content = stream.read(member.file_size + 1)
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError):
        refuse(f"{member.filename} in the zip is damaged or encrypted.", 415)
    if len(content) != member.file_size:
        refuse(f"{member.filename} is not the size its zip header declares.", 413)
    return content


class Checker:
    """Collects per-field messages; each check returns the value when it is acceptable."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def fail(self, at: str, message: str) -> None:
        self.errors.setdefault(at, []).append(message)

    def text(self, obj: dict, key: str, at: str, limit: int, blank: bool = True) -> str:
        value = obj.get(key, "")
        if not isinstance(value, str):
            self.fail(at, "Must be a string.")
        elif len(value) > limit:
            self.fail(at, f"At most {limit} characters; this has {len(value)}.")
        elif CONTROL.search(value):
            self.fail(at, "Remove the control characters from this text.")
        elif not blank and not value.strip():
            self.fail(at, "Must not be blank.")
        else:
            return value
        return ""

    def number(self, obj: dict, key: str, at: str, low: int, high: int, null=False):
        value = obj.get(key)
        if value is None and null:
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            self.fail(at, "Must be a whole number.")
        elif not low <= value <= high:
            self.fail(at, f"Must be between {low} and {high}.")
        else:
            return value
        return low

    def flag(self, obj: dict, key: str, at: str, default: bool = False) -> bool:
        value = obj.get(key, default)
        if not isinstance(value, bool):
            self.fail(at, "Must be true or false.")
            return False
        return value

    def choice(self, obj: dict, key: str, at: str, choices) -> str:
        value = obj.get(key)
        allowed = [str(c) for c in choices]
        if value not in allowed:
            self.fail(at, f"Unknown choice {str(value)[:40]!r}; one of: {', '.join(allowed)}.")
            return allowed[0]
        return value

    def items(self, obj: dict, key: str, at: str, limit: int) -> list[dict]:
        value = obj.get(key, [])
        if not isinstance(value, list):
            self.fail(at, "Must be a list.")
            return []
        if len(value) > limit:
            self.fail(at, f"At most {limit} items; this has {len(value)}.")
            return []
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                self.fail(f"{at}[{index}]", "Must be an object.")
                return []
        return value
