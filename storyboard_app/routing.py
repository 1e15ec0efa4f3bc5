"""Routes of the WebSockets."""

from django.urls import path

from storyboard_app.consumers import ProjectConsumer

websocket_urlpatterns = [
    path("ws/projects/<id:project_id>/", ProjectConsumer.as_asgi()),
]
