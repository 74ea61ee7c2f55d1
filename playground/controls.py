"""The sidebar: widgets grouped Data · Features · Network · Training, read into a Config.

Each widget's key is "w_" + the Config field it sets. Widgets are seeded from the session's
Config the first time they appear, so the URL (through the Config) decides what they show.
Choices that do not fit the data are never offered: the output/loss box lists only the pairs
of the current problem type.
"""

from __future__ import annotations

import streamlit as st

from core import DATASETS, FEATURES, HIDDEN_ACTIVATIONS, OPTIMIZER_NAMES
from playground import config as cfg
from playground.config import Config

FEATURE_LABELS = {"x1": "x₁", "x2": "x₂", "x1^2": "x₁²", "x2^2": "x₂²", "x1*x2": "x₁x₂",
                  "sin(x1)": "sin x₁", "sin(x2)": "sin x₂"}
LOSS_LABELS = {"cross_entropy": "cross-entropy", "mse": "MSE"}
REGULARIZATION_LABELS = {"none": "none", "l1": "L1", "l2": "L2"}
NEW_LAYER_NEURONS = 4


def key(field: str) -> str:
    return f"w_{field}"


def neurons_key(layer: int) -> str:
    return f"w_neurons_{layer}"


def output_key(problem: str) -> str:
    """One output/loss widget per problem type, so a choice is never out of its options."""
    return f"w_output_{problem}"


def _seed(name: str, value) -> None:
    if name not in st.session_state:
        st.session_state[name] = value


def seed_widgets(config: Config) -> None:
    """Give every widget that has no state yet the Config's value."""
    for field, value in config.to_dict().items():
        if field not in ("hidden", "output_activation", "loss"):
            _seed(key(field), list(value) if isinstance(value, tuple) else value)
    _seed(key("layers"), len(config.hidden))
    for layer in range(cfg.MAX_HIDDEN_LAYERS):
        size = config.hidden[layer] if layer < len(config.hidden) else NEW_LAYER_NEURONS
        _seed(neurons_key(layer), size)
    for problem, choices in cfg.OUTPUT_CHOICES.items():
        pair = (config.output_activation, config.loss)
        _seed(output_key(problem), pair if pair in choices else choices[0])


# --- callbacks -----------------------------------------------------------------------------

def _regenerate() -> None:
    """New points from the same generator: the next data seed."""
    state = st.session_state
    state[key("seed")] = (state[key("seed")] + 1) % (cfg.SEED_RANGE[1] + 1)


def _keep_one_feature() -> None:
    """The network needs at least one input: an emptied selection keeps the last one."""
    state = st.session_state
    if not state[key("features")]:
        state[key("features")] = list(state.config.features[:1])
        state.notice = "The network needs at least one input feature, so the last one stays selected."


def _sync_layer_count() -> None:
    """Adding a layer shows its neuron box at the size it had, or at NEW_LAYER_NEURONS."""
    state = st.session_state
    for layer in range(state[key("layers")]):
        if neurons_key(layer) not in state:
            state[neurons_key(layer)] = NEW_LAYER_NEURONS


# --- the sidebar --------------------------------------------------------------------------

def sidebar(config: Config) -> Config:
    """Draw the controls and return the Config they describe."""
    seed_widgets(config)
    with st.sidebar:
        st.markdown("#### Neural network playground")
        with st.expander("**Data**", expanded=True):
            _data_controls()
        with st.expander("**Features**", expanded=True):
            st.pills("Inputs", FEATURES, selection_mode="multi", key=key("features"),
                     format_func=FEATURE_LABELS.get, on_change=_keep_one_feature,
                     label_visibility="collapsed")
        with st.expander("**Network**", expanded=True):
            _network_controls()
        with st.expander("**Training**", expanded=True):
            _training_controls()
    try:
        return read_config()
    except ValueError as error:  # e.g. an off-step value no browser sends: keep the last setup
        st.session_state.refused = f"A setting was refused and the previous setup kept — {error}."
        return config


