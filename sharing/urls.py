"""Routes of the sharing pages: a project's sharing page, invitation links, review links."""

from django.urls import path

from sharing import review_views, views

urlpatterns = [
    path("projects/<id:project_id>/sharing/", views.sharing_page, name="sharing"),
    path("invite/<token:token>/", views.invitation_page, name="invitation"),
    path("review/<token:token>/", review_views.review_page, name="review"),
    path("review/<token:token>/comments/", review_views.review_comment, name="review-comment"),
    path(
        "review/<token:token>/takes/<id:take_id>/<review_media:kind>/",
        review_views.review_media,
        name="review-media",
    ),
]
