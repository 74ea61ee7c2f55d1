"""What the browser tests read from the page's plotly charts.

Paused, a chart is an st.plotly_chart; while playing, a live chart (playground/live_chart.py): a
plotly div of class pg-live-chart. CHARTS matches either, in page order (network, surface, cost).
"""

TIMEOUT_MS = 30_000
CHARTS = '[data-testid="stPlotlyChart"], .pg-live-chart'
PAUSED_CHARTS = '[data-testid="stPlotlyChart"]'
LIVE_CHARTS = ".pg-live-chart"
CHART_COUNT_JS = f"""(n) => [...document.querySelectorAll('{CHARTS}')]
    .filter((chart) => chart.querySelector('.main-svg')).length >= n"""
# The decision surface is the second chart; plotly paints a heatmap as one <image> element.
SURFACE_IMAGE_JS = f"""() => {{
    const charts = document.querySelectorAll('{CHARTS}');
    const image = charts.length > 1 ? charts[1].querySelector('.heatmaplayer image') : null;
    return image ? image.getAttribute('href') : null;
}}"""
