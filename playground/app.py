"""The page: sidebar controls, then the live view (toolbar, network diagram, surface, cost curve).

A full run reads the sidebar into a Config, applies it to the session's Trainer, keeps the URL
in sync and draws the live view. While playing, the run does not end: a loop trains one
frame's epochs and rewrites the placeholders (measured in Chromium: several times the frame
rate of an `st.fragment(run_every=...)`, whose every tick is a browser round trip).
"""

from __future__ import annotations

import itertools
import time
import uuid
from dataclasses import dataclass, field

import numpy as np
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from core import Surface, Trainer
from playground import classroom, controls, editing, link_builder, live_chart, metrics_view, state
from playground.config import Config
from playground.figures import cost_curve_figure, network_figure, surface_figure
from playground.math_view import render_math_view
from playground.pacing import Pacer, PlayingSessions, charts_to_draw

# Frames per script run. Streamlit keeps every element key of a run until the run ends; no chart
# takes a new key per frame while playing (live charts keep one per chart), but anything a run
# accumulates is bounded by a fresh run every FRAMES_PER_RUN frames, and playing goes on (about
# once a minute at full speed, the page redraws once).
FRAMES_PER_RUN = 1000
SURFACE_RESOLUTION = 40
SURFACE_HEIGHT = 330
COST_HEIGHT = 190
NETWORK_HEIGHT = 420
CHART_CONFIG = classroom.CHART_CONFIG  # only a PNG download button, shown on hover
DIVERGED = ("Training diverged (loss became NaN/∞) — the learning rate is probably too high; "
            "lower it and press Reset.")
CSS = """
<style>
[data-testid="stMainBlockContainer"] {padding: 1rem 1.2rem 0.5rem 1.2rem; max-width: 100%;}
section[data-testid="stSidebar"] {width: 300px !important;}
section[data-testid="stSidebar"] .block-container {padding-top: 0.5rem;}
[data-testid="stSidebarHeader"] {height: 1.5rem; padding: 0.25rem 1rem;}
[data-testid="stSidebarUserContent"] {padding-top: 0;}
[data-testid="stExpander"] details summary {padding: 0.3rem 0.75rem;}
.pg-stats {display: flex; gap: 1.4rem; align-items: baseline; flex-wrap: wrap;}
.pg-stats div {display: flex; flex-direction: column; line-height: 1.15;}
.pg-stats small {color: #666; font-size: 0.75rem;}
.pg-stats span {font-size: 1.35rem; font-variant-numeric: tabular-nums;}
[data-testid="stElementContainer"]:has(.pg-live-data) {display: none;}
</style>
"""


def main() -> None:
    st.set_page_config(page_title="Neural network playground", page_icon="🧠", layout="wide",
                       initial_sidebar_state="expanded")
    st.html(CSS)
    live_chart.register()
    classroom.open_lesson_link()
    state.init_session()
    config = controls.sidebar(state.config())
    state.apply_config(config)
    classroom.sync_data(config)  # the user's own points, when there are any
    state.sync_url(config)
    _notices()
    live_view(config, state.trainer())


def sidebar_panels(config: Config, trainer: Trainer) -> None:
    """The sidebar's panels below the controls (drawn after the first frame's figures)."""
    with st.sidebar:
        classroom.render_panels(config, trainer)  # lessons, your data, save, compare
        link_builder.render(config)  # issue 7: a URL that hides the controls a teacher ticks


def _notices() -> None:
    ignored = st.session_state.get("url_ignored")
    if ignored:
        st.warning(url_notice(ignored), icon="⚠️")
    refused = st.session_state.pop("refused", None)
    if refused:
        st.warning(refused, icon="⚠️")
    notice = st.session_state.pop("notice", None)
    if notice:
        st.info(notice)


def url_notice(ignored: list[str]) -> str:
    """The notice naming the ignored link parameters (config_from_query lists only plain names)."""
    names = [f"`{name}`" if state.SAFE_NAME.fullmatch(name) else name for name in ignored]
    return "Some link parameters were invalid and fell back to their defaults: " + ", ".join(names)


@dataclass
class Frame:
    """The placeholders one frame redraws."""

    stats: DeltaGenerator
    banner: DeltaGenerator
    network: DeltaGenerator
    surface: DeltaGenerator
    cost: DeltaGenerator
    classroom: classroom.Slots
    editor: DeltaGenerator
    explanations: DeltaGenerator
    pacer: Pacer
    live_area: DeltaGenerator  # hidden by CSS: the live charts' frame data
    count: int = 0
    live: dict[str, DeltaGenerator] = field(default_factory=dict)  # live_chart's data slots, this run


