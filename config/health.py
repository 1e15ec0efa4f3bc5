"""A health check for load balancers and docker-compose: the database and Redis answer."""

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse

REDIS_TIMEOUT_SECONDS = 2


def healthz(request: HttpRequest) -> JsonResponse:
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as error:  # report, do not raise: this page exists to say what is down
        checks["database"] = f"down: {type(error).__name__}"
    if settings.REDIS_URL:
        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_timeout=REDIS_TIMEOUT_SECONDS).ping()
            checks["redis"] = "ok"
        except Exception as error:
            checks["redis"] = f"down: {type(error).__name__}"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(checks, status=200 if healthy else 503)
