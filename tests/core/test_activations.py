"""Each hidden activation's value against its formula and its derivative against central differences."""

import math

import numpy as np
import pytest

from core import ACTIVATIONS, HIDDEN_ACTIVATIONS

# the formulas, written here independently of core.activations
FORMULAS = {
    "elu": lambda z: z if z > 0 else math.exp(z) - 1.0,
    "leaky_relu": lambda z: z if z > 0 else 0.01 * z,
    "softplus": lambda z: math.log(1.0 + math.exp(z)),
    "sine": math.sin,
}
# away from the kink at 0, where ELU's and leaky ReLU's one-sided slopes differ
Z = np.concatenate([np.linspace(-6.0, -0.05, 40), np.linspace(0.05, 6.0, 40)])


def test_the_extra_activations_are_offered_for_hidden_layers():
    assert set(FORMULAS) <= set(HIDDEN_ACTIVATIONS)


@pytest.mark.parametrize("name", sorted(FORMULAS))
def test_value_is_the_formula(name):
    expected = [FORMULAS[name](z) for z in Z]
    np.testing.assert_allclose(ACTIVATIONS[name].value(Z), expected, rtol=1e-14, atol=1e-15)


@pytest.mark.parametrize("name", HIDDEN_ACTIVATIONS)
def test_derivative_matches_central_differences(name):
    act, h = ACTIVATIONS[name], 1e-5
    numeric = (act.value(Z + h) - act.value(Z - h)) / (2 * h)  # f'(z) ≈ (f(z+h) − f(z−h)) / 2h
    np.testing.assert_allclose(act.derivative(Z, act.value(Z)), numeric, rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize(("name", "left", "right"), [("elu", 1.0, 1.0), ("leaky_relu", 0.01, 1.0)])
def test_slopes_on_either_side_of_zero(name, left, right):
    act, z = ACTIVATIONS[name], np.array([-1e-9, 1e-9])
    np.testing.assert_allclose(act.derivative(z, act.value(z)), [left, right], rtol=1e-8)
