"""Per-session state and the URL: the Config, the Trainer built from it, play/pause.

Everything user-specific lives in `st.session_state` (one per browser tab); nothing here is
module-level mutable state. The URL carries every setting as plain text. Parsing it is strict
and never evaluates anything: each parameter is matched against a small grammar and then
validated by `Config`; whatever fails falls back to its default and is reported by name.
Besides the Config's fields, a classroom link may carry `hide=<names>`: controls the page does
not draw (see config.HIDEABLE); it stays in the URL for the whole session.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import fields, replace

import streamlit as st

from core import FEATURES, MLP, Dataset, Trainer, make_dataset
from playground.config import DEFAULT, HIDEABLE, INIT_SEED_RANGE, RESET_FIELDS, Config, fit_output

MAX_PARAM_LENGTH = 100
MAX_HIDE_LENGTH = 400  # every hideable name fits
HIDE = "hide"
SAFE_NAME = re.compile(r"[A-Za-z0-9_.-]{1,40}")  # parameter names the notice may repeat
_INT = re.compile(r"\d{1,6}")
_FLOAT = re.compile(r"\d{1,6}(\.\d{1,8})?(e-?\d{1,2})?", re.IGNORECASE)
_NAME = re.compile(r"[a-z0-9_()^*]{1,20}", re.IGNORECASE)
_NAME_LIST = re.compile(r"[a-z0-9_]{1,20}(,[a-z0-9_]{1,20}){0,15}", re.IGNORECASE)  # per-layer activations
_BOOLS = {"1": True, "true": True, "0": False, "false": False}
_GROUPS = (("output_activation", "loss"),)  # parameters that are only valid together


# --- URL <-> Config -------------------------------------------------------------------------

def _format(value) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, tuple):
        return ",".join(str(v) for v in value) if value else "none"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def config_to_query(config: Config) -> dict[str, str]:
    """Every setting as a URL parameter: field name -> text."""
    return {name: _format(value) for name, value in config.to_dict().items()}


def _parse(name: str, raw: str):
    """The typed value of one parameter; ValueError when it does not match its grammar."""
    default = getattr(DEFAULT, name)
    if len(raw) > MAX_PARAM_LENGTH:
        raise ValueError("too long")
    if isinstance(default, bool):
        if raw.lower() not in _BOOLS:
            raise ValueError("not a boolean")
        return _BOOLS[raw.lower()]
    if isinstance(default, int):
        if not _INT.fullmatch(raw):
            raise ValueError("not an integer")
        return int(raw)
    if isinstance(default, float):
        if not _FLOAT.fullmatch(raw) or not math.isfinite(float(raw)):
            raise ValueError("not a number")
        return float(raw)
    if isinstance(default, tuple):
        items = [] if raw in ("", "none") else raw.split(",")
        if isinstance(default[0], int):
            if not all(_INT.fullmatch(i) for i in items):
                raise ValueError("not a list of integers")
            return tuple(int(i) for i in items)
        if not all(_NAME.fullmatch(i) for i in items):
            raise ValueError("not a list of names")
        return tuple(sorted(items, key=lambda f: FEATURES.index(f) if f in FEATURES else -1))
    if not (_NAME_LIST if name == "activation" else _NAME).fullmatch(raw):
        raise ValueError("not a name")
    return raw


def hidden_from_query(params: Mapping[str, str]) -> tuple[tuple[str, ...], bool]:
    """The controls `hide=` names (known names only, in HIDEABLE order) and whether anything in
    it was ignored (an unknown or malformed name, or a parameter too long to read)."""
    raw = params.get(HIDE)
    if raw is None:
        return (), False
    raw = str(raw)
    if len(raw) > MAX_HIDE_LENGTH:
        return (), True
    names = set(raw.split(",")) - {""}
    return tuple(n for n in HIDEABLE if n in names), not names <= set(HIDEABLE)


def config_from_query(params: Mapping[str, str]) -> tuple[Config, list[str]]:
    """The Config a URL describes, and the names of the parameters that were ignored.

    Parameters are applied one at a time in field order (output activation and loss as a pair),
    each kept only if the Config stays valid; unknown names are ignored too (names that are not
    plain words are only counted, so link text never reaches the page). Never raises.
    """
    known = {f.name for f in fields(Config)}
    unknown = [str(k) for k in params if k not in known and k != HIDE]
    ignored = [k for k in unknown if SAFE_NAME.fullmatch(k)]  # others never reach the page
    unreadable = len(unknown) - len(ignored)
    parsed = {}
    for name in known & set(params):
        try:
            parsed[name] = _parse(name, str(params[name]))
        except ValueError:
            ignored.append(name)
    values = DEFAULT.to_dict()
    grouped = {n: group for group in _GROUPS for n in group}
    for f in fields(Config):
        group = grouped.get(f.name, (f.name,))
        given = [n for n in group if n in parsed]
        if f.name != group[0] or not given:
            continue
        candidate = {**values, **{n: parsed[n] for n in given}}
        if f.name == "dataset":
            candidate = fit_output(candidate)
        try:
            Config(**candidate)
        except (ValueError, TypeError):
            ignored.extend(given)
            continue
        values = candidate
    if hidden_from_query(params)[1]:
        ignored.append(HIDE)
    ignored = sorted(set(ignored))
    if unreadable:
        ignored.append(f"{unreadable} unreadable parameter name{'s' if unreadable > 1 else ''}")
    return Config(**values), ignored


# --- the training session --------------------------------------------------------------------

def make_data(config: Config) -> Dataset:
    """The config's dataset: its generator, noise, size, train/test split and data seed."""
    return make_dataset(config.dataset, n_samples=config.n_samples, noise=config.noise / 100,
                        test_fraction=1 - config.train_percent / 100, seed=config.seed)


