"""Routes of the elements API under /api/."""

from django.urls import path

from elements_app.api import elements, libraries, mentions

urlpatterns = [
    path("libraries/", libraries.LibraryListView.as_view(), name="api-libraries"),
    path("libraries/<int:library_id>/", libraries.LibraryDetailView.as_view(), name="api-library"),
    path(
        "libraries/<int:library_id>/shares/",
        libraries.ShareListView.as_view(),
        name="api-library-shares",
    ),
    path(
        "libraries/<int:library_id>/shares/<str:username>/",
        libraries.ShareDetailView.as_view(),
        name="api-library-share",
    ),
    path(
        "projects/<int:project_id>/libraries/<int:library_id>/",
        libraries.ProjectLibraryView.as_view(),
        name="api-project-library",
    ),
    path(
        "projects/<int:project_id>/mentions/",
        mentions.MentionsView.as_view(),
        name="api-project-mentions",
    ),
    path(
        "libraries/<int:library_id>/elements/",
        elements.ElementListView.as_view(),
        name="api-library-elements",
    ),
    path("elements/<int:element_id>/", elements.ElementDetailView.as_view(), name="api-element"),
    path(
        "elements/<int:element_id>/images/",
        elements.ImageListView.as_view(),
        name="api-element-images",
    ),
    path(
        "elements/<int:element_id>/images/reorder/",
        elements.ImageOrderView.as_view(),
        name="api-element-images-reorder",
    ),
    path(
        "elements/<int:element_id>/video/", elements.VideoView.as_view(), name="api-element-video"
    ),
    path(
        "elements/<int:element_id>/voice/", elements.VoiceView.as_view(), name="api-element-voice"
    ),
    path(
        "element-images/<int:image_id>/",
        elements.ImageDetailView.as_view(),
        name="api-element-image",
    ),
    path(
        "element-images/<int:image_id>/thumbnail/",
        mentions.ThumbnailView.as_view(),
        name="api-element-image-thumbnail",
    ),
]
