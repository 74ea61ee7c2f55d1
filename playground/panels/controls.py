"""The sidebar's controls, grouped Data · Features · Network · Training, read into a Config.

Choices that do not fit are never offered: the output/loss box lists only the pairs of the
current problem type, and the ranges follow the "advanced" switch. A classroom link's `hide=`
list leaves controls out of the page; their values still come from the Config, so the link
decides them. Widget state and callbacks live in `session.widgets`.
"""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from core import DATASETS, FEATURES, HIDDEN_ACTIVATIONS, OPTIMIZER_NAMES
from playground.session import keys, locks, state, widgets
from playground.session.state import shown
from playground.session.widgets import activation_key, key, neurons_key, output_key
from playground.settings import config as cfg
from playground.settings.labels import FEATURE_LABELS, INIT_LABELS, LOSS_LABELS, REGULARIZATION_LABELS

INIT_HELP = ("Auto draws random weights: He for ReLU-like layers, Xavier otherwise. With zero "
             "weights the network is symmetric: every hidden neuron computes the same output and "
             "gets the same gradient, so they stay identical and the network cannot learn.")
SPEED_HELP = ("How many epochs run between two pictures; max fills each frame with as many as fit its "
              "training time. No speed trains longer than that: a setup too heavy for the chosen "
              "speed trains fewer epochs a frame, and a note below says how many.")
ADVANCED_HELP = (f"Raise the limits: up to {cfg.ADVANCED_MAX_HIDDEN_LAYERS} hidden layers of "
                 f"{cfg.ADVANCED_NEURONS_RANGE[1]} neurons, {cfg.ADVANCED_SAMPLES_RANGE[1]:,} points, "
                 f"{cfg.ADVANCED_NOISE_RANGE[1]} % noise, batches up to the whole training set. "
                 "Turning it off clamps larger values to the normal limits.")
PROJECTOR_HELP = ("Large text, thicker links and bigger charts for a projected screen, with the sidebar "
                  "closed at the start. It is part of the link, so a shared link opens projected.")
ADVANCED_FIXED_HELP = ("Stays on: this classroom link fixes a setting beyond the normal limits, which "
                       "turning it off would clamp.")


def render() -> DeltaGenerator | None:
    """Draw the controls into the current container, the sidebar (they show the widget state
    `session.widgets.current_config` read); return the place under the speed control for its
    note (None when a classroom link hides it)."""
    config = state.config()
    if shown("advanced"):
        fixed = locks.advanced_fixed(config)  # turning it off would clamp a fixed setting
        st.toggle("Advanced limits", key=key("advanced"), on_change=widgets.advanced_switched,
                  disabled=fixed, help=ADVANCED_FIXED_HELP if fixed else ADVANCED_HELP)
    st.toggle("Projector", key=key("projector"), help=PROJECTOR_HELP)
    limits = cfg.limits(widgets.value("advanced"))
    with st.expander("**Data**", expanded=True):
        _data_controls(limits, locks.dataset_choices(config))
    if any(shown(f) for f in FEATURES):
        with st.expander("**Features**", expanded=True):
            _feature_controls()
    with st.expander("**Network**", expanded=True):
        _network_controls(limits)
    with st.expander("**Training**", expanded=True):
        return _training_controls(limits)


def _cells(*controls: str, spec: list[float] | None = None) -> list[DeltaGenerator | None]:
    """One column per shown control (None for a hidden one), side by side."""
    visible = [c for c in controls if shown(c)]
    if not visible:
        return [None] * len(controls)
    widths = [w for c, w in zip(controls, spec or [1] * len(controls), strict=True) if shown(c)]
    columns = iter(st.columns(widths, vertical_alignment="bottom") if len(visible) > 1 else [st.container()])
    return [next(columns) if shown(c) else None for c in controls]


def _data_controls(limits: cfg.Limits, datasets: list[str]) -> None:
    if shown("dataset"):
        st.selectbox("Dataset", datasets, key=key("dataset"),
                     help="; ".join(f"{name}: {DATASETS[name].description}" for name in datasets))
        st.caption(DATASETS[widgets.value("dataset")].description)
    noise, train = _cells("noise", "train_percent")
    if noise:
        noise.slider("Noise %", *limits.noise, step=cfg.NOISE_STEP, key=key("noise"))
    if train:
        train.slider("Train %", *cfg.TRAIN_PERCENT_RANGE, step=cfg.TRAIN_PERCENT_STEP,
                     key=key("train_percent"))
    points, seed = _cells("n_samples", "seed", spec=[3, 2])
    if points:
        points.slider("Points", *limits.samples, step=cfg.SAMPLES_STEP, key=key("n_samples"))
    if seed:
        seed.number_input("Seed", *cfg.SEED_RANGE, step=1, key=key("seed"))
        st.button("Regenerate data", on_click=widgets.regenerate, width="stretch",
                  help="Draw new points from the same generator (next seed); the network and its "
                       "training so far are kept")


def _feature_controls() -> None:
    if all(shown(f) for f in FEATURES):
        st.pills("Inputs", FEATURES, selection_mode="multi", key=key("features"),
                 format_func=FEATURE_LABELS.get, on_change=widgets.keep_one_feature,
                 label_visibility="collapsed")
        return
    options = [f for f in FEATURES if shown(f)]
    widgets.show_features_subset(options)
    st.pills("Inputs", options, selection_mode="multi", key=keys.FEATURES_SHOWN.name,
             format_func=FEATURE_LABELS.get, on_change=widgets.merge_shown_features,
             label_visibility="collapsed")


