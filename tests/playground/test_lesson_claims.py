"""Every claim a lesson's text makes, run with the core as the app runs it.

Each test builds the lesson's setup with `Config(**settings)` and `playground.settings.build.build_trainer`
(init seed = the lesson's, 0, unless a test says otherwise), trains as long as a student would
plausibly watch (speed 5 paints 5 epochs a frame: 500 epochs = 100 frames) and asserts the claim
with a stated threshold. The key words of each claim are asserted too, so a reworded lesson
points here. Robustness over init seeds 0–9 was measured when the thresholds were chosen; the
docstrings give the ranges. Only `lesson()` reads playground.settings.lessons.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import pytest

from playground.settings.build import build_trainer
from playground.settings.config import LEARNING_RATES, Config


class Lesson(NamedTuple):
    settings: dict  # every Config field
    compare: dict  # the fields Compare mode's second setup changes ({} for the article's lessons)
    text: str  # the prompt or caption


def lesson(lesson_id: str) -> Lesson:
    """The adapter: a classroom lesson by id, or the article's "article-1" … "article-3", whose
    settings apply over the app's defaults (fields they do not name keep their value)."""
    from playground.settings.lessons import ARTICLE_LESSONS, LESSONS_BY_ID

    found = {entry.id: entry for entry in ARTICLE_LESSONS}.get(lesson_id) or LESSONS_BY_ID[lesson_id]
    return Lesson(found.settings, found.compare, found.prompt)


def config(lesson_id: str, compare: bool = False, **changes) -> Config:
    """The lesson's setup (or its Compare-mode setup) with `changes` made as a student would."""
    the = lesson(lesson_id)
    return Config(**{**the.settings, **(the.compare if compare else {}), **changes})


def trained(cfg: Config, epochs: int, init_seed: int = 0):
    trainer = build_trainer(cfg, init_seed)
    trainer.step(epochs)
    return trainer


def first_epoch(values: np.ndarray, condition) -> float:
    """The first epoch (1-based) whose value meets `condition`; inf when none does."""
    hits = np.flatnonzero(condition(values))
    return float(hits[0] + 1) if len(hits) else math.inf


def says(lesson_id: str, *phrases: str) -> None:
    text = lesson(lesson_id).text
    for phrase in phrases:
        assert phrase in text, f"{lesson_id} no longer says {phrase!r}: update its test"


# --- the article's three lessons (full-batch gradient descent, MSE, learning rate 0.3) ----------

@pytest.mark.parametrize("init_seed", [0, 1, 2])
def test_article_perceptron_cost_falls_to_almost_zero(init_seed):
    """Claim: the clusters are split by a line and the cost falls to almost zero. Threshold: MSE
    < 0.01 within 100 epochs, test accuracy ≥ 0.99. Measured, seeds 0–9: < 0.01 at epoch 1–74,
    test accuracy 0.996–1 at epoch 100."""
    says("article-1", "the cost falls to almost zero")
    trainer = trained(config("article-1"), 100, init_seed)
    assert trainer.history.train_loss[-1] < 0.01
    assert trainer.evaluate()[3] >= 0.99


@pytest.mark.parametrize("init_seed", [0, 1, 2])
def test_article_perceptron_on_xor_never_gets_past_a_line(init_seed):
    """Claims: at best three in four right (usually about half), and the cost never falls much
    below 0.25 (ŷ = ½ everywhere) whatever the learning rate. Thresholds over 1,000 epochs at every
    rate of the ladder: train accuracy never above 0.76, MSE never below 0.24; at the lesson's 0.3
    the final train accuracy is within 0.35–0.65. Measured, seeds 0–9: MSE ≥ 0.246, accuracy
    ≤ 0.736 (0.72–0.73 at rate 10); at 0.3, 0.448 except seed 3 (0.656, MSE 0.35: "usually")."""
    says("article-2", "three points in four", "about half", "never falls much below 0.25",
         "whatever the learning rate")
    for rate in LEARNING_RATES:
        history = trained(config("article-2", learning_rate=rate), 1000, init_seed).history
        assert history.train_accuracy.max() <= 0.76, rate
        assert history.train_loss.min() >= 0.24, rate
        if rate == lesson("article-2").settings["learning_rate"]:
            assert 0.35 <= history.train_accuracy[-1] <= 0.65


