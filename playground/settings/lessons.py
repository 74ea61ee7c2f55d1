"""Lessons: one-click setups, each with a short prompt of what to try and notice.

A lesson is a `Lesson` record: its URL name (`?lesson=<id>`), a title, a two-to-four sentence
prompt, the whole Config it sets (the fields it names over `Config`'s defaults, so selecting it
sets every control) and `compare`: the fields a second setup changes in Compare mode (the
lesson's "try this" side by side).

`ARTICLE_LESSONS` are the article's own model in three steps (the perceptron, the perceptron on
XOR, one hidden layer solves XOR): the first lessons of the lesson box, the lesson row inside
*The math*, and `START_HERE` (article-1, exactly the article: no hidden layer, a sigmoid output,
the MSE and full-batch gradient descent on two separable clusters) is the sidebar's "Start
here". While one of them is chosen, *The math* opens at the top of the page.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from core import FEATURES
from playground.settings.config import DEFAULT, Config


@dataclass(frozen=True)
class Lesson:
    """One lesson: `config` is every setting it sets; `compare` the fields setup B changes."""

    id: str
    title: str
    prompt: str
    config: Config
    compare_fields: tuple[tuple[str, object], ...] = ()  # (Config field, value) pairs
    short: str = ""  # the title in a few words, for a narrow list

    @property
    def label(self) -> str:
        """The short title, or the title."""
        return self.short or self.title

    @property
    def compare(self) -> dict:
        """The fields setup B changes, as a dict."""
        return dict(self.compare_fields)

    @property
    def settings(self) -> dict:
        """Every Config field's value, as a dict."""
        return self.config.to_dict()


def lesson(id_: str, title: str, prompt: str, compare: dict | None = None, short: str = "",
           **settings) -> Lesson:
    """A Lesson whose config is Config's defaults with `settings` changed."""
    return Lesson(id_, title, prompt, replace(DEFAULT, **settings),
                  tuple((compare or {}).items()), short)


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

ARTICLE_LESSONS: tuple[Lesson, ...] = (
    lesson(
        "article-1", "The article's perceptron",
        (
           "Two inputs, one sigmoid neuron, the mean squared error and full-batch gradient "
           "descent: exactly the article's model. The two clusters can be split by a straight "
           "line, and z = w₁x₁ + w₂x₂ + b = 0 is such a line, so the cost falls to almost zero. "
           "The math, at the top, follows one sample through the four steps: pause and click a "
           "point on the surface to pick it."
        ),
        short="The article: perceptron", **{**_PERCEPTRON, "dataset": "gauss"},
    ),
    lesson(
        "article-2", "The article's perceptron on XOR",
        (
           "The same model on XOR, where opposite corners share a class. No straight line "
           "separates them, so a single neuron gets at best three points in four right (usually "
           "about half), and the cost never falls much below 0.25, whatever the learning rate."
        ),
        short="The article: XOR fails", **{**_PERCEPTRON, "dataset": "xor"},
    ),
    lesson(
        "article-3", "One hidden layer solves XOR",
        (
           "Add one hidden layer of four tanh neurons: each draws its own line, and the output "
           "neuron combines them into a bent boundary, so XOR is learned. Backpropagation now "
           "carries the error through the hidden layer: pick a hidden neuron in the math view "
           "to see the Σ wδ term."
        ),
        short="The article: a hidden layer", **{**_PERCEPTRON, "dataset": "xor", "hidden": (4,)},
    ),
)

START_HERE = ARTICLE_LESSONS[0].id  # the sidebar's "Start here": the article's own model
ARTICLE_IDS = frozenset(entry.id for entry in ARTICLE_LESSONS)
ROW_LABELS = {"article-1": "1 · Perceptron", "article-2": "2 · XOR fails",
              "article-3": "3 · Hidden layer"}  # the lesson row inside The math

