"""Sending the pipeline's tasks by name, so actions, views and tasks need not import each other.

Every task takes `(job_id, step)`: the step is the job's fence token (see transitions.claim).
Routes (settings.CELERY_TASK_ROUTES) put rendering on the `render` queue and the rest on `io`.
"""

from celery import current_app
from django.db import transaction

from jobs.choices import JobState, Provider

# Providers that make the video on our own workers, and the task that does it.
LOCAL_PROVIDERS = {
    Provider.ANIMATIC: "jobs.tasks.render_job",
    Provider.INSTANT: "jobs.tasks.make_instant_take",
}
START_REMOTE = "jobs.tasks.start_job"
POLL = "jobs.tasks.poll_job"


# The broker priority of work a user is waiting on right now (settings: 0 is the most urgent).
URGENT_PRIORITY = 0


def send(task: str, job_id: int, step: int, countdown: float = 0, urgent: bool = False) -> None:
    current_app.send_task(
        task,
        args=[job_id, step],
        countdown=countdown or None,
        priority=URGENT_PRIORITY if urgent else None,
    )


def task_for(provider: str, state: str) -> str:
    """The task that moves a job in `state` on."""
    if provider in LOCAL_PROVIDERS:
        return LOCAL_PROVIDERS[provider]
    return START_REMOTE if state == JobState.QUEUED else POLL


def start_on_commit(job_id: int, provider: str, step: int) -> None:
    """Enqueue the job's first task once the transaction that made it commits."""
    task = task_for(provider, JobState.QUEUED)
    transaction.on_commit(lambda: send(task, job_id, step))
