"""Routes of the jobs API under /api/."""

from django.urls import path

from jobs.api import callbacks, generation, takes

urlpatterns = [
    path(
        "sequences/<id:sequence_id>/generate/",
        generation.GenerateView.as_view(),
        name="api-sequence-generate",
    ),
    path(
        "sequences/<id:sequence_id>/takes/",
        takes.SequenceTakesView.as_view(),
        name="api-sequence-takes",
    ),
    path("jobs/<id:job_id>/", generation.JobDetailView.as_view(), name="api-job"),
    path("jobs/<id:job_id>/cancel/", generation.JobCancelView.as_view(), name="api-job-cancel"),
    path(
        "projects/<id:project_id>/jobs/",
        generation.ProjectJobsView.as_view(),
        name="api-project-jobs",
    ),
    path("takes/<id:take_id>/", takes.TakeDetailView.as_view(), name="api-take"),
    path("takes/<id:take_id>/choose/", takes.TakeChooseView.as_view(), name="api-take-choose"),
    path(
        "takes/<id:take_id>/generate-again/",
        generation.GenerateAgainView.as_view(),
        name="api-take-generate-again",
    ),
    path("credits/", generation.CreditsView.as_view(), name="api-credits"),
    path("providers/", generation.ProvidersView.as_view(), name="api-providers"),
    path(
        "providers/kling/callback/",
        callbacks.KlingCallbackView.as_view(),
        name="api-kling-callback",
    ),
]
