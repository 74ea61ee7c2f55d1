"""Real-browser fixtures: the Streamlit app on a free port and Debian's headless Chromium.

    from benchmarks.browser import read_epoch, wait_for_app

    def test_play_advances(page, app_url):
        page.goto(app_url)
        wait_for_app(page, selector="#epoch-counter")
        before = read_epoch(page)
        ...

Every test under tests/e2e is marked ``e2e`` (``pytest -m "not e2e"`` skips them). Without
/usr/bin/chromium they skip with the reason, except under ``CI=true`` where they fail. The app
is ``streamlit_app.py`` unless ``APP_PATH`` names another script. Each test leaves a
screenshot in ``test-artifacts/<test name>.png``. The start/stop code lives in
``benchmarks/browser.py`` so benchmark scripts share it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.browser import (
    CHROMIUM,
    REPO_ROOT,
    AppStartError,
    chromium_available,
    chromium_browser,
    new_page,
    running_app,
)

ARTIFACTS = REPO_ROOT / "test-artifacts"
E2E_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if E2E_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def _require_chromium() -> None:
    if chromium_available():
        return
    reason = f"{CHROMIUM} not found (apt-get install chromium) — browser tests need it"
    if _in_ci():
        pytest.fail(f"CI=true: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    """URL of the app, started once per session from the repo root; stopped at the end."""
    _require_chromium()  # no point starting a server the tests cannot reach
    try:
        with running_app() as url:
            yield url
    except AppStartError as error:
        pytest.fail(f"the Streamlit app did not start:\n{error}", pytrace=False)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One headless Chromium (Playwright ``Browser``) per test module: Playwright's sync API keeps
    an event loop running in the main thread while a browser is open, and later asyncio tests
    (tests/playground/test_hub.py) cannot run beside it."""
    _require_chromium()
    with chromium_browser() as instance:
        yield instance


@pytest.fixture
def page(browser: object, request: pytest.FixtureRequest) -> Iterator[object]:
    """A fresh context and page (1280×720); a screenshot lands in test-artifacts/ at teardown."""
    with new_page(browser, viewport=(1280, 720)) as instance:
        yield instance
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.name)
        try:
            instance.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        except Exception as error:  # noqa: BLE001 - a screenshot must never hide the test's result
            print(f"screenshot failed: {error}")
