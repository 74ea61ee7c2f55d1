"""core.derivation: every number against hand computation (the article's closed forms) for the
perceptron, and against the reference backprop (net.loss_and_gradients) for deeper networks."""

import numpy as np
import pytest

from core import MLP, Trainer, make_dataset
from core.derivation import PHASES, UpdateStepper, derive, layer_deltas

RNG = np.random.default_rng(11)
X = RNG.uniform(-3.0, 3.0, (9, 2))
Y = (X[:, 0] - 0.5 * X[:, 1] > 0).astype(float)
ACTIVATIONS = ["sigmoid", "tanh", "relu"]


def perceptron():
    net = MLP([2, 1], output_activation="sigmoid", seed=3)
    net.biases[0][:] = -0.2
    return net


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def deep(activation, sizes=(2, 4, 3, 1), seed=5):
    net = MLP(list(sizes), activation=activation, output_activation="sigmoid", seed=seed)
    net.params[:] += 0.1 * np.random.default_rng(seed).normal(size=net.params.size)  # biases ≠ 0
    return net


# --- the article's perceptron, by hand --------------------------------------------------------

@pytest.mark.parametrize("s", [0, 4, 8])
def test_perceptron_forward_loss_and_chain_for_one_sample(s):
    net = perceptron()
    w, b, n = net.weights[0][:, 0].copy(), net.biases[0][0], len(X)
    d = derive(net, X, Y, "mse", layer=0, neuron=0, sample=s, learning_rate=0.5)
    z = X[s] @ w + b
    y_hat = sigmoid(z)
    np.testing.assert_allclose(d.x, X[s], rtol=0, atol=0)
    np.testing.assert_allclose(d.w, w, rtol=0, atol=0)
    assert (d.b, d.z, d.a) == pytest.approx((b, z, y_hat), rel=1e-13)
    assert d.sample_loss == pytest.approx((Y[s] - y_hat) ** 2, rel=1e-12)
    assert d.cost == pytest.approx(np.mean((Y - sigmoid(X @ w + b)) ** 2), rel=1e-13)
    assert d.dC_da == pytest.approx(2.0 / n * (y_hat - Y[s]), rel=1e-12)
    assert d.da_dz == pytest.approx(y_hat * (1 - y_hat), rel=1e-12)
    assert d.delta == pytest.approx(d.dC_da * d.da_dz, rel=1e-12)
    np.testing.assert_allclose(d.dC_dw, d.delta * X[s], rtol=1e-12)
    assert d.dC_db == d.delta
    assert d.is_output and d.next_weights is None


def test_perceptron_batch_gradient_and_update_are_the_closed_form():
    net = perceptron()
    w, b, n, alpha = net.weights[0][:, 0].copy(), net.biases[0][0], len(X), 0.5
    y_hat = sigmoid(X @ w + b)
    common = (2.0 / n) * (y_hat - Y) * y_hat * (1 - y_hat)  # (2/n)(ŷ − y)σ(z)(1 − σ(z))
    d = derive(net, X, Y, "mse", 0, 0, sample=None, learning_rate=alpha)
    np.testing.assert_allclose(d.grad_w, common @ X, rtol=1e-12)
    np.testing.assert_allclose(d.dC_dw, common @ X, rtol=1e-12)
    assert d.grad_b == pytest.approx(common.sum(), rel=1e-12)
    np.testing.assert_allclose(d.new_w, w - alpha * (common @ X), rtol=1e-12)
    assert d.new_b == pytest.approx(b - alpha * common.sum(), rel=1e-12)
    # batch values: means of the values, sums of the gradient terms
    np.testing.assert_allclose(d.x, X.mean(axis=0), rtol=1e-13)
    assert d.z == pytest.approx(d.w @ d.x + d.b, rel=1e-12)  # z is linear: holds for the mean too
    assert d.a == pytest.approx(y_hat.mean(), rel=1e-13)
    assert d.sample_loss == d.cost
    assert d.delta == pytest.approx(common.sum(), rel=1e-12)


def test_output_logits_and_dC_dy_hat_are_the_closed_form():
    net = perceptron()
    w, b, n = net.weights[0][:, 0], net.biases[0][0], len(X)
    z = X @ w + b
    d = derive(net, X, Y, "mse", 0, 0, sample=4)
    np.testing.assert_allclose(d.z_out, [z[4]], rtol=1e-13)
    np.testing.assert_allclose(d.dC_dy_hat, [2.0 / n * (sigmoid(z[4]) - Y[4])], rtol=1e-12)
    assert d.dC_da == d.dC_dy_hat[0]  # a sigmoid output: ∂C/∂a is ∂C/∂ŷ
    batch = derive(net, X, Y, "mse", 0, 0)
    np.testing.assert_allclose(batch.z_out, [z.mean()], rtol=1e-12)
    np.testing.assert_allclose(batch.dC_dy_hat, [2.0 / n * np.sum(sigmoid(z) - Y)], rtol=1e-12)
    assert derive(net, X, Y, "cross_entropy", 0, 0, sample=4).dC_dy_hat is None


