"""The fake server's callbacks: one scheduler thread with a heap of (time, task) events posts the
legacy flat payload (kling_api.md §7) to each task's `callback_url` on every status change.

Deliveries go out from a small thread pool with a short timeout so a slow receiver never delays
the schedule; failures are counted, never raised. With a webhook secret each delivery is signed
the Standard Webhooks way (headers webhook-id, webhook-timestamp, webhook-signature).
"""

import heapq
import itertools
import json
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import httpx
from standardwebhooks import Webhook

from fake_kling.faults import Stats
from fake_kling.tasks import Task, TaskStore

CALLBACK_WORKERS = 8
DEFAULT_CALLBACK_TIMEOUT = 2.0
# A status is read just after its change, so a change at exactly t counts as done at t.
READ_AFTER = 1e-3


class CallbackScheduler:
    def __init__(
        self,
        store: TaskStore,
        stats: Stats,
        *,
        webhook_secret: str | None,
        timeout: float = DEFAULT_CALLBACK_TIMEOUT,
    ) -> None:
        self._store = store
        self._stats = stats
        self._webhook = Webhook(webhook_secret) if webhook_secret else None
        self._timeout = timeout
        self._heap: list[tuple[float, int, str]] = []
        self._order = itertools.count()
        self._wakeup = threading.Condition()
        self._stopped = False
        self._thread: threading.Thread | None = None
        self._pool: ThreadPoolExecutor | None = None
        # Made on the first delivery: an httpx.Client costs ~30 ms (its TLS context), which
        # tests that start a server each and send no callback should not pay.
        self._client: httpx.Client | None = None
        self._client_lock = threading.Lock()
        self.base_url = ""

    def start(self, base_url: str) -> None:
        self.base_url = base_url
        self._stopped = False
        self._pool = ThreadPoolExecutor(CALLBACK_WORKERS, thread_name_prefix="fake-kling-callback")
        self._thread = threading.Thread(target=self._run, name="fake-kling-scheduler", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        with self._wakeup:
            self._stopped = True
            self._wakeup.notify()
        if self._thread is not None:
            self._thread.join()
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
        if self._client is not None:
            self._client.close()
            self._client = None

    def clear(self) -> None:
        """Forget every scheduled callback (on reset)."""
        with self._wakeup:
            self._heap.clear()

    def schedule(self, task: Task) -> None:
        """Plan the callbacks of a new task: now (submitted) and at each later status change."""
        if not task.callback_url:
            return
        moments = [task.created, *task.transition_times()]
        with self._wakeup:
            seen = None
            for moment in moments:
                status = task.status_at(moment + READ_AFTER)
                # A zero-length phase would repeat the previous status: one callback per change.
                if status != seen:
                    heapq.heappush(self._heap, (moment, next(self._order), task.task_id))
                seen = status
            self._wakeup.notify()

    def _run(self) -> None:
        while True:
            with self._wakeup:
                while not self._stopped and (not self._heap or self._heap[0][0] > time.time()):
                    timeout = self._heap[0][0] - time.time() if self._heap else None
                    self._wakeup.wait(timeout)
                if self._stopped:
                    return
                moment, _, task_id = heapq.heappop(self._heap)
            self._pool.submit(self._deliver, task_id, moment)

    def _deliver(self, task_id: str, moment: float) -> None:
        task = self._store.get(task_id)
        if task is None or self._stopped:
            return
        payload = task.data(moment + READ_AFTER, self.base_url)
        body = json.dumps(payload)
        headers = {"content-type": "application/json"}
        if self._webhook is not None:
            message_id = f"msg_{uuid.uuid4().hex}"
            now = datetime.now(UTC)
            headers["webhook-id"] = message_id
            headers["webhook-timestamp"] = str(int(now.timestamp()))
            headers["webhook-signature"] = self._webhook.sign(message_id, now, body)
        with self._client_lock:
            if self._client is None:
                self._client = httpx.Client(timeout=self._timeout)
        try:
            response = self._client.post(task.callback_url, content=body, headers=headers)
            delivered = response.is_success
        except httpx.HTTPError:
            delivered = False
        self._stats.count("callbacks_sent" if delivered else "callbacks_failed")
