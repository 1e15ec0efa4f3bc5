"""Routes of the moderation API under /api/."""

from django.urls import path

from moderation.api import views

urlpatterns = [
    path("moderation/cases/", views.OwnCasesView.as_view(), name="api-own-cases"),
    path(
        "moderation/cases/<id:case_id>/appeal/",
        views.AppealView.as_view(),
        name="api-appeal",
    ),
    path("moderation/notices/", views.NoticesView.as_view(), name="api-moderation-notices"),
]
