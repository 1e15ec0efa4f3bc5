"""The only way to load an invitation a user asked for: its project's owner only, 404 for
outsiders (through the project's role, as every project-scoped object)."""

from django.http import Http404

from sharing.models import Invitation
from storyboard_app.access import User, access_project


def access_invitation(user: User, invitation_id: object) -> Invitation:
    # Not `load_in_project`: its `role` annotation (the user's role) clashes with the role the
    # link gives, so the project is loaded, and checked, on its own.
    if not user.is_authenticated:
        raise Http404("No such object.")
    try:
        invitation = Invitation.objects.get(pk=invitation_id)
    except (Invitation.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such object.") from None
    invitation.project = access_project(user, invitation.project_id, manage=True)
    return invitation


def invitation_state(invitation: Invitation) -> str:
    """active, revoked, expired or used up: what the owner's list shows."""
    if invitation.revoked_at is not None:
        return "revoked"
    problem = invitation.problem()
    if not problem:
        return "active"
    return "expired" if "expired" in problem else "used_up"
