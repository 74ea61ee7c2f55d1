"""split_dataset: the shuffle and split that make_dataset uses, public for user data."""

import numpy as np
import pytest

from core import split_dataset


def test_split_keeps_every_point_once_and_one_hot_for_multiclass():
    X = np.arange(20.0).reshape(10, 2)
    labels = np.arange(10) % 3
    data = split_dataset("custom", "classification", 3, X, labels, 0.3, 7)
    assert data.y_train.shape[1] == 3 and len(data.X_test) == 3 and len(data.X_train) == 7
    together = np.vstack([data.X_train, data.X_test])
    assert sorted(together[:, 0].tolist()) == X[:, 0].tolist()
    again = split_dataset("custom", "classification", 3, X, labels, 0.3, 7)
    np.testing.assert_array_equal(again.X_train, data.X_train)


def test_split_leaves_one_point_on_each_side():
    X = np.zeros((2, 2))
    data = split_dataset("custom", "regression", 0, X, np.array([0.1, -0.2]), 0.9, 0)
    assert len(data.X_train) == 1 and len(data.X_test) == 1 and data.n_classes == 0


@pytest.mark.parametrize("fraction", [0.0, 1.0])
def test_split_rejects_empty_sides(fraction):
    with pytest.raises(ValueError, match="test_fraction"):
        split_dataset("custom", "regression", 0, np.zeros((4, 2)), np.zeros(4), fraction, 0)
