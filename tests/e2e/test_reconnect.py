"""A dropped connection (Wi-Fi blip, laptop lid) in headless Chromium: the user's work survives.

The page's WebSocket is closed from the page itself; Streamlit's frontend reconnects with its
session id and the server (``server.disconnectedSessionTTL``, 120 s by default) hands back the
same session. Uses the `page` and `app_url` fixtures of tests/e2e/conftest.py.
"""

import re

import pytest

from benchmarks.browser import read_epoch, wait_for_app
from tests.e2e.charts import CHART_COUNT_JS, TIMEOUT_MS
from tests.e2e.test_playground import wait_for_epoch

pytestmark = pytest.mark.e2e

KEEP_SOCKETS_JS = """
window.__sockets = [];
const NativeWebSocket = window.WebSocket;
window.WebSocket = function (...args) {
    const socket = new NativeWebSocket(...args);
    window.__sockets.push(socket);
    return socket;
};
window.WebSocket.prototype = NativeWebSocket.prototype;
Object.assign(window.WebSocket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
"""
DROP_JS = "() => { window.__sockets.forEach(s => s.close()); return window.__sockets.length; }"
RECONNECTED_JS = """(count) => window.__sockets.length > count
    && window.__sockets[window.__sockets.length - 1].readyState === WebSocket.OPEN"""


def open_app(page, url: str) -> None:
    page.add_init_script(KEEP_SOCKETS_JS)
    page.goto(url)
    wait_for_app(page, selector="#epoch-counter")
    page.wait_for_function(CHART_COUNT_JS, arg=3, timeout=TIMEOUT_MS)


def drop_connection(page) -> None:
    """Close the page's WebSocket and wait until the frontend has opened a new one."""
    count = page.evaluate(DROP_JS)
    assert count >= 1, "the init script did not see Streamlit's WebSocket"
    page.wait_for_function(RECONNECTED_JS, arg=count, timeout=TIMEOUT_MS)


def step(page, times: int) -> None:
    for expected in range(1, times + 1):
        page.get_by_role("button", name=re.compile("Step")).click()
        page.wait_for_function(
            f"() => document.querySelector('#epoch-counter')?.textContent.trim() === '{expected}'",
            timeout=TIMEOUT_MS)
        wait_for_app(page, selector="#epoch-counter")


def test_a_dropped_connection_keeps_the_trained_network(page, app_url):
    open_app(page, app_url)
    step(page, 3)
    drop_connection(page)
    wait_for_app(page, selector="#epoch-counter")
    page.wait_for_function(CHART_COUNT_JS, arg=3, timeout=TIMEOUT_MS)
    assert read_epoch(page) == 3, "the reconnected page started a new session: the work is lost"
    step_button = page.get_by_role("button", name=re.compile("Step"))
    step_button.click()
    page.wait_for_function(
        "() => document.querySelector('#epoch-counter')?.textContent.trim() === '4'",
        timeout=TIMEOUT_MS)


def test_a_dropped_connection_while_playing_resumes_where_it_was(page, app_url):
    open_app(page, app_url)
    page.get_by_role("button", name="Play", exact=True).click()
    before = wait_for_epoch(page, lambda epoch: epoch > 50, timeout=TIMEOUT_MS / 1000)
    drop_connection(page)
    # not back to 0, and moving again
    wait_for_epoch(page, lambda epoch: epoch > before, timeout=TIMEOUT_MS / 1000)
    page.get_by_role("button", name="Pause", exact=True).click()
    wait_for_app(page, selector="#epoch-counter")
    assert read_epoch(page) > before
