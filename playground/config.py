"""Every user setting in one immutable, validated value: the app's single source of truth.

Defaults follow TensorFlow Playground: circle data, no noise, half the points for training,
inputs x₁ and x₂, two hidden tanh layers of 4 and 2 neurons, SGD with learning rate 0.03 and
batch size 10, no regularization. The allowed values (ladders, ranges, output choices) live
here too, so controls, URL parsing and tests share one definition.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from core import DATASETS, FEATURES, HIDDEN_ACTIVATIONS, OPTIMIZER_NAMES, REGULARIZATIONS

LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REGULARIZATION_RATES = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
SPEEDS = ("1", "2", "5", "10", "20", "50", "max")  # epochs per frame; "max" fills a time budget
NOISE_RANGE = (0, 50)  # percent, as in TensorFlow Playground
NOISE_STEP = 5
TRAIN_PERCENT_RANGE = (10, 90)
TRAIN_PERCENT_STEP = 10
SAMPLES_RANGE = (50, 1000)
SAMPLES_STEP = 50
BATCH_RANGE = (1, 30)
SEED_RANGE = (0, 9999)
MAX_HIDDEN_LAYERS = 6
NEURONS_RANGE = (1, 8)

# (output activation, loss) pairs that fit each problem; the first is the default.
OUTPUT_CHOICES: dict[str, tuple[tuple[str, str], ...]] = {
    "regression": (("tanh", "mse"), ("linear", "mse")),
    "binary": (("sigmoid", "cross_entropy"), ("sigmoid", "mse"), ("tanh", "mse")),
    "multiclass": (("softmax", "cross_entropy"), ("softmax", "mse")),
}

# Changing one of these starts training over; the rest apply on the fly or only change the view.
RESET_FIELDS = frozenset({
    "dataset", "noise", "train_percent", "n_samples", "seed", "features", "hidden",
    "activation", "output_activation", "loss", "optimizer", "batch_size",
})
LIVE_FIELDS = frozenset({"learning_rate", "regularization", "regularization_rate", "speed"})
VIEW_FIELDS = frozenset({"show_test", "discretize", "log_scale"})


def problem(dataset: str) -> str:
    """"regression", "binary" or "multiclass": which outputs and losses fit `dataset`."""
    kind, n_classes = DATASETS[dataset][:2]
    if kind == "regression":
        return "regression"
    return "binary" if n_classes == 2 else "multiclass"


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


def _in_range(value: int, bounds: tuple[int, int], step: int = 1) -> bool:
    return bounds[0] <= value <= bounds[1] and (value - bounds[0]) % step == 0


@dataclass(frozen=True)
class Config:
    """All settings. Invalid values raise ValueError naming the field, so no bad state exists."""

    # Data
    dataset: str = "circle"
    noise: int = 0  # percent
    train_percent: int = 50
    n_samples: int = 500
    seed: int = 0
    # Features
    features: tuple[str, ...] = ("x1", "x2")
    # Network
    hidden: tuple[int, ...] = (4, 2)
    activation: str = "tanh"
    output_activation: str = "sigmoid"
    loss: str = "cross_entropy"
    # Training
    optimizer: str = "sgd"
    learning_rate: float = 0.03
    batch_size: int = 10
    regularization: str = "none"
    regularization_rate: float = 0.0
    speed: str = "5"
    # View
    show_test: bool = False
    discretize: bool = False
    log_scale: bool = False

    def __post_init__(self) -> None:
        _check(self.dataset in DATASETS, f"dataset: one of {', '.join(DATASETS)}")
        _check(_in_range(self.noise, NOISE_RANGE, NOISE_STEP), "noise: 0–50 % in steps of 5")
        _check(_in_range(self.train_percent, TRAIN_PERCENT_RANGE, TRAIN_PERCENT_STEP),
               "train_percent: 10–90 in steps of 10")
        _check(_in_range(self.n_samples, SAMPLES_RANGE, SAMPLES_STEP), "n_samples: 50–1000 by 50")
        _check(_in_range(self.seed, SEED_RANGE), "seed: 0–9999")
        _check(len(self.features) > 0 and len(set(self.features)) == len(self.features)
               and all(f in FEATURES for f in self.features), "features: distinct names, at least one")
        _check(len(self.hidden) <= MAX_HIDDEN_LAYERS
               and all(type(n) is int and _in_range(n, NEURONS_RANGE) for n in self.hidden),
               "hidden: 0–6 layers of 1–8 neurons")
        _check(self.activation in HIDDEN_ACTIVATIONS, "activation: one of the hidden activations")
        _check((self.output_activation, self.loss) in OUTPUT_CHOICES[problem(self.dataset)],
               f"output_activation/loss: does not fit the {problem(self.dataset)} dataset")
        _check(self.optimizer in OPTIMIZER_NAMES, f"optimizer: one of {', '.join(OPTIMIZER_NAMES)}")
        _check(self.learning_rate in LEARNING_RATES, "learning_rate: a value of the ladder")
        _check(_in_range(self.batch_size, BATCH_RANGE), "batch_size: 1–30")
        _check(self.regularization in REGULARIZATIONS, "regularization: none, l1 or l2")
        _check(self.regularization_rate in REGULARIZATION_RATES, "regularization_rate: a value of the ladder")
        _check(self.speed in SPEEDS, f"speed: one of {', '.join(SPEEDS)}")
        for name in VIEW_FIELDS:
            _check(isinstance(getattr(self, name), bool), f"{name}: true or false")

    # --- derived values ---------------------------------------------------------------------
    @property
    def problem(self) -> str:
        return problem(self.dataset)

    @property
    def layer_sizes(self) -> list[int]:
        """[inputs, hidden..., outputs] for core.MLP."""
        n_classes = DATASETS[self.dataset][1]
        return [len(self.features), *self.hidden, n_classes if n_classes > 2 else 1]

    def changed(self, other: Config) -> set[str]:
        """Names of the fields whose values differ between self and `other`."""
        return {f.name for f in fields(self) if getattr(self, f.name) != getattr(other, f.name)}

    def needs_reset(self, previous: Config) -> bool:
        """True when going from `previous` to self must start training over."""
        return bool(self.changed(previous) & RESET_FIELDS)

    def to_dict(self) -> dict:
        return asdict(self)


def fit_output(config_values: dict) -> dict:
    """`config_values` with output activation and loss replaced by the dataset's default when the
    current pair does not fit the dataset (e.g. after switching from binary to multiclass data)."""
    if config_values["dataset"] not in DATASETS:
        return config_values  # Config will reject the name
    choices = OUTPUT_CHOICES[problem(config_values["dataset"])]
    if (config_values["output_activation"], config_values["loss"]) not in choices:
        config_values = {**config_values}
        config_values["output_activation"], config_values["loss"] = choices[0]
    return config_values


DEFAULT = Config()

