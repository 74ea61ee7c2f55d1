"""The sidebar and the toolbar: widgets grouped Data · Features · Network · Training, read into a Config.

Each widget's key is "w_" + the Config field it sets. Widgets show the session's Config: on the
first run, and whenever the Config was changed elsewhere (a lesson, a loaded session, Reset's
next init seed) they are all set from it; otherwise only the keys Streamlit dropped (widgets
not drawn last run) are seeded again. Choices that do not fit are never offered: the output/loss
box lists only the pairs of the current problem type, and the ranges follow the "advanced"
switch. A classroom link's `hide=` list (state.hidden) leaves controls out of the page; their
values still come from the Config, so the link decides them.
"""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from core import DATASETS, FEATURES, HIDDEN_ACTIVATIONS, OPTIMIZER_NAMES, Trainer
from playground import config as cfg
from playground import state
from playground.config import Config

FEATURE_LABELS = {"x1": "x₁", "x2": "x₂", "x1^2": "x₁²", "x2^2": "x₂²", "x1*x2": "x₁x₂",
                  "sin(x1)": "sin x₁", "sin(x2)": "sin x₂"}
LOSS_LABELS = {"cross_entropy": "cross-entropy", "mse": "MSE"}
REGULARIZATION_LABELS = {"none": "none", "l1": "L1", "l2": "L2"}
INIT_LABELS = {"auto": "auto (Xavier/He)", "zeros": "zeros"}
INIT_HELP = ("Auto draws random weights: He for ReLU-like layers, Xavier otherwise. With zero "
             "weights the network is symmetric: every hidden neuron computes the same output and "
             "gets the same gradient, so they stay identical and the network cannot learn.")
ADVANCED_HELP = (f"Raise the limits: up to {cfg.ADVANCED_MAX_HIDDEN_LAYERS} hidden layers of "
                 f"{cfg.ADVANCED_NEURONS_RANGE[1]} neurons, {cfg.ADVANCED_SAMPLES_RANGE[1]:,} points, "
                 f"{cfg.ADVANCED_NOISE_RANGE[1]} % noise, batches up to the whole training set. "
                 "Turning it off clamps larger values to the normal limits.")
NEW_LAYER_NEURONS = 4
SHOWN = "controls_config"  # the Config the widgets showed when last read
FEATURES_SHOWN = "w_features_shown"  # the inputs box when a classroom link hides some inputs
TOOLBAR_WIDTHS = {"play": 1.25, "step": 1.1, "reset": 1.2, "same": 1.45}
TOOLBAR_TOTAL = 10.55  # the stats take what the buttons leave


def key(field: str) -> str:
    return f"w_{field}"


def neurons_key(layer: int) -> str:
    return f"w_neurons_{layer}"


def activation_key(layer: int) -> str:
    return f"w_activation_{layer}"


def output_key(problem: str) -> str:
    """One output/loss widget per problem type, so a choice is never out of its options."""
    return f"w_output_{problem}"


def shown(control: str) -> bool:
    """False when the session's classroom link hides `control` (a config.HIDEABLE name)."""
    return control not in state.hidden()


# --- Config -> widgets ---------------------------------------------------------------------

def _widget_values(config: Config) -> dict:
    """Every widget key (and the widget-less w_init_seed) with the value that shows `config`."""
    values = {key(field): list(value) if isinstance(value, tuple) else value
              for field, value in config.to_dict().items()
              if field not in ("hidden", "activation", "output_activation", "loss")}
    per_layer = config.hidden_activations
    main = cfg.main_activation(per_layer) if per_layer else config.activation
    values[key("activation")] = main
    values[key("layers")] = len(config.hidden)
    for layer in range(cfg.ADVANCED_MAX_HIDDEN_LAYERS):
        values[activation_key(layer)] = per_layer[layer] if layer < len(per_layer) else main
        if layer < len(config.hidden):
            values[neurons_key(layer)] = config.hidden[layer]
    pair = (config.output_activation, config.loss)
    for problem, choices in cfg.OUTPUT_CHOICES.items():
        values[output_key(problem)] = pair if pair in choices else choices[0]
    return values


def set_widgets(config: Config) -> None:
    """Make every widget show `config` (from a callback, or before the widgets are drawn)."""
    st.session_state.update(_widget_values(config))


def seed_widgets(config: Config) -> None:
    """Give every widget that has no state yet the Config's value."""
    state_ = st.session_state
    for name, value in _widget_values(config).items():
        if name not in state_:
            state_[name] = value
    for layer in range(cfg.ADVANCED_MAX_HIDDEN_LAYERS):
        if neurons_key(layer) not in state_:
            state_[neurons_key(layer)] = NEW_LAYER_NEURONS


