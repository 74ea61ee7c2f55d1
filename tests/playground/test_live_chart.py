"""Live charts: while playing, the three charts go to the browser as the live-chart component,
each frame's payload carrying the same figure st.plotly_chart would get; paused, plotly charts.
(The browser side, one plotly div updated in place, is tested in tests/e2e/test_playground.py.)"""

import html
import json
import re

import plotly.graph_objects as go
import plotly.io as pio

from playground.figures.cost import cost_curve_figure
from playground.live import chart as live_chart
from tests.playground.session import app

FRAME = re.compile(r'<div class="pg-live-data" data-slot="(\w+)" hidden>(.*)</div>', re.S)


def read_frame(element_html: str) -> dict:
    slot, text = FRAME.fullmatch(element_html).groups()
    return {"slot": slot, **json.loads(html.unescape(text))}


def live_payloads(at) -> list[dict]:
    """The frames the live charts hold (their hidden data elements), in page order."""
    return [read_frame(e.proto.body) for e in at.get("html")
            if e.proto.body.startswith('<div class="pg-live-data"')]


def test_a_frame_holds_the_figure_json_with_the_slot_and_size():
    figure = cost_curve_figure([1, 2, 3], [0.5, 0.4, 0.3], [0.6, 0.5, 0.45])
    expected = json.loads(pio.to_json(figure, validate=False))
    data = read_frame(live_chart.frame_html(figure, "cost", 190, {"displaylogo": False}))
    assert data["slot"] == "cost" and data["height"] == 190
    assert data["config"] == {"displaylogo": False, "responsive": True}
    assert data["figure"] == expected
    assert data["src"].endswith("/plotly.min.js")


def test_plotly_js_is_served_from_the_installed_plotly_package():
    assert (live_chart.PLOTLY_DIR / "plotly.min.js").stat().st_size > 1_000_000
    assert "export default function" in live_chart.SCRIPT.read_text()


def live_components(at) -> list:
    return [e for e in at.main if getattr(e, "type", "") == "bidi_component"]


def test_playing_draws_live_charts_and_pausing_draws_plotly_charts():
    at = app(speed="5")
    assert not live_payloads(at) and len(at.get("plotly_chart")) == 3
    at.session_state["max_frames"] = 4
    at.button(key="play").click().run()
    # one component per chart for the whole run (stable keys), its data element rewritten per frame
    assert [e.proto.bytes for e in live_components(at)] == [b"network", b"surface", b"cost"]
    payloads = live_payloads(at)
    assert [p["slot"] for p in payloads] == ["network", "surface", "cost"]
    assert all(p["figure"]["layout"]["height"] == p["height"] > 0 for p in payloads)
    trace_types = {p["slot"]: {t["type"] for t in p["figure"]["data"]} for p in payloads}
    assert "heatmap" in trace_types["surface"] and trace_types["cost"] == {"scatter"}
    assert not at.session_state["playing"]  # max_frames spent: the loop ended, as a Pause would
    at.run()
    assert not live_payloads(at) and not live_components(at) and len(at.get("plotly_chart")) == 3


def test_a_figure_in_a_payload_is_a_valid_plotly_figure():
    at = app(speed="5")
    at.session_state["max_frames"] = 1
    at.button(key="play").click().run()
    for p in live_payloads(at):
        go.Figure(p["figure"])  # plotly's validation raises on anything it would not draw
