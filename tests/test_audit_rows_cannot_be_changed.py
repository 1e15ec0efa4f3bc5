"""The audit trail is written once and read ever after: in the admin an entry's page has no
save button and a POST to it changes nothing, it cannot be deleted (one by one or in bulk) nor
added; in code save() on a stored row and delete() raise. The blocked-term list, which
moderators edit in the admin, writes an entry for each addition, change and deletion; and the
history of a case's owner, or of its subject, is one click from the case page."""

import re
from html import unescape

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from moderation import cases
from moderation.choices import AuditAction
from moderation.models import AuditEntry, BlockedTerm, Case
from moderation_desk import actions
from storyboard_app.models import Project
from tests.conftest import PASSWORD, Cast, make_user

MODERATORS = "Moderators"


def make_moderator(username: str) -> User:
    user = User.objects.create_user(username, f"{username}@example.com", PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get_or_create(name=MODERATORS)[0])
    return user


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def moderator(db) -> User:
    return make_moderator("mod")


@pytest.fixture
def client(moderator: User) -> Client:
    return logged_in(moderator)


def project_case(cast: Cast) -> Case:
    case, _ = cases.file_report(cast.viewer, "project", cast.project.pk, "hate", "The title")
    return case


@pytest.fixture
def entry(cast: Cast, moderator: User) -> AuditEntry:
    case = project_case(cast)
    actions.take_down(case.pk, moderator, "Hateful title")
    return AuditEntry.objects.get(case=case)


def audit_rows() -> list[dict]:
    return list(AuditEntry.objects.order_by("pk").values())


def change_url(entry: AuditEntry) -> str:
    return reverse("admin:moderation_auditentry_change", args=[entry.pk])


def listed_in(entry: AuditEntry, page: str) -> bool:
    return re.search(rf'href="{re.escape(change_url(entry))}["?]', page) is not None


# Through the admin


def test_an_entrys_page_shows_it_with_no_way_to_save(client: Client, entry: AuditEntry):
    answer = client.get(change_url(entry))
    assert answer.status_code == 200
    page = answer.content.decode()
    assert "Hateful title" in page
    for control in ('name="_save"', 'name="_continue"', 'name="_addanother"'):
        assert control not in page
    assert reverse("admin:moderation_auditentry_delete", args=[entry.pk]) not in page
    # No field of the entry is an input.
    assert not re.search(r'<(input|textarea|select)[^>]* name="(reason|action|before|after)"', page)


def test_a_post_to_an_entrys_page_changes_nothing(client: Client, entry: AuditEntry):
    before = audit_rows()
    answer = client.post(
        change_url(entry),
        {
            "actor_name": "someone else",
            "action": AuditAction.RESTORE,
            "reason": "Rewritten",
            "before": "{}",
            "after": "{}",
            "_save": "Save",
        },
    )
    assert answer.status_code == 403
    assert audit_rows() == before


