"""The sidebar's widget state: which key holds which setting, Config → widgets, widgets → Config,
and the callbacks that keep the widgets consistent.

Each widget's key is "w_" + the Config field it sets (per hidden layer: "w_neurons_<l>" and
"w_activation_<l>"; one output/loss box per problem type, so a choice is never out of its
options). Widgets show the session's Config: on the first run, and whenever the Config was
changed elsewhere (a lesson, a loaded session, Reset's next init seed) they are all set from
it; otherwise only the keys Streamlit dropped (widgets not drawn last run) are seeded again.
"""

from __future__ import annotations

import streamlit as st

from core import FEATURES
from playground.session import keys, locks, state
from playground.settings import config as cfg
from playground.settings.config import Config

NEW_LAYER_NEURONS = 4
_SPLIT_FIELDS = ("hidden", "activation", "output_activation", "loss")  # no widget of their own


def key(field: str) -> str:
    return keys.WIDGET(field).name


def neurons_key(layer: int) -> str:
    return keys.NEURONS(layer).name


def activation_key(layer: int) -> str:
    return keys.LAYER_ACTIVATION(layer).name


def output_key(problem: str) -> str:
    """One output/loss widget per problem type, so a choice is never out of its options."""
    return keys.OUTPUT(problem).name


def value(field: str):
    """The current value of the widget that sets `field` ("layers": the hidden layer count)."""
    return st.session_state[key(field)]


def layer_activations(n_layers: int) -> list[str]:
    return [st.session_state[activation_key(layer)] for layer in range(n_layers)]


# --- Config -> widgets ---------------------------------------------------------------------

def widget_values(config: Config) -> dict:
    """Every widget key (and the widget-less w_init_seed) with the value that shows `config`."""
    values = {key(field): list(v) if isinstance(v, tuple) else v
              for field, v in config.to_dict().items() if field not in _SPLIT_FIELDS}
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
    st.session_state.update(widget_values(config))


def seed_widgets(config: Config) -> None:
    """Give every widget that has no state yet the Config's value."""
    for name, v in widget_values(config).items():
        st.session_state.setdefault(name, v)
    for layer in range(cfg.ADVANCED_MAX_HIDDEN_LAYERS):
        st.session_state.setdefault(neurons_key(layer), NEW_LAYER_NEURONS)


def prepare(config: Config) -> None:
    """Before the sidebar is drawn: show `config` if it changed elsewhere since the last read."""
    if keys.CONTROLS_SHOWN.get() != config:  # first run, or a lesson, a session file or Reset
        set_widgets(config)
    seed_widgets(config)


def clamp(name: str, low: int, high: int) -> None:
    """Keep a widget's value inside its current range. A slider whose range changes is a new
    widget to Streamlit, which would otherwise start it at its minimum."""
    current = st.session_state.get(name)
    if isinstance(current, int | float):
        st.session_state[name] = min(max(current, low), high)


def show_main_activation(n_layers: int) -> None:
    """The single "Hidden activation" box shows what most layers use."""
    per_layer = layer_activations(n_layers)
    if per_layer:
        st.session_state[key("activation")] = cfg.main_activation(per_layer)


def show_features_subset(options: list[str]) -> None:
    """With some inputs hidden by the link, the box holds the selected inputs it offers."""
    st.session_state[keys.FEATURES_SHOWN.name] = [f for f in value("features") if f in options]


# --- widgets -> Config ---------------------------------------------------------------------

def read_config() -> Config:
    """The Config the widgets currently describe (widgets not drawn keep their state)."""
    values = {field: value(field) for field in Config.__dataclass_fields__ if field not in _SPLIT_FIELDS}
    values["features"] = tuple(f for f in FEATURES if f in values["features"])
    n_layers = int(value("layers"))
    values["hidden"] = tuple(int(st.session_state[neurons_key(layer)]) for layer in range(n_layers))
    values["activation"] = cfg.join_activations(layer_activations(n_layers), value("activation"))
    values["output_activation"], values["loss"] = st.session_state[output_key(cfg.problem(values["dataset"]))]
    for name in ("noise", "seed", "init_seed", "stop_epoch", "stop_patience"):
        values[name] = int(values[name] or 0)  # a cleared number box is off (0)
    return Config(**values)


def clamp_all() -> None:
    """Keep the range widgets inside the ranges the advanced switch allows."""
    limits = cfg.limits(value("advanced"))
    clamp(key("noise"), *limits.noise)
    clamp(key("n_samples"), *limits.samples)
    clamp(key("layers"), 0, limits.max_hidden_layers)
    for layer in range(int(value("layers"))):
        clamp(neurons_key(layer), *limits.neurons)
    clamp(key("batch_size"), cfg.BATCH_RANGE[0], limits.batch_max(value("n_samples"), value("train_percent")))


