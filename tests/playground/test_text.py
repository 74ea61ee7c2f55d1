"""The page's one number format and its user-text helpers (plain pytest + hypothesis)."""

import math
import re
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from playground.settings.text import (
    CLIP_CHARS,
    NUMBER_WIDTH,
    clip,
    latex_number,
    markdown_literal,
    number,
    percent,
    quoted,
)
from tests.playground.session import all_escaped, shown


def parse(text: str) -> float:
    return {"NaN": math.nan, "∞": math.inf, "−∞": -math.inf}.get(text) or float(text)


@pytest.mark.parametrize(("value", "text"), [
    (0.026172, "0.02617"), (3.14159, "3.142"), (2.5, "2.5"), (100, "100"), (0.0, "0"),
    (1.7123e271, "1.712e+271"), (-1.7123e271, "-1.71e+271"), (123456.7, "1.235e+05"),
    (0.000999, "9.99e-04"), (-0.001234, "-0.001234"), (1.7976931348623157e308, "1.798e+308"),
    (math.nan, "NaN"), (math.inf, "∞"), (-math.inf, "−∞"),
])
def test_numbers_print_compactly(value, text):
    assert number(value) == text


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_every_float_fits_the_width_and_reads_back(value):
    text = number(value)
    assert len(text) <= NUMBER_WIDTH
    back = parse(text)
    if math.isnan(value):
        assert math.isnan(back)
    elif math.isinf(value) or value == 0:
        assert back == value
    else:  # as decimals: 1.7975e308 prints as 1.798e+308, beyond the largest float
        assert abs(Decimal(text) - Decimal(value)) <= Decimal(5e-3) * abs(Decimal(value))


@pytest.mark.parametrize(("value", "latex"), [
    (1.7123e271, r"1.712 \times 10^{271}"), (0.5, "0.5"), (math.nan, r"\text{NaN}"),
    (math.inf, r"\infty"), (-math.inf, r"-\infty"), (-2.5e-7, r"-2.5 \times 10^{-7}"),
])
def test_latex_numbers(value, latex):
    assert latex_number(value) == latex


def test_percent_names_the_undefined():
    assert percent(0.9523) == "95.2 %" and percent(math.nan) == "—"


@given(st.text())
def test_clip_is_one_line_and_bounded(text):
    clipped = clip(text)
    assert len(clipped) <= CLIP_CHARS and "\n" not in clipped and "\r" not in clipped
    if len(text) <= CLIP_CHARS and not re.search(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", text):
        assert clipped == text
    assert quoted(text) == f"'{clipped}'"


@given(st.text())
@example("a http://evil.example b")
@example("`x` www.evil.example/`y`")
@example("mail me: a@b.co")
def test_markdown_literal_escapes_every_mark_and_codes_what_would_autolink(text):
    escaped = markdown_literal(text)
    assert shown(escaped) == re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+", " ", text)
    assert all_escaped(escaped)  # marks escaped, only words that would autolink in code spans


CONTROL_RUNS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


@given(st.lists(st.sampled_from(["a", "é", "\x00", "\n", "\u2028", "\x9f", "[x](y)"]), max_size=400),
       st.integers(2, 60))
@example(["\x00"] * 300 + ["a"] * 300, 40)  # a long run of control characters before the text
def test_clip_of_a_long_text_is_the_clip_of_the_whole_text_cleaned(parts, limit):
    """clip cleans a long text only as far as it shows: the same as cleaning it all, then cutting."""
    text = "".join(parts)
    whole = CONTROL_RUNS.sub(" ", text)
    assert clip(text, limit) == (whole if len(whole) <= limit else whole[:limit - 1] + "…")
