"""A saved session file (export.session_json's output), read back whole or not at all.

Anyone can hand anyone a session file, so it is validated completely before anything is built:
its size, then how many JSON values it holds (counted in the raw text, so a file of 500,000
points is refused before the parser builds a million lists), then every field against the
limits of the UI — integers are integers (not 0.0 or true), every setting is one the sidebar
offers, and every field of the saved training agrees with the settings (the network's shape,
activations, loss, optimizer, learning rate, batch size, regularization, features, the data's
problem type and classes). The data are checked as the CSV upload checks points: 4 to 5,000
points (uploads.MIN_ROWS..MAX_ROWS), finite, in the input square, labels that are classes
0..n_classes-1 (all present) or regression values in [-1, 1]. Only then are arrays and the
Trainer built. Every failure is one ValueError whose message quotes user text through
settings.text.quoted; nothing else escapes.
"""

from __future__ import annotations

import json
import math
from dataclasses import fields, replace
from typing import Any, NamedTuple

import numpy as np

from core import DATASETS, DOMAIN, Trainer, trainer_from_dict
from core.history import CAPACITY as HISTORY_CAPACITY
from core.network import parameter_count
from core.serialization import MODEL_FORMAT, SESSION_FORMAT
from playground.io.export import APP_FORMAT
from playground.io.uploads import MAX_ROWS, MIN_ROWS, ParsedPoints, make_points
from playground.settings.build import make_data
from playground.settings.config import DEFAULT, Config
from playground.settings.text import quoted

# Streamlit refuses uploads above .streamlit/config.toml's maxUploadSize (5, in MiB): the same
# bound here, so a file is refused for its size in one place with one message.
MAX_SESSION_BYTES = 5 * 1024 * 1024
# JSON values (numbers, strings, lists, objects) a session may hold, counted as the commas and
# opening brackets of the raw text before it is parsed. The largest session the app saves holds
# ~150,000: 5,000 points (2 coordinates and up to 4 targets each), a full history (5 columns of
# 20,000 epochs) and the largest network's 2,100 parameters three times (weights, Adam's m, v).
MAX_JSON_VALUES = 200_000
_NUMBER = (int, float)
_RNG_KEYS = {"bit_generator", "state", "has_uint32", "uinteger"}
_SPLITS = ("X_train", "y_train", "X_test", "y_test")


class LoadedSession(NamedTuple):
    """A validated session: its Trainer, its settings, and the user's own points (None when the
    session trained on the settings' built-in dataset)."""

    trainer: Trainer
    config: Config
    points: ParsedPoints | None


def load_session_json(text: str | bytes) -> LoadedSession:
    """The session in `text`, or ValueError with one clear message (and nothing built)."""
    if len(text) > MAX_SESSION_BYTES:
        raise ValueError(f"the file is {len(text):,} bytes; the limit is {MAX_SESSION_BYTES:,} bytes (5 MB)")
    raw = text.encode("utf-8", "replace") if isinstance(text, str) else text
    values = raw.count(b",") + raw.count(b"[") + raw.count(b"{")
    if values > MAX_JSON_VALUES:
        raise ValueError(f"the file holds about {values:,} values; a saved session holds at most "
                         f"{MAX_JSON_VALUES:,} (5,000 points and a full history)")
    document = _parse_json(raw)
    _expect(isinstance(document, dict) and document.get("format") == APP_FORMAT,
            f"not a saved playground session: expected a JSON object with format '{APP_FORMAT}' "
            "(download one with 'Model and session (JSON)' in Save and export)")
    _expect(_is_int(document.get("version")) and document["version"] == 1,
            f"unsupported session version {_describe(document.get('version'))}; this app reads 1")
    config = _config(document.get("config"))
    session = document.get("session")
    _expect(isinstance(session, dict) and session.get("format") == SESSION_FORMAT,
            f"not a saved session: expected a JSON object with format '{SESSION_FORMAT}'")
    n_train = _check_data(session.get("data"), config)
    _check_model(session.get("model"), config)
    _check_settings(session.get("settings"), config, n_train)
    _check_progress(session, parameter_count(config.layer_sizes))
    trainer = trainer_from_dict(session)
    return LoadedSession(trainer, config, _user_points(trainer, config))


