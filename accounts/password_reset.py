"""Password reset links, throttled: each request sends an e-mail to whatever address is typed, so
without a limit the form could flood someone's inbox or spray every address from one machine.

Requests count per address typed (an account, or none: the limit and its answer are the same
either way, so the page never tells whether an address has an account) and per client address.
Over a limit the form answers 429 with how long to wait, and sends nothing.
"""

import hashlib

from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.views import PasswordResetView
from django.http import HttpResponse

from plumbing.attempts import AttemptLimit, address_key, wait_message

RESETS_PER_EMAIL = AttemptLimit("password-reset-email", attempts=5, window_seconds=3600)
RESETS_PER_ADDRESS = AttemptLimit("password-reset-address", attempts=20, window_seconds=3600)


def _email_key(email: str) -> str:
    # Hashed: an address may hold characters a cache key may not (and the cache is no list).
    return f"email:{hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]}"


def spend_reset(request, email: str) -> int:
    """Count a reset request: 0 if it may send its e-mail, else the seconds until one may.
    The client's address first: a refused request does not spend the e-mail's allowance."""
    return RESETS_PER_ADDRESS.spend(address_key(request)) or RESETS_PER_EMAIL.spend(
        _email_key(email)
    )


class ThrottledPasswordResetView(PasswordResetView):
    """Django's reset form, with the limits above."""

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        wait = spend_reset(self.request, form.cleaned_data["email"])
        if wait:
            form.add_error("email", wait_message(wait, "Too many password reset requests"))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)
