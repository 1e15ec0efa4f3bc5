"""Routes of the discussion API under /api/."""

from django.urls import path

from discussion.api import views

urlpatterns = [
    path(
        "projects/<id:project_id>/comments/",
        views.CommentsView.as_view(),
        name="api-project-comments",
    ),
    path("comments/<id:comment_id>/resolve/", views.ResolveView.as_view(), name="api-resolve"),
    path("notifications/", views.NotificationsView.as_view(), name="api-notifications"),
    path("notifications/read/", views.ReadView.as_view(), name="api-notifications-read"),
]
