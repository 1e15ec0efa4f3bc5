"""What every Kling error means for us: retryable or final, a content refusal or not, and what to
tell the user (kling_api.md §9 and its "Retry only what is safe" decision). Pure, no Django.

`ERRORS` is the one table; `from_envelope`, `from_http_status` and `from_transport` turn what
came back (an error envelope, a bare HTTP status, an httpx exception) into a `ProviderError`.
`is_content_refusal` recognises a moderation refusal in a failed task's message.
"""

import re
from dataclasses import dataclass

import httpx

from jobs.providers.base import ProviderError

CREDENTIALS = (
    "Kling refused the server's credentials: the API key (or the access and secret keys) are "
    "wrong or revoked. Fix KLING_API_KEY or KLING_ACCESS_KEY/KLING_SECRET_KEY in the settings, "
    "then generate again."
)
TOKEN_CLOCK = (
    "Kling refused the server's signed token as {state}: check the server's clock and the "
    "KLING_ACCESS_KEY/KLING_SECRET_KEY settings, then generate again."
)
INVALID_REQUEST = (
    "Kling refused the request as invalid ({provider}). Change the storyboard and try again."
)
CONTENT_REFUSED = (
    "The provider rejected the prompt on content grounds. Change the prompt or images and try "
    "again."
)
PROVIDER_BUSY = "Kling is busy ({provider}); the job will retry on its own."
UNKNOWN = "Kling refused the request: {provider}."


@dataclass(frozen=True)
class ErrorRule:
    retryable: bool
    user_message: str  # may use {provider}: the provider's own message
    content_refusal: bool = False


ERRORS: dict[int, ErrorRule] = {
    1000: ErrorRule(False, CREDENTIALS),
    1001: ErrorRule(False, CREDENTIALS),
    1002: ErrorRule(False, CREDENTIALS),
    1003: ErrorRule(False, TOKEN_CLOCK.format(state="not yet valid")),
    1004: ErrorRule(False, TOKEN_CLOCK.format(state="expired")),
    1100: ErrorRule(
        False,
        "The Kling account is suspended or abnormal: check it in the Kling console, then "
        "generate again.",
    ),
    1101: ErrorRule(
        False,
        "The Kling account is in arrears: settle the balance in the Kling console, then "
        "generate again.",
    ),
    1102: ErrorRule(
        False,
        "The Kling account has no video resource pack left: top it up in the Kling console, "
        "then generate again.",
    ),
    1103: ErrorRule(
        False,
        "This Kling account may not use this model or API: enable it in the Kling console or "
        "choose another model.",
    ),
    1200: ErrorRule(False, INVALID_REQUEST),
    1201: ErrorRule(False, INVALID_REQUEST),
    1202: ErrorRule(
        False,
        "Kling does not offer this endpoint ({provider}); this server's Kling adapter needs an "
        "update.",
    ),
    1203: ErrorRule(
        False,
        "Kling does not know this model or task ({provider}); choose another model or "
        "generate again.",
    ),
    1300: ErrorRule(False, CONTENT_REFUSED, content_refusal=True),
    1301: ErrorRule(False, CONTENT_REFUSED, content_refusal=True),
    1302: ErrorRule(True, "Kling is rate limiting this account; the job will retry on its own."),
    1303: ErrorRule(
        True,
        "The Kling account runs as many tasks as its pack allows; the job will start when one "
        "finishes.",
    ),
    1304: ErrorRule(
        False,
        "Kling refused this server's IP address: add it to the account's IP whitelist in the "
        "Kling console, then generate again.",
    ),
    5000: ErrorRule(True, PROVIDER_BUSY),
    5001: ErrorRule(True, PROVIDER_BUSY),
    5002: ErrorRule(True, PROVIDER_BUSY),
}

# Words of a failed task's message that mean moderation (English and the Chinese of the CN
# docs): "risk control", "content security/policy/review...", "sensitive", "violat(es|ion)"...
CONTENT_REFUSAL = re.compile(
    r"risk[ _-]?control|moderat|censor|sensitive|inappropriate|prohibited|nsfw|violat|"
    r"\bcontent\b.{0,40}\b(safety|security|policy|review|audit|reject|refus|illegal|block)|"
    r"(safety|security|policy|review|audit)\b.{0,40}\bcontent\b|"
    r"风控|审核|敏感|违规|违法|不合规",
    re.IGNORECASE,
)


def is_content_refusal(message: str | None) -> bool:
    """Whether a provider message (a failed task's `task_status_msg`) speaks of content
    moderation or risk control."""
    return bool(message) and CONTENT_REFUSAL.search(message) is not None


def from_envelope(code: int, message: str, http_status: int | None = None) -> ProviderError:
    """The error of a Kling envelope with a non-zero `code`."""
    rule = ERRORS.get(code)
    if rule is None:
        # An unknown code: final, the provider's words are the best explanation there is;
        # unless the HTTP status says it was the server's fault.
        if http_status is not None and http_status >= 500:
            return from_http_status(http_status, message, code=str(code))
        return ProviderError(
            code=str(code),
            user_message=UNKNOWN.format(provider=message or f"code {code}"),
            provider_message=message,
            content_refusal=is_content_refusal(message),
        )
    return ProviderError(
        code=str(code),
        user_message=rule.user_message.format(provider=message or f"code {code}"),
        retryable=rule.retryable,
        content_refusal=rule.content_refusal,
        provider_message=message,
    )


def from_http_status(status: int, text: str = "", code: str | None = None) -> ProviderError:
    """An HTTP error that came without a Kling envelope (a proxy, a gateway, a CDN)."""
    code = code or f"http_{status}"
    text = text[:200]
    if status >= 500 or status in (408, 429):
        return ProviderError(
            code, PROVIDER_BUSY.format(provider=f"HTTP {status}"), True, provider_message=text
        )
    if status in (401, 403):
        return ProviderError(code, CREDENTIALS, False, provider_message=text)
    return ProviderError(
        code, UNKNOWN.format(provider=f"HTTP {status}"), False, provider_message=text
    )


def from_transport(error: httpx.HTTPError) -> ProviderError:
    """A call that got no answer: retryable, the request may be repeated with the same
    external task id (the provider de-duplicates on it)."""
    if isinstance(error, httpx.TimeoutException):
        return ProviderError(
            "timeout",
            "Kling did not answer in time; the job will retry on its own.",
            retryable=True,
            provider_message=str(error) or type(error).__name__,
        )
    return ProviderError(
        "connection_error",
        "Kling could not be reached; the job will retry on its own.",
        retryable=True,
        provider_message=str(error) or type(error).__name__,
    )
