"""Every change of who is in a project: add a member, change a role, remove, leave, transfer the
ownership; make, send, revoke and accept invitation links.

Callers pass a project loaded through `access_project(..., manage=True)` (or, to leave, any
member's). A refusal is `SharingRefused` with the field at fault and a message for the user.
Membership rows are saved one by one (not with queryset updates): their signals tell the
member's open sockets at once (storyboard_app/events.py).
"""

import hashlib
import secrets
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from activity.models import Verb
from activity.record import record
from sharing.models import Invitation, InvitationUse, ReviewLink
from storyboard_app.choices import Role
from storyboard_app.models import Membership, Project

# The roles a member can be given (the owner is made only by a transfer).
SHAREABLE_ROLES = (Role.EDITOR, Role.COMMENTER, Role.VIEWER)
ROLE_RANK = {Role.VIEWER: 0, Role.COMMENTER: 1, Role.EDITOR: 2, Role.OWNER: 3}
# 32 random bytes: 43 URL-safe characters, beyond any guessing.
TOKEN_BYTES = 32
MAX_LINK_USES = 1000
MAX_LINK_DAYS = 365


class SharingRefused(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class InvitationUnusable(Exception):
    """The link exists but cannot be used: revoked, expired or used up (`message` says which)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvitationUnknown(Exception):
    """No invitation has this token."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def find_user(identifier: str):
    """The user with this username or e-mail address (either, any case), or a refusal."""
    users = get_user_model().objects.filter(is_active=True)
    identifier = identifier.strip()
    found = list(users.filter(Q(username__iexact=identifier) | Q(email__iexact=identifier))[:2])
    if not found:
        raise SharingRefused("user", "No user has that username or e-mail address.")
    if len(found) > 1:
        raise SharingRefused(
            "user", "Several accounts use that e-mail address: give the username instead."
        )
    return found[0]


def _check_role(role: str) -> None:
    if role == Role.OWNER:
        raise SharingRefused("role", "A project has one owner: transfer the ownership instead.")
    if role not in SHAREABLE_ROLES:
        raise SharingRefused("role", f"Choose one of: {', '.join(SHAREABLE_ROLES)}.")


def _lock_project(project: Project) -> Project:
    return Project.objects.select_for_update().get(pk=project.pk)


def _membership(project: Project, user_id: object) -> Membership:
    try:
        return Membership.objects.select_for_update().get(project=project, user_id=user_id)
    except (Membership.DoesNotExist, ValueError, TypeError):
        raise SharingRefused("user", "That user is not a member of this project.") from None


# Members


@transaction.atomic
def add_member(project: Project, user: str, role: str, by=None) -> Membership:
    """Add the user named by `user` (a username or an e-mail address) with `role`."""
    _check_role(role)
    _lock_project(project)
    found = find_user(user)
    existing = Membership.objects.filter(project=project, user=found).first()
    if existing is not None:
        raise SharingRefused(
            "user", f"{found.get_username()} is already a member of this project ({existing.role})."
        )
    record(project.pk, by, Verb.MEMBER_ADDED, f"{found.get_username()} as {role}")
    return Membership.objects.create(project=project, user=found, role=role)


@transaction.atomic
def change_role(project: Project, user_id: object, role: str, by=None) -> Membership:
    _check_role(role)
    membership = _membership(project, user_id)
    if membership.role == Role.OWNER:
        raise SharingRefused("role", "The owner's role changes only by transferring the ownership.")
    summary = f"{membership.user.get_username()}: {membership.role} → {role}"
    membership.role = role
    membership.save(update_fields=["role"])
    record(project.pk, by, Verb.MEMBER_CHANGED, summary)
    return membership


@transaction.atomic
def remove_member(project: Project, user_id: object, by=None) -> None:
    membership = _membership(project, user_id)
    if membership.role == Role.OWNER:
        raise SharingRefused("user", "The owner cannot be removed: transfer the ownership first.")
    record(project.pk, by, Verb.MEMBER_REMOVED, membership.user.get_username())
    membership.delete()


@transaction.atomic
def leave_project(project: Project, user) -> None:
    membership = _membership(project, user.pk)
    if membership.role == Role.OWNER:
        raise SharingRefused(
            "user", "You own this project: transfer the ownership before you leave it."
        )
    record(project.pk, user, Verb.MEMBER_LEFT, user.get_username())
    membership.delete()


@transaction.atomic
def transfer_ownership(project: Project, new_owner_id: object, by=None) -> Project:
    """The new owner must be a member; the old owner stays on as an editor."""
    locked = _lock_project(project)
    incoming = _membership(locked, new_owner_id)
    if incoming.user_id == locked.owner_id:
        raise SharingRefused("user", "That user already owns this project.")
    outgoing = _membership(locked, locked.owner_id)
    outgoing.role = Role.EDITOR
    outgoing.save(update_fields=["role"])
    incoming.role = Role.OWNER
    incoming.save(update_fields=["role"])
    locked.owner_id = incoming.user_id
    locked.save(update_fields=["owner"])
    summary = f"to {incoming.user.get_username()}"
    record(locked.pk, by, Verb.OWNERSHIP_TRANSFERRED, summary)
    return locked


# Invitation links


def _check_link(role: str, expires_at: datetime | None, max_uses: int | None) -> None:
    _check_role(role)
    now = timezone.now()
    if expires_at is not None:
        if expires_at <= now:
            raise SharingRefused("expires_at", "The expiry must be in the future.")
        if (expires_at - now).days >= MAX_LINK_DAYS:
            raise SharingRefused("expires_at", f"A link lasts at most {MAX_LINK_DAYS} days.")
    if max_uses is not None and not 1 <= max_uses <= MAX_LINK_USES:
        raise SharingRefused("max_uses", f"Allow between 1 and {MAX_LINK_USES} uses.")


@transaction.atomic
def create_invitation(
    project: Project,
    by,
    role: str,
    expires_at: datetime | None = None,
    max_uses: int | None = None,
    email: str = "",
) -> tuple[Invitation, str]:
    """A new link; returns it with its token, which is never stored or shown again."""
    _check_link(role, expires_at, max_uses)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    invitation = Invitation.objects.create(
        project=project,
        role=role,
        token_hash=hash_token(token),
        email=email,
        created_by=by,
        expires_at=expires_at,
        max_uses=max_uses,
    )
    record(project.pk, by, Verb.LINK_CREATED, f"{role} link" + (f" for {email}" if email else ""))
    return invitation, token


def send_invitation(invitation: Invitation, link: str) -> None:
    """E-mail the link to the invitation's address once the invitation is saved."""
    inviter = invitation.created_by.get_username() if invitation.created_by else "Someone"
    subject = f"{inviter} invites you to “{invitation.project.title}” on Storyboard Director"
    body = (
        f"{inviter} invites you to the project “{invitation.project.title}” as "
        f"{invitation.get_role_display().lower()}.\n\nOpen this link to join (log in or sign up "
        f"first if you have no account):\n{link}\n"
    )
    if invitation.expires_at:
        body += f"\nThe link works until {invitation.expires_at:%d %B %Y %H:%M} UTC.\n"
    # Robust: a mail server that is down is logged, and does not turn the answer that shows the
    # link (its only showing) into a 500 after the link was saved.
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email]),
        robust=True,
    )


