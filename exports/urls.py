"""Routes of the exports' pages (the API's are in exports/api/urls.py)."""

from django.urls import path

from exports import views

urlpatterns = [path("projects/import/", views.import_project_page, name="import-project")]
