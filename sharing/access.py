"""The only way to load an invitation a user asked for: its project's owner only, 404 for
outsiders (through the project's role, as every project-scoped object)."""

from sharing.models import Invitation
from storyboard_app.access import Permission, User, load_in_project


def access_invitation(user: User, invitation_id: object) -> Invitation:
    return load_in_project(
        Invitation.objects.select_related("project"),
        user,
        invitation_id,
        "project_id",
        Permission.MANAGE,
    )


def invitation_state(invitation: Invitation) -> str:
    """active, revoked, expired or used up: what the owner's list shows."""
    if invitation.revoked_at is not None:
        return "revoked"
    problem = invitation.problem()
    if not problem:
        return "active"
    return "expired" if "expired" in problem else "used_up"
