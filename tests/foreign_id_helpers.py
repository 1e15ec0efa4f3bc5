"""Helpers of the tests of ids of other projects in request bodies
(tests/test_ids_of_other_projects_in_*_bodies_are_refused.py): the snapshot of every row a
refusal must leave as it was (`all_rows`, each module's `db_rows`), the owner's second
project and the foreign shots.

Ids of other projects placed in request bodies (and socket messages) are refused.

The URL's object is loaded through the access functions (404 to outsiders); the ids a body
names are checked too: a shot of another sequence in a reorder, an element of a library the
project does not use as a speaker, a user who is not a member as the new owner or the member to
change, a shot, take or comment of another project under a comment, another user's
notifications, an image of another element, a shot of another project selected on the socket.
Each is a clear refusal at its field (400), or changes nothing, and never a 500; an id that
exists elsewhere is refused in the same words as one that exists nowhere, so a refusal does not
tell which ids exist. The hardest case is tried each time: the user is a member of both
projects, so loading the foreign object alone would succeed.
"""

from discussion.models import Comment, Notification
from sharing.models import ReviewLink
from storyboard_app import actions
from storyboard_app.models import Project, Shot
from tests.conftest import Cast
from tests.sharing_helpers import sharing_rows

MISSING = 2**40  # an id no row has
NOT_A_MEMBER = {"user": ["That user is not a member of this project."]}


def all_rows() -> dict[str, list[dict]]:
    rows = sharing_rows()
    for model in (ReviewLink, Comment, Notification):
        rows[model.__name__] = list(model.objects.order_by("pk").values())
    return rows


def owners_second_project(cast: Cast) -> Project:
    """Another project of the cast's owner, with a shot (one that can be generated): the owner
    may load its objects."""
    project = Project.objects.filter(owner=cast.owner, title="Second film").first()
    if project is None:
        project = actions.create_project(cast.owner, "Second film", "16:9")
        actions.add_shot(project.sequences.get(), {"duration": 5, "text": "A gull elsewhere."})
    return project


def owners_other_shot(cast: Cast) -> Shot:
    return Shot.objects.get(sequence__project=owners_second_project(cast))


def outsiders_shot(cast: Cast) -> Shot:
    sequence = Project.objects.get(owner=cast.outsider).sequences.get()
    return actions.add_shot(sequence, {"duration": 2, "text": "Not yours"})


FOREIGN_SHOTS = {
    "of the owner's other project": owners_other_shot,
    "of the outsider's project": outsiders_shot,
    "of no project": lambda cast: Shot(pk=MISSING),
}
