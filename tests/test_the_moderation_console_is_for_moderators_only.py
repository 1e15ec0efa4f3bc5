"""Every decision of the moderation console is refused to a staff user who is not a
moderator, to a superuser outside the Moderators group and to a plain user, and changes
nothing; a moderator must be active staff; only moderators see the moderation app in the
admin index.
"""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from moderation import cases
from moderation_desk import actions
from tests.conftest import Cast
from tests.moderation_desk_helpers import (
    INTRUDERS,
    Desk,
    decide_url,
    element_case,
    held_case,
    make_desk,
    make_moderator,
    moderation_rows,
    project_case,
    take_case,
    user_decide_url,
)


@pytest.fixture
def desk(db) -> Desk:
    return make_desk()


# The same requests by anyone else


def _scenario(name: str, cast: Cast, desk: Desk) -> tuple[str, dict]:
    """The decision `name`, set up so that a moderator's POST would do it: (url, data)."""
    reason = {"reason": "Because"}
    if name in ("approve", "reject"):
        return decide_url(held_case(cast)), {"decision": name, **reason}
    if name == "dismiss":
        return decide_url(take_case(cast)), {"decision": name, **reason}
    if name.startswith("take_down_"):
        make = {"take": take_case, "element": element_case, "project": project_case}
        return decide_url(make[name.removeprefix("take_down_")](cast)), {
            "decision": "take_down",
            **reason,
        }
    if name == "restore":
        case = take_case(cast)
        actions.take_down(case.pk, desk.moderator, "First look")
        return decide_url(case), {"decision": name, **reason}
    if name == "uphold":
        case = take_case(cast)
        actions.take_down(case.pk, desk.moderator, "First look")
        cases.appeal(cast.owner, case, "Please look again")
        return decide_url(case), {"decision": name, **reason}
    if name in ("warn", "suspend"):
        return decide_url(project_case(cast)), {"decision": name, **reason}
    if name == "warn_user":
        return user_decide_url(cast.editor), {"decision": "warn", **reason}
    if name == "suspend_user":
        return user_decide_url(cast.editor), {"decision": "suspend", **reason}
    assert name == "lift"
    actions.suspend(cast.editor.pk, desk.moderator, "First look")
    return user_decide_url(cast.editor), {"decision": name, **reason}


DECISIONS = (
    "approve",
    "reject",
    "dismiss",
    "take_down_take",
    "take_down_element",
    "take_down_project",
    "restore",
    "uphold",
    "warn",
    "suspend",
    "warn_user",
    "suspend_user",
    "lift",
)


@pytest.mark.parametrize("who", INTRUDERS)
@pytest.mark.parametrize("decision", DECISIONS)
def test_each_decision_is_refused_to_anyone_but_a_moderator(
    cast: Cast, desk: Desk, media_root, decision: str, who: str
):
    url, data = _scenario(decision, cast, desk)
    client = desk.client(who)
    before = moderation_rows()

    answer = client.post(url, data)

    if who == "plain":  # not staff: the admin sends them to its login page
        assert answer.status_code == 302
        assert answer["Location"].startswith(reverse("admin:login"))
    else:
        assert answer.status_code == 403
    assert moderation_rows() == before


def test_a_moderator_must_be_active_staff(cast: Cast, desk: Desk):
    """In the group but not staff (or no longer active): not a moderator."""
    case = project_case(cast)
    for change in ({"is_staff": False}, {"is_active": False}):
        user = make_moderator(f"half-{len(change)}-{next(iter(change))}")
        User.objects.filter(pk=user.pk).update(**change)
        client = Client()
        client.force_login(user)
        before = moderation_rows()
        answer = client.post(decide_url(case), {"decision": "dismiss", "reason": "x"})
        assert answer.status_code in (302, 403)
        if answer.status_code == 302:
            assert answer["Location"].startswith(reverse("admin:login"))
        assert moderation_rows() == before


# The admin index


def test_only_moderators_see_the_moderation_app(desk: Desk):
    index = reverse("admin:index")
    moderation = reverse("admin:app_list", args=["moderation"])
    page = desk.client("moderator").get(index).content.decode()
    assert f'href="{moderation}"' in page
    assert reverse("admin:moderation_case_changelist") in page
    for who in ("staff", "root"):
        page = desk.client(who).get(index)
        assert page.status_code == 200
        html = page.content.decode()
        assert f'href="{moderation}"' not in html
        assert reverse("admin:moderation_case_changelist") not in html
        assert reverse("admin:moderation_auditentry_changelist") not in html
        assert desk.client(who).get(moderation).status_code in (403, 404)
    # The superuser still has the rest of the admin.
    assert reverse("admin:auth_user_changelist") in desk.client("root").get(index).content.decode()
