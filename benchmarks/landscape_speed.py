"""Milliseconds for a 60×60 cost-landscape slice (core.landscape.cost_slice), against baselines
measured in the same run, interleaved (a ratio survives a noisy machine; an absolute figure does not).

    python benchmarks/landscape_speed.py [--repeats 9] [--resolution 60]

Network: 7 features → 8, 8, 8, 8 tanh → 1 sigmoid on the spiral (500 points, 50 % train), the
issue's case. Two slices:
(a) two weights of the first layer, w[0][0→0] and w[0][1→1]: every layer is batched (worst case)
(b) two weights of the last layer, w[4][0→0] and w[4][1→0]: only the output is batched
Baselines: the same slice in float64, and a Python loop over the grid setting the two weights
and calling net.loss (what "not vectorized" costs). The issue's floor: a slice in ≤ 50 ms.
(c) what a redraw costs: cost_landscape (slice (a), a path of 200 of 600 recorded epochs with their costs,
the arrow) against slice (a) alone.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core import (  # noqa: E402
    FEATURES,
    MLP,
    Param,
    Trainer,
    cost_landscape,
    cost_slice,
    make_dataset,
    slice_axis,
)
from core.snapshots import SnapshotRecorder  # noqa: E402

FLOOR_MS = 50.0
CASES = (("(a) first layer: w[0][0→0], w[0][1→1]", Param.weight(0, 0, 0), Param.weight(0, 1, 1)),
         ("(b) last layer:  w[4][0→0], w[4][1→0]", Param.weight(4, 0, 0), Param.weight(4, 1, 0)))


def spiral_trainer() -> Trainer:
    data = make_dataset("spiral", n_samples=500, noise=0, test_fraction=0.5, seed=0)
    net = MLP([7, 8, 8, 8, 8, 1], activation="tanh", output_activation="sigmoid", seed=0)
    trainer = Trainer(net, data, optimizer="adam", learning_rate=0.01, batch_size=10,
                      features=FEATURES, seed=0)
    trainer.step(20)  # trained weights, not the symmetric start
    return trainer


def redraw(trainer: Trainer, repeats: int) -> None:
    """(c): the whole landscape with a path of 600 recorded epochs, against the bare slice."""
    recorder, clone = SnapshotRecorder(), Trainer(trainer.net.copy(), trainer.data, features=FEATURES)
    for _ in range(600):
        clone.step(1)
        recorder.record(clone.epoch, clone.net.params)
    snapshots = recorder.items()
    net, (_, p1, p2) = clone.net, CASES[0]
    values1, values2 = slice_axis(p1.value(net), resolution=60), slice_axis(p2.value(net), resolution=60)
    timings = interleaved_ms({
        "slice (a) alone": lambda: cost_slice(net, clone.X_train, clone.y_train, clone.loss, p1, p2,
                                              values1, values2),
        "cost_landscape": lambda: cost_landscape(clone, p1, p2, snapshots),
    }, repeats)
    fast = statistics.median(timings["slice (a) alone"])
    for name, ms in timings.items():
        median = statistics.median(ms)
        print(f"{'(c) a redraw, path of 200 points':40s} {name:24s} {median:9.1f} "
              f"{min(ms):7.1f}–{max(ms):<7.1f} {median / fast:8.1f}×")


def loop_slice(trainer: Trainer, p1: Param, p2: Param, values1: np.ndarray,
               values2: np.ndarray) -> np.ndarray:
    """The baseline: one forward pass per grid point on a copy with the two weights set."""
    clone = trainer.net.copy()
    i1, i2 = p1.flat_index(clone), p2.flat_index(clone)
    costs = np.empty((len(values1), len(values2)))
    for a, v1 in enumerate(values1):
        clone.params[i1] = v1
        for b, v2 in enumerate(values2):
            clone.params[i2] = v2
            costs[a, b] = clone.loss(trainer.X_train, trainer.y_train, trainer.loss)
    return costs


def interleaved_ms(works: dict[str, Callable[[], object]], repeats: int) -> dict[str, list[float]]:
    """Milliseconds per call of each work, `repeats` rounds after a warm-up round; in every round
    each work runs once, in turn, so background load falls on all of them alike."""
    for work in works.values():
        work()
    timings: dict[str, list[float]] = {name: [] for name in works}
    for _ in range(repeats):
        for name, work in works.items():
            start = time.perf_counter()
            work()
            timings[name].append((time.perf_counter() - start) * 1e3)
    return timings


def measure(trainer: Trainer, label: str, p1: Param, p2: Param, resolution: int,
            repeats: int) -> float:
    """Print one slice's rows; returns the default slice's median milliseconds."""
    net, X, Y, loss = trainer.net, trainer.X_train, trainer.y_train, trainer.loss
    values1 = slice_axis(p1.value(net), resolution=resolution)
    values2 = slice_axis(p2.value(net), resolution=resolution)
    works = {
        "core, float32 (default)": lambda: cost_slice(net, X, Y, loss, p1, p2, values1, values2),
        "core, float64": lambda: cost_slice(net, X, Y, loss, p1, p2, values1, values2, np.float64),
        "loop of net.loss": lambda: loop_slice(trainer, p1, p2, values1, values2),
    }
    timings = interleaved_ms(works, repeats)
    fast = statistics.median(timings["core, float32 (default)"])
    for name, ms in timings.items():
        median = statistics.median(ms)
        print(f"{label:40s} {name:24s} {median:9.1f} {min(ms):7.1f}–{max(ms):<7.1f} {median / fast:8.1f}×")
    exact = loop_slice(trainer, p1, p2, values1, values2)
    error = np.max(np.abs(cost_slice(net, X, Y, loss, p1, p2, values1, values2) - exact) / exact)
    print(f"{'':40s} float32 against the loop: max relative difference {error:.1e}")
    return fast


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--resolution", type=int, default=60)
    args = parser.parse_args()
    if args.repeats < 7:
        parser.error("--repeats must be at least 7")
    trainer = spiral_trainer()
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; "
          f"{len(trainer.X_train)} training points, grid {args.resolution}×{args.resolution}")
    print(f"{'slice':40s} {'variant':24s} {'median ms':>9s} {'min–max ms':>15s} {'÷ default':>9s}")
    medians = [measure(trainer, label, p1, p2, args.resolution, args.repeats) for label, p1, p2 in CASES]
    redraw(trainer, args.repeats)
    holds = max(medians) <= FLOOR_MS
    print(f"floor: the default slice in ≤ {FLOOR_MS:.0f} ms (median): {'holds' if holds else 'MISSED'}")
    print(f"load average after: {os.getloadavg()[0]:.2f}; median of {args.repeats} interleaved "
          f"rounds after a warm-up; numpy {np.__version__}")


if __name__ == "__main__":
    main()
