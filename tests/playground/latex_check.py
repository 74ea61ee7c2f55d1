"""Do a rendered formula's numbers add up? For the math view's tests.

`check_line` splits a LaTeX line at its "=" signs and evaluates every side that is plain
arithmetic on printed numbers (+, −, ·, implied products, fractions, squares, ln, e^, and the
activations by their LaTeX names), in interval arithmetic: each printed number stands for every
value that prints that way (4 significant digits, 3 with a three-digit exponent, as
settings.text.number prints them). Two neighbouring arithmetic sides must share a value. Sides
with symbols (z, \\hat y, \\sum_s, ...) are skipped; so are sides whose interval is not finite.

The functions are written here with plain math, independently of core.activations.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

SLACK = 1e-9  # relative: float rounding of the values behind the printed numbers


@dataclass(frozen=True)
class Interval:
    lo: float
    hi: float

    def __add__(self, other: Interval) -> Interval:
        return Interval(self.lo + other.lo, self.hi + other.hi)

    def __neg__(self) -> Interval:
        return Interval(-self.hi, -self.lo)

    def __sub__(self, other: Interval) -> Interval:
        return self + -other

    def __mul__(self, other: Interval) -> Interval:
        products = [a * b for a in (self.lo, self.hi) for b in (other.lo, other.hi)]
        return Interval(min(products), max(products))

    def __truediv__(self, other: Interval) -> Interval:
        if other.lo <= 0 <= other.hi:
            raise NotCheckable("division by an interval around 0")
        return self * Interval(1 / other.hi, 1 / other.lo)

    def square(self) -> Interval:
        ends = sorted((self.lo * self.lo, self.hi * self.hi))
        return Interval(0.0 if self.lo <= 0 <= self.hi else ends[0], ends[1])

    def overlaps(self, other: Interval) -> bool:
        tol = SLACK * max(abs(self.lo), abs(self.hi), abs(other.lo), abs(other.hi)) + 1e-300
        return self.lo - tol <= other.hi and other.lo - tol <= self.hi


class NotArithmetic(ValueError):
    """The side has symbols: not a calculation on printed numbers."""


class NotCheckable(ValueError):
    """Arithmetic, but its interval is not finite (∞, NaN, ln of ≤ 0, overflow)."""


def printed(text: str) -> Interval:
    """Every value that `settings.text.number` prints as `text` ("0.1235", "1.5 \\times 10^{-7}")."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)(?:\s*\\times\s*10\^\{(-?\d+)\})?", text.strip())
    if match is None:
        raise NotArithmetic(text)
    exponent = int(match[2] or 0)
    value = float(match[1]) * 10.0 ** exponent
    if value == 0:
        return Interval(0.0, 0.0)
    digits = 3 if abs(exponent) >= 100 else 4
    half = 0.5 * 10.0 ** (math.floor(math.log10(value)) - digits + 1)
    return Interval(value - half, value + half)


def _monotone(f: Callable[[float], float]) -> Callable[[Interval], Interval]:
    return lambda x: Interval(f(x.lo), f(x.hi))


def _periodic(f: Callable[[float], float], peaks: float) -> Callable[[Interval], Interval]:
    """sin/cos: the ends, and every extremum (at peaks + kπ) inside the interval."""
    def apply(x: Interval) -> Interval:
        if x.hi - x.lo > 2 * math.pi:
            return Interval(-1.0, 1.0)
        k = math.ceil((x.lo - peaks) / math.pi)
        values = [f(x.lo), f(x.hi)]
        while peaks + k * math.pi <= x.hi:
            values.append(f(peaks + k * math.pi))
            k += 1
        return Interval(min(values), max(values))
    return apply


def _ln(x: float) -> float:
    if x <= 0:
        raise NotCheckable("ln of a value <= 0")
    return math.log(x)


def _exp(x: float) -> float:
    return math.exp(x) if x < 700 else math.inf


