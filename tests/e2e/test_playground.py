"""The playground in headless Chromium: load, Play, Pause, Step, and a shared link.

Uses the `page` and `app_url` fixtures of tests/e2e/conftest.py (one server for the session);
each test leaves a screenshot in test-artifacts/.
"""

import json
import time

import pytest

from benchmarks.browser import REPO_ROOT, read_epoch, wait_for_app
from tests.e2e.charts import (
    CHARTS_READY_JS,
    COST,
    NETWORK,
    NETWORK_PICTURE_JS,
    SURFACE,
    SURFACE_IMAGE_JS,
    TIMEOUT_MS,
    VIEWS,
    VIEWS_PER_ANIMATION_FRAME_JS,
)

pytestmark = pytest.mark.e2e


def open_app(page, url: str, idle: bool = True) -> None:
    page.goto(url)
    wait_for_app(page, selector="#epoch-counter", idle=idle)
    page.wait_for_function(CHARTS_READY_JS, timeout=TIMEOUT_MS)
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
    assert page.locator(VIEWS).count() == 3
    assert surface_pixels(page).startswith("data:image/png;base64,")
    assert page.locator("#test-accuracy").text_content().endswith("%")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 1280, "horizontal scrolling at 1280×720"
    for view in (".pg-network", ".pg-surface", ".pg-cost"):  # all three visible without scrolling
        box = page.locator(view).bounding_box()
        assert box["y"] + box["height"] <= 720, f"{view} is below the fold"
    (REPO_ROOT / "test-artifacts").mkdir(exist_ok=True)
    page.screenshot(path=str(REPO_ROOT / "test-artifacts" / "playground.png"))


def test_play_advances_and_pause_stops(page, app_url):
    open_app(page, app_url)
    before, diagram = surface_pixels(page), page.evaluate(NETWORK_PICTURE_JS)
    page.evaluate(f"() => {{ document.querySelector('{SURFACE}').dataset.marked = 'yes'; }}")
    page.get_by_role("button", name="Play", exact=True).click()
    wait_for_epoch(page, lambda e: e >= 20)
    # Playing, every view is updated in place: the same plotly div and canvas frame after frame,
    # shown at every animation frame (a view missing from one would blink).
    page.wait_for_function(f"() => ({SURFACE_IMAGE_JS})() !== {json.dumps(before)}", timeout=TIMEOUT_MS)
    page.wait_for_function(f"() => ({NETWORK_PICTURE_JS})() !== {json.dumps(diagram)}", timeout=TIMEOUT_MS)
    playing = surface_pixels(page)
    page.wait_for_function(f"() => ({SURFACE_IMAGE_JS})() !== {json.dumps(playing)}", timeout=TIMEOUT_MS)
    assert page.evaluate(f"() => document.querySelector('{SURFACE}').dataset.marked") == "yes"
    attached = page.evaluate(VIEWS_PER_ANIMATION_FRAME_JS, 60)
    assert set(attached) == {3}, attached
    assert page.evaluate("() => window.__pgStage.socket.readyState") == 1  # frames over the WebSocket
    page.get_by_role("button", name="Pause", exact=True).click()
    page.get_by_role("button", name="Play", exact=True).wait_for(timeout=TIMEOUT_MS)
    wait_for_app(page, selector="#epoch-counter")
    paused = read_epoch(page)
    time.sleep(1.0)
    assert read_epoch(page) == paused > 0
    assert page.evaluate(f"() => document.querySelector('{SURFACE}').dataset.marked") == "yes"
    assert page.locator(VIEWS).count() == 3


def test_step_adds_exactly_one_epoch(page, app_url):
    open_app(page, app_url)
    for expected in (1, 2):
        page.get_by_role("button", name="Step", exact=True).click()
        assert wait_for_epoch(page, lambda e, x=expected: e >= x) == expected
        wait_for_app(page, selector="#epoch-counter")
        assert read_epoch(page) == expected


FITS_JS = """() => {
    const view = window.__pgStage.views.get('network');
    const neurons = view.st.columns.reduce((n, column) => n + column.ys.length, 0);
    return view.blobs.codes.array.length * 4 === view.st.ends.array.length
        && view.blobs.thumbs.shape[0] === neurons && view.st.columns.length;
}"""


