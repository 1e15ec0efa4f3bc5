"""The only way to load a project-scoped object a user asked for.

Each function checks the user's role in the object's project in the same query that loads it:
outsiders get 404 (they must not learn that the object exists), members without the right to
do what they asked get 403. Roles map to what they may do in `ROLE_PERMISSIONS`.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.http import Http404

from storyboard_app.choices import Role
from storyboard_app.models import Membership, Project, Sequence, Shot


class Permission:
    """What a member may do in a project (see `ROLE_PERMISSIONS`)."""

    VIEW = "view"  # open the editor, watch takes, receive live events
    COMMENT = "comment"  # comment on shots and takes, mention people
    EDIT = "edit"  # change the storyboard, generate, choose takes
    REVIEW = "review"  # set a sequence's review state (approve, reopen)
    MANAGE = "manage"  # share (members, invitations, review links), transfer, delete


# The one table of who may do what: every view, API endpoint, socket message and admin action
# asks it through the access functions below.
_WATCH = {Permission.VIEW}
_DISCUSS = _WATCH | {Permission.COMMENT}
_WORK = _DISCUSS | {Permission.EDIT, Permission.REVIEW}
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.OWNER: frozenset(_WORK | {Permission.MANAGE}),
    Role.EDITOR: frozenset(_WORK),
    Role.COMMENTER: frozenset(_DISCUSS),
    Role.VIEWER: frozenset(_WATCH),
}

DENIED_MESSAGES = {
    Permission.COMMENT: "You can view this project but not comment on it.",
    Permission.EDIT: "You can view this project but not change it.",
    Permission.REVIEW: "Only the project's owner and editors can change its review state.",
    Permission.MANAGE: "Only the project's owner can do this.",
}


def may(role: str | None, permission: str) -> bool:
    return role is not None and permission in ROLE_PERMISSIONS[role]


def permissions_of(role: str) -> list[str]:
    """What `role` may do, for the pages and the editor (which hide what is not allowed)."""
    return sorted(ROLE_PERMISSIONS[role])


User = AbstractBaseUser | AnonymousUser


def _role_subquery(user: User, project_field: str) -> Subquery:
    return Subquery(
        Membership.objects.filter(project=OuterRef(project_field), user=user).values("role")[:1]
    )


class ProjectRemoved(PermissionDenied):
    """The project was taken down by a moderator: closed to its members too (403 with why)."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"This project was taken down by a moderator: {reason}")
        self.reason = reason


def _checked(obj, role: str | None, permission: str, removed_reason: str | None = None):
    if role is None:
        raise Http404("No such object.")
    if removed_reason is not None:
        raise ProjectRemoved(removed_reason)
    if permission not in ROLE_PERMISSIONS[role]:
        raise PermissionDenied(DENIED_MESSAGES[permission])
    obj.role = role
    return obj


def load_in_project(
    queryset: QuerySet, user: User, object_id: object, project_field: str, permission: str
):
    if not user.is_authenticated:
        raise Http404("No such object.")
    removed = "removed_reason" if project_field == "pk" else f"{project_field}__removed_reason"
    removed_at = "removed_at" if project_field == "pk" else f"{project_field}__removed_at"
    try:
        obj = queryset.annotate(
            role=_role_subquery(user, project_field),
            project_removed_at=F(removed_at),
            project_removed_reason=F(removed),
        ).get(pk=object_id)
    except (queryset.model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such object.") from None
    removed_reason = obj.project_removed_reason if obj.project_removed_at is not None else None
    return _checked(obj, obj.role, permission, removed_reason)


def permission_for(write: bool, manage: bool, permission: str | None = None) -> str:
    if permission is not None:
        return permission
    if manage:
        return Permission.MANAGE
    return Permission.EDIT if write else Permission.VIEW


def projects_of(user: User) -> QuerySet[Project]:
    """The projects the user is a member of, each annotated with the user's `role`."""
    if not user.is_authenticated:
        return Project.objects.none()
    return Project.objects.filter(memberships__user=user).annotate(role=_role_subquery(user, "pk"))


def access_project(
    user: User,
    project_id: object,
    write: bool = False,
    manage: bool = False,
    permission: str | None = None,
):
    return load_in_project(
        Project.objects.select_related("owner"),
        user,
        project_id,
        "pk",
        permission_for(write, manage, permission),
    )


def access_sequence(
    user: User, sequence_id: object, write: bool = False, permission: str | None = None
) -> Sequence:
    return load_in_project(
        Sequence.objects.select_related("project"),
        user,
        sequence_id,
        "project_id",
        permission_for(write, False, permission),
    )


def access_shot(user: User, shot_id: object, write: bool = False) -> Shot:
    return load_in_project(
        Shot.objects.select_related("sequence"),
        user,
        shot_id,
        "sequence__project_id",
        permission_for(write, False),
    )
