"""Schemathesis drives every operation of the OpenAPI schema: whatever it sends, never a 500.

The schema is the one the app serves (`/api/schema/`), so a new endpoint is fuzzed as soon as it
is routed. Path ids are narrowed to a pool of real objects (the owner's project, its sequences
and shots, the outsider's ones) and one id that exists nowhere, so requests reach the views'
own validation instead of stopping at a 404; bodies and query parameters that break the schema
(a `?shot=` that is no integer or beyond the id range the schema declares) are sent against the
owner's real objects. Requests go through Django's WSGI handler in the test's thread and
database transaction, authenticated with the owner's token.
"""

import json
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

import opentimelineio as otio
import pytest
import schemathesis
from django.contrib.auth.models import Group
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode

from discussion import actions as discussion_actions
from elements_app import actions as element_actions
from elements_app import media_actions as element_media
from exports.edit import timeline_of
from exports.project_json import export_project
from exports.reel import reel_of
from media import check_image
from moderation import cases as moderation_cases
from moderation.models import Case
from moderation_desk import actions as moderation_actions
from plumbing.converters import MAX_ID
from plumbing.query_params import MIN_ID
from sharing import actions as sharing_actions
from storyboard_app import actions
from storyboard_app.models import Sequence, Shot
from tests.conftest import Cast, image_bytes, make_user
from tests.job_helpers import delivered_take, queued_job
from tests.role_helpers import MODERATORS

EXAMPLES_PER_OPERATION = 20
MISSING_ID = 99999999999999999999999
CONFIG = schemathesis.Config.from_dict({"generation": {"max-examples": EXAMPLES_PER_OPERATION}})
FUZZ = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)

# Bodies that a well-behaved client sends, tried once each against the real objects.
VALID_BODIES: dict[tuple[str, str], Callable[[Cast], object]] = {
    ("/api/projects/", "POST"): lambda cast: {"title": "Fuzz", "aspect_ratio": "1:1"},
    ("/api/projects/{project_id}/", "PATCH"): lambda cast: {"title": "Fuzzed"},
    ("/api/projects/{project_id}/sequences/", "POST"): lambda cast: {"mode": "custom"},
    ("/api/sequences/{sequence_id}/", "PATCH"): lambda cast: {"version": 1, "title": "Fuzzed"},
    ("/api/sequences/{sequence_id}/reorder/", "POST"): lambda cast: {
        "shot_ids": [shot.pk for shot in reversed(cast.shots)]
    },
    ("/api/sequences/{sequence_id}/validate/", "POST"): lambda cast: {"provider": "animatic"},
    ("/api/sequences/{sequence_id}/shots/", "POST"): lambda cast: {"duration": 2, "position": 0},
    ("/api/sequences/{sequence_id}/generate/", "POST"): lambda cast: {"provider": "animatic"},
    ("/api/providers/kling/callback/", "POST"): lambda cast: {
        "task_id": "1",
        "task_status": "succeed",
        "task_info": {"external_task_id": "sbd-unknown"},
    },
    ("/api/shots/{shot_id}/", "PATCH"): lambda cast: {
        "version": 1,
        "text": "Fuzzed",
        "dialogue": [{"speaker": "Mara", "text": "Hello", "language": "en"}],
    },
    ("/api/sequences/{sequence_id}/review/", "POST"): lambda cast: {"state": "in_review"},
    ("/api/projects/{project_id}/members/", "POST"): lambda cast: {
        "user": "outsider",
        "role": "commenter",
    },
    ("/api/projects/{project_id}/members/{user_id}/", "PATCH"): lambda cast: {"role": "viewer"},
    ("/api/projects/{project_id}/transfer/", "POST"): lambda cast: {"user": cast.editor.pk},
    ("/api/projects/{project_id}/invitations/", "POST"): lambda cast: {"role": "viewer"},
    ("/api/projects/{project_id}/comments/", "POST"): lambda cast: {
        "body": "@editor have a look",
        "shot": cast.shots[0].pk,
    },
    ("/api/comments/{comment_id}/resolve/", "POST"): lambda cast: {"resolved": True},
    ("/api/notifications/read/", "POST"): lambda cast: {},
    ("/api/reports/", "POST"): lambda cast: {
        "project": cast.project.pk,
        "category": "spam",
        "reason": "Ads in every shot.",
    },
    ("/api/moderation/cases/{case_id}/appeal/", "POST"): lambda cast: {
        "text": "It is the plot, not spam."
    },
    ("/api/projects/{project_id}/edit-import/apply/", "POST"): lambda cast: {
        "sequences": [
            {
                "id": cast.sequence.pk,
                "shots": [
                    {"id": s.pk, "version": s.version, "position": s.position, "duration": 3}
                    for s in Shot.objects.filter(sequence=cast.sequence).order_by("-position")
                ],
            }
        ]
    },
    ("/api/director/split/", "POST"): lambda cast: {
        "prompt": 'Shot 1: Wide shot. @Mara says, "Go." Shot 2: Close-up of the sea.',
        "project": cast.project.pk,
    },
    ("/api/projects/{project_id}/director/apply/", "POST"): lambda cast: {
        "prompt": "Close-up of a kettle. Cut to a wide shot of the harbour.",
        "total": 8,
    },
}
# The token's user is the owner, who may not do these (a clear 400, never a 500).
REFUSED_TO_THE_OWNER = {("/api/projects/{project_id}/leave/", "POST")}