CLASSROOM_LESSONS: tuple[Lesson, ...] = (
    lesson("perceptron", "The perceptron on separable data",
           "One neuron, no hidden layer: its decision boundary is the straight line w₁x₁ + w₂x₂ + b = 0. "
           "Press Play and watch the line swing between the two clusters within a few epochs; in "
           "Compare mode, learning rate 0.003 finds the same line in several times as many epochs. "
           "Then raise the noise to 20 % or more: the clusters overlap and no line can be perfect.",
           {"learning_rate": 0.003}, short="Perceptron", dataset="gauss", hidden=()),
    lesson("xor", "XOR needs a hidden layer",
           "Opposite corners share a class, so no straight line separates them: the single neuron "
           "stays near 50 % however long it trains. Add one hidden layer of four neurons and press "
           "Play again: each hidden neuron draws a line and the output combines them.",
           {"hidden": (4,)}, short="XOR", dataset="xor", hidden=()),
    lesson("circle-features", "A circle is easy with x₁², x₂²",
           "With the inputs x₁² and x₂², the circle x₁² + x₂² = r² is a straight line in feature "
           "space, so one neuron learns it in about ten epochs. Now switch the inputs to x₁ and x₂: "
           "without a hidden layer no line works; add hidden neurons and it can learn again, slowly.",
           {"features": ("x1", "x2")}, short="Circle features", dataset="circle", hidden=(),
           features=("x1^2", "x2^2")),
    lesson("spiral", "A spiral needs depth or features",
           "Two interleaved spiral arms defeat a small network on x₁ and x₂: it finds a rough blob "
           "and stops improving. Compare mode gives it both kinds of help, more layers and neurons and "
           "the sin(x₁), sin(x₂) inputs, and it learns the spiral in about a hundred epochs. Then try "
           "each alone: which learns faster, and which boundary looks more like a spiral?",
           {"hidden": (8, 8, 6), "features": ("x1", "x2", "sin(x1)", "sin(x2)")},
           short="Spiral", dataset="spiral", hidden=(4,)),
    lesson("learning-rate", "Learning rate: too high diverges, too low crawls",
           "A single linear neuron fits a tilted plane. At learning rate 1 every step overshoots "
           "the minimum by more than the last, the loss explodes and training stops. Lower it to "
           "0.00001: the loss only crawls down, by about half in 50 epochs. Around 0.01 it converges "
           "in a few epochs.",
           {"learning_rate": 0.01}, short="Learning rate", dataset="plane", hidden=(),
           output_activation="linear", loss="mse", learning_rate=1.0),
    lesson("overfitting", "Overfitting, then L2 regularization",
           "Thirty noisy training points and a big network: the training loss falls to zero while "
           "the test loss climbs, because the network memorises the noise (turn on 'show test "
           "data'). Now choose L2 regularization: small weights mean a smoother boundary, a "
           "slightly higher training loss and a much lower test loss.",
           {"regularization": "l2"}, short="Overfitting, then L2", dataset="circle", noise=20,
           n_samples=100, train_percent=30, hidden=(8, 8, 8, 8), features=FEATURES, optimizer="adam",
           learning_rate=0.01,
           regularization_rate=0.01, show_test=True),
    lesson("optimizers", "Optimizers: SGD, momentum and Adam on one spiral",
           "The same network, data and learning rate, three optimizers. Plain SGD at 0.01 creeps; "
           "momentum keeps a running velocity and speeds up along consistent directions; Adam "
           "scales each weight's step by its own gradient history. Switch the optimizer and "
           "compare the cost curves after a few hundred epochs.",
           {"optimizer": "adam"}, short="Optimizers", dataset="spiral", hidden=(8, 8, 8), learning_rate=0.01),
    lesson("vanishing-gradient", "Vanishing gradients: a deep sigmoid network",
           "Six hidden sigmoid layers on the circle, with the diagram showing gradients. Backprop "
           "multiplies by σ′ ≤ ¼ at every layer, so the first layer's gradient is over 100 times "
           "smaller than the last's: the links fade towards the inputs, and after 200 "
           "epochs the network is still at chance (about 50 %). Compare mode runs the same network "
           "with ReLU: every layer's gradient stays within 100× of the last's and the circle is "
           "learned (tanh works too).",
           {"activation": "relu"}, short="Vanishing gradients", dataset="circle", noise=0,
           hidden=(8,) * 6, activation="sigmoid", output_activation="sigmoid", loss="cross_entropy",
           optimizer="sgd", learning_rate=0.3, batch_size=10, gradients=True),
)
LESSONS: tuple[Lesson, ...] = ARTICLE_LESSONS + CLASSROOM_LESSONS  # the lesson box's order
LESSONS_BY_ID = {entry.id: entry for entry in LESSONS}
