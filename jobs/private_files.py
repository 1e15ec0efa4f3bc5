"""The finder of takes' private files (video, poster, shot thumbnails) for
`plumbing.private_files`: `private/projects/<project>/takes/<job>/<step>/<file>`."""

from django.http import Http404

from jobs.models import Take
from plumbing.private_files import User, is_id, segments
from storyboard_app.access import access_project


def take_file(user: User, name: str) -> bool:
    parts = segments(name, ("private", "projects"), 7)
    if parts is None or parts[3] != "takes" or not is_id(parts[4]):
        return False
    take = (
        Take.objects.filter(job_id=int(parts[4]))
        .only("project_id", "video", "poster", "shot_thumbnails", "removed_at")
        .first()
    )
    if take is None or name not in {take.video.name, take.poster.name, *take.shot_thumbnails}:
        return False
    access_project(user, take.project_id)
    if take.removed_at is not None:
        raise Http404("This file was taken down by a moderator.")
    return True
