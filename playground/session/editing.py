"""Editing the network by hand: which parameter is picked, which neuron is focused, and Apply.

A click on the paused diagram picks a link's weight or a neuron's bias (and focuses the neuron:
its output replaces the decision surface); the list beside the diagram picks the same way. The
number typed is applied through the core (`Trainer.set_weight` / `set_bias`), so the epoch, the
history and the optimizer state stay and training continues from the edit.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import MutableMapping

import streamlit as st

from core import MLP, Trainer
from playground.figures.network import link_at, neuron_at
from playground.session import guard, keys
from playground.settings.params import ParamRef, as_ref, bias_neuron, param_name, parameters, value_of
from playground.settings.text import number


@guard.callback("Picking from the diagram")
def on_diagram_pick() -> None:
    """The diagram's click: {"kind": "link" | "neuron", "index": position in the diagram's
    order} (figures.network LINK_ORDER; neurons column by column) -> `click`."""
    event = (keys.STAGE("network").get() or {}).get("pick") or {}
    sizes = keys.TRAINER.get().net.layer_sizes
    index = event.get("index")
    if not isinstance(index, int) or isinstance(index, bool):
        return
    if event.get("kind") == "link" and (link := link_at(sizes, index)) is not None:
        click(st.session_state, "link", link)
    elif event.get("kind") == "neuron" and (neuron := neuron_at(sizes, index)) is not None:
        click(st.session_state, "neuron", neuron)


def click(session: MutableMapping, kind: str, indices: tuple[int, ...]) -> None:
    """One click into the edit state: a link picks its weight; a neuron picks its bias (inputs
    have none) and is shown large; a click on the neuron already shown large ends the focus."""
    if kind == "link":
        pick(session, ("w", *indices))
        return
    column, k = indices
    if session.get(keys.EDIT_FOCUS.name) == (column, k):
        session[keys.EDIT_FOCUS.name] = None
        return
    session[keys.EDIT_FOCUS.name] = (column, k)
    if column > 0:
        pick(session, ("b", column - 1, k))


def pick(session: MutableMapping, param: ParamRef | tuple | None) -> None:
    """Make `param` the edited parameter, and the list's choice."""
    session[keys.EDIT_PARAM.name] = param
    if keys.EDIT_LIST_KEY.name in session:
        session[session[keys.EDIT_LIST_KEY.name]] = param


def picked(layer_sizes: tuple[int, ...]) -> ParamRef | None:
    """The picked parameter if it exists in a network of these layer sizes, else None."""
    param = as_ref(keys.EDIT_PARAM.get())
    return param if param in parameters(layer_sizes) else None


def focus(layer_sizes: tuple[int, ...]) -> tuple[int, int] | None:
    """(column, k) of the focused neuron if it exists in this network, else None."""
    shown = keys.EDIT_FOCUS.get()
    if shown is None or not (0 <= shown[0] < len(layer_sizes) and 0 <= shown[1] < layer_sizes[shown[0]]):
        return None
    return shown


def unfocus() -> None:
    keys.EDIT_FOCUS.set(None)


def list_key(net: MLP) -> str:
    """The list's key: a new one whenever a parameter changes, so the browser shows the options'
    new values (it keeps a selected option's old text while the same option stays selected)."""
    return keys.EDIT_LIST(hashlib.blake2b(net.params.tobytes(), digest_size=8).hexdigest()).name


def prepare_list(net: MLP) -> str:
    """Before the list is drawn: forget a pick the network no longer has, keep one list key per
    network state (each step would add one), and return the list's key."""
    if keys.EDIT_PARAM.get() not in parameters(net.layer_sizes):  # a new network
        keys.EDIT_PARAM.set(None)
    key = list_key(net)
    old = keys.EDIT_LIST_KEY.get(key)
    if old != key:
        keys.Key(old).pop()
    keys.EDIT_LIST_KEY.set(key)
    keys.Key(key).setdefault(keys.EDIT_PARAM.get())
    return key


def seed_value(net: MLP, param: ParamRef | None) -> None:
    """The number box starts at the picked parameter's current value."""
    if param is not None and keys.EDIT_SHOWN.get() != (param, value_of(net, param)):
        keys.EDIT_VALUE.set(value_of(net, param))
        keys.EDIT_SHOWN.set((param, keys.EDIT_VALUE.get()))


@guard.callback("Picking the weight or bias")
def on_pick(key: str) -> None:
    """Picking a bias in the list also shows its neuron large, like clicking the neuron."""
    param = keys.Key(key).get()
    keys.EDIT_PARAM.set(param)
    neuron = bias_neuron(param) if param else None
    if neuron is not None:
        keys.EDIT_FOCUS.set(neuron)


def apply_value(trainer: Trainer, param: ParamRef, value) -> tuple[str, str]:
    """Set `param` to `value` through the core; ("success" | "error", message). An invalid value
    (empty, not a number, NaN, ±∞, a bad index) changes nothing and says why. (The number input
    hands over NaN and ±∞ as empty.)"""
    name, old = param_name(param, len(trainer.net.layer_sizes)), value_of(trainer.net, param)
    keeps = f"{name} keeps its value {number(old)}."
    if value is None:
        return "error", ("Type a finite number first (the box is empty, or its number is too large "
                         f"to be finite). {keeps}")
    try:
        new = float(value)
        if not math.isfinite(new):
            raise ValueError(f"{value} is not a finite number")
        if param[0] == "w":
            trainer.set_weight(*param[1:], new)
        else:
            trainer.set_bias(*param[1:], new)
    except (TypeError, ValueError) as error:
        return "error", f"Not applied: {error}. {keeps}"
    return "success", (f"{name}: {number(old)} → {number(new)}. Everything shown now uses it; Play or "
                       "Step trains on from here.")


@guard.callback("Applying the value")
def apply() -> None:
    """The form's Apply: the typed value into the picked parameter, and the outcome's message."""
    param = keys.EDIT_PARAM.get()
    if param is None:
        return
    keys.EDIT_MESSAGE.set(apply_value(keys.TRAINER.get(), param, keys.EDIT_VALUE.get()))


def take_message() -> tuple[str, str] | None:
    return keys.EDIT_MESSAGE.pop()
