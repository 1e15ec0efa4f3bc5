"""Routes of the element library pages."""

from django.urls import path

from elements_app import views

urlpatterns = [
    path("libraries/", views.libraries, name="libraries"),
    path("libraries/<int:library_id>/", views.library, name="library"),
    path("elements/<int:element_id>/", views.element, name="element"),
]
