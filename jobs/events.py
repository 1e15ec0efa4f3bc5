"""Events of generation (`job.updated`, `take.created`, `take.chosen`), built in one place and
published to the project's group after commit (see storyboard_app/events.py).

A job's progress events are throttled per job (plumbing/throttle.py); a change of state,
and above all the final one, is sent at once.
"""

from jobs.choices import FINAL_STATES
from jobs.models import GenerationJob, Take
from plumbing.throttle import Throttled
from storyboard_app.events import publish


def job_row(job: GenerationJob) -> dict:
    """A job as the API and the events show it."""
    return {
        "id": job.pk,
        "sequence": job.sequence_id,
        "provider": job.provider,
        "state": job.state,
        "progress": round(job.progress, 3),
        "error_code": job.error_code,
        "error_message": job.error_message,
        "cost": job.cost,
        "created_at": job.created_at.isoformat() if job.created_at else None,
        "started_at": job.started_at.isoformat() if job.started_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
    }


def take_row(take: Take) -> dict:
    """A take as the API, the snapshot and the events show it: a take a moderator took down
    keeps its place, with the reason and no way to its files."""
    removed = take.removed_at is not None
    return {
        "id": take.pk,
        "job": take.job_id,
        "sequence": take.sequence_id,
        "video_url": None if removed else take.video.url,
        "poster_url": take.poster.url if take.poster and not removed else None,
        "removed": removed,
        "removed_reason": take.removed_reason if removed else "",
        "duration": take.duration,
        "width": take.width,
        "height": take.height,
        "has_audio": take.has_audio,
        "chosen": take.chosen,
        "created_at": take.created_at.isoformat() if take.created_at else None,
    }


def job_updated(job: GenerationJob) -> None:
    throttled = Throttled(f"job:{job.pk}", job.state, final=job.state in FINAL_STATES)
    publish(job.project_id, {"type": "job.updated", "job": job_row(job)}, throttled)


def take_created(take: Take) -> None:
    publish(take.project_id, {"type": "take.created", "take": take_row(take)})


def take_chosen(take: Take) -> None:
    publish(take.project_id, {"type": "take.chosen", "sequence": take.sequence_id, "take": take.pk})


def take_updated(take: Take) -> None:
    """A take changed other than by being chosen (taken down or restored by a moderator)."""
    publish(take.project_id, {"type": "take.updated", "take": take_row(take)})
