"""Who may use the routes of generation: jobs, takes, credits and providers."""

from jobs.models import GenerationJob
from tests.conftest import Cast
from tests.job_helpers import queued_job
from tests.permission_helpers import (
    Endpoint,
    anyone_signed_in,
    edit,
    project_id,
    read,
    route_url,
    sequence_id,
    take_id,
)


def job_id(cast: Cast) -> int:
    job = GenerationJob.objects.filter(sequence=cast.sequence).first()
    return (job or queued_job(cast.owner, cast.sequence)).pk


JOBS_TABLE = [
    Endpoint(
        "api-sequence-generate",
        "POST",
        route_url("api-sequence-generate", sequence_id),
        edit(202),
        body=lambda cast: {"provider": "animatic"},
    ),
    Endpoint("api-sequence-takes", "GET", route_url("api-sequence-takes", sequence_id), read()),
    Endpoint("api-job", "GET", route_url("api-job", job_id), read()),
    Endpoint("api-job-cancel", "POST", route_url("api-job-cancel", job_id), edit(200)),
    Endpoint("api-project-jobs", "GET", route_url("api-project-jobs", project_id), read()),
    Endpoint("api-take", "GET", route_url("api-take", take_id), read()),
    Endpoint(
        "api-take-choose", "POST", route_url("api-take-choose", take_id), edit(200), writes=False
    ),
    Endpoint(
        "api-take-generate-again", "POST", route_url("api-take-generate-again", take_id), edit(202)
    ),
    Endpoint("api-credits", "GET", route_url("api-credits"), anyone_signed_in(200)),
    Endpoint("api-providers", "GET", route_url("api-providers"), anyone_signed_in(200)),
]
