"""The blocked-term list as a ready `Screen`, built once per process and rebuilt when any
process changes the list.

A change to `BlockedTerm` writes a new stamp into the shared cache (signals.py, after commit);
each screening reads the stamp (one cache GET) and rebuilds only when it moved. Building
10,000 terms takes a few hundred milliseconds, so it must not happen per request.
"""

import threading
import uuid

from django.core.cache import cache

from moderation.models import BlockedTerm
from screening.screen import Screen, Term

STAMP_KEY = "moderation:blocked-terms:stamp"
STAMP_SECONDS = 7 * 24 * 3600

_lock = threading.Lock()
_built: tuple[str, Screen] | None = None


def bump_stamp() -> str:
    stamp = uuid.uuid4().hex
    cache.set(STAMP_KEY, stamp, STAMP_SECONDS)
    return stamp


def _terms() -> list[Term]:
    return [
        Term(text, category, severity, language)
        for text, category, severity, language in BlockedTerm.objects.values_list(
            "text", "category", "severity", "language"
        )
    ]


def current_screen() -> Screen:
    """The screen of the list as it is now."""
    global _built
    stamp = cache.get(STAMP_KEY)
    built = _built
    if stamp is not None and built is not None and built[0] == stamp:
        return built[1]
    with _lock:
        stamp = cache.get(STAMP_KEY) or bump_stamp()
        if _built is None or _built[0] != stamp:
            _built = (stamp, Screen(_terms()))
        return _built[1]
