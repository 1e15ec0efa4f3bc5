"""The moderation queue opens on the open cases and filters by state, category, source, age,
subject and owner; the case page marks the matched term (evasions too), plays the take,
previews an element's images, offers the decisions that apply and is refused to anyone
but a moderator.
"""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from elements_app.models import Element
from moderation.choices import Severity
from moderation.models import (
    BlockedTerm,
    Case,
)
from moderation.terms import bump_stamp
from moderation_desk import actions
from storyboard_app.models import Shot
from tests.conftest import Cast
from tests.job_helpers import queued_job
from tests.moderation_desk_helpers import (
    Desk,
    case_page,
    decide_url,
    element_case,
    held_case,
    make_desk,
    project_case,
    take_case,
)


@pytest.fixture
def desk(db) -> Desk:
    return make_desk()


# The queue


def listed_in(case: Case, page: str) -> bool:
    """Whether the changelist `page` links to the case (its filters ride along in the link)."""
    return re.search(rf'href="{re.escape(case_page(case))}["?]', page) is not None


def test_the_queue_opens_on_the_open_cases(cast: Cast, desk: Desk, media_root):
    open_case = take_case(cast)
    closed = project_case(cast)
    actions.dismiss(closed.pk, desk.moderator, "Fine")
    client = desk.client("moderator")
    queue = reverse("admin:moderation_case_changelist")

    page = client.get(queue).content.decode()
    assert listed_in(open_case, page)
    assert not listed_in(closed, page)
    page = client.get(f"{queue}?state__exact=dismissed").content.decode()
    assert listed_in(closed, page)
    assert not listed_in(open_case, page)
    page = client.get(f"{queue}?state__exact=all").content.decode()
    assert listed_in(closed, page)
    assert listed_in(open_case, page)


def test_the_queue_filters_by_state_category_source_and_age(cast: Cast, desk: Desk, media_root):
    reported = take_case(cast)  # report, violence
    held = held_case(cast)  # screening, violence
    project = project_case(cast)  # report, hate
    element = element_case(cast)  # report, copyright
    actions.dismiss(element.pk, desk.moderator, "Fine")
    Case.objects.filter(pk=project.pk).update(opened_at=timezone.now() - timedelta(days=9))
    client = desk.client("moderator")
    queue = reverse("admin:moderation_case_changelist")

    def listed(query: str) -> set[int]:
        answer = client.get(f"{queue}?{query}")
        assert answer.status_code == 200, query
        every = (held, reported, project, element)
        return {case.pk for case in every if listed_in(case, answer.content.decode())}

    assert listed("state__exact=open") == {held.pk, reported.pk, project.pk}
    assert listed("state__exact=dismissed") == {element.pk}
    assert listed("state__exact=all&category__exact=violence") == {held.pk, reported.pk}
    assert listed("state__exact=all&category__exact=hate") == {project.pk}
    assert listed("state__exact=all&source__exact=screening") == {held.pk}
    assert listed("state__exact=all&source__exact=report") == {reported.pk, project.pk, element.pk}
    assert listed("state__exact=all&age=day") == {held.pk, reported.pk, element.pk}
    assert listed("state__exact=all&age=older") == {project.pk}
    assert listed("state__exact=open&source__exact=report&age=week") == {reported.pk}
    assert listed("state__exact=all&subject_kind__exact=element") == {element.pk}
    assert listed(f"state__exact=all&owner__id__exact={cast.owner.pk}") == {
        held.pk,
        reported.pk,
        project.pk,
        element.pk,
    }
    # The filters are offered on the page.
    html = client.get(f"{queue}?state__exact=open").content.decode()
    for offered in ("?age=older", "category__exact=violence", "source__exact=provider"):
        assert offered in html.replace("&amp;", "&")


def test_the_case_page_marks_the_matched_term(cast: Cast, desk: Desk):
    case = held_case(cast)
    answer = desk.client("moderator").get(case_page(case))
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "A <mark>harpoon</mark> flies across the deck" in html
    # Read-only: the decisions are the review panel's buttons, not the model form's save.
    assert 'name="_save"' not in html
    for decision in ("approve", "reject", "warn", "suspend"):
        assert f'name="decision" value="{decision}"' in html
    assert 'value="take_down"' not in html  # a held generation is approved or rejected
    assert f'action="{decide_url(case)}"' in html


def test_the_case_page_marks_evasions_too(cast: Cast, desk: Desk):
    """A term written with spacing and substitutions is found, and that stretch is marked."""
    BlockedTerm.objects.create(text="harpoon", category="violence", severity=Severity.REVIEW)
    bump_stamp()
    Shot.objects.filter(pk=cast.shots[0].pk).update(text="A H4RP00N flies <at> dawn")
    job = queued_job(cast.owner, cast.sequence)
    case = Case.objects.get(job=job)
    html = desk.client("moderator").get(case_page(case)).content.decode()
    assert "A <mark>H4RP00N</mark> flies &lt;at&gt; dawn" in html  # the rest escaped


def test_the_case_page_plays_the_take_from_the_case_media_url(cast: Cast, desk: Desk, media_root):
    case = take_case(cast)
    html = desk.client("moderator").get(case_page(case)).content.decode()
    media = reverse("admin:moderation_case_media", args=[case.pk, f"take-{case.take_id}-video"])
    assert re.search(rf'<video[^>]* src="{re.escape(media)}"', html), html
    assert "Too gory for us" in html  # the report
    assert "viewer" in html  # who reported
    assert 'value="take_down"' in html
    assert 'value="dismiss"' in html


def test_the_case_page_previews_an_elements_images(cast: Cast, desk: Desk, media_root):
    case = element_case(cast)
    image = Element.objects.get(pk=case.element_id).images.get()
    html = desk.client("moderator").get(case_page(case)).content.decode()
    url = reverse("admin:moderation_case_media", args=[case.pk, f"image-{image.pk}"])
    assert f'<img src="{url}"' in html
    answer = desk.client("moderator").get(url)
    assert answer.status_code == 200
    assert answer["Content-Type"] == "image/jpeg"


def test_the_case_page_is_refused_to_anyone_else(cast: Cast, desk: Desk, media_root):
    case = take_case(cast)
    for who in ("staff", "root"):
        assert desk.client(who).get(case_page(case)).status_code == 403
        changelist = reverse("admin:moderation_case_changelist") + "?state__exact=open"
        assert desk.client(who).get(changelist).status_code == 403
    answer = desk.client("plain").get(case_page(case))
    assert answer.status_code == 302
    assert answer["Location"].startswith(reverse("admin:login"))
