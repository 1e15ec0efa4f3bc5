"""The project WebSocket (`/ws/projects/<id>/`): live events, snapshots and presence.

A member's socket joins the project's group and gets a snapshot, then every event of the
project with its sequence number (the text is encoded once by the publisher and forwarded as
is). A client that sees a gap asks for a new snapshot. Others are closed with 4403, and so is a
member's socket the moment the membership ends. Edits do not travel here: they go through the
REST API, which checks the role on every request; the socket only takes the messages of
`MESSAGES`, each allowed to the roles the access table gives that permission. A message that is
not one (too long, too deep, not JSON) is answered with an error and the socket stays open. One
user holds at most a few sockets per project and in all (plumbing/socket_slots.py); more
are closed with 4429.
"""

import json
import secrets
import time

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404

from editor.timeline_snapshot import timeline_of
from plumbing.converters import MAX_ID
from plumbing.live_state import live_state
from plumbing.publisher import EVENT_MESSAGE, deliver, member_group, project_group
from plumbing.socket_slots import socket_slots
from storyboard_app import events
from storyboard_app.access import Permission, access_project, access_shot, may

# Close codes the client knows (live.js): not (or no longer) a member; do not reconnect.
CLOSE_FORBIDDEN = 4403
# The user has too many sockets open already (SOCKETS_PER_USER… in socket_slots); the reason
# says which limit.
CLOSE_TOO_MANY_SOCKETS = 4429
# What a client may send, and the permission each needs.
MESSAGES = {"snapshot": Permission.VIEW, "ping": Permission.VIEW, "select": Permission.VIEW}
# A client message is a few dozen bytes; anything much longer is refused unread.
MAX_MESSAGE_CHARS = 2000
# A client message is one flat object; brackets nested deeper are refused before json.loads,
# whose recursion 2,000 characters of "[[[[…" would exhaust.
MAX_MESSAGE_DEPTH = 4
NOT_JSON = f"A message is JSON text of at most {MAX_MESSAGE_CHARS} characters."
TOO_DEEP = f"A message nests at most {MAX_MESSAGE_DEPTH} brackets deep."
# What one socket may send: a burst of 20 messages, then 10 a second (a click on a shot is one
# message; a snapshot costs 8 queries, so a runaway client must not ask for them in a loop).
MESSAGE_BURST = 20
MESSAGES_PER_SECOND = 10.0


class _MessageBudget:
    def __init__(self) -> None:
        self.tokens = float(MESSAGE_BURST)
        self.at = time.monotonic()

    def spend(self) -> bool:
        now = time.monotonic()
        self.tokens = min(MESSAGE_BURST, self.tokens + (now - self.at) * MESSAGES_PER_SECOND)
        self.at = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


def nesting(text: str) -> int:
    """How deep the brackets of `text` nest, outside its strings (linear, no recursion)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _member(user, project_id: int):
    """The project with the user's role, or None (not a member, or the project was taken down)."""
    try:
        return access_project(user, project_id)
    except (Http404, PermissionDenied):
        return None


def _still_member(user, project_id: int):
    """As `_member`, for a socket already open: its user may have been suspended since (the
    scope holds the user as it was at the handshake)."""
    if not get_user_model().objects.filter(pk=user.pk, is_active=True).exists():
        return None
    return _member(user, project_id)


def snapshot_of(user, project_id: int) -> dict | None:
    """The user's role and the project's whole editor state, or None for a non-member."""
    project = _member(user, project_id)
    if project is None:
        return None
    return {"role": project.role, "timeline": timeline_of(project)}


def _shot_in_project(user, shot_id: int, project_id: int) -> bool:
    try:
        return access_shot(user, shot_id).sequence.project_id == project_id
    except Http404:
        return False


