"""The article's lesson in a real browser: "Start here" opens The math at the top of the page, and
a click on a training point of the surface makes it the sample The math explains (ringed).

Uses the `page` and `app_url` fixtures of tests/e2e/conftest.py (the app served on 127.0.0.1).
"""

import pytest

from benchmarks.browser import wait_for_app
from tests.e2e.charts import SURFACE, TIMEOUT_MS

pytestmark = pytest.mark.e2e

MATH_TOP = ".st-key-math_top"  # The math's container at the top (playground/session/keys.py)
# The training point farthest from its nearest neighbour (a click near it cannot mean another),
# its index in the training set (the train trace keeps the set's order) and its page coordinates.
ISOLATED_POINT_JS = f"""() => {{
    const gd = document.querySelector('{SURFACE}');
    const index = gd.data.findIndex((t) => t.name === 'train');
    const points = gd.calcdata[index].map((p) => [p.x, p.y]);
    let best = -1, bestGap = -1;
    points.forEach(([x, y], i) => {{
        let gap = Infinity;
        points.forEach(([u, v], j) => {{ if (i !== j) gap = Math.min(gap, Math.hypot(x - u, y - v)); }});
        if (gap > bestGap) {{ best = i; bestGap = gap; }}
    }});
    const [x, y] = points[best];
    const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis, box = gd.getBoundingClientRect();
    return {{index: best, x, y, gap: bestGap,
             px: box.left + xa._offset + xa.l2p(x), py: box.top + ya._offset + ya.l2p(y)}};
}}"""
RING_JS = f"""() => {{
    const gd = document.querySelector('{SURFACE}');
    const ring = gd && gd.data && gd.data.find((t) => t.name === 'explained');
    return ring ? [Number(ring.x[0]), Number(ring.y[0])] : null;
}}"""


def top(page, selector: str) -> float:
    return page.locator(selector).first.bounding_box()["y"]


def test_start_here_shows_the_math_on_top_and_a_click_picks_the_sample(page, app_url):
    page.goto(app_url)
    wait_for_app(page, selector="#epoch-counter")
    assert page.locator(MATH_TOP).count() == 0  # the default page keeps The math below
    page.get_by_role("button", name="Start here").click()
    page.locator(f"{MATH_TOP} .katex-display").first.wait_for(state="visible", timeout=TIMEOUT_MS)
    wait_for_app(page, selector="#epoch-counter")
    page.wait_for_function(f"() => ({RING_JS})() !== null", timeout=TIMEOUT_MS)
    math_top = top(page, MATH_TOP)
    # no chart starts above it (on a wide screen the surface stands beside it, the diagram below)
    assert math_top < top(page, ".pg-network") and math_top <= top(page, ".pg-surface")
    assert page.locator(".katex-error").count() == 0

    target = page.evaluate(ISOLATED_POINT_JS)
    assert target["gap"] > 0.2 and target["index"] != 0  # the sample shown at first is 0
    page.mouse.move(target["px"], target["py"])
    page.mouse.click(target["px"], target["py"])
    sample = page.get_by_role("spinbutton", name="Sample")
    page.wait_for_function("([sel, want]) => document.querySelector(sel)?.value === want",
                           arg=[f'{MATH_TOP} input[aria-label="Sample"]', str(target["index"])],
                           timeout=TIMEOUT_MS)
    wait_for_app(page, selector="#epoch-counter")
    assert sample.input_value() == str(target["index"])
    page.wait_for_function(f"([x, y]) => {{ const r = ({RING_JS})(); return r && Math.abs(r[0] - x) < 1e-4"
                           " && Math.abs(r[1] - y) < 1e-4; }", arg=[target["x"], target["y"]],
                           timeout=TIMEOUT_MS)
