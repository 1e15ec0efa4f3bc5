"""POST /api/sequences/{id}/validate/ reports each broken rule at the field that breaks it."""

from elements_app import actions as element_actions
from script import rules
from script.rules import ShotDraft, shot_prompt
from storyboard_app import actions


def validate(cast, who="owner"):
    response = cast.client(who).post(
        f"/api/sequences/{cast.sequence.pk}/validate/", {}, format="json"
    )
    assert response.status_code == 200
    return response.json()


def test_a_storyboard_within_the_rules_is_ok_with_its_estimate(cast):
    report = validate(cast)
    assert report["ok"] is True
    assert report["errors"] == {}
    assert report["estimate"] == {"seconds": 2 + 3 + 4, "cost": 0, "balance": 100}


def test_the_report_gives_each_shots_prompt_length_as_the_model_counts_it(cast):
    report = validate(cast)
    first = cast.shots[0]
    expected = len(
        shot_prompt(
            ShotDraft(
                duration=first.duration,
                text=first.text,
                dialogue=(rules.LineDraft(speaker="Mara", text="Line 1", language="en"),),
            )
        )
    )
    assert report["prompt_chars"]["shots"][0] == expected
    assert report["prompt_chars"]["whole"] == sum(report["prompt_chars"]["shots"])


def test_a_long_shot_prompt_is_reported_on_that_shots_text(cast):
    shot = cast.shots[1]
    actions.update_shot(shot, shot.version, {"text": "x" * rules.MAX_SHOT_PROMPT_CHARS})
    report = validate(cast)
    assert report["ok"] is False
    assert list(report["errors"]) == ["shots.1.text"]
    assert "limit is 512" in report["errors"]["shots.1.text"][0]


def test_a_total_over_fifteen_seconds_is_reported_on_the_duration(cast):
    shot = cast.shots[2]
    actions.update_shot(shot, shot.version, {"duration": 12})
    report = validate(cast)
    assert report["errors"]["duration"] == [
        "The sequence lasts 17 s; it must last between 3 and 15 s."
    ]


def test_a_seventh_shot_is_reported_on_the_shots(cast):
    for _ in range(4):
        actions.add_shot(cast.sequence, {"duration": 1})
    report = validate(cast)
    assert report["errors"]["shots"] == ["A sequence holds at most 6 shots; this one has 7."]


def test_a_viewer_may_check_the_storyboard(cast):
    assert validate(cast, "viewer")["ok"] is True


def test_validation_reads_the_storyboard_in_a_fixed_number_of_queries(
    cast, django_assert_num_queries
):
    for _ in range(3):
        actions.add_shot(cast.sequence, {"duration": 1, "dialogue": [{"text": "Hi"}]})
    library = element_actions.create_library(cast.owner, "Cast")
    element_actions.attach_library(cast.project, library, cast.owner)
    for handle in ("Mara", "Tomas"):
        element_actions.create_element(library, {"handle": handle, "kind": "character"})
    validate(cast)  # opens the caller's credit account
    # access with the project (1); for the rules: shots, their dialogue, the handles the
    # project may use (3); for the compiler: shots, dialogue, elements, their images, voices
    # and remote ids (6); the caller's balance (1)
    with django_assert_num_queries(11):
        validate(cast)


def test_kling_is_checked_for_what_its_model_can_take_and_priced(cast, settings):
    settings.KLING_API_KEY = "key"
    cast.sequence.model_family = "omni"
    cast.sequence.negative_prompt = "blur"
    cast.sequence.save()

    report = (
        cast.client("editor")
        .post(f"/api/sequences/{cast.sequence.pk}/validate/", {"provider": "kling"}, format="json")
        .json()
    )

    assert report["ok"] is False
    assert "omni" in report["errors"]["negative_prompt"][0]
    assert report["estimate"]["cost"] > 0
    assert report["estimate"]["balance"] == 100


def test_a_provider_that_is_not_configured_is_reported_at_provider(cast):
    report = (
        cast.client("editor")
        .post(f"/api/sequences/{cast.sequence.pk}/validate/", {"provider": "kling"}, format="json")
        .json()
    )

    assert report["ok"] is False
    assert "not available" in report["errors"]["provider"][0]
