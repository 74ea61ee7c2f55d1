"""The server's frame budget: how many frames per second all its playing sessions may share.

budget = cores × UTILISATION / cost of a frame, where

- cores is the CPU this process may use: the fewest of the CPUs it may run on
  (`os.sched_getaffinity`, e.g. `taskset -c 0`), its cgroup's quota (`cpu.max` in cgroup v2,
  `cpu.cfs_quota_us / cpu.cfs_period_us` in v1: `docker run --cpus`, a Kubernetes CPU limit) and
  GIL_CORES: a Streamlit process runs its Python (every session's training and frames) on one
  core at a time, so more cores serve more frames only as more replicas;
- the cost of a frame is measured while sessions play: the process's CPU seconds (every thread:
  training, building frames, the WebSockets) per frame sent, over windows of WINDOW_SECONDS,
  smoothed (half the old value, half the new). A process that gets less of its core than it
  may use (other processes on the same core) spends the same CPU per frame but sends fewer:
  its sessions then get what it sends, still evenly, but the budget does not shrink (the time
  its threads wait for the CPU was tried as a measure of that and rejected: docs/decisions.md);
- UTILISATION leaves the rest of the core for what is not a frame (page loads, clicks, Streamlit).

Alone on its core a replica measures cheap frames and a big budget; a throttled one (a quota
below a core) a small budget, which its sessions share evenly (live.pacing). Operators can set
either factor in the environment: PLAYGROUND_CPUS (cores to count on) or PLAYGROUND_FRAME_RATE (a
fixed budget in frames per second: nothing is measured). A value that is not a positive number
is ignored, with a warning in the server's log.
"""

from __future__ import annotations

import logging
import math
import os
import threading
import time
from collections.abc import Mapping
from pathlib import Path

GIL_CORES = 1.0  # one Python process runs Python on at most one core at a time
UTILISATION = 0.8  # share of the cores that frames may use
STARTING_COST = 0.01  # CPU seconds per frame assumed before the first measurement
WINDOW_SECONDS = 1.0  # the frame cost is measured over at least this long...
WINDOW_FRAMES = 5  # ... and at least this many frames
GAP_SECONDS = 1.0  # a frame after this long without one starts a new window
MIN_FRAME_RATE = 5.0  # the budget never drops below this (frames per second, whole server)
MAX_FRAME_RATE = 2000.0  # ... nor rises above this
CPUS_VARIABLE = "PLAYGROUND_CPUS"
FRAME_RATE_VARIABLE = "PLAYGROUND_FRAME_RATE"
CGROUP_V2_CPU_MAX = Path("/sys/fs/cgroup/cpu.max")
CGROUP_V1_QUOTA = Path("/sys/fs/cgroup/cpu/cpu.cfs_quota_us")
CGROUP_V1_PERIOD = Path("/sys/fs/cgroup/cpu/cpu.cfs_period_us")

log = logging.getLogger(__name__)


def cgroup_cores(cpu_max: str | None) -> float:
    """Cores a cgroup quota allows: cpu.max text "<quota> <period>" (µs; quota "max" or a
    negative v1 quota: no limit) -> quota / period, or math.inf when unlimited or unreadable."""
    parts = (cpu_max or "").split()
    try:
        quota, period = float(parts[0]), float(parts[1])
    except (IndexError, ValueError):  # "max 100000", missing, or garbled
        return math.inf
    return quota / period if quota > 0 and period > 0 else math.inf


def usable_cores(affinity: int, cpu_max: str | None) -> float:
    """Cores the process can use: its CPU affinity (a count) within its cgroup quota."""
    return min(float(affinity), cgroup_cores(cpu_max))


def _read(path: Path) -> str | None:
    try:
        return path.read_text()
    except OSError:
        return None


