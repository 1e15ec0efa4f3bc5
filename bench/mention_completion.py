"""Mention completion over 1,000 elements in 10 libraries: latency through the ASGI server.

A project has 10 attached libraries of 100 elements each (handles in several scripts); the
editor asks GET /api/projects/{id}/mentions/?q=… as the user types. Goal: p99 under 20 ms.
"""

import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    BenchProject,
    Figure,
    api_client,
    arguments,
    make_project,
    median,
    percentile,
    report,
    setup_django,
    uvicorn_server,
)

TITLE = "Bench: mention completion"
LIBRARIES = 10
ELEMENTS_PER_LIBRARY = 100
REQUESTS = 300
WARMUP = 20
GOAL_P99_MS = 20.0
# What a user types after "@": prefixes, words inside handles, fuzzy runs, other scripts.
QUERIES = ["", "ma", "Mara", "lead", "mld", "老", "김", "Jap", "boy 4", "zzz", "kling", "ci"]
STEMS = ["Mara", "Male lead", "老周", "김 선생", "Japanese boy", "kling lipstick", "Cielo", "Tomás"]


def attach_libraries(project: BenchProject) -> None:
    from django.contrib.auth.models import User

    from elements_app import actions
    from elements_app.models import Element, ElementLibrary
    from storyboard_app.models import Project

    owner = User.objects.get(username=project.username)
    ElementLibrary.objects.filter(owner=owner, name__startswith="Bench library").delete()
    target = Project.objects.get(pk=project.project_id)
    for n in range(LIBRARIES):
        library = actions.create_library(owner, f"Bench library {n}")
        actions.attach_library(target, library, owner)
        Element.objects.bulk_create(
            Element(library=library, handle=f"{STEMS[i % len(STEMS)]} {n}-{i}", kind="character")
            for i in range(ELEMENTS_PER_LIBRARY)
        )


def measure(base_url: str, project: BenchProject) -> list[float]:
    path = f"/api/projects/{project.project_id}/mentions/"
    timings = []
    with api_client(base_url, project.token) as client:
        for i in range(WARMUP + REQUESTS):
            started = time.perf_counter()
            response = client.get(path, params={"q": QUERIES[i % len(QUERIES)]})
            elapsed = (time.perf_counter() - started) * 1000
            response.raise_for_status()
            if i >= WARMUP:
                timings.append(elapsed)
    return timings


def main() -> None:
    args = arguments(__doc__.splitlines()[0])
    setup_django()
    project = make_project(TITLE, sequences=1, shots=1, lines=0)
    attach_libraries(project)
    with uvicorn_server() as base_url:
        timings = measure(base_url, project)
    p99 = percentile(timings, 99)
    figures = [
        Figure("elements the project may use", LIBRARIES * ELEMENTS_PER_LIBRARY),
        Figure("mention completion median", median(timings), "ms"),
        Figure("mention completion p99", p99, "ms", f"< {GOAL_P99_MS:.0f} ms", p99 < GOAL_P99_MS),
    ]
    report(f"Mention completion ({REQUESTS} requests)", figures, args.json)


if __name__ == "__main__":
    main()
