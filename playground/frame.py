"""The page's layout and the drawing of one frame: toolbar and stats, network diagram, decision
surface, cost curve, compare mode's charts, and (paused) the replay slider and clickable surface.

`layout` places every element once per script run and returns the placeholders as a `Frame`;
`draw` fills them from the trainer's current state: once when paused, every frame while playing
(then the charts are live charts, updated in place; see live.chart).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import plotly.graph_objects as go
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from core import Surface, Trainer
from playground.figures.base import CHART_CONFIG
from playground.figures.cost import compare_cost_figure, cost_curve_figure
from playground.figures.network import network_figure
from playground.figures.surface import surface_figure
from playground.live import chart as live_chart
from playground.live.pacing import Pacer, charts_to_draw
from playground.panels import (
    compare,
    controls,
    editor,
    focus,
    lessons,
    link_builder,
    math,
    metrics,
    replay,
    save,
    toolbar,
    your_data,
)
from playground.session import compare as compare_state
from playground.session import data as data_state
from playground.session import locks, state
from playground.session import replay as replay_state
from playground.session.guard import guarded
from playground.settings.config import Config
from playground.settings.labels import FEATURE_LABELS, column_names

SURFACE_RESOLUTION = 40
SURFACE_HEIGHT = 330
COST_HEIGHT = 190
NETWORK_HEIGHT = 420
COMPARE_SURFACE_HEIGHT, COMPARE_COST_HEIGHT = 300, 330
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
/* Streamlit's header (3.75rem, fixed) holds the open-sidebar button whenever the sidebar is
   collapsed, and then takes taps and clicks over its whole width: keep the toolbar below it. */
.stApp:has([data-testid="stSidebar"][data-collapsed="true"]) [data-testid="stMainBlockContainer"] {
  padding-top: 4.25rem;}
@media (max-width: 767.98px) {[data-testid="stMainBlockContainer"] {padding-top: 4.25rem;}}
</style>
"""


@dataclass
class Frame:
    """The placeholders one frame redraws, and the frame count of this script run."""

    stats: DeltaGenerator
    banner: DeltaGenerator
    network: DeltaGenerator
    surface: DeltaGenerator
    cost: DeltaGenerator
    replay: DeltaGenerator  # the replay slider, under the cost curve (paused)
    compare: DeltaGenerator  # compare mode's charts, full width below
    draw_area: DeltaGenerator  # the clickable surface of "Click to add points" (paused)
    editor: DeltaGenerator
    explanations: DeltaGenerator
    pacer: Pacer
    live_area: DeltaGenerator  # hidden by CSS: the live charts' frame data
    count: int = 0
    live: dict[str, DeltaGenerator] = field(default_factory=dict)  # live chart data slots, this run
    compare_charts: tuple[DeltaGenerator, DeltaGenerator] | None = None  # B's surface, both costs
    failed: set[str] = field(default_factory=set)  # what failed this run (logged once, see guard)


def page_setup() -> None:
    """The page's title, wide layout and style; the live charts' script is served from now on."""
    st.set_page_config(page_title="Neural network playground", page_icon="🧠", layout="wide",
                       initial_sidebar_state="auto")  # collapsed on screens up to 768 px wide
    st.html(CSS)
    live_chart.register()


def notices() -> None:
    """What the link's parameters did where they did not apply, then the messages of the last
    run, each shown once."""
    link = state.url_notice()
    if link:
        st.warning(link, icon="⚠️")
    for kind, text in state.take_messages():
        if kind == "warning":
            st.warning(text, icon="⚠️")
        else:
            st.info(text)


