"""Every generation request is screened against the blocked terms before anything is saved or
sent: a block term anywhere in what would be sent answers 400 at that field, naming the
category and never the term, writes nothing but a refusal record; a review term holds the job
for a moderator (no task sent). The validate endpoint says the same; "generate again" is
screened again with the list as it is now; the list's changes take effect on the next request."""

import pytest
from django.contrib.auth.models import Group
from django.test import TestCase
from django.urls import reverse

from elements_app import actions as element_actions
from elements_app import media_actions as element_media
from elements_app.models import Element
from jobs.actions import HELD_WARNING
from jobs.choices import JobState
from jobs.models import GenerationJob, LedgerEntry
from media import check_image
from moderation import terms
from moderation.access import MODERATORS_GROUP
from moderation.models import BlockedTerm, Case
from storyboard_app.models import DialogueLine, Sequence, Shot
from tests.conftest import image_bytes, make_user
from tests.job_helpers import delivered_take, queued_job
from tests.screening_helpers import add_term, committed, delete_term

VIOLENCE = "Graphic violence"
ILLEGAL = "Illegal goods or acts"
HARASSMENT = "Harassment"


@pytest.fixture
def blocked(db):
    """A small list in the five languages: a block and a review term in English, and block
    terms in Spanish, Chinese, Japanese and Korean."""
    add_term("forbidden", "violence", "block", "en")
    add_term("gunfight", "violence", "review", "en")
    add_term("ass", "harassment", "block", "en")
    add_term("puta", "harassment", "block", "es")
    add_term("炸弹", "violence", "block", "zh")
    add_term("シャブ", "illegal", "block", "ja")
    add_term("마약", "illegal", "block", "ko")