class ProjectConsumer(AsyncWebsocketConsumer):
    project_id: int
    role: str | None = None
    presence: dict | None = None
    slot: tuple[int, int, str] | None = None  # (user, project, connection) while it holds one
    snapshot_seq = 0

    async def __call__(self, scope, receive, send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            # A handler that raised ends the consumer without `disconnect`: leave all the same,
            # or the others would see a ghost, and the user lose a slot, until they expire.
            await self._leave()

    async def connect(self) -> None:
        self.project_id = self.scope["url_route"]["kwargs"]["project_id"]
        self.user = self.scope["user"]
        project = await database_sync_to_async(_member)(self.user, self.project_id)
        # Accept first: a close before the handshake reaches the browser as a bare failure,
        # without the code that tells it not to come back.
        await self.accept()
        if project is None:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        connection = secrets.token_urlsafe(9)
        refused = await socket_slots().take(self.user.pk, self.project_id, connection)
        if refused is not None:
            await self.close(code=CLOSE_TOO_MANY_SOCKETS, reason=refused)
            return
        self.slot = (self.user.pk, self.project_id, connection)
        now = time.time()
        self.presence = {
            "connection": connection,
            "user": self.user.pk,
            "name": self.user.get_username(),
            "shot": None,
            "since": now,
            "seen": now,
        }
        self.role = project.role
        self.budget = _MessageBudget()
        await self.channel_layer.group_add(project_group(self.project_id), self.channel_name)
        await self.channel_layer.group_add(
            member_group(self.project_id, self.user.pk), self.channel_name
        )
        await self._announce_presence()
        await self._send_snapshot()

    async def disconnect(self, code: int) -> None:
        await self._leave()

    async def _leave(self) -> None:
        """Out of the groups, the presence list and the socket slots (once, however the socket
        ends)."""
        slot, self.slot = self.slot, None
        try:
            if self.role is not None:
                self.role = None
                await self.channel_layer.group_discard(
                    project_group(self.project_id), self.channel_name
                )
                await self.channel_layer.group_discard(
                    member_group(self.project_id, self.user.pk), self.channel_name
                )
                await live_state().drop_presence(self.project_id, self.presence["connection"])
                await deliver(self.project_id, events.presence_left(self.presence))
        finally:
            if slot is not None:
                await socket_slots().give_back(*slot)

    async def _forbid(self) -> None:
        await self._leave()
        await self.close(code=CLOSE_FORBIDDEN)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.role is None:
            return
        if not self.budget.spend():
            await self._send_json({"type": "error", "message": "Too many messages: slow down."})
            return
        message = self._parsed(text_data)
        if isinstance(message, str):
            await self._send_json({"type": "error", "message": message})
            return
        kind = message["type"]
        if kind == "snapshot":
            await self._send_snapshot()
        elif kind == "ping":
            self.presence["seen"] = time.time()
            await live_state().put_presence(self.project_id, self.presence)
            await socket_slots().refresh(*self.slot)
            await self._send_json({"type": "pong"})
        elif kind == "select":
            await self._select(message.get("shot"))

    def _parsed(self, text: str | None) -> dict | str:
        """The client's message, or what is wrong with it."""
        if text is None or len(text) > MAX_MESSAGE_CHARS:
            return NOT_JSON
        if nesting(text) > MAX_MESSAGE_DEPTH:
            return TOO_DEEP
        try:
            message = json.loads(text)
        except Exception:  # ValueError, RecursionError, UnicodeError…: an answer, never a crash
            return NOT_JSON
        kind = message.get("type") if isinstance(message, dict) else None
        if not isinstance(kind, str) or kind not in MESSAGES:
            return f"Unknown message type {kind!r}; expected one of {', '.join(MESSAGES)}."
        if not may(self.role, MESSAGES[kind]):
            return "You can view this project but not change it."
        return message

    async def _select(self, shot_id: object) -> None:
        if shot_id is not None:
            known = type(shot_id) is int and 1 <= shot_id <= MAX_ID
            if not known or not await database_sync_to_async(_shot_in_project)(
                self.user, shot_id, self.project_id
            ):
                await self._send_json({"type": "error", "message": "No such shot in this project."})
                return
        if shot_id != self.presence["shot"]:
            self.presence["shot"] = shot_id
            await self._announce_presence()

    async def _announce_presence(self) -> None:
        self.presence["seen"] = time.time()
        await live_state().put_presence(self.project_id, self.presence)
        await deliver(self.project_id, events.presence(self.presence))

    async def _send_snapshot(self) -> None:
        # The counter is read before the database: every event numbered up to `seq` was
        # committed before this read, so the snapshot holds its change.
        seq = await live_state().current_seq(self.project_id)
        found = await database_sync_to_async(snapshot_of)(self.user, self.project_id)
        if found is None:
            await self._forbid()
            return
        self.role = found["role"]
        self.snapshot_seq = seq
        present = await live_state().presence(self.project_id)
        await self._send_json(
            {
                "type": "snapshot",
                "seq": seq,
                "you": {"connection": self.presence["connection"], "role": self.role},
                "presence": [events.presence_row(entry) for entry in present],
                **found["timeline"],
            }
        )

    async def _send_json(self, content: dict) -> None:
        await self.send(text_data=json.dumps(content, cls=DjangoJSONEncoder))

    # Channel-layer messages

    async def dispatch(self, message: dict) -> None:
        # An event is forwarded as it came, without the database: skip Channels' closing of
        # old connections before each handler, a hop to the database thread and back (28 % of
        # the server's time in a burst to 1,000 sockets, bench/live_latency.py).
        if message["type"] == EVENT_MESSAGE:
            await self.project_event(message)
        else:
            await super().dispatch(message)

    async def project_event(self, message: dict) -> None:
        # Not after this socket was closed, nor what the last snapshot already holds.
        if self.role is not None and message["seq"] > self.snapshot_seq:
            await self.send(text_data=message["text"])

    async def member_changed(self, message: dict) -> None:
        """The membership of this socket's user changed: removed → closed; role → a snapshot."""
        if self.role is None:
            return
        project = await database_sync_to_async(_still_member)(self.user, self.project_id)
        if project is None:
            await self._forbid()
            return
        if project.role != self.role:
            await self._send_snapshot()
