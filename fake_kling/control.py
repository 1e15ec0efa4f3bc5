"""The control endpoint, for tests and benchmarks that run the fake server in another process.

`POST /_control` with `{"action": <name>, ...arguments}` calls the `FakeKling` method of that
name with those keyword arguments (the same names and meanings as in Python), e.g.
`{"action": "fail_next_submits", "code": 5000, "count": 2}`. `GET /_control/stats` returns the
counters, `GET /_control/tasks` when each video task was made and ends (read-only, for the
benchmarks). No authentication: the server only listens on the loopback interface.
"""

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fake_kling.server import FakeKling

PATH = "/_control"
STATS_PATH = "/_control/stats"
TASKS_PATH = "/_control/tasks"
# The FakeKling methods reachable from outside; anything else is refused.
ACTIONS = frozenset(
    {
        "fail_next_submits",
        "fail_next_queries",
        "fail_next_requests",
        "hang_next_requests",
        "go_down",
        "come_back",
        "fail_next_tasks",
        "fail_task",
        "set_results_missing",
        "set_processing_seconds",
        "set_element_seconds",
        "reset",
    }
)


def handle(app: "FakeKling", method: str, path: str, raw: bytes) -> tuple[int, dict]:
    """(HTTP status, JSON answer) of a control request."""
    if method == "GET" and path == STATS_PATH:
        return 200, app.stats()
    if method == "GET" and path == TASKS_PATH:
        return 200, {"tasks": app.store.video_timings()}
    if method != "POST" or path != PATH:
        return 404, {"ok": False, "error": f"{method} {path} is not a control endpoint"}
    try:
        command = json.loads(raw or b"{}")
    except (UnicodeDecodeError, json.JSONDecodeError):
        return 400, {"ok": False, "error": "the body is not JSON"}
    if not isinstance(command, dict) or command.get("action") not in ACTIONS:
        known = ", ".join(sorted(ACTIONS))
        return 400, {"ok": False, "error": f"action must be one of {known}"}
    action = command.pop("action")
    try:
        result = getattr(app, action)(**command)
    except (TypeError, ValueError) as error:
        return 400, {"ok": False, "error": f"{action}: {error}"}
    return 200, {"ok": True, "result": result, "stats": app.stats()}
