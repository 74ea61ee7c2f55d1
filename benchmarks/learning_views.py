"""Milliseconds a play frame spends on the Gradients view and the cost landscape, against the
weights view's diagram frame measured in the same run, interleaved (a ratio survives a noisy
machine; an absolute figure does not).

    python benchmarks/learning_views.py [--repeats 15]

Per network (the default 2 → 4, 2 tanh → 1 on the circle; the vanishing-gradient lesson's
2 → 8 × 6 sigmoid; 7 → 8, 8, 8, 8 tanh on the spiral):
- weights frame: the default view's diagram frame (views.network_frame, without the thumbnails'
  surface, which both views share only in the weights view) — the baseline
- gradients frame: live.learning.trainer_gradients + network_gradient_frame (every frame, when on)
- sizes chart: the gradient-size figure as JSON (every CHART_EVERY-th frame, when on)
- landscape: learning.landscape_figure with 200 snapshots, as JSON (every CHART_EVERY-th frame)
The last column is what the two views add to an average frame: gradients + (sizes + landscape)
/ CHART_EVERY.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core import Trainer  # noqa: E402
from core.gradient_flow import GradientSizeHistory  # noqa: E402
from core.snapshots import SnapshotRecorder  # noqa: E402
from playground.live import learning, views  # noqa: E402
from playground.session.gradients import default_pair  # noqa: E402
from playground.settings.build import build_trainer  # noqa: E402
from playground.settings.config import Config  # noqa: E402
from playground.settings.params import param_name  # noqa: E402

SETUPS = {
    "default 4,2 tanh": Config(),
    "lesson 8×6 sigmoid": Config(hidden=(8,) * 6, activation="sigmoid", learning_rate=0.3),
    "spiral 8,8,8,8": Config(dataset="spiral", hidden=(8, 8, 8, 8), features=(
        "x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"), advanced=False),
}


def trained(config: Config) -> tuple[Trainer, SnapshotRecorder, GradientSizeHistory]:
    trainer = build_trainer(config, 0)
    recorder, history = SnapshotRecorder(), GradientSizeHistory(len(trainer.net.weights))
    for _ in range(120):  # 600 epochs, a snapshot and a size row per 5-epoch frame
        trainer.step(5)
        recorder.record(trainer.epoch, trainer.net.params)
        learning.record_sizes(history, trainer, learning.trainer_gradients(trainer))
    return trainer, recorder, history


KINDS = ("gradients", "sizes", "landscape")


def measure(config: Config, repeats: int) -> dict[str, list[float]]:
    """Interleaved timings (ms) of the weights frame and the three additions, on one network."""
    trainer, recorder, history = trained(config)
    grid = views.compute_surface(trainer)
    sizes = trainer.net.layer_sizes
    pair = default_pair(sizes)
    names = tuple(param_name(p, len(sizes)) for p in pair)
    items = recorder.items()
    jobs = {
        "weights": lambda: views.network_frame(trainer, grid, hover=False),
        "gradients": lambda: learning.network_gradient_frame(
            trainer, learning.trainer_gradients(trainer), hover=False),
        "sizes": lambda: views.figure_json(learning.sizes_figure(history, len(sizes))),
        "landscape": lambda: views.figure_json(learning.landscape_figure(trainer, pair, names, items)),
    }
    times = {key: [] for key in jobs}
    for _ in range(2):  # warm up
        for job in jobs.values():
            job()
    for _ in range(repeats):
        for key, job in jobs.items():
            start = time.perf_counter()
            job()
            times[key].append(1000 * (time.perf_counter() - start))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    print(f"medians of {args.repeats} interleaved runs, ms (ratio to the weights frame)")
    print(f"{'network':<20} {'weights':>8} " + " ".join(f"{k:>16}" for k in (*KINDS, "per frame")))
    for name, config in SETUPS.items():
        times = measure(config, args.repeats)
        med = {key: statistics.median(values) for key, values in times.items()}
        added = med["gradients"] + (med["sizes"] + med["landscape"]) / learning.CHART_EVERY
        cells = [f"{med[k]:6.2f} ({med[k] / med['weights']:4.1f}×)" for k in KINDS]
        cells.append(f"{added:6.2f} ({added / med['weights']:4.1f}×)")
        print(f"{name:<20} {med['weights']:8.2f} " + " ".join(f"{c:>16}" for c in cells))
        spreads = "  ".join(f"{k} {min(times[k]):.1f}–{max(times[k]):.1f}" for k in ("weights", *KINDS))
        print(f"{'  min–max':<20} {spreads}")


if __name__ == "__main__":
    main()
