"""Jobs and takes made directly through the actions, for tests that need one to exist."""

from pathlib import Path

from django.conf import settings

from jobs import actions, transitions
from jobs.choices import JobState
from jobs.models import GenerationJob, Take
from jobs.probe import probe_video
from jobs.providers.instant import write_clip


def queued_job(user, sequence, provider: str = "animatic") -> GenerationJob:
    job, _ = actions.create_job(user, sequence, provider)
    return job


def delivered_take(job: GenerationJob) -> Take:
    """Finish `job` with a real (stock) clip as its take, as a worker would."""
    transitions.move(job.pk, [JobState.QUEUED], JobState.RUNNING)
    directory = Path(settings.MEDIA_ROOT) / "private" / "projects" / str(job.project_id)
    directory = directory / "takes" / str(job.pk) / "0"
    directory.mkdir(parents=True, exist_ok=True)
    write_clip(job.request["seconds"], directory / "video.mp4")
    (directory / "poster.jpg").write_bytes(b"")
    name = str(directory.relative_to(settings.MEDIA_ROOT))
    take = actions.deliver_take(
        job, f"{name}/video.mp4", f"{name}/poster.jpg", probe_video(directory / "video.mp4"), []
    )
    assert take is not None
    return take
