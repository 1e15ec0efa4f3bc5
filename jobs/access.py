"""The only way to load a job or a take a user asked for: through its project's role
(storyboard_app/access.py), 404 for outsiders, 403 for members who may not change it."""

from django.db.models import QuerySet

from jobs.models import GenerationJob, Take
from storyboard_app.access import User, load_in_project, permission_for, projects_of


def access_job(user: User, job_id: object, write: bool = False) -> GenerationJob:
    return load_in_project(
        GenerationJob.objects.all(), user, job_id, "project_id", permission_for(write, False)
    )


def access_take(user: User, take_id: object, write: bool = False) -> Take:
    return load_in_project(
        Take.objects.select_related("job", "sequence"),
        user,
        take_id,
        "project_id",
        permission_for(write, False),
    )


def jobs_of(user: User) -> QuerySet[GenerationJob]:
    """Jobs of every project the user is a member of."""
    return GenerationJob.objects.filter(project__in=projects_of(user).values("pk"))


def has_chosen_take(sequence_id: int) -> bool:
    """Whether the sequence has a chosen take (what approving it needs)."""
    return Take.objects.filter(sequence_id=sequence_id, chosen=True).exists()
