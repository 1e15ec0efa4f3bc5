"""Routes of the activity API under /api/."""

from django.urls import path

from activity.api import views

urlpatterns = [
    path(
        "projects/<id:project_id>/activity/",
        views.ActivityView.as_view(),
        name="api-project-activity",
    ),
]
