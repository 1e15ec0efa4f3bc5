"""The endpoint providers call when a task changes (no user: the signature is the check).

The body is only a hint: it makes the job poll now instead of at its next scheduled poll, and
the poll asks the provider itself, so a forged callback can neither finish nor fail a job.
When a webhook secret is configured, unsigned or badly signed callbacks are refused.
"""

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jobs.pipeline import callback_received
from jobs.providers.kling import CallbackRejected, verify_callback
from jobs.serializers import KlingCallbackSerializer


class KlingCallbackView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    # The raw body is what is signed: it is read as bytes, never through `request.data`.

    @extend_schema(request=KlingCallbackSerializer, responses={200: dict, 400: dict, 401: dict})
    def post(self, request: Request) -> Response:
        secret = settings.KLING_WEBHOOK_SECRET or None
        try:
            payload = verify_callback(secret, request.headers, request.body)
        except CallbackRejected as rejected:
            # With a secret, anything unproven is unauthenticated; without, only malformed.
            refused = status.HTTP_401_UNAUTHORIZED if secret else status.HTTP_400_BAD_REQUEST
            return Response({"detail": str(rejected)}, status=refused)
        task_info = payload.get("task_info")
        external = task_info.get("external_task_id") if isinstance(task_info, dict) else None
        callback_received(str(external or ""), payload["task_status"])
        return Response({"ok": True})
