"""The deployment's load balancer on loopback: two replicas of the app and nginx in front of them.

nginx runs with ``deploy/nginx/playground.conf.template``, the file ``deploy/compose.yaml`` mounts,
rendered the way the nginx image renders it (``benchmarks/balancer.py``), with two replicas
started by ``streamlit run`` on 127.0.0.1 (``benchmarks/browser.py``). Which replica answered each
request is read from the balancer's access log (the upstream address, per affinity value).

In Chromium, through the balancer: a session plays with its frames over the live view's own
WebSocket (/pg-live, which finds the session's frames by a token only its replica knows), keeps
its network across a dropped connection, and every request it makes (page, static files, both
WebSockets, health, CSV upload) reaches one replica; the uploaded CSV lands in that session; two
sessions live on the two replicas; killing one replica leaves the session on the other untouched
(both its WebSockets open), and pages and new sessions that hashed to the dead one are served by
the survivor, the live view included. Over plain HTTP: each new browser gets a random affinity
cookie, so new browsers spread over both replicas; a replica answering 503 on /_stcore/health is
skipped.

Which replica a new browser gets is random; where a test needs a session on a given replica it
gives the browser an affinity value that the balancer was seen to send there.

Needs /usr/sbin/nginx (``apt-get install nginx``) and /usr/bin/chromium: without them the tests
skip locally and fail under ``CI=true``.
"""

from __future__ import annotations

import os
import re
import secrets
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from benchmarks.balancer import (
    AFFINITY_COOKIE,
    NGINX,
    Balancer,
    nginx_available,
    running_balancer,
)
from benchmarks.browser import (
    CHROMIUM,
    AppServer,
    app_server,
    chromium_available,
    chromium_browser,
    new_page,
    read_epoch,
    wait_for_app,
)
from playground.live.hub import LIVE_PATH
from tests.e2e.charts import TIMEOUT_MS
from tests.e2e.test_playground import wait_for_epoch
from tests.e2e.test_reconnect import drop_connection, open_app, step

pytestmark = pytest.mark.e2e

IN_CI = os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")
SET_COOKIE = re.compile(rf"^{AFFINITY_COOKIE}=[0-9a-f]{{32}}; Path=/; HttpOnly; SameSite=Lax$")
POINTS_CSV = b"x1,x2,label\n" + b"".join(
    f"{x:.1f},{y:.1f},{int(x * y > 0)}\n".encode() for x, y in
    [(-3, -2), (-2, -4), (2, 3), (4, 1), (-3, 2), (-1, 4), (3, -2), (2, -3)])
PROBES = 64  # random affinity values tried to find one per replica; P(miss) < 0.75**64


def require_tools() -> None:
    missing = [f"{path} ({package})" for path, package, present in [
        (NGINX, "apt-get install nginx", nginx_available()),
        (CHROMIUM, "apt-get install chromium", chromium_available())] if not present]
    if missing:
        reason = f"the load balancer test needs {', '.join(missing)}"
        if IN_CI:
            pytest.fail(f"CI=true: {reason}", pytrace=False)
        pytest.skip(reason)


@pytest.fixture(autouse=True)
def tools() -> None:
    require_tools()


@pytest.fixture
def cluster() -> Iterator[tuple[list[AppServer], Balancer]]:
    """Two replicas and the balancer in front of them; all stopped by process group at the end."""
    with ExitStack() as stack:
        replicas = [stack.enter_context(app_server()) for _ in range(2)]
        balancer = stack.enter_context(running_balancer([r.address for r in replicas]))
        yield replicas, balancer


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    require_tools()
    with chromium_browser() as instance:
        yield instance


def affinity_of(page) -> str:
    [value] = [c["value"] for c in page.context.cookies() if c["name"] == AFFINITY_COOKIE]
    return value


def replica_of(balancer: Balancer, affinity: str) -> str:
    """The one replica that answered every request carrying this affinity value."""
    replicas = balancer.replicas_of(affinity)
    assert len(replicas) == 1, f"the requests of one browser reached {sorted(replicas)}"
    return replicas.pop()


