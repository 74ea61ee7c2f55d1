"""The points CSV reader: good files parse, every bad input is one clear ValueError."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import DOMAIN
from playground.io.uploads import (
    MAX_BYTES,
    MAX_ROWS,
    MIN_ROWS,
    dataset_from_points,
    make_points,
    parse_points_csv,
)

GOOD = b"x1,x2,label\n1,2,0\n-3,4,1\n5,-5,1\n0,0,0\n"


def csv_bytes(header: str, rows: list[str]) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def test_classification_file_parses():
    points = parse_points_csv(GOOD)
    assert points.kind == "classification" and points.n_classes == 2 and points.notices == ()
    np.testing.assert_array_equal(points.X, [[1, 2], [-3, 4], [5, -5], [0, 0]])
    np.testing.assert_array_equal(points.labels, [0, 1, 1, 0])
    assert points.labels.dtype.kind == "i"


def test_columns_in_any_order_case_spaces_bom_and_blank_lines():
    data = "\ufeffLabel , X2,x1\n\n2,1,1\n0,2,2\n1 , 3,3\n\n0,4,4\n".encode()
    points = parse_points_csv(data)
    assert points.n_classes == 3
    np.testing.assert_array_equal(points.X[:, 0], [1, 2, 3, 4])
    np.testing.assert_array_equal(points.labels, [2, 0, 1, 0])


def test_regression_file_parses_and_kind_can_be_demanded():
    data = csv_bytes("x1,x2,value", ["0,0,0.5", "1,1,-0.25", "2,2,1", "3,3,-1"])
    points = parse_points_csv(data, kind="regression")
    assert points.kind == "regression" and points.n_classes == 0
    np.testing.assert_array_equal(points.labels, [0.5, -0.25, 1, -1])
    with pytest.raises(ValueError, match="line 1, column 3: unexpected column 'value'.*x1,x2,label"):
        parse_points_csv(data, kind="classification")


@pytest.mark.parametrize(("data", "message"), [
    (b"", "the file is empty"),
    (b"  \n\n", "the file is empty"),
    (b"\xff\xfex1,x2,label\n", "not UTF-8"),
    (b"x1,x2,label\n1,2\x00,0\n", "line 2: .*NUL"),
    (b"x1,x2\n1,2\n", "line 1: missing column label or value"),
    (b"x1,label\n1,0\n", "line 1: missing column x2"),
    (b"x1,x2,label,extra\n", "line 1, column 4: unexpected column 'extra'"),
    (b"x1,x2,label,value\n", "line 1, column 4: unexpected column 'value'"),
    (b"x1,x2,x2,label\n", "line 1, column 3: repeated column 'x2'"),
    (b"a,b,c\n1,2,3\n", "line 1, column 1: unexpected column 'a'"),
    (b"x1,x2,label\n1,2,0\n3,4\n", "line 3: expected 3 cells .*found 2"),
    (b"x1,x2,label\n1,2,0\n3,4,1,\n", "line 3: expected 3 cells .*found 4"),
    (b"x1,x2,label\n1,2,0\n1,abc,1\n", "line 3, column x2: 'abc' is not a number"),
    (b"x1,x2,label\n1,2,0\n1,,1\n", "line 3, column x2: '' is not a number"),
    (b"x1,x2,label\nnan,2,0\n", "line 2, column x1: 'nan' is not a finite number"),
    (b"x1,x2,value\n1,2,inf\n", "line 2, column value: 'inf' is not a finite"),
    (b"x1,x2,label\n1,2,1e999\n", "line 2, column label: '1e999' is not a finite"),
    (b"x1,x2,label\n1,2,0\n", f"only 1 data rows; at least {MIN_ROWS}"),
    (b"x1,x2,label\n", "only 0 data rows"),
    (b'x1,x2,label\n"1,2,0\n', "line 2: not valid CSV"),
    (csv_bytes("x1,x2,label", ["1,1,0"] * 5), "every point is class 0; at least 2 classes"),
    (csv_bytes("x1,x2,label", ["1,1,0", "1,1,0", "1,1,2", "1,1,0"]), "class 1 has no points"),
    (csv_bytes("x1,x2,label", ["1,1,0", "1,1,1", "1,1,0.5", "1,1,0"]), "line 4, column label: 0.5 is not"),
    (csv_bytes("x1,x2,label", ["1,1,0", "1,1,1", "1,1,-1", "1,1,0"]), "line 4, column label: -1 is not"),
    (csv_bytes("x1,x2,label", ["1,1,0", "1,1,1", "1,1,4", "1,1,0"]), "classes are whole numbers 0 to 3"),
])
def test_every_bad_input_is_one_clear_message(data, message):
    with pytest.raises(ValueError, match=message):
        parse_points_csv(data)


def test_row_cap_names_the_cap_and_the_line():
    rows = [f"{i % 5},{i % 7},{i % 2}" for i in range(MAX_ROWS + 1)]
    with pytest.raises(ValueError, match=f"line {MAX_ROWS + 2}: more than {MAX_ROWS:,} data rows"):
        parse_points_csv(csv_bytes("x1,x2,label", rows))
    assert len(parse_points_csv(csv_bytes("x1,x2,label", rows[:MAX_ROWS])).X) == MAX_ROWS


def test_size_cap_is_checked_before_parsing():
    huge = b"x1,x2,label\n" + b"\xff" * MAX_BYTES  # not UTF-8 either: the size wins
    with pytest.raises(ValueError, match="limit is 1,000,000 bytes"):
        parse_points_csv(huge)


def test_out_of_range_points_are_centred_and_scaled_with_one_factor():
    data = csv_bytes("x1,x2,label", ["100,10,0", "110,10,1", "100,15,0", "110,15,1"])
    points = parse_points_csv(data)
    assert np.all(np.abs(points.X) <= DOMAIN)
    np.testing.assert_allclose(points.X[:, 0], [-6, 6, -6, 6])  # the wider axis fills the square
    np.testing.assert_allclose(points.X[:, 1], [-3, -3, 3, 3])  # same factor: aspect kept
    assert len(points.notices) == 1 and "scaled by 1.2" in points.notices[0]


def test_regression_values_outside_unit_range_are_divided_with_notice():
    points = parse_points_csv(csv_bytes("x1,x2,value", ["0,0,4", "1,1,-2", "2,2,1", "3,3,0"]))
    np.testing.assert_allclose(points.labels, [1, -0.5, 0.25, 0])
    assert any("divided by 4" in n for n in points.notices)


@pytest.mark.parametrize("rows", [["1e308,-1e308,0", "-1e308,1e308,1", "0,0,0", "1,1,1"],
                                  ["1e10,1e10,0", "1e10,1e10,1", "1e10,1e10,0", "1e10,1e10,1"],
                                  ["7,7,0", "7,7,1", "7,7.000000000000001,0", "7,7,1"]])
def test_extreme_coordinates_fit_without_overflow(rows):
    with np.errstate(all="raise"):
        points = parse_points_csv(csv_bytes("x1,x2,label", rows))
    assert np.all(np.abs(points.X) <= DOMAIN) and points.notices


def test_points_inside_the_square_are_untouched():
    points = parse_points_csv(csv_bytes("x1,x2,label", ["-6,6,0", "6,-6,1", "0,0,0", "1,1,1"]))
    np.testing.assert_array_equal(points.X, [[-6, 6], [6, -6], [0, 0], [1, 1]])
    assert points.notices == ()


def test_make_points_names_points_without_lines():
    with pytest.raises(ValueError, match="point 3, column label: 7 is not a class"):
        make_points(np.zeros((4, 2)), [0, 1, 7, 0], "classification")
    with pytest.raises(ValueError, match="3 points; between 4"):
        make_points(np.zeros((3, 2)), [0, 1, 0], "classification")


def test_dataset_from_points_splits_deterministically():
    points = parse_points_csv(csv_bytes("x1,x2,label", [f"{i - 5},{5 - i},{i % 3}" for i in range(10)]))
    data = dataset_from_points(points, test_fraction=0.3, seed=4)
    again = dataset_from_points(points, test_fraction=0.3, seed=4)
    assert data.kind == "classification" and data.n_classes == 3 and data.y_train.shape == (7, 3)
    np.testing.assert_array_equal(data.X_train, again.X_train)
    assert sorted(np.vstack([data.X_train, data.X_test])[:, 0].tolist()) == list(range(-5, 5))


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_garbage_bytes_raise_only_value_error(data):
    try:
        parse_points_csv(data)
    except ValueError:
        pass


_cell = st.one_of(st.floats(allow_nan=True, allow_infinity=True).map(repr),
                  st.integers(-10, 10).map(str), st.text(max_size=5))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["x1,x2,label", "x1,x2,value", "x2,label,x1", "x1,x2"]),
       st.lists(st.lists(_cell, min_size=2, max_size=4).map(",".join), max_size=12))
def test_csv_shaped_garbage_raises_only_value_error_or_valid_points(header, rows):
    try:
        points = parse_points_csv(csv_bytes(header, rows))
    except ValueError:
        return
    assert np.all(np.isfinite(points.X)) and np.all(np.abs(points.X) <= DOMAIN)
    assert np.all(np.isfinite(points.labels)) and len(points.X) >= MIN_ROWS


@pytest.mark.parametrize(("X", "labels"), [
    (np.zeros((4, 3)), []),  # found by hypothesis: was reshaped to (6, 2) and then crashed
    (np.zeros((4, 3)), [0, 1, 0, 1, 0, 1]),
    (np.zeros((4, 2)), [0, 1, 0]),
    (np.zeros(8), [0, 1, 0, 1]),
])
def test_points_of_the_wrong_shape_are_refused_with_a_value_error(X, labels):
    with pytest.raises(ValueError, match=r"\(n, 2\) with one label each"):
        make_points(X, labels, "classification")


def test_each_uploader_states_its_own_limit():
    """The CSV box said "5MB per file" (the server's cap for session files) while its help and
    the README say 1 MB: the browser's file box now refuses what the app would refuse."""
    from tests.playground.session import app

    limits = {u.proto.label: u.proto.max_upload_size_mb for u in app().get("file_uploader")}
    assert limits == {"Upload points (CSV)": MAX_BYTES // 1_000_000, "Continue a saved session (JSON)": 5}