def test_a_paused_click_gets_its_picture_over_the_live_socket_first(page, app_url):
    """A Step's stats, diagram and surface come over the live WebSocket ahead of the rerun
    (playground.live.early); after + a layer that early frame does not fit the drawn diagram,
    which then waits for its mount: the drawn links and neurons always match the diagram."""
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    open_app(page, app_url)
    received = page.evaluate("() => window.__pgStage.received")
    page.get_by_role("button", name="Step", exact=True).click()
    assert wait_for_epoch(page, lambda e: e >= 1) == 1
    page.wait_for_function("(n) => window.__pgStage.received > n", arg=received, timeout=TIMEOUT_MS)
    wait_for_app(page, selector="#epoch-counter")
    assert page.evaluate(FITS_JS) == 4  # input, two hidden layers, output
    page.evaluate(f"""() => {{  // every drawing of the diagram from now on: did it fit?
        const view = window.__pgStage.views.get('network'), thumbs = view.drawThumbs.bind(view);
        window.__pgFits = [];
        view.drawThumbs = (ctx) => {{ window.__pgFits.push(({FITS_JS})()); thumbs(ctx); }};
    }}""")
    page.locator(".pg-net-layers button").nth(1).click()  # + a hidden layer
    page.wait_for_function(f"() => ({FITS_JS})() === 5", timeout=TIMEOUT_MS)
    wait_for_app(page, selector="#epoch-counter")
    drawn = page.evaluate("() => window.__pgFits")
    assert drawn and all(drawn) and drawn[-1] == 5 and errors == [], drawn


def test_shared_link_reproduces_the_setup(page, app_url):
    query = "?dataset=xor&hidden=3,3,3&learning_rate=0.1&features=x1,x2,x1*x2&speed=max"
    open_app(page, app_url + "/" + query)
    dataset_box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(
        has=page.get_by_text("Dataset", exact=True)).first  # not the Lesson box above it
    inputs = dataset_box.locator("input")
    shown = dataset_box.text_content() + (inputs.first.input_value() if inputs.count() else "")
    assert "xor" in shown, shown
    names = page.evaluate("() => window.__pgStage.views.get('network').st.columns.map((c) => c.name)")
    assert names == ["inputs", "hidden 1", "hidden 2", "hidden 3", "output"]
    assert page.locator('[data-testid="stWarning"]').count() == 0
    url = page.url
    for part in ("dataset=xor", "hidden=3%2C3%2C3", "learning_rate=0.1", "speed=max"):
        assert part in url or part.replace("%2C", ",") in url, (part, url)


def test_tampered_link_shows_a_notice(page, app_url):
    open_app(page, app_url + "/?dataset=%3Cscript%3E&learning_rate=eval")
    notice = page.locator('[data-testid="stAlert"]').first.text_content()
    assert "dataset" in notice and "learning_rate" in notice


def test_the_live_views_plotly_js_is_served_by_the_app(page, app_url):
    """The live view loads the installed plotly package's bundle from the app (never from the
    network), and shows the surface's picture before it has arrived."""
    from playground.live.stage import PLOTLY_DIR

    open_app(page, app_url)
    url = app_url + "/component/playground.live.stage.plotly_js/plotly.min.js"
    response = page.request.get(url)
    assert response.ok, (url, response.status)
    assert len(response.body()) == (PLOTLY_DIR / "plotly.min.js").stat().st_size


def test_the_surface_shows_before_plotly_and_the_frames_reach_it_without_the_websocket(page, app_url):
    page.route("**/plotly.min.js", lambda route: route.abort())  # plotly never arrives
    page.route_web_socket("**/pg-live*", lambda socket: socket.close())
    page.goto(app_url)
    wait_for_app(page, selector="#epoch-counter")
    preview = page.locator(".pg-surface img.pg-preview")
    preview.wait_for(timeout=TIMEOUT_MS)
    assert preview.get_attribute("src").startswith("data:image/png;base64,")
    page.locator(NETWORK).wait_for(timeout=TIMEOUT_MS)
    page.get_by_role("button", name="Play", exact=True).click()
    wait_for_epoch(page, lambda e: e >= 10)  # frames in hidden elements when no WebSocket opens
    before = preview.get_attribute("src")
    page.wait_for_function("(old) => document.querySelector('.pg-surface img.pg-preview').src !== old",
                           arg=before, timeout=TIMEOUT_MS)
    page.get_by_role("button", name="Pause", exact=True).click()


