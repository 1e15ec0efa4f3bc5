"""The faults a test can inject into the fake server, and its request counters.

Requests are sorted into kinds: `submit` (a video create), `query` (a video query or list),
`element` (an element create), `element_query` (an element query or list) and `result` (a
result download). Faults are
queued per kind and consumed by the next matching requests; all of it is thread-safe because the
server answers every connection on its own thread.
"""

import threading
import time
from collections import Counter, deque
from dataclasses import dataclass

from fake_kling.errors import ERROR_TABLE

KINDS = ("submit", "query", "element", "element_query", "result")
DEFAULT_HANG_SECONDS = 5.0


@dataclass(frozen=True)
class QueuedError:
    code: int
    message: str | None
    # Make the task first, then answer with the error: a 5xx or a lost answer after the vendor
    # did create the task, the case `external_task_id` de-duplication exists for.
    after_create: bool


@dataclass(frozen=True)
class Hang:
    kind: str | None  # None: any kind
    seconds: float
    # Handle the request (a create makes its task), then hang and close with no answer.
    process_first: bool


def check_kind(kind: str | None) -> None:
    if kind is not None and kind not in KINDS:
        raise ValueError(f"{kind!r} is not a request kind; use one of {', '.join(KINDS)}")


class Faults:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._errors: dict[str, deque[QueuedError]] = {kind: deque() for kind in KINDS}
        self._hangs: deque[Hang] = deque()
        self._down_until = 0.0
        self._down_closes = False
        self._task_failures: deque[str] = deque()
        self.results_missing = False

    def reset(self) -> None:
        with self._lock:
            for queue in self._errors.values():
                queue.clear()
            self._hangs.clear()
            self._down_until = 0.0
            self._down_closes = False
            self._task_failures.clear()
            self.results_missing = False

    def queue_errors(
        self, kind: str, code: int, count: int, message: str | None, after_create: bool
    ) -> None:
        check_kind(kind)
        if code not in ERROR_TABLE:
            raise ValueError(f"{code} is not an error code of the Kling contract")
        with self._lock:
            self._errors[kind].extend([QueuedError(code, message, after_create)] * count)

    def take_error(self, kind: str) -> QueuedError | None:
        with self._lock:
            queue = self._errors[kind]
            return queue.popleft() if queue else None

    def queue_hangs(
        self, count: int, seconds: float, kind: str | None, process_first: bool
    ) -> None:
        check_kind(kind)
        with self._lock:
            self._hangs.extend([Hang(kind, seconds, process_first)] * count)

    def take_hang(self, kind: str) -> Hang | None:
        with self._lock:
            for hang in self._hangs:
                if hang.kind in (None, kind):
                    self._hangs.remove(hang)
                    return hang
        return None

    def go_down(self, until: float, close_connection: bool) -> None:
        """Down until the wall-clock time `until`."""
        with self._lock:
            self._down_until = until
            self._down_closes = close_connection

    def come_back(self) -> None:
        with self._lock:
            self._down_until = 0.0

    def down(self) -> tuple[bool, bool]:
        """(whether the server is down now, whether it then closes the connection)."""
        with self._lock:
            return time.time() < self._down_until, self._down_closes

    def queue_task_failures(self, count: int, message: str) -> None:
        with self._lock:
            self._task_failures.extend([message] * count)

    def take_task_failure(self) -> str | None:
        with self._lock:
            return self._task_failures.popleft() if self._task_failures else None


class Stats:
    """Request and delivery counters, readable while the server runs."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()

    def count(self, name: str, amount: int = 1) -> None:
        with self._lock:
            self._counts[name] += amount

    def snapshot(self) -> dict:
        with self._lock:
            counts = dict(self._counts)
        return {
            "requests": {kind: counts.get(f"requests.{kind}", 0) for kind in KINDS},
            "tasks_created": counts.get("tasks_created", 0),
            "elements_created": counts.get("elements_created", 0),
            "errors_injected": counts.get("errors_injected", 0),
            "callbacks_sent": counts.get("callbacks_sent", 0),
            "callbacks_failed": counts.get("callbacks_failed", 0),
        }

    def reset(self) -> None:
        with self._lock:
            self._counts.clear()
