"""A reel to export: the cast's sequence with a chosen take, a sequence with no take yet and a
sequence whose only take a moderator took down (which no export may contain)."""

from dataclasses import dataclass

from jobs.models import Take
from moderation import cases
from moderation_desk import actions as moderation_actions
from storyboard_app import actions
from storyboard_app.models import Sequence, Shot
from tests.job_helpers import delivered_take, queued_job
from tests.role_helpers import FullCast, with_more_roles

DURATIONS = [2, 3, 4]  # the cast's shots, in order


@dataclass
class Reel:
    cast: FullCast
    take: Take  # the chosen take of the cast's sequence
    untaken: Sequence  # two shots, no take
    taken_down: Take  # the chosen take of a third sequence, then taken down


def shots_of(sequence: Sequence) -> list[Shot]:
    return list(Shot.objects.filter(sequence=sequence).order_by("position"))


def take_down(take: Take, moderator) -> None:
    case, _ = cases.file_report(moderator, "take", take.pk, "violence", "")
    moderation_actions.take_down(case.pk, moderator, "Graphic violence.")


def make_reel(cast) -> Reel:
    """Call it from a fixture that asks for `media_root` (the takes' files go there)."""
    full = with_more_roles(cast)
    take = delivered_take(queued_job(full.owner, full.sequence))
    untaken = actions.add_sequence(full.project, {"title": "Harbour"})
    for seconds in (5, 1):
        actions.add_shot(untaken, {"duration": seconds, "text": "Boats"})
    stormy = actions.add_sequence(full.project, {"title": "Storm"})
    actions.add_shot(stormy, {"duration": 3, "text": "Waves"})
    removed = delivered_take(queued_job(full.owner, stormy))
    take_down(removed, full.moderator)
    return Reel(full, take, untaken, Take.objects.get(pk=removed.pk))
