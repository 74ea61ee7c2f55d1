"""Speed a user feels: the real app in headless Chromium, Play pressed, paint and training measured.

    python benchmarks/ui_frame_rate.py [--seconds 10] [--repeats 3] [--only spiral] [--clicks]

For each setup it reports the median over repeats (and the range) of:
  first picture   seconds from the start of navigation until the surface's picture and the
                  network diagram are on screen (the server warm: the first load is not counted)
  controls s      from the start of the same navigation until the sidebar's controls are drawn
                  (a first visit's controls come in the run after the picture; no element of the
                  page is still a placeholder waiting for its script)
  charts s        ... until plotly has drawn the cost curve (hover values, the modebar)
  frames/s        distinct epoch-counter values painted per second while playing at speed "max"
  sent/painted    frames that reached the page per frame it painted (the page acknowledges each)
  epochs/s        epochs trained per second
  pause s         from the Pause click to the counter's last change
With --clicks, the default setup also times a click to its new picture (Step, another dataset,
the diagram's + for a layer): from the click to the surface's or the diagram's change.
The first picture right after the server starts is measured once per run (cold).
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
    chromium_browser,
    install_paint_recorder,
    new_page,
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
    "default (circle, 2 → 4, 2 → 1) at speed 5": {"speed": "5"},
    "default (circle, 2 → 4, 2 → 1)": {"speed": "max"},
    "spiral, 7 features → 8,8,8,8 tanh → 1": {"dataset": "spiral", "hidden": "8,8,8,8",
                                              "features": ",".join(FEATURES), "speed": "max"},
    "largest (advanced): spiral, 2,000 points, 7 → 8×16 tanh → 1": {
        "advanced": "1", "dataset": "spiral", "n_samples": "2000", "hidden": ",".join(["16"] * 8),
        "features": ",".join(FEATURES), "speed": "max"},
    "default in compare mode (A and B side by side)": {"speed": "max", COMPARE: "on"},
}
# The surface's picture shown (the preview image, or plotly's layout image) and the diagram drawn.
PICTURE_JS = """() => {
    const img = document.querySelector('.pg-surface img.pg-preview');
    const shown = (img && img.complete && img.naturalWidth > 0 && img.style.display !== 'none')
        || document.querySelector('.pg-surface .pg-plotly :is(.layer-below, .imagelayer) image');
    const canvas = document.querySelector('.pg-network canvas');
    return Boolean(shown && canvas && canvas.width > 0);
}"""
# plotly puts the surface's layout image in .imagelayer (.layer-below in older figures)
PICTURES_JS = """() => [
    document.querySelector('.pg-surface :is(.layer-below, .imagelayer) image')?.getAttribute('href')
    || document.querySelector('.pg-surface img.pg-preview')?.src,
    document.querySelector('.pg-network canvas')?.toDataURL().slice(-300)].join('|')"""
COUNTS_JS = "() => [window.__pgStage.received, window.__pgStage.drawn]"
# Arms a record of the first time stage.js draws a picture from now on (it sets pictureAt on every
# change of the surface's picture or the diagram); returns now.
FIRST_PICTURE_JS = """() => {
    const S = window.__pgStage;
    let value = S.pictureAt;
    window.__pgFirstPicture = null;
    Object.defineProperty(S, 'pictureAt', {configurable: true, get: () => value, set: (t) => {
        value = t;
        window.__pgFirstPicture ??= t;
    }});
    return performance.now();
}"""


CONTROLS_JS = """() => Boolean(document.querySelector('[data-testid="stSidebar"] [data-testid="stSelectbox"]')
    && !document.querySelector('[data-testid="stSkeleton"]'))"""
CHARTS_JS = "() => Boolean(document.querySelector('.pg-cost .main-svg'))"


def page_load(browser, url: str, query: dict[str, str]) -> dict[str, float]:
    """Seconds from the start of navigation to the first picture (surface and diagram), to the
    sidebar's controls drawn, and to plotly's cost curve."""
    times = {}
    with new_page(browser) as page:
        start = time.monotonic()
        page.goto(f"{url}/?{urlencode(query)}", wait_until="commit")
        waits = (("first picture s", PICTURE_JS), ("controls s", CONTROLS_JS), ("charts s", CHARTS_JS))
        for name, js in waits:
            page.wait_for_function(js, timeout=60_000, polling="raf")
            times[name] = time.monotonic() - start
    return times


def measure(browser, url: str, query: dict[str, str], seconds: float) -> dict[str, float]:
    """One page load, Play for `seconds`, then Pause."""
    params = {k: v for k, v in query.items() if k != COMPARE}
    loaded = page_load(browser, url, params)
    with new_page(browser) as page:
        page.goto(f"{url}/?{urlencode(params)}")
        wait_for_app(page, "#epoch-counter")
        page.wait_for_function(PICTURE_JS, timeout=60_000)
        if COMPARE in query:
            switch_on(page, "Compare", "Compare with a second setup",
                      "() => document.querySelectorAll('.pg-surface').length >= 2", timeout=60)
        page.wait_for_function("() => document.querySelector('.pg-cost .main-svg')", timeout=60_000)
        install_paint_recorder(page)
        page.get_by_role("button", name="Play", exact=True).click()
        time.sleep(1.0)  # the playing run has started and mounted its views
        install_paint_recorder(page)
        received0, drawn0 = page.evaluate(COUNTS_JS)
        time.sleep(seconds)
        stats = paint_stats(read_paint_records(page))
        received1, drawn1 = page.evaluate(COUNTS_JS)
        clicked = page.evaluate("() => performance.now()")  # the page's clock, as the recorder's
        page.get_by_role("button", name="Pause", exact=True).click()
        _seconds_until_still(page)
        changes = [t for t, _ in read_paint_records(page)["mutations"] if t > clicked]
        pause_latency = (max(changes, default=clicked) - clicked) / 1000
    sent_per_painted = (received1 - received0) / max(1, stats.painted)
    return {**loaded, "frames/s": stats.frames_per_s, "sent/painted": sent_per_painted,
            "epochs/s": stats.epochs_per_s, "pause s": pause_latency,
            "(frames drawn)": drawn1 - drawn0}


def click_to_picture(browser, url: str, repeats: int) -> dict[str, list[float]]:
    """Seconds from a click to the new picture: Step, another dataset, + a hidden layer; each
    twice: when the picture was drawn (the browser paints it at the end of that rendering update)
    and when a poll at the next animation frame saw it (later by any long task that follows)."""
    kinds = ("Step", "dataset", "+ layer")
    times: dict[str, list[float]] = {f"{kind}, {when}": [] for kind in kinds for when in ("drawn", "seen")}
    with new_page(browser) as page:
        page.goto(url)
        wait_for_app(page, "#epoch-counter")
        page.wait_for_function("() => document.querySelector('.pg-surface .main-svg')", timeout=60_000)
        for k in range(repeats):
            step = page.get_by_role("button", name="Step", exact=True)
            _record(times, "Step", _timed(page, step.click))
            dataset = ("xor", "circle")[k % 2]
            box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(
                has=page.get_by_text("Dataset", exact=True)).first  # not the Lesson box above it
            box.click()
            option = page.get_by_role("option", name=dataset).first
            _record(times, "dataset", _timed(page, option.click))
            add = page.locator(".pg-net-layers button").nth(1 if k % 2 == 0 else 0)
            _record(times, "+ layer", _timed(page, add.click))
    return times


def _record(times: dict[str, list[float]], kind: str, drawn_seen: tuple[float, float]) -> None:
    times[f"{kind}, drawn"].append(drawn_seen[0])
    times[f"{kind}, seen"].append(drawn_seen[1])


def _timed(page, click) -> tuple[float, float]:
    """(drawn, seen) seconds from the click: the first change of the picture after it (the page's
    own clock, stage.js's pictureAt), and the poll that saw the new picture."""
    before = page.evaluate(PICTURES_JS)
    start = page.evaluate(FIRST_PICTURE_JS)
    click()
    page.wait_for_function(f"(old) => ({PICTURES_JS})() !== old", arg=before, timeout=30_000, polling="raf")
    seen = (page.evaluate("() => performance.now()") - start) / 1000
    drawn = (page.evaluate("() => window.__pgFirstPicture ?? Infinity") - start) / 1000
    wait_for_app(page, "#epoch-counter")
    return min(drawn, seen), seen


def _seconds_until_still(page, hold: float = 1.0, limit: float = 30.0) -> float:
    """The time of the counter's last change, once it has held still for `hold` seconds."""
    last, changed, start = read_epoch(page), time.monotonic(), time.monotonic()
    while time.monotonic() - changed < hold and time.monotonic() - start < limit:
        time.sleep(0.05)
        now = read_epoch(page)
        if now != last:
            last, changed = now, time.monotonic()
    return changed


def summary(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--only", default="", help="measure the setups whose name contains this")
    parser.add_argument("--clicks", action="store_true", help="also time clicks to a new picture")
    args = parser.parse_args()
    with running_app() as url, chromium_browser() as browser:
        cold = page_load(browser, url, {})
        print("right after the server started: " + ", ".join(f"{k} {v:.2f}" for k, v in cold.items()))
        for name, query in SETUPS.items():
            if args.only not in name:
                continue
            runs = [measure(browser, url, query, args.seconds) for _ in range(args.repeats)]
            print(f"{name}: " + ", ".join(f"{k} {summary([r[k] for r in runs])}" for k in runs[0]))
        if args.clicks:
            for what, values in click_to_picture(browser, url, max(5, args.repeats)).items():
                print(f"click to new picture, {what}: median {statistics.median(values) * 1000:.0f} ms "
                      f"({min(values) * 1000:.0f}–{max(values) * 1000:.0f})")


if __name__ == "__main__":
    main()
