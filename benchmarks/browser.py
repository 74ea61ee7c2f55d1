"""Start the Streamlit app and a headless Chromium: the one place that knows how.

Benchmark scripts use the context managers directly; ``tests/e2e/conftest.py`` wraps the same
functions in pytest fixtures.

    from benchmarks.browser import running_app, chromium_page, install_paint_recorder, paint_stats

    with running_app() as url, chromium_page() as page:
        page.goto(url)
        wait_for_app(page)
        install_paint_recorder(page)
        ...                                # press Play, wait
        print(paint_stats(read_paint_records(page)))

The app is ``streamlit_app.py`` at the repo root unless ``APP_PATH`` (or ``running_app(app=...)``) names
another script; a relative path is taken from the repo root. ``app_server()`` is the same start but
yields the server itself (URL, address, process), for tests that stop one of several replicas.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
STARTUP_TIMEOUT_S = 30.0


class AppStartError(RuntimeError):
    """The Streamlit server exited or did not answer its health check in time."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def resolve_app_path(path: str | os.PathLike | None = None) -> Path:
    """The app script: ``path``, else ``$APP_PATH``, else ``streamlit_app.py`` (repo-relative)."""
    chosen = Path(path or os.environ.get("APP_PATH") or "streamlit_app.py")
    return chosen if chosen.is_absolute() else REPO_ROOT / chosen


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
            return response.read().decode().strip() == "ok"
    except OSError:
        return False


def stop_process_group(process: subprocess.Popen, timeout: float = 10.0) -> None:
    """SIGTERM, then SIGKILL, to the process's own group (it leads it: start_new_session)."""
    if process.poll() is not None:
        return
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=timeout)
            return
        except subprocess.TimeoutExpired:
            continue


@dataclass(frozen=True)
class AppServer:
    """A running ``streamlit run``: ``url`` (http://127.0.0.1:port), ``address`` (127.0.0.1:port)."""

    url: str
    address: str
    process: subprocess.Popen

    def kill(self) -> None:
        """SIGKILL to the server's process group, as a crash would; waits until it has exited."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=10)


@contextmanager
def running_app(port: int | None = None, env: Mapping[str, str] | None = None,
                *, app: str | os.PathLike | None = None,
                timeout: float = STARTUP_TIMEOUT_S) -> Iterator[str]:
    """Run ``streamlit run <app>`` on 127.0.0.1; yield its URL once ``/_stcore/health`` says ok.

    ``env`` adds to (and overrides) this process's environment. The server runs in its own
    process group and is stopped by that group's id on exit. Raises ``AppStartError`` with the
    server's stderr if it exits or is not healthy within ``timeout`` seconds.
    """
    with app_server(port, env, app=app, timeout=timeout) as server:
        yield server.url


@contextmanager
def app_server(port: int | None = None, env: Mapping[str, str] | None = None,
               *, app: str | os.PathLike | None = None,
               timeout: float = STARTUP_TIMEOUT_S, cpus: str | None = None) -> Iterator[AppServer]:
    """``running_app``, yielding the ``AppServer`` (URL, address, process) instead of the URL.
    ``cpus`` (e.g. ``"0"``) pins the server to those CPUs with ``taskset -c``."""
    script = resolve_app_path(app)
    if not script.exists():
        raise AppStartError(f"app script not found: {script} (set APP_PATH to another script)")
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    command = ["taskset", "-c", cpus] if cpus else []
    command += [
        sys.executable, "-m", "streamlit", "run", str(script),
        "--server.headless", "true", "--server.port", str(port),
        "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
    ]
    # Output goes to temporary files, not pipes: a chatty server can never block on a full pipe.
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        process = subprocess.Popen(command, cwd=REPO_ROOT, env={**os.environ, **(env or {})},
                                   stdout=stdout, stderr=stderr, start_new_session=True)

        def server_output() -> str:
            stderr.seek(0)
            stdout.seek(0)
            return (f"--- stderr ---\n{stderr.read().decode(errors='replace')[-4000:]}"
                    f"\n--- stdout ---\n{stdout.read().decode(errors='replace')[-2000:]}")

        try:
            deadline = time.monotonic() + timeout
            while not _healthy(url):
                if process.poll() is not None:
                    raise AppStartError(f"streamlit exited with code {process.returncode}\n"
                                        f"{server_output()}")
                if time.monotonic() > deadline:
                    raise AppStartError(f"{url}/_stcore/health not ok after {timeout:.0f} s\n"
                                        f"{server_output()}")
                time.sleep(0.2)
            yield AppServer(url=url, address=f"127.0.0.1:{port}", process=process)
        finally:
            stop_process_group(process)


def chromium_available() -> bool:
    return Path(CHROMIUM).exists()


@contextmanager
def chromium_browser() -> Iterator[Any]:
    """Debian's Chromium through Playwright (``playwright install`` is not needed).

    Playwright's sync API runs one driver per thread: a browser opened while another one is open
    (one test module's browser beside another's) is launched from the same driver.
    """
    from playwright.sync_api import sync_playwright

    with ExitStack() as stack:
        if not _DRIVER:  # this browser starts the thread's driver and stops it when it closes
            _DRIVER.append(stack.enter_context(sync_playwright()))
            stack.callback(_DRIVER.pop)
        browser = _DRIVER[-1].chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


_DRIVER: list[Any] = []  # the running Playwright driver, while a browser holds it open


@contextmanager
def new_page(browser: Any, viewport: tuple[int, int] = (1280, 720), **options: Any) -> Iterator[Any]:
    """A page in a fresh browser context (own cookies, storage and session); `options` go to
    Playwright's new_context (e.g. is_mobile=True, has_touch=True for a phone)."""
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, **options)
    try:
        yield context.new_page()
    finally:
        context.close()