# Each animation frame, until both are seen: when the first picture (surface and diagram) and when
# the sidebar's first control were first on the page (performance.now()).
FIRST_SEEN_JS = """() => {
    window.__pgSeen = {};
    const poll = () => {
        const seen = window.__pgSeen, now = performance.now();
        const img = document.querySelector('.pg-surface img.pg-preview');
        const surface = (img && img.complete && img.naturalWidth > 0)
            || document.querySelector('.pg-surface :is(.layer-below, .imagelayer) image');
        const canvas = document.querySelector('.pg-network canvas');
        if (surface && canvas && canvas.width > 0) seen.picture ??= now;
        const control = '[data-testid="stSidebar"] [data-testid="stSelectbox"]';
        if (document.querySelector(control)) seen.controls ??= now;
        if (!(seen.picture && seen.controls)) requestAnimationFrame(poll);
    };
    requestAnimationFrame(poll);
}"""


def test_a_first_visit_draws_the_views_first_and_the_controls_come_by_themselves(page, app_url):
    """The first run draws the toolbar and the views; the page asks for the rest once it has drawn
    them (no click): the sidebar's controls arrive after the first picture, and work."""
    page.add_init_script(f"({FIRST_SEEN_JS})()")
    page.goto(app_url)
    page.wait_for_function("() => window.__pgSeen && window.__pgSeen.picture && window.__pgSeen.controls",
                           timeout=TIMEOUT_MS)
    seen = page.evaluate("() => window.__pgSeen")
    assert seen["picture"] < seen["controls"], seen
    wait_for_app(page, selector="#epoch-counter")
    box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(
        has=page.get_by_text("Dataset", exact=True)).first
    box.click()
    before = surface_pixels(page) or page.locator(".pg-surface img.pg-preview").get_attribute("src")
    page.get_by_role("option", name="xor").first.click()
    page.wait_for_function("""(old) => {
        const image = document.querySelector('.pg-surface :is(.layer-below, .imagelayer) image');
        const preview = document.querySelector('.pg-surface img.pg-preview');
        return (image && image.getAttribute('href') !== old) || (preview && preview.src !== old);
    }""", arg=before, timeout=TIMEOUT_MS)
    assert read_epoch(page) == 0


def test_a_first_visit_loads_plotly_after_its_controls_are_drawn(page, app_url):
    """plotly.js holds the main thread for 1-2 s as it starts: asked for at the first mount, it
    kept the sidebar's controls grey placeholders until ~3 s after the first picture (their
    scripts came while it ran). The page asks for it once the controls are drawn."""
    page.add_init_script(f"({FIRST_SEEN_JS})()")
    page.goto(app_url)
    page.wait_for_function("() => window.__pgSeen && window.__pgSeen.controls", timeout=TIMEOUT_MS)
    page.wait_for_function(CHARTS_READY_JS, timeout=TIMEOUT_MS)  # plotly has drawn the charts
    asked, controls = page.evaluate("""() => [
        performance.getEntriesByType('resource').find((r) => r.name.endsWith('/plotly.min.js'))?.startTime,
        window.__pgSeen.controls]""")
    assert asked is not None and asked > controls, (asked, controls)


def test_play_before_plotly_js_has_come_plays_on_once_it_comes(page, app_url):
    """Runs that come while plotly.js loads each ask a chart to draw: once it came, two
    Plotly.react calls with different configs (a new full-screen button each) answered each
    other with newPlot and react for ever, and the page hung (the clean-clone CI's two failures:
    Play pressed right after the page was drawn). plotly.js is held here until frames have come;
    the cost curve then holds the epochs played meanwhile."""
    held = []
    page.route("**/plotly.min.js", lambda route: held.append(route))
    page.goto(app_url)
    wait_for_app(page, selector="#epoch-counter")
    page.get_by_role("button", name="Play", exact=True).click()
    wait_for_epoch(page, lambda epoch: epoch >= 30)
    page.wait_for_function("() => true")  # let the held request reach the route handler
    assert held, "plotly.js was not asked for while playing"
    held[0].continue_()
    # locator waits: a hung page never answers wait_for_function, nor its timeout
    for chart in (SURFACE, COST):
        page.locator(f"{chart} .main-svg").first.wait_for(timeout=TIMEOUT_MS)
    started = read_epoch(page)
    wait_for_epoch(page, lambda epoch: epoch >= started + 300)
    # the frames that came before plotly.js went into the curve it drew (dropped, the curve began
    # at epoch 50-1,100: a fresh student's run); the first frame may still race the Play run's mount
    first = page.evaluate(f"() => document.querySelector('{COST}').data[0].x[0]")
    assert first <= 10, first
    page.get_by_role("button", name="Pause", exact=True).click()
    page.get_by_role("button", name="Play", exact=True).wait_for(timeout=TIMEOUT_MS)


