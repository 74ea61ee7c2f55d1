"""Snapshots of a network's parameters during training, for replaying it, in bounded memory.

Every epoch is kept early on; once the snapshots fill `capacity_bytes`, the one whose removal
leaves the smallest gap is dropped, gaps measured relative to max(epoch, dense_epochs). The
result is every epoch up to about `dense_epochs`, then geometric spacing (a snapshot every few
per cent of the run), and always the first and the latest epoch.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

from core.network import MLP

Array = np.ndarray
DEFAULT_CAPACITY_BYTES = 2 * 1024 * 1024  # 2 MiB per session
DENSE_EPOCHS = 100


class SnapshotRecorder:
    """Copies of `params` at chosen epochs. `record` is cheap to call after every step."""

    def __init__(self, capacity_bytes: int = DEFAULT_CAPACITY_BYTES, dense_epochs: int = DENSE_EPOCHS):
        if capacity_bytes <= 0 or dense_epochs < 1:
            raise ValueError("capacity_bytes and dense_epochs must be positive")
        self.capacity_bytes, self.dense_epochs = int(capacity_bytes), int(dense_epochs)
        self._epochs = np.zeros(0, dtype=np.int64)  # (m,) ascending
        self._params: list[Array] = []  # m arrays (P,)

    def __len__(self) -> int:
        return len(self._epochs)

    @property
    def epochs(self) -> list[int]:
        """The recorded epochs, ascending."""
        return self._epochs.tolist()

    @property
    def nbytes(self) -> int:
        return sum(p.nbytes for p in self._params)

    def max_snapshots(self, params_size: int) -> int:
        """How many snapshots of `params_size` float64 values fit the cap (at least 2)."""
        return max(2, self.capacity_bytes // (8 * params_size))

    def record(self, epoch: int, params: Array) -> None:
        """Keep a copy of params (P,) at `epoch`; an earlier epoch starts a new timeline."""
        if self._params and self._params[0].shape != params.shape:
            raise ValueError("params changed size: use a new recorder for a new network")
        if self._params and epoch <= self._epochs[-1]:
            if epoch == self._epochs[-1]:
                return
            self.clear()
        self._epochs = np.append(self._epochs, int(epoch))
        self._params.append(np.array(params, dtype=np.float64))
        if len(self._epochs) > self.max_snapshots(params.size):
            self._drop(self._least_needed())

    def items(self) -> list[tuple[int, Array]]:
        """Every (epoch, params (P,)) in epoch order, params as read-only views (no copies)."""
        views = [p.view() for p in self._params]
        for v in views:
            v.flags.writeable = False
        return list(zip(self._epochs.tolist(), views, strict=True))

    def clear(self) -> None:
        self._epochs = self._epochs[:0]
        self._params.clear()

    def nearest(self, epoch: int) -> tuple[int, Array]:
        """(recorded epoch closest to `epoch`, the earlier on a tie; a copy of its params (P,))."""
        if not self._params:
            raise ValueError("no snapshots recorded yet")
        i = int(np.argmin(np.abs(self._epochs - epoch)))
        return int(self._epochs[i]), self._params[i].copy()

    def _least_needed(self) -> int:
        """Index of the interior snapshot whose removal leaves the smallest relative gap."""
        e = self._epochs.astype(float)
        gaps = (e[2:] - e[:-2]) / np.maximum(e[1:-1], self.dense_epochs)
        return 1 + int(len(gaps) - 1 - np.argmin(gaps[::-1]))  # on a tie, the latest goes

    def _drop(self, i: int) -> None:
        self._epochs = np.delete(self._epochs, i)
        del self._params[i]


@contextmanager
def swapped_params(net: MLP, params: Array) -> Iterator[MLP]:
    """Temporarily give `net` the parameters `params` (P,), e.g. to draw a snapshot's surface."""
    saved = net.params.copy()
    net.params[:] = params
    try:
        yield net
    finally:
        net.params[:] = saved
