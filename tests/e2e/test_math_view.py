"""The math view in a real browser: KaTeX typeset every formula, no raw LaTeX left on the page.

Uses the `page` and `app_url` fixtures of tests/e2e/conftest.py (the app served on 127.0.0.1).
The math view sits under a tab or an expander labelled "The math".
"""

from pathlib import Path

import pytest

from benchmarks.browser import running_app, wait_for_app

pytestmark = pytest.mark.e2e

MATH_LABEL = "The math"
TIMEOUT_MS = 30_000
# Text the page shows outside KaTeX's own markup (its hidden MathML copy keeps the TeX source).
VISIBLE_TEXT_JS = """() => {
    const main = document.querySelector('[data-testid="stMain"]') || document.body;
    const copy = main.cloneNode(true);
    copy.querySelectorAll('.katex-mathml, annotation, script, style').forEach(e => e.remove());
    return copy.innerText;
}"""


def test_math_view_typesets_the_formulas_with_katex(page, app_url):
    page.goto(app_url)
    page.get_by_text(MATH_LABEL, exact=True).first.click(timeout=TIMEOUT_MS)
    rendered = page.locator(".katex-display .katex-html")
    rendered.first.wait_for(state="visible", timeout=TIMEOUT_MS)
    page.get_by_text("4 · Gradient descent").wait_for(state="visible", timeout=TIMEOUT_MS)
    assert rendered.count() >= 8  # forward (2), loss, backprop (4+), update (2+)
    assert page.locator(".katex-error").count() == 0  # KaTeX shows parse errors as red source
    text = page.evaluate(VISIBLE_TEXT_JS)
    for raw in ("\\frac", "\\partial", "\\leftarrow", "$$"):
        assert raw not in text, f"raw LaTeX {raw!r} visible on the page"
    assert "Backpropagation" in text


EXTREMES = Path(__file__).resolve().parent / "math_extremes_app.py"


def test_huge_and_non_finite_numbers_typeset_without_katex_errors(page):
    """Every formula of networks whose numbers overflow (10^200, ∞, NaN) typesets cleanly."""
    with running_app(app=EXTREMES) as url:
        page.goto(url)
        wait_for_app(page, timeout=TIMEOUT_MS / 1000)
        page.get_by_text("4 · Gradient descent").wait_for(state="visible", timeout=TIMEOUT_MS)
        rendered = page.locator(".katex-display .katex-html")
        # KaTeX typesets after the text is on the page (its chunk loads lazily): wait for all of it
        page.wait_for_function("() => document.querySelectorAll('.katex-display .katex-html').length >= 100",
                               timeout=TIMEOUT_MS)
        assert rendered.count() >= 100
        assert page.locator(".katex-error").count() == 0
        text = page.evaluate(VISIBLE_TEXT_JS)
        for raw in ("\\frac", "\\infty", "\\text", "$$"):
            assert raw not in text, f"raw LaTeX {raw!r} visible on the page"
        assert "∞" in text and "NaN" in text and "10200" in text.replace("\n", "")  # 10^200
        assert "Traceback" not in text and "Error" not in text