def _clamp_state(name: str, low: int, high: int) -> None:
    """Keep a widget's value inside its current range. A slider whose range changes is a new
    widget to Streamlit, which would otherwise start it at its minimum."""
    state_ = st.session_state
    if name in state_ and isinstance(state_[name], int | float):
        state_[name] = min(max(state_[name], low), high)


# --- callbacks -----------------------------------------------------------------------------

def _regenerate() -> None:
    """New points from the same generator (the next data seed); the network is kept."""
    state_ = st.session_state
    state_[key("seed")] = (state_[key("seed")] + 1) % (cfg.SEED_RANGE[1] + 1)
    state_.regenerate = True  # state.apply_config swaps the data instead of starting over


def _keep_one_feature() -> None:
    """The network needs at least one input: an emptied selection keeps the last one."""
    state_ = st.session_state
    if not state_[key("features")]:
        state_[key("features")] = list(state_.config.features[:1])
        state_.notice = "The network needs at least one input feature, so the last one stays selected."


def _merge_shown_features() -> None:
    """With some inputs hidden by the link: the hidden ones keep their state, the box sets the rest."""
    state_ = st.session_state
    kept = [f for f in state_[key("features")] if not shown(f)]
    state_[key("features")] = [f for f in FEATURES if f in kept or f in state_[FEATURES_SHOWN]]
    _keep_one_feature()


def _sync_layer_count() -> None:
    """Adding a layer shows its neuron box at the size it had, or at NEW_LAYER_NEURONS, and its
    activation box at the main hidden activation."""
    state_ = st.session_state
    for layer in range(state_[key("layers")]):
        if neurons_key(layer) not in state_:
            state_[neurons_key(layer)] = NEW_LAYER_NEURONS
        if activation_key(layer) not in state_:
            state_[activation_key(layer)] = state_[key("activation")]


def _activation_for_all_layers() -> None:
    """The single "Hidden activation" box sets every layer."""
    state_ = st.session_state
    for layer in range(cfg.ADVANCED_MAX_HIDDEN_LAYERS):
        state_[activation_key(layer)] = state_[key("activation")]


def _advanced_switched() -> None:
    """Turning the advanced switch off clamps what exceeds the normal limits, and says so."""
    state_ = st.session_state
    if state_[key("advanced")]:
        return
    clamped, notes = cfg.within_normal_limits(state_.config)
    set_widgets(clamped)
    if notes:
        state_.notice = "Advanced limits off, so these settings were clamped: " + "; ".join(notes) + "."


# --- the sidebar ---------------------------------------------------------------------------

def sidebar(config: Config) -> Config:
    """Draw the controls and return the Config they describe."""
    state_ = st.session_state
    if state_.get(SHOWN) != config:  # first run, or a lesson, a session file or Reset changed it
        set_widgets(config)
    seed_widgets(config)
    with st.sidebar:
        st.markdown("#### Neural network playground")
        if shown("advanced"):
            st.toggle("Advanced limits", key=key("advanced"), on_change=_advanced_switched,
                      help=ADVANCED_HELP)
        limits = cfg.limits(state_[key("advanced")])
        with st.expander("**Data**", expanded=True):
            _data_controls(limits)
        if any(shown(f) for f in FEATURES):
            with st.expander("**Features**", expanded=True):
                _feature_controls()
        with st.expander("**Network**", expanded=True):
            _network_controls(limits)
        with st.expander("**Training**", expanded=True):
            _training_controls(limits)
    try:
        new = read_config()
    except (ValueError, TypeError) as error:  # e.g. an off-step value no browser sends: keep the last setup
        state_.refused = f"A setting was refused and the previous setup kept — {error}."
        return config
    state_[SHOWN] = new
    return new


def _cells(*controls: str, spec: list[float] | None = None) -> list[DeltaGenerator | None]:
    """One column per shown control (None for a hidden one), side by side."""
    visible = [c for c in controls if shown(c)]
    if not visible:
        return [None] * len(controls)
    widths = [w for c, w in zip(controls, spec or [1] * len(controls), strict=True) if shown(c)]
    columns = iter(st.columns(widths, vertical_alignment="bottom") if len(visible) > 1 else [st.container()])
    return [next(columns) if shown(c) else None for c in controls]


