"""Frames to the browser over one WebSocket per page, and the browser's word that it took them.

While a session plays, its script thread publishes each frame (one compact binary message for
every live chart, see live.payload) to its `Channel`; the page's live view holds a WebSocket to
LIVE_PATH (a route of the st.App in streamlit_app.py) that sends the newest frame and reads back
"taken <seq>" when the page starts drawing it. The page holds at most one frame it has not
started drawing, and the script publishes the next frame only once the last one is taken: the
next frame travels while the page draws (the server's and the browser's work overlap), the
server never sends more frames than the browser draws, and a frame superseded before it is sent
is dropped, never queued.

A channel is found by an unguessable token (128 random bits) that the session's own page got in
its live view's data; the hub holds tokens, the newest frame per channel and counters only (no
user data beyond one frame in flight), and forgets a channel when its session closes it.
"""

from __future__ import annotations

import asyncio
import functools
import secrets
import threading
import time
from dataclasses import dataclass, field

LIVE_PATH = "/pg-live"  # the WebSocket route: LIVE_PATH + "?token=<channel token>"
TAKEN = "taken "  # the page's message when it starts drawing frame <seq>
IDLE_SECONDS = 600.0  # a channel without a page and without a frame for this long is dropped


@dataclass
class Channel:
    """One session's frames: the newest unsent frame, and the last one the page has taken."""

    token: str
    sent: int = 0  # sequence number of the last frame handed to the WebSocket
    taken: int = 0  # sequence number of the last frame the page started drawing
    connected: int = 0  # open WebSockets of this channel (a reload opens a second one)
    used: float = 0.0  # when a frame or a page last came (by `clock`)
    clock: object = time.monotonic
    _frame: tuple[int, bytes] | None = None  # (seq, message) waiting to be sent
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _taken_event: threading.Condition = field(init=False)
    _wakeups: set = field(default_factory=set)  # (loop, asyncio.Event) of open WebSockets

    def __post_init__(self) -> None:
        self._taken_event = threading.Condition(self._lock)

    # --- the script thread's side ----------------------------------------------------------------
    def publish(self, seq: int, message: bytes) -> None:
        """Make `message` (frame `seq`) the next frame to send, replacing an unsent one."""
        with self._lock:
            self._frame = (seq, message)
            self.used = self.clock()
            wakeups = list(self._wakeups)
        for loop, event in wakeups:
            loop.call_soon_threadsafe(event.set)

    def wait_taken(self, seq: int, timeout: float) -> bool:
        """Block until the page took frame `seq` (True) or `timeout` seconds passed (False)."""
        deadline = time.monotonic() + timeout
        with self._taken_event:
            while self.taken < seq:
                left = deadline - time.monotonic()
                if left <= 0 or not self.connected:
                    return False
                self._taken_event.wait(left)
            return True

    # --- the WebSocket's side (event loop) -------------------------------------------------------
    def take(self) -> tuple[int, bytes] | None:
        with self._lock:
            frame, self._frame = self._frame, None
            if frame is not None:
                self.sent = frame[0]
            return frame

    def mark_taken(self, seq: int) -> None:
        with self._taken_event:
            self.taken = max(self.taken, seq)
            self._taken_event.notify_all()

    def attach(self, loop: asyncio.AbstractEventLoop, event: asyncio.Event) -> None:
        with self._lock:
            self._wakeups.add((loop, event))
            self.connected += 1
            self.used = self.clock()

    def detach(self, loop: asyncio.AbstractEventLoop, event: asyncio.Event) -> None:
        with self._taken_event:
            self._wakeups.discard((loop, event))
            self.connected -= 1
            self.used = self.clock()
            self._taken_event.notify_all()  # a waiting script stops waiting for this page


class FrameHub:
    """The server's channels, by token (thread-safe). `clock` is injectable for tests."""

    def __init__(self, clock=time.monotonic) -> None:
        self._channels: dict[str, Channel] = {}
        self._lock = threading.Lock()
        self._clock = clock

    @staticmethod
    def new_token() -> str:
        return secrets.token_hex(16)

    def channel(self, token: str) -> Channel:
        """The channel of `token`, opened if the hub does not hold it (a new session, or one
        whose idle channel was dropped); idle channels of other sessions are dropped here."""
        with self._lock:
            now = self._clock()
            for other, held in list(self._channels.items()):
                if not held.connected and now - held.used > IDLE_SECONDS:
                    del self._channels[other]
            if token not in self._channels:
                self._channels[token] = Channel(token, used=now, clock=self._clock)
            return self._channels[token]

    def get(self, token: str) -> Channel | None:
        with self._lock:
            return self._channels.get(token)

    def close(self, token: str) -> None:
        with self._lock:
            self._channels.pop(token, None)

    def __len__(self) -> int:
        with self._lock:
            return len(self._channels)

    async def serve(self, websocket) -> None:
        """The WebSocket endpoint (a Starlette WebSocket): send the channel's newest frame when
        there is one, and record each "taken <seq>" the page sends back."""
        channel = self.get(websocket.query_params.get("token", ""))
        if channel is None:
            await websocket.close(code=4404)
            return
        await websocket.accept()
        loop, wake = asyncio.get_running_loop(), asyncio.Event()
        channel.attach(loop, wake)
        wake.set()  # a frame published before the page connected goes out at once
        reader = asyncio.create_task(self._read_acks(websocket, channel))
        try:
            while not reader.done():
                waiter = asyncio.create_task(wake.wait())
                await asyncio.wait({waiter, reader}, return_when=asyncio.FIRST_COMPLETED)
                waiter.cancel()
                wake.clear()
                frame = channel.take()
                if frame is not None:
                    await websocket.send_bytes(frame[1])
        except Exception:  # the page went away while a frame was on its way
            pass
        finally:
            reader.cancel()
            channel.detach(loop, wake)

    @staticmethod
    async def _read_acks(websocket, channel: Channel) -> None:
        while True:
            text = await websocket.receive_text()
            if text.startswith(TAKEN) and text[len(TAKEN):].isdigit():
                channel.mark_taken(int(text[len(TAKEN):]))


@functools.cache
def frame_hub() -> FrameHub:
    """The server's one hub (frames and tokens only: no user data beyond a frame in flight)."""
    return FrameHub()
