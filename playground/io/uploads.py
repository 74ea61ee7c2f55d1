"""The user's own points: a strict CSV reader and validator, and the Dataset built from them.

The format (also shown in the app): a header row, then one point per line, comma-separated.
    x1,x2,label     classification: classes 0, 1 (, 2, 3), at least two of them
    x1,x2,value     regression: a number per point, ideally in [-1, 1]
Every failure is one ValueError whose message names the line or the column. Points outside the
input square are shifted and scaled into it (one factor for both axes, so shapes keep their
aspect), regression values outside [-1, 1] are divided into it; a notice says so.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass

import numpy as np

from core import DOMAIN, MAX_SAMPLES, Dataset, split_dataset

Array = np.ndarray
MAX_BYTES = 1_000_000  # 1 MB, checked before anything is parsed
MIN_ROWS = 4
MAX_ROWS = MAX_SAMPLES
MAX_CLASSES = 4
KIND_COLUMN = {"classification": "label", "regression": "value"}
FORMAT_HELP = (f"A CSV file with a header row and the columns x1, x2, label (classes 0–{MAX_CLASSES - 1}, "
               f"at least two) or x1, x2, value (regression); {MIN_ROWS}–{MAX_ROWS} rows, at most 1 MB. "
               f"Points outside [-{DOMAIN:g}, {DOMAIN:g}]² are scaled into it.")


@dataclass(frozen=True, eq=False)
class ParsedPoints:
    """Validated points. X: (n, 2) in the input square; labels: (n,) int classes or float values.

    Equal only to itself (arrays have no single truth value), so it can key a cache.
    """

    kind: str  # "classification" or "regression"
    X: Array
    labels: Array
    n_classes: int  # 0 for regression
    notices: tuple[str, ...] = ()


def parse_points_csv(data: bytes, kind: str | None = None) -> ParsedPoints:
    """Read and validate a points CSV; `kind` demands classification or regression (None: either)."""
    if len(data) > MAX_BYTES:
        raise ValueError(f"the file is {len(data):,} bytes; the limit is {MAX_BYTES:,} bytes (1 MB)")
    text = _decode(data)
    rows = _rows(text)
    header_line, header = next(rows, (0, None))
    if header is None:
        raise ValueError("the file has no rows: expected a header row x1,x2,label or x1,x2,value")
    columns = _columns(header, header_line, kind)
    values, lines = [], []
    for line, cells in rows:
        if len(values) == MAX_ROWS:
            raise ValueError(f"line {line}: more than {MAX_ROWS:,} data rows (the cap is {MAX_ROWS:,})")
        values.append(_numbers(cells, columns, line))
        lines.append(line)
    if len(values) < MIN_ROWS:
        raise ValueError(f"only {len(values)} data rows; at least {MIN_ROWS} are needed")
    table = np.array(values)
    kind = "classification" if "label" in columns else "regression"
    return make_points(table[:, :2], table[:, 2], kind, lines)


def make_points(X: Array, labels: Array, kind: str, lines: list[int] | None = None) -> ParsedPoints:
    """Validate points from any source (CSV, clicks). X: (n, 2) finite; labels: (n,).

    lines: (n,) where each point came from, for messages ("line 7"); default "point 1..n".
    """
    if kind not in KIND_COLUMN:
        raise ValueError(f"kind must be classification or regression, got {kind!r}")
    X, labels = np.asarray(X, dtype=float), np.asarray(labels, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2 or labels.shape != (len(X),):
        raise ValueError(f"points must be (n, 2) with one label each, got {X.shape} and {labels.shape}")
    if not MIN_ROWS <= len(X) <= MAX_ROWS:
        raise ValueError(f"{len(X)} points; between {MIN_ROWS} and {MAX_ROWS:,} are needed")
    X, notices = _fit_square(X)
    if kind == "regression":
        labels, more = _fit_values(labels)
        return ParsedPoints(kind, X, labels, 0, notices + more)
    where = [f"line {n}" for n in lines] if lines else [f"point {i + 1}" for i in range(len(X))]
    classes = _classes(labels, where)
    return ParsedPoints(kind, X, classes, int(classes.max()) + 1, notices)


def dataset_from_points(points: ParsedPoints, test_fraction: float = 0.5, seed: int = 0,
                        name: str = "custom") -> Dataset:
    """The points shuffled (deterministically for `seed`) and split into train and test sets."""
    return split_dataset(name, points.kind, points.n_classes, points.X, points.labels,
                         test_fraction, seed)


# --- reading ---------------------------------------------------------------------------------

def _decode(data: bytes) -> str:
    if not data.strip():
        raise ValueError("the file is empty: expected a header row x1,x2,label or x1,x2,value")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValueError(f"the file is not UTF-8 text (invalid byte at position {error.start}); "
                         "save it as UTF-8 CSV") from None
    if "\0" in text:
        line = text.count("\n", 0, text.index("\0")) + 1
        raise ValueError(f"line {line}: the file contains NUL bytes, so it is not a text CSV")
    return text


def _rows(text: str):
    """(line number, stripped cells) of every non-blank row."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                yield reader.line_num, [c.strip() for c in cells]
    except csv.Error as error:
        raise ValueError(f"line {reader.line_num}: not valid CSV ({error})") from None


