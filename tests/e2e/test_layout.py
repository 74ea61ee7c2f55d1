"""The page fits the screen it is on, in headless Chromium: 1280×720, 1920×1080, the projector
setting (``?projector=1``) and a 390×844 phone with touch.

At every size: no element wider than the window, no text clipped (labels, select boxes' values,
buttons, captions, the stats; every expander opened), no control or label covered by another
element; in projector mode no text under 16 px (the diagram's canvas text included). At 1920×1080
the surface is at least 500 px; at 1280×720, and at 1920×1080 in projector mode, the surface, the
diagram and the cost curve are all on the first screen. Play, Pause, Step, the surface repainted in
place and a paused click on a link work in projector mode and on the phone; the surface and the
cost curve go full screen.
Screenshots land in test-artifacts/layout-<case>.png.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import NamedTuple

import pytest
from playwright.sync_api import expect

from benchmarks.browser import REPO_ROOT, read_epoch, wait_for_app
from playground.figures.network import link_index
from playground.live.views import MIN_PROJECTOR_TEXT_PX
from tests.e2e.charts import CHARTS_READY_JS, LOCATE_JS, SURFACE, SURFACE_IMAGE_JS, TIMEOUT_MS
from tests.e2e.layout import BOXES_JS, CLIPPED_JS, COVERED_JS, SMALL_TEXT_JS, TOO_WIDE_JS
from tests.e2e.test_playground import wait_for_epoch

pytestmark = pytest.mark.e2e

ARTIFACTS = REPO_ROOT / "test-artifacts"
OPEN_EXPANDERS_JS = """() => {
    const closed = [...document.querySelectorAll('[data-testid="stExpander"] details:not([open]) summary')];
    closed.forEach((summary) => summary.click());
    return closed.length;
}"""
SIDEBAR_OPEN_JS = """() => {
    const r = document.querySelector('[data-testid="stSidebar"]').getBoundingClientRect();
    return r.left >= 0 && r.width > 200;
}"""


class Screen(NamedTuple):
    name: str
    width: int
    height: int
    query: str = ""
    touch: bool = False

    @property
    def projector(self) -> bool:
        return "projector=1" in self.query


LAPTOP = Screen("1280x720", 1280, 720)
DESKTOP = Screen("1920x1080", 1920, 1080)
PROJECTOR = Screen("projector-1920x1080", 1920, 1080, "?projector=1")
PROJECTOR_SMALL = Screen("projector-1280x720", 1280, 720, "?projector=1")
PHONE = Screen("phone-390x844", 390, 844, touch=True)
SCREENS = [LAPTOP, DESKTOP, PROJECTOR, PROJECTOR_SMALL, PHONE]


@pytest.fixture
def screen_page(browser, request) -> Iterator[object]:
    """A page in a context of the parametrized screen's size (a phone: touch, 2 px per css px)."""
    screen: Screen = request.param
    context = browser.new_context(viewport={"width": screen.width, "height": screen.height},
                                  has_touch=screen.touch, is_mobile=screen.touch,
                                  device_scale_factor=2 if screen.touch else 1)
    try:
        yield context.new_page(), screen
    finally:
        context.close()


def open_at(page, app_url: str, screen: Screen) -> None:
    page.goto(app_url + "/" + screen.query)
    wait_for_app(page, selector="#epoch-counter")
    page.wait_for_function(CHARTS_READY_JS, timeout=TIMEOUT_MS)
    page.wait_for_function(f"() => ({SURFACE_IMAGE_JS})() !== null", timeout=TIMEOUT_MS)


def check_fits(page, screen: Screen, when: str) -> None:
    assert page.evaluate(TOO_WIDE_JS) == [], f"{screen.name} ({when}): wider than the window"
    assert page.evaluate(CLIPPED_JS) == [], f"{screen.name} ({when}): clipped text"
    if screen.projector:
        small = page.evaluate(SMALL_TEXT_JS, MIN_PROJECTOR_TEXT_PX)
        assert small == [], f"{screen.name} ({when}): text under {MIN_PROJECTOR_TEXT_PX} px"


@pytest.mark.parametrize("screen_page", SCREENS, ids=[s.name for s in SCREENS], indirect=True)
def test_the_page_fits_the_screen(screen_page, app_url):
    page, screen = screen_page
    open_at(page, app_url, screen)
    page.wait_for_timeout(300)  # the views size themselves from the window after mounting
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"layout-{screen.name}.png"))
    check_fits(page, screen, "first screen")
    assert page.evaluate(COVERED_JS) == [], f"{screen.name}: covered controls"
    boxes = page.evaluate(BOXES_JS)
    network, surface, cost = (boxes[k] for k in (".pg-network canvas", ".pg-surface .pg-plotly",
                                                  ".pg-cost .pg-plotly"))
    if screen == DESKTOP:
        assert min(surface["width"], surface["height"]) >= 500, surface
    if screen in (LAPTOP, PROJECTOR):
        for name, box in (("diagram", network), ("surface", surface), ("cost curve", cost)):
            assert box["y"] >= 0 and box["y"] + box["height"] <= screen.height, (name, box)
            assert box["x"] + box["width"] <= screen.width, (name, box)
    if screen == PHONE:  # the charts stack, the toolbar is on the first screen
        assert network["y"] + network["height"] <= surface["y"] < cost["y"], boxes
        for button in page.locator(".st-key-pg-toolbar button:visible").all():
            box = button.bounding_box()
            assert box["y"] + box["height"] <= screen.height / 2, box
        page.locator('[data-testid="stExpandSidebarButton"]').click()
        page.wait_for_function(SIDEBAR_OPEN_JS, timeout=TIMEOUT_MS)
    assert page.evaluate(OPEN_EXPANDERS_JS) >= 4  # every panel open: its labels are checked too
    wait_for_app(page, selector="#epoch-counter")
    page.wait_for_timeout(500)
    check_fits(page, screen, "every panel open")


