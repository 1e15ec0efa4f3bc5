"""A fake Kling HTTP API on 127.0.0.1 that follows docs/kling_api.md (legacy `/v1/`
design) for tests and benchmarks, with injectable faults. Pure Python, no Django.

Modules: server (FakeKling, the object to start and steer), handler (HTTP routing and the
envelope), endpoints (create/query/list), validation and images (request checks), auth (API key
and JWT), tasks (time-driven task statuses), callbacks (scheduled, signed status callbacks),
media (the result MP4), faults (injected faults and counters), control (the /_control endpoint).
Run a separate server with `python -m fake_kling --port 8765`.
"""

from fake_kling.errors import ERROR_TABLE, MODERATION_MESSAGE
from fake_kling.server import FakeKling

__all__ = ["ERROR_TABLE", "MODERATION_MESSAGE", "FakeKling"]