def _parse_json(raw: bytes) -> Any:
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
    except UnicodeDecodeError as error:
        raise ValueError(f"the file is not UTF-8 text (invalid byte at position {error.start})") from None
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        raise ValueError(f"not valid JSON: {error.msg} at {where}") from None
    except RecursionError:
        raise ValueError("not a saved session: the JSON is nested too deeply") from None
    except _NotStrictJSON:
        raise
    except ValueError:  # Python reads no integer of more than 4,300 digits
        raise ValueError("not a saved session: a number has too many digits") from None


class _NotStrictJSON(ValueError):
    """NaN or Infinity in the text."""


def _reject_constant(name: str) -> None:
    raise _NotStrictJSON(f"not valid JSON: {name} is not allowed (strict JSON has no NaN or infinity)")


# --- the settings ----------------------------------------------------------------------------------

_FIELD_TYPES = {f.name: type(getattr(DEFAULT, f.name)) for f in fields(Config)}
_TYPE_WORDS = {bool: "true or false", int: "a whole number", float: "a number", str: "a name",
               tuple: "a list"}


def _config(values: Any) -> Config:
    """The Config a session's settings describe: every field typed exactly as Config wants."""
    _expect(isinstance(values, dict), "the session's config must be a JSON object of settings")
    unknown = [name for name in values if name not in _FIELD_TYPES]
    if unknown:
        raise ValueError(f"the session's config has an unknown setting {quoted(unknown[0])}")
    typed = {}
    for name, value in values.items():
        wanted = _FIELD_TYPES[name]
        item = type(getattr(DEFAULT, name)[0]) if wanted is tuple else None
        if wanted is tuple and isinstance(value, list) and all(_is_type(v, item) for v in value):
            typed[name] = tuple(value)
        elif wanted is not tuple and _is_type(value, wanted):
            typed[name] = float(value) if wanted is float else value
        else:
            word = f"a list of {_TYPE_WORDS[item]}s" if item else _TYPE_WORDS[wanted]
            raise ValueError(f"the session's config has {name} {_describe(value)}; it must be {word}")
    try:
        return Config(**typed)
    except ValueError as error:
        raise ValueError(f"the session's config is invalid: {error}") from None


def _check_settings(settings: Any, config: Config, n_train: int) -> None:
    """The trainer's settings must be the config's: 'continue' must not silently change them."""
    _expect(isinstance(settings, dict), "the session's settings must be a JSON object")
    batch = n_train if config.optimizer == "gd" else config.batch_size  # gd: one full batch
    expected = {"loss": config.loss, "optimizer": config.optimizer,
                "learning_rate": config.learning_rate, "batch_size": batch,
                "regularization": config.regularization,
                "regularization_rate": config.regularization_rate, "features": list(config.features)}
    _expect(set(settings) == set(expected), "the session's settings must name exactly "
            + ", ".join(expected))
    for name, wanted in expected.items():
        saved = settings[name]
        same = _is_type(saved, type(wanted)) and saved == wanted
        _expect(same, f"the session is inconsistent: its trainer has {name} {_describe(saved)}, "
                f"its settings say {_describe(wanted)}")


def _check_model(model: Any, config: Config) -> None:
    """The saved network has the config's shape and activations; its parameters are finite."""
    _expect(isinstance(model, dict) and model.get("format") == MODEL_FORMAT,
            f"not a model: expected a JSON object with format '{MODEL_FORMAT}'")
    sizes = config.layer_sizes
    for name, wanted in (("layer sizes", sizes), ("hidden activations", list(config.hidden_activations)),
                         ("output activation", config.output_activation)):
        saved = model.get(name.replace(" ", "_"))
        _expect(saved == wanted and _same_types(saved, wanted),
                f"the session is inconsistent: its model has {name} {_describe(saved)}, "
                f"its settings say {_describe(wanted)}")
    weights, biases = model.get("weights"), model.get("biases")
    n = len(sizes) - 1
    _expect(isinstance(weights, list) and len(weights) == n and isinstance(biases, list)
            and len(biases) == n, f"weights and biases must be lists of {n} arrays")
    for l in range(n):
        _table(weights[l], sizes[l], sizes[l + 1], f"weights[{l}]")
        _row(biases[l], sizes[l + 1], f"biases[{l}]")


