"""Frame pacing while playing: when a frame is sent, what it redraws, how long it trains.

With the live WebSocket the page says when it takes a frame to draw, and the next one is sent
only then: the browser sets the pace and never gets more frames than it draws (at most one a
display refresh, MIN_FRAME_SECONDS), and the next frame is built while it draws the last.
Without it (a proxy refuses the WebSocket), frames go out every `frame_period(config)`: 50 ms
plus 0.7 ms per neuron, what headless Chromium needed to paint them on 2 cores.

At speed "max" a frame trains while the page draws the last one, at least MIN_TRAINING_SECONDS
and at most MAX_TRAINING_SECONDS (split between the setups in compare mode). The cost curve is
redrawn at most every COST_SECONDS (a plotly redraw is the dearest part of a frame in the
browser); the counter, the diagram and the surface every frame. A fixed speed trains its epochs
in the same chunks and stops at MAX_TRAINING_SECONDS too (`frame_trained`): 50 epochs of a heavy
setup (8×16, 1,800 points, batch size 1) took 5.2 s a frame and a whole core, and the sessions
beside it painted nothing for 20 s.

A class shares one server: the sessions playing at once share the server's frame budget evenly
(live.budget: frames per second from the CPU the process gets and the measured cost of a frame),
and when that share is well below a session's own rate its charts take turns, one per frame, so
every counter keeps moving and no session starves another.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from playground.live.budget import FrameBudget
from playground.settings.config import Config

FRAME_BASE_SECONDS = 0.05
FRAME_SECONDS_PER_NEURON = 0.0007
MIN_FRAME_SECONDS = 1 / 60  # a display paints at most 60 frames a second
CROWDED = 2.0  # a share this many times slower than a session's own rate: charts take turns
MIN_TRAINING_SECONDS = 0.005  # at speed "max", a frame trains at least this long
MAX_TRAINING_SECONDS = 0.04  # ... and at most this long (per frame, all setups together)
COST_SECONDS = 0.25  # the cost curve is redrawn at most this often while playing
ACTIVE_SECONDS = 5.0  # a session that sent no frame for this long no longer counts as playing
CHARTS = ("surface", "network", "cost")


def frame_period(*configs: Config) -> float:
    """Seconds per frame without the page's word that it took a frame: bigger network diagrams take
    the browser longer. configs: the setups drawn each frame (compare mode draws two)."""
    return sum(FRAME_BASE_SECONDS + FRAME_SECONDS_PER_NEURON * sum(config.layer_sizes)
               for config in configs)


def shared_period(base: float, playing: int, server_rate: float) -> float:
    """Seconds per frame for a session whose own period is `base`, `playing` sessions at once
    sharing `server_rate` frames per second evenly. A session alone keeps its own period: there
    is nobody to share with, and at speed "max" its measured frame cost is mostly training that
    only fills the time the page draws (a 30 ms cost made the budget 27 frames/s and paced one
    session below the 30 frames/s its page drew)."""
    return base if playing <= 1 else max(base, playing / server_rate)


def is_crowded(base: float, playing: int, server_rate: float) -> bool:
    """True when the server's share is well below the session's own frame rate."""
    return shared_period(base, playing, server_rate) >= CROWDED * base


def frame_trained(speed: str, done: int, elapsed: float, budget: tuple[float, float],
                  taken) -> bool:
    """True when a frame that trained `done` epochs in `elapsed` seconds stops training: at
    `budget` = (least, most) seconds' most in any case; at "max" once the least is spent and the
    page has taken the last frame to draw (`taken()`), at a fixed speed once its count is done."""
    least, most = budget
    if elapsed >= most:
        return True
    if speed == "max":
        return elapsed >= least and taken()
    return done >= int(speed)


def speed_note(speed: str, epochs: int | None) -> str | None:
    """What the speed control says when a frame at fixed `speed` trained only `epochs` (None when
    the speed holds, at "max", or before a frame was trained)."""
    if speed == "max" or epochs is None or epochs >= int(speed):
        return None
    return (f"Capped: this setup trains {epochs:,} epoch{'s' if epochs != 1 else ''} a frame, not "
            f"{speed} (a frame trains at most {MAX_TRAINING_SECONDS * 1000:.0f} ms, as at max).")


def charts_to_draw(count: int, crowded: bool, cost_due: bool = True) -> tuple[str, ...]:
    """The charts frame number `count` redraws (the stats row is redrawn every frame): all
    three (the cost curve only when `cost_due`), or on a crowded server one per frame in turn."""
    if crowded:
        return (CHARTS[count % len(CHARTS)],)
    return CHARTS if cost_due else CHARTS[:2]


class PlayingSessions:
    """The server-wide count of sessions playing now and the frame budget they share
    (thread-safe; holds no user data).

    Each frame a session calls `beat(token)`; `leave(token)` when it stops. A session whose tab
    closed without leaving stops counting ACTIVE_SECONDS after its last frame. `budget`: the
    server's frames per second (default: measured, for one core).
    """

    def __init__(self, clock=time.monotonic, budget: FrameBudget | None = None):
        self._clock = clock
        self.budget = budget if budget is not None else FrameBudget(cores=1.0)
        self._last_beat: dict[str, float] = {}
        self._lock = threading.Lock()

    def beat(self, token: str) -> int:
        """Record a frame of session `token`; return how many sessions are playing."""
        self.budget.frame_sent()
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

    fallback: float  # seconds per frame when the page cannot say it took a frame (no WebSocket)
    sessions: PlayingSessions
    token: str
    setups: int = 1  # setups trained and drawn each frame (2 in compare mode)
    playing: int = 1  # sessions playing at the last frame (this one included)
    acked: bool = False  # the page says when it takes a frame: it sets the pace
    clock: object = time.monotonic
    _cost_at: float = -1e9

    @classmethod
    def for_config(cls, configs: tuple[Config, ...], sessions: PlayingSessions, token: str) -> Pacer:
        """configs: the setups drawn each frame (A, and B in compare mode)."""
        return cls(frame_period(*configs), sessions, token, len(configs))

    @property
    def base(self) -> float:
        """Seconds per frame alone on the server."""
        return MIN_FRAME_SECONDS if self.acked else self.fallback

    @property
    def training_budget(self) -> tuple[float, float]:
        """(least, most) seconds of training per frame and setup at speed "max"."""
        return MIN_TRAINING_SECONDS / self.setups, MAX_TRAINING_SECONDS / self.setups

    @property
    def crowded(self) -> bool:
        return is_crowded(self.base, self.playing, self.sessions.budget.rate)

    def cost_due(self) -> bool:
        """True (and the clock restarts) when the cost curve may be redrawn this frame."""
        now = self.clock()
        if now - self._cost_at < COST_SECONDS:
            return False
        self._cost_at = now
        return True

    def pause(self, work: float) -> float:
        """Seconds to sleep after a frame whose training and drawing took `work` seconds."""
        self.playing = self.sessions.beat(self.token)
        return max(0.0, shared_period(self.base, self.playing, self.sessions.budget.rate) - work)

    def stop(self) -> None:
        """This session stopped playing: the others share its frames."""
        self.sessions.leave(self.token)
        self.playing = 1