def affinity_for(balancer: Balancer, replica: str) -> str:
    """A random affinity value that the balancer sends to ``replica`` (found with health requests)."""
    for _ in range(PROBES):
        affinity = secrets.token_hex(16)
        balancer.get("/_stcore/health", affinity)
        [entry] = balancer.wait_for_entry(affinity)
        if entry.replica == replica:
            return affinity
    raise AssertionError(f"none of {PROBES} random affinity values went to {replica}")


def step_once(page) -> None:
    """Press Step and wait for the counter to show one epoch more."""
    expected = read_epoch(page) + 1
    page.get_by_role("button", name="Step", exact=True).click()
    page.wait_for_function(
        f"() => document.querySelector('#epoch-counter')?.textContent.trim() === '{expected}'",
        timeout=TIMEOUT_MS)
    wait_for_app(page, selector="#epoch-counter")


STREAM = "/_stcore/stream"  # Streamlit's WebSocket; LIVE_PATH is the live view's
SOCKETS_JS = """(path) => window.__sockets.filter((s) => new URL(s.url).pathname === path)
    .map((s) => s.readyState)"""


def sockets(page, path: str) -> list[int]:
    """readyState of every WebSocket to `path` the page has opened (recorded by open_app), oldest
    first (1 is OPEN)."""
    return page.evaluate(SOCKETS_JS, path)


LIVE_STATE_JS = """() => ({socket: window.__pgStage.socket?.readyState ?? null, drawn: window.__pgStage.drawn,
    received: window.__pgStage.received, hidden: document.querySelectorAll('.pg-live-data').length,
    epoch: document.querySelector('#epoch-counter')?.textContent})"""


def play_over_the_live_socket(page, frames: int = 10) -> None:
    """Play until `frames` more frames have come over the page's open /pg-live socket (the
    hidden-element fallback would mean the balancer refused it), then pause."""
    page.get_by_role("button", name="Play", exact=True).click()
    wait_for_epoch(page, lambda epoch: epoch > 0, timeout=TIMEOUT_MS / 1000)
    received = page.evaluate("() => window.__pgStage.received")
    try:
        page.wait_for_function(
            "(n) => window.__pgStage.socket?.readyState === WebSocket.OPEN"
            " && window.__pgStage.received >= n && !document.querySelector('.pg-live-data')",
            arg=received + frames, timeout=TIMEOUT_MS)
    except PlaywrightTimeoutError:
        state = page.evaluate(LIVE_STATE_JS)
        raise AssertionError(f"no {frames} frames over the live socket: {state}") from None
    page.get_by_role("button", name="Pause", exact=True).click()
    page.get_by_role("button", name="Play", exact=True).wait_for(timeout=TIMEOUT_MS)
    wait_for_app(page, selector="#epoch-counter")


# --- plain HTTP ----------------------------------------------------------------------------------

def test_each_new_browser_gets_a_random_affinity_cookie_and_new_browsers_spread(cluster):
    replicas, balancer = cluster
    first = balancer.get("/")
    assert first.status == 200 and any(SET_COOKIE.match(c) for c in first.set_cookies), first
    affinity = first.new_affinity
    for path in ["/", "/_stcore/health", "/_stcore/host-config", "/_stcore/health"]:
        reply = balancer.get(path, affinity)
        assert reply.status == 200 and reply.new_affinity is None, (path, reply)  # kept, not renewed
    balancer.wait_for_entry(affinity, count=5)
    replica_of(balancer, affinity)
    forged = balancer.get("/", "not-an-affinity-value")
    assert any(SET_COOKIE.match(c) for c in forged.set_cookies), forged  # replaced by a fresh one

    fresh = [balancer.get("/_stcore/health").new_affinity for _ in range(200)]
    assert len(set(fresh)) == 200
    balancer.wait_for_entry(fresh[-1])  # nginx logs in order: then all 200 are there
    served = [entry.replica for entry in balancer.entries() if entry.affinity in set(fresh)]
    shares = {r.address: served.count(r.address) / len(served) for r in replicas}
    assert all(0.2 < share < 0.8 for share in shares.values()), shares


