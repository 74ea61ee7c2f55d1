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
from playground.io.session_file import load_session_json
from playground.io.uploads import ParsedPoints, dataset_from_points, make_points, parse_points_csv
from playground.session import compare, guard, keys, locks, state, widgets
from playground.session import math as math_state
from playground.settings import config as cfg
from playground.settings.build import build_trainer
from playground.settings.config import Config
from playground.settings.lessons import ARTICLE_IDS, LESSONS_BY_ID, START_HERE, Lesson
from playground.settings.text import quoted

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


def lessons_offered() -> list[str]:
    """The ids of the lessons the page offers (lesson box, "Start here", the math view's row):
    those that keep the classroom link's locked settings (all of them without a link), and the
    lesson open now."""
    return [id_ for id_, entry in LESSONS_BY_ID.items() if id_ == lesson() or locks.lesson_allowed(entry)]


@guard.callback("Opening the lesson")
def choose_lesson(lesson_id: str = START_HERE) -> None:
    """A button's callback ("Start here", the math view's lesson row): open lesson `lesson_id`;
    refused (the lesson box unchanged) when it would change a setting the classroom link fixes."""
    chosen = LESSONS_BY_ID.get(lesson_id)
    if chosen is None or _refused(chosen):
        return
    keys.LESSON.set(lesson_id)
    _open(chosen)


@guard.callback("Opening the lesson")
def apply_lesson() -> None:
    """The lesson box's callback: the lesson's setup, on built-in data, and its setup B; refused
    when it would change a setting the classroom link fixes."""
    chosen = LESSONS_BY_ID.get(lesson())
    if chosen is None:
        return
    if _refused(chosen):
        keys.LESSON.set(None)
        return
    _open(chosen)


def _refused(chosen: Lesson) -> bool:
    """True (and the message said) when `chosen` would change a setting the link fixes."""
    conflicts = locks.lesson_conflicts(chosen)
    if conflicts:
        state.refuse(locks.refusal(conflicts, "that lesson was not opened"))
    return bool(conflicts)


def _open(chosen: Lesson) -> None:
    drop_points()
    start(chosen.config)
    compare.set_widgets(chosen.compare)


def open_lesson_link(lesson_ids: tuple[str, ...]) -> None:
    """`?lesson=<id>` on a session's first run opens that lesson (an unknown id says so, and so
    do two different ids: neither opens). The lesson is part of the link: a classroom link's
    hidden controls keep the lesson's values."""
    state.init_session()
    if len(lesson_ids) > 1:
        named = ", ".join(quoted(lesson_id) for lesson_id in lesson_ids[:3])
        state.notify(f"The link names {len(lesson_ids)} lessons ({named}), so none was opened; the link's "
                     "settings are used.")
        return
    lesson_id = lesson_ids[0]
    if lesson_id not in LESSONS_BY_ID:
        state.notify(f"There is no lesson {quoted(lesson_id)}; the link's settings are used.")
        return
    keys.LESSON.set(lesson_id)
    _open(LESSONS_BY_ID[lesson_id])


# --- the user's points ---------------------------------------------------------------------------------

def use_points(parsed: ParsedPoints) -> bool:
    """Train on `parsed` from now on (from a callback): the sidebar switches to a stand-in.
    Refused (False, with a message) when the classroom link fixes the dataset, or a setting the
    points would change (the output, for points of another problem type)."""
    if locks.data_fixed():
        state.refuse(locks.refusal(("dataset",), "your own points cannot replace its data"))
        return False
    current = state.config()
    spec = DATASETS[current.dataset]
    fits = (spec.kind, spec.n_classes) == (parsed.kind, parsed.n_classes)
    standin = current.dataset if fits else STANDINS[(parsed.kind, parsed.n_classes)]
    new = Config(**cfg.fit_output({**current.to_dict(), "dataset": standin}))
    broken = locks.broken_by(new)
    if broken:
        state.refuse(locks.refusal(broken, f"these {parsed.kind} points cannot be used"))
        return False
    keys.POINTS.set(parsed)
    keys.STANDIN.set(standin)
    start(new)
    return True


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


@guard.callback("Loading the points")
def load_csv() -> None:
    """The CSV uploader's callback: the points, or the error and the previous data."""
    upload = keys.CSV_UPLOAD.get()
    if upload is None:
        return
    try:
        parsed = parse_points_csv(upload.getvalue())
    except ValueError as error:
        keys.DATA_ERROR.set(f"{quoted(upload.name)}: {error}. The previous data are kept.")
        return
    if use_points(parsed) and parsed.notices:
        state.notify(" ".join(parsed.notices))


# --- clicked points ---------------------------------------------------------------------------------------

@guard.callback("The click on the surface")
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


@guard.callback("Clearing the clicked points")
def clear_drawn() -> None:
    keys.DRAWN.set([])
    drop_points()


# --- saved sessions -----------------------------------------------------------------------------------------

@guard.callback("Loading the saved session")
def load_session() -> None:
    """The session uploader's callback: continue the saved session exactly, or say why not and
    change nothing (see continue_session)."""
    upload = keys.SESSION_UPLOAD.get()
    if upload is not None:
        load_session_file(upload.name, upload.getvalue())


def load_session_file(name: str, content: bytes) -> None:
    """Continue the saved session `content` exactly, or say why not under the uploader, naming
    the file `name` (quoted: see settings.text)."""
    error = continue_session(content)
    if error is not None:
        keys.SESSION_ERROR.set(f"{quoted(name)}: {error}")


def continue_session(content: str | bytes) -> str | None:
    """Make the saved session in `content` this session's, exactly; or change nothing and return
    why not (ending "Nothing was changed."). The file is validated whole first (io.session_file),
    then against what the classroom link fixes (its data, with the dataset fixed); what follows
    only stores values that cannot fail, so a session loads completely or not at all."""
    try:
        trainer, config, parsed = load_session_json(content)
    except ValueError as error:
        return f"{error}. Nothing was changed."
    broken = locks.broken_by(config) or (("dataset",) if locks.data_fixed() and parsed is not None else ())
    if broken:
        return locks.refusal(broken, "this saved session was not loaded") + " Nothing was changed."
    drop_points()
    if parsed is not None:  # the user's own points: the sidebar shows the dataset as stand-in
        keys.POINTS.set(parsed)
        keys.STANDIN.set(config.dataset)
        keys.CUSTOM_DATA.set(trainer.data)
        keys.CUSTOM_DATA_KEY.set((parsed, config.train_percent, config.seed))
    start(config, trainer)
    state.notify(f"Session loaded: epoch {trainer.epoch:,}. Press Play to continue where it left off.")
    return None
