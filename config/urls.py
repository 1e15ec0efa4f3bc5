"""The URL map: pages, the API under /api/, its schema and docs, the admin."""

from django.contrib import admin
from django.contrib.auth.views import LoginView
from django.urls import include, path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.api_auth import TokenView
from accounts.forms import GuardedAuthenticationForm
from accounts.password_reset import ThrottledPasswordResetView
from config.health import healthz
from plumbing.converters import FrameConverter, IdConverter, ReviewMediaConverter, TokenConverter

register_converter(IdConverter, "id")
register_converter(FrameConverter, "frame")
register_converter(TokenConverter, "token")
register_converter(ReviewMediaConverter, "review_media")

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path(
        "accounts/login/",
        LoginView.as_view(authentication_form=GuardedAuthenticationForm),
        name="login",
    ),
    path(
        "accounts/password_reset/",
        ThrottledPasswordResetView.as_view(),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("accounts.urls")),
    path("api/auth/token/", TokenView.as_view(), name="api-token"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start script as a file: the policy runs no inline one.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api_docs.html"),
        name="api-docs",
    ),
    path("api/", include("editor.api.urls")),
    path("api/", include("elements_app.api.urls")),
    path("api/", include("jobs.api.urls")),
    path("api/", include("sharing.api.urls")),
    path("api/", include("discussion.api.urls")),
    path("api/", include("moderation.api.urls")),
    path("api/", include("moderation_desk.api.urls")),
    path("api/", include("exports.api.urls")),
    path("", include("elements_app.urls")),
    path("", include("sharing.urls")),
    path("", include("discussion.urls")),
    path("", include("moderation.urls")),
    path("", include("exports.urls")),
    path("", include("editor.urls")),
]

handler400 = "config.errors.bad_request"
handler404 = "config.errors.not_found"
handler500 = "config.errors.failed"
