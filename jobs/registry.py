"""Which providers this installation offers, and their adapters built from the settings."""

from functools import cache

from django.conf import settings

from jobs.choices import Provider
from jobs.providers.base import RemoteProvider
from jobs.providers.kling import KlingConfig, KlingProvider

CALLBACK_PATHS = {Provider.KLING: "/api/providers/kling/callback/"}


def kling_configured() -> bool:
    return bool(settings.KLING_API_KEY or (settings.KLING_ACCESS_KEY and settings.KLING_SECRET_KEY))


def available_providers() -> list[str]:
    """The providers a user may pick here: the animatic always, Kling once it has credentials."""
    providers = [Provider.ANIMATIC.value]
    if kling_configured():
        providers.append(Provider.KLING.value)
    if settings.JOBS_INSTANT_PROVIDER:
        providers.append(Provider.INSTANT.value)
    return providers


@cache
def _kling(base_url: str, api_key: str, access_key: str, secret_key: str, timeout: float):
    # One adapter (one pooled HTTP client) per process and configuration.
    return KlingProvider(
        KlingConfig(
            base_url=base_url,
            api_key=api_key or None,
            access_key=access_key or None,
            secret_key=secret_key or None,
            read_timeout=timeout,
        )
    )


def remote_provider(name: str) -> RemoteProvider:
    if name != Provider.KLING:
        raise ValueError(f"{name} is not a remote provider")
    return _kling(
        settings.KLING_BASE_URL,
        settings.KLING_API_KEY,
        settings.KLING_ACCESS_KEY,
        settings.KLING_SECRET_KEY,
        settings.KLING_TIMEOUT_SECONDS,
    )


def callback_url(provider: str) -> str | None:
    """Where the provider should report status changes, when this server is reachable."""
    if not settings.PUBLIC_BASE_URL or provider not in CALLBACK_PATHS:
        return None
    return settings.PUBLIC_BASE_URL + CALLBACK_PATHS[provider]