def post(cast, url: str, body: dict | None = None, who: str = "editor"):
    """POST as `who`, with the request's commit callbacks run (as in production, where the
    request's transaction commits): the job's first task is sent, or not, for real."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return cast.client(who).post(url, body or {}, format="json")


def generate(cast, provider: str = "animatic", who: str = "editor"):
    return post(
        cast, reverse("api-sequence-generate", args=[cast.sequence.pk]), {"provider": provider}, who
    )


def validate(cast, provider: str = "animatic") -> dict:
    response = cast.client("viewer").post(
        f"/api/sequences/{cast.sequence.pk}/validate/", {"provider": provider}, format="json"
    )
    assert response.status_code == 200, response.content
    return response.json()


def set_shot(cast, index: int, **fields) -> None:
    Shot.objects.filter(pk=cast.shots[index].pk).update(**fields)


def set_line(cast, index: int, **fields) -> None:
    DialogueLine.objects.filter(shot=cast.shots[index]).update(**fields)


def set_sequence(cast, **fields) -> None:
    Sequence.objects.filter(pk=cast.sequence.pk).update(**fields)
    cast.sequence.refresh_from_db()


def mention_element(
    cast, handle: str, description: str, text: str = "{} crosses the quay."
) -> None:
    """An element made before its description's words were on the list (through the ORM,
    as screening at its creation would refuse it now), mentioned in shot 1."""
    library = element_actions.create_library(cast.owner, "Cast")
    element_actions.attach_library(cast.project, library, cast.owner)
    Element.objects.create(
        library=library, handle=handle, kind="character", description=description
    )
    set_shot(cast, 1, text=text.format(f"@{handle}"))


# Where a text goes, and the field path its error is reported at.
PLACES = {
    "shot text": (lambda cast, text: set_shot(cast, 1, text=text), "shots.1.text"),
    "lettering": (lambda cast, text: set_shot(cast, 0, lettering=text), "shots.0.lettering"),
    "sound notes": (lambda cast, text: set_shot(cast, 2, sound_notes=text), "shots.2.sound_notes"),
    "dialogue text": (lambda cast, text: set_line(cast, 0, text=text), "shots.0.dialogue.0.text"),
    "speaker": (lambda cast, text: set_line(cast, 1, speaker=text), "shots.1.dialogue.0.speaker"),
    "delivery": (
        lambda cast, text: set_line(cast, 2, delivery=text),
        "shots.2.dialogue.0.delivery",
    ),
    "sequence prompt": (lambda cast, text: set_sequence(cast, prompt=text), "prompt"),
    "negative prompt": (
        lambda cast, text: set_sequence(cast, negative_prompt=text),
        "negative_prompt",
    ),
    "mentioned element": (
        lambda cast, text: mention_element(cast, "Mara", text),
        "elements.@Mara",
    ),
    "element with a space in its handle": (
        lambda cast, text: mention_element(cast, "Old Sailor", text),
        "elements.@Old Sailor",
    ),
    "element with a Chinese handle": (
        lambda cast, text: mention_element(cast, "老周", text, "{}走进来。"),
        "elements.@老周",
    ),
}


@pytest.mark.parametrize("place", PLACES, ids=list(PLACES))
def test_a_block_term_anywhere_is_refused_at_its_field_naming_the_category(
    cast, blocked, place, media_root, sent_tasks, db_rows
):
    put, path = PLACES[place]
    put(cast, "Something Forbidden waits")
    before = db_rows()

    response = generate(cast)

    assert response.status_code == 400, response.content
    body = response.json()
    assert list(body["errors"]) == [path]
    [message] = body["errors"][path]
    assert VIOLENCE in message
    assert "forbidden" not in response.content.decode().casefold()
    # Nothing of the request was written or sent: no job, no reservation, no file, no task.
    assert db_rows() == before
    assert not GenerationJob.objects.exists()
    assert not LedgerEntry.objects.filter(job__isnull=False).exists()
    assert [p for p in media_root.rglob("*") if p.is_file()] == []
    assert sent_tasks == []


def test_a_refused_generation_is_recorded_for_the_user_with_the_terms_it_matched(cast, blocked):
    set_shot(cast, 1, text="A forbidden door")
    set_line(cast, 0, text="Mind the forbidden door.")

    assert generate(cast).status_code == 400

    case = Case.objects.get()
    assert case.state == "refused"
    assert case.source == "screening"
    assert case.category == "violence"
    assert case.owner == cast.editor
    assert case.project == cast.project
    assert case.job is None
    assert {(m["field"], m["term"], m["severity"]) for m in case.matched} == {
        ("shots.1.text", "forbidden", "block"),
        ("shots.0.dialogue.0.text", "forbidden", "block"),
    }
    assert "shots.1.text: A forbidden door" in case.excerpt


def test_a_clean_storyboard_is_queued_and_sent_and_opens_no_case(cast, blocked, sent_tasks):
    response = generate(cast)

    assert response.status_code == 202, response.content
    assert response.json()["state"] == "queued"
    assert [job_id for _, job_id, _ in sent_tasks] == [response.json()["id"]]
    assert not Case.objects.exists()


def test_a_review_term_holds_the_job_unsent_with_an_open_case(cast, blocked, sent_tasks):
    set_shot(cast, 1, text="A gunfight on the pier")

    response = generate(cast)

    assert response.status_code == 202, response.content
    assert response.json()["state"] == "held"
    job = GenerationJob.objects.get(pk=response.json()["id"])
    assert job.state == JobState.HELD
    assert sent_tasks == []
    case = Case.objects.get()
    assert (case.state, case.source, case.subject_kind) == ("open", "screening", "job")
    assert case.job == job
    assert case.owner == cast.editor
    assert case.category == "violence"
    assert [(m["field"], m["term"], m["severity"]) for m in case.matched] == [
        ("shots.1.text", "gunfight", "review")
    ]
    assert "shots.1.text: A gunfight on the pier" in case.excerpt
    detail = cast.client("viewer").get(reverse("api-job", args=[job.pk]))
    assert detail.json()["state"] == "held"


def test_a_block_term_outweighs_a_review_term(cast, blocked, sent_tasks):
    set_shot(cast, 0, text="A gunfight")
    set_shot(cast, 1, text="A forbidden door")

    response = generate(cast)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["shots.1.text"]  # the review hit is no error
    assert not GenerationJob.objects.exists()
    assert Case.objects.get().state == "refused"


def test_validate_shows_the_refusal_at_its_field_and_records_nothing(cast, blocked):
    set_line(cast, 0, delivery="forbidden whisper")

    report = validate(cast)

    assert report["ok"] is False
    [message] = report["errors"]["shots.0.dialogue.0.delivery"]
    assert VIOLENCE in message
    assert "forbidden" not in message.casefold()
    assert not Case.objects.exists()


def test_validate_warns_that_a_review_term_will_wait_for_a_moderator(cast, blocked):
    report = validate(cast)
    assert HELD_WARNING not in report["warnings"]

    set_sequence(cast, negative_prompt="no gunfight please")
    report = validate(cast)

    assert report["ok"] is True
    assert HELD_WARNING in report["warnings"]
    assert not Case.objects.exists()
    assert not GenerationJob.objects.exists()


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("A ｆｏｒｂｉｄｄｅｎ door", VIOLENCE),  # full-width
        ("A f o r b i d d e n door", VIOLENCE),  # spaced out
        ("A f.o.r.b.i.d.d.e.n door", VIOLENCE),
        ("A for\u200bbid\u200ddén door", VIOLENCE),  # zero-width, accent
        ("A f0rb1dd3n door", VIOLENCE),  # substitutions
        ("You a$s!", HARASSMENT),  # "@ss" would be an @mention
        ("¡Eres una P U T A!", HARASSMENT),
        ("¡Eres una pÚt4!", HARASSMENT),
        ("他手里有炸 弹", VIOLENCE),  # Chinese: no word boundaries, spacing undone
        ("他手里有炸\u200b弹", VIOLENCE),
        ("ｼｬﾌﾞを売る男", ILLEGAL),  # half-width katakana, glued to the next word
        ("シ ャ ブを売る男", ILLEGAL),
        ("그는마약을팔았다", ILLEGAL),  # Korean glued to its particle
        ("그는 마 약 을 팔았다", ILLEGAL),
    ],
)
def test_evasions_in_five_languages_are_refused(cast, blocked, text, label):
    set_shot(cast, 0, text=text)

    response = generate(cast)

    assert response.status_code == 400, text
    [message] = response.json()["errors"]["shots.0.text"]
    assert label in message
    assert not GenerationJob.objects.exists()


@pytest.mark.parametrize(
    "text",
    [
        "The class assistant passes the glass.",  # English "ass" inside words
        "Assassins' Creed posters on the wall.",
        "Usa la computadora del capitán.",  # Spanish "puta" inside a word
        "Disputa en el puerto.",
        "炸鸡和弹琴",  # the two characters, not together
        "シャツを着た男",  # shares a kana with the term
        "마을 사람들",
    ],
)
def test_innocent_words_that_contain_a_blocked_term_pass(cast, blocked, sent_tasks, text):
    set_shot(cast, 0, text=text)

    response = generate(cast)

    assert response.status_code == 202, response.content
    assert response.json()["state"] == "queued"
    assert not Case.objects.exists()


def test_generate_again_is_screened_with_the_list_as_it_is_now(cast, media_root, sent_tasks):
    set_shot(cast, 1, text="Smugglers unload at night")
    take = delivered_take(queued_job(cast.editor, cast.sequence))
    set_shot(cast, 1, text="A quiet harbour")  # the sequence today is clean; the take is not
    again = reverse("api-take-generate-again", args=[take.pk])
    add_term("smugglers", "illegal", "block")

    response = post(cast, again)

    assert response.status_code == 400, response.content
    [message] = response.json()["errors"]["shots.1.text"]
    assert ILLEGAL in message
    assert "smugglers" not in message.casefold()
    assert GenerationJob.objects.count() == 1
    assert Case.objects.get().state == "refused"


def test_generate_again_is_held_when_the_take_now_matches_a_review_term(
    cast, media_root, sent_tasks
):
    set_shot(cast, 1, text="Smugglers unload at night")
    take = delivered_take(queued_job(cast.editor, cast.sequence))
    sent_tasks.clear()
    add_term("smugglers", "illegal", "review")

    response = post(cast, reverse("api-take-generate-again", args=[take.pk]))

    assert response.status_code == 202, response.content
    assert response.json()["state"] == "held"
    assert sent_tasks == []
    assert Case.objects.get(state="open").job_id == response.json()["id"]


def test_generate_again_screens_the_elements_its_request_sends(cast, media_root, settings):
    """Kling registers a mentioned element with its name and description: the frozen copy in
    the take's request is what would be sent again, so that is what is screened."""
    settings.KLING_API_KEY = "test-key"
    library = element_actions.create_library(cast.owner, "Cast")
    element_actions.attach_library(cast.project, library, cast.owner)
    mara = element_actions.create_element(
        library, {"handle": "Mara", "kind": "character", "description": "A smuggler's daughter"}
    )
    element_media.add_image(mara, check_image(image_bytes()), "front")
    set_shot(cast, 0, text="@Mara climbs the stairs.")
    set_sequence(cast, model_family="omni")
    take = delivered_take(queued_job(cast.editor, cast.sequence, "kling"))
    add_term("smuggler", "illegal", "block")

    response = post(cast, reverse("api-take-generate-again", args=[take.pk]))

    assert response.status_code == 400, response.content
    assert [ILLEGAL in m for m in response.json()["errors"]["elements.@Mara"]] == [True]