# --- the data --------------------------------------------------------------------------------------

def _check_data(data: Any, config: Config) -> int:
    """Counts and types before any array: the points of a dataset of the config's problem type.
    Returns the number of training points."""
    _expect(isinstance(data, dict), "the session's data must be a JSON object")
    spec = DATASETS[config.dataset]
    name, kind, n_classes = data.get("name"), data.get("kind"), data.get("n_classes")
    _expect(name in (config.dataset, "custom"),
            f"the session's data are named {_describe(name)}; expected '{config.dataset}' or 'custom'")
    _expect(kind == spec.kind and _is_int(n_classes) and n_classes == spec.n_classes,
            f"the session's data must be {spec.kind} with {spec.n_classes} classes, as its dataset "
            f"{config.dataset} (the file says {_describe(kind)} with {_describe(n_classes)})")
    parts = {k: data.get(k) for k in _SPLITS}
    _expect(all(isinstance(v, list) for v in parts.values()), "the session's data must be lists of points")
    n_train, n_test = len(parts["X_train"]), len(parts["X_test"])
    _expect(n_train >= 1 and n_test >= 1 and MIN_ROWS <= n_train + n_test <= MAX_ROWS,
            f"the session has {n_train + n_test:,} points; between {MIN_ROWS} and {MAX_ROWS:,} "
            "are needed, at least one for training and one for testing")
    width = n_classes if n_classes > 2 else 1
    for split, n in (("train", n_train), ("test", n_test)):
        _expect(len(parts[f"y_{split}"]) == n, f"data.y_{split}: every point needs exactly one target")
        _table(parts[f"X_{split}"], n, 2, f"data.X_{split}", bound=DOMAIN)
        targets = _table(parts[f"y_{split}"], n, width, f"data.y_{split}", bound=1.0)
        if kind == "classification":
            one_hot = np.all((targets == 0) | (targets == 1)) and (
                width == 1 or np.all(targets.sum(axis=1) == 1))
            _expect(bool(one_hot), f"data.y_{split}: classes must be 0 or 1"
                    + (" (one-hot)" if width > 1 else ""))
    return n_train


def _user_points(trainer: Trainer, config: Config) -> ParsedPoints | None:
    """None when the session's data are the config's own built-in dataset; else the points,
    validated as an upload is (at least two classes, none missing)."""
    data = trainer.data
    built = make_data(config)
    if all(np.array_equal(getattr(data, k), getattr(built, k)) for k in _SPLITS):
        return None
    if data.name != "custom":  # e.g. drawn by another numpy version: the points are the user's now
        trainer.set_data(replace(data, name="custom"))
        data = trainer.data
    points = make_points(np.vstack([data.X_train, data.X_test]),
                         np.concatenate([data.labels_train, data.labels_test]), data.kind)
    _expect(points.n_classes == data.n_classes,
            f"the session's points use {points.n_classes} classes; its data say {data.n_classes}")
    return points


# --- training progress -----------------------------------------------------------------------------

