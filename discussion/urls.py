"""Routes of the discussion pages."""

from django.urls import path

from discussion import views

urlpatterns = [
    path("notifications/", views.notifications_page, name="notifications"),
]
