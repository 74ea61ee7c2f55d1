"""How robust the vanishing-gradient lesson is across initial weights: for each init seed, the
last link layer's gradient size divided by the first's (core.gradient_flow: RMS of ∂C/∂w) at a
few epochs, with sigmoid hidden layers and with the fixes, and the test accuracy at the end.

    python benchmarks/vanishing_gradient.py [--seeds 20] [--epochs 0 100 200 500]

The settings are the lesson's, from tests/core/test_gradient_flow.py (which tests its own seed);
the claim: sigmoid ≥ 100×, ReLU and tanh < 100×.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.core.test_gradient_flow import (  # noqa: E402
    FIXES,
    VANISHING_GRADIENT_LESSON,
    first_to_last_ratio,
    lesson_trainer,
)

CLAIM = 100.0


def ratios_and_accuracy(activation: str, seed: int, epochs: list[int]) -> tuple[list[float], float]:
    trainer = lesson_trainer(activation, seed)
    ratios = []
    for epoch in epochs:
        trainer.step(epoch - trainer.epoch)
        ratios.append(first_to_last_ratio(trainer))
    return ratios, float(trainer.history.test_accuracy[-1]) if trainer.epoch else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--epochs", type=int, nargs="+", default=[0, 100, 200, 500])
    args = parser.parse_args()
    epochs = sorted(args.epochs)
    print("settings:", VANISHING_GRADIENT_LESSON)
    print(f"last/first gradient size per init seed at epochs {epochs}; test accuracy at {epochs[-1]}")
    for activation in ("sigmoid", *FIXES):
        table, accuracy = [], []
        for seed in range(args.seeds):
            ratios, acc = ratios_and_accuracy(activation, seed, epochs)
            table.append(ratios)
            accuracy.append(acc)
        table = np.array(table)
        holds = table >= CLAIM if activation == "sigmoid" else table < CLAIM
        print(f"\n{activation}: claim {'≥' if activation == 'sigmoid' else '<'} {CLAIM:.0f}× holds for "
              f"{int(np.all(holds, axis=1).sum())} of {args.seeds} seeds at every epoch")
        for epoch, column, ok in zip(epochs, table.T, holds.T, strict=True):
            print(f"  epoch {epoch:4d}: min {np.nanmin(column):9.1f}  median {np.nanmedian(column):9.1f}  "
                  f"max {np.nanmax(column):9.1f}  holds {int(ok.sum())}/{args.seeds}")
        seed0 = ", ".join(f"{r:.0f}" for r in table[VANISHING_GRADIENT_LESSON["init_seed"]])
        print(f"  the lesson's seed {VANISHING_GRADIENT_LESSON['init_seed']}: {seed0}; test accuracy "
              f"median {np.median(accuracy):.2f}, min {np.min(accuracy):.2f}")


if __name__ == "__main__":
    main()
