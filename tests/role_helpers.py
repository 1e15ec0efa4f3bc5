"""The eight roles of the authorization matrix: conftest's cast (anonymous, outsider, viewer,
editor, owner) and three more made here, so that conftest's `cast` (shared by hundreds of tests)
stays as it is.

- the commenter: a member of the cast's project with the role "commenter" (view and comment);
- the moderator: staff (`is_staff`, not a superuser) in the Django group "Moderators", with no
  membership: what moderation/access.is_moderator asks of whoever decides cases;
- the staff user: `is_staff` (not a superuser), not in the group, with no membership.

Neither the moderator nor the staff user has rights over projects: a project they are not a
member of does not exist for them, as for the outsider (moderators act in the admin). A test
module takes the eight roles by overriding `cast`:

    @pytest.fixture
    def cast(cast: Cast) -> FullCast:
        return with_more_roles(cast)
"""

from dataclasses import dataclass, fields

from django.contrib.auth.models import Group, User

from storyboard_app.choices import Role
from storyboard_app.models import Membership
from tests.conftest import Cast, make_user

ROLES = (None, "outsider", "viewer", "commenter", "editor", "owner", "moderator", "staff")
# The members of the cast's project, least rights first.
MEMBERS = ("viewer", "commenter", "editor", "owner")
# Signed in but not members of the cast's project: it does not exist for them.
STRANGERS = ("outsider", "moderator", "staff")
MODERATORS = "Moderators"


@dataclass(kw_only=True)
class FullCast(Cast):
    """The cast of conftest and the three roles added here."""

    commenter: User
    moderator: User
    staff: User


def with_more_roles(cast: Cast) -> FullCast:
    commenter, moderator, staff = (make_user(name) for name in ("commenter", "moderator", "staff"))
    Membership.objects.create(project=cast.project, user=commenter, role=Role.COMMENTER)
    moderator.groups.add(Group.objects.get_or_create(name=MODERATORS)[0])
    for user in (moderator, staff):
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    of_cast = {field.name: getattr(cast, field.name) for field in fields(Cast)}
    return FullCast(**of_cast, commenter=commenter, moderator=moderator, staff=staff)


def role_label(role: str | None) -> str:
    return role or "anonymous"
