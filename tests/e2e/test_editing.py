"""Editing a weight through the network diagram in headless Chromium.

Clicks a link on the paused diagram, types a new value, applies it and checks
that the decision surface is repainted with different pixels while the epoch stays.
Uses the `page` and `app_url` fixtures of tests/e2e/conftest.py; screenshots in test-artifacts/.
"""

import re

import pytest
from playwright.sync_api import expect

from benchmarks.browser import REPO_ROOT, read_epoch, wait_for_app
from playground.figures.network import link_index
from tests.e2e.charts import CHARTS_READY_JS, LOCATE_JS, SURFACE_IMAGE_JS, TIMEOUT_MS

pytestmark = pytest.mark.e2e

def open_app(page, app_url) -> None:
    page.goto(app_url)
    wait_for_app(page, selector="#epoch-counter")
    page.wait_for_function(CHARTS_READY_JS, timeout=TIMEOUT_MS)


def pick_output_link(page):
    """Hover and click the default network's link hidden 2 · 0 → output on the paused diagram;
    returns the editor's "Weight or bias" box once it shows that weight."""
    point = page.evaluate(LOCATE_JS, ["link", link_index((2, 4, 2, 1), 2, 0, 0)])
    page.mouse.move(point["x"], point["y"])
    page.locator(".pg-tip", has_text="w[2][0→0]").wait_for(timeout=TIMEOUT_MS)
    page.mouse.click(point["x"], point["y"])
    picked = page.get_by_role("combobox", name="Weight or bias")
    expect(picked).to_have_value(re.compile(r"^w\[2\]\[0→0\] = "), timeout=TIMEOUT_MS)
    wait_for_app(page, selector="#epoch-counter")
    return picked


def test_clicking_a_link_and_typing_a_value_repaints_the_surface(page, app_url):
    open_app(page, app_url)
    before = page.evaluate(SURFACE_IMAGE_JS)
    assert before

    picked = pick_output_link(page)
    expect(picked).to_have_value(re.compile(r"^w\[2\]\[0→0\] = -?\d\.\d+$"), timeout=TIMEOUT_MS)

    value = page.get_by_label("New value")
    value.fill("-4.5")
    page.get_by_role("button", name="Apply", exact=True).click()
    expect(picked).to_have_value("w[2][0→0] = -4.5", timeout=TIMEOUT_MS)
    page.get_by_text(re.compile(r"w\[2\]\[0→0\]: .* → -4\.5")).wait_for(timeout=TIMEOUT_MS)
    wait_for_app(page, selector="#epoch-counter")
    page.wait_for_function(f"() => ({SURFACE_IMAGE_JS})() !== {before!r}", timeout=TIMEOUT_MS)
    assert read_epoch(page) == 0  # an edit is not an epoch
    (REPO_ROOT / "test-artifacts").mkdir(exist_ok=True)
    page.screenshot(path=str(REPO_ROOT / "test-artifacts" / "editing-after-apply.png"), full_page=True)


def test_the_new_value_box_shows_a_small_weight_with_its_digits(page, app_url):
    """Regression (a fresh student's run): the box used %.4f, so after setting 0.00012345 the list
    said 1.234e-04 and the box 0.0001 (and 5 showed as 5.0000). It shows four significant digits."""
    open_app(page, app_url)
    picked = pick_output_link(page)
    value = page.get_by_label("New value")
    value.fill("0.00012345")
    page.get_by_role("button", name="Apply", exact=True).click()
    expect(picked).to_have_value("w[2][0→0] = 1.234e-04", timeout=TIMEOUT_MS)
    wait_for_app(page, selector="#epoch-counter")
    expect(value).to_have_value(re.compile(r"^0\.000123[45]$"), timeout=TIMEOUT_MS)
