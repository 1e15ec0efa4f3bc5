"""What a model cannot do is a validation error before the job exists (compiler/storyboard.py).

Each refusal comes back at a field path with a message that says what to do, and `request` is
then None; the animatic, which can draw anything a storyboard holds, refuses only what the
storyboard rules refuse. Pure data in and out: no database.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compiler.storyboard import compile_request

pytestmark = pytest.mark.filterwarnings("error")


def image(name: str = "pic.jpg", width=1024, height=1024, fmt="JPEG", size=500_000) -> dict:
    return {
        "file": f"private/{name}",
        "width": width,
        "height": height,
        "bytes": size,
        "format": fmt,
    }


def element(id: int, handle: str, images: int = 1, remote: str | None = None, **extra) -> dict:
    return {
        "id": id,
        "handle": handle,
        "kind": "character",
        "description": "",
        "voice_language": "",
        "voice_accent": "",
        "images": [image(f"{handle}/{n}.jpg") for n in range(images)],
        "voice": None,
        "remote_ids": {"kling": remote} if remote else {},
        **extra,
    }


def shot(duration: int = 5, text: str = "A quiet street.", dialogue=(), **extra) -> dict:
    return {
        "duration": duration,
        "shot_size": "medium",
        "camera_angle": "eye_level",
        "camera_movement": "static",
        "text": text,
        "lettering": "",
        "transition": "cut",
        "sound_notes": "",
        "dialogue": list(dialogue),
        **extra,
    }


def storyboard(shots=None, elements=(), aspect_ratio="16:9", **sequence) -> dict:
    fields = {
        "id": 1,
        "mode": "custom",
        "prompt": "",
        "auto_duration": 5,
        "model_family": "standard",
        "native_audio": True,
        "quality": "1080p",
        "negative_prompt": "",
        "seed": None,
        "first_frame": None,
        "end_frame": None,
        "shots": [shot()] if shots is None else shots,
    }
    fields.update(sequence)
    return {"aspect_ratio": aspect_ratio, "sequence": fields, "elements": list(elements)}


def mentioning(*handles: str, **sequence) -> dict:
    """A storyboard whose one shot mentions `handles`, each an element with one image."""
    text = " and ".join(f"@{handle}" for handle in handles) + " meet."
    elements = [element(n + 1, handle) for n, handle in enumerate(handles)]
    return storyboard([shot(text=text)], elements, **sequence)


def refused(provider: str, board: dict) -> dict[str, list[str]]:
    compiled = compile_request(provider, board)
    assert compiled.request is None
    assert compiled.errors
    return compiled.errors


def accepted(provider: str, board: dict):
    compiled = compile_request(provider, board)
    assert compiled.errors == {}
    assert compiled.request is not None
    return compiled


# Elements and the model family


def test_text_to_video_refuses_elements_and_says_to_add_a_first_frame_or_use_omni():
    errors = refused("kling", mentioning("Mara", "Teo"))

    assert errors == {
        "elements": [
            "Text-to-video cannot take elements (@Mara, @Teo): add a first frame or switch to "
            "the omni model family."
        ]
    }


def test_a_speaker_element_counts_as_an_element_too():
    line = {
        "speaker": "@Mara",
        "speaker_element": 1,
        "text": "Hi.",
        "language": "en",
        "delivery": "",
        "voice_over": False,
    }
    board = storyboard([shot(dialogue=[line])], [element(1, "Mara")])

    assert list(refused("kling", board)) == ["elements"]


def test_image_to_video_takes_three_elements_but_not_four():
    frame = image("first.jpg", 1920, 1080)
    accepted("kling", mentioning("A1", "B2", "C3", first_frame=frame))

    errors = refused("kling", mentioning("A1", "B2", "C3", "D4", first_frame=frame))

    assert errors == {
        "elements": [
            "Image-to-video takes at most 3 elements; this sequence mentions 4 (@A1, @B2, @C3, "
            "@D4). Mention fewer or switch to the omni model family."
        ]
    }


def test_omni_takes_seven_frames_and_elements_together_but_not_eight():
    handles = [f"E{n}" for n in range(7)]
    accepted("kling", mentioning(*handles, model_family="omni"))
    frame = image("first.jpg", 1920, 1080)

    errors = refused("kling", mentioning(*handles, model_family="omni", first_frame=frame))

    assert errors["elements"] == [
        "The omni model takes at most 7 frames and elements together; this sequence has 1 "
        "frame(s) and 7 elements (@E0, @E1, @E2, @E3, @E4, @E5, @E6). Mention fewer elements "
        "or remove a frame."
    ]


def test_omni_with_a_first_and_an_end_frame_takes_at_most_three_elements():
    frames = {"first_frame": image("a.jpg", 1920, 1080), "end_frame": image("b.jpg", 1920, 1080)}
    accepted("kling", mentioning("A1", "B2", "C3", model_family="omni", **frames))

    errors = refused("kling", mentioning("A1", "B2", "C3", "D4", model_family="omni", **frames))

    assert errors == {
        "elements": [
            "With both a first and an end frame the omni model takes at most 3 elements; this "
            "sequence mentions 4 (@A1, @B2, @C3, @D4). Mention fewer or remove the end frame."
        ]
    }


def test_an_element_without_an_image_is_refused_by_kling_but_drawn_as_a_card_by_the_animatic():
    board = storyboard([shot(text="@Bo waves.")], [element(1, "Bo", images=0)], model_family="omni")

    assert refused("kling", board) == {
        "elements": ["@Bo has no reference image; add one in its library."]
    }
    assert accepted("animatic", board).request["shots"][0]["picture"] is None


# Frames


@pytest.mark.parametrize("family", ["standard", "omni"])
def test_an_end_frame_needs_a_first_frame(family):
    board = storyboard(model_family=family, end_frame=image("end.jpg", 1920, 1080))

    assert refused("kling", board) == {
        "end_frame": [
            "An end frame needs a first frame: add a first frame or remove the end frame."
        ]
    }


@pytest.mark.parametrize("family", ["standard", "omni"])
def test_an_end_frame_needs_pro_mode_so_720p_is_refused(family):
    frames = {"first_frame": image("a.jpg", 1920, 1080), "end_frame": image("b.jpg", 1920, 1080)}
    accepted("kling", storyboard(model_family=family, **frames))

    errors = refused("kling", storyboard(model_family=family, quality="720p", **frames))

    assert errors == {
        "end_frame": ["An end frame needs Kling's pro mode: choose 1080p or remove the end frame."]
    }


BAD_IMAGES = {
    "webp": (
        image(fmt="WEBP"),
        "is WEBP, and Kling takes only JPEG or PNG",
    ),
    "over 10 MB": (
        image(size=10_000_001),
        "is 10.1 MB, and Kling takes at most 10 MB",
    ),
    "under 300 px": (
        image(width=299, height=600),
        "is 299×600 px, and Kling needs at least 300 px on each side",
    ),
    "too wide": (
        image(width=2600, height=1000),
        "is 2600×1000 px, and Kling needs a shape between 1:2.5 and 2.5:1",
    ),
}


@pytest.mark.parametrize(("bad", "problem"), BAD_IMAGES.values(), ids=BAD_IMAGES.keys())
def test_a_first_frame_kling_cannot_read_is_refused_with_the_reason(bad, problem):
    errors = refused("kling", storyboard(first_frame=bad))

    assert errors == {"first_frame": [f"The first frame {problem}: replace it."]}


@pytest.mark.parametrize(("bad", "problem"), BAD_IMAGES.values(), ids=BAD_IMAGES.keys())
def test_an_end_frame_kling_cannot_read_is_refused_with_the_reason(bad, problem):
    board = storyboard(first_frame=image(width=1024, height=1024), end_frame=bad)

    assert refused("kling", board) == {"end_frame": [f"The end frame {problem}: replace it."]}


@pytest.mark.parametrize(("bad", "problem"), BAD_IMAGES.values(), ids=BAD_IMAGES.keys())
def test_an_element_image_kling_cannot_read_is_refused_with_the_reason(bad, problem):
    mara = element(1, "Mara", images=2)
    mara["images"][1] = bad
    board = storyboard([shot(text="@Mara smiles.")], [mara], model_family="omni")

    assert refused("kling", board) == {
        "elements": [f"@Mara's image 2 {problem}: replace it in its library."]
    }


@pytest.mark.parametrize(("bad", "problem"), BAD_IMAGES.values(), ids=BAD_IMAGES.keys())
def test_the_animatic_draws_any_image(bad, problem):
    accepted("animatic", storyboard(first_frame=bad))


def test_images_at_the_limits_are_accepted():
    limits = [
        image(fmt="PNG", size=10_000_000),
        image(width=300, height=300),
        image(width=2500, height=1000),
        image(width=400, height=1000),
    ]
    for frame in limits:
        accepted("kling", storyboard(first_frame=frame, aspect_ratio="1:1"))


def test_a_registered_elements_images_are_not_checked_again():
    mara = element(1, "Mara", remote="777")
    mara["images"][0] = image(fmt="WEBP")
    board = storyboard([shot(text="@Mara smiles.")], [mara], model_family="omni")

    assert accepted("kling", board).request["elements"][0]["remote_id"] == "777"


def test_a_first_frame_of_another_shape_than_the_project_is_a_warning():
    compiled = accepted("kling", storyboard(first_frame=image(width=1024, height=1024)))

    assert compiled.warnings == [
        "The first frame is 1024×1024, not 16:9: Kling follows the frame's shape, so the take "
        "will not be 16:9. Crop the frame to 16:9 to keep the project's shape."
    ]
    assert "aspect_ratio" not in compiled.request["body"]


# Prompt settings


def test_omni_refuses_a_negative_prompt_and_standard_takes_it():
    assert (
        accepted("kling", storyboard(negative_prompt="blur")).request["body"]["negative_prompt"]
        == "blur"
    )

    errors = refused("kling", storyboard(model_family="omni", negative_prompt="blur"))

    assert errors == {
        "negative_prompt": [
            "Kling does not confirm negative prompts on the omni model family: clear the "
            "negative prompt or switch to the standard model family."
        ]
    }


def test_a_seed_is_ignored_by_kling_with_a_warning_not_an_error():
    compiled = accepted("kling", storyboard(seed=7))

    assert compiled.warnings == ["Kling has no seed: the seed 7 is ignored."]


def test_a_prompt_that_outgrows_the_shot_limit_once_mentions_become_references_is_refused():
    # "@A" (2 characters) becomes "<<<element_1>>>" (15): 40 mentions add 520 characters.
    text = " ".join(["@A"] * 40)
    board = storyboard([shot(text=text)], [element(1, "A")], model_family="omni")
    accepted("animatic", board)

    errors = refused("kling", board)

    assert list(errors) == ["shots.0.text"]
    assert errors["shots.0.text"][0].startswith("Shot 1's prompt becomes 647 characters once")
    assert errors["shots.0.text"][0].endswith("the limit is 512. Shorten its text or dialogue.")


# The storyboard rules come first, for every provider


@pytest.mark.parametrize("provider", ["kling", "animatic"])
def test_storyboard_rule_errors_refuse_the_request_with_seconds_and_cost_still_estimated(
    provider,
):
    compiled = compile_request(provider, storyboard([shot(10), shot(6)], native_audio=False))

    assert compiled.request is None
    assert compiled.errors == {
        "duration": ["The sequence lasts 16 s; it must last between 3 and 15 s."]
    }
    assert compiled.seconds == 16
    assert compiled.cost == (32 if provider == "kling" else 0)


@pytest.mark.parametrize("provider", ["kling", "animatic"])
def test_an_unknown_mention_is_refused_in_a_shot_and_in_an_auto_prompt(provider):
    in_shot = storyboard([shot(text="@Nobody waits.")], model_family="omni")
    in_prompt = storyboard(mode="auto", prompt="@Nobody waits.", model_family="omni")

    assert refused(provider, in_shot) == {
        "shots.0.text": ["@Nobody is not an element of this project's libraries."]
    }
    assert refused(provider, in_prompt) == {
        "prompt": ["@Nobody is not an element of this project's libraries."]
    }


def test_an_unknown_provider_is_refused():
    errors = refused("sora", storyboard())

    assert errors == {"provider": ["There is no provider called 'sora'; choose animatic or kling."]}


def test_an_unknown_quality_is_refused_before_any_provider_looks_it_up():
    errors = refused("animatic", storyboard(quality="4k"))

    assert errors == {"quality": ["'4k' is not a quality; use 720p, 1080p."]}


# multi_prompt durations


@given(st.lists(st.integers(min_value=1, max_value=15), min_size=1, max_size=6))
def test_multi_prompt_durations_are_strings_that_sum_to_the_duration(durations):
    compiled = compile_request("kling", storyboard([shot(d) for d in durations]))
    if not 3 <= sum(durations) <= 15:
        assert compiled.errors == {
            "duration": [f"The sequence lasts {sum(durations)} s; it must last between 3 and 15 s."]
        }
        return
    body = compiled.request["body"]
    entries = body["multi_prompt"]

    assert [entry["index"] for entry in entries] == list(range(1, len(durations) + 1))
    assert all(isinstance(entry["duration"], str) for entry in entries)
    assert [int(entry["duration"]) for entry in entries] == durations
    assert body["duration"] == str(sum(durations)) == str(compiled.seconds)
