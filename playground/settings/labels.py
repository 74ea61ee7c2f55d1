"""The words the page uses for settings, layers and classes: one definition for every panel.

Columns of neurons are numbered as in the diagram: column 0 holds the inputs, columns 1 … L−1
the hidden layers, column L the output (L = number of link layers). Link layer l joins column l
to column l + 1, so neuron j of link layer l lives in column l + 1.
"""

from __future__ import annotations

FEATURE_LABELS = {"x1": "x₁", "x2": "x₂", "x1^2": "x₁²", "x2^2": "x₂²", "x1*x2": "x₁x₂",
                  "sin(x1)": "sin x₁", "sin(x2)": "sin x₂"}
LOSS_LABELS = {"cross_entropy": "cross-entropy", "mse": "MSE"}
REGULARIZATION_LABELS = {"none": "none", "l1": "L1", "l2": "L2"}
INIT_LABELS = {"auto": "auto (Xavier/He)", "zeros": "zeros"}
CLASS_COLORS = ("orange", "blue", "green", "purple")  # figures.colors.CLASS_HUES, in words
CONTROL_LABELS = {
    "play": "Play", "step": "Step", "reset": "Reset", "learning_rate": "Learning rate",
    "activation": "Activation", "regularization": "Regularization",
    "regularization_rate": "Reg. rate", "output": "Problem type · output", "dataset": "Dataset",
    "train_percent": "Train ratio", "noise": "Noise", "batch_size": "Batch size",
    "layers": "Layer count", "neurons": "Neurons", "optimizer": "Optimizer", "n_samples": "Points",
    "seed": "Seed · regenerate", "init": "Initial weights", "stop": "Stop conditions",
    "speed": "Epochs per frame", "advanced": "Advanced switch",
}


def column_name(column: int, n_columns: int) -> str:
    """"inputs", "hidden 1", …, "output": the diagram's name for a column of neurons."""
    if column == 0:
        return "inputs"
    return "output" if column == n_columns - 1 else f"hidden {column}"


def column_names(n_columns: int) -> list[str]:
    """Every column's name, inputs first: ["inputs", "hidden 1", …, "output"]."""
    return [column_name(c, n_columns) for c in range(n_columns)]


def neuron_name(column: int, k: int, n_columns: int) -> str:
    """E.g. "hidden 2 · neuron 1", as the diagram's hover text names it."""
    return f"{column_name(column, n_columns)} · neuron {k}"


def class_name(k: int) -> str:
    """"0 · orange", …; classes past the palette's words by number."""
    return f"{k} · {CLASS_COLORS[k]}" if k < len(CLASS_COLORS) else str(k)