def live_view(config: Config, trainer: Trainer) -> None:
    """Toolbar and figures; while playing, a loop trains a frame's epochs and redraws them.

    Streamlit stops the loop at its next element update when a widget changes (the script then
    reruns from the top), so Pause, Step, Reset and every control work during training.
    """
    frame = _layout(trainer, config)
    _draw(frame, trainer, config)
    with frame.editor:
        editing.render_editor(trainer)
    _explain(frame.explanations, trainer)
    sidebar_panels(config, trainer)
    if not st.session_state.playing:
        return
    try:
        _play(frame, trainer, config)
    finally:  # paused, stopped, or the tab closed: the other sessions share this one's frames
        frame.pacer.stop()
    st.session_state.playing = False


def _play(frame: Frame, trainer: Trainer, config: Config) -> None:
    """Train and redraw frame after frame until paused, stopped or diverged."""
    for played in itertools.count():
        if played == FRAMES_PER_RUN:
            st.rerun()  # keeps playing in a fresh run; Streamlit frees this run's element keys
        if _test_frames_spent():
            return
        start = time.perf_counter()
        _train_frame(trainer, config, frame.pacer.training_budget)
        _draw(frame, trainer, config)
        if trainer.diverged or trainer.stopped:
            st.session_state.playing = False
            st.rerun()
        time.sleep(frame.pacer.pause(time.perf_counter() - start))


def _test_frames_spent() -> bool:
    """Tests bound play with session_state.max_frames, a budget spent one frame at a time."""
    budget = st.session_state.get("max_frames")
    if budget is None:
        return False
    st.session_state.max_frames = budget - 1
    return budget <= 0


@st.cache_resource
def playing_sessions() -> PlayingSessions:
    """The server's one count of playing sessions (frame pacing only: no user data)."""
    return PlayingSessions()


def _pacer(config: Config) -> Pacer:
    token = st.session_state.setdefault("pacing_token", uuid.uuid4().hex)
    return Pacer.for_config(classroom.drawn_setups(config), playing_sessions(), token)


def _layout(trainer: Trainer, config: Config) -> Frame:
    stats = controls.toolbar(trainer)  # Play/Pause, Step, Reset, Same start (a link may hide some)
    banner = st.empty()
    left, right = st.columns([11, 9], gap="small")
    network = left.empty()
    left.caption("Each square is a neuron's output over the input square. Orange is negative, blue "
                 "positive; a link's width is its weight's size (hover for the value).")
    editor = left.container()  # issue 7: pick a weight or bias, type a value (after the figures)
    with right:
        surface = st.empty()
        editing.render_focus_bar(trainer)  # issue 7: "Showing hidden 2 · neuron 1" and the way back
        controls.view_toggles()
        cost = st.empty()
    explanations = st.container()  # filled after the first frame: the figures come first
    live_area = st.container()  # hidden by CSS: where playing charts get each frame's figure
    return Frame(stats.empty(), banner, network, surface, cost, classroom.slots(right), editor,
                 explanations, _pacer(config), live_area)


def _explain(place: DeltaGenerator, trainer: Trainer) -> None:
    """The math (issue 4) and the metrics (issue 7) expanders, with this network's numbers."""
    with place, st.expander("The math", expanded=False):
        if st.session_state.playing:
            st.caption("Pause to see the derivation with the current numbers.")
        else:
            render_math_view(trainer)
    with place:
        metrics_view.render_metrics(trainer)  # accuracy, confusion, RMSE/R², loss ± penalty


def _draw(frame: Frame, trainer: Trainer, config: Config) -> None:
    """Redraw every placeholder from the trainer's current state."""
    frame.count += 1
    classroom.on_frame(trainer)  # replay snapshot; compare mode's second trainer keeps in step
    frame.stats.markdown(stats_html(trainer), unsafe_allow_html=True)
    if trainer.diverged:
        frame.banner.error(DIVERGED, icon="🚨")
    elif trainer.stopped:
        frame.banner.info(controls.stopped_notice(trainer.stopped), icon=":material/stop_circle:")
    charts = charts_to_draw(frame.count, st.session_state.playing and frame.pacer.crowded)
    with classroom.replaying(trainer) as replayed:  # a paused replay shows an earlier snapshot
        surface = _surface(trainer)
        network = network_view(trainer, config, surface) if "network" in charts else None
        picture = None
        if "surface" in charts:  # issue 7: a focused neuron's output, large, replaces the surface
            picture = editing.focus_view(surface_view(trainer, config, surface), surface, trainer)
    if not st.session_state.playing:  # issue 7: paused, a click on a link or neuron picks it
        editing.pickable_chart(frame.network, network, trainer, NETWORK_HEIGHT)
    elif network is not None:
        _chart(frame.network, network, f"network-{frame.count}", NETWORK_HEIGHT, frame)
    if picture is not None:
        _chart(frame.surface, picture, f"surface-{frame.count}", SURFACE_HEIGHT, frame)
    if "cost" in charts:
        history = trainer.history
        cost = cost_curve_figure(history.epochs, history.train_loss, history.test_loss,
                                 log_scale=config.log_scale, marker_epoch=replayed)
        _chart(frame.cost, cost, f"cost-{frame.count}", COST_HEIGHT, frame)
    classroom.draw(frame.classroom, trainer, config, lambda t: surface_view(t, config, _surface(t)),
                   replayed, frame.count, lambda *chart: _chart(*chart, frame), charts)


