"""The metrics panel and two rough edges of TensorFlow Playground (issue 7), through AppTest.

Expected numbers are worked out by hand or by an independent numpy forward pass, never read
from ``Trainer.metrics``.
"""

import math
import re

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from playground.panels.metrics import penalty_label
from tests.playground.session import app
from tests.playground.views import figure, stats, typed_array

ACTIVATIONS = {"tanh": np.tanh, "sigmoid": lambda z: 1 / (1 + np.exp(-z)), "linear": lambda z: z,
               "softmax": lambda z: np.exp(z - z.max(1, keepdims=True))
               / np.exp(z - z.max(1, keepdims=True)).sum(1, keepdims=True)}



def step(at: AppTest, times: int) -> AppTest:
    for _ in range(times):
        at.button(key="step").click().run()
    return at


def panel(at: AppTest) -> str:
    """The HTML of the metrics panel's two tables."""
    return "".join(m.value for m in at.markdown if "pg-metrics" in m.value)


def shown(at: AppTest, cell_id: str) -> str:
    match = re.search(rf'id="{cell_id}">([^<]*)<', panel(at))
    assert match, f"{cell_id} not in the metrics panel"
    return match[1]


def predictions(trainer, X: np.ndarray, output: str) -> np.ndarray:
    """Independent forward pass on the raw points (features x1, x2 only)."""
    net, a = trainer.net, np.asarray(X, float)
    for index, (w, b) in enumerate(zip(net.weights, net.biases, strict=True)):
        a = ACTIVATIONS[output if index == len(net.weights) - 1 else "tanh"](a @ w + b)
    return a


def confusion(true: np.ndarray, predicted: np.ndarray, k: int) -> np.ndarray:
    counts = np.zeros((k, k), int)
    np.add.at(counts, (true, predicted), 1)
    return counts


# --- hand-checked --------------------------------------------------------------------------

def test_a_network_that_says_class_0_everywhere_gets_the_numbers_worked_by_hand():
    """Every weight 0 but one, output bias −0.1: ŷ = σ(−0.1) for every point, all class 0."""
    at = app(regularization="l2", regularization_rate="0.01")
    trainer = at.session_state.trainer
    trainer.net.params[:] = 0.0
    trainer.set_weight(0, 0, 0, 2.0)  # feeds hidden 1 · neuron 0, whose outgoing weights are 0
    trainer.set_bias(2, 0, -0.1)
    at.run()
    y = trainer.data.labels_test
    n1, n0 = int(y.sum()), int(len(y) - y.sum())
    p = 1 / (1 + math.exp(0.1))  # σ(−0.1) = 0.47502…
    loss = -(n1 * math.log(p) + n0 * math.log(1 - p)) / len(y)
    penalty = 0.01 * 0.5 * 2.0 ** 2  # L2: λ·½Σw², one weight of 2
    assert shown(at, "metric-loss-test") == f"{loss:.4g}"
    assert shown(at, "metric-penalty-test") == shown(at, "metric-penalty-train") == "0.02"
    assert shown(at, "metric-total-test") == f"{loss + penalty:.4g}"
    assert shown(at, "metric-accuracy-test") == f"{100 * n0 / len(y):.1f} %"
    assert [shown(at, f"confusion-{t}-{p}") for t in (0, 1) for p in (0, 1)] == [
        f"{n0:,}", "0", f"{n1:,}", "0"]
    assert "+ L2 penalty (λ·½Σw², λ = 0.01)" in panel(at)


# --- independent forward passes ---------------------------------------------------------------

def test_binary_metrics_equal_an_independent_forward_pass():
    at = step(app(regularization="l1", regularization_rate="0.003", batch_size="25"), 4)
    trainer = at.session_state.trainer
    for split, X, y in (("train", trainer.data.X_train, trainer.data.labels_train),
                        ("test", trainer.data.X_test, trainer.data.labels_test)):
        p = predictions(trainer, X, "sigmoid")[:, 0]
        loss = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
        penalty = 0.003 * sum(np.abs(w).sum() for w in trainer.net.weights)  # L1, weights only
        predicted = (p > 0.5).astype(int)
        assert shown(at, f"metric-loss-{split}") == f"{loss:.4g}"
        assert shown(at, f"metric-penalty-{split}") == f"{penalty:.4g}"
        assert shown(at, f"metric-total-{split}") == f"{loss + penalty:.4g}"
        assert shown(at, f"metric-accuracy-{split}") == f"{100 * np.mean(predicted == y):.1f} %"
    counts = confusion(y, predicted, 2)  # the test set's
    assert counts.sum() == len(y)
    for t in range(2):
        for q in range(2):
            assert shown(at, f"confusion-{t}-{q}") == f"{counts[t, q]:,}"


def test_multiclass_confusion_matrix_equals_an_independent_argmax():
    at = step(app(dataset="blobs4", n_samples="200"), 3)
    trainer = at.session_state.trainer
    assert trainer.net.output_activation == "softmax"
    y = trainer.data.labels_test
    probabilities = predictions(trainer, trainer.data.X_test, "softmax")
    counts = confusion(y, probabilities.argmax(1), 4)
    for t in range(4):
        for q in range(4):
            assert shown(at, f"confusion-{t}-{q}") == f"{counts[t, q]:,}"
    assert shown(at, "metric-accuracy-test") == f"{100 * np.trace(counts) / len(y):.1f} %"
    assert "true 3 · purple" in panel(at) and "predicted 2 · green" in panel(at)


