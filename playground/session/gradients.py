"""The gradient views' state: each trainer's history of gradient sizes, and the two parameters
the cost landscape shows.

The history is recorded once per frame while the Gradients view is on (and after a Step or any
rerun at a new epoch), so it starts when the view is turned on; a new trainer (Reset, a new
setup) starts a new one.
"""

from __future__ import annotations

from core import Trainer
from core.gradient_flow import GradientSizeHistory
from playground.session import keys
from playground.settings.params import ParamRef, as_ref, param_name, parameters


def history(trainer: Trainer) -> GradientSizeHistory:
    """The gradient-size history of `trainer` (a new trainer gets a new one)."""
    if keys.GRADIENT_SIZES_OF.get() is not trainer or keys.GRADIENT_SIZES.get() is None:
        keys.GRADIENT_SIZES.set(GradientSizeHistory(len(trainer.net.weights)))
        keys.GRADIENT_SIZES_OF.set(trainer)
    return keys.GRADIENT_SIZES.get()


def default_pair(layer_sizes: tuple[int, ...] | list[int]) -> tuple[ParamRef, ParamRef]:
    """The first two weights (w₁, w₂ of the first output-bound neuron: the article's C(w₁, w₂)
    for a perceptron with two inputs), or a weight and a bias for a one-input perceptron."""
    every = parameters(layer_sizes)
    weights = [p for p in every if p[0] == "w" and p[1] == 0 and p[3] == 0]
    if len(weights) >= 2:
        return weights[0], weights[1]
    return every[0], every[1]


def picker_key(axis: int, layer_sizes: tuple[int, ...] | list[int]) -> str:
    """The key of the landscape's parameter box for `axis` (1 or 2): one per network shape, so a
    box never holds a parameter its network does not have."""
    return keys.LANDSCAPE_PARAM(f"{axis}_{'-'.join(map(str, layer_sizes))}").name


def picked_pair(layer_sizes: tuple[int, ...] | list[int]) -> tuple[ParamRef, ParamRef]:
    """The two parameters the boxes hold (the defaults until the user picks), never the same one
    twice: a repeated pick moves the other axis to the next parameter."""
    default = default_pair(layer_sizes)
    valid = set(parameters(layer_sizes))
    pair = []
    for axis in (1, 2):
        ref = as_ref(keys.Key(picker_key(axis, layer_sizes)).get())
        pair.append(ref if ref in valid else default[axis - 1])
    if pair[0] == pair[1]:
        every = parameters(layer_sizes)
        pair[1] = every[(every.index(pair[0]) + 1) % len(every)]
    return pair[0], pair[1]


def boxes_agree(layer_sizes: tuple[int, ...] | list[int]) -> bool:
    """True when both boxes hold the same parameter (`picked_pair` then moves the y axis on)."""
    first, second = (as_ref(keys.Key(picker_key(axis, layer_sizes)).get()) for axis in (1, 2))
    return first is not None and first == second


def pair_names(pair: tuple[ParamRef, ParamRef], n_columns: int) -> tuple[str, str]:
    return param_name(pair[0], n_columns), param_name(pair[1], n_columns)
