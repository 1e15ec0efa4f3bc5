"""The fake server's check of the `Authorization` header: the API key, or the access-key JWT
(HS256 signed with the secret key, `iss` = access key, `nbf`/`exp` enforced), kling_api.md §2."""

import jwt

from fake_kling.errors import KlingError

BEARER = "Bearer "


def check_authorization(
    header: str | None, *, api_key: str | None, access_key: str | None, secret_key: str | None
) -> None:
    """Raise the contract's 1001–1004 error unless `header` carries valid credentials."""
    if not header or not header.startswith(BEARER) or not header[len(BEARER) :].strip():
        raise KlingError(1001)
    token = header[len(BEARER) :].strip()
    if api_key and token == api_key:
        return
    if not (access_key and secret_key):
        raise KlingError(1002, "Authorization is invalid: unknown API key")
    try:
        # No leeway: the client's own `nbf = now - 5` is the skew allowance of the contract.
        claims = jwt.decode(
            token,
            secret_key,
            algorithms=["HS256"],
            options={"require": ["iss", "exp"]},
        )
    except jwt.ImmatureSignatureError as error:
        raise KlingError(1003) from error
    except jwt.ExpiredSignatureError as error:
        raise KlingError(1004) from error
    except jwt.PyJWTError as error:
        raise KlingError(1002, f"Authorization is invalid: {error}") from error
    if claims.get("iss") != access_key:
        raise KlingError(1002, "Authorization is invalid: unknown access key")
