"""The people and the cases of the moderation console's tests (tests/test_a_moderator_*.py,
test_the_moderation_*.py, test_the_case_media_preview_*.py, test_two_moderators_*.py,
test_a_moderation_decision_*.py).

Together they check the moderation console in the admin: every decision a moderator makes
(approve or reject a held generation, dismiss, take down a take / an element / a project,
restore, warn, suspend, lift) does what it says, writes its audit row and tells the owner; the
same request by a staff user who is not a moderator, by a superuser outside the Moderators group
or by a plain user is refused and changes nothing; a decision without a reason, or one that no
longer applies, is refused with a message; of two moderators deciding one case at once exactly
one wins. The queue, its filters, the case page and the case's media preview are checked too.

The people are made here (not in tests/role_helpers.py): a moderator is active staff in the
"Moderators" group, which is all moderation.access.is_moderator asks.
"""

import re
from dataclasses import dataclass
from html import unescape

from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from elements_app import actions as element_actions
from elements_app import media_actions as element_media
from jobs import actions as job_actions
from jobs.choices import JobState
from media import check_image
from moderation import cases
from moderation.choices import Severity
from moderation.models import (
    Appeal,
    AuditEntry,
    BlockedTerm,
    Case,
    Notice,
    Report,
    Standing,
)
from moderation.terms import bump_stamp
from storyboard_app.models import Shot
from tests.conftest import PASSWORD, Cast, image_bytes, make_user, storyboard_rows
from tests.job_helpers import delivered_take, queued_job

MODERATORS = "Moderators"
INTRUDERS = ("staff", "root", "plain")


@dataclass
class Desk:
    """The people around the console: two moderators and three who are not."""

    moderator: User
    second: User  # another moderator
    staff: User  # is_staff, not in the group
    root: User  # a superuser, not in the group
    plain: User  # neither staff nor in the group

    def client(self, who: str) -> Client:
        client = Client()
        client.force_login(getattr(self, who))
        return client


def make_moderator(username: str) -> User:
    user = User.objects.create_user(username, f"{username}@example.com", PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get_or_create(name=MODERATORS)[0])
    return user


def held_case(cast: Cast) -> Case:
    """A generation by the owner whose action text matches a "review" term: held."""
    BlockedTerm.objects.create(text="harpoon", category="violence", severity=Severity.REVIEW)
    bump_stamp()  # on_commit does not run in these tests: tell the screen the list changed
    Shot.objects.filter(pk=cast.shots[0].pk).update(text="A harpoon flies across the deck")
    job = queued_job(cast.owner, cast.sequence)
    assert job.state == JobState.HELD
    return Case.objects.get(job=job)


def take_case(cast: Cast) -> Case:
    """The owner's chosen take, reported by the viewer."""
    take = delivered_take(queued_job(cast.owner, cast.sequence))
    job_actions.choose_take(take, cast.owner)
    case, new = cases.file_report(cast.viewer, "take", take.pk, "violence", "Too gory for us")
    assert new
    return case


def element_case(cast: Cast) -> Case:
    library = element_actions.create_library(cast.owner, "Props")
    element = element_actions.create_element(library, {"handle": "Lantern", "kind": "prop"})
    element_media.add_image(element, check_image(image_bytes()), "front")
    case, _ = cases.file_report(cast.editor, "element", element.pk, "copyright", "A logo")
    return case


def project_case(cast: Cast) -> Case:
    case, _ = cases.file_report(cast.viewer, "project", cast.project.pk, "hate", "The title")
    return case


def decide_url(case: Case) -> str:
    return reverse("admin:moderation_case_decide", args=[case.pk])


def user_decide_url(user: User) -> str:
    return reverse("admin:moderation_user_decide", args=[user.pk])


def case_page(case: Case) -> str:
    return reverse("admin:moderation_case_change", args=[case.pk])


def moderation_rows() -> dict[str, list[dict]]:
    models = (Case, Report, Appeal, Notice, Standing, AuditEntry, BlockedTerm)
    rows = {model.__name__: list(model.objects.order_by("pk").values()) for model in models}
    return {**rows, **storyboard_rows()}


def shown_messages(response) -> list[str]:
    """The messages on the page (read from the HTML: the test client's captured context is
    shared by threads)."""
    listed = re.search(r'<ul class="messagelist">(.*?)</ul>', response.content.decode(), re.S)
    if listed is None:
        return []
    return [unescape(item) for item in re.findall(r"<li[^>]*>(.*?)</li>", listed[1])]


def make_desk() -> Desk:
    """The `desk` fixture of each test module: two moderators and three who are not."""
    return Desk(
        moderator=make_moderator("mod"),
        second=make_moderator("mod2"),
        staff=User.objects.create_user("clerk", password=PASSWORD, is_staff=True),
        root=User.objects.create_superuser("root", "root@example.com", PASSWORD),
        plain=make_user("plain"),
    )
