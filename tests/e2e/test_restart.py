"""A server restart under a playing session, in headless Chromium: the browser kept the session
and the new one offers it back, exactly (session.backup, the "backup" view of stage.js).

The server is killed (SIGKILL, as a crash or a redeploy would) and started again on the same
port; Streamlit's frontend reconnects by itself and gets a new session at epoch 0. The kept
session is read from localStorage just before the kill and compared, after Restore, with the
session file the Save panel downloads: the same epoch, weights, biases and history.
"""

import json
import re

import pytest

from benchmarks.browser import app_server, free_port, read_epoch, wait_for_app
from tests.e2e.charts import TIMEOUT_MS
from tests.e2e.test_classroom import screenshot
from tests.e2e.test_playground import wait_for_epoch

pytestmark = pytest.mark.e2e

KEPT_JS = """() => {
    const entries = Object.keys(localStorage).filter((k) => k.startsWith("pg-backup:"))
        .map((k) => JSON.parse(localStorage.getItem(k)));
    return entries.sort((a, b) => b.saved - a.saved)[0] || null;
}"""


def test_a_restart_under_a_playing_session_offers_it_back_exactly(page):
    port = free_port()
    with app_server(port) as server:
        page.goto(server.url)
        wait_for_app(page, selector="#epoch-counter")
        page.get_by_role("button", name="Play", exact=True).click()
        wait_for_epoch(page, lambda epoch: epoch > 30, timeout=TIMEOUT_MS / 1000)
        # the first kept session goes with the first frame; wait for one of several epochs
        page.wait_for_function("() => (window.__pgStage?.kept?.epoch || 0) > 30", timeout=TIMEOUT_MS)
        server.kill()
        kept = page.evaluate(KEPT_JS)
    assert kept["epoch"] > 30 and kept["session"], "the browser kept no session while playing"
    with app_server(port) as server:
        offer = page.get_by_text(re.compile(r"Your previous session \(epoch [\d,]+\) is no longer"))
        try:
            offer.wait_for(timeout=30_000)  # the frontend reconnects by itself ...
        except Exception:  # noqa: BLE001 - ... or, if it gave up, a reload is the user's way back
            page.reload()
            offer.wait_for(timeout=TIMEOUT_MS)
        assert f"(epoch {kept['epoch']:,})" in offer.text_content()
        assert read_epoch(page) == 0
        screenshot(page, "restart-offer")
        page.get_by_role("button", name="Restore it").click()
        page.wait_for_function(
            f"() => document.querySelector('#epoch-counter')?.textContent.trim() === '{kept['epoch']:,}'",
            timeout=TIMEOUT_MS)
        wait_for_app(page, selector="#epoch-counter")
        page.locator('[data-testid="stSidebar"] summary', has_text="Save and export").click()
        with page.expect_download(timeout=TIMEOUT_MS) as download:
            page.get_by_role("button", name="Model and session (JSON)").click()
        with open(download.value.path(), encoding="utf-8") as file:
            restored = json.load(file)
    before = json.loads(kept["session"])
    assert restored["config"] == before["config"]
    for part in ("model", "epoch", "history", "optimizer_state", "rng", "data", "settings"):
        assert restored["session"][part] == before["session"][part], part
    assert restored["session"]["epoch"] == kept["epoch"]
