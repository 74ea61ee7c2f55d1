"""Exports: the loss history as CSV, the session as JSON (and back), the network as a script.

The session file wraps core.serialization's session with the app's settings, so an upload
continues exactly where the download left off: same epoch, weights, history, optimizer state and
shuffling. Malformed or mismatched files raise ValueError with one clear message.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from core import Trainer, trainer_from_dict, trainer_to_dict
from core.history import History
from playground.settings.config import Config

APP_FORMAT = "nn-playground/app-session"
MAX_SESSION_BYTES = 30_000_000  # 30 MB: a 5,000-point session with a full history is ~3 MB
HISTORY_COLUMNS = ("epoch", "train_loss", "test_loss", "train_accuracy", "test_accuracy")
_TUPLE_FIELDS = ("features", "hidden")


def history_csv(history: History) -> str:
    """One row per recorded epoch; an empty cell where a value is undefined (regression accuracy)."""
    columns = [history.epochs, history.train_loss, history.test_loss,
               history.train_accuracy, history.test_accuracy]
    lines = [",".join(HISTORY_COLUMNS)]
    for epoch, *values in zip(*columns, strict=True):
        cells = [repr(float(v)) if not np.isnan(v) else "" for v in values]
        lines.append(",".join([str(int(epoch)), *cells]))
    return "\n".join(lines) + "\n"


def session_json(trainer: Trainer, config_dict: dict[str, Any]) -> str:
    """The whole session (model, data, history, optimizer state) and the app's settings as JSON."""
    document = {"format": APP_FORMAT, "version": 1, "config": config_dict,
                "session": trainer_to_dict(trainer)}
    return json.dumps(document, allow_nan=False, separators=(",", ":"))


def load_session_json(text: str | bytes) -> tuple[Trainer, dict[str, Any]]:
    """(trainer, config dict) from session_json's output; ValueError when malformed or mismatched."""
    if len(text) > MAX_SESSION_BYTES:
        raise ValueError(f"the file is {len(text):,} bytes; the limit is {MAX_SESSION_BYTES:,} bytes")
    document = _parse_json(text)
    if not isinstance(document, dict) or document.get("format") != APP_FORMAT:
        raise ValueError(f"not a saved playground session: expected a JSON object with format "
                         f"{APP_FORMAT!r} (download one with 'Save session')")
    if document.get("version") != 1:
        raise ValueError(f"unsupported session version {document.get('version')!r}; this app reads 1")
    config = _config(document.get("config"))
    trainer = trainer_from_dict(document.get("session"))
    _check_match(trainer, config)
    return trainer, config.to_dict()


def _parse_json(text: str | bytes) -> Any:
    try:
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        return json.loads(text, parse_constant=_reject_constant)
    except UnicodeDecodeError as error:
        raise ValueError(f"the file is not UTF-8 text (invalid byte at position {error.start})") from None
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        raise ValueError(f"not valid JSON: {error.msg} at {where}") from None
    except RecursionError:
        raise ValueError("not a saved session: the JSON is nested too deeply") from None


def _reject_constant(name: str) -> None:
    raise ValueError(f"not valid JSON: {name} is not allowed (strict JSON has no NaN or infinity)")


def _config(values: Any) -> Config:
    if not isinstance(values, dict):
        raise ValueError("the session's config must be a JSON object of settings")
    values = {k: tuple(v) if k in _TUPLE_FIELDS and isinstance(v, list) else v for k, v in values.items()}
    try:
        return Config(**values)
    except TypeError as error:
        raise ValueError(f"the session's config has unknown settings: {error}") from None
    except ValueError as error:
        raise ValueError(f"the session's config is invalid: {error}") from None


def _check_match(trainer: Trainer, config: Config) -> None:
    """The settings must describe the saved model, or 'continue' would silently change it."""
    net = trainer.net
    pairs = {"layer sizes": (list(net.layer_sizes), config.layer_sizes),
             "features": (list(trainer.features), list(config.features)),
             "hidden activations": (list(net.hidden_activations), list(config.hidden_activations)),
             "output activation": (net.output_activation, config.output_activation),
             "loss": (trainer.loss, config.loss), "optimizer": (trainer.optimizer_name, config.optimizer)}
    for name, (saved, configured) in pairs.items():
        if saved != configured:
            raise ValueError(f"the session is inconsistent: its model has {name} {saved}, "
                             f"its settings say {configured}")


# --- a standalone numpy script -----------------------------------------------------------------