def machine_cores() -> float:
    """usable_cores for this process: its affinity and its cgroup's quota (v2, else v1)."""
    try:
        affinity = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        affinity = os.cpu_count() or 1
    cpu_max = _read(CGROUP_V2_CPU_MAX)
    if cpu_max is None:
        quota, period = _read(CGROUP_V1_QUOTA), _read(CGROUP_V1_PERIOD)
        cpu_max = f"{quota} {period}" if quota and period else None
    return usable_cores(affinity, cpu_max)


def positive_setting(environ: Mapping[str, str], name: str) -> float | None:
    """The positive number in environment variable `name`, or None (unset, or not a positive
    finite number: then a warning is logged and the measured value is used)."""
    text = environ.get(name, "").strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        log.warning("%s=%r is not a positive number: ignored", name, text[:40])
        return None
    return value


class FrameBudget:
    """Frames per second for the whole server, from the cores it gets and the measured frame
    cost (thread-safe). `cpu_clock` (process CPU seconds) and `clock` (wall seconds) are
    injectable for tests; `frame_rate` fixes the budget (no measuring)."""

    def __init__(self, cores: float, frame_rate: float | None = None,
                 cpu_clock=time.process_time, clock=time.monotonic):
        self.cores = min(cores, GIL_CORES)
        self.fixed_rate = frame_rate
        self._cpu_clock, self._clock = cpu_clock, clock
        self._lock = threading.Lock()
        self._cost: float | None = None  # CPU seconds per frame, once measured
        self._frames = 0  # frames counted in the current window
        self._window_start = self._readings()  # (wall, CPU) seconds when it began
        self._last_frame = -math.inf

    @classmethod
    def for_this_machine(cls, environ: Mapping[str, str] = os.environ) -> FrameBudget:
        """The budget for this process: cores from the machine unless PLAYGROUND_CPUS sets them,
        measured frame cost unless PLAYGROUND_FRAME_RATE fixes the budget."""
        cores = positive_setting(environ, CPUS_VARIABLE) or machine_cores()
        budget = cls(cores, positive_setting(environ, FRAME_RATE_VARIABLE))
        log.info("frame budget: %s", budget.describe())
        return budget

    @property
    def cost(self) -> float:
        """CPU seconds per frame: the measured value, or STARTING_COST before the first window."""
        return self._cost if self._cost is not None else STARTING_COST

    @property
    def rate(self) -> float:
        """Frames per second all playing sessions share: cores × UTILISATION / cost, within
        [MIN_FRAME_RATE, MAX_FRAME_RATE]; or the operator's fixed rate."""
        if self.fixed_rate is not None:
            return self.fixed_rate
        return min(MAX_FRAME_RATE, max(MIN_FRAME_RATE, self.cores * UTILISATION / self.cost))

    def _readings(self) -> tuple[float, float]:
        return self._clock(), self._cpu_clock()

    def frame_sent(self) -> None:
        """Count one frame (its CPU was spent since the last one); at the end of a window,
        measure the CPU per frame. A frame after GAP_SECONDS without any starts a new window:
        the CPU spent while nobody played (page loads, clicks) is not a frame's."""
        with self._lock:
            now = self._clock()
            gap, self._last_frame = now - self._last_frame, now
            if gap > GAP_SECONDS:  # this frame's CPU was spent before the new window
                self._frames, self._window_start = 0, self._readings()
                return
            self._frames += 1
            started, cpu_started = self._window_start
            if now - started < WINDOW_SECONDS or self._frames < WINDOW_FRAMES:
                return
            readings = self._readings()
            cost = max(readings[1] - cpu_started, 0.0) / self._frames
            self._cost = cost if self._cost is None else 0.5 * (self._cost + cost)
            self._frames, self._window_start = 0, readings

    def describe(self) -> str:
        """One line for the server's log: the budget and where it comes from."""
        if self.fixed_rate is not None:
            return f"{self.rate:.0f} frames/s (fixed by {FRAME_RATE_VARIABLE})"
        return f"{self.rate:.0f} frames/s ({self.cores:g} cores, {self.cost * 1e3:.1f} ms CPU a frame)"
