"""Secret links (invitations, review links) guarded against guessing, for the pages and the API
alike.

Tokens are 256 bits, so guessing cannot work; this keeps anyone from trying. Only lookups of
tokens that open nothing count, and a caller over a limit is refused before the lookup (so the
refusal never tells a real token from a guess). The failures count under three keys:

- the address and the token's first characters: a guesser (or a page reloading one broken link)
  is stopped without stopping the people behind the same address who hold a real link, whose
  tokens begin otherwise;
- the account, when logged in: the same guesser from another address;
- the address alone, with a larger budget: a guesser spreading over every prefix.
"""

from dataclasses import dataclass

from django.http import HttpRequest

from plumbing.attempts import AttemptLimit, address_key

TOKEN_PREFIX_CHARS = 6


@dataclass(frozen=True)
class TokenGuard:
    narrow: AttemptLimit  # per (address, token prefix) and per account
    wide: AttemptLimit  # per address

    def _narrow_keys(self, request: HttpRequest, token: str) -> tuple[str, ...]:
        # The converter's alphabet (A-Z, a-z, 0-9, _ and -) is safe in a cache key as it is.
        keys = [f"{address_key(request)}:token:{token[:TOKEN_PREFIX_CHARS]}"]
        if request.user.is_authenticated:
            keys.append(f"user:{request.user.pk}")
        return tuple(keys)

    def wait(self, request: HttpRequest, token: str) -> int:
        """0 if the request may look `token` up, else the seconds until it may."""
        return max(
            self.narrow.wait(*self._narrow_keys(request, token)),
            self.wide.wait(address_key(request)),
        )

    def count_unknown(self, request: HttpRequest, token: str) -> None:
        """Count a lookup of `token` that found nothing."""
        self.narrow.record(*self._narrow_keys(request, token))
        self.wide.record(address_key(request))


INVITATION_GUESSES = TokenGuard(
    narrow=AttemptLimit("invitation-guess", attempts=20, window_seconds=600),
    wide=AttemptLimit("invitation-guess-address", attempts=100, window_seconds=600),
)
REVIEW_LINK_GUESSES = TokenGuard(
    narrow=AttemptLimit("review-link-guess", attempts=30, window_seconds=600),
    wide=AttemptLimit("review-link-guess-address", attempts=150, window_seconds=600),
)
