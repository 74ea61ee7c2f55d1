"""The numpy core: the article's perceptron grown into a multilayer network, from scratch.

    from core import MLP, make_dataset, Trainer
    net = MLP([2, 4, 2, 1], activation="tanh", output_activation="sigmoid", seed=0)
    trainer = Trainer(net, make_dataset("xor", seed=0), learning_rate=0.03)
    trainer.step(epochs=100)
"""

from core.activations import ACTIVATIONS, HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS, Activation
from core.datasets import (
    DATASETS,
    DOMAIN,
    MAX_NOISE,
    MAX_SAMPLES,
    Dataset,
    DatasetSpec,
    make_dataset,
    split_dataset,
)
from core.features import FEATURE_LATEX, FEATURES, feature_map
from core.gradient_check import gradient_check, numerical_gradients
from core.gradient_flow import (
    GradientSizeHistory,
    GradientView,
    gradient_view,
    layer_gradient_sizes,
    neuron_delta_sizes,
)
from core.landscape import (
    Landscape,
    Param,
    ParameterPath,
    StepArrow,
    cost_landscape,
    cost_slice,
    parameter_path,
    slice_axis,
    snapshot_costs,
    step_arrow,
)
from core.losses import LOSSES
from core.metrics import Metrics, accuracy, confusion_matrix, r2_score, rmse
from core.network import INITIALIZATIONS, MLP, ForwardPass, Gradients
from core.optimizers import OPTIMIZER_NAMES, OPTIMIZERS
from core.regularization import REGULARIZATIONS, zero_weights
from core.serialization import model_from_dict, model_to_dict, trainer_from_dict, trainer_to_dict
from core.training import Surface, Trainer, check_compatible, default_loss

__all__ = [
    "ACTIVATIONS", "DATASETS", "DOMAIN", "DatasetSpec", "FEATURES", "FEATURE_LATEX", "HIDDEN_ACTIVATIONS",
    "INITIALIZATIONS", "LOSSES", "MAX_NOISE", "MAX_SAMPLES", "MLP", "OPTIMIZERS",
    "OPTIMIZER_NAMES", "OUTPUT_ACTIVATIONS", "REGULARIZATIONS", "Activation", "Dataset",
    "ForwardPass", "Gradients", "Metrics", "Surface", "Trainer", "accuracy", "check_compatible",
    "confusion_matrix", "default_loss", "feature_map", "gradient_check", "make_dataset",
    "model_from_dict", "model_to_dict", "numerical_gradients", "r2_score", "rmse",
    "split_dataset", "trainer_from_dict", "trainer_to_dict", "zero_weights",
    "GradientSizeHistory", "GradientView", "Landscape", "Param", "ParameterPath", "StepArrow",
    "cost_landscape", "cost_slice", "gradient_view", "layer_gradient_sizes", "neuron_delta_sizes",
    "parameter_path", "slice_axis", "snapshot_costs", "step_arrow",
]
