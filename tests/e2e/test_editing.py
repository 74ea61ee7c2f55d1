"""Editing a weight through the network diagram in headless Chromium (issue 7).

Clicks a link's hover point on the paused diagram, types a new value, applies it and checks
that the decision surface is repainted with different pixels while the epoch stays.
Uses the `page` and `app_url` fixtures of tests/e2e/conftest.py; screenshots in test-artifacts/.
"""

import re

import pytest
from playwright.sync_api import expect

from benchmarks.browser import REPO_ROOT, read_epoch, wait_for_app
from tests.e2e.charts import CHART_COUNT_JS, SURFACE_IMAGE_JS, TIMEOUT_MS

pytestmark = pytest.mark.e2e

# Page coordinates of the hover point of link w[layer][i→j] on the network diagram (chart 0).
LINK_POINT_JS = """([layer, i, j]) => {
    const gd = document.querySelectorAll('[data-testid="stPlotlyChart"]')[0]
        .querySelector('.js-plotly-plot');
    const trace = gd._fullData.find(t => t.customdata && t.customdata.length
                                         && t.customdata[0].length === 3);
    const k = Array.from(trace.customdata, row => Array.from(row))
        .findIndex(([l, a, b]) => l === layer && a === i && b === j);
    const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis, box = gd.getBoundingClientRect();
    return {x: box.left + xa._offset + xa.l2p(trace.x[k]), y: box.top + ya._offset + ya.l2p(trace.y[k])};
}"""


def test_clicking_a_link_and_typing_a_value_repaints_the_surface(page, app_url):
    page.goto(app_url)
    wait_for_app(page, selector="#epoch-counter")
    page.wait_for_function(CHART_COUNT_JS, arg=3, timeout=TIMEOUT_MS)
    before = page.evaluate(SURFACE_IMAGE_JS)
    assert before

    point = page.evaluate(LINK_POINT_JS, [2, 0, 0])  # hidden 2 · neuron 0 → output
    page.mouse.move(point["x"], point["y"])
    page.locator(".hovertext", has_text="w[2][0→0]").wait_for(timeout=TIMEOUT_MS)
    page.mouse.click(point["x"], point["y"])
    picked = page.get_by_role("combobox", name="Weight or bias")
    expect(picked).to_have_value(re.compile(r"^w\[2\]\[0→0\] = -?\d\.\d{3}$"), timeout=TIMEOUT_MS)
    wait_for_app(page, selector="#epoch-counter")

    value = page.get_by_label("New value")
    value.fill("-4.5")
    page.get_by_role("button", name="Apply", exact=True).click()
    expect(picked).to_have_value("w[2][0→0] = -4.500", timeout=TIMEOUT_MS)
    page.get_by_text(re.compile(r"w\[2\]\[0→0\]: .* → -4\.5")).wait_for(timeout=TIMEOUT_MS)
    wait_for_app(page, selector="#epoch-counter")
    page.wait_for_function(f"() => ({SURFACE_IMAGE_JS})() !== {before!r}", timeout=TIMEOUT_MS)
    assert read_epoch(page) == 0  # an edit is not an epoch
    (REPO_ROOT / "test-artifacts").mkdir(exist_ok=True)
    page.screenshot(path=str(REPO_ROOT / "test-artifacts" / "editing-after-apply.png"), full_page=True)
