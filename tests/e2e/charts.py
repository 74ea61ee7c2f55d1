"""What the browser tests read from the page's plotly charts."""

TIMEOUT_MS = 30_000
CHARTS = '[data-testid="stPlotlyChart"]'
CHART_COUNT_JS = "(n) => document.querySelectorAll('[data-testid=\"stPlotlyChart\"] .main-svg').length >= n"
# The decision surface is the second chart; plotly paints a heatmap as one <image> element.
SURFACE_IMAGE_JS = """() => {
    const image = document.querySelectorAll('[data-testid="stPlotlyChart"]')[1]
        .querySelector('.heatmaplayer image');
    return image ? image.getAttribute('href') : null;
}"""
