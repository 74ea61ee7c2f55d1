"""The cost landscape and the Gradients view in headless Chromium: both charts plotted, the path
walking while playing and after Step (reads plotly's own data on the page)."""

import time

import pytest

from benchmarks.browser import read_epoch, wait_for_app
from tests.e2e.charts import CHARTS_READY_JS, TIMEOUT_MS

pytestmark = pytest.mark.e2e

LANDSCAPE = ".pg-landscape .pg-plotly"
SIZES = ".pg-gradient_sizes .pg-plotly"
# The last epoch on the landscape's path and on the gradient-size chart, as plotly holds them
# (_fullData: the typed arrays decoded).
LAST_EPOCHS_JS = f"""() => {{
    const gd = (sel) => document.querySelector(sel);
    const path = gd('{LANDSCAPE}')?._fullData?.find((t) => t.name === 'path');  // arrays decoded
    const sizes = gd('{SIZES}')?._fullData?.[0];
    const last = (a) => (a && a.length ? Number(a[a.length - 1][0] ?? a[a.length - 1]) : null);
    return [path ? last(path.customdata) : null, sizes ? last(Array.from(sizes.x)) : null];
}}"""
PLOTTED_JS = f"""() => [...document.querySelectorAll('{LANDSCAPE}, {SIZES}')]
    .filter((c) => c.querySelector('.main-svg')).length === 2"""


def wait_for_epochs(page, predicate, timeout: float = 30.0) -> list:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        epochs = page.evaluate(LAST_EPOCHS_JS)
        if predicate(epochs):
            return epochs
        time.sleep(0.2)
    raise AssertionError(f"the charts stayed at {page.evaluate(LAST_EPOCHS_JS)}")


def test_the_landscape_and_gradient_sizes_follow_play_and_step(page, app_url):
    page.goto(app_url + "/?gradients=1&landscape=1&speed=2")
    wait_for_app(page, selector="#epoch-counter")
    page.wait_for_function(CHARTS_READY_JS, timeout=TIMEOUT_MS)
    page.wait_for_function(PLOTTED_JS, timeout=TIMEOUT_MS)
    assert page.evaluate(LAST_EPOCHS_JS) == [0, 0]
    page.get_by_role("button", name="Play", exact=True).click()
    playing = wait_for_epochs(page, lambda e: e[0] is not None and e[0] >= 20 and e[1] >= 20)
    assert read_epoch(page) >= playing[0]  # drawn while playing, no rerun needed
    page.get_by_role("button", name="Pause", exact=True).click()
    page.get_by_role("button", name="Play", exact=True).wait_for(timeout=TIMEOUT_MS)
    wait_for_app(page, selector="#epoch-counter")
    paused = read_epoch(page)
    wait_for_epochs(page, lambda e: e == [paused, paused])
    page.get_by_role("button", name="Step", exact=True).click()
    wait_for_epochs(page, lambda e: e == [paused + 1, paused + 1])
    assert read_epoch(page) == paused + 1
