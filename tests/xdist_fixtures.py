"""One of everything a test process holds for itself, per pytest-xdist worker.

Loaded as a pytest plugin from tests/conftest.py. Under `pytest -n N` each worker (gw0, gw1, …)
runs its share of the suite at the same time as the others, so whatever one process used alone
in a serial run is made per worker here, before any test runs:

- the database: pytest-django already names each worker's test database with its suffix
  (test_storyboard_gw0, var/test-db.sqlite3_gw0); the Celery workers a test starts are given
  that database (tests/worker_fixtures.py);
- Redis: the worker's own database number, REDIS_URL's plus the worker's number (base 8: gw0 on
  8, gw1 on 9, …), so two suites run from different base numbers never share one. Redis
  carries the cache, the Celery broker (its queues, unacknowledged messages and control
  channels) and the live state (sequence numbers, presence, socket slots);
- the channel layer's prefix, since Redis pub/sub ignores the database number;
- the media directory used by tests that do not make one of their own (`media_root`).

Ports need nothing: the live server, the fake Kling server and the callback catchers all bind
port 0. The values are put in the environment too, for the processes tests start.

A serial run (no xdist) keeps the settings as they are.
"""

import os
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.test.utils import override_settings

REDIS_DATABASES = 16  # Redis's default `databases`


def xdist_worker(config: pytest.Config) -> str | None:
    """This process's xdist worker id (gw0, gw1, …), or None outside xdist."""
    workerinput = getattr(config, "workerinput", None)
    return workerinput["workerid"] if workerinput else None


def redis_db(url: str) -> int:
    return int(urlparse(url).path.strip("/") or 0)


def with_redis_db(url: str, offset: int) -> str:
    """`url` on the database `offset` after its own."""
    parsed = urlparse(url)
    db = redis_db(url) + offset
    if db >= REDIS_DATABASES:
        raise pytest.UsageError(
            f"{url} plus xdist worker {offset} is Redis database {db}, beyond the last "
            f"({REDIS_DATABASES - 1}): use fewer workers or a lower database in TEST_REDIS_URL"
        )
    return parsed._replace(path=f"/{db}").geturl()


def worker_settings(worker: str) -> dict:
    """The settings that must differ between xdist workers, worker `worker`'s values."""
    number = int(worker.removeprefix("gw"))
    values: dict = {"MEDIA_ROOT": Path(f"{settings.MEDIA_ROOT}-{worker}")}
    base_url = settings.REDIS_URL
    if not base_url:  # in-memory layer, cache and broker: nothing is shared between processes
        return values
    url = with_redis_db(base_url, number)
    values["REDIS_URL"] = url
    # As config/settings.py derives it; a prefix set in the environment gets the worker's id.
    prefix = os.environ.get("CHANNEL_PREFIX")
    values["CHANNEL_PREFIX"] = f"{prefix}{worker}:" if prefix else f"sb{redis_db(url)}:"
    layer = dict(settings.CHANNEL_LAYERS["default"])
    if "CONFIG" in layer:
        config = {**layer["CONFIG"], "prefix": values["CHANNEL_PREFIX"]}
        config["hosts"] = [url if host == base_url else host for host in config["hosts"]]
        layer["CONFIG"] = config
    values["CHANNEL_LAYERS"] = {**settings.CHANNEL_LAYERS, "default": layer}
    cache = dict(settings.CACHES["default"])
    if cache.get("LOCATION") == base_url:
        cache["LOCATION"] = url
    values["CACHES"] = {**settings.CACHES, "default": cache}
    broker = settings.CELERY_BROKER_URL
    if broker == base_url:
        values["CELERY_BROKER_URL"] = url
    elif broker.startswith(("redis://", "rediss://")):
        values["CELERY_BROKER_URL"] = with_redis_db(broker, number)
    return values


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    worker = xdist_worker(config)
    if worker is None:
        return
    from config.celery import app

    # Celery copies the broker's URL from the settings when it is first configured.
    assert not app.configured, "Celery was configured before the xdist worker's settings"
    values = worker_settings(worker)
    values["MEDIA_ROOT"].mkdir(parents=True, exist_ok=True)
    # For the whole session: pytest-django's `settings` fixture overrides on top of these.
    override_settings(**values).enable()
    for name in ("REDIS_URL", "CHANNEL_PREFIX", "CELERY_BROKER_URL", "MEDIA_ROOT"):
        if name in values:
            os.environ[name] = str(values[name])
