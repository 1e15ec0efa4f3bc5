"""Who is talking, both ways, with Kling (kling_api.md §2 and §7). Pure, no Django.

- `Credentials`: the `Authorization` header we send: the API key, or a JWT (HS256 signed with
  the secret key, `iss` = access key, `exp` = now + 30 min, `nbf` = now - 5 s) made once and
  reused until shortly before it expires.
- `verify_callback`: check the Standard Webhooks signature of a callback Kling sent us, and
  parse its flat legacy payload.
"""

import json
import threading
import time
from collections.abc import Callable, Mapping

import jwt
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

TOKEN_LIFETIME_SECONDS = 1800
# Clock-skew allowance of the contract: the token is valid from 5 s before it was made.
NOT_BEFORE_SKEW_SECONDS = 5
# Renew a token this long before it expires, so no request goes out with one about to lapse.
RENEW_MARGIN_SECONDS = 300


class Credentials:
    """The `Authorization` header value for Kling; thread-safe."""

    def __init__(
        self,
        *,
        api_key: str | None = None,
        access_key: str | None = None,
        secret_key: str | None = None,
        lifetime: int = TOKEN_LIFETIME_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not api_key and not (access_key and secret_key):
            raise ValueError("Kling needs an API key, or an access key with its secret key")
        self._api_key = api_key
        self._access_key = access_key
        self._secret_key = secret_key
        self._lifetime = lifetime
        self._clock = clock
        self._lock = threading.Lock()
        self._token = ""
        self._expires = 0.0

    def header(self) -> str:
        if self._api_key:
            return f"Bearer {self._api_key}"
        with self._lock:
            now = self._clock()
            if now >= self._expires - min(RENEW_MARGIN_SECONDS, self._lifetime / 2):
                self._token, self._expires = self._sign(int(now))
            return f"Bearer {self._token}"

    def _sign(self, now: int) -> tuple[str, float]:
        expires = now + self._lifetime
        claims = {"iss": self._access_key, "exp": expires, "nbf": now - NOT_BEFORE_SKEW_SECONDS}
        token = jwt.encode(claims, self._secret_key, algorithm="HS256", headers={"typ": "JWT"})
        return token, float(expires)


class CallbackRejected(Exception):
    """A callback that is not provably from Kling (bad, missing or stale signature) or is not
    a legacy task payload. Answer it with 400/401 and ignore it."""


def verify_callback(secret: str | None, headers: Mapping[str, str], body: bytes | str) -> dict:
    """The payload of a Kling callback: `task_id`, `task_status`, `task_info` ... (flat legacy
    form). With a webhook `secret` (whsec_...), the Standard Webhooks headers must sign `body`
    within 5 minutes of now; without one, the body is only parsed."""
    text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else body
    if secret:
        try:
            # The library raises on a missing header, a bad or stale timestamp, no matching
            # signature; a malformed signature header surfaces as ValueError or a base64 error.
            Webhook(secret).verify(text, dict(headers), json_parse=False)
        except WebhookVerificationError as error:
            raise CallbackRejected(f"Kling callback signature rejected: {error}") from error
        except (ValueError, TypeError) as error:
            raise CallbackRejected(f"Kling callback signature malformed: {error}") from error
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as error:
        raise CallbackRejected("Kling callback body is not JSON") from error
    if not isinstance(payload, dict) or not isinstance(payload.get("task_id"), str):
        raise CallbackRejected("Kling callback body has no task_id")
    if not isinstance(payload.get("task_status"), str):
        raise CallbackRejected("Kling callback body has no task_status")
    return payload
