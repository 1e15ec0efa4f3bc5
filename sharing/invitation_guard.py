"""Invitation links guarded against guessing, for the landing page and the API's accept alike.

Tokens are 256 bits, so guessing cannot work; this keeps anyone from trying. Only lookups of
tokens that open nothing count, and a caller over a limit is refused before the lookup (so the
refusal never tells a real token from a guess). The failures count under three keys:

- the address and the token's first characters: a guesser (or a page reloading one broken link)
  is stopped without stopping the people behind the same address who hold a real link, whose
  tokens begin otherwise;
- the account, when logged in: the same guesser from another address;
- the address alone, with a larger budget: a guesser spreading over every prefix.
"""

from django.http import HttpRequest

from storyboard_app.attempts import AttemptLimit, address_key

TOKEN_PREFIX_CHARS = 6
# Per (address, token prefix) and per account.
INVITATION_GUESSES = AttemptLimit("invitation-guess", attempts=20, window_seconds=600)
INVITATION_GUESSES_PER_ADDRESS = AttemptLimit(
    "invitation-guess-address", attempts=100, window_seconds=600
)


def _narrow_keys(request: HttpRequest, token: str) -> tuple[str, ...]:
    # The converter's alphabet (A-Z, a-z, 0-9, _ and -) is safe in a cache key as it is.
    keys = [f"{address_key(request)}:token:{token[:TOKEN_PREFIX_CHARS]}"]
    if request.user.is_authenticated:
        keys.append(f"user:{request.user.pk}")
    return tuple(keys)


def guess_wait(request: HttpRequest, token: str) -> int:
    """0 if the request may look `token` up, else the seconds until it may."""
    return max(
        INVITATION_GUESSES.wait(*_narrow_keys(request, token)),
        INVITATION_GUESSES_PER_ADDRESS.wait(address_key(request)),
    )


def count_unknown_token(request: HttpRequest, token: str) -> None:
    """Count a lookup of `token` that found no invitation."""
    INVITATION_GUESSES.record(*_narrow_keys(request, token))
    INVITATION_GUESSES_PER_ADDRESS.record(address_key(request))
