"""A session file loads whole or not at all, within bounded time and memory (io.session_file,
session.data.load_session).

The repros of issue "untrusted input" each passed parsing and then broke the page or cost the
server too much; each is a test here. Hypothesis then mutates a real saved session (fields,
types, lengths, nesting): no mutation may raise anything but one ValueError, take more than
50 MB, or, through the app's uploader, change the session partly.
"""

from __future__ import annotations

import json
import re
import time
import tracemalloc

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from core import Trainer
from playground.io.export import session_json
from playground.io.session_file import MAX_JSON_VALUES, MAX_SESSION_BYTES, load_session_json
from playground.io.uploads import dataset_from_points, make_points
from playground.settings.build import build_trainer
from playground.settings.config import DEFAULT, Config
from tests.playground.session import app, shown

MAX_EXTRA_BYTES = 50_000_000  # memory one load may allocate (tracemalloc's peak)
SPIRAL3 = Config(dataset="spiral3", hidden=(5,), n_samples=100, optimizer="adam",
                 output_activation="softmax", loss="cross_entropy", stop_patience=9)


def saved(config: Config = SPIRAL3, points=None, epochs: int = 3) -> dict:
    """A real saved session (as 'Save session' writes it), as a JSON document."""
    test_fraction = 1 - config.train_percent / 100
    data = None if points is None else dataset_from_points(points, test_fraction, config.seed)
    trainer = build_trainer(config, 0, data=data)
    trainer.step(epochs)
    return json.loads(session_json(trainer, config.to_dict()))


def user_points(n: int = 40, classes: int = 2) -> object:
    rng = np.random.default_rng(1)
    return make_points(rng.uniform(-5, 5, (n, 2)), np.arange(n) % classes, "classification")


def changed(document: dict, path: str, value) -> bytes:
    """`document` with the field at `path` ("session.settings.learning_rate") set to `value`."""
    copy = json.loads(json.dumps(document))
    *parents, leaf = path.split(".")
    target = copy
    for key in parents:
        target = target[key]
    target[leaf] = value
    return json.dumps(copy).encode()


def uploader(at: AppTest):
    return next(u for u in at.get("file_uploader") if u.label.startswith("Continue a saved session"))


def snapshot(at: AppTest) -> tuple:
    """What a load changes: config, trainer (and its weights), init seed, the user's points."""
    state = at.session_state
    trainer = state.trainer
    points = state["cls_points"] if "cls_points" in state else None
    return state.config, trainer, trainer.net.params.copy(), trainer.epoch, state.init_seed, points


def unchanged(at: AppTest, before: tuple) -> bool:
    now = snapshot(at)
    return (now[0] == before[0] and now[1] is before[1] and np.array_equal(now[2], before[2])
            and now[3:5] == before[3:5] and now[5] is before[5])


def upload(at: AppTest, data: bytes) -> AppTest:
    uploader(at).upload("s.json", data, "application/json")
    return at.run()


def refused(at: AppTest, data: bytes) -> str:
    """Upload `data`; assert nothing changed and return the one error message shown."""
    before = snapshot(at)
    upload(at, data)
    assert not at.exception, [e.value for e in at.exception]
    assert unchanged(at, before)
    errors = [shown(e.value) for e in at.error]
    assert len(errors) == 1 and "Nothing was changed" in errors[0], errors
    assert not any("Session loaded" in shown(i.value) for i in at.info)
    return errors[0]


# --- the repros, through the app ------------------------------------------------------------

def with_points(document: dict, X: list, y: list) -> bytes:
    copy = json.loads(json.dumps(document))
    half = len(X) // 2
    copy["session"]["data"].update(X_train=X[:half], y_train=y[:half], X_test=X[half:], y_test=y[half:])
    return json.dumps(copy).encode()


BINARY = Config(hidden=(3,), n_samples=100)


@pytest.mark.parametrize(("name", "make", "says"), [
    ("seed as a float", lambda d: changed(d, "config.seed", 0.0), "seed '0.0'; it must be a whole number"),
    ("stop_epoch: true", lambda d: changed(d, "config.stop_epoch", True), "stop_epoch true"),
    ("2 points", lambda d: with_points(d, [[0, 0], [1, 1]], [[0.0], [1.0]]), "2 points"),
    ("a single class", lambda d: with_points(d, [[i / 10, 0] for i in range(20)], [[0.0]] * 20),
     "class 0"),
    ("a label of 1e308", lambda d: with_points(d, [[i / 10, 0] for i in range(20)],
                                                [[1e308]] + [[i % 2 * 1.0] for i in range(19)]), "y_train"),
    ("6,000 points", lambda d: with_points(d, [[i / 1000, 0] for i in range(6000)],
                                           [[i % 2 * 1.0] for i in range(6000)]), "6,000 points"),
    ("learning rate 1e308", lambda d: changed(d, "session.settings.learning_rate", 1e308),
     "learning_rate '1e+308', its settings say '0.03'"),
])
def test_each_repro_is_refused_with_one_message_and_nothing_changed(name, make, says):
    at = app()
    assert says in refused(at, make(saved(BINARY))), name


