"""Helpers of the bad-input tests (tests/test_a_bad_field_*, test_a_body_that_is_not_json_*,
test_bad_or_foreign_ids_*, test_input_is_kept_*): the storyboard routes by kind and a JSON
request of any method.

Together those tests check that bad input gets a 4xx with a JSON message naming the field, never
a 500, and changes nothing.
"""

import json

from django.urls import reverse

from tests.conftest import Cast

HUGE_ID = 99999999999999999999999
MEGABYTE = 1024 * 1024


def url_of(cast: Cast, kind: str) -> str:
    return {
        "projects": reverse("api-projects"),
        "project": reverse("api-project", args=[cast.project.pk]),
        "sequences": reverse("api-project-sequences", args=[cast.project.pk]),
        "sequence": reverse("api-sequence", args=[cast.sequence.pk]),
        "shots": reverse("api-sequence-shots", args=[cast.sequence.pk]),
        "shot": reverse("api-shot", args=[cast.shots[0].pk]),
        "reorder": reverse("api-sequence-reorder", args=[cast.sequence.pk]),
        "validate": reverse("api-sequence-validate", args=[cast.sequence.pk]),
        "frame": reverse("api-sequence-frame", args=[cast.sequence.pk, "first"]),
    }[kind]


def send(client, method: str, url: str, body):
    return client.generic(method, url, json.dumps(body), content_type="application/json")