JSON = "application/json"
FRAME_PUT = ("/api/sequences/{sequence_id}/frames/{which}/", "PUT")
EDIT_IMPORT = ("/api/projects/{project_id}/edit-import/", "POST")
PROJECT_IMPORT = ("/api/projects/import/", "POST")


def edited_timeline(cast: Cast) -> bytes:
    return otio.adapters.write_to_string(timeline_of(reel_of(cast.project)), "otio_json").encode()


@contextmanager
def same_connection_for_wsgi_requests():
    """Django closes "old" connections around each request; in a test's transaction that would
    close the test's own connection. Django's test client turns this off the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@dataclass
class Target:
    schema: schemathesis.BaseSchema
    real_ids: dict[str, object]  # path parameters that name the owner's objects
    headers: dict[str, str]


def taken_down_case(cast: Cast) -> Case:
    """A take of the owner's (not the one the take routes use), reported and taken down by a
    moderator: a case the owner may appeal."""
    moderator = make_user("moderator")
    moderator.is_staff = True
    moderator.save(update_fields=["is_staff"])
    moderator.groups.add(Group.objects.get_or_create(name=MODERATORS)[0])
    take = delivered_take(queued_job(cast.owner, cast.sequence))
    case, _ = moderation_cases.file_report(cast.editor, "take", take.pk, "spam", "")
    return moderation_actions.take_down(case.pk, moderator, "Spam in every shot.")


def id_pools(cast: Cast) -> dict[str, list[int]]:
    second = actions.add_sequence(cast.project, {"mode": "auto", "prompt": "A storm."})
    foreign_sequence = Sequence.objects.get(project__owner=cast.outsider)
    foreign_shot = actions.add_shot(foreign_sequence, {"duration": 3})
    library = element_actions.create_library(cast.owner, "Cast", "shared")
    attachment = element_actions.attach_library(cast.project, library, cast.owner)
    element = element_actions.create_element(library, {"handle": "Mara", "kind": "character"})
    image = element_media.add_image(element, check_image(image_bytes()), "front")
    foreign_library = element_actions.create_library(cast.outsider, "Theirs", "private")
    element_actions.share_library(library, cast.editor, can_edit=False)
    take = delivered_take(queued_job(cast.owner, cast.sequence))
    job = queued_job(cast.owner, cast.sequence)
    foreign_job = queued_job(cast.outsider, foreign_sequence)
    invitation, _ = sharing_actions.create_invitation(cast.project, cast.owner, "viewer")
    comment = discussion_actions.post_comment(
        cast.project, cast.editor, "@owner a note", shot=cast.shots[0]
    )
    removed_case = taken_down_case(cast)
    return {
        "job_id": [job.pk, take.job_id, foreign_job.pk, MISSING_ID],
        "take_id": [take.pk, MISSING_ID],
        "project_id": [cast.project.pk, foreign_sequence.project_id, MISSING_ID],
        "sequence_id": [cast.sequence.pk, second.pk, foreign_sequence.pk, MISSING_ID],
        "shot_id": [*(s.pk for s in cast.shots), foreign_shot.pk, MISSING_ID],
        "library_id": [library.pk, foreign_library.pk, MISSING_ID],
        "attachment_id": [attachment.pk, MISSING_ID],
        "element_id": [element.pk, MISSING_ID],
        "image_id": [image.pk, MISSING_ID],
        "user_id": [cast.editor.pk, cast.outsider.pk, MISSING_ID],
        "invitation_id": [invitation.pk, MISSING_ID],
        "comment_id": [comment.pk, MISSING_ID],
        "case_id": [removed_case.pk, MISSING_ID],
    }


def narrowed(raw: dict, pools: dict[str, list[int]]) -> dict:
    for item in raw["paths"].values():
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path" and parameter["name"] in pools:
                    parameter["schema"] = {"type": "integer", "enum": pools[parameter["name"]]}
    return raw


@pytest.fixture
def target(cast, media_root):
    """The schema the app serves, narrowed to this test's objects, calling the app over WSGI."""
    response = Client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    pools = id_pools(cast)
    schema = schemathesis.openapi.from_dict(
        narrowed(json.loads(response.content), pools), config=CONFIG
    )
    schema.app = get_wsgi_application()
    token = Token.objects.create(user=cast.owner).key
    _, invitation_token = sharing_actions.create_invitation(cast.project, cast.owner, "editor")
    real_ids = {name: pool[0] for name, pool in pools.items()} | {
        "which": "first",
        "username": "editor",
        "token": invitation_token,
    }
    with same_connection_for_wsgi_requests():
        yield Target(schema, real_ids, {"Authorization": f"Token {token}"})


