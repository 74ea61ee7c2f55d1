"""Frame pacing while playing: how long each frame lasts and which charts it redraws.

The server must not send frames faster than the browser paints them: an unpainted frame still
costs the server its training, figures and messages, and the browser their decoding. Alone on
the server a session's frame lasts `frame_period(config)`, measured in headless Chromium on 2
cores (each frame updates three live charts): ~50 ms for the surface and cost curve, plus
~0.7 ms per neuron of the diagram (thumbnails are painted cell by cell). Faster, and a big
diagram's frames queue up in the browser: Pause then took 1.2 s to show instead of 0.3 s.

Compare mode draws a second surface and cost curve: its frame lasts the sum of both setups'
periods. At speed "max" a frame trains for TRAINING_SHARE of its own period, at least
MIN_TRAINING_SECONDS (split between the setups), so a bigger diagram's longer frame also trains
more epochs. Half its period instead cost the spiral 4×8 ~5 % of its frame rate with server and
browser on the same two cores (its floor was 10 frames/s).

A class shares one server: the sessions playing at once share SERVER_FRAME_RATE frames per
second evenly, and when that share is well below a session's own rate its charts take turns,
one per frame, so every counter keeps moving and no session starves another. Measured with
`benchmarks/classroom_load.py`: pacing each session by its own CPU contention instead sent
five to eight frames for every one its browser painted.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from playground.settings.config import Config

FRAME_BASE_SECONDS = 0.05
FRAME_SECONDS_PER_NEURON = 0.0007
SERVER_FRAME_RATE = 30.0  # frames per second the whole server sends, shared by playing sessions
CROWDED = 2.0  # a share this many times slower than a session's own rate: charts take turns
TRAINING_SHARE = 0.4  # at speed "max", the share of a frame's own period spent training
MIN_TRAINING_SECONDS = 0.03  # ... but at least this long (small diagrams' frames are short)
ACTIVE_SECONDS = 5.0  # a session that sent no frame for this long no longer counts as playing
CHARTS = ("surface", "network", "cost")


def frame_period(*configs: Config) -> float:
    """Seconds per frame alone on the server: bigger network diagrams take the browser longer.

    configs: the setups drawn each frame (compare mode draws a second surface and cost curve)."""
    return sum(FRAME_BASE_SECONDS + FRAME_SECONDS_PER_NEURON * sum(config.layer_sizes)
               for config in configs)


def shared_period(base: float, playing: int) -> float:
    """Seconds per frame for a session whose own period is `base`, `playing` sessions at once."""
    return max(base, playing / SERVER_FRAME_RATE)


def is_crowded(base: float, playing: int) -> bool:
    """True when the server's share is well below the session's own frame rate."""
    return shared_period(base, playing) >= CROWDED * base


def charts_to_draw(count: int, crowded: bool) -> tuple[str, ...]:
    """The charts frame number `count` redraws (the stats row is redrawn every frame): all
    three, or on a crowded server one per frame in turn (each still updates every third frame)."""
    if not crowded:
        return CHARTS
    return (CHARTS[count % len(CHARTS)],)


class PlayingSessions:
    """The server-wide count of sessions playing now (thread-safe; holds no user data).

    Each frame a session calls `beat(token)`; `leave(token)` when it stops. A session whose tab
    closed without leaving stops counting ACTIVE_SECONDS after its last frame.
    """

    def __init__(self, clock=time.monotonic):
        self._clock = clock
        self._last_beat: dict[str, float] = {}
        self._lock = threading.Lock()

    def beat(self, token: str) -> int:
        """Record a frame of session `token`; return how many sessions are playing."""
        now = self._clock()
        with self._lock:
            self._last_beat[token] = now
            for other, seen in list(self._last_beat.items()):
                if now - seen > ACTIVE_SECONDS:
                    del self._last_beat[other]
            return len(self._last_beat)

    def leave(self, token: str) -> None:
        with self._lock:
            self._last_beat.pop(token, None)


@dataclass
class Pacer:
    """One session's frame clock on a shared server."""

    base: float  # seconds per frame alone on the server
    sessions: PlayingSessions
    token: str
    setups: int = 1  # setups trained and drawn each frame (2 in compare mode)
    playing: int = 1  # sessions playing at the last frame (this one included)

    @classmethod
    def for_config(cls, configs: tuple[Config, ...], sessions: PlayingSessions, token: str) -> Pacer:
        """configs: the setups drawn each frame (A, and B in compare mode)."""
        return cls(frame_period(*configs), sessions, token, len(configs))

    @property
    def training_budget(self) -> float:
        """Seconds of training per frame and setup at speed "max": a share of the frame's own
        period, split between the setups (a bigger diagram's longer frame trains more epochs; the
        period, not the share of a crowded server, sets it: a class does not train more)."""
        return max(MIN_TRAINING_SECONDS, TRAINING_SHARE * self.base) / self.setups

    @property
    def crowded(self) -> bool:
        return is_crowded(self.base, self.playing)

    def pause(self, work: float) -> float:
        """Seconds to sleep after a frame whose training and drawing took `work` seconds."""
        self.playing = self.sessions.beat(self.token)
        return max(0.0, shared_period(self.base, self.playing) - work)

    def stop(self) -> None:
        """This session stopped playing: the others share its frames."""
        self.sessions.leave(self.token)
        self.playing = 1