class _FakeReplica(BaseHTTPRequestHandler):
    """Answers / with its name, and /_stcore/health as Streamlit does (200 ok, or 503 stopping)."""

    name = ""
    healthy = True

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        if self.path == "/_stcore/health":
            status, body = (200, b"ok") if self.healthy else (503, b"Runtime is shutting down")
        else:
            status, body = 200, self.name.encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@contextmanager
def fake_replica(name: str, healthy: bool) -> Iterator[str]:
    handler = type(f"Fake{name}", (_FakeReplica,), {"name": name, "healthy": healthy})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_replica_whose_health_check_answers_503_is_skipped():
    with fake_replica("A", healthy=False) as a, fake_replica("B", healthy=True) as b, \
            running_balancer([a, b]) as balancer:
        to_a = next((value for value in (secrets.token_hex(16) for _ in range(PROBES))
                     if balancer.get("/", value).body == b"A"), None)
        assert to_a, f"none of {PROBES} random affinity values went to the fake replica A"
        reply = balancer.get("/_stcore/health", to_a)
        assert (reply.status, reply.body) == (200, b"ok")  # A's 503 was retried on B
        last = balancer.wait_for_entry(to_a, count=2)[-1]
        assert (last.upstreams, last.upstream_statuses) == ((a, b), ("503", "200")), last
        # A is now out (max_fails=1, fail_timeout=10s): A's browsers and new ones go to B.
        assert balancer.get("/", to_a).body == b"B"
        assert {balancer.get("/").body for _ in range(20)} == {b"B"}


# --- Chromium ------------------------------------------------------------------------------------

def test_a_session_keeps_its_replica_through_a_dropped_connection_and_an_upload(cluster, browser):
    _, balancer = cluster
    with new_page(browser) as page:
        open_app(page, balancer.url)
        affinity = affinity_of(page)
        play_over_the_live_socket(page)
        token = page.evaluate("() => window.__pgStage.token")
        epoch = read_epoch(page)
        drop_connection(page)  # both WebSockets: Streamlit's and the live view's
        wait_for_app(page, selector="#epoch-counter")
        assert read_epoch(page) == epoch, "the reconnected page got a new session: its network is lost"
        page.wait_for_function("(path) => window.__sockets.some((s) => new URL(s.url).pathname === path"
                               " && s.readyState === WebSocket.OPEN)", arg=LIVE_PATH, timeout=TIMEOUT_MS)

        page.locator('[data-testid="stSidebar"] summary', has_text="Your data").click()
        uploader = page.locator('[data-testid="stFileUploader"]', has_text="Upload points (CSV)")
        uploader.locator('input[type="file"]').set_input_files(
            {"name": "points.csv", "mimeType": "text/csv", "buffer": POINTS_CSV})
        page.get_by_text(re.compile(r"Training on your 8 points")).wait_for(timeout=TIMEOUT_MS)
        wait_for_app(page, selector="#epoch-counter")

    entries = balancer.wait_for_entry(affinity, count=1)
    replica = replica_of(balancer, affinity)
    kinds = {(e.method, e.uri.split("/")[2] if e.uri.startswith("/_stcore/") else
              e.uri if e.uri == LIVE_PATH else "page", e.status) for e in entries}
    # the dropped WebSockets (logged when they closed), the upload, health and static files
    assert ("GET", "stream", 101) in kinds, kinds
    assert ("GET", LIVE_PATH, 101) in kinds, kinds
    assert token and token not in balancer.access_log.read_text()  # the live view's key is not logged
    assert ("PUT", "upload_file", 204) in kinds, kinds
    assert ("GET", "health", 200) in kinds, kinds
    assert all(len(e.upstreams) == 1 for e in entries), [e for e in entries if len(e.upstreams) > 1]
    assert len(entries) > 10, f"only {len(entries)} requests of the session reached {replica}"


