"""The article's own model as three one-click lessons.

Each lesson is a plain dict: a "title", a two-to-three sentence "caption" and "settings", whose keys
are ``playground.config.Config`` field names; fields a lesson does not name keep their current value.
The three differ only where the story needs it: the dataset, then one hidden layer.
"""

from __future__ import annotations

_PERCEPTRON = {
    "noise": 0,
    "features": ("x1", "x2"),
    "hidden": (),
    "activation": "tanh",  # unused without hidden layers; lesson 3 keeps it
    "output_activation": "sigmoid",
    "loss": "mse",
    "optimizer": "gd",
    "learning_rate": 0.3,
    "regularization": "none",
    "regularization_rate": 0.0,
}

ARTICLE_LESSONS: tuple[dict, ...] = (
    {
        "title": "1 · The article's perceptron",
        "caption": (
            "Two inputs, one sigmoid neuron, the mean squared error and full-batch gradient "
            "descent: exactly the article's model. The two clusters can be split by a straight "
            "line, and z = w₁x₁ + w₂x₂ + b = 0 is such a line, so the cost falls to almost zero."
        ),
        "settings": {**_PERCEPTRON, "dataset": "gauss"},
    },
    {
        "title": "2 · The perceptron on XOR",
        "caption": (
            "The same model on XOR, where opposite corners share a class. No straight line "
            "separates them, so a single neuron gets at best three points in four right (usually "
            "about half), and the cost never falls much below 0.25, whatever the learning rate."
        ),
        "settings": {**_PERCEPTRON, "dataset": "xor"},
    },
    {
        "title": "3 · One hidden layer solves XOR",
        "caption": (
            "Add one hidden layer of four tanh neurons: each draws its own line, and the output "
            "neuron combines them into a bent boundary, so XOR is learned. Backpropagation now "
            "carries the error through the hidden layer: pick a hidden neuron in the math view "
            "to see the Σ wδ term."
        ),
        "settings": {**_PERCEPTRON, "dataset": "xor", "hidden": (4,)},
    },
)


# --- the classroom's lessons: each sets every control -----------------------------------------
# A lesson: "id" (its URL name), "title", a two-to-four sentence "prompt", "settings" (every
# Config field, so selecting it sets every control) and "compare": the fields a second setup
# changes, for Compare mode (the lesson's "try this" side by side).

_BASE = {
    "advanced": False, "dataset": "circle", "noise": 0, "train_percent": 50, "n_samples": 500,
    "seed": 0, "features": ("x1", "x2"), "hidden": (4, 2), "activation": "tanh", "init": "auto",
    "init_seed": 0, "output_activation": "sigmoid", "loss": "cross_entropy", "optimizer": "sgd",
    "learning_rate": 0.03, "batch_size": 10, "regularization": "none", "regularization_rate": 0.0,
    "speed": "5", "stop_epoch": 0, "stop_patience": 0,
    "show_test": False, "discretize": False, "log_scale": False,
}
_ALL_FEATURES = ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)")


def _lesson(id_: str, title: str, prompt: str, compare: dict, **settings) -> dict:
    return {"id": id_, "title": title, "prompt": prompt, "settings": {**_BASE, **settings},
            "compare": compare}


LESSONS: tuple[dict, ...] = (
    _lesson("perceptron", "The perceptron on separable data",
            "One neuron, no hidden layer: its decision boundary is the straight line w₁x₁ + w₂x₂ + b = 0. "
            "Press Play and watch the line swing between the two clusters within a few epochs; in "
            "Compare mode, learning rate 0.003 finds the same line in several times as many epochs. "
            "Then raise the noise to 20 % or more: the clusters overlap and no line can be perfect.",
            {"learning_rate": 0.003}, dataset="gauss", hidden=()),
    _lesson("xor", "XOR needs a hidden layer",
            "Opposite corners share a class, so no straight line separates them: the single neuron "
            "stays near 50 % however long it trains. Add one hidden layer of four neurons and press "
            "Play again: each hidden neuron draws a line and the output combines them.",
            {"hidden": (4,)}, dataset="xor", hidden=()),
    _lesson("circle-features", "A circle is easy with x₁², x₂²",
            "With the inputs x₁² and x₂², the circle x₁² + x₂² = r² is a straight line in feature "
            "space, so one neuron learns it in about ten epochs. Now switch the inputs to x₁ and x₂: "
            "without a hidden layer no line works; add hidden neurons and it can learn again, slowly.",
            {"features": ("x1", "x2")}, dataset="circle", hidden=(), features=("x1^2", "x2^2")),
    _lesson("spiral", "A spiral needs depth or features",
            "Two interleaved spiral arms defeat a small network on x₁ and x₂: it finds a rough blob "
            "and stops improving. Compare mode gives it both kinds of help, more layers and neurons and "
            "the sin(x₁), sin(x₂) inputs, and it learns the spiral in about a hundred epochs. Then try "
            "each alone: which learns faster, and which boundary looks more like a spiral?",
            {"hidden": (8, 8, 6), "features": ("x1", "x2", "sin(x1)", "sin(x2)")},
            dataset="spiral", hidden=(4,)),
    _lesson("learning-rate", "Learning rate: too high diverges, too low crawls",
            "A single linear neuron fits a tilted plane. At learning rate 1 every step overshoots "
            "the minimum by more than the last, the loss explodes and training stops. Lower it to "
            "0.00001: the loss only crawls down, by about half in 50 epochs. Around 0.01 it converges "
            "in a few epochs.",
            {"learning_rate": 0.01}, dataset="plane", hidden=(), output_activation="linear",
            loss="mse", learning_rate=1.0),
    _lesson("overfitting", "Overfitting, then L2 regularization",
            "Thirty noisy training points and a big network: the training loss falls to zero while "
            "the test loss climbs, because the network memorises the noise (turn on 'show test "
            "data'). Now choose L2 regularization: small weights mean a smoother boundary, a "
            "slightly higher training loss and a much lower test loss.",
            {"regularization": "l2"}, dataset="circle", noise=20, n_samples=100, train_percent=30,
            hidden=(8, 8, 8, 8), features=_ALL_FEATURES, optimizer="adam", learning_rate=0.01,
            regularization_rate=0.01, show_test=True),
    _lesson("optimizers", "Optimizers: SGD, momentum and Adam on one spiral",
            "The same network, data and learning rate, three optimizers. Plain SGD at 0.01 creeps; "
            "momentum keeps a running velocity and speeds up along consistent directions; Adam "
            "scales each weight's step by its own gradient history. Switch the optimizer and "
            "compare the cost curves after a few hundred epochs.",
            {"optimizer": "adam"}, dataset="spiral", hidden=(8, 8, 8), learning_rate=0.01),
)
LESSONS_BY_ID = {lesson["id"]: lesson for lesson in LESSONS}