def test_stop_epoch_true_leaves_no_half_applied_config():
    at = app(stop_epoch="0", learning_rate="0.1")
    before = at.session_state.config
    refused(at, changed(saved(BINARY), "config.stop_epoch", True))
    assert at.session_state.config is before and at.session_state.trainer.stopped is None


def test_n_classes_that_disagree_with_the_dataset_are_refused():
    """n_classes 3000 on a three-class spiral loaded, then every paused rerun built a 300 MB
    confusion table (above 10**6 it raised on every rerun)."""
    at = app()
    for n_classes in (3000, 10 ** 7, 2, 0):
        message = refused(at, changed(saved(), "session.data.n_classes", n_classes))
        assert "classification with 3 classes" in message


def test_the_trainers_settings_must_be_the_configs():
    at = app()
    document = saved()
    for path, value in (("session.settings.batch_size", 7), ("session.settings.regularization", "l2"),
                        ("session.settings.regularization_rate", 0.1),
                        ("session.settings.features", ["x1"]), ("session.settings.loss", "mse")):
        assert "inconsistent" in refused(at, changed(document, path, value)), path


def test_500000_points_in_a_5_mb_file_are_refused_before_they_are_built():
    """They cost 3.7 s of CPU and +717 MB before an exception; now the raw text is counted."""
    document = saved(BINARY)
    half = 250_000
    document["session"]["data"].update(X_train=[[0, 0]] * half, y_train=[[0]] * half,
                                       X_test=[[1, 1]] * half, y_test=[[1]] * half)
    text = json.dumps(document, separators=(",", ":")).encode()
    assert len(text) <= MAX_SESSION_BYTES
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match="holds about 2,500,1\\d\\d values"):
            load_session_json(text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < MAX_EXTRA_BYTES / 10


# --- the limits agree ---------------------------------------------------------------------------------

def test_the_session_limit_is_the_servers_upload_cap():
    import tomllib
    from pathlib import Path

    options = tomllib.loads((Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml").read_text())
    assert MAX_SESSION_BYTES == options["server"]["maxUploadSize"] * 1024 * 1024  # MiB, as Streamlit


def largest_session(rng: np.random.Generator) -> tuple[Trainer, Config]:
    """5,000 uploaded points of four classes, the largest advanced network with all inputs, Adam,
    and a full history (20,000 rows of full-precision numbers), at epoch 20,000."""
    config = Config(advanced=True, dataset="blobs4", hidden=(16,) * 8, features=(
        "x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"), optimizer="adam",
        output_activation="softmax", loss="cross_entropy", batch_size=30)
    points = make_points(rng.uniform(-6, 6, (5000, 2)), np.arange(5000) % 4, "classification")
    trainer = build_trainer(config, 0, data=dataset_from_points(points, 0.5, config.seed))
    trainer.step(1)
    for epoch in range(2, 20_001):
        trainer.history.record(epoch, tuple(rng.uniform(0, 1, 4)))
    trainer.epoch = 20_000
    return trainer, config


def test_the_largest_session_the_app_can_save_fits_the_limits_and_loads():
    rng = np.random.default_rng(0)
    trainer, config = largest_session(rng)
    trainer.optimizer.m[:] = rng.normal(size=trainer.optimizer.m.size)
    text = session_json(trainer, config.to_dict()).encode()
    assert len(trainer.history) == 20_000
    values = text.count(b",") + text.count(b"[") + text.count(b"{")
    assert len(text) < 0.8 * MAX_SESSION_BYTES and values < 0.9 * MAX_JSON_VALUES, (len(text), values)
    loaded = load_session_json(text)
    assert loaded.config == config and loaded.points is not None and len(loaded.points.X) == 5000
    np.testing.assert_array_equal(loaded.trainer.net.params, trainer.net.params)


def test_a_session_on_the_users_points_loads_them_as_the_users_points():
    document = saved(BINARY, points=user_points())
    at = app()
    upload(at, json.dumps(document).encode())
    assert not at.exception and not at.error
    assert len(at.session_state["cls_points"].X) == 40
    assert at.session_state.trainer.data.name == "custom"


# --- mutations of a real saved session ----------------------------------------------------------------

def paths(document, prefix=()):
    """Every path into `document` (lists: their first two items and their last)."""
    yield prefix
    if isinstance(document, dict):
        for k, v in document.items():
            yield from paths(v, (*prefix, k))
    elif isinstance(document, list):
        for i in sorted({0, 1, len(document) - 1} & set(range(len(document)))):
            yield from paths(document[i], (*prefix, i))


GARBAGE = [None, True, False, 0, 0.0, 1.0, -1, 3000, 10 ** 7, 2 ** 64, 1e308, -1e308, "", "1",
           "[x](http://evil.example)", "a" * 10_000, [], {}, [[]], [None], {"a": 1}, [0.5] * 7]


@st.composite
def mutations(draw, document):
    """`document` with one field replaced, retyped, lengthened, shortened, deleted or nested."""
    copy = json.loads(json.dumps(document))
    path = draw(st.sampled_from(list(paths(copy))[1:]))
    *parents, leaf = path
    target = copy
    for key in parents:
        target = target[key]
    value = target[leaf]
    how = draw(st.sampled_from(["garbage", "retype", "lengthen", "shorten", "delete", "nest", "unnest"]))
    if how == "garbage":
        target[leaf] = draw(st.sampled_from(GARBAGE))
    elif how == "retype":  # the same number as another type: 3 -> 3.0, 0.03 -> "0.03", true -> 1
        target[leaf] = (float(value) if type(value) is int else int(value) if type(value) is bool
                        else str(value) if isinstance(value, float) else [value])
    elif how == "lengthen" and isinstance(value, list):
        target[leaf] = value * draw(st.sampled_from([2, 3, 200]))
    elif how == "shorten" and isinstance(value, list):
        target[leaf] = value[:draw(st.integers(0, max(0, len(value) - 1)))]
    elif how == "delete" and isinstance(target, dict):
        del target[leaf]
    elif how == "nest":
        target[leaf] = [value]
    elif how == "unnest" and isinstance(value, list) and value:
        target[leaf] = value[0]
    else:
        target[leaf] = draw(st.sampled_from(GARBAGE))
    return json.dumps(copy).encode()


DOCUMENTS = {"built-in": saved(), "user points": saved(BINARY, points=user_points(30, 2))}


def load_within_bounds(text: bytes):
    """load_session_json(text): the result, or None when it raised ValueError; any other
    exception fails. Records the time taken; asserts the memory."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        return load_session_json(text)
    except ValueError as error:
        assert str(error)
        return None
    finally:
        SECONDS.append(time.perf_counter() - start)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert peak < MAX_EXTRA_BYTES, peak


SECONDS: list[float] = []  # each load's time (printed by the last test; benchmarks/session_load.py)


@pytest.mark.parametrize("kind", list(DOCUMENTS))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_mutated_session_raises_only_value_error_and_what_loads_is_whole(kind, data):
    loaded = load_within_bounds(data.draw(mutations(DOCUMENTS[kind])))
    if loaded is None:
        return
    trainer, config, points = loaded
    assert config == Config(**config.to_dict())
    assert all(type(getattr(config, f)) is type(getattr(DEFAULT, f)) for f in config.to_dict())
    build_trainer(config, config.init_seed)  # the settings alone build, as Reset does
    assert trainer.net.layer_sizes == tuple(config.layer_sizes)
    assert trainer.learning_rate == config.learning_rate
    assert np.all(np.isfinite(trainer.net.params))
    assert points is None or points.n_classes == trainer.data.n_classes
    trainer.set_stop(**config.stop)
    trainer.step(1)  # it trains
    trainer.metrics("test")


@pytest.fixture(scope="module")
def uploading_app() -> AppTest:
    return app()


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
@example(data=None)
def test_a_mutated_session_through_the_uploader_loads_whole_or_changes_nothing(uploading_app, data):
    at = uploading_app
    kind = "built-in" if data is None else data.draw(st.sampled_from(list(DOCUMENTS)))
    text = (changed(DOCUMENTS[kind], "config.stop_epoch", True) if data is None
            else data.draw(mutations(DOCUMENTS[kind])))
    before = snapshot(at)
    upload(at, text)
    assert not at.exception, [e.value for e in at.exception]
    if at.error:  # refused: the session is exactly as before
        assert unchanged(at, before) and len(at.error) == 1
    else:  # loaded: every part is the file's
        assert any("Session loaded" in shown(i.value) for i in at.info)
        trainer, config = at.session_state.trainer, at.session_state.config
        assert trainer is not before[1] and trainer.learning_rate == config.learning_rate
        assert at.session_state.init_seed == config.init_seed
        at.button(key="step").click().run()  # and the page keeps working
        assert not at.exception


def test_loads_were_fast():
    """Not a timing assertion (the machine is shared): the slowest mutated load, for the record."""
    if SECONDS:
        print(f"\n{len(SECONDS)} mutated loads: median {np.median(SECONDS) * 1000:.1f} ms, "
              f"slowest {max(SECONDS) * 1000:.1f} ms")


def test_a_file_that_is_no_session_names_the_button_that_saves_one():
    """Regression (a fresh student's run): the message sent the user to 'Save session', a button
    the page does not have. It names the download the Save and export panel draws."""
    at = app()
    labels = [button.proto.label for button in at.get("download_button")]
    with pytest.raises(ValueError) as refused:
        load_session_json('{"format": "something else"}')
    named = re.search(r"download one with '([^']+)'", str(refused.value)).group(1)
    assert named in labels, (named, labels)
