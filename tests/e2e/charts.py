"""What the browser tests read from the page's plotly charts.

Paused, a chart is an st.plotly_chart; while playing, a live chart (playground/live_chart.py): a
plotly div of class pg-live-chart. CHARTS matches either, in page order (network, surface, cost).
While playing, Streamlit keeps the paused run's charts in the page, hidden (display: none), until
the run ends: the scripts below count only charts that are displayed.
"""

TIMEOUT_MS = 30_000
CHARTS = '[data-testid="stPlotlyChart"], .pg-live-chart'
LIVE_CHARTS = ".pg-live-chart"
_SHOWN = f"[...document.querySelectorAll('{CHARTS}')].filter((c) => c.getClientRects().length)"
CHART_COUNT_JS = f"(n) => {_SHOWN}.filter((chart) => chart.querySelector('.main-svg')).length >= n"
# The decision surface is the second chart; plotly paints a heatmap as one <image> element.
SURFACE_IMAGE_JS = f"""() => {{
    const charts = {_SHOWN};
    const image = charts.length > 1 ? charts[1].querySelector('.heatmaplayer image') : null;
    return image ? image.getAttribute('href') : null;
}}"""
# The number of displayed live charts in each of the next n animation frames (a chart missing
# from one of them blinks).
LIVE_CHARTS_PER_ANIMATION_FRAME_JS = f"""(n) => new Promise((resolve) => {{
    const counts = [];
    const tick = () => {{
        counts.push([...document.querySelectorAll('{LIVE_CHARTS}')]
            .filter((chart) => chart.getClientRects().length).length);
        counts.length < n ? requestAnimationFrame(tick) : resolve(counts);
    }};
    requestAnimationFrame(tick);
}})"""
