"""`FakeKling`: the fake server as an object a test starts, steers and stops.

    with FakeKling(api_key="k", processing_seconds=(0.2, 0.4)) as server:
        base_url = server.base_url          # http://127.0.0.1:<port>
        server.fail_next_submits(5000)      # the next video create answers 500, code 5000

Every fault method here is also reachable through `POST /_control` (see control.py) with the
same arguments, for a server running in another process (`python -m fake_kling`).
"""

import random
import threading
import time

from fake_kling.callbacks import DEFAULT_CALLBACK_TIMEOUT, CallbackScheduler
from fake_kling.errors import MODERATION_MESSAGE
from fake_kling.faults import DEFAULT_HANG_SECONDS, Faults, Stats
from fake_kling.handler import KlingHTTPServer
from fake_kling.tasks import TaskStore

DEFAULT_PROCESSING_SECONDS = (0.3, 0.6)
DEFAULT_ELEMENT_SECONDS = 1.0
# The share of a task's time spent `submitted` before it turns `processing`, with a ceiling so
# long tasks do not queue for ages.
QUEUED_SHARE = 0.2
MAX_QUEUED_SECONDS = 2.0
SERVE_POLL_SECONDS = 0.02  # how quickly stop() is noticed by the accept loop

Seconds = float | tuple[float, float] | list[float]


def _span(seconds: Seconds) -> tuple[float, float]:
    """(low, high) of a fixed time or a range."""
    if isinstance(seconds, int | float):
        low = high = float(seconds)
    else:
        low, high = (float(value) for value in seconds)
    if low < 0 or high < low:
        raise ValueError(f"{seconds!r} is not a time or a (min, max) range of seconds")
    return low, high


class FakeKling:
    def __init__(
        self,
        *,
        api_key: str | None = "test-api-key",
        access_key: str | None = "test-access-key",
        secret_key: str | None = "test-secret-key",
        webhook_secret: str | None = None,
        processing_seconds: Seconds = DEFAULT_PROCESSING_SECONDS,
        element_seconds: float = DEFAULT_ELEMENT_SECONDS,
        host: str = "127.0.0.1",
        port: int = 0,
        callback_timeout: float = DEFAULT_CALLBACK_TIMEOUT,
        seed: int | None = None,
    ) -> None:
        self.api_key, self.access_key, self.secret_key = api_key, access_key, secret_key
        self.webhook_secret = webhook_secret
        self.host, self.port = host, port
        self._initial_processing = _span(processing_seconds)
        self._initial_element = _span(element_seconds)
        self._processing = self._initial_processing
        self._element = self._initial_element
        self._random = random.Random(seed)
        self.clock = time.time
        self.store = TaskStore(self.clock)
        self.faults = Faults()
        self.counters = Stats()
        self.callbacks = CallbackScheduler(
            self.store, self.counters, webhook_secret=webhook_secret, timeout=callback_timeout
        )
        # Set to let hanging requests go (on stop and reset).
        self.released = threading.Event()
        self._httpd: KlingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.base_url = ""

    # -- life cycle ------------------------------------------------------------------------

    def start(self) -> str:
        """Listen and serve in a background thread; the base URL."""
        if self._httpd is not None:
            raise RuntimeError("the fake Kling server is already started")
        self._httpd = KlingHTTPServer((self.host, self.port), self)
        self.base_url = f"http://{self.host}:{self._httpd.server_port}"
        self.callbacks.start(self.base_url)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": SERVE_POLL_SECONDS},
            name="fake-kling-http",
            daemon=True,
        )
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        if self._httpd is None:
            return
        self.released.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()
        self.callbacks.stop()
        self._httpd = None

    def __enter__(self) -> "FakeKling":
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- timing used by the endpoints -------------------------------------------------------

    def video_timing(self) -> tuple[float, float]:
        """(seconds submitted, seconds until done) for a new video task."""
        return self._timing(self._processing)

    def element_timing(self) -> tuple[float, float]:
        return self._timing(self._element)

    def _timing(self, span: tuple[float, float]) -> tuple[float, float]:
        total = self._random.uniform(*span)
        return min(total * QUEUED_SHARE, MAX_QUEUED_SECONDS), total

    # -- faults (also reachable through POST /_control) -------------------------------------

    def fail_next_requests(
        self,
        kind: str,
        code: int,
        count: int = 1,
        message: str | None = None,
        after_create: bool = False,
    ) -> None:
        """The next `count` requests of `kind` (see faults.KINDS) answer error
        `code`; with `after_create` a create makes its task first and still answers the error."""
        self.faults.queue_errors(kind, code, count, message, after_create)

    def fail_next_submits(
        self, code: int, count: int = 1, message: str | None = None, after_create: bool = False
    ) -> None:
        """The next `count` video creates answer error `code` (see `fail_next_requests`)."""
        self.faults.queue_errors("submit", code, count, message, after_create)

    def fail_next_queries(self, code: int, count: int = 1, message: str | None = None) -> None:
        """The next `count` video queries or lists answer error `code`."""
        self.faults.queue_errors("query", code, count, message, False)

    def hang_next_requests(
        self,
        count: int = 1,
        seconds: float = DEFAULT_HANG_SECONDS,
        kind: str | None = None,
        process_first: bool = False,
    ) -> None:
        """The next `count` requests (of `kind`, or any) get no answer for `seconds`, then the
        connection closes. With `process_first` the request is handled first (a create makes
        its task), so only the answer is lost."""
        self.faults.queue_hangs(count, seconds, kind, process_first)

    def go_down(
        self,
        seconds: float | None = None,
        until: float | None = None,
        close_connection: bool = False,
    ) -> None:
        """For `seconds` (or until the Unix time `until`), every API request answers 503 code
        5001 (maintenance), or with `close_connection` the connection closes with no answer."""
        if (seconds is None) == (until is None):
            raise ValueError("give either seconds or until")
        self.faults.go_down(
            until if until is not None else self.clock() + seconds, close_connection
        )

    def come_back(self) -> None:
        self.faults.come_back()

    def fail_next_tasks(self, count: int = 1, message: str = MODERATION_MESSAGE) -> None:
        """The next `count` video tasks are accepted, then end `failed` with `message`."""
        self.faults.queue_task_failures(count, message)

    def fail_task(self, task_id: str, message: str = MODERATION_MESSAGE) -> bool:
        """Make an existing task (task id or external id) end `failed` with `message`."""
        return self.store.set_failure(task_id, message)

    def set_results_missing(self, missing: bool = True) -> None:
        """Result URLs answer 404 (an expired or purged link) while `missing`."""
        self.faults.results_missing = missing

    def set_processing_seconds(self, seconds: Seconds) -> None:
        """How long new video tasks take: a fixed time or a (min, max) range."""
        self._processing = _span(seconds)

    def set_element_seconds(self, seconds: Seconds) -> None:
        self._element = _span(seconds)

    def reset(self) -> None:
        """Forget tasks, faults, counters and scheduled callbacks; back to the initial times."""
        self.released.set()
        self.released = threading.Event()
        self.faults.reset()
        self.callbacks.clear()
        self.store.clear()
        self.counters.reset()
        self._processing, self._element = self._initial_processing, self._initial_element

    # -- counters ----------------------------------------------------------------------------

    def stats(self) -> dict:
        """Requests per kind, tasks created, callbacks sent and failed, injected errors."""
        return {**self.counters.snapshot(), "tasks_stored": len(self.store)}
