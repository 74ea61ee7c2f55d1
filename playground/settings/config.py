"""Every user setting in one immutable, validated value: the app's single source of truth.

Defaults follow TensorFlow Playground: circle data, no noise, half the points for training,
inputs x₁ and x₂, two hidden tanh layers of 4 and 2 neurons, SGD with learning rate 0.03 and
batch size 10, no regularization. The allowed values (ladders, ranges, output choices, the
normal and advanced limits, the controls a classroom link may hide) live here too, so
controls, URL parsing and tests share one definition.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields, replace

from core import DATASETS, FEATURES, HIDDEN_ACTIVATIONS, MAX_NOISE, OPTIMIZER_NAMES, REGULARIZATIONS

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
# Behind the "advanced" switch: larger networks, more and noisier points, and batches
# up to the whole training set. Every setting valid without it stays valid with it.
ADVANCED_NOISE_RANGE = (0, round(100 * MAX_NOISE))
ADVANCED_SAMPLES_RANGE = (50, 2000)
ADVANCED_MAX_HIDDEN_LAYERS = 8
ADVANCED_NEURONS_RANGE = (1, 16)
INIT_SEED_RANGE = (0, 999_999)  # draws the initial weights; Reset takes the next one
INITS = ("auto", "zeros")  # core.INITIALIZATIONS offered in the app: Xavier/He by layer, or all zero
STOP_EPOCH_RANGE = (0, 999_999)  # 0: off
STOP_PATIENCE_RANGE = (0, 99_999)  # 0: off

# (output activation, loss) pairs that fit each problem; the first is the default.
OUTPUT_CHOICES: dict[str, tuple[tuple[str, str], ...]] = {
    "regression": (("tanh", "mse"), ("linear", "mse")),
    "binary": (("sigmoid", "cross_entropy"), ("sigmoid", "mse"), ("tanh", "mse")),
    "multiclass": (("softmax", "cross_entropy"), ("softmax", "mse")),
}

# Changing one of these starts training over; the rest apply on the fly or only change the view
# ("advanced" only changes the limits: values it clamps when turned off start over by themselves).
RESET_FIELDS = frozenset({
    "dataset", "noise", "train_percent", "n_samples", "seed", "features", "hidden",
    "activation", "init", "init_seed", "output_activation", "loss", "optimizer", "batch_size",
})
LIVE_FIELDS = frozenset({"learning_rate", "regularization", "regularization_rate", "speed",
                         "stop_epoch", "stop_patience"})
VIEW_FIELDS = frozenset({"show_test", "discretize", "log_scale", "projector", "gradients", "landscape"})

# Controls a classroom link can hide (`hide=` in the URL), in the order the link builder lists
# them; each input feature is hideable by its own name.
HIDEABLE_CONTROLS = ("play", "step", "reset", "learning_rate", "activation", "regularization",
                     "regularization_rate", "output", "dataset", "train_percent", "noise",
                     "batch_size", "layers", "neurons", "optimizer", "n_samples", "seed", "init",
                     "stop", "speed", "advanced")
HIDEABLE = HIDEABLE_CONTROLS + FEATURES


@dataclass(frozen=True)
class Limits:
    """The ranges one setting of the "advanced" switch allows."""

    noise: tuple[int, int]
    samples: tuple[int, int]
    max_hidden_layers: int
    neurons: tuple[int, int]
    full_batch: bool  # batch size up to the whole training set (else up to BATCH_RANGE's top)

    def batch_max(self, n_samples: int, train_percent: int) -> int:
        """The largest batch size for this many points and train %."""
        return max(BATCH_RANGE[1], train_size(n_samples, train_percent)) if self.full_batch \
            else BATCH_RANGE[1]


NORMAL_LIMITS = Limits(NOISE_RANGE, SAMPLES_RANGE, MAX_HIDDEN_LAYERS, NEURONS_RANGE, False)
ADVANCED_LIMITS = Limits(ADVANCED_NOISE_RANGE, ADVANCED_SAMPLES_RANGE, ADVANCED_MAX_HIDDEN_LAYERS,
                         ADVANCED_NEURONS_RANGE, True)


def limits(advanced: bool) -> Limits:
    return ADVANCED_LIMITS if advanced else NORMAL_LIMITS


def train_size(n_samples: int, train_percent: int) -> int:
    """Training points of a built-in dataset (core.split_dataset: n − round(n · test fraction))."""
    return n_samples - round(n_samples * (1 - train_percent / 100))


def join_activations(per_layer: Sequence[str], default: str) -> str:
    """The `activation` setting for these per-layer names: one name when all layers agree (or
    `default` without hidden layers), else the comma list, one name per layer."""
    if not per_layer:
        return default
    return per_layer[0] if len(set(per_layer)) == 1 else ",".join(per_layer)


def main_activation(per_layer: Sequence[str]) -> str:
    """The activation most hidden layers use (a tie goes to the one listed first in
    HIDDEN_ACTIVATIONS): what the single "Hidden activation" control shows."""
    counts = Counter(per_layer)
    return max(counts, key=lambda name: (counts[name], -HIDDEN_ACTIVATIONS.index(name)))


def problem(dataset: str) -> str:
    """"regression", "binary" or "multiclass": which outputs and losses fit `dataset`."""
    spec = DATASETS[dataset]
    if spec.kind == "regression":
        return "regression"
    return "binary" if spec.n_classes == 2 else "multiclass"


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


def _in_range(value: int, bounds: tuple[int, int], step: int = 1) -> bool:
    return bounds[0] <= value <= bounds[1] and (value - bounds[0]) % step == 0


@dataclass(frozen=True)
class Config:
    """All settings. Invalid values raise ValueError naming the field, so no bad state exists.

    `activation` is one hidden activation for every layer, or a comma list with one name per
    hidden layer when they differ ("tanh,relu,tanh"): the URL's own form. `advanced` comes
    first: every other field is checked against its limits.
    """

    advanced: bool = False
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
    init: str = "auto"
    init_seed: int = 0
    output_activation: str = "sigmoid"
    loss: str = "cross_entropy"
    # Training
    optimizer: str = "sgd"
    learning_rate: float = 0.03
    batch_size: int = 10
    regularization: str = "none"
    regularization_rate: float = 0.0
    speed: str = "5"
    stop_epoch: int = 0  # 0: off
    stop_patience: int = 0  # epochs without a better test loss; 0: off
    # View
    show_test: bool = False
    discretize: bool = False
    log_scale: bool = False
    projector: bool = False  # large text and charts for a projected screen
    gradients: bool = False  # the diagram shows ∂C/∂w and mean |δ| instead of w and outputs
    landscape: bool = False  # the cost-landscape panel under the diagram

    def __post_init__(self) -> None:
        _check(isinstance(self.advanced, bool), "advanced: true or false")
        lim = self.limits
        _check(self.dataset in DATASETS, f"dataset: one of {', '.join(DATASETS)}")
        _check(_in_range(self.noise, lim.noise, NOISE_STEP),
               f"noise: {lim.noise[0]}–{lim.noise[1]} % in steps of {NOISE_STEP}")
        _check(_in_range(self.train_percent, TRAIN_PERCENT_RANGE, TRAIN_PERCENT_STEP),
               "train_percent: 10–90 in steps of 10")
        _check(_in_range(self.n_samples, lim.samples, SAMPLES_STEP),
               f"n_samples: {lim.samples[0]}–{lim.samples[1]} by {SAMPLES_STEP}")
        _check(_in_range(self.seed, SEED_RANGE), "seed: 0–9999")
        _check(len(self.features) > 0 and len(set(self.features)) == len(self.features)
               and all(f in FEATURES for f in self.features), "features: distinct names, at least one")
        _check(len(self.hidden) <= lim.max_hidden_layers
               and all(type(n) is int and _in_range(n, lim.neurons) for n in self.hidden),
               f"hidden: 0–{lim.max_hidden_layers} layers of {lim.neurons[0]}–{lim.neurons[1]} neurons")
        _check(self._activation_ok(), "activation: one hidden activation, or a different one per "
               "hidden layer as a comma list")
        _check(self.init in INITS, f"init: one of {', '.join(INITS)}")
        _check(_in_range(self.init_seed, INIT_SEED_RANGE), f"init_seed: 0–{INIT_SEED_RANGE[1]}")
        _check((self.output_activation, self.loss) in OUTPUT_CHOICES[problem(self.dataset)],
               f"output_activation/loss: does not fit the {problem(self.dataset)} dataset")
        _check(self.optimizer in OPTIMIZER_NAMES, f"optimizer: one of {', '.join(OPTIMIZER_NAMES)}")
        _check(self.learning_rate in LEARNING_RATES, "learning_rate: a value of the ladder")
        batch_max = lim.batch_max(self.n_samples, self.train_percent)
        _check(_in_range(self.batch_size, (BATCH_RANGE[0], batch_max)), f"batch_size: 1–{batch_max}")
        _check(self.regularization in REGULARIZATIONS, "regularization: none, l1 or l2")
        _check(self.regularization_rate in REGULARIZATION_RATES, "regularization_rate: a value of the ladder")
        _check(self.speed in SPEEDS, f"speed: one of {', '.join(SPEEDS)}")
        _check(_in_range(self.stop_epoch, STOP_EPOCH_RANGE), f"stop_epoch: 0 (off)–{STOP_EPOCH_RANGE[1]}")
        _check(_in_range(self.stop_patience, STOP_PATIENCE_RANGE),
               f"stop_patience: 0 (off)–{STOP_PATIENCE_RANGE[1]}")
        for name in VIEW_FIELDS:
            _check(isinstance(getattr(self, name), bool), f"{name}: true or false")

    def _activation_ok(self) -> bool:
        if not isinstance(self.activation, str):
            return False
        names = self.activation.split(",")
        if len(names) == 1:
            return names[0] in HIDDEN_ACTIVATIONS
        return (len(names) == len(self.hidden) and len(set(names)) > 1  # all equal: one name
                and all(name in HIDDEN_ACTIVATIONS for name in names))

    # --- derived values ---------------------------------------------------------------------
    @property
    def problem(self) -> str:
        return problem(self.dataset)

    @property
    def limits(self) -> Limits:
        return limits(self.advanced)

    @property
    def hidden_activations(self) -> tuple[str, ...]:
        """One activation name per hidden layer, for core.MLP."""
        names = tuple(self.activation.split(","))
        return names if len(names) > 1 else names * len(self.hidden)

    @property
    def stop(self) -> dict[str, int | None]:
        """Keyword arguments of Trainer.set_stop (None: off)."""
        return {"at_epoch": self.stop_epoch or None, "patience": self.stop_patience or None}

    @property
    def layer_sizes(self) -> list[int]:
        """[inputs, hidden..., outputs] for core.MLP."""
        n_classes = DATASETS[self.dataset].n_classes
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


def _clamped(value: int, bounds: tuple[int, int]) -> int:
    return min(max(value, bounds[0]), bounds[1])


def within_normal_limits(config: Config) -> tuple[Config, list[str]]:
    """`config` with the advanced switch off: each value beyond the normal limits clamped to
    them, and a note per clamped setting ("noise 80 % → 50 %")."""
    lim, notes = NORMAL_LIMITS, []
    noise, n_samples = _clamped(config.noise, lim.noise), _clamped(config.n_samples, lim.samples)
    hidden = tuple(_clamped(n, lim.neurons) for n in config.hidden[:lim.max_hidden_layers])
    per_layer = config.hidden_activations[:len(hidden)]
    batch_size = _clamped(config.batch_size, BATCH_RANGE)
    if noise != config.noise:
        notes.append(f"noise {config.noise} % → {noise} %")
    if n_samples != config.n_samples:
        notes.append(f"points {config.n_samples:,} → {n_samples:,}")
    if len(hidden) != len(config.hidden):
        notes.append(f"hidden layers {len(config.hidden)} → {len(hidden)}")
    if max(config.hidden[:len(hidden)], default=0) > lim.neurons[1]:
        notes.append(f"neurons per layer at most {lim.neurons[1]}")
    if batch_size != config.batch_size:
        notes.append(f"batch size {config.batch_size} → {batch_size}")
    clamped = replace(config, advanced=False, noise=noise, n_samples=n_samples, hidden=hidden,
                      activation=join_activations(per_layer, config.activation),
                      batch_size=batch_size)
    return clamped, notes


DEFAULT = Config()

