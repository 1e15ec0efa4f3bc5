"""The owner of content a moderator took down appeals, through the API or on their moderation
page: the case opens again (marked appealed) for a moderator, who may restore the content.

Only the owner of the content sees the case or appeals it: every other member of the project
and every stranger gets 404. Only a takedown can be appealed, and only once while the case is
open (409 with why). The owner is told of each decision by a notice, on the notifications page
and in the top bar's unread count.
"""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from jobs.models import Take
from moderation import cases
from moderation.models import Appeal, Case, Notice
from moderation_desk import actions as moderation_actions
from tests.conftest import Cast
from tests.job_helpers import delivered_take, queued_job
from tests.role_helpers import FullCast, with_more_roles

REASON = "A real person shown without consent."
APPEAL = "It is my own face; I consented."
NOT_THE_OWNER = ("viewer", "commenter", "editor", "outsider", "moderator", "staff")
ALREADY_OPEN = "This case is already open: a moderator will look at it."
ONLY_TAKEDOWNS = "Only a takedown can be appealed."
APPEALED_ONCE = "This takedown was appealed once and the appeal was refused."


@pytest.fixture
def cast(cast: Cast) -> FullCast:
    return with_more_roles(cast)


@pytest.fixture
def take(cast: FullCast, media_root) -> Take:
    """A take the owner generated: theirs to appeal for."""
    return delivered_take(queued_job(cast.owner, cast.sequence))


def reported(cast: FullCast, take: Take) -> Case:
    case, _ = cases.file_report(cast.viewer, "take", take.pk, "likeness", "That is my neighbour.")
    return case


@pytest.fixture
def removed(cast: FullCast, take: Take) -> Case:
    return moderation_actions.take_down(reported(cast, take).pk, cast.moderator, REASON)


def appeal_url(case: Case) -> str:
    return reverse("api-appeal", args=[case.pk])


def appeal(client: APIClient, case: Case, text: str = APPEAL):
    return client.post(appeal_url(case), {"text": text}, format="json")


def state_of(case: Case) -> tuple[str, bool]:
    case.refresh_from_db()
    return case.state, case.appealed


# Through the API


def test_the_owner_appeals_and_the_case_opens_again(cast: FullCast, take, removed) -> None:
    response = appeal(cast.client("owner"), removed)

    assert response.status_code == 200
    shown = response.json()
    assert shown["id"] == removed.pk
    assert (shown["state"], shown["appealed"], shown["can_appeal"]) == ("open", True, False)
    assert shown["decision_reason"] == REASON
    assert state_of(removed) == ("open", True)
    [filed] = Appeal.objects.all()
    assert (filed.case, filed.user, filed.text) == (removed, cast.owner, APPEAL)
    # The take stays down until a moderator decides.
    take.refresh_from_db()
    assert take.removed_at is not None


@pytest.mark.parametrize("who", NOT_THE_OWNER)
def test_no_one_but_the_owner_sees_or_appeals_the_case(cast: FullCast, removed, who) -> None:
    client = cast.client(who)

    response = appeal(client, removed)
    missing = client.post(
        reverse("api-appeal", args=[removed.pk + 1000]), {"text": APPEAL}, format="json"
    )

    assert response.status_code == missing.status_code == 404
    assert response.json() == missing.json()
    assert client.get(reverse("api-own-cases")).json() == []
    assert state_of(removed) == ("removed", False)
    assert not Appeal.objects.exists()


def test_an_anonymous_appeal_is_refused(cast: FullCast, removed) -> None:
    assert appeal(APIClient(), removed).status_code == 401
    assert state_of(removed) == ("removed", False)


def test_the_owner_lists_their_cases_with_what_they_may_appeal(cast: FullCast, removed) -> None:
    rows = cast.client("owner").get(reverse("api-own-cases")).json()

    [row] = rows
    assert row["id"] == removed.pk
    assert (row["state"], row["can_appeal"], row["appealed"]) == ("removed", True, False)
    assert row["subject_kind"] == "take"
    assert row["decision_reason"] == REASON
    assert "reporter" not in str(row)  # who reported stays with the moderators


def test_a_second_appeal_while_the_case_is_open_is_refused(cast: FullCast, removed) -> None:
    client = cast.client("owner")
    appeal(client, removed)

    again = appeal(client, removed, "Please, quickly.")

    assert again.status_code == 409
    assert again.json() == {"detail": ALREADY_OPEN}
    assert Appeal.objects.count() == 1


def test_a_case_that_was_not_taken_down_cannot_be_appealed(cast: FullCast, take) -> None:
    case = reported(cast, take)
    client = cast.client("owner")

    open_case = appeal(client, case)
    moderation_actions.dismiss(case.pk, cast.moderator, "Not a real person.")
    dismissed = appeal(client, case)

    assert open_case.status_code == dismissed.status_code == 409
    assert open_case.json() == {"detail": ALREADY_OPEN}
    assert dismissed.json() == {"detail": ONLY_TAKEDOWNS}
    assert state_of(case) == ("dismissed", False)
    assert not Appeal.objects.exists()


