"""Epochs per second of the core's Trainer, against a plain vectorized numpy baseline measured
in the same run (a ratio survives a noisy machine; an absolute figure does not).

    python benchmarks/core_speed.py [--repeats 7]

(a) TensorFlow Playground's default: 2 → [4, 2] tanh → 1 sigmoid, 250 training points, batch 10, SGD
(b) 7 features → six hidden layers of 8 tanh → 1 sigmoid, 500 points (250 train), full batch
(c) the 100×100 surface with every neuron's grid for (b)
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core import FEATURES, MLP, Trainer, feature_map, make_dataset  # noqa: E402


def default_case() -> Trainer:
    data = make_dataset("circle", n_samples=500, noise=0.0, test_fraction=0.5, seed=0)
    return Trainer(MLP([2, 4, 2, 1], seed=0), data, optimizer="sgd", learning_rate=0.03,
                   batch_size=10, seed=0)


def deep_case() -> Trainer:
    data = make_dataset("spiral", n_samples=500, noise=0.0, test_fraction=0.5, seed=0)
    return Trainer(MLP([7] + [8] * 6 + [1], seed=0), data, optimizer="gd", learning_rate=0.03,
                   features=FEATURES, seed=0)


def plain_epoch(trainer: Trainer) -> None:
    """The baseline: the same epoch written the plain vectorized way (the reference backprop,
    fresh arrays per call, a Python loop over batches), then the per-epoch train/test losses."""
    net, n, size = trainer.net, len(trainer.X_train), trainer.batch_size
    order = trainer._rng.permutation(n) if size < n else np.arange(n)
    X, Y = trainer.X_train[order], trainer.y_train[order]
    for start in range(0, n, size):
        _, grads = net.loss_and_gradients(X[start:start + size], Y[start:start + size], trainer.loss)
        net.params -= trainer.learning_rate * grads.flat
    net.loss(trainer.X_train, trainer.y_train, trainer.loss)
    net.loss(trainer.X_test, trainer.y_test, trainer.loss)


def plain_surface(trainer: Trainer, resolution: int) -> list[np.ndarray]:
    """The baseline surface: the feature map and a float64 forward pass over the grid."""
    axis = np.linspace(-6, 6, resolution)
    gx, gy = np.meshgrid(axis, axis)
    points = np.stack([gx.ravel(), gy.ravel()], axis=1)
    return trainer.net.forward_pass(feature_map(points, trainer.features)).activations


def seconds_per_call(work: Callable[[], object], calls: int, repeats: int) -> float:
    """Median over `repeats` of the mean seconds per call of `work`, after a warm-up."""
    for _ in range(max(1, calls // 10)):
        work()
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(calls):
            work()
        timings.append((time.perf_counter() - start) / calls)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    repeats = parser.parse_args().repeats
    rows = []
    for label, make, calls in (("(a) default, SGD batch 10", default_case, 200),
                               ("(b) 7 → 6×8 tanh → 1, full batch", deep_case, 300)):
        fast, plain = make(), make()
        t_fast = seconds_per_call(lambda t=fast: t.step(1), calls, repeats)
        t_plain = seconds_per_call(lambda t=plain: plain_epoch(t), calls, repeats)
        rows.append((label, "epochs/s", 1 / t_fast, 1 / t_plain, t_plain / t_fast))
    deep = deep_case()
    t_fast = seconds_per_call(lambda: deep.surface(100), 30, repeats)
    t_plain = seconds_per_call(lambda: plain_surface(deep, 100), 30, repeats)
    rows.append(("(c) 100×100 surface + every neuron, (b)", "ms", t_fast * 1e3, t_plain * 1e3,
                 t_plain / t_fast))
    print(f"{'case':42s} {'unit':9s} {'core':>9s} {'baseline':>9s} {'speed-up':>9s}")
    for label, unit, fast, plain, ratio in rows:
        print(f"{label:42s} {unit:9s} {fast:9.0f} {plain:9.0f} {ratio:8.1f}×" if unit != "ms" else
              f"{label:42s} {unit:9s} {fast:9.2f} {plain:9.2f} {ratio:8.1f}×")
    print(f"(median of {repeats} repeats; numpy {np.__version__})")


if __name__ == "__main__":
    main()
