"""The classroom features in the app: lessons, your own data, save and export, replay, compare.

Thin Streamlit glue over `playground.lessons`, `playground.uploads`, `playground.export` and
`core.snapshots`. Everything per user lives in `st.session_state` under "cls_" keys:
    cls_points, cls_standin     the user's points (ParsedPoints) and the built-in dataset whose
                                problem type stands in for them in the sidebar
    cls_data, cls_data_key      their train/test split for the current train % and seed
    cls_drawn                   clicked points [(x1, x2, class)], not yet a dataset
    cls_recorder                SnapshotRecorder of the current trainer (cls_recorder_of)
    cls_compare                 the second Trainer of compare mode, and what it was built from
The app calls `sync_data` after applying the sidebar, `on_frame` and `replaying` while drawing,
and the `render_*` functions for the panels.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from core import DATASETS, OPTIMIZER_NAMES, REGULARIZATIONS, Dataset, Trainer
from core.snapshots import DEFAULT_CAPACITY_BYTES, SnapshotRecorder, swapped_params
from playground import config as cfg
from playground import controls, state
from playground.classroom_figures import compare_cost_figure, drawn_points_colors, with_click_grid
from playground.config import Config
from playground.export import history_csv, load_session_json, session_json, standalone_script
from playground.lessons import LESSONS, LESSONS_BY_ID
from playground.uploads import FORMAT_HELP, ParsedPoints, dataset_from_points, make_points, parse_points_csv

STANDINS = {("regression", 0): "plane", ("classification", 2): "circle",
            ("classification", 3): "spiral3", ("classification", 4): "blobs4"}
CLASS_NAMES = {0: "orange (class 0)", 1: "blue (class 1)"}
DRAW_HEIGHT = 420
CHART_CONFIG = {"displayModeBar": "hover", "modeBarButtons": [["toImage"]], "displaylogo": False,
                "toImageButtonOptions": {"format": "png", "scale": 2}}  # plotly's own PNG export


# --- settings -> widgets ------------------------------------------------------------------------

def set_widgets(config: Config) -> None:
    """Make every sidebar widget show `config` (call from a callback, before the widgets draw)."""
    s = st.session_state
    for field, value in config.to_dict().items():
        if field not in ("hidden", "output_activation", "loss"):
            s[controls.key(field)] = list(value) if isinstance(value, tuple) else value
    s[controls.key("layers")] = len(config.hidden)
    for layer, size in enumerate(config.hidden):
        s[controls.neurons_key(layer)] = size
    s[controls.output_key(config.problem)] = (config.output_activation, config.loss)


def _start(config: Config, trainer: Trainer | None = None) -> None:
    """Make `config` the session's settings and `trainer` (or a fresh one) its training, paused."""
    s = st.session_state
    set_widgets(config)
    s.config, s.init_seed, s.playing = config, config.init_seed, False
    s.trainer = trainer or state.build_trainer(config, config.init_seed, data=_custom_data(config))
    s.trainer.set_stop(**config.stop)  # a loaded session's trainer gets the config's conditions


# --- lessons -------------------------------------------------------------------------------------

def render_lessons() -> None:
    """A lesson picker; choosing one sets every control and starts training over."""
    st.selectbox("Lesson", [None, *LESSONS_BY_ID], key="cls_lesson", on_change=_apply_lesson,
                 format_func=lambda i: "Choose a lesson…" if i is None else
                 f"{LESSONS.index(LESSONS_BY_ID[i]) + 1} · {LESSONS_BY_ID[i]['title']}")
    lesson = LESSONS_BY_ID.get(st.session_state.get("cls_lesson"))
    if lesson:
        st.markdown(lesson["prompt"])
        st.caption(f"Share this lesson: add `?lesson={lesson['id']}` to the app's address (the "
                   "address bar also carries every setting as you change them).")


def _apply_lesson() -> None:
    lesson = LESSONS_BY_ID.get(st.session_state.cls_lesson)
    if lesson is None:
        return
    drop_points()
    _start(Config(**lesson["settings"]))
    _set_compare_widgets(lesson["compare"])


def open_lesson_link() -> None:
    """On a session's first run, `?lesson=<id>` opens that lesson (call before init_session).

    The parameter is consumed: the address then carries the lesson's settings, like any setup.
    """
    lesson_id = st.query_params.get("lesson")
    if "config" in st.session_state or lesson_id is None:
        return
    del st.query_params["lesson"]
    state.init_session()
    if lesson_id not in LESSONS_BY_ID:
        st.session_state.notice = f"There is no lesson {lesson_id[:30]!r}; the link's settings are used."
        return
    st.session_state.cls_lesson = lesson_id
    _apply_lesson()


