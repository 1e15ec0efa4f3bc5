"""Routes of the moderation desk's API under /api/."""

from django.urls import path

from moderation_desk.api import reports

urlpatterns = [path("reports/", reports.ReportView.as_view(), name="api-reports")]