def revoke_invitation(invitation: Invitation, by=None) -> None:
    revoked = Invitation.objects.filter(pk=invitation.pk, revoked_at=None).update(
        revoked_at=timezone.now()
    )
    if revoked:
        record(invitation.project_id, by, Verb.LINK_REVOKED, f"{invitation.role} link")


def invitation_for(token: str) -> Invitation:
    invitation = (
        Invitation.objects.select_related("project", "created_by")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None:
        raise InvitationUnknown
    return invitation


@transaction.atomic
def accept_invitation(token: str, user) -> Membership:
    """Join the link's project with its role. Idempotent for one user; of two people taking
    the last use of a link at once, one gets it (the invitation row is locked)."""
    found = invitation_for(token)
    # The project first, as add_member does: an owner adding the same person at that moment
    # waits instead of colliding on the membership.
    _lock_project(found.project)
    invitation = Invitation.objects.select_for_update().get(pk=found.pk)
    membership = Membership.objects.filter(project_id=invitation.project_id, user=user).first()
    if InvitationUse.objects.filter(invitation=invitation, user=user).exists():
        if membership is None:  # accepted once, removed since: the link does not override it
            raise InvitationUnusable("You were removed from this project after joining it.")
        return membership
    if membership is not None and ROLE_RANK[membership.role] >= ROLE_RANK[invitation.role]:
        return membership  # already in, with as much: nothing to use up
    problem = invitation.problem()
    if problem:
        raise InvitationUnusable(problem)
    try:
        with transaction.atomic():
            InvitationUse.objects.create(invitation=invitation, user=user)
    except IntegrityError:  # the same user's other tab got there first
        return Membership.objects.get(project_id=invitation.project_id, user=user)
    Invitation.objects.filter(pk=invitation.pk).update(uses=F("uses") + 1)
    record(invitation.project_id, user, Verb.MEMBER_JOINED, f"as {invitation.role}")
    if membership is None:
        return Membership.objects.create(
            project_id=invitation.project_id, user=user, role=invitation.role
        )
    if ROLE_RANK[invitation.role] > ROLE_RANK[membership.role]:
        membership.role = invitation.role
        membership.save(update_fields=["role"])
    return membership


# Review links


MAX_REVIEW_PASSWORD_CHARS = 128


@transaction.atomic
def create_review_link(
    project: Project,
    by,
    label: str = "",
    password: str = "",
    expires_at: datetime | None = None,
) -> tuple[ReviewLink, str]:
    """A link that shows the chosen takes and the storyboard to anyone holding it (and its
    password, if one is set); returns it with its token, shown once and never stored."""
    if expires_at is not None and expires_at <= timezone.now():
        raise SharingRefused("expires_at", "The expiry must be in the future.")
    if len(password) > MAX_REVIEW_PASSWORD_CHARS:
        raise SharingRefused("password", f"At most {MAX_REVIEW_PASSWORD_CHARS} characters.")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    link = ReviewLink.objects.create(
        project=project,
        label=label.strip(),
        token_hash=hash_token(token),
        password_hash=make_password(password) if password else "",
        created_by=by,
        expires_at=expires_at,
    )
    record(project.pk, by, Verb.LINK_CREATED, f"review link {link.label or link.pk}")
    return link, token


def revoke_review_link(link: ReviewLink, by=None) -> None:
    revoked = ReviewLink.objects.filter(pk=link.pk, revoked_at=None).update(
        revoked_at=timezone.now()
    )
    if revoked:
        record(link.project_id, by, Verb.LINK_REVOKED, f"review link {link.label or link.pk}")


def review_link_for(token: str) -> ReviewLink:
    """The link of this token, usable now; InvitationUnknown or InvitationUnusable if not."""
    link = ReviewLink.objects.select_related("project").filter(token_hash=hash_token(token)).first()
    if link is None:
        raise InvitationUnknown
    problem = link.problem()
    if problem:
        raise InvitationUnusable(problem)
    return link


def review_password_ok(link: ReviewLink, password: str) -> bool:
    return not link.password_hash or check_password(password, link.password_hash)
