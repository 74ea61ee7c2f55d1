"""The playground on a phone (issue 12, item 9): at 390×844 with touch the page opens with the
sidebar collapsed, and Play, Pause and Step are tapped, not clicked, also after the sidebar was
opened and closed again. A tap lands on what is drawn at that point: a button under Streamlit's
fixed header would not get it (Playwright's tap waits for the element to receive the event)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from benchmarks.browser import new_page, read_epoch, wait_for_app
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_playground import open_app, wait_for_epoch

pytestmark = pytest.mark.e2e

PHONE = (390, 844)
SIDEBAR_OPEN_JS = """() => {
    const bar = document.querySelector('[data-testid="stSidebar"]');
    return !!bar && bar.getBoundingClientRect().right > 10;
}"""
# The toolbar's buttons begin below Streamlit's fixed header (it takes every tap over its area).
CLEAR_OF_HEADER_JS = """() => {
    const header = document.querySelector('[data-testid="stHeader"]').getBoundingClientRect();
    return [...document.querySelectorAll('.st-key-play button, .st-key-step button')]
        .every(b => b.getBoundingClientRect().top >= header.bottom);
}"""
EXPAND = '[data-testid="stExpandSidebarButton"]'
COLLAPSE = '[data-testid="stSidebarCollapseButton"] button'
# The element a tap at the centre of `selector` reaches: true when it is (inside) that element.
ON_TOP_JS = """(selector) => {
    const target = document.querySelector(selector);
    const box = target.getBoundingClientRect();
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return target.contains(hit);
}"""
PLAY = ".st-key-play button"
STEP = ".st-key-step button"


@pytest.fixture
def phone(browser, request) -> Iterator[object]:
    """A fresh page the size of a phone (390×844 CSS pixels, 3× density) with touch."""
    with new_page(browser, PHONE, is_mobile=True, has_touch=True, device_scale_factor=3) as page:
        yield page
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.name)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def tap_through(page) -> None:
    """Tap Play (the epochs run), Pause (they stop), Step (exactly one more)."""
    assert page.evaluate(CLEAR_OF_HEADER_JS)
    assert page.evaluate(ON_TOP_JS, PLAY) and page.evaluate(ON_TOP_JS, STEP)
    start = read_epoch(page)
    page.locator(PLAY).tap()
    wait_for_epoch(page, lambda e: e >= start + 20)
    page.get_by_role("button", name="Pause", exact=True).tap()
    page.get_by_role("button", name="Play", exact=True).wait_for()
    wait_for_app(page)  # the paused run has finished: no frame is on its way any more
    paused = read_epoch(page)
    page.wait_for_timeout(1500)
    assert read_epoch(page) == paused  # paused means paused
    page.locator(STEP).tap()
    wait_for_epoch(page, lambda e: e == paused + 1)


def test_on_a_phone_the_sidebar_starts_collapsed_and_play_pause_step_are_tappable(phone, app_url):
    open_app(phone, app_url)
    assert not phone.evaluate(SIDEBAR_OPEN_JS)
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= PHONE[0]
    tap_through(phone)


def test_after_opening_and_closing_the_sidebar_play_is_still_tappable(phone, app_url):
    open_app(phone, app_url)
    phone.locator(EXPAND).tap()
    phone.wait_for_function(SIDEBAR_OPEN_JS)
    phone.locator(COLLAPSE).tap()
    phone.wait_for_function(f"() => !({SIDEBAR_OPEN_JS})()")
    phone.wait_for_timeout(500)  # the slide-out animation
    tap_through(phone)
