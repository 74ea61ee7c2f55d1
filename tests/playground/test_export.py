"""Exports: history CSV, session JSON round trips, and the standalone script in a subprocess."""

import csv
import io
import json
import subprocess
import sys

import numpy as np
import pytest

from core import MLP, Trainer, make_dataset
from playground.io.export import (
    HISTORY_COLUMNS,
    history_csv,
    load_session_json,
    session_json,
    standalone_script,
)
from playground.settings.build import build_trainer
from playground.settings.config import Config


def session(**changes) -> tuple[Trainer, Config]:
    config = Config(**{**Config().to_dict(), **changes})
    trainer = build_trainer(config, 3)
    trainer.step(7)
    return trainer, config


def test_history_csv_has_the_columns_and_a_row_per_epoch():
    trainer, _ = session()
    rows = list(csv.reader(io.StringIO(history_csv(trainer.history))))
    assert tuple(rows[0]) == HISTORY_COLUMNS and len(rows) == 8
    assert [int(r[0]) for r in rows[1:]] == list(range(1, 8))
    assert float(rows[-1][1]) == trainer.history.train_loss[-1]


def test_history_csv_leaves_regression_accuracy_empty():
    trainer, _ = session(dataset="plane", output_activation="tanh", loss="mse")
    last = history_csv(trainer.history).splitlines()[-1].split(",")
    assert last[3:] == ["", ""] and float(last[1]) > 0


@pytest.mark.parametrize("changes", [{}, {"optimizer": "adam", "features": ("x1", "x2", "x1^2")},
                                     {"optimizer": "momentum", "dataset": "spiral3",
                                      "output_activation": "softmax", "loss": "cross_entropy"}])
def test_session_round_trip_continues_exactly(changes):
    trainer, config = session(**changes)
    loaded, loaded_config = load_session_json(session_json(trainer, config.to_dict()))
    assert Config(**{**loaded_config}) == config and loaded.epoch == trainer.epoch == 7
    np.testing.assert_array_equal(loaded.net.params, trainer.net.params)
    np.testing.assert_array_equal(loaded.history.train_loss, trainer.history.train_loss)
    np.testing.assert_array_equal(loaded.history.epochs, trainer.history.epochs)
    trainer.step(5)
    loaded.step(5)
    np.testing.assert_array_equal(loaded.net.params, trainer.net.params)  # bit-identical


def test_session_json_is_strict_json_and_accepts_bytes():
    trainer, config = session(dataset="plane", output_activation="tanh", loss="mse")
    text = session_json(trainer, config.to_dict())
    assert "NaN" not in text and "Infinity" not in text
    loaded, _ = load_session_json(text.encode())
    assert loaded.epoch == 7


def _document(**changes) -> str:
    trainer, config = session()
    document = json.loads(session_json(trainer, config.to_dict()))
    for path, value in changes.items():
        *parents, leaf = path.split("__")
        target = document
        for key in parents:
            target = target[key]
        target[leaf] = value
    return json.dumps(document)


@pytest.mark.parametrize(("text", "message"), [
    ("", "not valid JSON: Expecting value at line 1, column 1"),
    ("{\"format\": ", "not valid JSON"),
    ("[1, 2]", "not a saved playground session"),
    ("{\"format\": \"nn-playground/app-session\", \"x\": NaN}", "NaN is not allowed"),
    ("[" * 100_000 + "]" * 100_000, "nested too deeply|not a saved playground session"),
    (b"\xff\xfe{}", "not UTF-8"),
    (" " * 30_000_001, "limit is 30,000,000 bytes"),
])
def test_malformed_files_get_one_clear_message(text, message):
    with pytest.raises(ValueError, match=message):
        load_session_json(text)


@pytest.mark.parametrize(("changes", "message"), [
    ({"version": 2}, "unsupported session version 2"),
    ({"config": [1]}, "config must be a JSON object"),
    ({"config__hidden": [4, 99]}, "config is invalid: hidden"),
    ({"config__colour": "red"}, "unknown settings"),
    ({"config__hidden": [4, 3]}, "inconsistent: its model has layer sizes \\[2, 4, 2, 1\\]"),
    ({"config__features": ["x1", "x2", "x1^2"]}, "inconsistent: its model has layer sizes"),
    ({"config__optimizer": "adam"}, "inconsistent: its model has optimizer sgd"),
    ({"session__format": "other"}, "not a saved session"),
    ({"session__model__weights": [[1]]}, "weights must be a list of 3 arrays"),
    ({"session__epoch": -1}, "epoch must be a whole number"),
])
def test_mismatched_files_get_one_clear_message(changes, message):
    with pytest.raises(ValueError, match=message):
        load_session_json(_document(**changes))


# --- the standalone script -------------------------------------------------------------------

def run_script(script: str, tmp_path, args=(), stdin: str = "") -> np.ndarray:
    path = tmp_path / "network.py"
    path.write_text(script)
    done = subprocess.run([sys.executable, str(path), *args], input=stdin, capture_output=True,
                          text=True, timeout=60, cwd=tmp_path, check=True)
    return np.array([[float(v) for v in line.split()] for line in done.stdout.splitlines()])


@pytest.mark.parametrize(("sizes", "activation", "output", "features", "dataset"), [
    ([2, 4, 2, 1], "tanh", "sigmoid", ("x1", "x2"), "circle"),
    ([7, 5, 3, 1], ["relu", "elu"], "tanh", ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"),
     "xor"),
    ([3, 6, 3], "leaky_relu", "softmax", ("x1", "x2", "x1*x2"), "spiral3"),
    ([2, 3, 3, 1], ["softplus", "sine"], "linear", ("x1", "x2"), "plane"),
    ([2, 1], [], "sigmoid", ("x1", "x2"), "gauss"),
])
def test_standalone_script_reproduces_predictions(tmp_path, sizes, activation, output, features, dataset):
    net = MLP(sizes, activation=activation, output_activation=output, seed=5)
    trainer = Trainer(net, make_dataset(dataset, n_samples=60, seed=1), features=features)
    trainer.step(3)
    points = np.random.default_rng(0).uniform(-6, 6, (25, 2))
    script = standalone_script(trainer)
    assert "import core" not in script and "playground" not in script.split('"""', 2)[2]
    from_stdin = run_script(script, tmp_path, stdin="\n".join(f"{a},{b}" for a, b in points))
    np.testing.assert_allclose(from_stdin[:, :2], points, rtol=0, atol=0)
    np.testing.assert_allclose(from_stdin[:, 2:], trainer.predict(points), rtol=0, atol=1e-12)
    from_args = run_script(script, tmp_path, args=[repr(float(v)) for v in points[:3].ravel()])
    np.testing.assert_allclose(from_args[:, 2:], trainer.predict(points[:3]), rtol=0, atol=1e-12)


def test_standalone_script_prints_a_grid_without_input(tmp_path):
    trainer, _ = session()
    grid = run_script(standalone_script(trainer), tmp_path)
    assert grid.shape == (25, 3)
    np.testing.assert_allclose(grid[:, 2:], trainer.predict(grid[:, :2]), rtol=0, atol=1e-12)
