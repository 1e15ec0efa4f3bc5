"""Who may use the storyboard's routes (the editor app's): projects, sequences, shots, the
director's split and apply, the activity, and the dashboard, editor, settings and private
media pages.
"""

from collections.abc import Callable

from django.core.files.base import ContentFile
from django.urls import reverse

from storyboard_app import actions
from tests.conftest import Cast, image_bytes
from tests.permission_helpers import (
    LOGIN,
    Endpoint,
    anyone_signed_in,
    edit,
    manage,
    project_id,
    read,
    route_url,
    sequence_id,
    shot_id,
)


def store_first_frame(cast: Cast) -> str:
    """Give the sequence a first frame (as an upload would) and return its private URL."""
    frame = ContentFile(image_bytes(), name="first.jpg")
    sequence = actions.set_sequence_frame(cast.sequence, "first_frame", frame)
    return sequence.first_frame.url


def frame_upload(cast: Cast) -> dict:
    return {"image": ContentFile(image_bytes(), name="frame.jpg")}


DIRECTED_PROMPT = 'Shot 1: Wide shot of a pier. @Mara says, "Go." Shot 2: Close-up of the sea.'


def _frame_url(which: str, prepare: bool = False) -> Callable[[Cast], str]:
    def url(cast: Cast) -> str:
        if prepare:
            store_first_frame(cast)
        return reverse("api-sequence-frame", args=[cast.sequence.pk, which])

    return url


STORYBOARD_TABLE = [
    # The API
    Endpoint("api-projects", "GET", route_url("api-projects"), anyone_signed_in(200)),
    Endpoint(
        "api-projects",
        "POST",
        route_url("api-projects"),
        anyone_signed_in(201),
        body=lambda cast: {"title": "A new film", "aspect_ratio": "1:1"},
    ),
    Endpoint("api-project", "GET", route_url("api-project", project_id), read()),
    Endpoint(
        "api-project",
        "PATCH",
        route_url("api-project", project_id),
        edit(200),
        body=lambda cast: {"title": "Renamed"},
    ),
    Endpoint("api-project", "DELETE", route_url("api-project", project_id), manage(204)),
    Endpoint("api-project-timeline", "GET", route_url("api-project-timeline", project_id), read()),
    Endpoint(
        "api-project-sequences",
        "POST",
        route_url("api-project-sequences", project_id),
        edit(201),
        body=lambda cast: {"mode": "auto", "prompt": "A storm rolls in."},
    ),
    Endpoint("api-vocabulary", "GET", route_url("api-vocabulary"), anyone_signed_in(200)),
    Endpoint(
        "api-director-split",
        "POST",
        route_url("api-director-split"),
        anyone_signed_in(200),
        body=lambda cast: {"prompt": DIRECTED_PROMPT},
        note="without a project",
        writes=False,  # a preview: nothing is saved
    ),
    Endpoint(
        "api-director-split",
        "POST",
        route_url("api-director-split"),
        read(),
        body=lambda cast: {"prompt": DIRECTED_PROMPT, "project": cast.project.pk},
        note="with the project's handles",
        writes=False,  # a preview: nothing is saved
    ),
    Endpoint(
        "api-director-apply",
        "POST",
        route_url("api-director-apply", project_id),
        edit(201),
        body=lambda cast: {"prompt": DIRECTED_PROMPT, "mode": "custom"},
    ),
    Endpoint("api-sequence", "GET", route_url("api-sequence", sequence_id), read()),
    Endpoint(
        "api-sequence",
        "PATCH",
        route_url("api-sequence", sequence_id),
        edit(200),
        body=lambda cast: {"version": 1, "title": "Dawn"},
    ),
    Endpoint("api-sequence", "DELETE", route_url("api-sequence", sequence_id), edit(204)),
    Endpoint(
        "api-sequence-frame",
        "PUT",
        _frame_url("first"),
        edit(200),
        body=frame_upload,
        multipart=True,
    ),
    Endpoint("api-sequence-frame", "DELETE", _frame_url("first", prepare=True), edit(200)),
    Endpoint(
        "api-sequence-reorder",
        "POST",
        route_url("api-sequence-reorder", sequence_id),
        edit(200),
        body=lambda cast: {"shot_ids": [shot.pk for shot in reversed(cast.shots)]},
    ),
    Endpoint(
        "api-sequence-review",
        "POST",
        route_url("api-sequence-review", sequence_id),
        edit(200),
        body=lambda cast: {"state": "in_review"},
    ),
    Endpoint("api-project-activity", "GET", route_url("api-project-activity", project_id), read()),
    Endpoint("activity", "GET", route_url("activity", project_id), read(LOGIN), page=True),
    Endpoint(
        "api-sequence-validate",
        "POST",
        route_url("api-sequence-validate", sequence_id),
        read(),
        body=lambda cast: {"provider": "animatic"},
        writes=False,
    ),
    Endpoint(
        "api-sequence-shots",
        "POST",
        route_url("api-sequence-shots", sequence_id),
        edit(201),
        body=lambda cast: {"duration": 2, "text": "A gull lands.", "position": 0},
    ),
    Endpoint("api-shot", "GET", route_url("api-shot", shot_id), read()),
    Endpoint(
        "api-shot",
        "PATCH",
        route_url("api-shot", shot_id),
        edit(200),
        body=lambda cast: {"version": 1, "text": "Changed", "dialogue": []},
    ),
    Endpoint("api-shot", "DELETE", route_url("api-shot", shot_id), edit(204)),
    Endpoint("api-shot-duplicate", "POST", route_url("api-shot-duplicate", shot_id), edit(201)),
    # The pages
    Endpoint("home", "GET", route_url("home"), anyone_signed_in(302, LOGIN), page=True),
    Endpoint("dashboard", "GET", route_url("dashboard"), anyone_signed_in(200, LOGIN), page=True),
    Endpoint(
        "dashboard",
        "POST",
        route_url("dashboard"),
        anyone_signed_in(302, LOGIN),
        body=lambda cast: {"title": "From the dashboard", "aspect_ratio": "9:16"},
        page=True,
    ),
    Endpoint("editor", "GET", route_url("editor", project_id), read(LOGIN), page=True),
    Endpoint(
        "project-settings", "GET", route_url("project-settings", project_id), read(LOGIN), page=True
    ),
    Endpoint(
        "project-settings",
        "POST",
        route_url("project-settings", project_id),
        edit(302, LOGIN),
        body=lambda cast: {"title": "Renamed on the page", "aspect_ratio": "16:9"},
        page=True,
    ),
    Endpoint(
        "project-delete",
        "POST",
        route_url("project-delete", project_id),
        manage(302, LOGIN),
        page=True,
    ),
    Endpoint("private-media", "GET", store_first_frame, read(LOGIN), page=True),
]