def _network_controls(limits: cfg.Limits) -> None:
    if shown("layers"):
        st.number_input("Hidden layers", 0, limits.max_hidden_layers, step=1, key=key("layers"),
                        on_change=widgets.sync_layer_count)
    n_layers = widgets.value("layers")
    if shown("neurons") and n_layers:
        columns = st.columns(3)
        for layer in range(n_layers):
            columns[layer % 3].number_input(f"Layer {layer + 1}", *limits.neurons, step=1,
                                            key=neurons_key(layer))
    if shown("activation"):
        _activation_controls(n_layers)
    if shown("init"):
        st.selectbox("Initial weights", cfg.INITS, key=key("init"), format_func=INIT_LABELS.get,
                     help=INIT_HELP)
    if shown("output"):
        problem = cfg.problem(widgets.value("dataset"))
        st.selectbox("Output · loss", cfg.OUTPUT_CHOICES[problem], key=output_key(problem),
                     format_func=lambda pair: f"{pair[0]} · {LOSS_LABELS[pair[1]]}",
                     help="Only the pairs that fit this dataset's problem type are offered")


def _activation_controls(n_layers: int) -> None:
    """The hidden activation of every layer, and a per-layer override in a popover."""
    widgets.show_main_activation(n_layers)
    st.selectbox("Hidden activation", HIDDEN_ACTIVATIONS, key=key("activation"),
                 disabled=n_layers == 0, on_change=widgets.activation_for_all_layers,
                 help="Sets every hidden layer; 'Per-layer activations' gives a layer its own")
    with st.popover("Per-layer activations", icon=":material/tune:", disabled=n_layers == 0,
                    width="stretch"):
        for layer in range(n_layers):
            st.selectbox(f"Layer {layer + 1}", HIDDEN_ACTIVATIONS, key=activation_key(layer))
    per_layer = widgets.layer_activations(n_layers)
    if len(set(per_layer)) > 1:
        st.caption("Per layer: " + " · ".join(per_layer))


def _training_controls(limits: cfg.Limits) -> DeltaGenerator | None:
    if shown("optimizer"):
        st.selectbox("Optimizer", list(OPTIMIZER_NAMES), key=key("optimizer"),
                     format_func=OPTIMIZER_NAMES.get)
    batch_max = limits.batch_max(widgets.value("n_samples"), widgets.value("train_percent"))
    rate, batch = _cells("learning_rate", "batch_size")
    if rate:
        rate.selectbox("Learning rate", cfg.LEARNING_RATES, key=key("learning_rate"), format_func=_rate)
    if batch:
        batch.slider("Batch size", cfg.BATCH_RANGE[0], batch_max, key=key("batch_size"),
                     disabled=widgets.value("optimizer") == "gd")
    regularization, reg_rate = _cells("regularization", "regularization_rate")
    if regularization:
        regularization.selectbox("Regularization", list(REGULARIZATION_LABELS), key=key("regularization"),
                                 format_func=REGULARIZATION_LABELS.get)
    if reg_rate:
        reg_rate.selectbox("Reg. rate", cfg.REGULARIZATION_RATES, key=key("regularization_rate"),
                           format_func=_rate, disabled=widgets.value("regularization") == "none")
    speed_note = None
    if shown("speed"):
        st.segmented_control("Epochs per frame", cfg.SPEEDS, key=key("speed"), required=True,
                             help=SPEED_HELP)
        speed_note = st.empty()  # the play loop says here when the setup is too heavy for the speed
    if shown("stop"):
        st.caption("Stop training (0 = off)")
        at_epoch, patience = st.columns(2, vertical_alignment="bottom")
        at_epoch.number_input("At epoch", *cfg.STOP_EPOCH_RANGE, step=1, key=key("stop_epoch"),
                              help="Pause when training reaches this epoch; 0 = off")
        patience.number_input("No gain for", *cfg.STOP_PATIENCE_RANGE, step=1,
                              key=key("stop_patience"),
                              help="Pause when the test loss has not improved for this many "
                                   "epochs in a row; 0 = off")
    return speed_note


def _rate(value: float) -> str:
    return f"{value:g}"


def diagram_toggles() -> None:
    """The diagram's Gradients view and the cost-landscape panel (both off by default)."""
    left, right = st.columns(2)
    left.toggle("Gradients", key=key("gradients"),
                help="Links show ∂C/∂w for the training set instead of w, neurons their mean |δ|, "
                     "and a chart shows each layer's gradient size over the epochs")
    right.toggle("Cost landscape", key=key("landscape"),
                 help="The cost over two parameters you pick, with the path gradient descent took")


def view_toggles() -> None:
    """Checkboxes that only change what the figures show."""
    left, middle, right = st.columns(3)
    left.checkbox("Test data", key=key("show_test"), help="Show the test points (diamonds)")
    middle.checkbox("Discretize", key=key("discretize"), help="Colour by the predicted class only")
    right.checkbox("Log loss", key=key("log_scale"), help="Cost curve on a log scale")

