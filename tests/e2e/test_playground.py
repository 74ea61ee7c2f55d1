"""The playground in headless Chromium: load, Play, Pause, Step, and a shared link.

Uses the `page` and `app_url` fixtures of tests/e2e/conftest.py (one server for the session);
each test leaves a screenshot in test-artifacts/.
"""

import json
import time

import pytest

from benchmarks.browser import REPO_ROOT, read_epoch, wait_for_app
from tests.e2e.charts import (
    CHART_COUNT_JS,
    CHARTS,
    LIVE_CHARTS,
    LIVE_CHARTS_PER_ANIMATION_FRAME_JS,
    SURFACE_IMAGE_JS,
    TIMEOUT_MS,
)

pytestmark = pytest.mark.e2e


def open_app(page, url: str, idle: bool = True) -> None:
    page.goto(url)
    wait_for_app(page, selector="#epoch-counter", idle=idle)
    page.wait_for_function(CHART_COUNT_JS, arg=3, timeout=TIMEOUT_MS)
    page.wait_for_function(f"() => ({SURFACE_IMAGE_JS})() !== null", timeout=TIMEOUT_MS)


def surface_pixels(page) -> str | None:
    return page.evaluate(SURFACE_IMAGE_JS)


def wait_for_epoch(page, predicate, timeout: float = 20.0) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        epoch = read_epoch(page)
        if predicate(epoch):
            return epoch
        time.sleep(0.1)
    raise AssertionError(f"epoch counter stuck at {read_epoch(page)}")


def test_page_loads_with_surface_network_and_cost_curve(page, app_url):
    open_app(page, app_url)
    assert read_epoch(page) == 0
    assert page.locator(CHARTS).count() == 3
    assert surface_pixels(page)
    assert page.locator("#test-accuracy").text_content().endswith("%")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 1280, "horizontal scrolling at 1280×720"
    box = page.locator(CHARTS).nth(1).bounding_box()
    assert box["y"] + box["height"] <= 720, "the surface is below the fold"
    (REPO_ROOT / "test-artifacts").mkdir(exist_ok=True)
    page.screenshot(path=str(REPO_ROOT / "test-artifacts" / "playground.png"))


def test_play_advances_and_pause_stops(page, app_url):
    open_app(page, app_url)
    before = surface_pixels(page)
    page.get_by_role("button", name="Play", exact=True).click()
    wait_for_epoch(page, lambda e: e >= 20)
    page.wait_for_function(f"() => ({SURFACE_IMAGE_JS})() !== {json.dumps(before)}", timeout=TIMEOUT_MS)
    # Playing, the three charts are live charts, updated in place: the same plotly div frame
    # after frame (st.plotly_chart would mount a new one for every figure), attached at every
    # animation frame (a chart missing from one would blink).
    surface = f"{LIVE_CHARTS}[data-slot='surface']"
    page.locator(surface).wait_for(timeout=TIMEOUT_MS)
    page.evaluate(f"() => {{ document.querySelector(\"{surface}\").dataset.marked = 'yes'; }}")
    playing = surface_pixels(page)
    page.wait_for_function(f"() => ({SURFACE_IMAGE_JS})() !== {json.dumps(playing)}", timeout=TIMEOUT_MS)
    assert page.evaluate(f"() => document.querySelector(\"{surface}\").dataset.marked") == "yes"
    attached = page.evaluate(LIVE_CHARTS_PER_ANIMATION_FRAME_JS, 60)
    assert set(attached) == {3}, attached
    page.get_by_role("button", name="Pause", exact=True).click()
    page.get_by_role("button", name="Play", exact=True).wait_for(timeout=TIMEOUT_MS)
    wait_for_app(page, selector="#epoch-counter")
    paused = read_epoch(page)
    time.sleep(1.0)
    assert read_epoch(page) == paused > 0
    assert page.locator(LIVE_CHARTS).count() == 0  # paused: clickable st.plotly_charts again
    assert page.locator(CHARTS).count() == 3


def test_step_adds_exactly_one_epoch(page, app_url):
    open_app(page, app_url)
    for expected in (1, 2):
        page.get_by_role("button", name="Step", exact=True).click()
        assert wait_for_epoch(page, lambda e, x=expected: e >= x) == expected
        wait_for_app(page, selector="#epoch-counter")
        assert read_epoch(page) == expected


def test_shared_link_reproduces_the_setup(page, app_url):
    query = "?dataset=xor&hidden=3,3,3&learning_rate=0.1&features=x1,x2,x1*x2&speed=max"
    open_app(page, app_url + "/" + query)
    dataset_box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first
    inputs = dataset_box.locator("input")
    shown = dataset_box.text_content() + (inputs.first.input_value() if inputs.count() else "")
    assert "xor" in shown, shown
    assert "hidden 3" in page.locator(CHARTS).first.text_content()  # the network's third layer
    assert page.locator('[data-testid="stWarning"]').count() == 0
    url = page.url
    for part in ("dataset=xor", "hidden=3%2C3%2C3", "learning_rate=0.1", "speed=max"):
        assert part in url or part.replace("%2C", ",") in url, (part, url)


def test_tampered_link_shows_a_notice(page, app_url):
    open_app(page, app_url + "/?dataset=%3Cscript%3E&learning_rate=eval")
    notice = page.locator('[data-testid="stAlert"]').first.text_content()
    assert "dataset" in notice and "learning_rate" in notice


def test_the_live_charts_plotly_js_is_served_by_the_app(page, app_url):
    """Live charts use the plotly.js Streamlit's own charts loaded, or else fetch the installed
    plotly package's bundle from the app (never from the network)."""
    from playground.live.chart import PLOTLY_DIR

    open_app(page, app_url)
    url = app_url + "/component/playground.live.chart.plotly_js/plotly.min.js"
    response = page.request.get(url)
    assert response.ok, (url, response.status)
    assert len(response.body()) == (PLOTLY_DIR / "plotly.min.js").stat().st_size


def test_live_charts_load_plotly_js_themselves_when_the_page_has_none(page, app_url):
    open_app(page, app_url)
    page.evaluate("() => { delete window.Plotly; }")  # as if Streamlit's charts kept theirs private
    page.get_by_role("button", name="Play", exact=True).click()
    wait_for_epoch(page, lambda e: e >= 10)
    page.wait_for_function(f"""() => [...document.querySelectorAll('{LIVE_CHARTS}')]
        .filter((chart) => chart.querySelector('.main-svg')).length === 3""", timeout=TIMEOUT_MS)
    assert page.evaluate("() => typeof window.Plotly") == "object"
    page.get_by_role("button", name="Pause", exact=True).click()
