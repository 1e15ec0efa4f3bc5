"""The endpoint providers call when a task changes (no user: the signature is the check).

The body is only a hint: it makes the job poll now instead of at its next scheduled poll, and
the poll asks the provider itself, so a forged callback can neither finish nor fail a job.
When a webhook secret is configured, unsigned or badly signed callbacks are refused.
"""

import json

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jobs.pipeline import callback_received
from jobs.providers.kling import CallbackRejected, verify_callback


class KlingCallbackView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    parser_classes: list = []  # the raw body is what is signed

    @extend_schema(request=dict, responses={200: dict, 400: dict, 401: dict})
    def post(self, request: Request) -> Response:
        body = request.body
        try:
            if settings.KLING_WEBHOOK_SECRET:
                payload = verify_callback(settings.KLING_WEBHOOK_SECRET, request.headers, body)
            else:
                payload = json.loads(body)
        except CallbackRejected as rejected:
            return Response({"detail": str(rejected)}, status=status.HTTP_401_UNAUTHORIZED)
        except (ValueError, UnicodeDecodeError):
            return Response({"detail": "The body is not JSON."}, status=400)
        if not isinstance(payload, dict):
            return Response({"detail": "The body is not a JSON object."}, status=400)
        external = (payload.get("task_info") or {}).get("external_task_id") or ""
        callback_received(str(external), str(payload.get("task_status", "")))
        return Response({"ok": True})