def _columns(header: list[str], line: int, kind: str | None) -> tuple[str, ...]:
    """The header's column names in file order; exactly x1, x2 and the target column."""
    names = [c.lower() for c in header]
    wanted = [KIND_COLUMN[kind]] if kind else ["label", "value"]
    target = next((n for n in wanted if n in names), None)
    expected = f"x1,x2,{target or ' or '.join(wanted)}"
    for i, name in enumerate(names, start=1):
        repeated = names.index(name) < i - 1
        if name not in ("x1", "x2", target) or repeated:
            what = "repeated" if repeated else "unexpected"
            raise ValueError(f"line {line}, column {i}: {what} column {header[i - 1]!r}; "
                             f"the header must be {expected}")
    missing = [n for n in ("x1", "x2", target) if n not in names]
    if missing:
        shown = ", ".join(m or " or ".join(wanted) for m in missing)
        raise ValueError(f"line {line}: missing column {shown}; the header must be {expected}")
    return tuple(names)


def _numbers(cells: list[str], columns: tuple[str, ...], line: int) -> tuple[float, ...]:
    """One data row as (x1, x2, label-or-value), whatever the order of the columns."""
    if len(cells) != len(columns):
        raise ValueError(f"line {line}: expected {len(columns)} cells ({','.join(columns)}), "
                         f"found {len(cells)}")
    row = dict(zip(columns, cells, strict=True))
    out = []
    for name in ("x1", "x2", "label" if "label" in row else "value"):
        cell = row[name]
        try:
            value = float(cell)
        except ValueError:
            raise ValueError(f"line {line}, column {name}: {cell[:20]!r} is not a number") from None
        if not math.isfinite(value):
            raise ValueError(f"line {line}, column {name}: {cell[:20]!r} is not a finite number "
                             "(NaN and infinity are not allowed)")
        out.append(value)
    return tuple(out)


# --- validating and fitting ------------------------------------------------------------------

def _classes(labels: Array, where: list[str]) -> Array:
    """Labels as int classes 0..C-1 (2 <= C <= MAX_CLASSES, none missing). labels: (n,)."""
    bad = np.flatnonzero((labels != np.round(labels)) | (labels < 0) | (labels >= MAX_CLASSES))
    if bad.size:
        raise ValueError(f"{where[bad[0]]}, column label: {labels[bad[0]]:g} is not a class; "
                         f"classes are whole numbers 0 to {MAX_CLASSES - 1}")
    classes = labels.astype(int)
    present = np.unique(classes)
    if present.size < 2:
        raise ValueError(f"column label: every point is class {present[0]}; at least 2 classes "
                         "are needed")
    missing = sorted(set(range(present.max() + 1)) - set(present.tolist()))
    if missing:
        raise ValueError(f"column label: classes must be numbered 0 to {present.max()} without "
                         f"gaps, but class {missing[0]} has no points")
    return classes


def _fit_square(X: Array) -> tuple[Array, tuple[str, ...]]:
    """Points outside [-DOMAIN, DOMAIN]² are centred and scaled by one factor into it."""
    low, high = X.min(axis=0), X.max(axis=0)
    if np.all(np.abs(X) <= DOMAIN):
        return X, ()
    centre, half = low / 2 + high / 2, float(np.max(high / 2 - low / 2))  # halves: no overflow
    scale = DOMAIN / half if half > 0 else 1.0
    scale = scale if np.isfinite(scale) else 1.0  # points a denormal apart: just centre them
    fitted = np.clip((X - centre) * scale, -DOMAIN, DOMAIN)
    return fitted, (f"Coordinates spanned x1 ∈ [{low[0]:g}, {high[0]:g}], x2 ∈ [{low[1]:g}, {high[1]:g}], "
                    f"outside the input square [-{DOMAIN:g}, {DOMAIN:g}]²; they were centred and "
                    f"scaled by {scale:.4g} (the same for both axes) to fit.",)


def _fit_values(values: Array) -> tuple[Array, tuple[str, ...]]:
    """Regression values outside [-1, 1] are divided by their largest magnitude."""
    largest = float(np.max(np.abs(values)))
    if largest <= 1.0:
        return values, ()
    return values / largest, (f"Values reached {largest:g} in magnitude, outside [-1, 1]; they "
                              f"were divided by {largest:g} to fit.",)
