"""Routes of the HTML pages."""

from django.urls import path

from storyboard_app import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/signup/", views.signup, name="signup"),
    path("projects/", views.dashboard, name="dashboard"),
    path("projects/<id:project_id>/", views.editor, name="editor"),
    path("projects/<id:project_id>/settings/", views.project_settings, name="project-settings"),
    path("projects/<id:project_id>/delete/", views.project_delete, name="project-delete"),
    path("media/private/<path:path>", views.private_media, name="private-media"),
]