FUNCTIONS: dict[str, Callable[[Interval], Interval]] = {
    r"\ln": _monotone(_ln),
    r"\tanh": _monotone(math.tanh),
    r"\sigma": _monotone(lambda x: 1 / (1 + _exp(-x)) if x > -700 else 0.0),
    r"\operatorname{ReLU}": _monotone(lambda x: max(x, 0.0)),
    r"\operatorname{LeakyReLU}": _monotone(lambda x: x if x > 0 else 0.01 * x),
    r"\operatorname{id}": _monotone(lambda x: x),
    r"\operatorname{ELU}": _monotone(lambda x: x if x > 0 else math.expm1(x)),
    r"\operatorname{softplus}": _monotone(lambda x: x + math.log1p(math.exp(-x)) if x > 0
                                          else math.log1p(math.exp(x))),
    r"\sin": _periodic(math.sin, math.pi / 2),
    r"\cos": _periodic(math.cos, 0.0),
}
_TOKEN = re.compile(
    r"(?P<num>\d+(?:\.\d+)?(?:\s*\\times\s*10\^\{-?\d+\})?)"
    r"|(?P<cmd>\\left[(\[]|\\right[)\]]|\\frac|\\cdot|\\infty|\\text\{NaN\}"
    + "".join("|" + re.escape(name) for name in sorted(FUNCTIONS, key=len, reverse=True)) + ")"
    r"|(?P<space>\s+|\\[,;!])"
    r"|(?P<op>[-+()\[\]{}^]|e(?=\^))"
)
_CLOSING = {"(": ")", "[": "]", r"\left(": r"\right)", r"\left[": r"\right]"}


def tokens(side: str) -> list[str]:
    found, at = [], 0
    while at < len(side):
        match = _TOKEN.match(side, at)
        if match is None:
            raise NotArithmetic(side[at:at + 20])
        if match.lastgroup != "space":
            found.append(match.group())
        at = match.end()
    return found


class _Parser:
    """expr := [±] term {± term};  term := unary {[\\cdot] unary};  unary := − unary | power;
    power := primary [^2];  primary := number | (expr) | [expr] | \\frac{expr}{expr} |
    function power | e^{expr}."""

    def __init__(self, side: str):
        self.tokens, self.at = tokens(side), 0

    def peek(self) -> str | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self, expected: str | None = None) -> str:
        token = self.peek()
        if token is None or (expected is not None and token != expected):
            raise NotArithmetic(f"expected {expected!r}, got {token!r}")
        self.at += 1
        return token

    def parse(self) -> Interval:
        if not self.tokens:
            raise NotArithmetic("empty")
        value = self.expr()
        if self.peek() is not None:
            raise NotArithmetic(f"left over: {self.peek()!r}")
        return value

    def expr(self) -> Interval:
        sign = self.take() if self.peek() in ("-", "+") else "+"
        value = self.term()
        value = -value if sign == "-" else value
        while self.peek() in ("+", "-"):
            op, right = self.take(), self.term()
            value = value + right if op == "+" else value - right
        return value

    def term(self) -> Interval:
        value = self.unary()
        while True:
            token = self.peek()
            if token == r"\cdot":
                self.take()
            elif not (token in _CLOSING or token in FUNCTIONS or token in (r"\frac", "e")):
                return value
            value = value * self.unary()

    def unary(self) -> Interval:
        if self.peek() == "-":
            self.take()
            return -self.unary()
        return self.power()

    def power(self) -> Interval:
        value = self.primary()
        if self.peek() == "^":
            self.take()
            braced = self.peek() == "{"
            if braced:
                self.take()
            self.take("2")
            if braced:
                self.take("}")
            value = value.square()
        return value

    def primary(self) -> Interval:
        token = self.take()
        if token in _CLOSING:
            value = self.expr()
            self.take(_CLOSING[token])
            return value
        if token == r"\frac":
            top = self.braced()
            return top / self.braced()
        if token in FUNCTIONS:
            return FUNCTIONS[token](self.power())
        if token == "e":
            self.take("^")
            return _monotone(_exp)(self.braced())
        if token in (r"\infty", r"\text{NaN}"):
            raise NotCheckable(token)
        return printed(token)

    def braced(self) -> Interval:
        self.take("{")
        value = self.expr()
        self.take("}")
        return value


def evaluate(side: str) -> Interval | None:
    """The interval of an arithmetic side; None for a side with symbols or a non-finite value."""
    try:
        value = _Parser(side).parse()
    except (NotArithmetic, NotCheckable):
        return None
    except (OverflowError, ZeroDivisionError):
        return None
    if not (math.isfinite(value.lo) and math.isfinite(value.hi)):
        return None
    return value


def check_line(line: str) -> int:
    """How many neighbouring pairs of arithmetic sides the line has; AssertionError naming the
    line when one pair does not agree to the printed precision."""
    sides = [evaluate(side) for side in line.split("=")]
    checked = 0
    for left, right in zip(sides[:-1], sides[1:], strict=True):
        if left is None or right is None:
            continue
        assert left.overlaps(right), f"{left} != {right} in: {line}"
        checked += 1
    return checked
