"""The app of config.asgi, plus a record of Python's full (generation 2) garbage collections.

For `timeline_latency.py --profile` only: served as `bench.gc_probe:application`, it appends
the duration of each generation-2 collection, in ms, to the file named by BENCH_GC_LOG. With
BENCH_GC_FREEZE=1 it first moves every object alive after start-up (Django, DRF, the URL
map) out of the collector's reach with gc.freeze(), the fix this experiment measures.
"""

import gc
import os
import time

from django.urls import get_resolver

from config.asgi import application

__all__ = ["application"]

LOG_PATH = os.environ["BENCH_GC_LOG"]
_started: list[float] = []

if os.environ.get("BENCH_GC_FREEZE") == "1":
    get_resolver().url_patterns  # noqa: B018 - import every view module before freezing
    gc.collect()
    gc.freeze()


def _record(phase: str, info: dict) -> None:
    if info["generation"] != 2:
        return
    if phase == "start":
        _started[:] = [time.perf_counter()]
    elif _started:
        with open(LOG_PATH, "a") as log:
            log.write(f"{(time.perf_counter() - _started[0]) * 1000:.1f}\n")


gc.callbacks.append(_record)
