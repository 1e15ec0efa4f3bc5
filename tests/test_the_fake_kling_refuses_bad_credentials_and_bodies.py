"""The fake Kling server checks what docs/kling_api.md says the legacy API checks: missing,
wrong, early or expired credentials get 401 with their code (the API key and a signed token
are both accepted); an invalid video or element body gets 400 and 1201 naming the field, a
body that is not JSON 1200, an unknown path 404 and 1202, a reused external task id 1201.
"""

import time

import jwt
import pytest

from tests.fake_kling_helpers import (
    ACCESS_KEY,
    API_KEY,
    ELEMENTS,
    I2V,
    OMNI,
    OTHER_SECRET,
    SECRET_KEY,
    T2V,
    api_client,
    element_body,
    fake_server,
    i2v,
    omni,
    plain_client,
    t2v,
    token,
)
from tests.kling_helpers import image_b64


@pytest.fixture
def server():
    with fake_server() as fake:
        yield fake


@pytest.fixture
def client(server):
    with api_client(server) as http:
        yield http


@pytest.fixture
def plain(server):
    """A client without credentials (result links, the control endpoint, auth failures)."""
    with plain_client(server) as http:
        yield http


# -- authentication ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("authorization", "code"),
    [
        (None, 1001),
        ("", 1001),
        ("Bearer", 1001),
        ("Basic a2V5OnZhbHVl", 1001),
        ("Bearer wrong-key", 1002),
        ("Bearer " + jwt.encode({"iss": ACCESS_KEY, "exp": 2**40}, OTHER_SECRET, "HS256"), 1002),
        ("Bearer " + jwt.encode({"iss": "someone", "exp": 2**40}, SECRET_KEY, "HS256"), 1002),
    ],
)
def test_missing_or_wrong_credentials_get_401_with_their_code(plain, authorization, code):
    headers = {"Authorization": authorization} if authorization is not None else {}
    response = plain.post(T2V, json=t2v(), headers=headers)
    assert response.status_code == 401
    assert response.json()["code"] == code
    assert response.json()["request_id"]


def test_a_token_not_yet_valid_gets_1003_and_an_expired_one_1004(plain):
    early = token(nbf=int(time.time()) + 60)
    late = token(exp=int(time.time()) - 60, nbf=int(time.time()) - 120)
    for value, code in ((early, 1003), (late, 1004)):
        response = plain.get(f"{T2V}/1", headers={"Authorization": f"Bearer {value}"})
        assert (response.status_code, response.json()["code"]) == (401, code)


def test_the_api_key_and_a_signed_token_are_both_accepted(plain):
    for value in (API_KEY, token()):
        response = plain.post(T2V, json=t2v(), headers={"Authorization": f"Bearer {value}"})
        assert response.status_code == 200
        assert response.json()["code"] == 0


# -- validation ------------------------------------------------------------------------------

