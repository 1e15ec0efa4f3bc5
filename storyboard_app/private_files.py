"""The storyboard's private files for `plumbing.private_files`: a sequence's first and end frames,
`private/projects/<project>/frames/<file>`."""

from django.db.models import Q

from plumbing.private_files import User, is_id, segments
from storyboard_app.access import access_project
from storyboard_app.models import Sequence


def sequence_frame(user: User, name: str) -> bool:
    """A sequence's first or end frame: `private/projects/<project>/frames/<file>`."""
    parts = segments(name, ("private", "projects"), 5)
    if parts is None or parts[3] != "frames" or not is_id(parts[2]):
        return False
    project_id = (
        Sequence.objects.filter(project_id=int(parts[2]))
        .filter(Q(first_frame=name) | Q(end_frame=name))
        .values_list("project_id", flat=True)
        .first()
    )
    if project_id is None:
        return False
    access_project(user, project_id)
    return True
