"""The small interface every remote provider adapter implements, and the outcomes it reports.

Pure Python, no Django. An adapter receives the frozen compiled request of a job (a plain dict,
see `compiler/storyboard.py`), never models, and the directory holding the job's input files.

A compiled request may hold placeholders that the adapter resolves at submit time:
- `{"$file": "<path relative to the job's inputs dir>"}`: a file snapshotted when the job was
  made (a first frame, an element image); adapters send it as the provider wants it (Kling:
  raw base64, no `data:` prefix).
- `{"$element": <our element id>}`: an element the provider must know by its own id; the adapter
  registers it first if it has no remote id yet (see `Pending`).

Errors are `ProviderError`s that say whether retrying is safe (`retryable`), whether the refusal
was on content grounds (`content_refusal`, recorded for moderation) and what to tell the user.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Protocol


def replace_files(value: object, replace: Callable[[str], str]) -> object:
    """`value` (a compiled request or part of it) with every `{"$file": name}` placeholder's
    name passed through `replace`."""
    if isinstance(value, dict):
        if set(value) == {"$file"}:
            return {"$file": replace(value["$file"])}
        return {key: replace_files(item, replace) for key, item in value.items()}
    if isinstance(value, list):
        return [replace_files(item, replace) for item in value]
    return value


class TaskState(StrEnum):
    SUBMITTED = "submitted"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


@dataclass(frozen=True)
class Submitted:
    """The provider accepted the task; `task_id` is its id for the task."""

    task_id: str
    # Remote ids the adapter registered on the way (our element id -> provider element id), for
    # the pipeline to remember so the next job does not register them again.
    registered: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Pending:
    """Not submitted yet, work is under way (e.g. elements being registered): call `submit`
    again after `retry_after` seconds with `state` as `pending_state`."""

    state: dict
    retry_after: float


@dataclass(frozen=True)
class TaskStatus:
    state: TaskState
    # The provider's own message (a failure reason such as a content-moderation refusal).
    message: str = ""
    video_url: str | None = None
    duration: float | None = None
    # What the provider charged, in its units, when it says so.
    charged: str | None = None
    # A failed task refused on content grounds (moderation after acceptance).
    content_refusal: bool = False


@dataclass
class ProviderError(Exception):
    """A call that did not succeed. `code` is the provider's code (or a transport name such as
    `timeout`), `user_message` says what to do, `retryable` whether the same call may be
    repeated safely (with the same external task id), `content_refusal` whether the provider
    refused on content grounds."""

    code: str
    user_message: str
    retryable: bool = False
    content_refusal: bool = False
    provider_message: str = ""

    def __str__(self) -> str:
        return f"{self.code}: {self.provider_message or self.user_message}"


class RemoteProvider(Protocol):
    name: str

    def submit(
        self,
        request: dict,
        *,
        inputs_dir: Path,
        external_task_id: str,
        callback_url: str | None,
        pending_state: dict | None = None,
    ) -> Submitted | Pending:
        """Send the task, or go on preparing it; safe to call again with the same
        `external_task_id` after a timeout (the provider de-duplicates on it)."""
        ...

    def poll(self, request: dict, task_id: str) -> TaskStatus: ...

    def download(self, url: str, destination: Path) -> None:
        """Write the result at `url` to `destination` completely or not at all."""
        ...