def test_a_first_visit_playing_shows_one_toolbar(page, app_url):
    """Regression: the first run drew an empty block above the toolbar that the run the page asked
    for did not, and the browser kept the old toolbar's buttons in it until the run ended: while
    playing, a faded Play/Step/Reset row stayed above the real one (on a phone it pushed the
    views a screen down). The run-by-run paths are tested in tests/playground/test_first_visit.py."""
    page.goto(app_url)
    wait_for_app(page, selector="#epoch-counter")
    page.get_by_role("button", name="Play", exact=True).click()
    wait_for_epoch(page, lambda epoch: epoch >= 30)
    main = page.locator('[data-testid="stMain"]')
    assert main.get_by_role("button", name="Play", exact=True).count() == 0
    assert main.get_by_role("button", name="Pause", exact=True).count() == 1
    assert main.get_by_role("button", name="Step", exact=True).count() == 1
    page.get_by_role("button", name="Pause", exact=True).click()


COST_POINTS_JS = f"""() => {{
    const data = document.querySelector('{COST}')?.data;
    return data && Array.isArray(data[0]?.x) ? data[0].x.length : -1;
}}"""


def test_after_a_step_and_after_a_pause_the_cost_curve_grows_while_playing(page, app_url):
    """Regression (a fresh student's run): after any Step or Pause the curve came as plotly's
    base64 typed arrays, which Plotly.extendTraces refuses, and it stayed empty or froze while
    the counter ran ("cannot extend missing or non-array attribute: x" three times a second)."""
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    open_app(page, app_url)
    page.get_by_role("button", name="Step", exact=True).click()
    page.wait_for_function(f"() => ({COST_POINTS_JS})() === 1", timeout=TIMEOUT_MS)
    for _ in range(2):  # Step then Play; then Pause and Play again
        page.get_by_role("button", name="Play", exact=True).click()
        before = page.evaluate(COST_POINTS_JS)
        page.wait_for_function(f"(n) => ({COST_POINTS_JS})() > n + 20", arg=before, timeout=TIMEOUT_MS)
        page.get_by_role("button", name="Pause", exact=True).click()
        page.get_by_role("button", name="Play", exact=True).wait_for(timeout=TIMEOUT_MS)
    assert not [e for e in errors if "extend" in e], errors


COST_FIRST_JS = f"""() => {{
    const data = document.querySelector('{COST}')?.data;
    return data && Array.isArray(data[0]?.x) && data[0].x.length > 1 ? data[0].x[0] : null;
}}"""


def test_a_curve_started_by_play_or_by_a_new_layer_begins_at_epoch_one(page, app_url):
    """Regression (a fresh student's run, 3 of 3 at speed 50): the first frame of a Play came over
    the WebSocket before Streamlit had rendered the run's mounts, extended the old curve, and the
    mount's figure then replaced it: the curve began at epoch 51, its steepest part missing. The
    same after + layer while playing."""
    page.goto(app_url + "/?speed=50")
    wait_for_app(page, selector="#epoch-counter")
    page.locator(f"{COST} .main-svg").first.wait_for(timeout=TIMEOUT_MS)
    page.get_by_role("button", name="Play", exact=True).click()
    wait_for_epoch(page, lambda epoch: epoch >= 500)
    assert page.evaluate(COST_FIRST_JS) == 1
    page.locator(".pg-net-layers button").last.click()  # + layer, playing
    page.wait_for_function("() => document.querySelector('.pg-net-layers').textContent.includes('3 hidden')",
                           timeout=TIMEOUT_MS)
    changed = read_epoch(page)
    wait_for_epoch(page, lambda epoch: epoch >= changed + 200)
    assert page.evaluate(COST_FIRST_JS) == 1
    page.get_by_role("button", name="Pause", exact=True).click()


