"""The production settings (PRODUCTION=1) pass `manage.py check --deploy` with no warning:
cookies only over HTTPS, HSTS, a real secret key; and they refuse to start without one."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PRODUCTION": "1", "ALLOWED_HOSTS": "storyboard.example.com"}
    environment.update(env)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=environment, capture_output=True, text=True
    )


def test_check_deploy_passes_with_no_warning() -> None:
    done = run("manage.py", "check", "--deploy", "--fail-level", "WARNING",
               SECRET_KEY=secrets.token_urlsafe(60))  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_cookies_go_only_over_https_and_browsers_are_told_to_stay_on_it() -> None:
    code = (
        "import django, json; django.setup(); from django.conf import settings as s;"
        "print(json.dumps([s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SESSION_COOKIE_HTTPONLY, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS,"
        " s.PASSWORD_HASHERS[0]]))"
    )
    done = run("-c", code, SECRET_KEY=secrets.token_urlsafe(60),
               DJANGO_SETTINGS_MODULE="config.settings")  # fmt: skip
    assert done.returncode == 0, done.stderr
    values = json.loads(done.stdout)
    assert values[:4] == [True, True, True, True]
    assert values[4] >= 365 * 24 * 3600
    assert values[5].endswith("Argon2PasswordHasher")


def test_production_refuses_the_development_key() -> None:
    done = run("manage.py", "check")
    assert done.returncode != 0
    assert "Set SECRET_KEY to a random value of 50 characters or more." in done.stderr
