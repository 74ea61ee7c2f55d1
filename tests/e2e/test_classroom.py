"""The classroom in headless Chromium: clicking points onto the surface, scrubbing the replay.

Uses the `page` and `app_url` fixtures of tests/e2e/conftest.py; screenshots in test-artifacts/.
"""

import json
import re

import pytest
from playwright.sync_api import Error as PlaywrightError

from benchmarks.browser import REPO_ROOT, read_epoch, switch_on, wait_for_app
from tests.e2e.charts import (
    CHART_COUNT_JS,
    CHARTS_READY_JS,
    COST,
    SURFACE,
    SURFACE_IMAGE_JS,
    TIMEOUT_MS,
    VIEWS_PER_ANIMATION_FRAME_JS,
)

pytestmark = pytest.mark.e2e



def open_app(page, url: str) -> None:
    page.goto(url)
    wait_for_app(page, selector="#epoch-counter")
    page.wait_for_function(CHARTS_READY_JS, timeout=TIMEOUT_MS)


def idle(page) -> None:
    wait_for_app(page, selector="#epoch-counter")


def caption_text(page, pattern: str) -> str:
    locator = page.locator('[data-testid="stCaptionContainer"]', has_text=re.compile(pattern)).first
    locator.wait_for(timeout=TIMEOUT_MS)
    return locator.text_content()


def screenshot(page, name: str) -> None:
    (REPO_ROOT / "test-artifacts").mkdir(exist_ok=True)
    page.screenshot(path=str(REPO_ROOT / "test-artifacts" / f"{name}.png"), full_page=True)


def click_on_surface(page, fx: float, fy: float, attempts: int = 5) -> None:
    """Click the surface at a fraction (fx, fy) of its plot area (0, 0 = top left).

    A rerun may redraw the chart between finding it and measuring it ("not attached to the
    DOM"); the next attempt finds the new one, which sits at the same place.
    """
    area = page.locator(SURFACE).first.locator(".nsewdrag").first
    for attempt in range(attempts):
        try:
            area.scroll_into_view_if_needed(timeout=TIMEOUT_MS)
            box = area.bounding_box(timeout=TIMEOUT_MS)
            break
        except PlaywrightError as error:
            if "not attached" not in str(error) or attempt == attempts - 1:
                raise
            idle(page)
    page.mouse.click(box["x"] + fx * box["width"], box["y"] + fy * box["height"])


def test_clicking_adds_points_of_the_chosen_class_and_clear_removes_them(page, app_url):
    open_app(page, app_url)
    switch_on(page, "Your data", "Click to add points",
              "() => [...document.querySelectorAll('[data-testid=\"stCaptionContainer\"]')]"
              ".some((c) => c.textContent.includes('clicked point'))")
    for i, (fx, fy) in enumerate([(0.2, 0.2), (0.25, 0.8)]):
        click_on_surface(page, fx, fy)
        caption_text(page, f"^{i + 1} clicked point")
        idle(page)
    page.locator('[data-testid="stButtonGroup"] button', has_text="blue").click()
    idle(page)
    for i, (fx, fy) in enumerate([(0.8, 0.2), (0.75, 0.75)]):
        click_on_surface(page, fx, fy)
        caption_text(page, f"^{i + 3} clicked point")
        idle(page)
    assert "the network trains on them" in caption_text(page, "^4 clicked points")
    page.get_by_text(re.compile(r"Training on your 4 points")).wait_for(timeout=TIMEOUT_MS)
    screenshot(page, "classroom-clicked-points")
    page.get_by_role("button", name=re.compile(r"Clear clicked points \(4\)")).click()
    caption_text(page, "^0 clicked point")