def test_a_term_added_takes_effect_on_the_next_request_and_a_deleted_one_stops(cast, sent_tasks):
    set_shot(cast, 1, text="Smugglers unload at night")
    assert generate(cast).status_code == 202  # the list is built and cached without the term

    term = add_term("smugglers", "illegal", "block")
    refused = generate(cast)
    delete_term(term)
    allowed = generate(cast)

    assert refused.status_code == 400
    assert ILLEGAL in refused.json()["errors"]["shots.1.text"][0]
    assert allowed.status_code == 202


def test_a_term_added_in_the_admin_takes_effect_on_the_next_request(cast, sent_tasks):
    set_shot(cast, 1, text="Smugglers unload at night")
    assert generate(cast).status_code == 202
    moderator = make_user("moderator")
    moderator.is_staff = True
    moderator.save()
    moderator.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
    admin = cast.page_client(None)
    admin.force_login(moderator)

    added = committed(
        lambda: admin.post(
            "/admin/moderation/blockedterm/add/",
            {"text": "smugglers", "language": "", "category": "illegal", "severity": "block"},
        )
    )

    assert added.status_code == 302, added.content.decode()[:2000]
    assert BlockedTerm.objects.filter(text="smugglers").exists()
    assert generate(cast).status_code == 400


def test_a_changed_severity_takes_effect_on_the_next_request(cast, sent_tasks):
    set_shot(cast, 1, text="Smugglers unload at night")
    term = add_term("smugglers", "illegal", "block")
    assert generate(cast).status_code == 400

    term.severity = "review"
    committed(term.save)

    response = generate(cast)
    assert response.status_code == 202
    assert response.json()["state"] == "held"


def test_the_list_is_not_read_from_the_database_on_every_request(
    cast, blocked, django_assert_num_queries
):
    terms.current_screen()  # built once

    with django_assert_num_queries(0):
        screen = terms.current_screen()

    assert screen.verdict("forbidden")[0] == "block"