def _data_controls(limits: cfg.Limits) -> None:
    if shown("dataset"):
        st.selectbox("Dataset", list(DATASETS), key=key("dataset"),
                     format_func=lambda name: f"{name} — {DATASETS[name][3]}")
    _clamp_state(key("noise"), *limits.noise)
    noise, train = _cells("noise", "train_percent")
    if noise:
        noise.slider("Noise %", *limits.noise, step=cfg.NOISE_STEP, key=key("noise"))
    if train:
        train.slider("Train %", *cfg.TRAIN_PERCENT_RANGE, step=cfg.TRAIN_PERCENT_STEP,
                     key=key("train_percent"))
    _clamp_state(key("n_samples"), *limits.samples)
    points, seed = _cells("n_samples", "seed", spec=[3, 2])
    if points:
        points.slider("Points", *limits.samples, step=cfg.SAMPLES_STEP, key=key("n_samples"))
    if seed:
        seed.number_input("Seed", *cfg.SEED_RANGE, step=1, key=key("seed"))
        st.button("Regenerate data", on_click=_regenerate, width="stretch",
                  help="Draw new points from the same generator (next seed); the network and its "
                       "training so far are kept")


def _feature_controls() -> None:
    if all(shown(f) for f in FEATURES):
        st.pills("Inputs", FEATURES, selection_mode="multi", key=key("features"),
                 format_func=FEATURE_LABELS.get, on_change=_keep_one_feature,
                 label_visibility="collapsed")
        return
    state_ = st.session_state
    options = [f for f in FEATURES if shown(f)]
    state_[FEATURES_SHOWN] = [f for f in state_[key("features")] if f in options]
    st.pills("Inputs", options, selection_mode="multi", key=FEATURES_SHOWN,
             format_func=FEATURE_LABELS.get, on_change=_merge_shown_features,
             label_visibility="collapsed")


def _network_controls(limits: cfg.Limits) -> None:
    state_ = st.session_state
    _clamp_state(key("layers"), 0, limits.max_hidden_layers)
    if shown("layers"):
        st.number_input("Hidden layers", 0, limits.max_hidden_layers, step=1, key=key("layers"),
                        on_change=_sync_layer_count)
    n_layers = state_[key("layers")]
    if shown("neurons") and n_layers:
        columns = st.columns(3)
        for layer in range(n_layers):
            _clamp_state(neurons_key(layer), *limits.neurons)
            columns[layer % 3].number_input(f"Layer {layer + 1}", *limits.neurons, step=1,
                                            key=neurons_key(layer))
    if shown("activation"):
        _activation_controls(n_layers)
    if shown("init"):
        st.selectbox("Initial weights", cfg.INITS, key=key("init"), format_func=INIT_LABELS.get,
                     help=INIT_HELP)
    if shown("output"):
        problem = cfg.problem(state_[key("dataset")])
        st.selectbox("Output · loss", cfg.OUTPUT_CHOICES[problem], key=output_key(problem),
                     format_func=lambda pair: f"{pair[0]} · {LOSS_LABELS[pair[1]]}",
                     help="Only the pairs that fit this dataset's problem type are offered")


def _activation_controls(n_layers: int) -> None:
    """The hidden activation of every layer, and a per-layer override in a popover."""
    state_ = st.session_state
    per_layer = [state_[activation_key(layer)] for layer in range(n_layers)]
    if per_layer:  # the single box shows what most layers use
        state_[key("activation")] = cfg.main_activation(per_layer)
    st.selectbox("Hidden activation", HIDDEN_ACTIVATIONS, key=key("activation"),
                 disabled=n_layers == 0, on_change=_activation_for_all_layers,
                 help="Sets every hidden layer; 'Per-layer activations' gives a layer its own")
    with st.popover("Per-layer activations", icon=":material/tune:", disabled=n_layers == 0,
                    width="stretch"):
        for layer in range(n_layers):
            st.selectbox(f"Layer {layer + 1}", HIDDEN_ACTIVATIONS, key=activation_key(layer))
    if len(set(per_layer)) > 1:
        st.caption("Per layer: " + " · ".join(per_layer))


