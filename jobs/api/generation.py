"""API views that make and follow jobs: generate, generate again, a job, cancel, the jobs of a
project, the user's credits and the providers on offer."""

from django.conf import settings
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jobs import actions, credits
from jobs.access import access_job, access_take
from jobs.choices import ACTIVE_STATES, Provider
from jobs.events import job_row
from jobs.models import GenerationJob
from jobs.registry import available_providers
from jobs.serializers import (
    CreditsSerializer,
    GenerateRequestSerializer,
    JobSerializer,
    ProviderSerializer,
    RefusalSerializer,
    idempotency_key,
)
from storyboard_app.access import access_project, access_sequence

RECENT_LEDGER_ENTRIES = 20
PROJECT_JOBS_LIMIT = 100
ERROR_RESPONSES = {400: RefusalSerializer, 402: dict, 409: dict, 422: dict, 429: dict}


def _queued(make) -> Response:
    """Run `make()` (which makes or replays a job) and answer as docs/API.md says."""
    try:
        job, created = make()
    except actions.GenerationRefused as refused:
        return Response(
            {"detail": str(refused), "errors": refused.errors, "warnings": refused.warnings},
            status=status.HTTP_400_BAD_REQUEST,
        )
    except credits.NotEnoughCredits as short:
        return Response(
            {"detail": str(short), "cost": short.cost, "balance": short.balance},
            status=status.HTTP_402_PAYMENT_REQUIRED,
        )
    except actions.TooManyJobs as busy:
        return Response({"detail": str(busy)}, status=status.HTTP_429_TOO_MANY_REQUESTS)
    except actions.IdempotencyKeyReused as reused:
        return Response({"detail": str(reused)}, status=status.HTTP_422_UNPROCESSABLE_ENTITY)
    except actions.TakeRemoved as removed:  # "generate again" of a take a moderator took down
        return Response({"detail": str(removed)}, status=status.HTTP_409_CONFLICT)
    response = Response(job_row(job), status=status.HTTP_202_ACCEPTED)
    if not created:
        response["Idempotent-Replayed"] = "true"
    return response


IDEMPOTENCY_PARAMETER = OpenApiParameter(
    "Idempotency-Key", str, OpenApiParameter.HEADER, description="Retry-safe key"
)


class GenerateView(APIView):
    @extend_schema(
        request=GenerateRequestSerializer,
        responses={202: JobSerializer, **ERROR_RESPONSES},
        parameters=[IDEMPOTENCY_PARAMETER],
    )
    def post(self, request: Request, sequence_id: int) -> Response:
        sequence = access_sequence(request.user, sequence_id, write=True)
        serializer = GenerateRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        key = idempotency_key(request)
        provider = serializer.validated_data["provider"]
        return _queued(lambda: actions.create_job(request.user, sequence, provider, key))


class GenerateAgainView(APIView):
    """A new job with exactly the settings (and input files) of a take's job."""

    @extend_schema(
        request=None,
        responses={202: JobSerializer, **ERROR_RESPONSES},
        parameters=[IDEMPOTENCY_PARAMETER],
    )
    def post(self, request: Request, take_id: int) -> Response:
        take = access_take(request.user, take_id, write=True)
        key = idempotency_key(request)
        return _queued(lambda: actions.generate_again(request.user, take.job, key))


class JobDetailView(APIView):
    @extend_schema(responses=JobSerializer)
    def get(self, request: Request, job_id: int) -> Response:
        return Response(job_row(access_job(request.user, job_id)))


class JobCancelView(APIView):
    @extend_schema(request=None, responses={200: JobSerializer, 409: dict})
    def post(self, request: Request, job_id: int) -> Response:
        job = access_job(request.user, job_id, write=True)
        try:
            job = actions.cancel_job(job)
        except actions.JobFinished as finished:
            return Response(
                {"detail": str(finished), "job": job_row(job)}, status=status.HTTP_409_CONFLICT
            )
        return Response(job_row(job))


class ProjectJobsView(APIView):
    @extend_schema(
        responses=JobSerializer(many=True),
        parameters=[OpenApiParameter("active", bool, description="Only jobs in flight")],
    )
    def get(self, request: Request, project_id: int) -> Response:
        project = access_project(request.user, project_id)
        jobs = GenerationJob.objects.filter(project=project)
        if request.query_params.get("active") in ("1", "true"):
            jobs = jobs.filter(state__in=ACTIVE_STATES)
        return Response([job_row(job) for job in jobs.order_by("-id")[:PROJECT_JOBS_LIMIT]])


class CreditsView(APIView):
    @extend_schema(responses=CreditsSerializer)
    def get(self, request: Request) -> Response:
        account = credits.account_of(request.user)
        entries = account.entries.order_by("-id")[:RECENT_LEDGER_ENTRIES]
        in_flight = GenerationJob.objects.filter(
            created_by=request.user, state__in=ACTIVE_STATES
        ).count()
        return Response(
            {
                "balance": account.balance,
                "in_flight": in_flight,
                "max_in_flight": settings.JOBS_MAX_IN_FLIGHT_PER_USER,
                "entries": [
                    {
                        "kind": entry.kind,
                        "amount": entry.amount,
                        "job": entry.job_id,
                        "note": entry.note,
                        "created_at": entry.created_at.isoformat(),
                    }
                    for entry in entries
                ],
            }
        )


class ProvidersView(APIView):
    @extend_schema(responses=ProviderSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(
            [{"value": value, "label": Provider(value).label} for value in available_providers()]
        )
