"""What the browser tests read from the page's live view (playground/live/assets/stage.js).

The views are elements of class pg-stats, pg-network (a canvas), pg-surface and pg-cost (plotly
charts, the surface's picture a layout image); compare mode adds a second surface and cost
curve. Each view is the same element paused and playing (frames update it in place).
"""

TIMEOUT_MS = 30_000
NETWORK = ".pg-network canvas"
SURFACE = ".pg-surface .pg-plotly"
COST = ".pg-cost .pg-plotly"
VIEWS = ".pg-network, .pg-surface, .pg-cost"
_SHOWN = "[...document.querySelectorAll(sel)].filter((e) => e.getClientRects().length)"
# The three charts are on the page: the diagram drawn, the surface and the cost curve plotted.
CHARTS_READY_JS = f"""() => {{
    const shown = (sel) => {_SHOWN};
    return shown('{NETWORK}').length >= 1 && shown('{SURFACE}').some((c) => c.querySelector('.main-svg'))
        && shown('{COST}').some((c) => c.querySelector('.main-svg'));
}}"""
CHART_COUNT_JS = f"""(n) => {{
    const shown = (sel) => {_SHOWN};
    return shown('.pg-plotly').filter((c) => c.querySelector('.main-svg')).length
        + shown('{NETWORK}').length >= n;
}}"""
# The surface's picture: the href of the plotly layout image (a data: or blob: URL), or null.
SURFACE_IMAGE_JS = f"""(index) => {{
    const charts = [...document.querySelectorAll('{SURFACE}')];
    const chart = charts[index || 0];
    const image = chart ? chart.querySelector('.layer-below image, .imagelayer image') : null;
    return image ? image.getAttribute('href') : null;
}}"""
# A fingerprint of what the diagram's canvas shows now.
NETWORK_PICTURE_JS = f"""() => {{
    const canvas = document.querySelector('{NETWORK}');
    return canvas ? canvas.toDataURL().slice(-200) + canvas.width : null;
}}"""
# The number of displayed views in each of the next n animation frames (a view missing from
# one of them blinks).
VIEWS_PER_ANIMATION_FRAME_JS = f"""(n) => new Promise((resolve) => {{
    const counts = [];
    const tick = () => {{
        const sel = '{VIEWS}';
        counts.push({_SHOWN}.length);
        counts.length < n ? requestAnimationFrame(tick) : resolve(counts);
    }};
    requestAnimationFrame(tick);
}})"""
# Page coordinates of a link's midpoint or a neuron's centre in the diagram.
LOCATE_JS = "([kind, index]) => window.__pgLocate(kind, index)"
