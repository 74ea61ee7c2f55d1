"""Stop conditions for a training session: stop at epoch N, or early stopping with patience K.

Early stopping counts consecutive epochs whose test loss is not strictly lower than the best so
far (the best starts at the test loss when the condition is set); training stops after K of them.
"""

from __future__ import annotations

import math
import operator


def _check_count(value: int | None, name: str, smallest: int) -> int | None:
    """None, or `value` as an int >= smallest; ValueError otherwise."""
    if value is None:
        return None
    try:
        count = operator.index(value)
    except TypeError:
        count = None
    if isinstance(value, bool) or count is None or count < smallest:
        raise ValueError(f"{name} must be a whole number >= {smallest} or None, got {value!r}")
    return count


class StopConditions:
    """`at_epoch` and `patience` (None: off); `observe` each epoch's test loss."""

    def __init__(self, at_epoch: int | None = None, patience: int | None = None,
                 test_loss: float = math.inf):
        self.at_epoch = _check_count(at_epoch, "at_epoch", 0)
        self.patience = _check_count(patience, "patience", 1)
        self.best = test_loss if math.isfinite(test_loss) else math.inf
        self.waited = 0  # epochs since the best test loss

    def observe(self, test_loss: float) -> None:
        """Count an epoch: a new best resets the wait (NaN never improves)."""
        if test_loss < self.best:
            self.best, self.waited = test_loss, 0
        else:
            self.waited += 1

    def epochs_allowed(self, epoch: int, epochs: int) -> int:
        """How many of `epochs` may run from `epoch` before reaching at_epoch."""
        return epochs if self.at_epoch is None else max(0, min(epochs, self.at_epoch - epoch))

    def reason(self, epoch: int) -> str | None:
        """Why training is stopped at `epoch`, in plain words, or None."""
        if self.at_epoch is not None and epoch >= self.at_epoch:
            return f"reached epoch {self.at_epoch}"
        if self.patience is not None and self.waited >= self.patience:
            unit = "epoch" if self.patience == 1 else "epochs"
            return f"test loss has not improved for {self.patience} {unit}"
        return None