def current_config(config: Config) -> Config:
    """Before anything is drawn: the Config the widgets describe (their state holds the user's
    latest change already), or `config` (and a message) when a value was refused (e.g. an
    off-step value no browser sends).

    A change that would alter a setting the classroom link fixes (e.g. fewer points clamping a
    fixed batch size) is refused too: every widget shows `config` again.
    """
    prepare(config)
    clamp_all()
    try:
        new = read_config()
    except (ValueError, TypeError) as error:
        state.refuse(f"A setting was refused and the previous setup kept — {error}.")
        return config
    broken = locks.broken_by(new)
    if broken:
        keys.REGENERATE.pop()
        set_widgets(config)
        keys.CONTROLS_SHOWN.set(config)
        state.refuse(locks.refusal(broken, "that change was not applied"))
        return config
    keys.CONTROLS_SHOWN.set(new)
    return new


# --- callbacks -----------------------------------------------------------------------------

def regenerate() -> None:
    """New points from the same generator (the next data seed); the network is kept."""
    st.session_state[key("seed")] = (value("seed") + 1) % (cfg.SEED_RANGE[1] + 1)
    keys.REGENERATE.set(True)  # state.apply_config swaps the data instead of starting over


def keep_one_feature() -> None:
    """The network needs at least one input: an emptied selection keeps the last one."""
    if not value("features"):
        st.session_state[key("features")] = list(state.config().features[:1])
        state.notify("The network needs at least one input feature, so the last one stays selected.")


def merge_shown_features() -> None:
    """With some inputs hidden by the link: the hidden ones keep their state, the box sets the rest."""
    kept = [f for f in value("features") if not state.shown(f)]
    chosen = st.session_state[keys.FEATURES_SHOWN.name]
    st.session_state[key("features")] = [f for f in FEATURES if f in kept or f in chosen]
    keep_one_feature()


def sync_layer_count() -> None:
    """Adding a layer shows its neuron box at the size it had, or at NEW_LAYER_NEURONS, and its
    activation box at the main hidden activation."""
    for layer in range(value("layers")):
        st.session_state.setdefault(neurons_key(layer), NEW_LAYER_NEURONS)
        st.session_state.setdefault(activation_key(layer), value("activation"))


def activation_for_all_layers() -> None:
    """The single "Hidden activation" box sets every layer."""
    for layer in range(cfg.ADVANCED_MAX_HIDDEN_LAYERS):
        st.session_state[activation_key(layer)] = value("activation")


def advanced_switched() -> None:
    """Turning the advanced switch off clamps what exceeds the normal limits, and says so."""
    if value("advanced"):
        return
    clamped, notes = cfg.within_normal_limits(state.config())
    broken = locks.broken_by(clamped)
    if broken:  # the switch is disabled then; this is the last line of defence
        st.session_state[key("advanced")] = True
        state.refuse(locks.refusal(broken, "the advanced limits stay on"))
        return
    set_widgets(clamped)
    if notes:
        state.notify("Advanced limits off, so these settings were clamped: " + "; ".join(notes) + ".")


def structure_buttons() -> dict | None:
    """What the diagram's +/− buttons may do now: {"layers_text", "can_add_layer",
    "can_remove_layer", "columns": [[column, can add, can remove], ...]} (hidden columns 1…L),
    or None when a classroom link hides both the layer count and the neurons."""
    show_layers, show_neurons = state.shown("layers"), state.shown("neurons")
    if not (show_layers or show_neurons):
        return None
    limits = cfg.limits(value("advanced"))
    n_layers = int(value("layers"))
    sizes = [int(st.session_state[neurons_key(layer)]) for layer in range(n_layers)]
    text = f"{n_layers} hidden layer{'s' if n_layers != 1 else ''}"
    columns = [[layer + 1, size < limits.neurons[1], size > limits.neurons[0]]
               for layer, size in enumerate(sizes)] if show_neurons else []
    return {"layers_text": text, "can_add_layer": show_layers and n_layers < limits.max_hidden_layers,
            "can_remove_layer": show_layers and n_layers > 0, "columns": columns}


def on_structure() -> None:
    """The diagram's +/− buttons: {"layers": ±1} adds or removes the last hidden layer,
    {"layer": l, "neurons": ±1} a neuron of hidden layer l (within the current limits, and only
    what the classroom link shows)."""
    event = (keys.STAGE("network").get() or {}).get("structure") or {}
    buttons = structure_buttons()
    if buttons is None:
        return
    step = event.get("layers", event.get("neurons"))
    if step not in (-1, 1):
        return
    if "layers" in event:
        if (buttons["can_add_layer"] if step > 0 else buttons["can_remove_layer"]):
            st.session_state[key("layers")] = int(value("layers")) + step
            sync_layer_count()
        return
    allowed = {column - 1: (add, remove) for column, add, remove in buttons["columns"]}
    layer = event.get("layer")
    if layer in allowed and allowed[layer][0 if step > 0 else 1]:
        st.session_state[neurons_key(layer)] = int(st.session_state[neurons_key(layer)]) + step
