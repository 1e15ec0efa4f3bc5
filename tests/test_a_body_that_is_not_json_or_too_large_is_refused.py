"""A body that is not JSON (cut short, a form, NaN, not UTF-8, nested too deep, another
content type) gets a JSON error, a body of 3 megabytes a 413, a frame sent as JSON a 415,
a frame upload without a file an error at `image`: none of them changes anything.
"""

import pytest

from tests.bad_input_helpers import (
    MEGABYTE,
    send,
    url_of,
)

# Bodies that are not JSON, or too much of it


@pytest.mark.parametrize(
    ("body", "content_type", "status", "says"),
    [
        ('{"version": 1, "text": ', "application/json", 400, "JSON parse error"),
        ("version=1&text=x", "application/json", 400, "JSON parse error"),
        ('{"version": NaN}', "application/json", 400, "JSON parse error"),
        (b"\xff\xfe{}", "application/json", 400, "JSON parse error"),
        ("[" * 100_000 + "]" * 100_000, "application/json", 400, "JSON parse error"),
        ('{"version": 1}', "text/plain", 415, "Unsupported media type"),
        ('{"version": 1}', "application/xml", 415, "Unsupported media type"),
    ],
    ids=["cut short", "a form", "NaN", "not UTF-8", "nested 100 000 deep", "text", "xml"],
)
def test_a_body_that_is_not_json_gets_a_json_error_and_changes_nothing(
    cast, db_rows, body, content_type, status, says
):
    before = db_rows()

    response = cast.client("owner").generic(
        "PATCH",
        url_of(cast, "shot"),
        body if isinstance(body, bytes) else body.encode(),
        content_type,
    )

    assert response.status_code == status
    assert says in response.json()["detail"]
    assert db_rows() == before


@pytest.mark.parametrize("kind", ["projects", "shot", "reorder", "sequences"])
def test_a_body_of_3_megabytes_gets_413_and_changes_nothing(cast, db_rows, kind):
    before = db_rows()
    body = {"version": 1, "title": "t" * (3 * MEGABYTE), "text": "x", "shot_ids": []}

    response = send(
        cast.client("owner"), "PATCH" if kind == "shot" else "POST", url_of(cast, kind), body
    )

    assert response.status_code == 413
    assert response.json() == {"detail": "The request body is too large."}
    assert db_rows() == before


def test_a_frame_sent_as_json_gets_415(cast, db_rows):
    before = db_rows()

    response = send(cast.client("owner"), "PUT", url_of(cast, "frame"), {"image": "aGVsbG8="})

    assert response.status_code == 415
    assert response.json() == {"detail": 'Unsupported media type "application/json" in request.'}
    assert db_rows() == before


def test_a_frame_upload_without_a_file_names_the_image_field(cast, db_rows):
    before = db_rows()

    response = cast.client("owner").put(
        url_of(cast, "frame"), {"picture": "nothing"}, format="multipart"
    )

    assert response.status_code == 400
    assert response.json() == {"image": ["No file was submitted."]}
    assert db_rows() == before