def test_softmax_mse_dC_dy_hat_and_delta_follow_the_jacobian():
    """δⱼ = ŷⱼ (gⱼ − Σₖ ŷₖ gₖ) with g = ∂C/∂ŷ = (2/(n·k))(ŷ − y), for one sample."""
    net = MLP([2, 3], output_activation="softmax", seed=4)
    Y3 = np.eye(3)[RNG.integers(0, 3, len(X))]
    z = X @ net.weights[0] + net.biases[0]
    y_hat = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    g = 2.0 / Y3.size * (y_hat - Y3)
    for j in range(3):
        d = derive(net, X, Y3, "mse", 0, j, sample=6)
        np.testing.assert_allclose(d.z_out, z[6], rtol=1e-13)
        np.testing.assert_allclose(d.dC_dy_hat, g[6], rtol=1e-12)
        assert d.delta == pytest.approx(y_hat[6, j] * (g[6, j] - y_hat[6] @ g[6]), rel=1e-11)


def test_perceptron_cross_entropy_delta_is_y_hat_minus_y_over_n():
    net = perceptron()
    d = derive(net, X, Y, "cross_entropy", 0, 0, sample=2)
    y_hat = sigmoid(X[2] @ net.weights[0][:, 0] + net.biases[0][0])
    assert d.delta == pytest.approx((y_hat - Y[2]) / len(X), rel=1e-12)
    assert d.dC_da is None and d.da_dz is None  # σ'(z) cancels: no separate terms
    assert d.sample_loss == pytest.approx(-np.log(y_hat) if Y[2] else -np.log(1 - y_hat), rel=1e-10)


# --- deeper networks, against the reference backprop -----------------------------------------

@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("loss", ["mse", "cross_entropy"])
def test_every_neuron_matches_the_reference_backprop(activation, loss):
    net = deep(activation)
    cost, grads = net.loss_and_gradients(X, Y, loss)
    for l in range(len(net.weights)):
        for j in range(net.layer_sizes[l + 1]):
            batch = derive(net, X, Y, loss, l, j)
            np.testing.assert_array_equal(batch.grad_w, grads.weights[l][:, j])
            assert batch.grad_b == grads.biases[l][j]
            np.testing.assert_allclose(batch.dC_dw, grads.weights[l][:, j], rtol=1e-10, atol=1e-15)
            per_sample = [derive(net, X, Y, loss, l, j, s) for s in range(len(X))]
            np.testing.assert_allclose(sum(p.dC_dw for p in per_sample), grads.weights[l][:, j],
                                       rtol=1e-10, atol=1e-15)
            assert sum(p.dC_db for p in per_sample) == pytest.approx(grads.biases[l][j], abs=1e-14)
            assert batch.cost == cost == net.loss(X, Y, loss)


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_hidden_neuron_chain_by_hand(activation):
    """∂C/∂a = Σₖ wⱼₖ δₖ from the layer above, δ = ∂C/∂a · f'(z), ∂C/∂wᵢ = δ·xᵢ."""
    net, s = deep(activation, sizes=(2, 3, 2, 1)), 5
    fp = net.forward_pass(X)
    deltas = layer_deltas(net, fp, Y.reshape(-1, 1), "mse")
    for j in range(3):
        d = derive(net, X, Y, "mse", layer=0, neuron=j, sample=s)
        z = X[s] @ net.weights[0][:, j] + net.biases[0][j]
        a = {"sigmoid": sigmoid, "tanh": np.tanh, "relu": lambda v: max(v, 0.0)}[activation](z)
        slope = {"sigmoid": a * (1 - a), "tanh": 1 - a * a, "relu": float(z > 0)}[activation]
        assert (d.z, d.a, d.da_dz) == pytest.approx((z, a, slope), rel=1e-12, abs=1e-15)
        np.testing.assert_array_equal(d.next_weights, net.weights[1][j])
        np.testing.assert_array_equal(d.next_deltas, deltas[1][s])
        assert d.dC_da == pytest.approx(d.next_weights @ d.next_deltas, rel=1e-12, abs=1e-16)
        assert d.delta == pytest.approx(d.dC_da * slope, rel=1e-12, abs=1e-16)
        np.testing.assert_allclose(d.dC_dw, d.delta * X[s], rtol=1e-12, atol=1e-16)


