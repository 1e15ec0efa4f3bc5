"""Who moderates, and the only way to load the cases a user may see or appeal."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from moderation.models import Case, Notice

MODERATORS_GROUP = "Moderators"

User = AbstractBaseUser | AnonymousUser


def is_moderator(user: User) -> bool:
    """Active staff in the Moderators group. Superusers too must be in the group: every
    decision is then made by someone who was made a moderator on purpose."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    cached = getattr(user, "_is_moderator", None)
    if cached is None:
        cached = user.groups.filter(name=MODERATORS_GROUP).exists()
        user._is_moderator = cached
    return cached


def cases_of_owner(user: User) -> QuerySet[Case]:
    """The cases about the user's own content, newest first."""
    if not user.is_authenticated:
        return Case.objects.none()
    return Case.objects.filter(owner=user)


def access_own_case(user: User, case_id: object) -> Case:
    """A case about the user's content (to read or appeal); 404 for anyone else."""
    try:
        return cases_of_owner(user).get(pk=case_id)
    except (Case.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such case.") from None


def suspension_reason(username: str, password: str) -> str | None:
    """Why the account is suspended, told only to someone who gave its right password (to
    anyone else a suspended account looks like any failed login)."""
    user = (
        get_user_model()
        .objects.filter(username=username, is_active=False, standing__suspended_at__isnull=False)
        .select_related("standing")
        .first()
    )
    if user is None or not user.check_password(password):
        return None
    return user.standing.suspension_reason


def notices_of(user: User) -> QuerySet[Notice]:
    if not user.is_authenticated:
        return Notice.objects.none()
    return Notice.objects.filter(user=user).select_related("case")