def test_killing_a_replica_leaves_the_other_ones_sessions_and_new_sessions_go_to_it(cluster, browser):
    replicas, balancer = cluster
    with ExitStack() as stack:
        first = stack.enter_context(new_page(browser))
        open_app(first, balancer.url)
        doomed = replica_of(balancer, affinity_of(first))
        [survivor] = [r.address for r in replicas if r.address != doomed]
        to_survivor, to_doomed = affinity_for(balancer, survivor), affinity_for(balancer, doomed)

        second = stack.enter_context(new_page(browser))
        second.context.add_cookies([{"name": AFFINITY_COOKIE, "value": to_survivor,
                                     "url": balancer.url}])
        open_app(second, balancer.url)
        step(first, 2)
        step(second, 3)
        assert replica_of(balancer, to_survivor) == survivor  # two sessions, two replicas

        before_kill = len(balancer.entries_of(affinity_of(first)))
        next(r for r in replicas if r.address == doomed).kill()

        # The first page reconnects through the balancer and is rehashed to the survivor, which
        # does not know its session and starts a new one: the page keeps its old picture until
        # the next click, whose run shows the new session (epoch 0); after it, Step trains again.
        # (Its live socket is refused by the survivor, which does not know its token, until the
        # new session's run gives the page a new one.)
        first.wait_for_function(f"() => ({SOCKETS_JS})('{STREAM}').join() === '3,1'",
                                timeout=TIMEOUT_MS)
        first.get_by_role("button", name="Step", exact=True).click()
        first.wait_for_function(
            "() => document.querySelector('#epoch-counter')?.textContent.trim() === '0'",
            timeout=TIMEOUT_MS)
        wait_for_app(first, selector="#epoch-counter")
        step_once(first)
        first.wait_for_function(f"() => ({SOCKETS_JS})('{LIVE_PATH}').at(-1) === WebSocket.OPEN",
                                timeout=TIMEOUT_MS)
        play_over_the_live_socket(first)  # the new session's frames come over the survivor's route
        # logged after the kill: the two WebSockets open at the kill (logged when they closed),
        # then everything else at the survivor (the reconnect's health check refused by the dead
        # replica and retried there)
        after_kill = balancer.entries_of(affinity_of(first))[before_kill:]
        closed = sorted((e.uri, e.status) for e in after_kill if e.replica == doomed)
        assert closed == [("/_stcore/stream", 101), (LIVE_PATH, 101)], closed
        assert {e.replica for e in after_kill if e.replica != doomed} == {survivor}, after_kill
        # The second session was never disconnected and its network is where it was.
        assert sockets(second, STREAM) == [1], "the survivor's session lost its WebSocket"  # one, OPEN
        assert sockets(second, LIVE_PATH) == [1], "the survivor's session lost its live view"
        assert read_epoch(second) == 3
        step_once(second)

        # A new browser whose affinity value hashed to the dead replica gets the survivor.
        probed = len(balancer.entries_of(to_doomed))
        third = stack.enter_context(new_page(browser))
        third.context.add_cookies([{"name": AFFINITY_COOKIE, "value": to_doomed, "url": balancer.url}])
        open_app(third, balancer.url)
        step(third, 1)
        after_kill = balancer.entries_of(to_doomed)[probed:]
        assert after_kill and {e.replica for e in after_kill} == {survivor}, after_kill

    # and so does every new browser; nothing answered with the dead replica's error.
    fresh = [balancer.get("/_stcore/health") for _ in range(20)]
    assert {reply.status for reply in fresh} == {200}
    balancer.wait_for_entry(fresh[-1].new_affinity)
    served = {e.replica for e in balancer.entries() if e.affinity in {r.new_affinity for r in fresh}}
    assert served == {survivor}, served
    assert all(e.status < 500 for e in balancer.entries()), [e for e in balancer.entries()
                                                            if e.status >= 500]
