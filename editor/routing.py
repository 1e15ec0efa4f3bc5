"""Routes of the WebSockets."""

from django.urls import path

from editor.consumers import ProjectConsumer

websocket_urlpatterns = [
    path("ws/projects/<id:project_id>/", ProjectConsumer.as_asgi()),
]