def _check_progress(session: dict, n_params: int) -> None:
    """Epoch, divergence, history, optimizer state and random state: types, lengths, ranges."""
    epoch = session.get("epoch")
    _expect(_is_int(epoch) and 0 <= epoch <= 2 ** 53, "epoch must be a whole number >= 0")
    _expect(type(session.get("diverged")) is bool, "diverged must be true or false")
    history = session.get("history")
    _expect(isinstance(history, dict), "history must be a JSON object")
    columns = ("epochs", "train_loss", "test_loss", "train_accuracy", "test_accuracy")
    _expect(set(history) == {"stride", *columns}, "history must have stride and " + ", ".join(columns))
    stride = history["stride"]
    _expect(_is_int(stride) and 1 <= stride <= 2 ** 53, "history.stride must be a whole number >= 1")
    lengths = {len(history[c]) if isinstance(history[c], list) else -1 for c in columns}
    _expect(len(lengths) == 1 and 0 <= lengths.pop() <= HISTORY_CAPACITY,
            f"history columns must be lists of equal length, at most {HISTORY_CAPACITY:,}")
    _expect(all(_is_int(e) and 0 <= e <= epoch for e in history["epochs"]),
            "history.epochs must be whole numbers from 0 to the epoch")
    _expect(all(v is None or _is_type(v, float) for c in columns[1:] for v in history[c]),
            "history values must be finite numbers (or null)")
    state = session.get("optimizer_state")
    _expect(isinstance(state, dict) and set(state) <= {"velocity", "m", "v", "t"},
            "optimizer_state must be a JSON object of velocity, m, v and t")
    for name in {"velocity", "m", "v"} & set(state):
        values = _row(state[name], n_params, f"optimizer_state.{name}")
        _expect(name != "v" or bool(np.all(values >= 0)), "optimizer_state.v must be >= 0")
    _expect(_is_int(state.get("t", 0)) and 0 <= state.get("t", 0) <= 2 ** 53,
            "optimizer_state.t must be a whole number >= 0")
    _check_rng(session.get("rng"))


def _check_rng(rng: Any) -> None:
    """numpy's PCG64 state: two 128-bit integers and a buffered 32-bit draw."""
    inner = rng.get("state") if isinstance(rng, dict) else None
    _expect(isinstance(rng, dict) and set(rng) == _RNG_KEYS and rng["bit_generator"] == "PCG64"
            and isinstance(inner, dict) and set(inner) == {"state", "inc"}
            and all(_is_int(inner[k]) and 0 <= inner[k] < 2 ** 128 for k in inner)
            and rng["has_uint32"] in (0, 1) and _is_int(rng["has_uint32"])
            and _is_int(rng["uinteger"]) and 0 <= rng["uinteger"] < 2 ** 32,
            "rng must be numpy's PCG64 state")


# --- small checks ----------------------------------------------------------------------------------

def _is_int(value: Any) -> bool:
    return type(value) is int  # not a bool, not 0.0


def _is_type(value: Any, wanted: type) -> bool:
    """`value` is a JSON value of Config's type `wanted` (a float field takes an int too)."""
    if wanted is float:
        return type(value) in _NUMBER and math.isfinite(value)
    return type(value) is wanted


def _same_types(a: Any, b: Any) -> bool:
    """Equal values may differ in type (1 == 1.0 == True): compare the types too."""
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same_types(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b)


def _row(values: Any, n: int, name: str, bound: float = math.inf) -> np.ndarray:
    """A list of `n` finite numbers with |value| <= bound, as an array. -> (n,)"""
    _expect(isinstance(values, list) and len(values) == n and all(type(v) in _NUMBER for v in values),
            f"{name} must be a list of {n} numbers")
    array = np.array(values, dtype=float)
    beyond = "" if bound == math.inf else f" or beyond ±{bound:g}"
    _expect(bool(np.all(np.isfinite(array) & (np.abs(array) <= bound))),
            f"{name} holds a number that is not finite{beyond}")
    return array


def _table(rows: Any, n: int, width: int, name: str, bound: float = math.inf) -> np.ndarray:
    """A list of `n` rows of `width` numbers, as an array (lengths checked first). -> (n, width)"""
    _expect(isinstance(rows, list) and len(rows) == n, f"{name} must be a list of {n} rows")
    _expect(all(isinstance(r, list) and len(r) == width for r in rows),
            f"{name}: every row must hold {width} number{'s' if width > 1 else ''}")
    return _row([v for r in rows for v in r], n * width, name, bound).reshape(n, width)


def _describe(value: Any) -> str:
    """A JSON value for a message: short values quoted and cut (settings.text.quoted), lists and
    objects by their kind only."""
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, str | int | float):
        return quoted(value if isinstance(value, str) else json.dumps(value)[:50])
    if isinstance(value, list) and len(value) <= 10 and all(isinstance(v, str | int | float) for v in value):
        return quoted(json.dumps(value))
    return "a list" if isinstance(value, list) else "an object"


def _expect(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)
