"""How long and how much memory a session file costs the server to read, accepted or refused.

    python -m benchmarks.session_load              # the issue's repros, then 300 mutated sessions
    python -m benchmarks.session_load --mutations 1000

A session file comes from anyone (issue 13): every file must be read, or refused with one
message, within 1 s and 50 MB (tracemalloc's peak) on this 2-core machine. It times
io.session_file.load_session_json on the issue's repros (500,000 points under 5 MB, 3,000
classes on a three-class spiral, a 4,000,000-character `version`, a learning rate of 1e308), on
the largest session the app can save (5,000 points, 8x16, a full 20,000-row history), and on
sessions mutated as tests/playground/test_session_file.py mutates them (fields replaced,
retyped, lengthened, shortened, deleted, nested). Each file: the median of 3 loads, and the
peak of one more under tracemalloc. The exit status is 1 when a floor is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import tracemalloc
import warnings
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make `benchmarks`, `playground` and `tests` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

MAX_SECONDS = 1.0
MAX_BYTES = 50_000_000


def measure(text: bytes, repeat: int = 3) -> tuple[float, int, str]:
    """(median seconds of `repeat` loads, tracemalloc's peak in bytes in one more, "loaded" or the
    refusal). Timed loads run without tracemalloc: it slows allocation several times over."""
    from playground.io.session_file import load_session_json

    def load() -> str:
        try:
            load_session_json(text)
            return "loaded"
        except ValueError as error:
            return f"refused: {str(error)[:70]}"

    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        outcome = load()
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    try:
        load()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return statistics.median(times), peak, outcome


def repros() -> dict[str, bytes]:
    import numpy as np

    from playground.io.export import session_json
    from tests.playground.test_session_file import BINARY, SPIRAL3, changed, largest_session, saved

    huge = saved(BINARY)
    half = 250_000
    huge["session"]["data"].update(X_train=[[0, 0]] * half, y_train=[[0]] * half,
                                   X_test=[[1, 1]] * half, y_test=[[1]] * half)
    trainer, config = largest_session(np.random.default_rng(0))
    spiral = saved(SPIRAL3)
    return {
        "500,000 points in under 5 MB": json.dumps(huge, separators=(",", ":")).encode(),
        "data.n_classes 3000 (spiral3)": changed(spiral, "session.data.n_classes", 3000),
        "version of 4,000,000 characters": changed(spiral, "version", "9" * 4_000_000),
        "settings.learning_rate 1e308": changed(spiral, "session.settings.learning_rate", 1e308),
        "the largest session the app saves": session_json(trainer, config.to_dict()).encode(),
    }


def mutated(count: int) -> list[bytes]:
    from hypothesis.errors import NonInteractiveExampleWarning

    from tests.playground.test_session_file import DOCUMENTS, mutations

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NonInteractiveExampleWarning)
        return [mutations(DOCUMENTS[kind]).example()
                for k in range(count) for kind in [sorted(DOCUMENTS)[k % len(DOCUMENTS)]]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mutations", type=int, default=300, help="mutated sessions to load")
    args = parser.parse_args(argv)
    print(f"{os.cpu_count()} CPUs; load average {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    missed = []
    for name, text in repros().items():
        seconds, peak, outcome = measure(text)
        print(f"{name:<36} {len(text):>10,} bytes {seconds * 1000:8.1f} ms {peak / 1e6:7.1f} MB  {outcome}")
        if seconds > MAX_SECONDS or peak > MAX_BYTES:
            missed.append(name)
    results = [measure(text, repeat=1)[:2] for text in mutated(args.mutations)]
    times, peaks = sorted(r[0] for r in results), sorted(r[1] for r in results)
    print(f"{len(results)} mutated sessions: median {statistics.median(times) * 1000:.1f} ms, slowest "
          f"{times[-1] * 1000:.1f} ms; memory peak median {statistics.median(peaks) / 1e6:.1f} MB, "
          f"largest {peaks[-1] / 1e6:.1f} MB")
    if times[-1] > MAX_SECONDS or peaks[-1] > MAX_BYTES:
        missed.append("mutated sessions")
    print("floors (1 s, 50 MB): " + ("all held" if not missed else "MISSED: " + ", ".join(missed)))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