def layout(trainer: Trainer, pacer: Pacer) -> Frame:
    """Place the toolbar, the charts and the slots below them; returns the placeholders."""
    stats = guarded("The toolbar", lambda: toolbar.render(trainer))  # a link may hide some buttons
    stats = stats if stats is not None else st.container()
    banner = st.empty()
    left, right = st.columns([11, 9], gap="small")
    network = left.empty()
    left.caption("Each square is a neuron's output over the input square. Orange is negative, blue "
                 "positive; a link's width is its weight's size (hover for the value).")
    editor_place = left.container()  # pick a weight or bias, type a value (after the figures)
    with right:
        surface = st.empty()
        guarded("The neuron focus", lambda: focus.render(trainer))  # "Showing hidden 2 · neuron 1"
        guarded("The view switches", controls.view_toggles)
        cost = st.empty()
        replay_place = st.empty()
    compare_place, draw_area = st.empty(), st.empty()
    explanations = st.container()  # filled after the first frame: the figures come first
    live_area = st.container()  # hidden by CSS: where playing charts get each frame's figure
    return Frame(stats.empty(), banner, network, surface, cost, replay_place, compare_place, draw_area,
                 editor_place, explanations, pacer, live_area)


def finish(page: Frame, trainer: Trainer, config: Config) -> None:
    """After the first frame's figures: the editor, the math and metrics, the sidebar's panels
    (each panel guarded: a failure shows one sentence in its place). A classroom link leaves out
    the panels that could change what it fixes (session.locks.panel_shown)."""
    with page.editor:
        guarded("The weight editor", lambda: editor.render(trainer))
    with page.explanations, st.expander("The math", expanded=False):
        if state.playing():
            st.caption("Pause to see the derivation with the current numbers.")
        else:
            guarded("The math view", lambda: math.render(trainer))
    with page.explanations:
        guarded("The metrics", lambda: metrics.render(trainer))  # accuracy, confusion, RMSE/R², …
    with st.sidebar:
        if locks.panel_shown("lessons"):
            with st.expander("**Lessons**", expanded=bool(data_state.lesson())):
                guarded("The lessons", lessons.render)
        if locks.panel_shown("your_data"):
            with st.expander("**Your data**"):
                guarded("The data panel", your_data.render)
        with st.expander("**Save and export**"):
            guarded("Save and export", lambda: save.render(config, trainer))
        if locks.panel_shown("compare"):
            with st.expander("**Compare**", expanded=compare_state.is_on()):
                guarded("The comparison", lambda: compare.render(config))
        if locks.panel_shown("link_builder"):  # a URL that hides the controls a teacher ticks
            guarded("The classroom link builder", lambda: link_builder.render(config))


def draw(page: Frame, trainer: Trainer, config: Config) -> None:
    """Redraw every placeholder from the trainer's current state."""
    page.count += 1
    playing = state.playing()
    page.stats.markdown(stats_html(trainer), unsafe_allow_html=True)
    if trainer.diverged:
        page.banner.error(DIVERGED, icon="🚨")
    elif trainer.stopped:
        page.banner.info(toolbar.stopped_notice(trainer.stopped), icon=":material/stop_circle:")
    guarded("The charts", lambda: _draw_charts(page, trainer, config, playing), place=page.banner,
            logged=page.failed)
    if playing:
        return
    with page.replay.container():
        guarded("The replay slider", lambda: replay.render(trainer))
    if your_data.drawing():
        with page.draw_area.container():
            guarded("The clickable surface", lambda: your_data.render_draw_surface(
                surface_view(trainer, config, _surface(trainer))))


def _draw_charts(page: Frame, trainer: Trainer, config: Config, playing: bool) -> None:
    """The network diagram, the surface, the cost curve and compare mode's charts."""
    charts = charts_to_draw(page.count, playing and page.pacer.crowded)
    with replay_state.replaying(trainer) as replayed:  # a paused replay shows an earlier snapshot
        surface = _surface(trainer)
        network = network_view(trainer, config, surface, hover=not playing) if "network" in charts else None
        picture = None
        if "surface" in charts:  # a focused neuron's output, large, replaces the surface
            picture = focus.view(surface_view(trainer, config, surface), surface, trainer)
    if not playing:  # paused, a click on a link or neuron picks it
        editor.render_diagram(page.network, network, trainer, NETWORK_HEIGHT)
    elif network is not None:
        chart(page, page.network, network, "network", NETWORK_HEIGHT)
    if picture is not None:
        chart(page, page.surface, picture, "surface", SURFACE_HEIGHT)
    if "cost" in charts:
        history = trainer.history
        cost = cost_curve_figure(history.epochs, history.train_loss, history.test_loss,
                                 log_scale=config.log_scale, marker_epoch=replayed)
        chart(page, page.cost, cost, "cost", COST_HEIGHT)
    _draw_compare(page, trainer, config, replayed, charts)