def listed_operations() -> list[tuple[str, str]]:
    """(path, method) of every operation, read from the schema generator (no database needed)."""
    raw = SchemaGenerator().get_schema(request=None, public=True)
    return [(path, method.upper()) for path, item in raw["paths"].items() for method in item]


OPERATIONS = listed_operations()


def query_parameters(raw_operation: dict) -> list[str]:
    return [p["name"] for p in raw_operation.get("parameters", []) if p["in"] == "query"]


def test_the_fuzzed_operations_cover_the_storyboard_api():
    paths = {path for path, _ in OPERATIONS}

    assert len(OPERATIONS) >= 20
    assert {
        "/api/projects/{project_id}/timeline/",
        "/api/sequences/{sequence_id}/reorder/",
        "/api/sequences/{sequence_id}/frames/{which}/",
        "/api/shots/{shot_id}/duplicate/",
    } <= paths


def test_the_query_parameters_the_views_read_are_fuzzed_too(cast):
    raw = json.loads(
        Client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").content
    )
    declared = {
        (path, parameter["name"]): parameter["schema"]
        for path, item in raw["paths"].items()
        for operation in item.values()
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "query"
    }

    assert {
        ("/api/projects/{project_id}/comments/", "shot"),
        ("/api/projects/{project_id}/comments/", "take"),
        ("/api/projects/{project_id}/activity/", "user"),
        ("/api/element-images/{image_id}/thumbnail/", "size"),
        ("/api/projects/{project_id}/mentions/", "q"),
        ("/api/projects/{project_id}/jobs/", "active"),
    } <= set(declared)
    for (path, name), schema in declared.items():
        if schema.get("type") == "integer":  # the id range, so that fuzzing steps out of it
            assert (schema["minimum"], schema["maximum"]) == (MIN_ID, MAX_ID), (path, name)


def test_the_schema_documents_the_version_that_edits_carry(cast):
    raw = json.loads(
        Client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").content
    )

    for path in ("/api/shots/{shot_id}/", "/api/sequences/{sequence_id}/"):
        body = raw["paths"][path]["patch"]["requestBody"]["content"]["application/json"]
        component = body["schema"]["$ref"].rsplit("/", 1)[-1]
        assert "version" in raw["components"]["schemas"][component]["properties"], path


@pytest.mark.parametrize(("path", "method"), OPERATIONS, ids=[f"{m} {p}" for p, m in OPERATIONS])
def test_no_request_makes_the_api_answer_with_a_server_error(cast, target, path, method):
    operation = target.schema[path][method]
    statuses: list[int] = []

    def call(case) -> None:
        response = case.call_and_validate(
            headers=target.headers, checks=[schemathesis.checks.not_a_server_error]
        )
        statuses.append(response.status_code)

    raw = target.schema.raw_schema["paths"][path][method.lower()]
    real_path = {
        p["name"]: target.real_ids[p["name"]]
        for p in raw.get("parameters", [])
        if p["in"] == "path"
    }
    if (path, method) == FRAME_PUT:
        body, media_type = {"image": image_bytes()}, "multipart/form-data"
    elif (path, method) == EDIT_IMPORT:
        body, media_type = {"file": edited_timeline(cast)}, "multipart/form-data"
    elif (path, method) == PROJECT_IMPORT:
        body, media_type = {"file": export_project(cast.project)[0]}, "multipart/form-data"
    else:
        body, media_type = VALID_BODIES.get((path, method), lambda cast: None)(cast), None
    if body is not None or "requestBody" not in raw:
        with_body = {} if body is None else {"body": body, "media_type": media_type or JSON}
        call(operation.Case(path_parameters=real_path, **with_body))
        assert statuses == [statuses[0]]
        if (path, method) in REFUSED_TO_THE_OWNER:
            assert statuses[0] == 400
        else:
            assert statuses[0] < 300, "the well-formed request on real objects was not accepted"
    FUZZ(given(operation.as_strategy(GenerationMode.POSITIVE))(call))()
    if "requestBody" in raw or query_parameters(raw):
        wrong_input = operation.as_strategy(GenerationMode.NEGATIVE, path_parameters=real_path)
        FUZZ(given(wrong_input)(call))()

    assert len(statuses) > EXAMPLES_PER_OPERATION / 2, "hypothesis sent hardly any request"