def build_trainer(config: Config, init_seed: int, data: Dataset | None = None) -> Trainer:
    """A network and Trainer for `config` on `data` (default: the config's fresh dataset);
    `init_seed` draws the initial weights."""
    data = make_data(config) if data is None else data
    net = MLP(config.layer_sizes, activation=config.hidden_activations,
              output_activation=config.output_activation, seed=init_seed, init=config.init)
    trainer = Trainer(net, data, loss=config.loss, optimizer=config.optimizer,
                      learning_rate=config.learning_rate, batch_size=config.batch_size,
                      regularization=config.regularization,
                      regularization_rate=config.regularization_rate,
                      features=config.features, seed=init_seed)
    trainer.set_stop(**config.stop)
    return trainer


def init_session() -> None:
    """On a session's first run: read the URL into a Config and build its Trainer."""
    state = st.session_state
    if "config" in state:
        return
    params = st.query_params.to_dict()
    config, ignored = config_from_query(params)
    state.config = config
    state.url_ignored = ignored
    state.hidden = hidden_from_query(params)[0]
    state.init_seed = config.init_seed
    state.trainer = build_trainer(config, config.init_seed)
    state.playing = False


def hidden() -> tuple[str, ...]:
    """The controls this session's classroom link hides."""
    return st.session_state.get("hidden", ())


def config() -> Config:
    return st.session_state.config


def trainer() -> Trainer:
    return st.session_state.trainer


def apply_config(new: Config) -> None:
    """Make `new` the session's Config: start training over, or update the Trainer in place."""
    state = st.session_state
    old: Config = state.config
    if new == old:
        return
    state.config = new
    state.url_ignored = []
    regenerated = state.pop("regenerate", False) and new.changed(old) & RESET_FIELDS == {"seed"}
    if regenerated:  # Regenerate: new points from the same generator, the same network
        state.trainer.set_data(make_data(new))
    elif new.needs_reset(old):
        state.init_seed = new.init_seed
        state.trainer = build_trainer(new, new.init_seed)
        return
    trainer = state.trainer
    trainer.learning_rate = new.learning_rate
    if (new.regularization, new.regularization_rate) != (old.regularization, old.regularization_rate):
        trainer.set_regularization(new.regularization, new.regularization_rate)
    if new.stop != old.stop:  # on the fly: the epoch count and the weights stay
        trainer.set_stop(**new.stop)


def sync_url(config: Config) -> None:
    """Write the Config (and the classroom link's hidden controls) into the URL, touching only
    parameters whose text changed."""
    wanted = config_to_query(config)
    if hidden():
        wanted[HIDE] = ",".join(hidden())
    current = st.query_params.to_dict()
    if current != wanted:
        for key in set(current) - set(wanted):
            del st.query_params[key]
        st.query_params.update({k: v for k, v in wanted.items() if current.get(k) != v})


# --- buttons ---------------------------------------------------------------------------------

def toggle_play() -> None:
    st.session_state.playing = not st.session_state.playing


def step_once() -> None:
    """Train exactly one epoch and pause."""
    st.session_state.playing = False
    st.session_state.trainer.step(1)


def reset() -> None:
    """Back to epoch 0 with freshly drawn initial weights: the next init seed (the data stay)."""
    state = st.session_state
    config = state.config
    state.config = replace(config, init_seed=(config.init_seed + 1) % (INIT_SEED_RANGE[1] + 1))
    reset_same()


def reset_same() -> None:
    """Back to epoch 0 with the same initial weights and data, so the run repeats exactly."""
    state = st.session_state
    state.init_seed = state.config.init_seed
    state.trainer = build_trainer(state.config, state.init_seed)