TOOLTIP = '[data-testid="stTooltipContent"]'
# Whether a click at the middle of the open tooltip would reach the tooltip itself.
TOOLTIP_TAKES_CLICKS_JS = f"""() => {{
    const tip = [...document.querySelectorAll('{TOOLTIP}')].find((t) => t.getClientRects().length);
    const r = tip.getBoundingClientRect();
    const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
    return Boolean(hit && hit.closest('{TOOLTIP}'));
}}"""


def test_a_help_tooltip_never_takes_a_click(page, app_url):
    """Regression (a fresh student's run at 1280x720): after "Start here", its tooltip (above the
    button, ~670 px wide) lay over Play, Step and Reset, stayed open while the pointer crossed it,
    and took the click meant for Play. Every help tooltip lets clicks through."""
    open_app(page, app_url)
    start = page.get_by_role("button", name="Start here: the article")
    start.click()
    wait_for_app(page, selector="#epoch-counter")
    start.hover()
    page.locator(TOOLTIP).first.wait_for(timeout=TIMEOUT_MS)
    assert not page.evaluate(TOOLTIP_TAKES_CLICKS_JS)
    play = page.get_by_role("button", name="Play", exact=True).bounding_box()
    page.mouse.move(play["x"] + play["width"] / 2, play["y"] + play["height"] / 2, steps=15)
    page.mouse.down()
    page.mouse.up()
    wait_for_epoch(page, lambda epoch: epoch > 0)
    page.get_by_role("button", name="Pause", exact=True).click()
    icons = page.locator('[data-testid="stMain"] [data-testid="stTooltipHoverTarget"]')
    assert icons.count() >= 3  # Test data, Discretize, Log loss, the view switches, ...
    for k in range(icons.count()):
        icons.nth(k).hover()
        page.locator(TOOLTIP).first.wait_for(timeout=TIMEOUT_MS)
        assert not page.evaluate(TOOLTIP_TAKES_CLICKS_JS), k
        page.mouse.move(0, 0)


LABEL_HELP = 'label:has(input[type="checkbox"]) [data-testid="stTooltipHoverTarget"]'


def test_a_click_on_a_help_icon_never_flips_its_switch_or_tickbox(page, app_url):
    """Regression (a fresh student's run): a help icon sits inside its control's <label>, so a
    click on the ? beside Projector turned projector mode on, and the ? beside Log loss ticked it
    (on a phone, a tap flipped it without showing the help). Every such icon on the page: a click
    shows its help and changes nothing."""
    open_app(page, app_url)
    icons = page.locator(LABEL_HELP)
    count = icons.count()
    assert count >= 6, count  # Advanced limits, Projector, Gradients, Cost landscape, Test data, ...
    url = page.url
    for k in range(count):
        icon = icons.nth(k)
        label = icon.locator("xpath=ancestor::label[1]")
        control = label.locator("input")
        before = control.is_checked()
        icon.click()
        page.wait_for_timeout(500)  # a flipped control would rerun the script and rewrite the URL
        assert control.is_checked() == before and page.url == url, (k, label.inner_text())
        page.mouse.move(0, 0)


def test_a_first_visit_fetches_no_script_chunk_between_its_bundle_and_its_first_picture(page, app_url):
    """The root page preloads the first run's chunks (playground.live.preload): none is asked for
    after DOMContentLoaded and before the first picture. Fails when the first run draws an element
    of a new kind, or a Streamlit upgrade renames a chunk: add it to FIRST_RUN_ELEMENTS."""
    page.add_init_script(f"({FIRST_SEEN_JS})()")
    page.goto(app_url)
    page.wait_for_function("() => window.__pgSeen && window.__pgSeen.picture", timeout=TIMEOUT_MS)
    late = page.evaluate("""() => {
        const ready = performance.getEntriesByType('navigation')[0].domContentLoadedEventStart;
        return performance.getEntriesByType('resource')
            .filter((r) => r.name.includes('/static/js/') && r.startTime > ready
                && r.startTime < window.__pgSeen.picture)
            .map((r) => r.name.split('/').pop());
    }""")
    assert late == []
    preloaded = page.evaluate("() => [...document.querySelectorAll('link[rel=modulepreload]')].length")
    assert preloaded > 60  # Streamlit's own (~60) and the first run's
