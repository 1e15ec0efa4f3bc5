"""Whatever a client sends on the project socket, the socket answers with an error and stays open
(a parse that recursed or raised used to drop it, leaving the user's presence behind as a ghost);
and however a socket ends, even by a handler's exception, its presence goes with it."""

import pytest

from editor import consumers
from editor.consumers import MAX_MESSAGE_CHARS, MAX_MESSAGE_DEPTH, nesting
from plumbing.live_state import live_state
from tests.conftest import Cast
from tests.socket_helpers import member_socket, run

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("live_keys")]

NESTED = MAX_MESSAGE_CHARS // 2  # brackets, opened and closed: the longest message allowed
HOSTILE_TEXTS = {
    "nested lists": "[" * NESTED + "]" * NESTED,
    "nested objects": '{"a":' * (MAX_MESSAGE_CHARS // 6) + "1" + "}" * (MAX_MESSAGE_CHARS // 6),
    "unclosed brackets": "[" * MAX_MESSAGE_CHARS,
    "nested inside a real message": '{"type": "select", "shot": ' + "[" * 900 + "]" * 900 + "}",
    "a megabyte": '{"type": "ping", "pad": "' + "x" * 1_000_000 + '"}',
    "a lone surrogate": '{"type": "\ud800"}',
    "escaped surrogates": '{"type": "\\udc80\\ud800"}',
    "a type that is a list": '{"type": ["ping"]}',
    "a type that is an object": '{"type": {"ping": 1}}',
    "a shot id beyond any key": '{"type": "select", "shot": ' + "9" * 400 + "}",
    "a negative shot id": '{"type": "select", "shot": -1}',
    "NaN": "NaN",
    "a number too long to read": "1" * 1999,
}
HOSTILE_BYTES = {
    "invalid UTF-8": b"\xff\xfe\xfd",
    "JSON as bytes": b'{"type": "ping"}',
}


async def present_connections(project_id: int) -> list[str]:
    return [entry["connection"] for entry in await live_state().presence(project_id)]


async def still_answers(socket) -> None:
    await socket.send({"type": "ping"})
    assert (await socket.next_of("pong"))["type"] == "pong"


@pytest.mark.parametrize("text", HOSTILE_TEXTS.values(), ids=HOSTILE_TEXTS.keys())
def test_a_hostile_text_gets_an_error_and_the_socket_stays_open(cast: Cast, text: str) -> None:
    async def scenario():
        socket, snapshot = await member_socket(cast.project.pk, cast.editor)
        await socket.send_to(text_data=text)
        error = await socket.next_of("error")
        assert error["message"]
        await still_answers(socket)
        await socket.disconnect()
        assert snapshot["you"]["connection"] not in await present_connections(cast.project.pk)

    run(scenario())


@pytest.mark.parametrize("data", HOSTILE_BYTES.values(), ids=HOSTILE_BYTES.keys())
def test_a_binary_message_gets_an_error_and_the_socket_stays_open(cast: Cast, data: bytes) -> None:
    async def scenario():
        socket, _ = await member_socket(cast.project.pk, cast.editor)
        await socket.send_to(bytes_data=data)
        assert (await socket.next_of("error"))["message"] == consumers.NOT_JSON
        await still_answers(socket)
        await socket.disconnect()

    run(scenario())


def test_many_hostile_messages_in_a_row_leave_the_socket_working(cast: Cast) -> None:
    """Within the message budget, every one of them answered, none fatal."""
    texts = list(HOSTILE_TEXTS.values())

    async def scenario():
        socket, _ = await member_socket(cast.project.pk, cast.owner)
        for text in texts:
            await socket.send_to(text_data=text)
        for _ in texts:
            assert (await socket.next())["type"] == "error"
        await still_answers(socket)
        await socket.disconnect()

    run(scenario())


def test_a_message_nested_deeper_than_the_limit_is_refused_before_it_is_parsed(
    cast: Cast,
) -> None:
    """One bracket too deep, though json.loads would read it (it would then be a message of no
    type): refused for its depth."""
    deep = '{"type": "ping", "a": ' + "[" * MAX_MESSAGE_DEPTH + "]" * MAX_MESSAGE_DEPTH + "}"

    async def scenario():
        socket, _ = await member_socket(cast.project.pk, cast.viewer)
        await socket.send_to(text_data=deep)
        assert (await socket.next_of("error"))["message"] == consumers.TOO_DEEP
        await socket.send_to(text_data=deep.replace("[]", ""))  # one level less: a ping
        assert (await socket.next())["type"] == "pong"
        await socket.disconnect()

    run(scenario())


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        ('{"type": "ping"}', 1),
        ('{"a": [1, {"b": []}]}', 4),
        ('{"a": "[[[[{{{{"}', 1),  # brackets in strings do not count
        ('{"a": "\\"[[[["}', 1),  # nor after an escaped quote
        ("]]]][[", 0),  # closers first: json.loads refuses it anyway
        ("", 0),
    ],
)
def test_nesting_counts_brackets_outside_strings(text: str, depth: int) -> None:
    assert nesting(text) == depth


def test_a_handler_that_raises_still_takes_the_presence_away(cast: Cast, monkeypatch) -> None:
    """A bug in a handler ends the consumer without `disconnect`: its presence must go all the
    same, and the others are told."""

    def broken(*args):
        raise RuntimeError("a bug in a handler")

    monkeypatch.setattr(consumers, "_shot_in_project", broken)

    async def scenario():
        watcher, _ = await member_socket(cast.project.pk, cast.owner)
        socket, snapshot = await member_socket(cast.project.pk, cast.editor)
        connection = snapshot["you"]["connection"]
        await watcher.next_of("presence", connection=connection)
        assert connection in await present_connections(cast.project.pk)
        await socket.send({"type": "select", "shot": cast.shots[0].pk})
        with pytest.raises(RuntimeError, match="a bug in a handler"):
            await socket.receive_output(1)  # the crash shows once nothing came
        assert connection not in await present_connections(cast.project.pk)
        assert await watcher.next_of("presence", connection=connection, left=True)
        await watcher.disconnect()

    run(scenario())
