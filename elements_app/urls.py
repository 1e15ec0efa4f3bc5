"""Routes of the element library pages."""

from django.urls import path

from elements_app import views

urlpatterns = [
    path("libraries/", views.libraries, name="libraries"),
    path("libraries/<id:library_id>/", views.library, name="library"),
    path("elements/<id:element_id>/", views.element, name="element"),
]
