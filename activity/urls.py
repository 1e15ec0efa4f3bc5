"""Routes of the activity page."""

from django.urls import path

from activity import views

urlpatterns = [
    path("projects/<id:project_id>/activity/", views.activity_page, name="activity"),
]