def _training_controls(limits: cfg.Limits) -> None:
    state_ = st.session_state
    if shown("optimizer"):
        st.selectbox("Optimizer", list(OPTIMIZER_NAMES), key=key("optimizer"),
                     format_func=OPTIMIZER_NAMES.get)
    batch_max = limits.batch_max(state_[key("n_samples")], state_[key("train_percent")])
    _clamp_state(key("batch_size"), cfg.BATCH_RANGE[0], batch_max)
    rate, batch = _cells("learning_rate", "batch_size")
    if rate:
        rate.selectbox("Learning rate", cfg.LEARNING_RATES, key=key("learning_rate"), format_func=_rate)
    if batch:
        batch.slider("Batch size", cfg.BATCH_RANGE[0], batch_max, key=key("batch_size"),
                     disabled=state_[key("optimizer")] == "gd")
    regularization, reg_rate = _cells("regularization", "regularization_rate")
    if regularization:
        regularization.selectbox("Regularization", list(REGULARIZATION_LABELS), key=key("regularization"),
                                 format_func=REGULARIZATION_LABELS.get)
    if reg_rate:
        reg_rate.selectbox("Reg. rate", cfg.REGULARIZATION_RATES, key=key("regularization_rate"),
                           format_func=_rate, disabled=state_[key("regularization")] == "none")
    if shown("speed"):
        st.segmented_control("Epochs per frame", cfg.SPEEDS, key=key("speed"), required=True,
                             help="How many epochs run between two pictures; max fills each frame")
    if shown("stop"):
        st.caption("Stop training (0 = off)")
        at_epoch, patience = st.columns(2, vertical_alignment="bottom")
        at_epoch.number_input("At epoch", *cfg.STOP_EPOCH_RANGE, step=1, key=key("stop_epoch"),
                              help="Pause when training reaches this epoch; 0 = off")
        patience.number_input("No gain for", *cfg.STOP_PATIENCE_RANGE, step=1,
                              key=key("stop_patience"),
                              help="Pause when the test loss has not improved for this many "
                                   "epochs in a row; 0 = off")


def _rate(value: float) -> str:
    return f"{value:g}"


def view_toggles() -> None:
    """Checkboxes that only change what the figures show."""
    left, middle, right = st.columns(3)
    left.checkbox("Test data", key=key("show_test"), help="Show the test points (diamonds)")
    middle.checkbox("Discretize", key=key("discretize"), help="Colour by the predicted class only")
    right.checkbox("Log loss", key=key("log_scale"), help="Cost curve on a log scale")


def read_config() -> Config:
    """The Config the widgets currently describe (widgets not drawn keep their state)."""
    state_ = st.session_state
    values = {field: state_[key(field)] for field in Config.__dataclass_fields__
              if field not in ("hidden", "activation", "output_activation", "loss")}
    values["features"] = tuple(f for f in FEATURES if f in values["features"])
    n_layers = int(state_[key("layers")])
    values["hidden"] = tuple(int(state_[neurons_key(layer)]) for layer in range(n_layers))
    values["activation"] = cfg.join_activations(
        [state_[activation_key(layer)] for layer in range(n_layers)], state_[key("activation")])
    values["output_activation"], values["loss"] = state_[output_key(cfg.problem(values["dataset"]))]
    for name in ("noise", "seed", "init_seed", "stop_epoch", "stop_patience"):
        values[name] = int(values[name] or 0)  # a cleared number box is off (0)
    return Config(**values)


# --- the toolbar ---------------------------------------------------------------------------

def toolbar(trainer: Trainer) -> DeltaGenerator:
    """Play/Pause, Step, Reset and "Same start" (those the classroom link does not hide);
    returns the column that holds the stats."""
    playing = st.session_state.playing
    blocked = trainer.diverged or trainer.stopped is not None  # see the banner
    names = [n for n in ("play", "step", "reset") if shown(n)] + (["same"] if shown("reset") else [])
    widths = [TOOLBAR_WIDTHS[n] for n in names]
    *cells, stats = st.columns([*widths, TOOLBAR_TOTAL - sum(widths)], vertical_alignment="center")
    cell = dict(zip(names, cells, strict=True))
    if "play" in cell:
        cell["play"].button("Pause" if playing else "Play", key="play", type="primary",
                            icon=":material/pause:" if playing else ":material/play_arrow:",
                            on_click=state.toggle_play, width="stretch", disabled=blocked and not playing)
    if "step" in cell:
        cell["step"].button("Step", key="step", icon=":material/skip_next:", on_click=state.step_once,
                            width="stretch", disabled=blocked)
    if "reset" in cell:
        cell["reset"].button("Reset", key="reset", icon=":material/replay:", on_click=state.reset,
                             width="stretch", help="Back to epoch 0 with new initial weights")
        cell["same"].button("Same start", key="reset_same", icon=":material/restart_alt:",
                            on_click=state.reset_same, width="stretch",
                            help="Back to epoch 0 with the same initial weights and data, so the "
                                 "run repeats exactly")
    return stats


def stopped_notice(reason: str) -> str:
    """The banner when a stop condition paused training."""
    return (f"Training stopped: {reason}. Raise or clear the stop condition (Training) to go on, "
            "or press Reset.")