_SCRIPT_HEAD = '''"""A neural network trained in the neural network playground.
{summary}.

Needs only numpy. Predictions for points given on the command line, on stdin (one "x1 x2" or
"x1,x2" per line), or, with neither, for a small grid:
    python {filename} 1.5 -2 0 3        # the points (1.5, -2) and (0, 3)
    python {filename} < points.txt
Each output line is: x1 x2 prediction(s).
"""

import sys

import numpy as np

FEATURES = {features!r}  # inputs computed from each point (x1, x2)
ACTIVATIONS = {activations!r}  # one per layer after the input, the output's last
'''

_SCRIPT_BODY = '''

def feature_map(points):
    """points: (n, 2) -> (n, len(FEATURES))."""
    x1, x2 = points[:, 0], points[:, 1]
    maps = {"x1": x1, "x2": x2, "x1^2": x1 * x1, "x2^2": x2 * x2, "x1*x2": x1 * x2,
            "sin(x1)": np.sin(x1), "sin(x2)": np.sin(x2)}
    return np.stack([maps[name] for name in FEATURES], axis=1)


def activate(name, z):
    """a = f(z) for the activation `name`. z: (n, k)."""
    if name == "sigmoid":
        return 0.5 * (1.0 + np.tanh(0.5 * z))  # = 1 / (1 + exp(-z)), without overflow
    if name == "softmax":
        e = np.exp(z - np.max(z, axis=1, keepdims=True))
        return e / np.sum(e, axis=1, keepdims=True)
    return {"tanh": np.tanh, "relu": lambda v: np.maximum(v, 0.0),
            "leaky_relu": lambda v: np.where(v > 0, v, 0.01 * v), "linear": lambda v: v,
            "elu": lambda v: np.where(v > 0, v, np.expm1(np.minimum(v, 0.0))),
            "softplus": lambda v: np.logaddexp(0.0, v), "sine": np.sin}[name](z)


def predict(points):
    """The network's output for 2-D points. points: (n, 2) -> (n, outputs)."""
    a = feature_map(np.asarray(points, dtype=float).reshape(-1, 2))
    for w, b, name in zip(WEIGHTS, BIASES, ACTIVATIONS):
        a = activate(name, a @ w + b)  # z = a·W + b, then a = f(z)
    return a


def read_points(argv, stdin):
    """Points from the arguments, else from stdin. -> (n, 2)."""
    text = " ".join(argv) if argv else ("" if stdin.isatty() else stdin.read())
    numbers = [float(t) for t in text.replace(",", " ").split()]
    if len(numbers) % 2:
        sys.exit("give an even number of coordinates: x1 x2 [x1 x2 ...]")
    return np.array(numbers).reshape(-1, 2)


if __name__ == "__main__":
    points = read_points(sys.argv[1:], sys.stdin)
    if len(points) == 0:
        axis = np.linspace(-6.0, 6.0, 5)
        points = np.array([(x1, x2) for x2 in axis for x1 in axis])
    for point, output in zip(points, predict(points)):
        print(" ".join(repr(float(v)) for v in (*point, *output)))
'''


def standalone_script(trainer: Trainer, filename: str = "network.py") -> str:
    """A short numpy-only script with the weights as exact literals and a `predict(points)`."""
    net = trainer.net
    names = [*net.hidden_activations, net.output_activation]
    summary = f"layers {list(net.layer_sizes)}, {', '.join(names)}, trained {trainer.epoch} epochs"
    head = _SCRIPT_HEAD.format(summary=summary, filename=filename, features=list(trainer.features),
                               activations=names)
    arrays = "".join(_array_literal(f"{name}[{l}]", a) for name, params in
                     (("WEIGHTS", net.weights), ("BIASES", net.biases)) for l, a in enumerate(params))
    return f"{head}\n{_array_lists(len(net.weights))}{arrays}{_SCRIPT_BODY}"


def _array_lists(n_layers: int) -> str:
    return f"WEIGHTS = [None] * {n_layers}  # WEIGHTS[l]: (fan_in, fan_out)\nBIASES = [None] * {n_layers}\n"


def _array_literal(target: str, a: np.ndarray) -> str:
    """`target = np.array(...)` with every float written as its exact repr, a row per line."""
    rows = a.tolist() if a.ndim == 2 else [a.tolist()]
    body = ",\n    ".join(repr(row) for row in rows)
    inner = f"[\n    {body},\n]" if a.ndim == 2 else body
    return f"{target} = np.array({inner})\n"