# --- your own data -------------------------------------------------------------------------------

def render_data_tools(config: Config) -> None:
    """CSV upload (errors shown, the previous data kept), clicked points, back to built-in data."""
    s = st.session_state
    st.file_uploader("Upload points (CSV)", type=["csv", "txt"], key="cls_csv", on_change=_load_csv)
    st.caption(FORMAT_HELP)
    error = s.pop("cls_data_error", None)
    if error:
        st.error(error, icon="🚫")
    st.toggle("Click to add points", key="cls_draw_mode",
              help="Pause, then click the big surface below the charts to add points")
    if s.get("cls_draw_mode"):
        st.segmented_control("Class of new points", list(CLASS_NAMES), key="cls_draw_class",
                             format_func=CLASS_NAMES.get, default=0, required=True)
        drawn = s.get("cls_drawn", [])
        st.button(f"Clear clicked points ({len(drawn)})", key="cls_clear", on_click=_clear_drawn,
                  disabled=not drawn, width="stretch")
    points = s.get("cls_points")
    if points is not None:
        st.info(f"Training on your {len(points.X)} points ({points.kind}). Picking a dataset above "
                "goes back to built-in data.", icon="📍")
        st.button("Use built-in data", key="cls_builtin", on_click=drop_points, width="stretch")


def _load_csv() -> None:
    s = st.session_state
    upload = s.get("cls_csv")
    if upload is None:
        return
    try:
        points = parse_points_csv(upload.getvalue())
    except ValueError as error:
        s.cls_data_error = f"{upload.name}: {error}. The previous data are kept."
        return
    use_points(points)
    if points.notices:
        s.notice = " ".join(points.notices)


def use_points(points: ParsedPoints) -> None:
    """Train on `points` from now on (from a callback): the sidebar switches to a stand-in."""
    s = st.session_state
    current = s.config
    fits = DATASETS[current.dataset][:2] == (points.kind, points.n_classes)
    standin = current.dataset if fits else STANDINS[(points.kind, points.n_classes)]
    s.cls_points, s.cls_standin = points, standin
    _start(Config(**cfg.fit_output({**current.to_dict(), "dataset": standin})))


def drop_points() -> None:
    """Back to the built-in data (the clicked points stay for the next time)."""
    s = st.session_state
    for name in ("cls_points", "cls_standin", "cls_data", "cls_data_key"):
        s.pop(name, None)
    if "config" in s and "trainer" in s and s.trainer.data.name == "custom":
        s.trainer = state.build_trainer(s.config, s.init_seed)


def _custom_data(config: Config) -> Dataset | None:
    """The user's points split for `config`'s train % and seed (cached), or None."""
    s = st.session_state
    points = s.get("cls_points")
    if points is None:
        return None
    key = (points, config.train_percent, config.seed)
    if s.get("cls_data_key") != key:
        s.cls_data = dataset_from_points(points, 1 - config.train_percent / 100, config.seed)
        s.cls_data_key = key
    return s.cls_data


def sync_data(config: Config) -> None:
    """After the sidebar is applied: keep training on the user's points, if there are any.

    A Reset or a changed setting rebuilds the trainer on built-in data; this puts the user's
    points back (same initial weights). Picking another dataset drops the user's points.
    """
    s = st.session_state
    if s.get("cls_points") is None:
        return
    if config.dataset != s.cls_standin:
        drop_points()
        return
    data = _custom_data(config)
    if s.trainer.data is not data:
        s.trainer = state.build_trainer(config, s.init_seed, data=data)


# --- clicking points onto the surface ------------------------------------------------------------

def render_draw_surface(figure: go.Figure) -> None:
    """The surface, large and clickable: a click adds a point of the chosen class."""
    s = st.session_state
    drawn = s.get("cls_drawn", [])
    if drawn:
        xs, ys, labels = np.array(drawn).T
        figure.add_trace(go.Scatter(x=xs, y=ys, mode="markers", name="clicked", marker={
            "size": 9, "color": drawn_points_colors(labels), "line": {"color": "#222", "width": 1.5}},
            hoverinfo="skip"))
    figure.layout.height = DRAW_HEIGHT
    st.plotly_chart(with_click_grid(figure), key=f"cls_draw_{s.get('cls_draw_rev', 0)}",
                    on_select=_add_clicked, selection_mode="points", theme=None,
                    config=CHART_CONFIG)
    st.caption(_draw_hint(drawn))


