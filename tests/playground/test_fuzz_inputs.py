"""Bad input wherever it can come in: URL parameters, widget values, uploaded CSV and session JSON.

What must hold for any input: the app shows a clear notice and keeps a valid state; nothing
raises into the page (no exception element); nothing is evaluated or unpickled. The URL parser
and the upload readers are pure functions and get many hypothesis examples; the app itself
(AppTest, ~1 s a run) gets a modest sweep.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import json
import pickle
import re
from dataclasses import fields
from pathlib import Path
from unittest import mock

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from core import DATASETS, FEATURES, HIDDEN_ACTIVATIONS, OPTIMIZER_NAMES
from playground.io import export, uploads
from playground.session.url import _parse, config_from_query, config_to_query
from playground.settings import config as cfg
from playground.settings.config import DEFAULT, Config
from tests.playground.session import APP

KNOWN = tuple(f.name for f in fields(Config))
# st.query_params hides Streamlit's own embed options from the app: they are never reported.
STREAMLIT_KEYS = {"embed", "embed_options"}
SAFE_NAME = re.compile(r"[A-Za-z0-9_.-]{1,40}")

# --- strategies ------------------------------------------------------------------------------------

NASTY = [
    "<script>alert(1)</script>", "__import__('os').system('touch /tmp/pwned')", "eval('1+1')",
    "exec('import os')", "{{7*7}}", "${7*7}", "'; DROP TABLE users; --", "[click](http://evil.example)",
    "![x](http://evil.example/x.png)", "javascript:alert(1)", "\x00", "\u202e", "😀" * 5, "ℌ𝔢𝔩𝔩𝔬",
    "cos(x1)", "x1,x1", "nan", "NaN", "inf", "-inf", "1e308", "1e-400", "1e999", "-0", "-1", "-50",
    "99999999999999999999", str(2 ** 63), "0x10", "1_000", " 5", "5 ", "", "none", "None", "null",
    "true", "yes", "[]", "{}", "()", "a" * 101, "9" * 5000, "8," * 50, "1,2,3,4,5,6,7", "0", "9",
    "gASVAAAAAAAAAAB9lC4=",  # a base64 pickle
    "cos\u0000", "relu\n", "tanh;rm -rf /",
]
values = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=30),
    st.text(min_size=100, max_size=400),
    st.integers(min_value=-10 ** 30, max_value=10 ** 30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.lists(st.integers(-20, 20), max_size=9).map(lambda xs: ",".join(map(str, xs))),
)
keys = st.one_of(st.sampled_from(KNOWN), st.sampled_from(NASTY), st.text(min_size=1, max_size=30)
                 ).filter(lambda k: k not in STREAMLIT_KEYS)
bad_params = st.dictionaries(keys, values, min_size=1, max_size=6)


@st.composite
def valid_configs(draw) -> Config:
    dataset = draw(st.sampled_from(list(DATASETS)))
    output, loss = draw(st.sampled_from(cfg.OUTPUT_CHOICES[cfg.problem(dataset)]))
    chosen = draw(st.sets(st.sampled_from(FEATURES), min_size=1))
    return Config(
        dataset=dataset, noise=draw(st.sampled_from(range(0, 55, 5))),
        train_percent=draw(st.sampled_from(range(10, 100, 10))),
        n_samples=draw(st.sampled_from(range(50, 1050, 50))), seed=draw(st.integers(0, 9999)),
        features=tuple(f for f in FEATURES if f in chosen),
        hidden=tuple(draw(st.lists(st.integers(1, 8), max_size=6))),
        activation=draw(st.sampled_from(HIDDEN_ACTIVATIONS)), output_activation=output, loss=loss,
        optimizer=draw(st.sampled_from(list(OPTIMIZER_NAMES))),
        learning_rate=draw(st.sampled_from(cfg.LEARNING_RATES)), batch_size=draw(st.integers(1, 30)),
        regularization=draw(st.sampled_from(["none", "l1", "l2"])),
        regularization_rate=draw(st.sampled_from(cfg.REGULARIZATION_RATES)),
        speed=draw(st.sampled_from(cfg.SPEEDS)), show_test=draw(st.booleans()),
        discretize=draw(st.booleans()), log_scale=draw(st.booleans()),
    )


# Values no field accepts: wrong type, out of range, injection, too long.
CLEARLY_BAD = ["<script>alert(1)</script>", "__import__('os')", "-1", "99999999999", "a" * 101,
               "nan", "1e999", "😀", "[click](http://evil.example)", "1;2"]


@contextlib.contextmanager
def nothing_evaluated():
    """Fail if eval or unpickling runs while the block runs (exec/compile: see the AST scan below)."""
    def refuse(name):
        def call(*args, **kwargs):
            raise AssertionError(f"{name} was called on user input")
        return call
    with contextlib.ExitStack() as stack:
        for target, name in ((builtins, "eval"), (pickle, "loads"), (pickle, "load")):
            stack.enter_context(mock.patch.object(target, name, refuse(name)))
        yield


EVALUATORS = {"eval", "exec", "compile", "__import__", "import_module", "loads", "load", "literal_eval"}
UNSAFE_MODULES = {"pickle", "marshal", "shelve", "dill", "cloudpickle", "joblib", "yaml"}


def test_no_code_path_can_evaluate_or_unpickle_input():
    """No eval/exec/compile/dynamic import in core/ or playground/; json.load(s) is the only loader."""
    root = Path(APP).parent
    found = []
    for path in [*sorted((root / "core").glob("*.py")), *sorted((root / "playground").glob("*.py"))]:
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
                found += [f"{path.name}:{node.lineno} import {n}" for n in names
                          if n.split(".")[0] in UNSAFE_MODULES]
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                owner = getattr(func.value, "id", "") if isinstance(func, ast.Attribute) else ""
                if name in EVALUATORS and owner not in ("json", "re"):
                    found.append(f"{path.name}:{node.lineno} {owner + '.' if owner else ''}{name}()")
    assert not found, f"code paths that could run or unpickle user input: {found}"


CANARY = Path("/tmp/nn-playground-fuzz-canary")


def test_injection_strings_are_never_run():
    """Strings that would leave a file behind if anything evaluated them."""
    CANARY.unlink(missing_ok=True)
    payloads = [f"__import__('pathlib').Path('{CANARY}').touch()",
                f"eval(\"__import__('pathlib').Path('{CANARY}').touch()\")",
                f"exec(\"open('{CANARY}', 'w')\")"]
    for payload in payloads:
        for name in (*KNOWN, payload):
            with nothing_evaluated():
                config_from_query({name: payload})
    assert not CANARY.exists()


UNREADABLE = re.compile(r"\d+ unreadable parameter names?")
MARKUP = set("<>[]()!*_#|~\\{}$&\"'=;")


def listed_plainly(ignored: list[str]) -> bool:
    """The ignored list repeats only plain names; any other name is only counted."""
    return all(SAFE_NAME.fullmatch(name) or UNREADABLE.fullmatch(name) for name in ignored)


def shows_no_markup(notice: str) -> bool:
    """Beyond its own words, the notice holds plain names in backticks and link text with every
    punctuation mark backslash-escaped (shown as typed): nothing markdown renders."""
    body = re.sub(r"`[A-Za-z0-9_.-]{1,40}`", "", notice.split(":", 1)[-1])
    return not (set(re.sub(r"\\[!-/:-@\[-`{-~]", "", body)) & MARKUP)


# --- the URL parser (pure function, many examples) --------------------------------------------------

@settings(max_examples=200, deadline=None)
@given(bad_params)
@example({"dataset": "abc"})  # a name the grammar accepts but no dataset has
@example({"dataset": "**bold**", "loss": "mse"})
@example({"hidden": "8,8,8,8,8,8,8", "features": "x1,x1"})
def test_url_parser_never_raises_and_returns_a_valid_config(params):
    with nothing_evaluated():
        config, ignored = config_from_query(params)
    assert isinstance(config, Config)
    Config(**config.to_dict())  # every field valid
    given = set(params)
    for name in given & set(KNOWN):
        if name not in ignored:  # kept: the field holds exactly the given value
            assert getattr(config, name) == _parse(name, params[name]), name
    for name in set(KNOWN) - given - {"output_activation", "loss"}:  # not given: the default
        assert getattr(config, name) == getattr(DEFAULT, name), name
    unknown = given - set(KNOWN)
    if unknown:
        assert ignored
    assert all(SAFE_NAME.fullmatch(k) is None or k in ignored for k in unknown)
    assert listed_plainly(ignored)


@settings(max_examples=200, deadline=None)
@given(valid_configs(), st.sets(st.sampled_from(KNOWN), max_size=4), st.sampled_from(CLEARLY_BAD))
@example(DEFAULT, {"dataset"}, "nan")  # fits the name grammar, is no dataset
def test_url_keeps_the_valid_parameters_and_drops_the_bad_ones(config, corrupted, bad):
    params = config_to_query(config)
    assert config_from_query(params) == (config, [])  # every setup survives its own link
    params.update({name: bad for name in corrupted})
    with nothing_evaluated():
        parsed, ignored = config_from_query(params)
    assert corrupted <= set(ignored)
    # Only the output/loss pair depends on another parameter (the dataset's problem type).
    assert set(ignored) - corrupted <= {"output_activation", "loss"}
    for name in set(KNOWN) - set(ignored):
        assert getattr(parsed, name) == getattr(config, name), name


BOUNDS = [  # (parameter, values at the bounds: kept, values beyond: ignored)
    ("noise", ["0", "50"], ["-5", "55", "7", "500"]),
    ("train_percent", ["10", "90"], ["0", "100", "15", "-10"]),
    ("n_samples", ["50", "1000"], ["0", "1050", "75", "5000", "-50"]),
    ("seed", ["0", "9999"], ["-1", "10000", "99999999999"]),
    ("batch_size", ["1", "30"], ["0", "31", "-1", "1000000"]),
    ("hidden", ["none", "8,8,8,8,8,8", "1"], ["0", "9", "8,8,8,8,8,8,8", "-1", "4,,2"]),
    ("learning_rate", ["0.00001", "10"], ["0", "100", "-0.03", "1e-06", "0.05", "1e999"]),
    ("regularization_rate", ["0", "10"], ["-1", "11", "0.2"]),
]


@pytest.mark.parametrize("name, inside, beyond", BOUNDS, ids=[b[0] for b in BOUNDS])
def test_url_numbers_at_and_beyond_their_bounds(name, inside, beyond):
    for raw in inside:
        config, ignored = config_from_query({name: raw})
        assert ignored == [] and getattr(config, name) == _parse(name, raw), raw
    for raw in beyond:
        config, ignored = config_from_query({name: raw})
        assert ignored == [name] and config == DEFAULT, raw


# --- the app with bad URLs (AppTest, a modest sweep) ------------------------------------------------

def run_app(params: dict[str, str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for name, value in params.items():
        at.query_params[name] = value
    return at.run()


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bad_params)
@example({"dataset": "abc", "<script>alert(1)</script>": "1", "[click](http://evil.example)": "x"})
def test_app_survives_any_url(params):
    expected, ignored = config_from_query(params)
    assume(all("\x00" not in k + v for k, v in params.items()))  # no browser sends a NUL in a URL
    at = run_app(params)
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state.config == expected
    if ignored:
        notice = " ".join(w.value for w in at.warning)
        assert all(name in notice for name in ignored)
        assert listed_plainly(ignored) and shows_no_markup(notice)
        assert ("invalid" in notice) == bool(set(ignored) & set(KNOWN))  # said per parameter
        assert ("ignored" in notice) == bool(set(ignored) - set(KNOWN))  # unknown names
        assert "fell back" not in notice
    assert set(at.query_params) <= set(KNOWN)  # the URL is rewritten to the valid setup


# --- every numeric control at and beyond its bounds (AppTest) ----------------------------------------

CONTROLS = [  # (widget kind, key, config field, at the bounds, beyond the bounds or off the step)
    ("slider", "w_noise", "noise", [0, 50], [-5, 55, 7]),
    ("slider", "w_train_percent", "train_percent", [10, 90], [0, 100, 15]),
    ("slider", "w_n_samples", "n_samples", [50, 1000], [0, 1050, 75]),
    ("number_input", "w_seed", "seed", [0, 9999], [-1, 10000, 10 ** 12]),
    ("slider", "w_batch_size", "batch_size", [1, 30], [0, 31]),
    ("number_input", "w_layers", "hidden", [0, 6], [-1, 7]),
    ("number_input", "w_neurons_0", "hidden", [1, 8], [0, 9]),
]


def layer_value(config: Config, key: str, value: int):
    return len(config.hidden) if key == "w_layers" else config.hidden[0]


@pytest.mark.parametrize("kind, key, field, inside, beyond", CONTROLS, ids=[c[1] for c in CONTROLS])
def test_numeric_controls_at_and_beyond_their_bounds(kind, key, field, inside, beyond):
    at = run_app({"hidden": "4,2"})
    read = (lambda c: layer_value(c, key, 0)) if field == "hidden" else (lambda c: getattr(c, field))
    for value in inside:
        getattr(at, kind)(key=key).set_value(value).run()
        assert not at.exception, (value, [e.value for e in at.exception])
        assert read(at.session_state.config) == value
    for value in beyond:
        previous = at.session_state.config
        getattr(at, kind)(key=key).set_value(value).run()
        assert not at.exception, (value, [e.value for e in at.exception])
        config = at.session_state.config
        Config(**config.to_dict())
        lo, hi = _bounds(key)
        # Streamlit resets an out-of-range widget value; an off-step one is refused with a notice.
        assert lo <= read(config) <= hi, value
        if lo <= value <= hi:
            assert config == previous and at.warning, value


def _bounds(key: str) -> tuple[int, int]:
    return {"w_noise": cfg.NOISE_RANGE, "w_train_percent": cfg.TRAIN_PERCENT_RANGE,
            "w_n_samples": cfg.SAMPLES_RANGE, "w_seed": cfg.SEED_RANGE, "w_batch_size": cfg.BATCH_RANGE,
            "w_layers": (0, cfg.MAX_HIDDEN_LAYERS), "w_neurons_0": cfg.NEURONS_RANGE}[key]


# --- uploads: points CSV and saved sessions (pure functions) -----------------------------------------


cells = st.one_of(st.floats(allow_nan=True, allow_infinity=True).map(repr), st.integers(-10, 10).map(str),
                  st.sampled_from(["", "nan", "inf", "1e308", "-1e308", "x", '"', "0,0", "1e-320", "4"]),
                  st.text(max_size=8))
csv_rows = st.lists(st.lists(cells, min_size=0, max_size=5), min_size=0, max_size=40)
headers = st.sampled_from(["x1,x2,label", "x1,x2,value", "label,x2,x1", "x1,x2", "x1,x2,label,label",
                           "X1,X2,Label", "", "a,b,c"])


def check_points(points) -> None:
    assert np.all(np.isfinite(points.X)) and np.all(np.abs(points.X) <= 6.0)
    assert np.all(np.isfinite(points.labels))
    assert uploads.MIN_ROWS <= len(points.X) <= uploads.MAX_ROWS


@settings(max_examples=150, deadline=None)
@given(headers, csv_rows)
@example("x1,x2,value", [["1e308", "-1e308", "0"]] * 4)
@example("x1,x2,label", [["1e308", "-1e308", "0"], ["0", "0", "1"]] * 2)
@example("x1,x2,value", [["0", "0", "1e308"], ["1", "1", "-1e308"]] * 2)
def test_points_csv_garbage_raises_only_value_error(header, rows):
    data = "\n".join([header, *(",".join(r) for r in rows)]).encode()
    with nothing_evaluated():
        try:
            points = uploads.parse_points_csv(data)
        except ValueError as error:
            assert str(error)
            return
    check_points(points)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2000))
def test_points_csv_random_bytes_raise_only_value_error(data):
    try:
        points = uploads.parse_points_csv(data)
    except ValueError:
        return
    check_points(points)


@pytest.mark.parametrize("data", [
    b"\xff\xfe\x00x\x001", b"x1,x2,label\n" + b"0,0,0\n" * 3, b"x1,x2,label\n\x00,0,0\n",
    b"x1,x2,label\n" + b"1,1,1\n0,0,0\n" * (uploads.MAX_ROWS // 2 + 1),
    b"x1,x2,label\n" + b"1,1,0\n" * 10, b"x1,x2,label\n" + b"1,1,7\n0,0,0\n" * 4,
    b"x1,x2,label\n\"1,1,0\n" * 5, b" " * (uploads.MAX_BYTES + 1),
])
def test_points_csv_known_bad_files(data):
    with pytest.raises(ValueError):
        uploads.parse_points_csv(data)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=0, max_size=3),
                max_size=30),
       st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=30),
       st.sampled_from(["classification", "regression", "other"]))
def test_points_from_any_arrays_raise_only_value_error(X, labels, kind):
    try:
        points = uploads.make_points(np.array(X, dtype=object), labels, kind)
    except ValueError:
        return
    check_points(points)


@pytest.fixture(scope="module")
def saved_session() -> str:
    from playground.settings.build import build_trainer

    config = Config(dataset="spiral3", hidden=(3,), n_samples=50, optimizer="adam",
                    output_activation="softmax", loss="cross_entropy")
    trainer = build_trainer(config, 0)
    trainer.step(3)
    return export.session_json(trainer, config.to_dict())


json_leaves = st.one_of(st.none(), st.booleans(), st.integers(-10 ** 20, 10 ** 20),
                        st.floats(allow_nan=False), st.text(max_size=10))
json_values = st.recursive(json_leaves, lambda inner: st.one_of(
    st.lists(inner, max_size=5), st.dictionaries(st.text(max_size=8), inner, max_size=5)), max_leaves=30)


def _paths(document, prefix=()):
    yield prefix
    if isinstance(document, dict):
        for k, v in document.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(document, list):
        for i, v in enumerate(document[:4]):
            yield from _paths(v, (*prefix, i))


def _replace(document, path, value):
    if not path:
        return value
    copy = json.loads(json.dumps(document))
    target = copy
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return copy


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_session_json_with_any_part_replaced_raises_only_value_error(saved_session, data):
    document = json.loads(saved_session)
    path = data.draw(st.sampled_from(list(_paths(document))))
    garbage = data.draw(st.one_of(json_values, st.sampled_from([
        [[1.0] * 5] * 5, [1e308] * 7, [], {}, -1, 10 ** 9, "NaN", [[[[[]]]]], None])))
    text = json.dumps(_replace(document, path, garbage))
    with nothing_evaluated():
        try:
            trainer, config = export.load_session_json(text)
        except ValueError as error:
            assert str(error)
            return
    Config(**{k: tuple(v) if isinstance(v, list) else v for k, v in config.items()})
    assert np.all(np.isfinite(trainer.net.params))
    trainer.step(1)


@pytest.mark.parametrize("text", [
    "", "null", "[]", "{}", "[" * 100_000 + "]" * 100_000, '{"a":' * 50_000 + "1" + "}" * 50_000,
    '{"format": "nn-playground/app-session", "version": 1, "config": NaN}', "Infinity", b"\xff\xfe",
    '{"format": "nn-playground/app-session", "version": 1, "config": {}, "session": {}}',
    json.dumps({"format": "nn-playground/app-session", "version": 1,
                "config": {"__class__": "os.system"}, "session": None}),
    pickle.dumps({"format": "nn-playground/app-session"}),
])
def test_session_json_known_bad_files(text):
    with nothing_evaluated(), pytest.raises(ValueError):
        export.load_session_json(text)


def test_session_json_with_huge_arrays_is_refused(saved_session):
    document = json.loads(saved_session)
    document["session"]["model"]["weights"][0] = [[0.5] * 2_000] * 2_000  # 4 M numbers, wrong shape
    with pytest.raises(ValueError):
        export.load_session_json(json.dumps(document))
    with pytest.raises(ValueError, match="limit"):
        export.load_session_json(" " * (export.MAX_SESSION_BYTES + 1))


def test_session_json_with_nan_numbers_is_refused(saved_session):
    text = saved_session.replace("0.", "NaN", 1)
    assert text != saved_session
    with pytest.raises(ValueError):
        export.load_session_json(text)