@contextmanager
def chromium_page(viewport: tuple[int, int] = (1280, 720)) -> Iterator[Any]:
    """One browser, one context, one page: for scripts that need a single page."""
    with chromium_browser() as browser, new_page(browser, viewport) as page:
        yield page


# --- Waiting and reading -------------------------------------------------------------------------

def wait_for_app(page: Any, selector: str | None = None, timeout: float = 30.0,
                 idle: bool = True) -> None:
    """Wait until Streamlit has rendered the app.

    Waits for ``[data-testid="stApp"]``, then for ``selector`` if given (e.g. ``"#epoch-counter"``),
    then (``idle=True``) until no script run is in progress: the stApp element's
    ``data-test-script-state`` (Streamlit 1.67: initial, running, notRunning, rerunRequested,
    stopRequested, compilationError) reads ``notRunning``, a first visit's page (which asks for
    the sidebar once it has drawn the views, playground.app._whole_page) has its sidebar, and no
    element is still a placeholder (``stSkeleton``: Streamlit draws an element of a new kind once
    its script has come; a first visit's select boxes and sliders came up to 3 s after the run
    ended, while plotly.js started, and a Tab walk went past them). Pass ``idle=False`` for a page
    that keeps a script running on purpose (a playing ``while`` loop).
    """
    ms = timeout * 1000
    page.wait_for_selector('[data-testid="stApp"]', state="attached", timeout=ms)
    # The app view appears once the first delta of the first run has arrived.
    page.wait_for_selector('[data-testid="stMainBlockContainer"] [data-testid="stElementContainer"]',
                           state="attached", timeout=ms)
    if selector:
        page.wait_for_selector(selector, state="attached", timeout=ms)
    if idle:  # a first visit's page asks for the rest (the sidebar) once it drew the views
        page.wait_for_function(
            """() => {
                const app = document.querySelector('[data-testid="stApp"]');
                const whole = !document.querySelector('.st-key-pg-partial-page')
                    && !document.querySelector('[data-testid="stSkeleton"]');
                return app && app.getAttribute('data-test-script-state') === 'notRunning' && whole;
            }""",
            timeout=ms,
        )


_DIGITS = re.compile(r"-?[\d,.\u202f\u00a0' ]*\d")


