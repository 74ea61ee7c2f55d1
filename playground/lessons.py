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
            "separates them, so the best a single neuron can do is about half right; the cost "
            "stalls near 0.25, whatever the learning rate."
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