@pytest.mark.parametrize("init_seed", [0, 1, 2])
def test_article_hidden_layer_learns_xor(init_seed):
    """Claim: one hidden layer of four tanh neurons learns XOR. Threshold within 1,000 epochs:
    test accuracy ≥ 0.85 (a line gets at most ~0.75), and ≥ 0.95 for the default seed 0.
    Measured, seeds 0–11: ≥ 0.9 by epoch 90–340 for 11 of 12 (seed 2: 0.89 at 1,000, 0.9 at
    1,145); ≥ 0.95 by epoch 1,000 for 9 of 12."""
    says("article-3", "one hidden layer of four tanh neurons", "XOR is learned")
    accuracy = trained(config("article-3"), 1000, init_seed).history.test_accuracy
    assert accuracy.max() >= (0.95 if init_seed == 0 else 0.85)


# --- the classroom's lessons -----------------------------------------------------------------

@pytest.mark.parametrize("init_seed", [0, 1, 2])
def test_perceptron_finds_the_line_in_a_few_epochs_and_slower_at_0_003(init_seed):
    """Claims: the line swings between the clusters within a few epochs; Compare mode's learning
    rate 0.003 finds the same line in several times as many epochs. Thresholds: test accuracy
    ≥ 0.99 within 5 epochs (one frame); at 0.003 also ≥ 0.99 within 100 epochs, and the loss
    takes ≥ 4× as many epochs to fall below 0.1. Measured, seeds 0–9: 1–5 epochs; at 0.003 1–42;
    loss < 0.1 at epoch 1–4 vs 8–41 (7–10×), except seed 6 (both 1: its first line is right)."""
    says("perceptron", "within a few epochs", "learning rate 0.003", "several times as many epochs")
    fast = trained(config("perceptron"), 100, init_seed).history
    slow = trained(config("perceptron", compare=True), 100, init_seed).history
    assert lesson("perceptron").compare == {"learning_rate": 0.003}
    assert first_epoch(fast.test_accuracy, lambda a: a >= 0.99) <= 5
    assert first_epoch(slow.test_accuracy, lambda a: a >= 0.99) <= 100
    below = [first_epoch(h.train_loss, lambda loss: loss < 0.1) for h in (fast, slow)]
    assert below[0] <= 5 and below[1] >= 4 * below[0]


@pytest.mark.parametrize("noise", [20, 50])
def test_perceptron_with_noise_is_never_perfect(noise):
    """Claim: at 20 % noise or more the clusters overlap and no line is perfect. Threshold: the
    train accuracy stays below 0.99 for 500 epochs. Measured: best 0.976 at 20 %, 0.944 at 50 %
    (and 0.996 at 10 %: a line separates those training points, hence "20 % or more")."""
    says("perceptron", "20 % or more", "no line can be perfect")
    assert trained(config("perceptron", noise=noise), 500).history.train_accuracy.max() < 0.99


@pytest.mark.parametrize("init_seed", [0, 1, 2])
def test_xor_single_neuron_stays_near_half_and_a_hidden_layer_learns_it(init_seed):
    """Claims: the single neuron stays near 50 % however long it trains; one hidden layer of four
    learns XOR. Thresholds: over epochs 100–2,000 the mean train and test accuracy are within
    0.35–0.6, never above 0.75, and the loss never below 0.68 (ln 2 ≈ 0.693: a coin flip's);
    with the hidden layer, test accuracy ≥ 0.9 within 500 epochs. Measured, seeds 0–9: mean
    0.44 train, 0.42 test, range 0.33–0.73, loss ≥ 0.685; hidden layer ≥ 0.9 by epoch 19–246."""
    says("xor", "stays near 50 % however long it trains", "one hidden layer of four neurons")
    single = trained(config("xor"), 2000, init_seed).history
    for accuracy in (single.train_accuracy[99:], single.test_accuracy[99:]):
        assert 0.35 <= accuracy.mean() <= 0.6 and accuracy.max() <= 0.75
    assert single.train_loss.min() >= 0.68
    assert lesson("xor").compare == {"hidden": (4,)}
    hidden = trained(config("xor", compare=True), 500, init_seed).history
    assert hidden.test_accuracy.max() >= 0.9


