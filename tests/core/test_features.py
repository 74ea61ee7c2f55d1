"""Input features as in TensorFlow Playground."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import FEATURE_LATEX, FEATURES, feature_map

POINTS = np.array([[0.0, 0.0], [1.5, -2.0], [-6.0, 6.0], [np.pi / 2, 3.0]])
X1, X2 = POINTS[:, 0], POINTS[:, 1]
BY_HAND = {
    "x1": X1, "x2": X2, "x1^2": X1 ** 2, "x2^2": X2 ** 2, "x1*x2": X1 * X2,
    "sin(x1)": np.sin(X1), "sin(x2)": np.sin(X2),
}


def test_features_tuple_is_the_seven_names_in_order():
    assert FEATURES == ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)")
    assert set(FEATURE_LATEX) == set(FEATURES)


@pytest.mark.parametrize("name", list(BY_HAND))
def test_each_feature_against_its_formula(name):
    np.testing.assert_allclose(feature_map(POINTS, [name])[:, 0], BY_HAND[name], rtol=1e-15)


def test_hand_values():
    row = feature_map(np.array([[2.0, -3.0]]), FEATURES)[0]
    np.testing.assert_allclose(row, [2.0, -3.0, 4.0, 9.0, -6.0, np.sin(2.0), np.sin(-3.0)])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(FEATURES), min_size=1, max_size=7, unique=True))
def test_any_subset_in_any_order(names):
    out = feature_map(POINTS, names)
    assert out.shape == (len(POINTS), len(names))
    for column, name in enumerate(names):
        np.testing.assert_allclose(out[:, column], BY_HAND[name], rtol=1e-15)


def test_float32_points_stay_float32():
    assert feature_map(POINTS.astype(np.float32), FEATURES).dtype == np.float32