LONG = "x" * 2501
SHOTS_OK = [
    {"index": 1, "prompt": "a", "duration": "2"},
    {"index": 2, "prompt": "b", "duration": "3"},
]


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        (T2V, t2v(model_name="kling-v2-6"), "model_name"),
        (OMNI, omni(model_name="kling-v3"), "model_name"),
        (T2V, t2v(duration=5), "duration"),
        (T2V, t2v(duration="2"), "duration"),
        (T2V, t2v(duration="16"), "duration"),
        (T2V, t2v(mode="ultra"), "mode"),
        (T2V, t2v(sound="loud"), "sound"),
        (T2V, t2v(aspect_ratio="4:3"), "aspect_ratio"),
        (T2V, t2v(prompt=LONG), "prompt"),
        (T2V, t2v(negative_prompt=LONG), "negative_prompt"),
        (T2V, t2v(prompt=""), "prompt"),
        (T2V, t2v(multi_shot=True), "shot_type"),
        (T2V, t2v(multi_shot=True, shot_type="customize"), "multi_prompt"),
        (T2V, t2v(multi_shot=True, shot_type="intelligence", prompt=""), "prompt"),
        (
            T2V,
            t2v(
                multi_shot=True,
                shot_type="customize",
                duration="7",
                multi_prompt=[{"index": i, "prompt": "s", "duration": "1"} for i in range(1, 8)],
            ),
            "multi_prompt",
        ),
        (
            T2V,
            t2v(
                multi_shot=True,
                shot_type="customize",
                multi_prompt=[{"index": 1, "prompt": "p" * 513, "duration": "5"}],
            ),
            "multi_prompt[0].prompt",
        ),
        (
            T2V,
            t2v(
                multi_shot=True,
                shot_type="customize",
                multi_prompt=[
                    {"index": 1, "prompt": "a", "duration": "0"},
                    {"index": 2, "prompt": "b", "duration": "5"},
                ],
            ),
            "multi_prompt[0].duration",
        ),
        (
            T2V,
            t2v(multi_shot=True, shot_type="customize", duration="6", multi_prompt=SHOTS_OK),
            "multi_prompt",
        ),
        (I2V, {"model_name": "kling-v3", "duration": "5"}, "image"),
        (I2V, i2v(image="data:image/png;base64," + image_b64()), "image"),
        (I2V, i2v(image="not base64 at all!"), "image"),
        (I2V, i2v(image=image_b64((200, 400))), "image"),
        (I2V, i2v(image=image_b64((1000, 300))), "image"),
        (I2V, i2v(image=image_b64((640, 360), "GIF")), "image"),
        (I2V, i2v(image_tail=image_b64((100, 100))), "image_tail"),
        (I2V, i2v(element_list=[{"element_id": 1}] * 4), "element_list"),
        (I2V, i2v(element_list=[{"element_id": 424242}]), "element_list[0].element_id"),
        (I2V, i2v(element_list=[{"element_id": "12"}]), "element_list[0].element_id"),
        (OMNI, omni(aspect_ratio=None), "aspect_ratio"),
        (OMNI, omni(image_list=[{"image_url": image_b64(), "type": "end_frame"}]), "image_list"),
        (OMNI, omni(image_list=[{"image_url": image_b64()}] * 8), "element_list"),
        (
            OMNI,
            omni(video_list=[{"video_url": "https://v/1.mp4", "refer_type": "feature"}] * 2),
            "video_list",
        ),
        (
            OMNI,
            omni(video_list=[{"video_url": "https://v/1.mp4", "refer_type": "base"}], sound="on"),
            "sound",
        ),
        (T2V, t2v(callback_url="ftp://somewhere"), "callback_url"),
    ],
)
def test_invalid_bodies_get_400_and_1201_naming_the_field(client, path, body, field):
    body = {key: value for key, value in body.items() if value is not None}
    response = client.post(path, json=body)
    assert response.status_code == 400, response.text
    assert response.json()["code"] == 1201
    assert response.json()["message"].startswith(f"{field}:")


def test_valid_storyboards_and_references_are_accepted(client):
    storyboard = t2v(multi_shot=True, shot_type="customize", prompt="", multi_prompt=SHOTS_OK)
    references = omni(
        image_list=[
            {"image_url": image_b64(), "type": "first_frame"},
            {"image_url": image_b64(), "type": "end_frame"},
        ],
        aspect_ratio=None,
    )
    for path, body in ((T2V, storyboard), (I2V, i2v(prompt="")), (OMNI, {**references})):
        body = {key: value for key, value in body.items() if value is not None}
        assert client.post(path, json=body).json()["code"] == 0


def test_a_body_that_is_not_json_gets_1200(client):
    response = client.post(T2V, content=b"{not json", headers={"Content-Type": "application/json"})
    assert (response.status_code, response.json()["code"]) == (400, 1200)


def test_an_unknown_path_gets_404_and_1202(client):
    response = client.post("/v1/videos/text-to-everything", json={})
    assert (response.status_code, response.json()["code"]) == (404, 1202)


def test_an_external_task_id_is_unique_per_account(client):
    assert client.post(T2V, json=t2v(external_task_id="job-1")).json()["code"] == 0
    again = client.post(I2V, json=i2v(external_task_id="job-1"))
    assert again.status_code == 400
    assert again.json() | {"request_id": ""} == {
        "code": 1201,
        "message": "external_task_id already exists",
        "request_id": "",
    }


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"element_name": "n" * 21}, "element_name"),
        ({"element_description": "d" * 101}, "element_description"),
        ({"reference_type": "video_refer"}, "reference_type"),
        (
            {"element_image_list": {"frontal_image": image_b64(), "refer_images": []}},
            "element_image_list.refer_images",
        ),
        (
            {"element_image_list": {"frontal_image": image_b64((100, 100))}},
            "element_image_list.frontal_image",
        ),
        ({"tag_list": [{"tag_id": "o_999"}]}, "tag_list[0].tag_id"),
    ],
)
def test_invalid_element_bodies_get_1201_naming_the_field(client, change, field):
    response = client.post(ELEMENTS, json=element_body(**change))
    assert (response.status_code, response.json()["code"]) == (400, 1201)
    assert response.json()["message"].startswith(f"{field}:")