@pytest.mark.parametrize("init_seed", [0, 1, 2])
def test_circle_squares_learn_in_ten_epochs_and_x1_x2_need_a_hidden_layer(init_seed):
    """Claims: with x₁², x₂² one neuron learns the circle in about ten epochs; on x₁, x₂ no line
    works; with hidden neurons it learns again, slowly. Thresholds: squares ≥ 0.95 test accuracy
    within 12 epochs; x₁, x₂ without hidden layer never above 0.6 in 500 epochs; with one hidden
    layer of four, ≥ 0.95 within 500 epochs but ≥ 3× the squares' epochs. Measured, seeds 0–9:
    squares ≥ 0.95 at epoch 6–10 (≥ 0.97 at 8–12); no hidden layer ≤ 0.53; hidden ≥ 0.95 at
    epoch 65–111 (7–13× the squares')."""
    says("circle-features", "in about ten epochs", "no line works", "learn again, slowly")
    squares = trained(config("circle-features"), 12, init_seed).history
    squares_epoch = first_epoch(squares.test_accuracy, lambda a: a >= 0.95)
    assert squares_epoch <= 12
    lines = trained(config("circle-features", compare=True), 500, init_seed).history
    assert lines.test_accuracy.max() <= 0.6 and lines.train_accuracy.max() <= 0.6
    hidden = trained(config("circle-features", compare=True, hidden=(4,)), 500, init_seed).history
    hidden_epoch = first_epoch(hidden.test_accuracy, lambda a: a >= 0.95)
    assert 3 * squares_epoch <= hidden_epoch <= 500


@pytest.mark.parametrize("init_seed", [0, 1, 2])
def test_spiral_small_net_stalls_both_helps_learn_fast_each_alone_gets_further(init_seed):
    """Claims: the small network finds a rough blob and stops improving; Compare mode (more layers
    and neurons and the sin inputs) learns the spiral in about a hundred epochs; each help alone
    (the title: depth or features) does better than the small network. Thresholds: small network
    ≤ 0.75 test accuracy at 1,000 epochs, its loss there ≥ 85 % of epoch 200's; Compare ≥ 0.9
    within 120 epochs; each help alone ≥ 0.1 above the small network at 1,000 epochs. Measured,
    seeds 0–9: small 0.57–0.68, loss 87–94 % of epoch 200's; Compare ≥ 0.9 at epoch 39–116;
    depth alone 0.87–0.97, sin alone 0.79–0.97 at 1,000 epochs (which is faster depends on the
    seed, as the prompt asks)."""
    says("spiral", "stops improving", "both kinds of help", "about a hundred epochs", "each alone")
    small = trained(config("spiral"), 1000, init_seed).history
    assert small.test_accuracy[-1] <= 0.75
    assert small.train_loss[-1] >= 0.85 * small.train_loss[199]
    both = trained(config("spiral", compare=True), 120, init_seed).history
    assert both.test_accuracy.max() >= 0.9
    for change in lesson("spiral").compare.items():
        alone = trained(config("spiral", **dict([change])), 1000, init_seed).history
        assert alone.test_accuracy[-1] >= small.test_accuracy[-1] + 0.1, change