def test_regression_shows_rmse_and_r2_and_no_confusion_matrix():
    at = step(app(dataset="plane"), 3)
    trainer = at.session_state.trainer
    assert trainer.data.kind == "regression"
    for split, X, y in (("train", trainer.data.X_train, trainer.data.y_train),
                        ("test", trainer.data.X_test, trainer.data.y_test)):
        y_hat = predictions(trainer, X, trainer.net.output_activation)
        residuals = y - y_hat
        rmse = math.sqrt(np.mean(residuals ** 2))
        r2 = 1 - np.sum(residuals ** 2) / np.sum((y - y.mean()) ** 2)
        assert shown(at, f"metric-loss-{split}") == f"{np.mean(residuals ** 2):.4g}"  # MSE
        assert shown(at, f"metric-rmse-{split}") == f"{rmse:.4g}"
        assert shown(at, f"metric-r2-{split}") == f"{r2:.3g}"
    assert "confusion-" not in panel(at) and "accuracy" not in panel(at)
    assert "+ penalty (none)" in panel(at)


def test_the_panel_is_computed_only_when_paused():
    at = app(speed="1")
    at.session_state["max_frames"] = 1
    at.button(key="play").click().run()  # the page is laid out while playing
    assert not panel(at)
    assert any("Metrics are computed when paused" in c.value for c in at.caption)
    at.run()  # paused again
    assert shown(at, "metric-loss-test")


def test_a_huge_loss_prints_compactly_in_every_cell():
    """Regression (issue 12.4): the panel had its own fixed-decimal format, so a loss of 1e300
    printed as 301 digits; every cell uses the page's one format (at most 10 characters)."""
    at = app(dataset="plane", output_activation="linear", loss="mse")
    trainer = at.session_state.trainer
    trainer.set_bias(len(trainer.net.biases) - 1, 0, 1e150)  # every prediction ≈ 1e150
    at.run()
    for split in ("train", "test"):
        for metric in ("loss", "total", "rmse"):
            text = shown(at, f"metric-{metric}-{split}")
            assert len(text) <= 10 and re.fullmatch(r"-?\d(\.\d+)?e[+-]\d+", text), text
        assert shown(at, f"metric-rmse-{split}") == "1e+150"


def test_penalty_labels():
    assert penalty_label("none", 0.0) == penalty_label("l1", 0.0) == "+ penalty (none)"
    assert penalty_label("l1", 0.3) == "+ L1 penalty (λ·Σ|w|, λ = 0.3)"


# --- rough edges: the epoch counter and the cost curve's range -----------------------------------

def test_the_epoch_counter_shows_every_digit_of_a_large_count():
    at = app()
    at.session_state.trainer.epoch = 1_234_567
    at.run()
    shown = stats(at)
    assert '<span id="epoch-counter">1,234,567</span>' in shown  # TFP shows 234,567


def cost_extent(at: AppTest) -> tuple[float, float, dict]:
    """(lowest, highest) loss drawn on the cost curve, and its y axis."""
    cost = figure(at, "cost")
    ys = np.concatenate([typed_array(trace["y"]).astype(float) for trace in cost["data"]])
    return float(ys.min()), float(ys.max()), cost["layout"]["yaxis"]


@pytest.mark.parametrize("log_scale", ["0", "1"])
def test_the_cost_curves_range_follows_the_data_and_shrinks_again(log_scale):
    """No fixed range: plotly autoscales the y axis to the curve on every redraw. A hand-edited
    output bias makes the loss jump; after Reset the curve and so its range are small again."""
    at = step(app(log_scale=log_scale), 2)
    low, high, axis = cost_extent(at)
    assert "range" not in axis and axis.get("autorange", True) is not False
    assert axis.get("rangemode", "normal") == "normal"  # the bottom follows the data, not 0
    at.session_state.trainer.set_bias(2, 0, 40.0)  # ŷ ≈ 1 everywhere: class-0 points cost ≈ 40
    step(at, 1)
    _, spiked, _ = cost_extent(at)
    assert spiked > 10 > high
    at.button(key="reset").click().run()
    step(at, 2)
    _, after, axis = cost_extent(at)
    assert after < 1 and "range" not in axis


def test_a_loss_jumping_over_four_decades_turns_the_axis_logarithmic_by_itself():
    """Linear until the losses span more than 4 decades, then log, with every loss drawn as it is."""
    at = step(app(dataset="plane", output_activation="linear"), 2)
    assert cost_extent(at)[2]["type"] == "linear"
    trainer = at.session_state.trainer
    trainer.set_bias(len(trainer.net.biases) - 1, 0, 1e4)  # the output bias: MSE ≈ 1e8 at first
    step(at, 1)
    low, high, axis = cost_extent(at)
    history = at.session_state.trainer.history
    assert axis["type"] == "log" and axis["title"]["text"] == "loss (log)"
    assert math.log10(high / low) > 4 and high > 1e3  # training has pulled the bias back a little
    train = figure(at, "cost")["data"][0]
    np.testing.assert_array_equal(typed_array(train["x"]), history.epochs)
    np.testing.assert_array_equal(typed_array(train["y"]), history.train_loss)