def test_replay_slider_scrubs_the_surface_and_the_cost_marker(page, app_url):
    open_app(page, app_url)
    for expected in range(1, 7):
        page.get_by_role("button", name=re.compile("Step")).click()
        page.wait_for_function(
            f"() => document.querySelector('#epoch-counter')?.textContent.trim() === '{expected}'",
            timeout=TIMEOUT_MS)
        idle(page)
    live_surface = page.evaluate(SURFACE_IMAGE_JS)
    slider = page.locator('[data-testid="stSlider"]', has_text="Replay").get_by_role("slider")
    slider.wait_for(timeout=TIMEOUT_MS)
    assert slider.get_attribute("aria-valuetext") == "6"
    slider.focus()
    page.keyboard.press("Home")  # back to epoch 0
    page.wait_for_function(f"() => ({SURFACE_IMAGE_JS})() !== {live_surface!r}", timeout=TIMEOUT_MS)
    idle(page)
    cost_marker = page.locator(COST).first.locator(".shapelayer path")
    assert cost_marker.count() == 1
    # the stats row shows the replayed epoch (its losses and accuracies), marked as a replay
    assert read_epoch(page) == 0 and page.get_by_text("Epoch (replay)").count() == 1
    screenshot(page, "classroom-replay")
    page.get_by_role("button", name=re.compile("Step")).click()  # training goes on from epoch 6
    page.wait_for_function("() => document.querySelector('#epoch-counter')?.textContent.trim() === '7'",
                           timeout=TIMEOUT_MS)
    idle(page)
    assert page.locator(COST).first.locator(".shapelayer path").count() == 0


def test_every_chart_offers_a_png_download(page, app_url):
    open_app(page, app_url)
    for chart in (SURFACE, COST):  # plotly's own camera button, shown on hover
        page.locator(chart).first.hover()
        button = page.locator(chart).first.locator('.modebar-btn[data-title="Download plot as a PNG"]')
        button.wait_for(state="attached", timeout=TIMEOUT_MS)
        # the PNG camera and the full-screen button, nothing else of plotly's modebar
        assert page.locator(chart).first.locator(".modebar-btn").count() == 2
        assert page.locator(chart).first.locator('.modebar-btn[data-title="Full screen"]').count() == 1
    with page.expect_download(timeout=TIMEOUT_MS) as download:
        page.locator(".pg-network .pg-tools button", has_text="PNG").click()
    assert download.value.suggested_filename == "network.png"


def test_compare_mode_charts_update_in_place_while_playing(page, app_url):
    open_app(page, app_url)
    switch_on(page, "Compare", "Compare with a second setup", CHART_COUNT_JS, 5)
    b_surface = f"document.querySelectorAll('{SURFACE}')[1]"
    page.evaluate(f"() => {{ {b_surface}.dataset.marked = 'yes'; }}")
    first = page.evaluate(SURFACE_IMAGE_JS, 1)
    page.get_by_role("button", name="Play", exact=True).click()
    page.wait_for_function(f"() => ({SURFACE_IMAGE_JS})(1) !== {json.dumps(first)}", timeout=TIMEOUT_MS)
    assert page.evaluate(f"() => {b_surface}.dataset.marked") == "yes"
    shown = page.evaluate(VIEWS_PER_ANIMATION_FRAME_JS, 60)
    assert set(shown) == {5}, shown  # A's three and B's two, in every animation frame: no blinking
    page.get_by_role("button", name="Pause", exact=True).click()
    page.get_by_role("button", name="Play", exact=True).wait_for(timeout=TIMEOUT_MS)
    idle(page)
    page.wait_for_function(CHART_COUNT_JS, arg=5, timeout=TIMEOUT_MS)


def test_a_closed_panel_keeps_the_choices_made_inside_it(page, app_url):
    """Your data is built only while open (session/lazy.py): closing it takes its content off the
    page, and "Click to add points" is still on when it opens again (a fresh student tried)."""
    open_app(page, app_url)
    summary = page.locator('[data-testid="stSidebar"] summary', has_text="Your data")
    switch = page.get_by_role("switch", name="Click to add points")
    assert switch.count() == 0  # closed on a first visit: nothing inside it was sent
    switch_on(page, "Your data", "Click to add points",
              "() => document.body.innerText.includes('Class of new points')")
    summary.click()  # close
    switch.wait_for(state="detached", timeout=TIMEOUT_MS)
    idle(page)
    summary.click()  # and open again
    switch.wait_for(timeout=TIMEOUT_MS)
    assert switch.is_checked()
