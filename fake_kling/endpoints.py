"""What each API endpoint of the fake server does once the request is routed, authenticated and
past the injected faults: create, query and list video and element tasks (kling_api.md §3.2,
§4, §8.1). Each function returns the `data` of the success envelope or raises `KlingError`."""

from typing import TYPE_CHECKING
from urllib.parse import parse_qs

from fake_kling.errors import KlingError
from fake_kling.tasks import ELEMENT_PRODUCT, SUBMITTED, Task, ms
from fake_kling.validation import validate_element, validate_video

if TYPE_CHECKING:
    from fake_kling.server import FakeKling

DEFAULT_PAGE_NUM, DEFAULT_PAGE_SIZE = 1, 30


def create_video(app: "FakeKling", product: str, body: dict) -> dict:
    spec = validate_video(product, body, app.store.element_exists)
    queued, total = app.video_timing()
    task = app.store.add(
        product,
        queued_seconds=queued,
        total_seconds=total,
        video=spec,
        fail_message=app.faults.take_task_failure(),
    )
    return _created(app, task)


def create_element(app: "FakeKling", body: dict) -> dict:
    spec = validate_element(body)
    queued, total = app.element_timing()
    task = app.store.add(ELEMENT_PRODUCT, queued_seconds=queued, total_seconds=total, element=spec)
    app.counters.count("elements_created")
    return _created(app, task)


def query(app: "FakeKling", product: str, ident: str) -> dict:
    """One task by task id or external task id, only under the product it was created on."""
    task = app.store.find(product, ident)
    if task is None:
        raise KlingError(1203, f"task {ident} not found")
    return task.data(app.clock(), app.base_url)


def list_tasks(app: "FakeKling", product: str, query_string: str) -> list[dict]:
    params = parse_qs(query_string)
    page_num = _int_param(params, "pageNum", DEFAULT_PAGE_NUM)
    page_size = _int_param(params, "pageSize", DEFAULT_PAGE_SIZE)
    now = app.clock()
    return [task.data(now, app.base_url) for task in app.store.page(product, page_num, page_size)]


def _created(app: "FakeKling", task: Task) -> dict:
    if task.video is not None:
        app.counters.count("tasks_created")
    app.callbacks.schedule(task)
    return {
        "task_id": task.task_id,
        "task_status": SUBMITTED,
        "task_info": {"external_task_id": task.external_task_id or ""},
        "created_at": ms(task.created),
        "updated_at": ms(task.created),
    }


def _int_param(params: dict[str, list[str]], name: str, default: int) -> int:
    values = params.get(name)
    if not values:
        return default
    try:
        return int(values[0])
    except ValueError as error:
        raise KlingError(1201, f"{name}: must be an integer") from error