def _draw_hint(drawn: list) -> str:
    classes = {int(label) for *_, label in drawn}
    if len(drawn) >= 4 and len(classes) >= 2:
        return f"{len(drawn)} clicked points: the network trains on them. Click to add more."
    return (f"{len(drawn)} clicked point(s): add at least 4 with both classes to train on them. "
            "Click anywhere on the square.")


def _add_clicked() -> None:
    """on_select: every selected grid point becomes a data point of the chosen class."""
    s = st.session_state
    rev = s.get("cls_draw_rev", 0)
    selection = s.get(f"cls_draw_{rev}", {}).get("selection", {})
    new = [(float(p["x"]), float(p["y"])) for p in selection.get("points", []) if "x" in p]
    if not new:
        return
    label = int(s.get("cls_draw_class") or 0)
    s.cls_draw_rev = rev + 1  # a fresh chart: the next click is a new selection
    add_drawn_points([(x, y, label) for x, y in new])


def add_drawn_points(points: list[tuple[float, float, int]]) -> None:
    """Add clicked points (x1, x2, class); train on all of them once they form a dataset."""
    drawn = [*st.session_state.get("cls_drawn", []), *points]
    st.session_state.cls_drawn = drawn
    table = np.array(drawn, dtype=float)
    try:
        parsed = make_points(table[:, :2], table[:, 2], "classification")
    except ValueError:
        return  # not enough points or classes yet: the hint says what is missing
    use_points(parsed)


def _clear_drawn() -> None:
    st.session_state.cls_drawn = []
    drop_points()


# --- save and export -----------------------------------------------------------------------------

def render_export(config: Config, trainer: Trainer) -> None:
    """Downloads (made when clicked) and the session upload that continues exactly."""
    playing = st.session_state.get("playing", False)
    help_ = "Pause training first" if playing else None
    for label, make, name, mime in (
            ("Model and session (JSON)", lambda: session_json(trainer, config.to_dict()),
             "playground-session.json", "application/json"),
            ("Loss history (CSV)", lambda: history_csv(trainer.history), "loss-history.csv", "text/csv"),
            ("Standalone numpy script", lambda: standalone_script(trainer, "network.py"), "network.py",
             "text/x-python")):
        st.download_button(label, make, file_name=name, mime=mime, on_click="ignore", width="stretch",
                           disabled=playing, help=help_, key=f"cls_dl_{name}")
    st.caption("Figures as PNG: hover a chart and click its camera button.")
    st.file_uploader("Continue a saved session (JSON)", type=["json"], key="cls_session",
                     on_change=_load_session)
    error = st.session_state.pop("cls_session_error", None)
    if error:
        st.error(error, icon="🚫")


def _load_session() -> None:
    s = st.session_state
    upload = s.get("cls_session")
    if upload is None:
        return
    try:
        trainer, values = load_session_json(upload.getvalue())
        config = Config(**{k: tuple(v) if isinstance(v, list) else v for k, v in values.items()})
    except ValueError as error:
        s.cls_session_error = f"{upload.name}: {error}. Nothing was changed."
        return
    drop_points()
    if not _is_builtin(trainer.data, config):
        s.cls_points = make_points(np.vstack([trainer.data.X_train, trainer.data.X_test]),
                                   np.concatenate([trainer.data.labels_train, trainer.data.labels_test]),
                                   trainer.data.kind)
        s.cls_standin, s.cls_data = config.dataset, trainer.data
        s.cls_data_key = (s.cls_points, config.train_percent, config.seed)
    _start(config, trainer)
    s.notice = f"Session loaded: epoch {trainer.epoch:,}. Press Play to continue where it left off."


def _is_builtin(data: Dataset, config: Config) -> bool:
    built = state.make_data(config)
    return all(np.array_equal(getattr(data, k), getattr(built, k))
               for k in ("X_train", "y_train", "X_test", "y_test"))


# --- replay --------------------------------------------------------------------------------------

def recorder(trainer: Trainer) -> SnapshotRecorder:
    """The snapshot recorder of `trainer` (a new trainer gets a new one)."""
    s = st.session_state
    if s.get("cls_recorder_of") is not trainer:
        s.cls_recorder, s.cls_recorder_of = SnapshotRecorder(DEFAULT_CAPACITY_BYTES), trainer
    return s.cls_recorder


