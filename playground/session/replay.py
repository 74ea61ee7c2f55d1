"""Replay: snapshots of the weights as training goes on, and the epoch the replay slider shows.

Each trainer gets its own `core.snapshots.SnapshotRecorder` (every epoch early on, then spaced
out, within DEFAULT_CAPACITY_BYTES). Paused, the slider's epoch swaps that snapshot into the
network while the figures are drawn.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

from core import Trainer
from core.snapshots import DEFAULT_CAPACITY_BYTES, SnapshotRecorder, swapped_params
from playground.session import keys, state


def recorder(trainer: Trainer) -> SnapshotRecorder:
    """The snapshot recorder of `trainer` (a new trainer gets a new one)."""
    if keys.RECORDER_OF.get() is not trainer:
        keys.RECORDER.set(SnapshotRecorder(DEFAULT_CAPACITY_BYTES))
        keys.RECORDER_OF.set(trainer)
    return keys.RECORDER.get()


def record(trainer: Trainer) -> None:
    """Keep a snapshot of the trainer's current weights (after every frame or step)."""
    recorder(trainer).record(trainer.epoch, trainer.net.params)


def slider_key(trainer: Trainer) -> str:
    """The slider's key: a new one per newest epoch, so it starts at the newest snapshot."""
    return keys.REPLAY(recorder(trainer).epochs[-1]).name


def can_replay(trainer: Trainer) -> bool:
    """Paused with at least two snapshots."""
    return not state.playing() and len(recorder(trainer)) >= 2


def snapshot(trainer: Trainer) -> tuple[int, np.ndarray] | None:
    """(epoch, params) the replay slider points at, or None for the live network."""
    if not can_replay(trainer):
        return None
    rec = recorder(trainer)
    wanted = keys.Key(slider_key(trainer)).get()
    if wanted is None or wanted == rec.epochs[-1]:
        return None
    return rec.nearest(wanted)


@contextmanager
def replaying(trainer: Trainer) -> Iterator[int | None]:
    """Within: the trainer's network holds the replayed snapshot; yields its epoch (None: live)."""
    shown = snapshot(trainer)
    if shown is None:
        yield None
        return
    with swapped_params(trainer.net, shown[1]):
        yield shown[0]
