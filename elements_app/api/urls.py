"""Routes of the elements API under /api/."""

from django.urls import path

from elements_app.api import elements, libraries, mentions

urlpatterns = [
    path("libraries/", libraries.LibraryListView.as_view(), name="api-libraries"),
    path("libraries/<id:library_id>/", libraries.LibraryDetailView.as_view(), name="api-library"),
    path(
        "libraries/<id:library_id>/shares/",
        libraries.ShareListView.as_view(),
        name="api-library-shares",
    ),
    path(
        "libraries/<id:library_id>/shares/<str:username>/",
        libraries.ShareDetailView.as_view(),
        name="api-library-share",
    ),
    path(
        "libraries/<id:library_id>/attachments/",
        libraries.AttachmentListView.as_view(),
        name="api-library-attachments",
    ),
    path(
        "libraries/<id:library_id>/attachments/<id:attachment_id>/",
        libraries.AttachmentDetailView.as_view(),
        name="api-library-attachment",
    ),
    path(
        "projects/<id:project_id>/libraries/<id:library_id>/",
        libraries.ProjectLibraryView.as_view(),
        name="api-project-library",
    ),
    path(
        "projects/<id:project_id>/mentions/",
        mentions.MentionsView.as_view(),
        name="api-project-mentions",
    ),
    path(
        "libraries/<id:library_id>/elements/",
        elements.ElementListView.as_view(),
        name="api-library-elements",
    ),
    path("elements/<id:element_id>/", elements.ElementDetailView.as_view(), name="api-element"),
    path(
        "elements/<id:element_id>/images/",
        elements.ImageListView.as_view(),
        name="api-element-images",
    ),
    path(
        "elements/<id:element_id>/images/reorder/",
        elements.ImageOrderView.as_view(),
        name="api-element-images-reorder",
    ),
    path("elements/<id:element_id>/video/", elements.VideoView.as_view(), name="api-element-video"),
    path("elements/<id:element_id>/voice/", elements.VoiceView.as_view(), name="api-element-voice"),
    path(
        "element-images/<id:image_id>/",
        elements.ImageDetailView.as_view(),
        name="api-element-image",
    ),
    path(
        "element-images/<id:image_id>/thumbnail/",
        mentions.ThumbnailView.as_view(),
        name="api-element-image-thumbnail",
    ),
]
