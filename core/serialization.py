"""A model, or a whole training session, to and from plain JSON-ready dicts (never pickle).

Floats survive a JSON round trip exactly (Python writes the shortest repr that reads back equal).
Malformed or mismatched input raises ValueError with what is wrong.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from core.datasets import MAX_SAMPLES, Dataset
from core.history import History
from core.network import MLP, parameter_count
from core.optimizers import Adam, Momentum
from core.training import Trainer

MODEL_FORMAT = "nn-playground/model"
SESSION_FORMAT = "nn-playground/session"
MAX_PARAMETERS = 100_000


def model_to_dict(net: MLP) -> dict[str, Any]:
    """Architecture and parameters of `net` as a JSON-ready dict."""
    return {"format": MODEL_FORMAT, "version": 1, "layer_sizes": list(net.layer_sizes),
            "hidden_activations": list(net.hidden_activations),
            "output_activation": net.output_activation,
            "weights": [w.tolist() for w in net.weights], "biases": [b.tolist() for b in net.biases]}


def model_from_dict(d: Any) -> MLP:
    """The network described by `d` (from model_to_dict); ValueError when malformed."""
    _expect(isinstance(d, dict) and d.get("format") == MODEL_FORMAT,
            f"not a model: expected a JSON object with format {MODEL_FORMAT!r}")
    sizes = d.get("layer_sizes")
    _expect(isinstance(sizes, list) and all(type(s) is int for s in sizes),
            "layer_sizes must be a list of integers")
    _expect(parameter_count(sizes) <= MAX_PARAMETERS if len(sizes) >= 2 and min(sizes) > 0
            else True, f"the model has more than {MAX_PARAMETERS} parameters")
    try:
        net = MLP(sizes, list(d.get("hidden_activations", [])),
                  d.get("output_activation", ""), init="zeros")
    except (TypeError, ValueError) as error:
        raise ValueError(f"invalid architecture: {error}") from None
    for name, target, arrays in (("weights", net.weights, d.get("weights")),
                                 ("biases", net.biases, d.get("biases"))):
        _expect(isinstance(arrays, list) and len(arrays) == len(target),
                f"{name} must be a list of {len(target)} arrays")
        for l, (param, values) in enumerate(zip(target, arrays, strict=True)):
            param[...] = _array(values, param.shape, f"{name}[{l}]")
    return net


def trainer_to_dict(trainer: Trainer) -> dict[str, Any]:
    """A training session: model, settings, data, epoch, history and optimizer state."""
    data, opt = trainer.data, trainer.optimizer
    state = {k: v.tolist() for k, v in (("velocity", getattr(opt, "velocity", None)),
                                        ("m", getattr(opt, "m", None)),
                                        ("v", getattr(opt, "v", None))) if v is not None}
    return {
        "format": SESSION_FORMAT, "version": 1, "model": model_to_dict(trainer.net),
        "settings": {"loss": trainer.loss, "optimizer": trainer.optimizer_name,
                     "learning_rate": trainer.learning_rate, "batch_size": trainer.batch_size,
                     "regularization": trainer.regularizer.kind,
                     "regularization_rate": trainer.regularizer.rate,
                     "features": list(trainer.features)},
        "data": {"name": data.name, "kind": data.kind, "n_classes": data.n_classes,
                 **{k: getattr(data, k).tolist() for k in ("X_train", "y_train", "X_test", "y_test")}},
        "epoch": trainer.epoch, "diverged": trainer.diverged,
        "history": trainer.history.to_dict(),
        "optimizer_state": {**state, "t": getattr(opt, "t", 0)},
        "rng": trainer._rng.bit_generator.state,
    }


def trainer_from_dict(d: Any) -> Trainer:
    """The session saved by trainer_to_dict, ready to continue; ValueError when malformed."""
    _expect(isinstance(d, dict) and d.get("format") == SESSION_FORMAT,
            f"not a saved session: expected a JSON object with format {SESSION_FORMAT!r}")
    net = model_from_dict(d.get("model"))
    try:
        trainer = Trainer(net, _dataset(d.get("data")), **_settings(d.get("settings")))
        trainer.epoch = _count(d.get("epoch"), "epoch")
        trainer.diverged = bool(d.get("diverged", False))
        trainer.history = History.from_dict(d.get("history"))
        _restore_optimizer(trainer, d.get("optimizer_state") or {})
        trainer._rng.bit_generator.state = d.get("rng")
    except (TypeError, KeyError, ValueError, OverflowError) as error:
        raise ValueError(f"invalid session: {error}") from None
    return trainer


def _settings(s: Any) -> dict[str, Any]:
    _expect(isinstance(s, dict), "settings must be an object")
    keys = ("loss", "optimizer", "learning_rate", "batch_size", "regularization",
            "regularization_rate", "features")
    return {k: s[k] for k in keys if k in s}


def _dataset(d: Any) -> Dataset:
    _expect(isinstance(d, dict), "data must be an object")
    _expect(d.get("kind") in ("classification", "regression"), "data.kind is invalid")
    sizes = [len(v) if isinstance(v, list) else 0 for v in (d.get("X_train"), d.get("X_test"))]
    _expect(sum(sizes) <= MAX_SAMPLES, f"data: more than {MAX_SAMPLES:,} points")  # before any array
    arrays = {k: _numbers(d.get(k), f"data.{k}") for k in ("X_train", "y_train", "X_test", "y_test")}
    for k, a in arrays.items():
        _expect(a.ndim == 2 and len(a) > 0 and np.all(np.isfinite(a)),
                f"data.{k} must be a non-empty table of finite numbers")
    _expect(arrays["X_train"].shape[1] == 2 == arrays["X_test"].shape[1], "points must be 2-D")
    _expect(len(arrays["X_train"]) == len(arrays["y_train"]) and len(arrays["X_test"])
            == len(arrays["y_test"]), "data: every point needs exactly one target row")
    _expect(arrays["y_train"].shape[1] == arrays["y_test"].shape[1],
            "data: train and test targets must have the same width")
    return Dataset(str(d.get("name", "custom")), d["kind"], _count(d.get("n_classes", 0), "n_classes"),
                   **arrays)


def _restore_optimizer(trainer: Trainer, state: dict) -> None:
    opt, size = trainer.optimizer, trainer.net.params.size
    if isinstance(opt, Momentum) and "velocity" in state:
        opt.velocity = _array(state["velocity"], (size,), "velocity")
    if isinstance(opt, Adam) and "m" in state:
        opt.m, opt.v = _array(state["m"], (size,), "m"), _array(state["v"], (size,), "v")
        opt.t = _count(state.get("t"), "t")


def _numbers(values: Any, name: str) -> np.ndarray:
    try:
        return np.asarray(values, dtype=float)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"{name} must hold numbers only") from None


def _array(values: Any, shape: tuple[int, ...], name: str) -> np.ndarray:
    _expect(not isinstance(values, list) or len(values) == shape[0],  # before any array
            f"{name} has {len(values) if isinstance(values, list) else 0} rows, expected {shape[0]}")
    a = _numbers(values, name)
    _expect(a.shape == shape, f"{name} has shape {a.shape}, expected {shape}")
    _expect(bool(np.all(np.isfinite(a))), f"{name} holds NaN or infinity")
    return a


def _count(value: Any, name: str) -> int:
    _expect(type(value) is int and 0 <= value <= 2 ** 53, f"{name} must be a whole number >= 0")
    return value


def _expect(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


