"""The multiply-check of rendered formulas (tests/playground/latex_check.py) checks what it
should: true lines pass, false ones fail, lines with symbols or non-finite values are skipped."""

import pytest

from tests.playground.latex_check import Interval, check_line, evaluate, printed

HOLDS = [  # (line, arithmetic pairs it has): each true to 4 significant digits
    (r"\delta = \frac{\partial C}{\partial a}\cdot\frac{\partial a}{\partial z} = (-0.2) \cdot 0.5 "
     r"= -0.1", 1),
    (r"L_s = (1 - 0.7311)^2 = 0.0723", 1),
    (r"L_s = -\left[1 \ln 0.7311 + 0 \ln 0.2689\right] = 0.3133", 1),
    (r"\hat y = \tanh(z) = \tanh(0.5) = 0.4621", 1),
    (r"a = \sigma(0.5) = 0.6225", 1),
    (r"a = \operatorname{softplus}(0.3) = 0.8544", 1),
    (r"a = \operatorname{ELU}(-1) = -0.6321", 1),
    (r"x = \cos(-0.3) = 0.9553", 1),
    (r"x = \sin(1.571) = 1", 1),
    (r"g = \frac{2}{40 \cdot 3}(0.3 - 1) = -0.01167", 1),
    (r"y = \frac{e^{0.5}}{e^{0.5} + e^{-1} + e^{2}} = 0.1753", 1),
    (r"w \leftarrow w - \alpha g = -0.5 - 0.03 \cdot (-0.2) = -0.494", 1),
    (r"z = 1.5 \times 10^{-7} + 2 = 2", 1),
    (r"L = \ln(1 + e^{40}) - 0 \cdot 40 = 40", 1),
    (r"x = 3 = 3 = 3", 2),
]
FAILS = [
    r"\delta = (-0.2) \cdot 0.5 = -0.2",  # a wrong product
    r"\delta = 0.1575 \cdot 0.2459 = 0.03826",  # a summed factor times a mean one (the old batch view)
    r"a = \tanh(0.5) = 0.5",
    r"L_s = (1 - 0.7311)^2 = 0.07",  # off by more than the printed precision
    r"x = 3 = 3 = 4",
]
SKIPPED = [r"z = \infty = 5", r"[0.5 > 0] = 1", r"\frac{\partial a}{\partial z} = 1-\tanh^2 z",
           r"x = \text{NaN} = 1", r"C = \ln 0 = 3", r"\Delta w = (0.1, 0.2), \quad \Delta b = 0.3"]


@pytest.mark.parametrize(("line", "pairs"), HOLDS)
def test_true_lines_hold(line, pairs):
    assert check_line(line) == pairs


@pytest.mark.parametrize("line", FAILS)
def test_false_lines_fail(line):
    with pytest.raises(AssertionError):
        check_line(line)


@pytest.mark.parametrize("line", SKIPPED)
def test_symbols_and_non_finite_values_are_skipped(line):
    assert check_line(line) == 0


def test_a_printed_number_stands_for_its_rounding_interval():
    assert printed("0.1235") == Interval(pytest.approx(0.12345), pytest.approx(0.12355))
    assert printed("2") == Interval(pytest.approx(1.9995), pytest.approx(2.0005))
    assert printed("1.5 \\times 10^{-7}") == Interval(pytest.approx(1.4995e-7), pytest.approx(1.5005e-7))
    three_digits = printed("1.71 \\times 10^{-271}")  # settings.text keeps 3 digits here
    assert three_digits.hi - three_digits.lo == pytest.approx(1e-273)
    assert evaluate("0") == Interval(0.0, 0.0)
