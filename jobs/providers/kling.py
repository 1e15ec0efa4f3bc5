"""The Kling adapter: `RemoteProvider` (base.py) over Kling's legacy `/v1/` HTTP API, as
described in docs/kling_api.md. Pure, no Django.

One `httpx.Client` per adapter (pooled connections, explicit timeouts on every call). `submit`
registers the request's new elements first (returning `Pending` while Kling processes them, it
never sleeps), then creates the video task; every create carries an external task id so that a
repeated call adopts the task a lost answer had created instead of making a second one. `poll`
maps Kling's statuses, `download` writes the result atomically (kling_download.py).

Errors: see kling_errors.py (one table); placeholders and element bodies: kling_request.py;
credentials and callback signatures: kling_auth.py.
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import httpx

from jobs.providers.base import Pending, ProviderError, Submitted, TaskState, TaskStatus
from jobs.providers.kling_auth import CallbackRejected, Credentials, verify_callback
from jobs.providers.kling_download import MEGABYTE, download
from jobs.providers.kling_errors import (
    from_envelope,
    from_http_status,
    from_transport,
    is_content_refusal,
)
from jobs.providers.kling_request import (
    ELEMENTS_PATH,
    VIDEO_PATH_PREFIX,
    InputFiles,
    bad_request,
    element_body,
    element_refs,
    product_of,
    resolve,
)

__all__ = [
    "CallbackRejected",
    "KlingConfig",
    "KlingProvider",
    "is_content_refusal",
    "verify_callback",
]

DEFAULT_BASE_URL = "https://api-singapore.klingai.com"
# Errors after which a create may have gone through on Kling's side (no answer, or a server
# fault): the next create first looks the task up. 1302/1303 are refusals that made nothing.
MAY_HAVE_CREATED = ("timeout", "connection_error", "5000", "5001", "5002")
REMEMBERED_CREATES = 10_000  # bound of the in-process memory of such external ids
STATUSES = {
    "submitted": TaskState.SUBMITTED,
    "processing": TaskState.RUNNING,
    "succeed": TaskState.SUCCEEDED,
    "failed": TaskState.FAILED,
}


@dataclass(frozen=True)
class KlingConfig:
    base_url: str = DEFAULT_BASE_URL
    api_key: str | None = None
    access_key: str | None = None
    secret_key: str | None = None
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    # Creates carry base64 images of up to 10 MB each.
    write_timeout: float = 30.0
    pool_timeout: float = 10.0
    max_connections: int = 20
    max_download_bytes: int = 500 * MEGABYTE
    # How long to wait before asking again about elements being registered.
    element_poll_seconds: float = 3.0
    token_lifetime_seconds: int = 1800


class KlingProvider:
    name = "kling"

    def __init__(
        self, config: KlingConfig, *, transport: httpx.BaseTransport | None = None
    ) -> None:
        self.config = config
        self._credentials = Credentials(
            api_key=config.api_key,
            access_key=config.access_key,
            secret_key=config.secret_key,
            lifetime=config.token_lifetime_seconds,
        )
        self._client = httpx.Client(
            base_url=config.base_url,
            timeout=httpx.Timeout(
                connect=config.connect_timeout,
                read=config.read_timeout,
                write=config.write_timeout,
                pool=config.pool_timeout,
            ),
            limits=httpx.Limits(
                max_connections=config.max_connections,
                max_keepalive_connections=config.max_connections,
            ),
            transport=transport,
        )
        self._uncertain: OrderedDict[str, None] = OrderedDict()
        self._uncertain_lock = threading.Lock()

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> "KlingProvider":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- submit ----------------------------------------------------------------------------

    def submit(
        self,
        request: dict,
        *,
        inputs_dir: Path,
        external_task_id: str,
        callback_url: str | None,
        pending_state: dict | None = None,
    ) -> Submitted | Pending:
        endpoint = request.get("endpoint", "")
        product = product_of(endpoint)
        body = request.get("body")
        if not isinstance(body, dict):
            raise bad_request("the compiled request has no body")
        files = InputFiles(inputs_dir)
        elements = {int(element["ref"]): element for element in request.get("elements", [])}
        progress: dict[str, dict] = dict((pending_state or {}).get("elements", {}))
        element_ids: dict[int, str] = {}
        registered: dict[int, str] = {}
        refs = element_refs(body)
        for ref in refs:
            element = elements.get(ref)
            if element is None:
                raise bad_request(f"element {ref} is used but not described")
            if element.get("remote_id"):
                element_ids[ref] = str(element["remote_id"])
                continue
            entry = progress.get(str(ref), {})
            if not entry.get("element_id"):
                # Every missing element advances in the same call: they register in parallel.
                entry = self._register_element(element, f"{external_task_id}-el{ref}", entry, files)
                progress[str(ref)] = entry
            if entry.get("element_id"):
                element_ids[ref] = registered[ref] = entry["element_id"]
        if len(element_ids) < len(refs):
            return Pending(
                state={"elements": progress}, retry_after=self.config.element_poll_seconds
            )
        payload = resolve(body, files, element_ids)
        payload["external_task_id"] = external_task_id
        if callback_url:
            payload["callback_url"] = callback_url
        task_id = self._create_video(endpoint, product, payload, external_task_id)
        return Submitted(task_id=task_id, registered=registered)

    def _register_element(
        self, element: dict, external_id: str, entry: dict, files: InputFiles
    ) -> dict:
        """One step of an element's registration: its progress entry after it."""
        if entry.get("task_id"):
            data = self._call("GET", f"{ELEMENTS_PATH}/{quote(entry['task_id'], safe='')}")
        else:
            # An earlier call may have created it and lost the answer: look before creating.
            data = self._find(ELEMENTS_PATH, external_id)
            if data is None:
                data = self._create(
                    ELEMENTS_PATH, ELEMENTS_PATH, element_body(element, external_id, files)
                )
        entry = {"task_id": str(data["task_id"]), "external_task_id": external_id}
        status = data.get("task_status")
        if status == "succeed":
            found = (data.get("task_result") or {}).get("elements") or []
            if not found:
                raise ProviderError(
                    "bad_response", "Kling answered oddly; the job will retry.", retryable=True
                )
            entry["element_id"] = str(found[0]["element_id"])
        elif status == "failed":
            message = data.get("task_status_msg") or ""
            refused = is_content_refusal(message)
            raise ProviderError(
                "element_refused" if refused else "element_failed",
                f"Kling could not register the element {element.get('name') or element['ref']}"
                f" ({message or 'no reason given'}). Change its pictures, then generate again.",
                content_refusal=refused,
                provider_message=message,
            )
        return entry

    def _create_video(self, endpoint: str, product: str, payload: dict, external_id: str) -> str:
        query_path = f"{VIDEO_PATH_PREFIX}{product}"
        if self._was_uncertain(external_id):
            found = self._find(query_path, external_id)
            if found is not None:
                self._settle(external_id)
                return str(found["task_id"])
        try:
            data = self._create(endpoint, query_path, payload)
        except ProviderError as error:
            if error.code in MAY_HAVE_CREATED or error.code.startswith("http_5"):
                self._remember_uncertain(external_id)
            raise
        self._settle(external_id)
        return str(data["task_id"])

    def _create(self, endpoint: str, query_path: str, payload: dict) -> dict:
        """POST a create; when Kling says the external id exists, the task it names."""
        try:
            return self._call("POST", endpoint, json=payload)
        except ProviderError as error:
            if not (error.code == "1201" and "already exist" in error.provider_message.lower()):
                raise
        external_id = payload["external_task_id"]
        found = self._find(query_path, external_id)
        if found is None:
            raise ProviderError(
                "duplicate_external_id",
                "Kling already has a different task with this job's id. Generate again.",
                provider_message=f"external_task_id {external_id} exists elsewhere",
            )
        return found

    def _find(self, path: str, external_id: str) -> dict | None:
        """The task created under `path` with this external task id, or None."""
        try:
            return self._call("GET", f"{path}/{quote(external_id, safe='')}")
        except ProviderError as error:
            if error.code == "1203":
                return None
            raise

    def _was_uncertain(self, external_id: str) -> bool:
        with self._uncertain_lock:
            return external_id in self._uncertain

    def _remember_uncertain(self, external_id: str) -> None:
        with self._uncertain_lock:
            self._uncertain[external_id] = None
            self._uncertain.move_to_end(external_id)
            while len(self._uncertain) > REMEMBERED_CREATES:
                self._uncertain.popitem(last=False)

    def _settle(self, external_id: str) -> None:
        with self._uncertain_lock:
            self._uncertain.pop(external_id, None)

    # -- poll ------------------------------------------------------------------------------

    def poll(self, request: dict, task_id: str) -> TaskStatus:
        product = product_of(request.get("endpoint", ""))
        data = self._call("GET", f"{VIDEO_PATH_PREFIX}{product}/{quote(task_id, safe='')}")
        state = STATUSES.get(data.get("task_status"))
        message = data.get("task_status_msg") or ""
        charged = data.get("final_unit_deduction")
        if state is None:
            raise ProviderError(
                "bad_response",
                "Kling answered with an unknown task status; the job will retry.",
                retryable=True,
                provider_message=str(data.get("task_status")),
            )
        if state == TaskState.FAILED:
            refused = is_content_refusal(message)
            return TaskStatus(state, message, charged=charged, content_refusal=refused)
        if state != TaskState.SUCCEEDED:
            return TaskStatus(state, message)
        videos = (data.get("task_result") or {}).get("videos") or []
        if not videos or not videos[0].get("url"):
            raise ProviderError(
                "bad_response",
                "Kling reported a finished video without its link; the job will retry.",
                retryable=True,
            )
        return TaskStatus(
            state,
            message,
            video_url=videos[0]["url"],
            duration=_seconds(videos[0].get("duration")),
            charged=charged,
        )

    # -- download --------------------------------------------------------------------------

    def download(self, url: str, destination: Path) -> None:
        download(self._client, url, Path(destination), self.config.max_download_bytes)

    # -- HTTP ------------------------------------------------------------------------------

    def _call(self, method: str, path: str, *, json: dict | None = None) -> dict:
        """The `data` of a successful Kling envelope; a `ProviderError` otherwise."""
        try:
            response = self._client.request(
                method, path, json=json, headers={"Authorization": self._credentials.header()}
            )
        except httpx.HTTPError as error:
            raise from_transport(error) from error
        try:
            envelope = response.json()
        except ValueError:
            envelope = None
        if not isinstance(envelope, dict) or not isinstance(envelope.get("code"), int):
            if response.is_success:
                raise ProviderError(
                    "bad_response",
                    "Kling answered with something that is not its API; the job will retry.",
                    retryable=True,
                    provider_message=response.text[:200],
                )
            raise from_http_status(response.status_code, response.text)
        if envelope["code"] != 0:
            message = str(envelope.get("message") or "")
            raise from_envelope(envelope["code"], message, response.status_code)
        return envelope.get("data")


def _seconds(value: object) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None
