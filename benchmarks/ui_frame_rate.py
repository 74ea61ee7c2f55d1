"""Speed a user feels: the real app in headless Chromium, Play pressed, paint and training measured.

    python benchmarks/ui_frame_rate.py [--seconds 12] [--repeats 2] [--only compare]

For each setup it reports the median over repeats of: seconds from page load (the load event) to the
first surface (and from the start of navigation), frames painted per second (distinct epoch-counter
values per second), epochs trained per second, seconds from Play until test accuracy >= 95 %, and
seconds from the Pause click (as Playwright starts it) to the counter's last change. Setups, all at
the fastest speed ("max"): TensorFlow Playground's default, spiral with 4×8 tanh hidden neurons and
all seven features (issue 3's floors: >= 10 frames/s, >= 150 and >= 100 epochs/s, solved <= 10 s,
first surface <= 3 s), the largest advanced setting, 8×16 on 2,000 points (issue 7's floor: >= 5
frames/s), and the default in compare mode (five charts, switched on in the sidebar before Play).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.browser import (  # noqa: E402
    chromium_page,
    install_paint_recorder,
    paint_stats,
    read_epoch,
    read_paint_records,
    running_app,
    switch_on,
    wait_for_app,
)
from core import FEATURES  # noqa: E402

COMPARE = "compare"  # not a URL parameter: measure() switches compare mode on in the sidebar
SETUPS = {
    "default (circle, 2 → 4, 2 → 1)": {"speed": "max"},
    "spiral, 7 features → 4×8 tanh → 1": {"dataset": "spiral", "hidden": "8,8,8,8",
                                           "features": ",".join(FEATURES), "speed": "max"},
    "largest (advanced): spiral, 2,000 points, 7 → 8×16 tanh → 1": {
        "advanced": "1", "dataset": "spiral", "n_samples": "2000", "hidden": ",".join(["16"] * 8),
        "features": ",".join(FEATURES), "speed": "max"},
    "default in compare mode (A and B side by side)": {"speed": "max", COMPARE: "on"},
}
SURFACE = '[data-testid="stPlotlyChart"] .main-svg'


def _accuracy(page) -> float:
    text = page.locator("#test-accuracy").text_content() or ""
    try:
        return float(text.split()[0])
    except (ValueError, IndexError):
        return 0.0


def measure(url: str, query: dict[str, str], seconds: float) -> dict[str, float]:
    """One page load, Play for `seconds`, then Pause."""
    with chromium_page() as page:
        start = time.monotonic()
        params = {k: v for k, v in query.items() if k != COMPARE}
        page.goto(f"{url}/?{urlencode(params)}")  # returns at the page's load event
        loaded = time.monotonic()
        wait_for_app(page, "#epoch-counter")
        page.wait_for_selector(SURFACE, timeout=60_000)
        first_surface, from_navigation = time.monotonic() - loaded, time.monotonic() - start
        if COMPARE in query:
            switch_on(page, "Compare", "Compare with a second setup",
                      f"() => document.querySelectorAll('{SURFACE}').length >= 5", timeout=60)
        install_paint_recorder(page)
        page.get_by_role("button", name="Play", exact=True).click()
        played, solved = time.monotonic(), float("nan")
        while time.monotonic() - played < seconds:
            if solved != solved and _accuracy(page) >= 95.0:
                solved = time.monotonic() - played
            time.sleep(0.05)
        stats = paint_stats(read_paint_records(page))
        clicked = page.evaluate("() => performance.now()")  # the page's clock, as the recorder's
        page.get_by_role("button", name="Pause", exact=True).click()
        _seconds_until_still(page)
        changes = [t for t, _ in read_paint_records(page)["mutations"] if t > clicked]
        pause_latency = (max(changes, default=clicked) - clicked) / 1000
    return {"first surface s": first_surface, "(from navigation s)": from_navigation,
            "frames/s": stats.frames_per_s, "epochs/s": stats.epochs_per_s, "solved s": solved,
            "pause s": pause_latency}


def _seconds_until_still(page, hold: float = 1.0, limit: float = 30.0) -> float:
    """The time of the counter's last change, once it has held still for `hold` seconds."""
    last, changed, start = read_epoch(page), time.monotonic(), time.monotonic()
    while time.monotonic() - changed < hold and time.monotonic() - start < limit:
        time.sleep(0.05)
        now = read_epoch(page)
        if now != last:
            last, changed = now, time.monotonic()
    return changed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=12.0)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--only", default="", help="measure the setups whose name contains this")
    args = parser.parse_args()
    with running_app() as url:
        for name, query in SETUPS.items():
            if args.only not in name:
                continue
            runs = [measure(url, query, args.seconds) for _ in range(args.repeats)]
            medians = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
            print(f"{name}: " + ", ".join(f"{k} {v:.2f}" for k, v in medians.items()))


if __name__ == "__main__":
    main()