@pytest.mark.parametrize("body", [{}, {"text": ""}, {"text": "x" * 1001}])
def test_an_appeal_says_why(cast: FullCast, removed, body) -> None:
    response = cast.client("owner").post(appeal_url(removed), body, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["text"]
    assert state_of(removed) == ("removed", False)


# On the moderation page


def test_the_owner_appeals_on_the_moderation_page(cast: FullCast, removed) -> None:
    browser = cast.page_client("owner")
    page = browser.get(reverse("moderation-cases")).content.decode()
    assert f'id="case-{removed.pk}"' in page
    assert REASON in page
    assert f'name="case" value="{removed.pk}"' in page  # its appeal form

    sent = browser.post(reverse("moderation-cases"), {"case": removed.pk, "text": APPEAL})

    assert sent.status_code == 302
    assert sent["Location"] == reverse("moderation-cases")
    after = browser.get(reverse("moderation-cases")).content.decode()
    assert "Your appeal was sent: a moderator will look at it again." in after
    assert "waiting for review, appealed" in after
    assert f'name="case" value="{removed.pk}"' not in after  # no second form
    assert state_of(removed) == ("open", True)
    assert Appeal.objects.get().text == APPEAL


def test_the_page_refuses_an_empty_appeal_and_a_second_one(cast: FullCast, removed) -> None:
    browser = cast.page_client("owner")

    empty = browser.post(
        reverse("moderation-cases"), {"case": removed.pk, "text": "  "}, follow=True
    )
    assert "Say why the decision should change." in empty.content.decode()
    assert state_of(removed) == ("removed", False)

    browser.post(reverse("moderation-cases"), {"case": removed.pk, "text": APPEAL})
    second = browser.post(
        reverse("moderation-cases"), {"case": removed.pk, "text": "Again"}, follow=True
    )
    assert ALREADY_OPEN in second.content.decode()
    assert Appeal.objects.count() == 1


@pytest.mark.parametrize("who", NOT_THE_OWNER)
def test_the_page_shows_others_nothing_and_refuses_their_appeal(
    cast: FullCast, removed, who
) -> None:
    browser = cast.page_client(who)

    page = browser.get(reverse("moderation-cases"))
    refused = browser.post(reverse("moderation-cases"), {"case": removed.pk, "text": APPEAL})

    assert page.status_code == 200
    assert f'id="case-{removed.pk}"' not in page.content.decode()
    assert refused.status_code == 404
    assert state_of(removed) == ("removed", False)


def test_the_page_wants_a_login(cast: FullCast, removed) -> None:
    response = Client().post(reverse("moderation-cases"), {"case": removed.pk, "text": APPEAL})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert state_of(removed) == ("removed", False)


# The moderator decides; the owner is told


def test_the_moderator_restores_the_appealed_take(cast: FullCast, take, removed) -> None:
    appeal(cast.client("owner"), removed)

    moderation_actions.restore(removed.pk, cast.moderator, "Consent confirmed.")

    assert state_of(removed) == ("restored", True)
    take.refresh_from_db()
    assert take.removed_at is None
    assert take.chosen  # it was the sequence's chosen take, and none other was chosen
    assert cast.page_client("viewer").get(take.video.url).status_code == 200


def test_the_moderator_may_uphold_the_takedown_and_the_owner_cannot_appeal_again(
    cast: FullCast, take, removed
) -> None:
    appeal(cast.client("owner"), removed)
    removed.refresh_from_db()
    assert moderation_actions.decisions_for(removed) == ["restore", "uphold"]

    moderation_actions.uphold(removed.pk, cast.moderator, "The consent is not shown.")

    assert state_of(removed) == ("removed", True)
    take.refresh_from_db()
    assert take.removed_at is not None
    assert take.removed_reason == REASON  # the takedown stands as it was
    notice = Notice.objects.filter(user=cast.owner).first()
    assert "was refused: The consent is not shown." in notice.message
    again = appeal(cast.client("owner"), removed)
    assert again.status_code == 409
    assert again.json() == {"detail": APPEALED_ONCE}
    listed = cast.client("owner").get(reverse("api-own-cases")).json()
    assert [row["can_appeal"] for row in listed if row["id"] == removed.pk] == [False]


def test_an_appeal_joins_a_case_opened_by_a_later_report(cast: FullCast, take, removed) -> None:
    later, _ = cases.file_report(cast.editor, "take", take.pk, "likeness", "Still there.")
    assert later.pk != removed.pk

    response = appeal(cast.client("owner"), removed)

    assert response.status_code == 200
    assert response.json()["id"] == later.pk
    assert state_of(later) == ("open", True)
    assert Appeal.objects.get().case == later
    assert Case.objects.filter(take=take, state="open").count() == 1


def test_notices_reach_the_notifications_page_and_the_unread_count(
    cast: FullCast, take, removed
) -> None:
    browser = cast.page_client("owner")
    taken_down = Notice.objects.get()
    assert taken_down.user == cast.owner
    assert REASON in taken_down.message
    assert "You can appeal from your moderation page." in taken_down.message
    appeal(cast.client("owner"), removed)

    moderation_actions.restore(removed.pk, cast.moderator, "Consent confirmed.")

    page = browser.get(reverse("notifications"))
    html = page.content.decode()
    assert "From the moderators" in html
    assert REASON in html
    assert "was restored: Consent confirmed." in html
    assert f'href="{reverse("moderation-cases")}#case-{removed.pk}"' in html
    assert page.context["unread_notifications"] == 2
    assert '<span class="unread-count">2</span>' in html
    listed = cast.client("owner").get(reverse("api-moderation-notices")).json()
    assert [notice["case"] for notice in listed] == [removed.pk, removed.pk]
    assert all(notice["read_at"] is None for notice in listed)
    # Nobody else is told.
    for who in ("viewer", "editor", "moderator"):
        assert cast.client(who).get(reverse("api-moderation-notices")).json() == []
        assert (
            'class="unread-count"'
            not in cast.page_client(who).get(reverse("dashboard")).content.decode()
        )
    # Marking all read clears the count.
    browser.post(reverse("notifications"))
    dashboard = browser.get(reverse("dashboard"))
    assert 'class="unread-count"' not in dashboard.content.decode()
    assert not Notice.objects.filter(read_at=None).exists()