def on_frame(trainer: Trainer) -> None:
    """After every frame or step: keep a snapshot and step the compared trainer alongside."""
    recorder(trainer).record(trainer.epoch, trainer.net.params)
    other = _compare_trainer(trainer)
    if other is not None and other.epoch < trainer.epoch and not other.diverged:
        other.step(trainer.epoch - other.epoch)


def _replay_key(trainer: Trainer) -> str:
    return f"cls_replay_{recorder(trainer).epochs[-1]}"


def replay_snapshot(trainer: Trainer) -> tuple[int, np.ndarray] | None:
    """(epoch, params) the replay slider points at, or None for the live network."""
    rec = recorder(trainer)
    if st.session_state.get("playing") or len(rec) < 2:
        return None
    wanted = st.session_state.get(_replay_key(trainer))
    if wanted is None or wanted == rec.epochs[-1]:
        return None
    return rec.nearest(wanted)


@contextmanager
def replaying(trainer: Trainer) -> Iterator[int | None]:
    """Within: the trainer's network holds the replayed snapshot; yields its epoch (None: live)."""
    snapshot = replay_snapshot(trainer)
    if snapshot is None:
        yield None
        return
    with swapped_params(trainer.net, snapshot[1]):
        yield snapshot[0]


def render_replay(trainer: Trainer) -> None:
    """After pausing: a timeline slider over the kept snapshots."""
    rec = recorder(trainer)
    if st.session_state.get("playing") or len(rec) < 2:
        return
    epochs = rec.epochs
    st.select_slider("Replay: epoch", epochs, value=epochs[-1], key=_replay_key(trainer),
                     help=f"{len(epochs)} snapshots kept (every epoch early on, then spaced out; at "
                          f"most {DEFAULT_CAPACITY_BYTES // 2**20} MB). Drag to scrub the surface, "
                          "the network and the cost curve back through training.")


# --- compare ------------------------------------------------------------------------------------

_COMPARE_FIELDS = ("optimizer", "learning_rate", "hidden", "regularization", "regularization_rate")


def render_compare(config: Config) -> None:
    """Compare mode: a second setup on the same data, trained in step (changes start both over)."""
    st.toggle("Compare with a second setup", key="cls_compare_on", on_change=state.reset)
    if not st.session_state.get("cls_compare_on"):
        return
    _seed_compare_widgets(config)
    on_change = state.reset
    st.selectbox("B · optimizer", list(OPTIMIZER_NAMES), key="cls_b_optimizer", on_change=on_change,
                 format_func=OPTIMIZER_NAMES.get)
    st.selectbox("B · learning rate", cfg.LEARNING_RATES, key="cls_b_learning_rate", on_change=on_change,
                 format_func=lambda v: f"{v:g}")
    st.text_input("B · hidden layers", key="cls_b_hidden", on_change=on_change,
                  help="Neurons per hidden layer, comma-separated (empty: none), e.g. 8,8")
    st.selectbox("B · regularization", list(REGULARIZATIONS), key="cls_b_regularization",
                 on_change=on_change)
    st.selectbox("B · reg. rate", cfg.REGULARIZATION_RATES, key="cls_b_regularization_rate",
                 on_change=on_change, format_func=lambda v: f"{v:g}")
    if compare_config(config) is None:
        st.error("B · hidden layers: up to 6 numbers from 1 to 8, e.g. 8,8", icon="🚫")


def _seed_compare_widgets(config: Config) -> None:
    for field in _COMPARE_FIELDS:
        value = getattr(config, field)
        st.session_state.setdefault(f"cls_b_{field}", _hidden_text(value) if field == "hidden" else value)


def _set_compare_widgets(changes: dict) -> None:
    config = st.session_state.config
    for field in _COMPARE_FIELDS:
        value = changes.get(field, getattr(config, field))
        st.session_state[f"cls_b_{field}"] = _hidden_text(value) if field == "hidden" else value


def _hidden_text(hidden: tuple[int, ...]) -> str:
    return ",".join(str(n) for n in hidden)


