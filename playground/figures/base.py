"""What every figure shares: the input square, the font, and a lean figure without validation.

The app re-sends every figure to the browser on each animation frame, so each builder keeps
its figure small: ``template="none"``, compact dtypes (plotly sends numpy arrays as base64),
few traces, and a fixed ``uirevision`` so a user's zoom survives updates. ``figure`` skips
plotly's property validation (a fifth of the server's time per frame under load; the tests
validate every builder's output instead). Colours follow ``figures.colors``: orange is class 0 /
negative, blue is class 1 / positive.
"""

import plotly.graph_objects as go

from playground.figures.colors import INK, TRANSPARENT

INPUT_RANGE = (-6.0, 6.0)
CHART_CONFIG = {"displayModeBar": "hover", "modeBarButtons": [["toImage"]], "displaylogo": False,
                "toImageButtonOptions": {"format": "png", "scale": 2}}  # plotly's own PNG export
FONT = {"family": "Roboto, Helvetica, Arial, sans-serif", "size": 11, "color": INK}


def figure(traces: list[dict], layout: dict) -> go.Figure:
    """A Figure from trusted trace and layout dicts, without plotly's per-property validation."""
    return go.Figure(traces, layout, _validate=False)


def layout(uirevision: str, **entries) -> dict:
    """A layout: no template, small font, transparent background, then ``entries``.

    Figures get their layout at construction: ``fig.update_layout`` costs ~10x more time.
    """
    return {
        "template": "none",
        "font": FONT,
        "uirevision": uirevision,
        "paper_bgcolor": TRANSPARENT,
        "plot_bgcolor": TRANSPARENT,
        "hoverlabel": {"bgcolor": "#FFFFFF", "bordercolor": "#999999", "font": {"size": 11}},
        "showlegend": False,
        **entries,
    }