@pytest.mark.parametrize("init_seed", [0, 1, 2])
def test_learning_rate_1_explodes_0_00001_crawls_0_01_converges(init_seed):
    """Claims: at 1 every step overshoots more, the loss explodes and training stops; at 0.00001
    the loss only crawls down, by about half in 50 epochs; around 0.01 it converges in a few.
    Thresholds: at 1, each epoch's loss ≥ 10× the one before and `diverged` within 10 epochs (two
    frames); at 0.00001 the loss after 50 epochs is 40–70 % of its start; at 0.01, after 5 epochs
    < 1 % of its start and < 0.001. Measured, seeds 0–9: ×1e67 per epoch, diverged at epoch 5;
    52–58 % after 50 epochs (0.15–0.43 % after 500, still 3–470× above 0.01's after 5);
    0.00029–0.00042 after 5 epochs."""
    says("learning-rate", "At learning rate 1", "explodes and training stops", "0.00001",
         "by about half in 50 epochs", "0.01 it converges in a few epochs")
    high = build_trainer(config("learning-rate"), init_seed)
    assert high.learning_rate == 1.0
    start = high.evaluate()[0]
    assert high.step(10) < 10 and high.diverged
    losses = np.concatenate([[start], high.history.train_loss])
    finite = losses[np.isfinite(losses)]
    assert len(finite) >= 3 and np.all(finite[1:] >= 10 * finite[:-1])
    crawl = build_trainer(config("learning-rate", learning_rate=0.00001), init_seed)
    start = crawl.evaluate()[0]
    crawl.step(50)
    assert 0.4 <= crawl.history.train_loss[-1] / start <= 0.7
    good = build_trainer(config("learning-rate", compare=True), init_seed)
    assert good.learning_rate == 0.01
    start = good.evaluate()[0]
    good.step(5)
    assert good.history.train_loss[-1] < min(0.01 * start, 0.001)


def _steepest_step(trainer, resolution: int = 100) -> float:
    """The largest change of the output between neighbouring points of a resolution² grid over
    the input square: 1 for a jump from one class to the other, small for a gentle slope."""
    output = trainer.surface(resolution).output[:, :, 0].astype(float)
    return float(max(np.abs(np.diff(output, axis=0)).max(), np.abs(np.diff(output, axis=1)).max()))


@pytest.mark.parametrize("init_seed", [0, 1, 2])
def test_overfitting_then_l2_gives_small_weights_a_smoother_output_and_a_lower_test_loss(init_seed):
    """Claims: the training loss falls to zero while the test loss climbs; with L2, small weights,
    a smoother boundary, a slightly higher training loss and a much lower test loss. Thresholds
    after 500 epochs: plain train loss < 0.01 and test loss ≥ 1.5× its own minimum; L2: Σw² < ⅓
    of plain's, steepest output step on a 100² grid < ½ of plain's, train loss above plain's but
    < 0.05, test loss < ½ of plain's. Measured, seeds 0–9: plain train ≤ 0.0001, test minimum
    0.25–0.52 at epoch 8–23 then 0.55–1.65; L2 Σw² 9.7 vs 54–67, steepest step 0.28–0.30 vs
    0.90–1.0 (the boundary's length is not shorter: "smoother" is the gentler slope), train
    0.0096, test 0.22–0.23."""
    says("overfitting", "training loss falls to zero while the test loss climbs", "L2",
         "smoother boundary", "slightly higher training loss", "much lower test loss")
    plain = trained(config("overfitting"), 500, init_seed)
    l2 = trained(config("overfitting", compare=True), 500, init_seed)
    assert lesson("overfitting").compare == {"regularization": "l2"}
    assert l2.regularizer.rate > 0
    plain_history = plain.history
    assert plain_history.train_loss[-1] < 0.01
    assert plain_history.test_loss[-1] >= 1.5 * plain_history.test_loss.min()
    squares = [sum(float(np.sum(w * w)) for w in t.net.weights) for t in (plain, l2)]
    assert squares[1] < squares[0] / 3
    assert _steepest_step(l2) < _steepest_step(plain) / 2
    plain_loss, l2_loss = plain.evaluate(), l2.evaluate()
    assert plain_loss[0] < l2_loss[0] < 0.05
    assert l2_loss[1] < plain_loss[1] / 2