def compare_config(config: Config) -> Config | None:
    """Setup B: `config` with the compare widgets' values; None when they are invalid."""
    s = st.session_state
    try:
        text = str(s.get("cls_b_hidden", _hidden_text(config.hidden))).replace(" ", "")
        values = {f: s.get(f"cls_b_{f}", getattr(config, f)) for f in _COMPARE_FIELDS}
        values["hidden"] = tuple(int(n) for n in text.split(",")) if text else ()
        return Config(**{**config.to_dict(), **values})
    except (ValueError, TypeError):
        return None


def drawn_setups(config: Config) -> tuple[Config, ...]:
    """The setups each frame draws: A, and B when compare mode is on (and B is valid)."""
    config_b = compare_config(config) if st.session_state.get("cls_compare_on") else None
    return (config,) if config_b is None else (config, config_b)


def _compare_trainer(trainer: Trainer) -> Trainer | None:
    """Trainer B on trainer A's data (rebuilt when A or B's settings change), or None."""
    s = st.session_state
    if not s.get("cls_compare_on") or "config" not in s:
        return None
    config_b = compare_config(s.config)
    if config_b is None:
        return None
    built = s.get("cls_compare")
    if built is None or built[0] is not trainer or built[1] != config_b:
        other = state.build_trainer(config_b, s.init_seed, data=trainer.data)
        s.cls_compare = built = (trainer, config_b, other)
    return built[2]


def _compare_cost(trainer: Trainer, other: Trainer, config: Config, marker: int | None) -> go.Figure:
    """A's and B's cost curves on one chart."""
    runs = [(name, t.history.epochs, t.history.train_loss, t.history.test_loss)
            for name, t in (("A", trainer), ("B", other))]
    return compare_cost_figure(runs, log_scale=config.log_scale, marker_epoch=marker)


# --- the app's hooks -------------------------------------------------------------------------------

@dataclass
class Slots:
    """Placeholders in the live view: the replay slider (under the cost curve) and, full width
    below, compare mode's charts and the clickable surface."""

    replay: DeltaGenerator
    compare: DeltaGenerator
    draw: DeltaGenerator
    compare_charts: tuple[DeltaGenerator, DeltaGenerator] | None = None  # B's surface, both costs


def slots(column: DeltaGenerator) -> Slots:
    """Create the placeholders: call while laying out the live view; `column` holds the cost curve."""
    return Slots(column.empty(), st.empty(), st.empty())


def render_panels(config: Config, trainer: Trainer) -> None:
    """The sidebar's classroom panels: lessons, your data, save and export, compare."""
    with st.expander("**Lessons**", expanded=bool(st.session_state.get("cls_lesson"))):
        render_lessons()
    with st.expander("**Your data**"):
        render_data_tools(config)
    with st.expander("**Save and export**"):
        render_export(config, trainer)
    with st.expander("**Compare**", expanded=bool(st.session_state.get("cls_compare_on"))):
        render_compare(config)


ChartDrawer = Callable[[DeltaGenerator, go.Figure, str, int], None]


def draw(place: Slots, trainer: Trainer, config: Config, figure_of: Callable[[Trainer], go.Figure],
         replayed: int | None, count: int, chart: ChartDrawer, charts: Collection[str]) -> None:
    """Per frame: compare mode's charts; once paused, also the replay slider and clickable surface.

    figure_of(trainer): the decision-surface figure of a trainer, as the app draws it.
    chart(place, figure, key, height): the app's way to draw a chart (live while playing).
    charts: which of "surface" and "cost" to redraw this frame (a crowded server takes turns).
    """
    other = _compare_trainer(trainer)  # B, in compare mode
    if other is not None:  # a crowded server's frame builds only the figures it draws
        surface_place, cost_place = _compare_places(place)
        if "surface" in charts:
            chart(surface_place, figure_of(other), f"compare_surface-{count}", 300)
        if "cost" in charts:
            cost = _compare_cost(trainer, other, config, replayed)
            chart(cost_place, cost, f"compare_cost-{count}", 330)
    if st.session_state.get("playing"):
        return
    with place.replay.container():
        render_replay(trainer)
    if st.session_state.get("cls_draw_mode"):
        with place.draw.container():
            render_draw_surface(figure_of(trainer))


def _compare_places(place: Slots) -> tuple[DeltaGenerator, DeltaGenerator]:
    """Compare mode's two chart placeholders, laid out once per script run (then only redrawn)."""
    if place.compare_charts is None:
        with place.compare.container():
            left, right = st.columns([9, 11])
            left.caption("Setup B (A is above)")
            place.compare_charts = left.empty(), right.empty()
    return place.compare_charts