def test_an_entry_cannot_be_deleted_through_the_admin(client: Client, entry: AuditEntry):
    before = audit_rows()
    url = reverse("admin:moderation_auditentry_delete", args=[entry.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert audit_rows() == before


def test_the_audit_list_offers_no_bulk_action(client: Client, entry: AuditEntry):
    changelist = reverse("admin:moderation_auditentry_changelist")
    page = client.get(changelist).content.decode()
    assert listed_in(entry, page)
    assert 'name="action"' not in page
    assert 'name="_selected_action"' not in page
    assert "delete_selected" not in page
    before = audit_rows()
    answer = client.post(
        changelist,
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes", "index": 0},
    )
    assert answer.status_code in (200, 302, 403)
    assert audit_rows() == before


def test_no_entry_can_be_added_through_the_admin(client: Client, entry: AuditEntry):
    url = reverse("admin:moderation_auditentry_add")
    before = audit_rows()
    assert client.get(url).status_code == 403
    answer = client.post(url, {"actor_name": "ghost", "action": "warn", "reason": "Made up"})
    assert answer.status_code == 403
    assert audit_rows() == before
    changelist = client.get(reverse("admin:moderation_auditentry_changelist")).content.decode()
    assert url not in changelist


def test_not_even_a_superuser_can_change_or_delete_an_entry(entry: AuditEntry):
    root = User.objects.create_superuser("root", "root@example.com", PASSWORD)
    root.groups.add(Group.objects.get_or_create(name=MODERATORS)[0])  # a moderator, too
    client = logged_in(root)
    before = audit_rows()
    assert client.get(change_url(entry)).status_code == 200
    assert client.post(change_url(entry), {"reason": "Rewritten"}).status_code == 403
    delete = reverse("admin:moderation_auditentry_delete", args=[entry.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert audit_rows() == before


@pytest.mark.parametrize("who", ["staff", "root"])
def test_the_audit_trail_is_not_shown_to_staff_outside_the_group(entry: AuditEntry, who: str):
    if who == "root":
        user = User.objects.create_superuser("root", "root@example.com", PASSWORD)
    else:
        user = User.objects.create_user("clerk", password=PASSWORD, is_staff=True)
    client = logged_in(user)
    assert client.get(reverse("admin:moderation_auditentry_changelist")).status_code == 403
    assert client.get(change_url(entry)).status_code == 403


# In code


def test_saving_a_stored_entry_or_deleting_it_raises(entry: AuditEntry):
    before = audit_rows()
    entry.reason = "Rewritten"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.save(update_fields=["reason"])
    with pytest.raises(PermissionError):
        AuditEntry.objects.get(pk=entry.pk).delete()
    assert audit_rows() == before


def test_a_new_entry_is_written_once(cast: Cast, moderator: User):
    entry = AuditEntry(actor=moderator, actor_name="mod", action=AuditAction.WARN)
    entry.save()
    assert entry.pk is not None
    with pytest.raises(PermissionError):
        entry.save()


# The blocked-term list writes its own audit rows


TERM = {"text": "harpoon", "language": "", "category": "violence", "severity": "review"}


def test_adding_a_blocked_term_in_the_admin_is_audited(client: Client, moderator: User):
    answer = client.post(reverse("admin:moderation_blockedterm_add"), {**TERM, "note": "x"})
    assert answer.status_code == 302
    term = BlockedTerm.objects.get(text="harpoon")
    entry = AuditEntry.objects.get(action=AuditAction.ADD_TERM)
    assert (entry.actor, entry.actor_name) == (moderator, "mod")
    assert (entry.subject_kind, entry.subject_id, entry.subject_label) == (
        "term",
        term.pk,
        "harpoon",
    )
    assert entry.before == {}
    assert entry.after == {
        "text": "harpoon",
        "language": "",
        "category": "violence",
        "severity": "review",
    }


def test_changing_a_blocked_term_in_the_admin_is_audited(client: Client, moderator: User):
    term = BlockedTerm.objects.create(**TERM)
    answer = client.post(
        reverse("admin:moderation_blockedterm_change", args=[term.pk]),
        {**TERM, "text": "harpoons", "severity": "block", "note": ""},
    )
    assert answer.status_code == 302
    entry = AuditEntry.objects.get(action=AuditAction.CHANGE_TERM)
    assert entry.actor == moderator
    assert (entry.subject_id, entry.subject_label) == (term.pk, "harpoons")
    assert entry.before == TERM
    assert entry.after == {**TERM, "text": "harpoons", "severity": "block"}


def test_deleting_a_blocked_term_in_the_admin_is_audited(client: Client, moderator: User):
    term = BlockedTerm.objects.create(**TERM)
    url = reverse("admin:moderation_blockedterm_delete", args=[term.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not BlockedTerm.objects.exists()
    entry = AuditEntry.objects.get(action=AuditAction.DELETE_TERM)
    assert (entry.actor, entry.subject_id, entry.subject_label) == (moderator, term.pk, "harpoon")
    assert entry.before == TERM
    assert entry.after == {}


def test_deleting_terms_in_bulk_audits_each(client: Client, moderator: User):
    terms = [
        BlockedTerm.objects.create(**{**TERM, "text": text}) for text in ("harpoon", "cutlass")
    ]
    answer = client.post(
        reverse("admin:moderation_blockedterm_changelist"),
        {"action": "delete_selected", "_selected_action": [t.pk for t in terms], "post": "yes"},
    )
    assert answer.status_code == 302
    assert not BlockedTerm.objects.exists()
    deleted = AuditEntry.objects.filter(action=AuditAction.DELETE_TERM)
    assert sorted(deleted.values_list("subject_label", flat=True)) == ["cutlass", "harpoon"]
    assert {entry.actor for entry in deleted} == {moderator}


@pytest.mark.parametrize("who", ["staff", "root", "plain"])
def test_only_moderators_edit_the_blocked_terms(db, who: str):
    term = BlockedTerm.objects.create(**TERM)
    user = {
        "staff": lambda: User.objects.create_user("clerk", password=PASSWORD, is_staff=True),
        "root": lambda: User.objects.create_superuser("root", "root@example.com", PASSWORD),
        "plain": lambda: make_user("plain"),
    }[who]()
    client = logged_in(user)
    refused = (403,) if who != "plain" else (302,)
    add = reverse("admin:moderation_blockedterm_add")
    assert client.post(add, {**TERM, "text": "cutlass"}).status_code in refused
    change = reverse("admin:moderation_blockedterm_change", args=[term.pk])
    assert client.post(change, {**TERM, "severity": "block"}).status_code in refused
    delete = reverse("admin:moderation_blockedterm_delete", args=[term.pk])
    assert client.post(delete, {"post": "yes"}).status_code in refused
    assert list(BlockedTerm.objects.values("text", "severity")) == [
        {"text": "harpoon", "severity": "review"}
    ]
    assert not AuditEntry.objects.exists()


# History one click away


def link(page: str, element_id: str | None = None, text: str | None = None) -> str:
    """The href of the link with that id (or whose text starts with `text`)."""
    if element_id is not None:
        found = re.search(rf'<a href="([^"]+)" id="{element_id}"', page)
    else:
        found = re.search(rf'<a href="([^"]+)">{re.escape(text)}', page)
    assert found, (element_id, text)
    return unescape(found[1])


def test_the_owners_history_is_one_click_from_the_case_page(
    cast: Cast, moderator: User, client: Client
):
    case = project_case(cast)
    warned = actions.warn(cast.owner.pk, moderator, "Mind the titles", case_id=case.pk)
    actions.take_down(case.pk, moderator, "Hateful title")
    other = actions.warn(cast.editor.pk, moderator, "Someone else")
    owners = list(AuditEntry.objects.filter(target_user=cast.owner))
    assert len(owners) == 2
    assert warned.warnings == 1

    page = client.get(reverse("admin:moderation_case_change", args=[case.pk])).content.decode()
    url = link(page, text="Audit history of owner")
    assert url.endswith(f"?target_user__id__exact={cast.owner.pk}")
    answer = client.get(url)
    assert answer.status_code == 200  # the lookup is allowed (no "?e=1" redirect)
    history = answer.content.decode()
    for entry in owners:
        assert listed_in(entry, history)
    assert not listed_in(AuditEntry.objects.get(target_user=cast.editor), history)
    assert other.warnings == 1

    # And the owner's cases.
    url = link(page, text="All cases of owner")
    answer = client.get(url)
    assert answer.status_code == 200
    assert f"/admin/moderation/case/{case.pk}/change/" in answer.content.decode()


def test_the_subjects_history_is_one_click_from_the_case_page(
    cast: Cast, moderator: User, client: Client
):
    first = project_case(cast)
    actions.take_down(first.pk, moderator, "Hateful title")
    # Another project's case: its entries are not this subject's history.
    outsiders = Project.objects.get(owner=cast.outsider)
    elsewhere, _ = cases.file_report(cast.owner, "project", outsiders.pk, "spam", "")
    actions.dismiss(elsewhere.pk, moderator, "Fine")
    appealed = cases.appeal(cast.owner, first, "It is a quote from a novel")
    actions.restore(appealed.pk, moderator, "Context given")
    ours = list(AuditEntry.objects.filter(subject_kind="project", subject_id=cast.project.pk))
    assert len(ours) == 2

    page = client.get(reverse("admin:moderation_case_change", args=[first.pk])).content.decode()
    url = link(page, element_id="subject-history")
    assert url.endswith(f"?subject_kind__exact=project&subject_id__exact={cast.project.pk}")
    answer = client.get(url)
    assert answer.status_code == 200
    history = answer.content.decode()
    for entry in ours:
        assert listed_in(entry, history)
    assert not listed_in(AuditEntry.objects.get(case=elsewhere), history)