def _surface(trainer: Trainer) -> Surface:
    with np.errstate(over="ignore", invalid="ignore"):  # huge weights: inf, drawn transparent
        return trainer.surface(SURFACE_RESOLUTION)


def _train_frame(trainer: Trainer, config: Config, budget: float) -> None:
    """One frame's epochs: a fixed count, or at "max" as many as fit `budget` seconds."""
    if config.speed != "max":
        trainer.step(int(config.speed))
        return
    seconds = st.session_state.get("epoch_seconds", 0.002)
    epochs = max(1, int(budget / seconds))
    start = time.perf_counter()
    done = trainer.step(epochs)
    if done:
        measured = (time.perf_counter() - start) / done
        st.session_state.epoch_seconds = 0.5 * seconds + 0.5 * measured


def _format_loss(value: float) -> str:
    return f"{value:.4f}" if np.isfinite(value) else "NaN"


def _format_accuracy(value: float) -> str:
    return f"{100 * value:.1f} %" if np.isfinite(value) else "—"


def stats_html(trainer: Trainer) -> str:
    """Epoch, losses and accuracies as labelled numbers with stable element ids."""
    train_loss, test_loss, train_accuracy, test_accuracy = trainer.evaluate()
    items = [("Epoch", "epoch-counter", f"{trainer.epoch:,}"),
             ("Train loss", "train-loss", _format_loss(train_loss)),
             ("Test loss", "test-loss", _format_loss(test_loss))]
    if trainer.data.kind == "classification":
        items += [("Train accuracy", "train-accuracy", _format_accuracy(train_accuracy)),
                  ("Test accuracy", "test-accuracy", _format_accuracy(test_accuracy))]
    cells = "".join(f'<div><small>{label}</small><span id="{id_}">{text}</span></div>'
                    for label, id_, text in items)
    return f'<div class="pg-stats">{cells}</div>'


def _chart(place: DeltaGenerator, figure, key: str, height: int, frame: Frame) -> None:
    """Draw `figure` into `place`: updated in place while playing, a full plotly chart paused."""
    if st.session_state.playing:
        live_chart.draw(place, figure, key.split("-")[0], f"live-{key}", height, CHART_CONFIG,
                        frame.live, frame.live_area)
        return
    figure.layout.height = height
    place.plotly_chart(figure, key=key, config=CHART_CONFIG, theme=None)


def _display_output(output: np.ndarray, config: Config) -> np.ndarray:
    """A binary tanh output lives in [-1, 1]; the surface reads class-1 confidence in [0, 1]."""
    if config.problem == "binary" and config.output_activation == "tanh":
        return (output + 1) / 2
    return output


def surface_view(trainer: Trainer, config: Config, surface: Surface):
    data = trainer.data
    test = (data.X_test, data.labels_test) if config.show_test else (None, None)
    return surface_figure(surface.xs, surface.ys, _display_output(surface.output, config),
                          data.kind, data.n_classes, data.X_train, data.labels_train,
                          *test, discretize=config.discretize)


def network_view(trainer: Trainer, config: Config, surface: Surface):
    net = trainer.net
    images = list(surface.neurons)
    if config.output_activation in ("sigmoid", "softmax"):
        images[-1] = images[-1] - 1 / max(2, images[-1].shape[0])  # centre on "undecided"
    names = ["inputs", *(f"hidden {i + 1}" for i in range(len(config.hidden))), "output"]
    return network_figure(names, images, list(net.weights), list(net.biases),
                          input_labels=[controls.FEATURE_LABELS[f] for f in config.features],
                          hover=not st.session_state.get("playing", False))
