"""The frame hub: a session's frames reach its own page only, the newest replaces an unsent one,
the script learns when the page takes a frame, and idle channels are dropped. The WebSocket endpoint
runs here against a fake socket; tests/e2e drive the real route."""

import asyncio
import threading

import pytest

from playground.live.hub import IDLE_SECONDS, LIVE_PATH, TAKEN, FrameHub


class FakeSocket:
    """Enough of a Starlette WebSocket: sent bytes are recorded; texts come from `incoming`."""

    def __init__(self, token: str):
        self.query_params = {"token": token}
        self.sent: list[bytes] = []
        self.incoming: asyncio.Queue = asyncio.Queue()
        self.accepted = self.closed = False

    async def accept(self):
        self.accepted = True

    async def close(self, code: int = 1000):
        self.closed = code

    async def send_bytes(self, data: bytes):
        self.sent.append(data)

    async def receive_text(self) -> str:
        text = await self.incoming.get()
        if text is None:
            raise ConnectionError("the page went away")
        return text


class Clock:
    now = 0.0

    def __call__(self):
        return self.now


def test_the_route_is_outside_streamlits_reserved_paths():
    assert LIVE_PATH.startswith("/") and not LIVE_PATH.startswith(("/_stcore", "/component", "/media"))


def test_a_token_opens_one_channel_and_unknown_tokens_get_nothing():
    hub = FrameHub()
    token = FrameHub.new_token()
    assert len(token) == 32 and hub.channel(token) is hub.channel(token)
    assert hub.get("someone else's") is None


def test_the_newest_frame_replaces_an_unsent_one():
    channel = FrameHub().channel("t")
    channel.publish(1, b"one")
    channel.publish(2, b"two")
    assert channel.take() == (2, b"two") and channel.sent == 2
    assert channel.take() is None


def test_waiting_for_a_take_ends_when_the_page_says_so_or_leaves():
    channel = FrameHub().channel("t")
    assert not channel.wait_taken(1, timeout=0.01)  # no page: nothing to wait for
    loop, event = object(), object()
    channel.attach(loop, event)
    threading.Timer(0.05, channel.mark_taken, args=(3,)).start()
    assert channel.wait_taken(3, timeout=5)
    assert not channel.wait_taken(4, timeout=0.05)
    threading.Timer(0.05, channel.detach, args=(loop, event)).start()
    assert not channel.wait_taken(4, timeout=5)  # the page closed: the script goes on


def test_idle_channels_are_dropped_and_reopened_on_demand():
    clock = Clock()
    hub = FrameHub(clock)
    hub.channel("old").publish(1, b"x")
    clock.now = IDLE_SECONDS / 2
    hub.channel("busy").attach(object(), object())
    clock.now = IDLE_SECONDS + 1
    hub.channel("new")
    assert hub.get("old") is None and hub.get("busy") is not None and len(hub) == 2


def test_the_endpoint_sends_frames_and_records_takes():
    async def scenario():
        hub = FrameHub()
        channel = hub.channel("t")
        channel.publish(1, b"first")  # published before the page connected: sent at once
        socket = FakeSocket("t")
        serving = asyncio.create_task(hub.serve(socket))
        for _ in range(100):
            await asyncio.sleep(0.01)
            if socket.sent:
                break
        assert socket.accepted and socket.sent == [b"first"] and channel.connected == 1
        await socket.incoming.put(f"{TAKEN}1")
        await socket.incoming.put("nonsense")  # ignored
        await asyncio.sleep(0.05)
        assert channel.taken == 1
        await asyncio.get_running_loop().run_in_executor(None, channel.publish, 2, b"second")
        for _ in range(100):
            await asyncio.sleep(0.01)
            if len(socket.sent) == 2:
                break
        assert socket.sent == [b"first", b"second"]
        await socket.incoming.put(None)  # the page goes away
        await asyncio.wait_for(serving, 5)
        assert channel.connected == 0

    asyncio.run(scenario())


def test_a_wrong_token_is_closed_without_a_frame():
    async def scenario():
        hub = FrameHub()
        hub.channel("mine").publish(1, b"secret")
        socket = FakeSocket("guess")
        await hub.serve(socket)
        return socket

    socket = asyncio.run(scenario())
    assert socket.closed == 4404 and not socket.accepted and socket.sent == []


@pytest.mark.parametrize("text", ["taken", "taken x", "taken -1", "painted 3"])
def test_only_well_formed_take_messages_count(text):
    async def scenario():
        hub = FrameHub()
        channel = hub.channel("t")
        socket = FakeSocket("t")
        serving = asyncio.create_task(hub.serve(socket))
        await socket.incoming.put(text)
        await socket.incoming.put(None)
        await asyncio.wait_for(serving, 5)
        return channel.taken

    assert asyncio.run(scenario()) == 0