def switch_on(page: Any, panel: str, label: str, ready_js: str, arg: Any = None,
              timeout: float = 30.0, attempts: int = 3) -> None:
    """Open the sidebar panel `panel`, turn the switch `label` on, wait until ``ready_js(arg)``
    is true in the page (e.g. a chart count) and the script run has ended.

    Under load a click can land while the expander is still opening and be lost (seen in ~1 run
    in 10 with a busy core): the switch is then still off, and it is clicked again.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    page.locator('[data-testid="stSidebar"] summary', has_text=panel).click()
    switch = page.get_by_role("switch", name=label)
    for attempt in range(attempts):
        if not switch.is_checked():
            page.get_by_text(label).click()
        try:
            page.wait_for_function(ready_js, arg=arg, timeout=timeout * 1000 / attempts)
            break
        except PlaywrightTimeoutError:
            print(f"switch_on({label!r}) attempt {attempt + 1}: switch checked: {switch.is_checked()}")
            if attempt == attempts - 1:
                raise
    wait_for_app(page, selector="#epoch-counter")


def parse_epoch(text: str) -> int:
    """``"1,234"`` (or ``"1 234"``, ``"Epoch 001,234"``) -> 1234."""
    match = _DIGITS.search(text or "")
    if not match:
        raise ValueError(f"no epoch number in {text!r}")
    return int(re.sub(r"[^\d-]", "", match.group()))


def read_epoch(page: Any, timeout: float = 10.0) -> int:
    """The number shown by the element with ``id="epoch-counter"``."""
    locator = page.locator("#epoch-counter").first
    locator.wait_for(state="attached", timeout=timeout * 1000)
    return parse_epoch(locator.text_content())


# --- Paint recorder ------------------------------------------------------------------------------

# Installs window.__paint: a MutationObserver logs every change of #epoch-counter's text (the
# element may be replaced, so it watches the whole document), and each change asks for one
# animation frame, which logs the text present then when it differs from the last logged one:
# those are the values actually painted. Timestamps are performance.now() milliseconds. No
# animation-frame loop runs while nothing changes: ten pages polling at 60 Hz cost the machine
# 0.2 cores, which the load benchmark would otherwise take from the app it measures.
PAINT_RECORDER_JS = r"""
(selector) => {
  if (window.__paint) { window.__paint.reset(); return; }
  const read = () => { const el = document.querySelector(selector); return el ? el.textContent : null; };
  const state = { mutations: [], frames: [], rafTicks: 0, last: read(), lastFrame: read(), pending: false };
  state.reset = () => { state.mutations = []; state.frames = []; state.rafTicks = 0; };
  const tick = (t) => {
    state.pending = false;
    state.rafTicks += 1;
    const text = read();
    if (text !== state.lastFrame) { state.lastFrame = text; state.frames.push([t, text]); }
  };
  new MutationObserver(() => {
    const text = read();
    if (text === state.last) return;
    state.last = text;
    state.mutations.push([performance.now(), text]);
    if (!state.pending) { state.pending = true; requestAnimationFrame(tick); }
  }).observe(document.body, { subtree: true, childList: true, characterData: true });
  window.__paint = state;
}
"""


def install_paint_recorder(page: Any, selector: str = "#epoch-counter") -> None:
    """Start (or restart) recording changes of ``selector``'s text in the page."""
    page.evaluate(PAINT_RECORDER_JS, selector)


def read_paint_records(page: Any) -> dict[str, Any]:
    """``{"mutations": [[ms, text], ...], "frames": [[ms, text], ...], "now": ms, "rafTicks": n}``."""
    return page.evaluate(
        "() => ({mutations: window.__paint.mutations, frames: window.__paint.frames,"
        " rafTicks: window.__paint.rafTicks, now: performance.now()})")


@dataclass(frozen=True)
class PaintStats:
    frames_per_s: float        # distinct counter values painted (seen at an animation frame) per s
    mutations_per_s: float     # distinct counter values written to the DOM per second
    epochs_per_s: float        # epoch advance shown per second
    duration_s: float
    painted: int
    first_epoch: int | None
    last_epoch: int | None


def paint_stats(records: Mapping[str, Any], start_ms: float | None = None,
                end_ms: float | None = None) -> PaintStats:
    """Rates over ``[start_ms, end_ms]`` (default: first change to the time of reading)."""
    frames = [(t, parse_epoch(s)) for t, s in records["frames"] if s]
    mutations = [(t, s) for t, s in records["mutations"] if s]
    start = start_ms if start_ms is not None else (frames[0][0] if frames else 0.0)
    end = end_ms if end_ms is not None else records["now"]
    frames = [(t, e) for t, e in frames if start <= t <= end]
    mutations = [m for m in mutations if start <= m[0] <= end]
    seconds = max(end - start, 1e-9) / 1000
    if not frames:
        return PaintStats(0.0, len(mutations) / seconds, 0.0, seconds, 0, None, None)
    epochs = frames[-1][1] - frames[0][1]
    return PaintStats(
        frames_per_s=len(frames) / seconds,
        mutations_per_s=len(mutations) / seconds,
        epochs_per_s=epochs / seconds,
        duration_s=seconds,
        painted=len(frames),
        first_epoch=frames[0][1],
        last_epoch=frames[-1][1],
    )
