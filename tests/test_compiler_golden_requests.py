"""Storyboards compile to exactly the provider requests on file (compiler/storyboard.py), no DB.

Each `tests/golden/compiler/<case>.input.json` is a storyboard snapshot; `<case>.<provider>.json`
is the whole outcome of compiling it for that provider (request, errors, warnings, seconds,
cost), compared exactly. After a deliberate change, rewrite them with
`UPDATE_GOLDEN=1 pytest tests/test_compiler_golden_requests.py` and review the diff.
"""

import copy
import json
import os
from dataclasses import asdict
from pathlib import Path

import pytest

from compiler.storyboard import compile_request

pytestmark = pytest.mark.filterwarnings("error")

GOLDEN = Path(__file__).parent / "golden" / "compiler"
INPUT_SUFFIX = ".input.json"
PROVIDERS = ("kling", "animatic")
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
CASES = sorted(path.name.removesuffix(INPUT_SUFFIX) for path in GOLDEN.glob(f"*{INPUT_SUFFIX}"))


def load(case: str) -> dict:
    return json.loads((GOLDEN / f"{case}{INPUT_SUFFIX}").read_text(encoding="utf-8"))


def outcome(provider: str, case: str) -> dict:
    return asdict(compile_request(provider, load(case)))


def test_the_golden_cases_are_there():
    assert len(CASES) >= 6
    for case in CASES:
        for provider in PROVIDERS:
            assert (GOLDEN / f"{case}.{provider}.json").exists() or UPDATE, (
                f"{case}.{provider}.json is missing: run with UPDATE_GOLDEN=1 to write it"
            )


@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize("case", CASES)
def test_each_storyboard_compiles_to_its_golden_request(case, provider):
    got = outcome(provider, case)
    path = GOLDEN / f"{case}.{provider}.json"
    if UPDATE:
        path.write_text(json.dumps(got, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    assert got == json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize("case", CASES)
def test_a_compiled_request_survives_a_json_round_trip(case, provider):
    got = outcome(provider, case)

    assert json.loads(json.dumps(got)) == got


@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize("case", CASES)
def test_compiling_leaves_the_snapshot_unchanged(case, provider):
    snapshot = load(case)
    before = copy.deepcopy(snapshot)

    compile_request(provider, snapshot)

    assert snapshot == before


def test_every_kling_golden_request_names_its_files_and_elements_as_placeholders():
    requests = [outcome("kling", case)["request"] for case in CASES]
    accepted = [request for request in requests if request is not None]

    assert accepted
    for request in accepted:
        body = request["body"]
        refs = [entry["element_id"] for entry in body.get("element_list", [])]
        assert refs == [{"$element": element["ref"]} for element in request["elements"]]
        for element in request["elements"]:
            assert set(element["frontal_image"]) == {"$file"}
            assert 1 <= len(element["refer_images"]) <= 3
        assert "callback_url" not in body
        assert "external_task_id" not in body


@pytest.mark.parametrize(
    ("quality", "aspect_ratio", "size"),
    [
        ("720p", "16:9", (1280, 720)),
        ("720p", "9:16", (720, 1280)),
        ("720p", "1:1", (720, 720)),
        ("1080p", "16:9", (1920, 1080)),
        ("1080p", "9:16", (1080, 1920)),
        ("1080p", "1:1", (1080, 1080)),
    ],
)
def test_the_animatic_frame_follows_the_quality_and_the_aspect_ratio(quality, aspect_ratio, size):
    snapshot = load(CASES[0])
    snapshot["aspect_ratio"] = aspect_ratio
    snapshot["sequence"]["quality"] = quality

    request = compile_request("animatic", snapshot).request

    assert (request["width"], request["height"]) == size
    assert request["fps"] == 24
