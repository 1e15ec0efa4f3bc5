"""Routes of the editor's HTML pages: home, dashboard, the editor, a project's settings and
activity, private media."""

from django.urls import path

from editor import activity_page, views

urlpatterns = [
    path("", views.home, name="home"),
    path("projects/", views.dashboard, name="dashboard"),
    path("projects/<id:project_id>/", views.editor, name="editor"),
    path("projects/<id:project_id>/settings/", views.project_settings, name="project-settings"),
    path("projects/<id:project_id>/delete/", views.project_delete, name="project-delete"),
    path("projects/<id:project_id>/activity/", activity_page.activity_page, name="activity"),
    path("media/private/<path:path>", views.private_media, name="private-media"),
]
