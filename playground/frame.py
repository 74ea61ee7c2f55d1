"""The page's layout and the drawing of one frame: the toolbar and stats, the network diagram, the
decision surface and the cost curve (the live view, live/), compare mode's charts, the replay
slider, the panels below and in the sidebar.

`layout` places every element once per script run and returns the placeholders as a `Frame`;
`draw` mounts the live views with the trainer's current state (once per run); `play_frame`
sends one frame of every view while playing (see live.stage).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from core import Trainer
from playground.figures.base import CHART_CONFIG
from playground.figures.cost import is_log
from playground.figures.network import marks as diagram_marks
from playground.figures.surface import drawn_points_trace, explained_sample_trace
from playground.live import learning, stage, views
from playground.live.pacing import Pacer, charts_to_draw
from playground.live.payload import Message
from playground.panels import (
    compare,
    controls,
    editor,
    focus,
    landscape,
    lessons,
    link_builder,
    math,
    metrics,
    replay,
    restore,
    save,
    toolbar,
    your_data,
)
from playground.session import backup, editing, keys, lazy, locks, messages, state, widgets
from playground.session import compare as compare_state
from playground.session import data as data_state
from playground.session import math as math_state
from playground.session import replay as replay_state
from playground.session.guard import guarded
from playground.settings.config import Config
from playground.settings.style import page_css

PICK_HINT = ("Paused, a click on the surface picks the training point nearest to it for *The math* "
             "(the black ring). While *Click to add points* is on (Your data), a click adds a point "
             "instead.")
DIVERGED = ("Training diverged at epoch {epoch:,}: the loss became NaN or ∞ — the learning rate is "
            "probably too high. The charts show the last finite weights; lower the learning rate "
            "and press Reset.")


@dataclass
class Frame:
    """The placeholders of one script run, and what its live views hold."""

    stats: DeltaGenerator
    banner: DeltaGenerator
    network: DeltaGenerator
    surface: DeltaGenerator
    cost: DeltaGenerator
    replay: DeltaGenerator  # the replay slider, under the cost curve (paused)
    compare: DeltaGenerator  # compare mode's charts, full width below
    editor: DeltaGenerator
    explanations: DeltaGenerator
    math: DeltaGenerator  # The math: the top of the page in an article lesson, else below
    lessons: DeltaGenerator  # the top of the sidebar: "Start here" and the lessons
    pacer: Pacer
    publisher: stage.Publisher  # frames while playing (the hidden fallback lives in live_area)
    look: views.Look
    count: int = 0
    cost_cursor: views.CostCursor | None = None
    compare_places: tuple[DeltaGenerator, DeltaGenerator] | None = None
    compare_cursor: views.CostCursor | None = None
    cost_turn: bool = True  # compare mode: A's cost curve redraws this time (else A-and-B's)
    static: dict[str, dict] = field(default_factory=dict)  # each view's static part, this run
    backup: DeltaGenerator | None = None  # hidden: the view that keeps the session in the browser
    speed_note: DeltaGenerator | None = None  # under the speed control: is the speed capped?
    speed_text: str | None = None  # what speed_note shows now
    gradient_sizes: DeltaGenerator | None = None  # the Gradients view's chart (when it is on)
    landscape: DeltaGenerator | None = None  # the cost landscape's map (when it is on)
    landscape_pair: tuple | None = None  # the two parameters it shows


def page_setup(projector: bool) -> None:
    """The page's title, wide layout and style; the sidebar starts collapsed on narrow screens
    and in projector mode."""
    st.set_page_config(page_title="Neural network playground", page_icon="🧠", layout="wide",
                       initial_sidebar_state="collapsed" if projector else "auto")
    st.html(page_css(projector))


def notices(place: DeltaGenerator) -> None:
    """The link's notice, the last run's messages (each shown once) and the restore offer, in
    `place`, an st.empty every run draws (app.main); left empty when there is none."""
    link, shown = state.url_notice(), state.take_messages()
    if not (link or shown or backup.offered()):
        return
    with place.container():
        if link:
            st.warning(link, icon="⚠️")
        for kind, text in shown:
            messages.show(text, kind)
        restore.render()  # an earlier session this browser kept, after a server restart


def layout(trainer: Trainer, config: Config, pacer: Pacer) -> Frame:
    """Place the toolbar, the live views and the slots below them; returns the placeholders."""
    lessons_place = st.sidebar.container()  # first in the sidebar, filled after the figures
    with st.container(key="pg-toolbar"):  # style.py lays it out two by two on a phone
        stats = guarded("The toolbar", lambda: toolbar.render(trainer))  # a link may hide some buttons
        stats = stats if stats is not None else st.container()
    banner = st.empty()
    article = data_state.article_lesson()  # the article's lesson: The math on top, a wider column
    left, right = st.columns([3, 2] if article else [11, 9], gap="small")
    math_place = left.container(key=keys.ARTICLE_MATH.name) if article else None
    network = left.container()  # containers, not placeholders: a view keeps its element run after run
    with left:
        controls.diagram_toggles()
    sizes_place = left.container() if config.gradients else None
    with left:
        landscape_place, pair = landscape.place(trainer) if config.landscape else (None, None)
    editor_place = left.container()  # pick a weight or bias, type a value (after the figures)
    with right:
        surface = st.container()
        guarded("The neuron focus", lambda: focus.render(trainer))  # "Showing hidden 2 · neuron 1"
        if your_data.drawing():
            st.caption(your_data.draw_hint())
        elif article:
            st.caption(PICK_HINT)
        guarded("The view switches", controls.view_toggles)
        cost = st.container()
        replay_place = st.empty()
    compare_place = st.container()
    explanations = st.container()  # filled after the first frame: the figures come first
    live_area = st.container()  # hidden by CSS: frames for a page without the live WebSocket
    publisher = stage.Publisher(state.live_token(), live_area.empty())
    return Frame(stats.container(), banner, network, surface, cost, replay_place, compare_place,
                 editor_place, explanations, math_place or explanations.container(), lessons_place,
                 pacer, publisher, views.Look(config.projector), backup=st.container(),
                 gradient_sizes=sizes_place, landscape=landscape_place, landscape_pair=pair)


def finish(page: Frame, trainer: Trainer, config: Config) -> None:
    """After the first frame's figures: the editor, the math and metrics, the sidebar's panels
    (each guarded: a failure shows one sentence in its place). A classroom link leaves out the
    panels that could change what it fixes (session.locks.panel_shown), and the lesson buttons
    of lessons that would (data.lessons_offered)."""
    with page.editor:
        guarded("The weight editor", lambda: editor.render(trainer))
    with page.math:
        math.panel(trainer, data_state.article_lesson())
    with page.explanations:
        guarded("The metrics", lambda: metrics.render(trainer))  # accuracy, confusion, RMSE/R², …
    with page.lessons:
        st.markdown("#### Neural network playground")
        guarded("Start here", lessons.start_here)
        if locks.panel_shown("lessons"):
            with st.expander("**Lessons**", expanded=bool(data_state.lesson())):
                guarded("The lessons", lessons.render)
    with st.sidebar:
        if locks.panel_shown("your_data"):
            lazy.panel("**Your data**", "your_data", lambda: guarded("The data panel", your_data.render),
                       keeps=(keys.DRAW_MODE, keys.DRAW_CLASS))
        lazy.panel("**Save and export**", "save",
                   lambda: guarded("Save and export", lambda: save.render(config, trainer)))
        if locks.panel_shown("compare"):
            with st.expander("**Compare**", expanded=compare_state.is_on()):
                guarded("The comparison", lambda: compare.render(config))
        if locks.panel_shown("link_builder"):  # a URL that hides the controls a teacher ticks
            guarded("The classroom link builder", lambda: link_builder.render(config))


# --- drawing -------------------------------------------------------------------------------------

def draw(page: Frame, trainer: Trainer, config: Config, ask_rest: bool = False) -> None:
    """Mount every live view with the trainer's state (a replayed snapshot when the replay slider
    points back), the banner and the replay slider (a failure in the views shows one sentence in
    the banner's place). With `ask_rest` the page then asks for the rest of the page."""
    playing = state.playing()
    if trainer.diverged:
        page.banner.error(DIVERGED.format(epoch=trainer.epoch), icon="🚨")
    elif trainer.stopped:
        page.banner.info(toolbar.stopped_notice(trainer.stopped), icon=":material/stop_circle:")
    guarded("The charts", lambda: _draw_views(page, trainer, config, playing, ask_rest), place=page.banner)
    if not playing:
        with page.replay.container():
            guarded("The replay slider", lambda: replay.render(trainer))


def _draw_views(page: Frame, trainer: Trainer, config: Config, playing: bool, ask_rest: bool) -> None:
    """The stats, the network diagram, the surface, the cost curve and compare mode's views."""
    sizes = trainer.net.layer_sizes
    picked, shown = editing.picked(sizes), editing.focus(sizes)
    with replay_state.replaying(trainer) as replayed:  # a paused replay shows an earlier snapshot
        grid = views.compute_surface(trainer)
        stats = views.stats_items(trainer, replayed)
        net_frame = views.network_frame(trainer, grid, hover=not playing, picked=picked, focus=shown)
        if config.gradients:
            net_frame = learning.network_gradient_frame(trainer, learning.trainer_gradients(trainer),
                                                        hover=not playing, marks=net_frame[0]["marks"])
        surface = views.surface_figure(trainer, config, grid, shown)
    if your_data.drawing():
        surface.add_trace(drawn_points_trace(data_state.drawn()))
    explained = _explained_sample(trainer, shown)
    if explained is not None:
        surface.add_trace(explained_sample_trace(trainer.data.X_train[explained], explained))
    cost = views.cost_figure(trainer, config, replayed)
    seq, token = state.next_seq(), state.live_token()
    _mount(page, page.stats, "stats", "stats", seq, token, {}, ({"items": stats}, {}))
    network_static, network_arrays = views.network_static(trainer, config, page.look)
    if config.gradients:
        network_static = learning.gradient_static(network_static)
    network_static.update(buttons=widgets.structure_buttons(), clickable=not playing,
                          max_height_share=page.look.network_share, min_font_px=page.look.min_font_px)
    _mount(page, page.network, "network", "network", seq, token, network_static, net_frame,
           static_arrays=network_arrays,
           events={"pick": editing.on_diagram_pick, "structure": widgets.on_structure})
    _mount(page, page.surface, "surface", "surface", seq, token, _plotly_static(surface, page, "surface"),
           ({}, {}), events={"click": data_state.on_surface_click})
    _mount(page, page.cost, "cost", "cost", seq, token, _plotly_static(cost, page, "cost"), ({}, {}))
    page.cost_cursor = views.CostCursor.after_drawing([trainer], is_log(cost))
    charts, error = learning.charts(trainer, config.gradients, page.landscape_pair, record=True)
    if error and page.landscape is not None:
        page.landscape.info(error)
    for slot, chart in charts.items():
        static = learning.chart_static(chart, slot, page.look)
        _mount(page, getattr(page, slot), slot, slot, seq, token, static, ({}, {}))
    _draw_compare(page, trainer, config, replayed, seq, token)
    _mount(page, page.backup, "backup", "backup", seq, token,
           {"id": backup.session_id(), "asking": backup.asking(trainer), "ask_rest": ask_rest},
           _backup_frame(trainer, config, playing),
           events={"stored": backup.on_page_event, "rest": backup.on_rest_asked})


def _explained_sample(trainer: Trainer, shown) -> int | None:
    """The sample The math explains, ringed on the surface: in an article lesson, paused, not the
    batch view, and the surface showing the output (not a focused neuron)."""
    if not data_state.article_lesson() or state.playing() or shown is not None:
        return None
    return math_state.explained_sample(len(trainer.X_train))


def _plotly_static(figure, page: Frame, kind: str) -> dict:
    """A plotly view's static part: its figure (JSON), the chart config, sizes from the screen.
    The surface is clickable to add points, or to pick The math's sample (data.on_surface_click)."""
    static = {"figure": views.figure_json(page.look.style(figure), plain=kind.endswith("cost")),
              "config": CHART_CONFIG,
              "clickable": kind == "surface" and (your_data.drawing() or data_state.picks_sample())}
    static.update(page.look.sizes(kind))
    return static


def _mount(page: Frame, place: DeltaGenerator, slot: str, kind: str, seq: int, token: str,
           static: dict, frame: tuple[dict, dict], static_arrays: dict | None = None,
           events: dict | None = None) -> None:
    message, page.static[slot] = Message(seq), static
    message.add(slot, frame[0], {**frame[1], **(static_arrays or {})})
    stage.mount(place, keys.STAGE(slot).name, message, slot, kind, static, token, state.playing(), events)


def _draw_compare(page: Frame, trainer: Trainer, config: Config, replayed: int | None, seq: int,
                  token: str) -> None:
    """Compare mode: B's surface and both cost curves, laid out once per script run."""
    other = compare_state.trainer_b(trainer)
    if other is None:
        return
    with page.compare.container():
        left, right = st.columns([9, 11])
        left.caption("Setup B (A is above)")
        page.compare_places = left.empty(), right.empty()
    surface = views.surface_figure(other, config, views.compute_surface(other))
    cost = views.compare_cost(trainer, other, config, replayed)
    _mount(page, page.compare_places[0], "compare_surface", "surface", seq, token,
           _plotly_static(surface, page, "compare_surface"), ({}, {}))
    _mount(page, page.compare_places[1], "compare_cost", "cost", seq, token,
           _plotly_static(cost, page, "compare_cost"), ({}, {}))
    page.compare_cursor = views.CostCursor.after_drawing([trainer, other], is_log(cost))


def play_frame(page: Frame, trainer: Trainer, config: Config) -> Message:
    """One frame of every live view (a crowded server's frame: the stats and one chart in turn),
    ready to publish."""
    page.count += 1
    charts = charts_to_draw(page.count, page.pacer.crowded, page.pacer.cost_due())
    message = Message(state.next_seq())
    message.add("stats", {"items": views.stats_items(trainer)})
    needs_grid = {"surface"} if config.gradients else {"surface", "network"}  # gradients: no thumbnails
    grid = views.compute_surface(trainer) if needs_grid & set(charts) else None
    shown = editing.focus(trainer.net.layer_sizes)
    if config.gradients:  # recorded every frame, drawn when the diagram's turn comes
        gradient_frame = learning.recorded_gradient_frame(trainer, diagram_marks(trainer.net.layer_sizes,
                                                                                 None, shown))
        if "network" in charts:
            message.add("network", *gradient_frame)
    elif "network" in charts:
        message.add("network", *views.network_frame(trainer, grid, hover=False, focus=shown))
    if learning.chart_due(page.count):  # a landscape that cannot be drawn keeps the last one up
        for slot, chart in learning.charts(trainer, config.gradients, page.landscape_pair, False)[0].items():
            message.add(slot, {"figure": views.figure_json(page.look.style(chart))})
    if "surface" in charts:
        message.add("surface", {}, {"png": _u8(views.surface_png(trainer, config, grid, shown))})
    other = compare_state.trainer_b(trainer)
    both = other is not None and page.compare_cursor is not None
    if "cost" in charts:  # compare mode: the two cost curves take turns (a redraw is ~30 ms)
        page.cost_turn = not page.cost_turn if both else True
    if "cost" in charts and page.cost_turn:
        _cost_frame(message, "cost", page.cost_cursor, [trainer], config.log_scale,
                    lambda: views.cost_figure(trainer, config), page.look)
    kept = _backup_frame(trainer, config, playing=True)
    if kept[0]:
        message.add("backup", *kept)
    if both:
        if "surface" in charts:
            message.add("compare_surface", {}, {"png": _u8(views.surface_png(
                other, config, views.compute_surface(other)))})
        if "cost" in charts and not page.cost_turn:
            _cost_frame(message, "compare_cost", page.compare_cursor, [trainer, other], config.log_scale,
                        lambda: views.compare_cost(trainer, other, config), page.look)
    return message


def _backup_frame(trainer: Trainer, config: Config, playing: bool) -> tuple[dict, dict]:
    """The backup view's frame: the session file to keep, when one is due (session.backup)."""
    kept = backup.due(trainer, config, playing)
    return ({}, {}) if kept is None else ({"epoch": trainer.epoch}, {"session": _u8(kept)})


def _u8(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype=np.uint8)


def _cost_frame(message: Message, slot: str, cursor: views.CostCursor, trainers: list[Trainer],
                log_scale: bool, figure_of, look: views.Look) -> None:
    """Append the new losses to the drawn curve, or redraw it (axis type changed, or too long)."""
    step = cursor.step(trainers, log_scale)
    if step is not None:
        message.add(slot, *step)
        return
    figure = figure_of()
    message.add(slot, {"figure": views.figure_json(look.style(figure), plain=True)})
    fresh = views.CostCursor.after_drawing(trainers, is_log(figure))
    cursor.after, cursor.log, cursor.points = fresh.after, fresh.log, 0
