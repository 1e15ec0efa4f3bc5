"""Error pages: JSON under /api/ (the API never answers HTML), Django's pages elsewhere."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.defaults import page_not_found, server_error

from plumbing.query_params import InvalidQuery


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A 400; the messages are shown for a query parameter only (our own words: other bad
    requests, a disallowed host say, may carry what the client should not read back)."""
    problems = exception.errors if isinstance(exception, InvalidQuery) else {}
    if request.path.startswith("/api/"):
        return JsonResponse(problems or {"detail": "Bad request."}, status=400)
    return render(request, "400.html", {"problems": problems}, status=400)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "No such object."}, status=404)
    return page_not_found(request, exception)


def failed(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "The server failed; the error is logged."}, status=500)
    return server_error(request)
