"""Celery tasks: thin wrappers that take ids and call the pipeline (jobs/pipeline.py,
jobs/local.py). Every task is acks_late and idempotent: it re-reads the job and claims it with
its step fence, so running it twice does nothing the second time."""

from celery import shared_task
from django.core.management import call_command

from jobs import local, partial_files, pipeline

JOB_TASK = {"acks_late": True, "ignore_result": True}


@shared_task(**JOB_TASK)
def start_job(job_id: int, step: int) -> None:
    pipeline.start_job(job_id, step)


@shared_task(**JOB_TASK)
def poll_job(job_id: int, step: int) -> None:
    pipeline.poll_job(job_id, step)


@shared_task(**JOB_TASK)
def render_job(job_id: int, step: int) -> None:
    local.render_job(job_id, step)


@shared_task(**JOB_TASK)
def make_instant_take(job_id: int, step: int) -> None:
    local.make_instant_take(job_id, step)


@shared_task(**JOB_TASK)
def resume_stalled_jobs() -> int:
    return pipeline.resume_stalled_jobs()


@shared_task(**JOB_TASK)
def remove_stray_part_files() -> int:
    """Housekeeping run by beat: partial files no running claim is writing (idempotent)."""
    return partial_files.sweep()


@shared_task(acks_late=True)
def clear_expired_sessions() -> None:
    """Housekeeping run by beat: drop expired login sessions (idempotent)."""
    call_command("clearsessions")
