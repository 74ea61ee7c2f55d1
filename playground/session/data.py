"""The user's own points (uploaded, clicked or from a saved session), lessons and saved sessions:
what they change in the session.

While the user's points are in use the sidebar shows a built-in dataset of the same problem
type (the stand-in); picking another dataset goes back to built-in data. The clicked points are
kept until cleared, and train the network once they form a dataset (4 points, 2 classes).
"""

from __future__ import annotations

import math

import numpy as np

from core import DATASETS, DOMAIN, Dataset, Trainer
from playground.io.export import load_session_json
from playground.io.uploads import ParsedPoints, dataset_from_points, make_points, parse_points_csv
from playground.session import compare, keys, state, widgets
from playground.session import math as math_state
from playground.settings import config as cfg
from playground.settings.build import build_trainer, make_data
from playground.settings.config import Config
from playground.settings.lessons import ARTICLE_IDS, LESSONS_BY_ID, START_HERE

STANDINS = {("regression", 0): "plane", ("classification", 2): "circle",
            ("classification", 3): "spiral3", ("classification", 4): "blobs4"}


def points() -> ParsedPoints | None:
    return keys.POINTS.get()


def drawn() -> list[tuple[float, float, int]]:
    return list(keys.DRAWN.get())


def start(config: Config, trainer: Trainer | None = None) -> None:
    """Make `config` the session's settings, shown by the widgets, and `trainer` (or a fresh one,
    on the user's points when there are any) its training, paused."""
    widgets.set_widgets(config)
    state.start(config, trainer or build_trainer(config, config.init_seed, data=custom_data(config)))


# --- lessons ---------------------------------------------------------------------------------------

def lesson() -> str | None:
    """The id of the lesson chosen in the lesson box, or None."""
    return keys.LESSON.get()


def article_lesson() -> bool:
    """True while one of the article's lessons is chosen: The math then sits at the top of the
    page and a click on the surface (paused, "Click to add points" off) picks its sample."""
    return lesson() in ARTICLE_IDS


def choose_lesson(lesson_id: str = START_HERE) -> None:
    """A button's callback ("Start here", the math view's lesson row): open lesson `lesson_id`."""
    keys.LESSON.set(lesson_id)
    apply_lesson()


def apply_lesson() -> None:
    """The lesson box's callback: the lesson's setup, on built-in data, and its setup B."""
    chosen = LESSONS_BY_ID.get(lesson())
    if chosen is None:
        return
    drop_points()
    start(chosen.config)
    compare.set_widgets(chosen.compare)


def open_lesson_link(lesson_id: str) -> None:
    """`?lesson=<id>` on a session's first run opens that lesson (an unknown id says so)."""
    state.init_session()
    if lesson_id not in LESSONS_BY_ID:
        state.notify(f"There is no lesson {lesson_id[:30]!r}; the link's settings are used.")
        return
    keys.LESSON.set(lesson_id)
    apply_lesson()


# --- the user's points ---------------------------------------------------------------------------------

def use_points(parsed: ParsedPoints) -> None:
    """Train on `parsed` from now on (from a callback): the sidebar switches to a stand-in."""
    current = state.config()
    spec = DATASETS[current.dataset]
    fits = (spec.kind, spec.n_classes) == (parsed.kind, parsed.n_classes)
    standin = current.dataset if fits else STANDINS[(parsed.kind, parsed.n_classes)]
    keys.POINTS.set(parsed)
    keys.STANDIN.set(standin)
    start(Config(**cfg.fit_output({**current.to_dict(), "dataset": standin})))


def drop_points() -> None:
    """Back to the built-in data (the clicked points stay for the next time)."""
    for key in (keys.POINTS, keys.STANDIN, keys.CUSTOM_DATA, keys.CUSTOM_DATA_KEY):
        key.pop()
    if keys.session_started() and keys.TRAINER.exists() and state.trainer().data.name == "custom":
        state.rebuild()


