"""Data generators: shapes, domain, balance, targets, determinism, splits and geometric rules."""

import numpy as np
import pytest

from core import DATASETS, make_dataset

CLASSIFICATION = ["circle", "xor", "gauss", "spiral", "moons", "sine", "cubic", "abs", "spiral3",
                  "blobs4"]
REGRESSION = ["plane", "multi_gauss"]
N_CLASSES = {"spiral3": 3, "blobs4": 4}


def test_the_registry_lists_every_dataset():
    assert set(DATASETS) == set(CLASSIFICATION + REGRESSION)


@pytest.mark.parametrize("name", CLASSIFICATION + REGRESSION)
@pytest.mark.parametrize("noise", [0.0, 0.5])
def test_shapes_domain_and_kind(name, noise):
    data = make_dataset(name, n_samples=300, noise=noise, test_fraction=0.3, seed=1)
    assert data.name == name
    assert len(data.X_train) == len(data.y_train) == 210
    assert len(data.X_test) == len(data.y_test) == 90
    k = N_CLASSES.get(name, 1)
    for X, y in ((data.X_train, data.y_train), (data.X_test, data.y_test)):
        assert X.shape[1] == 2 and y.shape[1] == k
        assert np.all(np.abs(X) <= 6.0)
        assert np.all(np.isfinite(X)) and np.all(np.isfinite(y))
    if name in REGRESSION:
        assert data.kind == "regression" and data.n_classes == 0
        assert np.all(np.abs(data.y_train) <= 1.0) and np.all(np.abs(data.y_test) <= 1.0)
        assert np.std(data.y_train) > 0.05  # not a constant
    else:
        assert data.kind == "classification" and data.n_classes == max(k, 2)


@pytest.mark.parametrize("name", [n for n in CLASSIFICATION if n not in N_CLASSES])
def test_binary_targets_are_zero_one_and_roughly_balanced(name):
    data = make_dataset(name, n_samples=600, noise=0.1, seed=2)
    y = np.concatenate([data.y_train[:, 0], data.y_test[:, 0]])
    assert set(np.unique(y)) == {0.0, 1.0}
    assert 0.35 <= y.mean() <= 0.65
    np.testing.assert_array_equal(data.labels_train, data.y_train[:, 0].astype(int))


@pytest.mark.parametrize("name", list(N_CLASSES))
def test_multiclass_targets_are_one_hot_and_balanced(name):
    data = make_dataset(name, n_samples=600, noise=0.1, seed=3)
    y = np.vstack([data.y_train, data.y_test])
    assert set(np.unique(y)) == {0.0, 1.0}
    np.testing.assert_array_equal(y.sum(axis=1), 1.0)
    shares = y.mean(axis=0)
    np.testing.assert_allclose(shares, 1.0 / N_CLASSES[name], atol=0.05)
    np.testing.assert_array_equal(data.labels_train, np.argmax(data.y_train, axis=1))


@pytest.mark.parametrize("name", CLASSIFICATION + REGRESSION)
def test_deterministic_by_seed(name):
    a, b, c = (make_dataset(name, n_samples=100, noise=0.2, seed=s) for s in (7, 7, 8))
    for field in ("X_train", "y_train", "X_test", "y_test"):
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field))
    assert not np.array_equal(a.X_train, c.X_train)


@pytest.mark.parametrize(("n", "fraction", "n_test"), [(100, 0.5, 50), (200, 0.1, 20),
                                                       (101, 0.3, 30), (10, 0.9, 9)])
def test_test_fraction_is_respected(n, fraction, n_test):
    data = make_dataset("gauss", n_samples=n, test_fraction=fraction, seed=0)
    assert len(data.X_test) == n_test and len(data.X_train) == n - n_test


def test_train_and_test_are_disjoint():
    data = make_dataset("xor", n_samples=400, seed=4)
    train = {tuple(p) for p in data.X_train}
    assert not any(tuple(p) in train for p in data.X_test)


def all_points(data):
    return np.vstack([data.X_train, data.X_test]), np.vstack([data.y_train, data.y_test])[:, 0]


def test_noise_free_circle_is_class_one_inside_radius_two_and_a_half():
    X, y = all_points(make_dataset("circle", n_samples=500, noise=0.0, seed=5))
    radius = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_array_equal(y, (radius < 2.5).astype(float))
    assert np.all((radius < 2.5) | (radius >= 3.5))  # a gap between disc and ring


def test_noise_free_xor_is_class_one_where_the_product_is_non_negative():
    X, y = all_points(make_dataset("xor", n_samples=500, noise=0.0, seed=6))
    np.testing.assert_array_equal(y, (X[:, 0] * X[:, 1] >= 0).astype(float))
    assert np.all(np.abs(X) >= 0.3)  # pushed off the axes


def test_noise_free_gauss_classes_sit_in_opposite_quadrants():
    X, y = all_points(make_dataset("gauss", n_samples=400, noise=0.0, seed=7))
    assert np.mean(np.sign(X[y == 1]) == 1) > 0.95
    assert np.mean(np.sign(X[y == 0]) == -1) > 0.95


def test_noise_free_plane_is_the_scaled_sum():
    data = make_dataset("plane", n_samples=300, noise=0.0, seed=8)
    np.testing.assert_allclose(data.y_train[:, 0], np.clip(data.X_train.sum(axis=1) / 10, -1, 1))


# y = f(x) from the issue, drawn in the square [-6, 6]²: (x1, x2) = (sx·x, sy·y + shift)
BOUNDARIES = {
    "sine": lambda x1, x2: x2 / 3 > np.sin(x1),                # y = sin x, stretched 3× upwards
    "cubic": lambda x1, x2: x2 / 3 > (x1 / 3) ** 3 - x1 / 3,   # y = x³ − x, scaled 3× both ways
    "abs": lambda x1, x2: x2 + 2 > np.abs(x1),                 # y = |x|, lowered by 2
}


@pytest.mark.parametrize("name", sorted(BOUNDARIES))
def test_noise_free_function_datasets_are_class_one_above_their_curve(name):
    X, y = all_points(make_dataset(name, n_samples=1000, noise=0.0, seed=10))
    above = BOUNDARIES[name](X[:, 0], X[:, 1])
    np.testing.assert_array_equal(y, above.astype(float))
    assert 0.2 < np.mean(y) < 0.8  # both sides well populated


def test_noise_flips_some_labels():
    clean = make_dataset("xor", n_samples=500, noise=0.0, seed=9)
    noisy = make_dataset("xor", n_samples=500, noise=0.5, seed=9)
    X, y = all_points(noisy)
    disagree = np.mean(y != (X[:, 0] * X[:, 1] >= 0))
    assert 0.05 < disagree < 0.5
    X, y = all_points(clean)
    assert np.mean(y != (X[:, 0] * X[:, 1] >= 0)) == 0