def test_layer_deltas_give_the_reference_gradients():
    net = deep("tanh", sizes=(2, 5, 4, 2))
    Y2 = np.stack([Y, 1 - Y], axis=1)
    fp = net.forward_pass(X)
    _, grads = net.loss_and_gradients(X, Y2, "mse")
    for l, delta in enumerate(layer_deltas(net, fp, Y2, "mse")):
        np.testing.assert_allclose(fp.activations[l].T @ delta, grads.weights[l], rtol=1e-12)
        np.testing.assert_allclose(delta.sum(axis=0), grads.biases[l], rtol=1e-12, atol=1e-16)


def test_softmax_output_has_no_split_chain_but_the_right_delta():
    net = MLP([2, 3, 3], activation="tanh", output_activation="softmax", seed=2)
    Y3 = np.eye(3)[RNG.integers(0, 3, len(X))]
    _, grads = net.loss_and_gradients(X, Y3, "cross_entropy")
    d = derive(net, X, Y3, "cross_entropy", layer=1, neuron=2)
    assert d.dC_da is None and d.da_dz is None
    assert d.delta == pytest.approx(grads.biases[1][2], rel=1e-12)
    assert d.y.shape == d.y_hat.shape == (3,)


def test_derive_changes_nothing_and_returns_read_only_arrays():
    net = deep("relu")
    before = net.params.copy()
    d = derive(net, X, Y, "mse", 1, 2, sample=0)
    np.testing.assert_array_equal(net.params, before)
    with pytest.raises(ValueError):
        d.w[0] = 1.0


@pytest.mark.parametrize("choice", [dict(layer=3, neuron=0), dict(layer=0, neuron=4),
                                    dict(layer=0, neuron=0, sample=9), dict(layer=-1, neuron=0)])
def test_invalid_choices_raise_value_error(choice):
    with pytest.raises(ValueError):
        derive(deep("tanh"), X, Y, "mse", **choice)


# --- stepping through one update -----------------------------------------------------------

@pytest.mark.parametrize("sizes", [(2, 1), (2, 4, 1), (3, 5, 4, 2)])
def test_stepper_phases_change_exactly_what_they_should(sizes):
    net = deep("tanh", sizes=sizes)
    Xs = X if sizes[0] == 2 else np.column_stack([X, X[:, 0] * X[:, 1]])
    Ys = Y if sizes[-1] == 1 else np.stack([Y, 1 - Y], axis=1)
    stepper, before = UpdateStepper(net, Xs, Ys, "mse", learning_rate=0.7), net.params.copy()
    cost, grads = net.loss_and_gradients(Xs, Ys, "mse")
    assert [stepper.advance() for _ in PHASES[:3]] == list(PHASES[:3])
    np.testing.assert_array_equal(net.params, before)  # forward, loss, backward: no change
    np.testing.assert_array_equal(stepper.forward_pass.output, net.forward(Xs))
    assert stepper.cost == cost
    np.testing.assert_array_equal(stepper.gradients.flat, grads.flat)
    assert stepper.is_current()
    assert stepper.advance() == "update"
    np.testing.assert_array_equal(net.params, before - 0.7 * grads.flat)
    np.testing.assert_array_equal(stepper.changes.flat, -0.7 * grads.flat)
    assert stepper.is_current() and stepper.next_phase == "forward"


def test_stepper_starts_a_new_step_after_update_and_notices_outside_changes():
    net = deep("sigmoid")
    stepper = UpdateStepper(net, X, Y, "cross_entropy", 0.1)
    for _ in PHASES:
        stepper.advance()
    updated = net.params.copy()
    assert stepper.advance() == "forward" and stepper.gradients is None
    np.testing.assert_array_equal(stepper.params_before, updated)
    net.params[0] += 1.0
    assert not stepper.is_current()
    stepper.reset()
    assert stepper.phase is None and stepper.is_current()


def test_a_stepper_from_a_trainer_steps_a_copy_and_never_the_trainer():
    data = make_dataset("xor", n_samples=40, seed=1)
    trainer = Trainer(MLP([2, 3, 1], seed=2), data, loss="mse", optimizer="gd", learning_rate=0.3)
    trainer.step(2)
    before, history = trainer.net.params.copy(), len(trainer.history)
    _, grads = trainer.net.loss_and_gradients(trainer.X_train, trainer.y_train, "mse")
    stepper = UpdateStepper.from_trainer(trainer)
    for _ in PHASES:
        stepper.advance()
    np.testing.assert_array_equal(trainer.net.params, before)
    assert (trainer.epoch, len(trainer.history)) == (2, history)
    np.testing.assert_array_equal(stepper.net.params, before - 0.3 * grads.flat)
    np.testing.assert_array_equal(stepper.start_params, before)  # where this step began
    stepper.advance()  # the next step starts from the copy's updated weights
    np.testing.assert_array_equal(stepper.start_params, before - 0.3 * grads.flat)
