"""Routes of the sharing pages."""

from django.urls import path

from sharing import views

urlpatterns = [
    path("projects/<id:project_id>/sharing/", views.sharing_page, name="sharing"),
    path("invite/<token:token>/", views.invitation_page, name="invitation"),
]
