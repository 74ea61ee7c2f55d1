"""Per-epoch training history with a memory cap.

One row per epoch until `capacity` rows; then every second row is dropped and the recording
stride doubles, so a long run keeps its whole shape in bounded memory (`epochs` says which).
"""

from __future__ import annotations

import math

import numpy as np

Array = np.ndarray
COLUMNS = ("train_loss", "test_loss", "train_accuracy", "test_accuracy")
CAPACITY = 20_000  # rows kept by default (a Trainer's history)


class History:
    """epochs, train_loss, test_loss, train_accuracy, test_accuracy: (m,) arrays."""

    def __init__(self, capacity: int = CAPACITY):
        if capacity < 2:
            raise ValueError("history capacity must be at least 2")
        self.capacity = capacity
        self._data = np.empty((len(COLUMNS) + 1, capacity))
        self._size = 0
        self.stride = 1

    def __len__(self) -> int:
        return self._size

    def record(self, epoch: int, values: tuple[float, float, float, float]) -> None:
        """Store the row for `epoch` if it falls on the current stride."""
        if epoch % self.stride:
            return
        if self._size == self.capacity:
            kept = self._data[:, 1::2] if self._data[0, 0] % (2 * self.stride) else self._data[:, ::2]
            half = kept.shape[1]
            self._data[:, :half] = kept.copy()
            self._size, self.stride = half, self.stride * 2
            if epoch % self.stride:
                return
        self._data[0, self._size] = epoch
        self._data[1:, self._size] = values
        self._size += 1

    def _column(self, i: int) -> Array:
        return self._data[i, :self._size]

    @property
    def epochs(self) -> Array:
        return self._column(0).astype(int)

    @property
    def train_loss(self) -> Array:
        return self._column(1)

    @property
    def test_loss(self) -> Array:
        return self._column(2)

    @property
    def train_accuracy(self) -> Array:
        return self._column(3)

    @property
    def test_accuracy(self) -> Array:
        return self._column(4)

    def to_dict(self) -> dict:
        """Strict-JSON columns: NaN/∞ (regression accuracy, a diverged loss) become None."""
        return {"stride": self.stride, "epochs": self.epochs.tolist(),
                **{c: [v if math.isfinite(v) else None for v in self._column(i + 1).tolist()]
                   for i, c in enumerate(COLUMNS)}}

    @classmethod
    def from_dict(cls, d: dict, capacity: int = CAPACITY) -> History:
        history = cls(capacity)
        columns = [d["epochs"]] + [d[c] for c in COLUMNS]
        if not all(isinstance(c, list) and len(c) <= capacity for c in columns):  # before any array
            raise ValueError("history columns must be equal-length lists within the capacity")
        rows = np.array(columns, dtype=float)
        if rows.ndim != 2 or rows.shape[1] > capacity:
            raise ValueError("history columns must be equal-length lists within the capacity")
        history._data[:, :rows.shape[1]] = rows
        stride = int(d["stride"])
        if stride < 1:
            raise ValueError(f"history stride must be >= 1, got {stride}")
        history._size, history.stride = rows.shape[1], stride
        return history