def _data_controls() -> None:
    st.selectbox("Dataset", list(DATASETS), key=key("dataset"),
                 format_func=lambda name: f"{name} — {DATASETS[name][3]}")
    left, right = st.columns(2)
    left.slider("Noise %", *cfg.NOISE_RANGE, step=cfg.NOISE_STEP, key=key("noise"))
    right.slider("Train %", *cfg.TRAIN_PERCENT_RANGE, step=cfg.TRAIN_PERCENT_STEP,
                 key=key("train_percent"))
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    left.slider("Points", *cfg.SAMPLES_RANGE, step=cfg.SAMPLES_STEP, key=key("n_samples"))
    right.number_input("Seed", *cfg.SEED_RANGE, step=1, key=key("seed"))
    st.button("Regenerate data", on_click=_regenerate, width="stretch",
              help="Draw new points from the same generator (next seed)")


def _network_controls() -> None:
    st.number_input("Hidden layers", 0, cfg.MAX_HIDDEN_LAYERS, step=1, key=key("layers"),
                    on_change=_sync_layer_count)
    n_layers = st.session_state[key("layers")]
    columns = st.columns(3)
    for layer in range(n_layers):
        columns[layer % 3].number_input(f"Layer {layer + 1}", *cfg.NEURONS_RANGE, step=1,
                                        key=neurons_key(layer))
    st.selectbox("Hidden activation", HIDDEN_ACTIVATIONS, key=key("activation"),
                 disabled=n_layers == 0)
    problem = cfg.problem(st.session_state[key("dataset")])
    st.selectbox("Output · loss", cfg.OUTPUT_CHOICES[problem], key=output_key(problem),
                 format_func=lambda pair: f"{pair[0]} · {LOSS_LABELS[pair[1]]}",
                 help="Only the pairs that fit this dataset's problem type are offered")


def _training_controls() -> None:
    st.selectbox("Optimizer", list(OPTIMIZER_NAMES), key=key("optimizer"),
                 format_func=OPTIMIZER_NAMES.get)
    left, right = st.columns(2)
    left.selectbox("Learning rate", cfg.LEARNING_RATES, key=key("learning_rate"), format_func=_rate)
    right.slider("Batch size", *cfg.BATCH_RANGE, key=key("batch_size"),
                 disabled=st.session_state[key("optimizer")] == "gd")
    left, right = st.columns(2)
    left.selectbox("Regularization", list(REGULARIZATION_LABELS), key=key("regularization"),
                   format_func=REGULARIZATION_LABELS.get)
    right.selectbox("Reg. rate", cfg.REGULARIZATION_RATES, key=key("regularization_rate"),
                    format_func=_rate, disabled=st.session_state[key("regularization")] == "none")
    st.segmented_control("Epochs per frame", cfg.SPEEDS, key=key("speed"), required=True,
                         help="How many epochs run between two pictures; max fills each frame")


def _rate(value: float) -> str:
    return f"{value:g}"


def view_toggles() -> None:
    """Checkboxes that only change what the figures show."""
    left, middle, right = st.columns(3)
    left.checkbox("Test data", key=key("show_test"), help="Show the test points (diamonds)")
    middle.checkbox("Discretize", key=key("discretize"), help="Colour by the predicted class only")
    right.checkbox("Log loss", key=key("log_scale"), help="Cost curve on a log scale")


def read_config() -> Config:
    """The Config the widgets currently describe (widgets not yet drawn keep their state)."""
    state = st.session_state
    values = {field: state[key(field)] for field in Config.__dataclass_fields__
              if field not in ("hidden", "output_activation", "loss")}
    values["features"] = tuple(f for f in FEATURES if f in values["features"])
    values["hidden"] = tuple(int(state[neurons_key(layer)]) for layer in range(state[key("layers")]))
    values["output_activation"], values["loss"] = state[output_key(cfg.problem(values["dataset"]))]
    values["noise"], values["seed"] = int(values["noise"]), int(values["seed"])
    return Config(**values)