def custom_data(config: Config) -> Dataset | None:
    """The user's points split for `config`'s train % and seed (cached), or None."""
    parsed = points()
    if parsed is None:
        return None
    wanted = (parsed, config.train_percent, config.seed)
    if keys.CUSTOM_DATA_KEY.get() != wanted:
        keys.CUSTOM_DATA.set(dataset_from_points(parsed, 1 - config.train_percent / 100, config.seed))
        keys.CUSTOM_DATA_KEY.set(wanted)
    return keys.CUSTOM_DATA.get()


def sync(config: Config) -> None:
    """After the sidebar is applied: keep training on the user's points, if there are any.

    A Reset or a changed setting rebuilds the trainer on built-in data; this puts the user's
    points back (same initial weights). Picking another dataset drops the user's points.
    """
    if points() is None:
        return
    if config.dataset != keys.STANDIN.get():
        drop_points()
        return
    data = custom_data(config)
    if state.trainer().data is not data:
        state.rebuild(data)


def load_csv() -> None:
    """The CSV uploader's callback: the points, or the error and the previous data."""
    upload = keys.CSV_UPLOAD.get()
    if upload is None:
        return
    try:
        parsed = parse_points_csv(upload.getvalue())
    except ValueError as error:
        keys.DATA_ERROR.set(f"{upload.name}: {error}. The previous data are kept.")
        return
    use_points(parsed)
    if parsed.notices:
        state.notify(" ".join(parsed.notices))


# --- clicked points ---------------------------------------------------------------------------------------

def on_surface_click() -> None:
    """The surface's click: {"x": x1, "y": x2}, finite numbers inside the input square (anything
    else is ignored). The rule: with "Click to add points" on, a point of the chosen class there;
    else, in an article lesson while paused, the training point nearest to it becomes the sample
    The math explains."""
    event = (keys.STAGE("surface").get() or {}).get("click") or {}
    x, y = event.get("x"), event.get("y")
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (x, y)):
        return
    if not all(math.isfinite(v) and abs(v) <= DOMAIN for v in (x, y)):
        return
    if keys.DRAW_MODE.get():
        add_drawn_points([(float(x), float(y), int(keys.DRAW_CLASS.get() or 0))])
    elif picks_sample():
        math_state.pick_sample_at(state.trainer(), float(x), float(y))


def picks_sample() -> bool:
    """True when a click on the surface picks The math's sample: an article lesson, paused, and
    "Click to add points" off."""
    return article_lesson() and not state.playing() and not keys.DRAW_MODE.get()


def add_drawn_points(new: list[tuple[float, float, int]]) -> None:
    """Add clicked points (x1, x2, class); train on all of them once they form a dataset."""
    table = [*drawn(), *new]
    keys.DRAWN.set(table)
    values = np.array(table, dtype=float)
    try:
        parsed = make_points(values[:, :2], values[:, 2], "classification")
    except ValueError:
        return  # not enough points or classes yet: the hint says what is missing
    use_points(parsed)


def clear_drawn() -> None:
    keys.DRAWN.set([])
    drop_points()


# --- saved sessions -----------------------------------------------------------------------------------------

def load_session() -> None:
    """The session uploader's callback: continue the saved session exactly, or say why not."""
    upload = keys.SESSION_UPLOAD.get()
    if upload is None:
        return
    try:
        trainer, values = load_session_json(upload.getvalue())
        config = Config(**{k: tuple(v) if isinstance(v, list) else v for k, v in values.items()})
    except ValueError as error:
        keys.SESSION_ERROR.set(f"{upload.name}: {error}. Nothing was changed.")
        return
    drop_points()
    data = trainer.data
    if not _is_builtin(data, config):
        parsed = make_points(np.vstack([data.X_train, data.X_test]),
                             np.concatenate([data.labels_train, data.labels_test]), data.kind)
        keys.POINTS.set(parsed)
        keys.STANDIN.set(config.dataset)
        keys.CUSTOM_DATA.set(data)
        keys.CUSTOM_DATA_KEY.set((parsed, config.train_percent, config.seed))
    start(config, trainer)
    state.notify(f"Session loaded: epoch {trainer.epoch:,}. Press Play to continue where it left off.")


def _is_builtin(data: Dataset, config: Config) -> bool:
    built = make_data(config)
    return all(np.array_equal(getattr(data, k), getattr(built, k))
               for k in ("X_train", "y_train", "X_test", "y_test"))
