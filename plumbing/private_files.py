"""Private files (stored under `private/`, served at /media/private/): which database row a
stored name belongs to, and whether the user asking may read that row.

A file is served only when a registered finder recognises the exact stored name as a file of
one of its rows and the user may read that row. The decision rests on the row, never on the
shape of the path: `//`, `/./` or `..` variants of a real name equal no stored name and are
refused before any finder runs. Each app that stores private files registers its finder in
`AppConfig.ready()`; finders may use the name's segments to find the row quickly, but only the
row decides.
"""

import posixpath
from collections.abc import Callable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import Http404

User = AbstractBaseUser | AnonymousUser
# A finder answers False when the name is not a file of its rows. When it is, the finder checks
# the user may read the row (404 / 403 from the access functions, 404 when a moderator took the
# file down) and answers True.
Finder = Callable[[User, str], bool]

NOT_FOUND = "No such file."
_finders: list[Finder] = []


def register(finder: Finder) -> None:
    if finder not in _finders:
        _finders.append(finder)


def is_canonical(name: str) -> bool:
    """Whether `name` is written the one way files are stored: no empty, `.` or `..` segment, no
    leading or trailing slash, no backslash or control character."""
    return (
        bool(name)
        and posixpath.normpath(name) == name
        and not name.startswith(("/", "../"))
        and name != ".."
        and "\\" not in name
        and all(ord(c) >= 32 and c != "\x7f" for c in name)
    )


def authorize(user: User, name: str) -> None:
    """Return if `user` may read the stored file `name`; raise Http404 (or the access
    functions' PermissionDenied) otherwise."""
    if not is_canonical(name):
        raise Http404(NOT_FOUND)
    for finder in _finders:
        if finder(user, name):
            return
    raise Http404(NOT_FOUND)


def segments(name: str, prefix: tuple[str, ...], length: int) -> list[str] | None:
    """The name's segments when it has `length` of them starting with `prefix`, else None: a
    finder's quick way to the row it must then compare names with."""
    parts = name.split("/")
    if len(parts) != length or tuple(parts[: len(prefix)]) != prefix:
        return None
    return parts


def is_id(text: str) -> bool:
    return text.isascii() and text.isdigit() and len(text) <= 18