@pytest.mark.parametrize("init_seed", [0, 1, 2])
def test_momentum_and_adam_beat_creeping_sgd_after_a_few_hundred_epochs(init_seed):
    """Claims: plain SGD at 0.01 creeps; momentum and Adam do better; compare after a few hundred
    epochs. Thresholds at 300 epochs: SGD's train loss ≥ 80 % of its first epoch's; momentum's
    and Adam's train loss ≥ 0.2 below SGD's. Measured, seeds 0–9: SGD 0.57–0.64 (84–95 % of its
    first epoch's), momentum 0.05–0.22, Adam 0.001–0.35 (seed 3's Adam oscillates: 0.20 at 100
    epochs); both at least 0.28 below SGD."""
    says("optimizers", "Plain SGD at 0.01 creeps", "momentum", "Adam", "a few hundred epochs")
    assert lesson("optimizers").compare == {"optimizer": "adam"}
    sgd = trained(config("optimizers"), 300, init_seed).history.train_loss
    assert lesson("optimizers").settings["learning_rate"] == 0.01
    assert sgd[-1] >= 0.8 * sgd[0]
    for optimizer in ("momentum", "adam"):
        loss = trained(config("optimizers", optimizer=optimizer), 300, init_seed).history.train_loss
        assert loss[-1] <= sgd[-1] - 0.2, optimizer


def _layer_sizes_and_widths(trainer) -> tuple[np.ndarray, np.ndarray]:
    """Each link layer's gradient size (core) and the mean width bucket its links are drawn with
    in the Gradients view (the app's own frame: |code| − 1)."""
    from playground.live.learning import network_gradient_frame, trainer_gradients

    view = trainer_gradients(trainer)
    _, arrays = network_gradient_frame(trainer, view, hover=False)
    widths = np.abs(arrays["codes"].astype(int)) - 1
    bounds = np.cumsum([0, *(w.size for w in trainer.net.weights)])
    means = [widths[a:b].mean() for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
    return view.layer_sizes, np.array(means)


@pytest.mark.parametrize("init_seed", [0, 1, 2])
def test_vanishing_gradient_sigmoid_first_layer_is_100_times_smaller_and_relu_tanh_are_not(init_seed):
    """Claims: with sigmoid the first layer's gradient is over 100× smaller than the last's, the
    links fade towards the inputs, and after 200 epochs the network is at chance (about 50 %);
    with ReLU (Compare mode) every layer's gradient stays within 100× of the last's and the circle
    is learned; tanh works too. Thresholds at epochs 0, 100 and 200: sigmoid last/first ≥ 100 and
    the last link layer drawn ≥ 2 width steps (100×) wider than the first on average; ReLU
    last/any layer < 100; tanh last/first < 100; test accuracy at 200 epochs: sigmoid 0.4–0.6,
    ReLU and tanh > 0.95. Measured, seeds 0–2: sigmoid ratio 1,180–24,400 and widths 0.0–0.9 vs
    4.0; ReLU ≤ 27 over every layer; tanh ≤ 87; accuracies 0.476, 1.0, ≥ 0.992. Over 20 seeds see
    benchmarks/vanishing_gradient.py (one ReLU seed in 20 dies: not seeds 0–2)."""
    says("vanishing-gradient", "over 100 times smaller than the last's", "fade towards the inputs",
         "after 200 epochs the network is still at chance", "with ReLU", "within 100× of the last's",
         "the circle is learned", "tanh works too")
    assert lesson("vanishing-gradient").compare == {"activation": "relu"}
    assert lesson("vanishing-gradient").settings["gradients"] is True
    runs = {name: build_trainer(config("vanishing-gradient", compare=name == "relu",
                                       **({"activation": "tanh"} if name == "tanh" else {})), init_seed)
            for name in ("sigmoid", "relu", "tanh")}
    assert runs["relu"].net.layer_activations[0].name == "relu"
    for epoch in (0, 100, 200):
        for name, trainer in runs.items():
            trainer.step(epoch - trainer.epoch)
            sizes, widths = _layer_sizes_and_widths(trainer)
            if name == "sigmoid":
                assert sizes[-1] / sizes[0] >= 100, epoch
                assert widths[-1] - widths[0] >= 2, (epoch, widths)
            elif name == "relu":
                assert np.max(sizes[-1] / sizes) < 100, epoch
            else:
                assert sizes[-1] / sizes[0] < 100, epoch
    accuracy = {name: trainer.evaluate()[3] for name, trainer in runs.items()}
    assert 0.4 <= accuracy["sigmoid"] <= 0.6
    assert accuracy["relu"] > 0.95 and accuracy["tanh"] > 0.95
