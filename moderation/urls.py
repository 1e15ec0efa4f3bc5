"""Routes of the moderation pages for users (the moderators' console is in the admin)."""

from django.urls import path

from moderation import views

urlpatterns = [path("moderation/", views.own_cases_page, name="moderation-cases")]
