"""Every number and every user-supplied string the page prints goes through here.

Numbers: one compact format everywhere (stats row, metrics, math view, hover text, the editor):
at most NUMBER_WIDTH characters, `digits` significant digits, scientific notation outside
[1e-3, 1e6), NaN and ±∞ by name ("NaN", "∞", "−∞"). A diverged loss of 10²⁷¹ prints as
"1.71e+271", never as 277 digits.

User text (link values, file names, CSV cells, session-file fields): `clip` cuts it to
CLIP_CHARS characters on one line; `markdown_literal` escapes it so that Markdown, KaTeX,
Streamlit's directives (:red[…], :material/…:) and HTML all render as the characters typed.
"""

from __future__ import annotations

import math
import re

NUMBER_WIDTH = 10  # "-1.71e+271" is the widest a float prints
CLIP_CHARS = 40
NAN, INF, NEG_INF = "NaN", "∞", "−∞"
_FIXED_RANGE = (1e-3, 1e6)  # |x| in this range prints in fixed notation
# CommonMark lets a backslash escape any ASCII punctuation; KaTeX's $ and Streamlit's : too.
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def number(value: float, digits: int = 4) -> str:
    """`value` in at most NUMBER_WIDTH characters: "0.02617", "3.142", "1.71e+271", "NaN", "∞".

    digits: significant digits (1-4 keep every output within NUMBER_WIDTH).
    Raises TypeError for a value that is not a real number.
    """
    value = float(value)
    if math.isnan(value):
        return NAN
    if math.isinf(value):
        return INF if value > 0 else NEG_INF
    if value == 0:
        return "0"
    if _FIXED_RANGE[0] <= abs(value) < _FIXED_RANGE[1]:
        text = f"{value:.{digits}g}"
        if "e" not in text:
            return text
    for kept in range(max(digits, 1), 0, -1):  # a three-digit exponent leaves room for fewer
        mantissa, exponent = f"{value:.{kept - 1}e}".split("e")
        mantissa = mantissa.rstrip("0").rstrip(".") if "." in mantissa else mantissa
        text = f"{mantissa}e{int(exponent):+03d}"
        if len(text) <= NUMBER_WIDTH:
            break
    return text


def latex_number(value: float, digits: int = 4) -> str:
    """`number(value)` as LaTeX: 1.71 \\times 10^{271}, \\text{NaN}, \\infty, -\\infty."""
    text = number(value, digits)
    if text in (NAN, INF, NEG_INF):
        return {NAN: r"\text{NaN}", INF: r"\infty", NEG_INF: r"-\infty"}[text]
    if "e" in text:
        mantissa, exponent = text.split("e")
        return rf"{mantissa} \times 10^{{{int(exponent)}}}"
    return text


def percent(value: float) -> str:
    """A fraction as a percentage with one decimal ("95.2 %"); "—" when undefined (NaN)."""
    value = float(value)
    return f"{100 * value:.1f} %" if math.isfinite(value) else "—"


def clip(text: object, limit: int = CLIP_CHARS) -> str:
    """User text on one line, control characters removed, at most `limit` characters ("…" marks
    a cut). Plain text: escape it with `markdown_literal` where Markdown renders."""
    text = _CONTROL.sub(" ", str(text))
    return text if len(text) <= limit else text[:limit - 1] + "…"


def quoted(text: object, limit: int = CLIP_CHARS) -> str:
    """`clip(text)` between quotes, for messages: 'abc'."""
    return f"'{clip(text, limit)}'"


def markdown_literal(text: str) -> str:
    """`text` escaped so that st.markdown (and st.info, st.error, …) shows exactly its characters:
    every ASCII punctuation mark gets a backslash (CommonMark escapes it; that covers Markdown
    links and images, emphasis, code, HTML tags, KaTeX's $ and Streamlit's :directives:)."""
    return _PUNCTUATION.sub(r"\\\1", _CONTROL.sub(" ", text))