TOUCH_AND_PROJECTOR = [PROJECTOR, PHONE]


@pytest.mark.parametrize("screen_page", TOUCH_AND_PROJECTOR, ids=[s.name for s in TOUCH_AND_PROJECTOR],
                         indirect=True)
def test_play_pause_step_and_a_paused_link_opens_the_editor(screen_page, app_url):
    page, screen = screen_page
    open_at(page, app_url, screen)
    press = (lambda locator: locator.tap()) if screen.touch else (lambda locator: locator.click())
    press(page.get_by_role("button", name="Step", exact=True))
    assert wait_for_epoch(page, lambda e: e >= 1) == 1
    wait_for_app(page, selector="#epoch-counter")
    page.evaluate(f"() => {{ document.querySelector('{SURFACE}').dataset.marked = 'yes'; }}")
    before = page.evaluate(SURFACE_IMAGE_JS)
    press(page.get_by_role("button", name="Play", exact=True))
    wait_for_epoch(page, lambda e: e >= 20)
    page.wait_for_function(f"() => ({SURFACE_IMAGE_JS})() !== {json.dumps(before)}", timeout=TIMEOUT_MS)
    assert page.evaluate(f"() => document.querySelector('{SURFACE}').dataset.marked") == "yes"  # in place
    press(page.get_by_role("button", name="Pause", exact=True))
    page.get_by_role("button", name="Play", exact=True).wait_for(timeout=TIMEOUT_MS)
    wait_for_app(page, selector="#epoch-counter")
    paused = read_epoch(page)
    page.wait_for_timeout(800)
    assert read_epoch(page) == paused > 1
    # while playing the picture was swapped in plotly's <image> in place: plotly's layout knows the
    # one shown, and a redraw (a resize here) keeps it
    shown = page.evaluate(SURFACE_IMAGE_JS)
    assert shown == page.evaluate(f"() => document.querySelector('{SURFACE}').layout.images[0].source")
    page.evaluate(f"""() => {{ const gd = document.querySelector('{SURFACE}');
                                return Plotly.relayout(gd, {{width: gd._fullLayout.width - 8}}); }}""")
    assert page.evaluate(SURFACE_IMAGE_JS) == shown
    page.locator(".pg-network canvas").scroll_into_view_if_needed()
    page.wait_for_function("() => window.__pgStage.views.get('network').st.clickable", timeout=TIMEOUT_MS)
    point = page.evaluate(LOCATE_JS, ["link", link_index((2, 4, 2, 1), 2, 0, 0)])  # hidden 2 · 0 → output
    if screen.touch:
        page.touchscreen.tap(point["x"], point["y"])
    else:
        page.mouse.click(point["x"], point["y"])
    picked = page.get_by_role("combobox", name="Weight or bias")
    expect(picked).to_have_value(re.compile(r"^w\[2\]\[0→0\] = -?\d\.\d+$"), timeout=TIMEOUT_MS)


FULLSCREEN_CHARTS = [(".pg-surface", ".pg-surface .pg-plotly"), (".pg-cost", ".pg-cost .pg-plotly")]


@pytest.mark.parametrize(("root", "chart"), FULLSCREEN_CHARTS, ids=["surface", "cost"])
def test_a_chart_goes_full_screen_and_back(page, app_url, root, chart):
    open_at(page, app_url, LAPTOP)
    before = page.locator(chart).bounding_box()
    page.locator(chart).hover()
    page.locator(f'{chart} .modebar-btn[data-title="Full screen"]').click()
    page.wait_for_function(f"() => document.fullscreenElement === document.querySelector('{root}')",
                           timeout=TIMEOUT_MS)
    page.wait_for_function(f"""() => document.querySelector('{chart}').getBoundingClientRect().height
                               > {before['height']} + 100""", timeout=TIMEOUT_MS)
    full = page.locator(chart).bounding_box()
    assert full["height"] >= 0.8 * 720 and full["x"] + full["width"] <= 1280, full
    page.screenshot(path=str(ARTIFACTS / f"fullscreen-{root.strip('.')}.png"))
    page.evaluate("() => document.exitFullscreen()")
    page.wait_for_function("() => document.fullscreenElement === null", timeout=TIMEOUT_MS)
    page.wait_for_function(f"""() => Math.abs(document.querySelector('{chart}').getBoundingClientRect().height
                               - {before['height']}) < 2""", timeout=TIMEOUT_MS)