def _draw_compare(page: Frame, trainer: Trainer, config: Config, replayed: int | None,
                  charts: tuple[str, ...]) -> None:
    """Compare mode: B's surface and both cost curves (a crowded frame builds only what it draws)."""
    other = compare_state.trainer_b(trainer)
    if other is None:
        return
    if page.compare_charts is None:  # laid out once per script run, then only redrawn
        with page.compare.container():
            left, right = st.columns([9, 11])
            left.caption("Setup B (A is above)")
            page.compare_charts = left.empty(), right.empty()
    surface_place, cost_place = page.compare_charts
    if "surface" in charts:
        picture = surface_view(other, config, _surface(other))
        chart(page, surface_place, picture, "compare_surface", COMPARE_SURFACE_HEIGHT)
    if "cost" in charts:
        runs = [(name, t.history.epochs, t.history.train_loss, t.history.test_loss)
                for name, t in (("A", trainer), ("B", other))]
        cost = compare_cost_figure(runs, log_scale=config.log_scale, marker_epoch=replayed)
        chart(page, cost_place, cost, "compare_cost", COMPARE_COST_HEIGHT)


def chart(page: Frame, place: DeltaGenerator, figure: go.Figure, slot: str, height: int) -> None:
    """Draw `figure` into `place` as chart `slot`: updated in place while playing, a full plotly
    chart when paused."""
    key = f"{slot}-{page.count}"
    if state.playing():
        live_chart.draw(place, figure, slot, f"live-{key}", height, CHART_CONFIG, page.live,
                        page.live_area)
        return
    figure.layout.height = height
    place.plotly_chart(figure, key=key, config=CHART_CONFIG, theme=None)


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


# --- view models: the trainer's arrays as the figure builders take them ---------------------------

def _surface(trainer: Trainer) -> Surface:
    with np.errstate(over="ignore", invalid="ignore"):  # huge weights: inf, drawn transparent
        return trainer.surface(SURFACE_RESOLUTION)


def _display_output(output: np.ndarray, config: Config) -> np.ndarray:
    """A binary tanh output lives in [-1, 1]; the surface reads class-1 confidence in [0, 1]."""
    if config.problem == "binary" and config.output_activation == "tanh":
        return (output + 1) / 2
    return output


def surface_view(trainer: Trainer, config: Config, surface: Surface) -> go.Figure:
    """The decision surface of `trainer` with its training (and, by toggle, test) points."""
    data = trainer.data
    test = (data.X_test, data.labels_test) if config.show_test else (None, None)
    return surface_figure(surface.xs, surface.ys, _display_output(surface.output, config),
                          data.kind, data.n_classes, data.X_train, data.labels_train,
                          *test, discretize=config.discretize)


def network_view(trainer: Trainer, config: Config, surface: Surface, hover: bool = True) -> go.Figure:
    """The network diagram of `trainer`, every neuron drawn over the input square."""
    net = trainer.net
    images = list(surface.neurons)
    if config.output_activation in ("sigmoid", "softmax"):
        images[-1] = images[-1] - 1 / max(2, images[-1].shape[0])  # centre on "undecided"
    return network_figure(column_names(len(net.layer_sizes)), images, list(net.weights), list(net.biases),
                          input_labels=[FEATURE_LABELS[f] for f in config.features], hover=hover)
