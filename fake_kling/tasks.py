"""The fake server's tasks (videos and elements) and their store.

A task's status is not stored: it is computed from the time it was made and the processing time
drawn for it (submitted, then processing, then succeed or failed), so any number of tasks in
flight costs no thread and no timer. Only the callbacks need a scheduler (see callbacks.py).
"""

import itertools
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from fake_kling.errors import KlingError
from fake_kling.validation import ElementSpec, VideoSpec

VIDEO_PRODUCTS = ("text2video", "image2video", "omni-video")
ELEMENT_PRODUCT = "advanced-custom-elements"
SUBMITTED, PROCESSING, SUCCEED, FAILED = "submitted", "processing", "succeed", "failed"
FINAL_STATUSES = (SUCCEED, FAILED)
# Made-up prices in units per second of video (the real ones are not in the contract).
UNITS_PER_SECOND = {"std": 0.1, "pro": 0.15, "4k": 0.3}
SOUND_SURCHARGE = 1.5
MAX_PAGE_NUM, MAX_PAGE_SIZE = 1000, 500


def ms(seconds: float) -> int:
    return int(seconds * 1000)


@dataclass
class Task:
    task_id: str
    product: str
    created: float  # wall clock, seconds
    queued_seconds: float  # how long it stays `submitted`
    total_seconds: float  # how long until it ends
    external_task_id: str | None
    callback_url: str | None
    video: VideoSpec | None = None
    element: ElementSpec | None = None
    element_id: int | None = None
    # Set when the task is to fail at its end (content moderation after acceptance).
    fail_message: str | None = None

    def status_at(self, now: float) -> str:
        elapsed = now - self.created
        if elapsed < self.queued_seconds:
            return SUBMITTED
        if elapsed < self.total_seconds:
            return PROCESSING
        return FAILED if self.fail_message is not None else SUCCEED

    def changed_at(self, now: float) -> float:
        """When the status seen at `now` began."""
        status = self.status_at(now)
        if status == SUBMITTED:
            return self.created
        if status == PROCESSING:
            return self.created + self.queued_seconds
        return self.created + self.total_seconds

    def transition_times(self) -> list[float]:
        """The moments of the status changes after creation (for the callbacks)."""
        return [self.created + self.queued_seconds, self.created + self.total_seconds]

    def data(self, now: float, base_url: str) -> dict:
        """The task as the query endpoint (and the legacy callback) shows it at `now`."""
        status = self.status_at(now)
        message = self.fail_message if status == FAILED else ""
        data = {
            "task_id": self.task_id,
            "task_status": status,
            "task_status_msg": message or "",
            "task_info": {"external_task_id": self.external_task_id or ""},
            "created_at": ms(self.created),
            "updated_at": ms(self.changed_at(now)),
        }
        if self.video is not None:
            data["final_unit_deduction"] = self._units() if status == SUCCEED else "0"
            data["watermark_info"] = {"enabled": False}
            data["task_result"] = {"videos": self._videos(base_url) if status == SUCCEED else []}
        else:
            data["task_result"] = {"elements": [self._element()] if status == SUCCEED else []}
        return data

    def _units(self) -> str:
        units = UNITS_PER_SECOND[self.video.mode] * self.video.duration
        if self.video.sound == "on":
            units *= SOUND_SURCHARGE
        return f"{units:g}"

    def _videos(self, base_url: str) -> list[dict]:
        return [
            {
                "id": f"{self.task_id}-0",
                "url": f"{base_url}/results/{self.task_id}.mp4",
                "watermark_url": f"{base_url}/results/{self.task_id}.mp4",
                "duration": f"{self.video.duration:.3f}",
            }
        ]

    def _element(self) -> dict:
        spec = self.element
        return {
            "element_id": self.element_id,
            "element_name": spec.name,
            "element_description": spec.description,
            "reference_type": "image_refer",
            "tag_list": [{"tag_id": tag} for tag in spec.tags],
            "owned_by": "creator",
            "status": SUCCEED,
        }


class TaskStore:
    """Every task of the one account the fake serves; thread-safe."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._tasks: dict[str, Task] = {}
        self._by_external: dict[str, str] = {}
        self._by_element: dict[int, str] = {}
        self._task_ids = itertools.count(random.randrange(10**17, 8 * 10**17))
        self._element_ids = itertools.count(random.randrange(10**11, 8 * 10**11))

    def add(
        self,
        product: str,
        *,
        queued_seconds: float,
        total_seconds: float,
        video: VideoSpec | None = None,
        element: ElementSpec | None = None,
        fail_message: str | None = None,
    ) -> Task:
        spec = video or element
        with self._lock:
            # Unique per account, across products (kling_api.md §4.1).
            if spec.external_task_id and spec.external_task_id in self._by_external:
                raise KlingError(1201, "external_task_id already exists")
            task = Task(
                task_id=str(next(self._task_ids)),
                product=product,
                created=self._clock(),
                queued_seconds=queued_seconds,
                total_seconds=total_seconds,
                external_task_id=spec.external_task_id,
                callback_url=spec.callback_url,
                video=video,
                element=element,
                fail_message=fail_message,
            )
            if element is not None:
                task.element_id = next(self._element_ids)
                self._by_element[task.element_id] = task.task_id
            self._tasks[task.task_id] = task
            if spec.external_task_id:
                self._by_external[spec.external_task_id] = task.task_id
            return task

    def find(self, product: str, ident: str) -> Task | None:
        """The task of `product` whose task id or external task id is `ident`."""
        with self._lock:
            task = self._tasks.get(ident) or self._tasks.get(self._by_external.get(ident, ""))
        return task if task is not None and task.product == product else None

    def get(self, task_id: str) -> Task | None:
        with self._lock:
            return self._tasks.get(task_id)

    def page(self, product: str, page_num: int, page_size: int) -> list[Task]:
        """One page of `product`'s tasks, newest first."""
        if not 1 <= page_num <= MAX_PAGE_NUM:
            raise KlingError(1201, "pageNum: must be between 1 and 1000")
        if not 1 <= page_size <= MAX_PAGE_SIZE:
            raise KlingError(1201, "pageSize: must be between 1 and 500")
        with self._lock:
            tasks = [task for task in self._tasks.values() if task.product == product]
        tasks.sort(key=lambda task: task.created, reverse=True)
        start = (page_num - 1) * page_size
        return tasks[start : start + page_size]

    def element_exists(self, element_id: int) -> bool:
        """Whether an element was registered and its task has succeeded."""
        with self._lock:
            task = self._tasks.get(self._by_element.get(element_id, ""))
        return task is not None and task.status_at(self._clock()) == SUCCEED

    def set_failure(self, ident: str, message: str) -> bool:
        """Make the video task with id or external id `ident` end as failed with `message`."""
        with self._lock:
            task = self._tasks.get(ident) or self._tasks.get(self._by_external.get(ident, ""))
            if task is None:
                return False
            task.fail_message = message
            return True

    def video_timings(self) -> list[dict]:
        """When each video task was made and when it ends (Unix seconds), read-only: for
        benchmarks that measure how soon a finished result is picked up."""
        with self._lock:
            tasks = [task for task in self._tasks.values() if task.video is not None]
        return [
            {
                "task_id": task.task_id,
                "external_task_id": task.external_task_id or "",
                "created": task.created,
                "ends": task.created + task.total_seconds,
                "fails": task.fail_message is not None,
            }
            for task in tasks
        ]

    def clear(self) -> None:
        with self._lock:
            self._tasks.clear()
            self._by_external.clear()
            self._by_element.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._tasks)
