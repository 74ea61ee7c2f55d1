"""Every session is its own: no cross-talk, no shared mutable state, bounded memory per session.

A class of thirty shares one server process. Two AppTest sessions stand in for two students:
they train different setups at the same time and each must end exactly where it would have
ended alone. Module globals of playground/ must be constants that no session changes, and no
user state may sit in st.cache_resource (shared by all users). Per-session memory has caps:
the loss history (core.history), the replay snapshots (core.snapshots), uploads
(playground.uploads, playground.export) and the Streamlit session state itself.
"""

from __future__ import annotations

import ast
import copy
import importlib
import json
import pkgutil
import threading
import tracemalloc
from collections import deque
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import playground
from core import Trainer
from core.history import History
from playground.settings.build import build_trainer
from tests.playground.session import app
from tests.playground.views import figure, stats

ROOT = Path(__file__).resolve().parents[2]
PLAYGROUND = ROOT / "playground"
SETUP_A = {"dataset": "circle", "seed": "3"}
SETUP_B = {"dataset": "spiral", "hidden": "8,8", "features": "x1,x2,sin(x1),sin(x2)",
           "activation": "relu", "optimizer": "adam", "seed": "7", "speed": "10"}
FAST = {"optimizer": "gd", "n_samples": "50", "hidden": "3"}  # cheap epochs for long runs
MUTABLE = (dict, list, set, bytearray, deque, np.ndarray)



def alone(at: AppTest, epochs: int) -> Trainer:
    """What the session's trainer would be had it trained `epochs` epochs with nobody else around."""
    trainer = build_trainer(at.session_state.config, at.session_state.init_seed)
    trainer.step(epochs)
    return trainer


def assert_same_training(trainer: Trainer, reference: Trainer) -> None:
    assert trainer.epoch == reference.epoch
    assert trainer.net.layer_sizes == reference.net.layer_sizes
    np.testing.assert_array_equal(trainer.net.params, reference.net.params)
    np.testing.assert_array_equal(trainer.history.epochs, reference.history.epochs)
    np.testing.assert_array_equal(trainer.history.train_loss, reference.history.train_loss)
    np.testing.assert_array_equal(trainer.data.X_train, reference.data.X_train)


def shown_epoch(at: AppTest) -> str:
    return stats(at)


# --- no cross-talk -------------------------------------------------------------------------------

def test_two_sessions_stepping_in_turn_keep_their_own_state():
    a, b = app(**SETUP_A), app(**SETUP_B)
    assert a.session_state.trainer is not b.session_state.trainer
    for _ in range(3):  # interleaved: a, b, b, a, b, b, ...
        a.button(key="step").click().run()
        b.button(key="step").click().run()
        b.button(key="step").click().run()
    assert not a.exception and not b.exception
    assert_same_training(a.session_state.trainer, alone(a, 3))
    assert_same_training(b.session_state.trainer, alone(b, 6))
    assert '<span id="epoch-counter">3</span>' in shown_epoch(a)
    assert '<span id="epoch-counter">6</span>' in shown_epoch(b)
    assert a.session_state.config.dataset == "circle" and b.session_state.config.dataset == "spiral"
    assert a.query_params["dataset"] == "circle" and b.query_params["dataset"] == "spiral"


def test_two_sessions_playing_at_the_same_time_keep_their_own_state(roomy_frames):
    a, b = app(**SETUP_A, speed="5"), app(**SETUP_B)
    for at, frames in ((a, 4), (b, 3)):
        at.session_state["max_frames"] = frames
        at.button(key="play").click()
    threads = [threading.Thread(target=at.run) for at in (a, b)]  # two script threads at once
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    assert not a.exception and not b.exception
    assert_same_training(a.session_state.trainer, alone(a, 4 * 5))
    assert_same_training(b.session_state.trainer, alone(b, 3 * 10))


def test_a_reset_in_one_session_leaves_the_other_alone():
    a, b = app(**SETUP_A), app(**SETUP_A)  # the same setup: any sharing would show
    for _ in range(2):
        a.button(key="step").click().run()
        b.button(key="step").click().run()
    b.button(key="reset").click().run()
    b.selectbox(key="w_learning_rate").set_value(1.0).run()
    assert_same_training(a.session_state.trainer, alone(a, 2))
    assert a.session_state.trainer.learning_rate == 0.03
    assert b.session_state.trainer.epoch == 0 and b.session_state.trainer.learning_rate == 1.0


# --- no shared mutable state ---------------------------------------------------------------------

def playground_modules() -> list:
    names = [m.name for m in pkgutil.walk_packages(playground.__path__, "playground.")]
    assert {"playground.app", "playground.session.state", "playground.settings.config",
            "playground.panels.controls", "playground.figures.network"} <= set(names)
    return [importlib.import_module(name) for name in names]


def mutable_globals(module) -> dict[str, object]:
    """Module-level values of a mutable container type defined in `module` itself."""
    return {name: value for name, value in vars(module).items()
            if isinstance(value, MUTABLE) and not name.startswith("__")}


def test_mutable_module_globals_are_named_constants():
    offenders = [f"{module.__name__}.{name}" for module in playground_modules()
                 for name in mutable_globals(module) if not name.lstrip("_").isupper()]
    assert not offenders, f"module-level mutable state (make it a constant or session state): {offenders}"


def _equal(a, b) -> bool:
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and np.array_equal(a, b)
    return a == b


def test_no_session_changes_a_module_global():
    modules = playground_modules()
    before = {(m.__name__, n): copy.deepcopy(v) for m in modules for n, v in mutable_globals(m).items()}
    a, b = app(**SETUP_B), app(dataset="blobs4", show_test="1", discretize="1", log_scale="1")
    for at in (a, b):
        at.button(key="step").click().run()
        at.session_state["max_frames"] = 2
        at.button(key="play").click().run()
        at.button(key="reset").click().run()
        at.number_input(key="w_layers").set_value(3).run()
        at.button_group(key="w_features").set_value([]).run()
    after = {(m.__name__, n): v for m in modules for n, v in mutable_globals(m).items()}
    assert after.keys() == before.keys()
    changed = [".".join(k) for k in before if not _equal(before[k], after[k])]
    assert not changed, f"a session changed module-level state: {changed}"


def _sources() -> list[tuple[Path, ast.Module]]:
    files = [*sorted(PLAYGROUND.rglob("*.py")), ROOT / "streamlit_app.py"]
    return [(path, ast.parse(path.read_text(), str(path))) for path in files]


def test_no_function_rebinds_a_module_global():
    found = [f"{path.name}:{node.lineno}" for path, tree in _sources() for node in ast.walk(tree)
             if isinstance(node, ast.Global)]
    assert not found, f"`global` statements (module-level mutable state): {found}"


def test_no_module_level_mutable_literals_outside_constants():
    mutable_nodes = (ast.Dict, ast.List, ast.Set, ast.DictComp, ast.ListComp, ast.SetComp)
    mutable_calls = {"dict", "list", "set", "deque", "defaultdict", "OrderedDict", "Counter", "bytearray"}
    offenders = []
    for path, tree in _sources():
        for node in tree.body:
            targets = (node.targets if isinstance(node, ast.Assign)
                       else [node.target] if isinstance(node, ast.AnnAssign) and node.value else [])
            value = getattr(node, "value", None)
            is_mutable = isinstance(value, mutable_nodes) or (
                isinstance(value, ast.Call) and getattr(value.func, "id", getattr(value.func, "attr", ""))
                in mutable_calls)
            for target in targets:
                name = getattr(target, "id", "")
                if is_mutable and not name.lstrip("_").isupper():
                    offenders.append(f"{path.name}:{node.lineno} {name}")
    assert not offenders, f"module-level mutable values bound to non-constant names: {offenders}"


# Functions whose result is shared by every session. Only user-independent values may be cached
# this way; a user's network, data or history must live in st.session_state. Allowed: the
# live-view component and the URL of plotly.js (immutable), the server's count of playing
# sessions and its frame budget for frame pacing (random tokens, times and CPU seconds only,
# behind a lock: test_pacing.py), and
# the live view's frame hub (channels by unguessable token, each holding at most the one frame
# in flight to its own page, dropped when idle: tests/playground/test_hub.py).
SHARED_CACHE_ALLOWED = frozenset({"_component", "_plotly_js_url", "playing_sessions", "frame_hub",
                                  "_index_html"})
SHARED_CACHES = {"cache_resource", "lru_cache", "cache", "experimental_singleton", "singleton"}


def _decorator_name(decorator: ast.expr) -> str:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")


def test_no_user_state_in_shared_caches():
    cached, mentions = [], []
    for path, tree in _sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                if any(_decorator_name(d) in SHARED_CACHES for d in node.decorator_list):
                    cached.append(node.name)
            if isinstance(node, ast.Attribute) and node.attr == "cache_resource":
                mentions.append(f"{path.name}:{node.lineno}")
    assert set(cached) <= SHARED_CACHE_ALLOWED, (
        f"functions cached for all users: {sorted(set(cached) - SHARED_CACHE_ALLOWED)}; if the value "
        "is immutable and user-independent, add it to SHARED_CACHE_ALLOWED")
    if not SHARED_CACHE_ALLOWED:
        assert not mentions, f"st.cache_resource used outside a decorated function: {mentions}"


# --- memory per session is bounded ---------------------------------------------------------------

def test_history_is_capped_on_a_long_run():
    at = app(**FAST)
    trainer = at.session_state.trainer
    capacity = trainer.history.capacity
    assert capacity <= 20_000  # 5 float64 columns: <= 800 kB per session
    trainer.step(capacity + 1_000)  # a long run, driven directly: Play would take minutes
    history = trainer.history
    assert capacity // 2 <= len(history) <= capacity
    assert history._data.nbytes <= 5 * 8 * capacity
    assert history.epochs[-1] <= trainer.epoch and history.epochs[0] <= 2 * history.stride
    at.run()  # the page still draws a capped history
    assert not at.exception
    cost = figure(at, "cost")
    assert len(json.dumps(cost)) < 200_000  # the cost curve sent to the page stays small


def test_history_cap_holds_for_any_run_length():
    history = History(capacity=8)
    for epoch in range(1, 10_000):
        history.record(epoch, (1.0, 1.0, 0.5, 0.5))
        assert len(history) <= 8
    assert 9_999 - history.epochs[-1] < history.stride  # the run's whole length, thinned


def test_training_memory_stays_flat_once_the_history_is_full():
    trainer = build_trainer(app(**FAST).session_state.config, 0)
    trainer.history = History(capacity=200)
    trainer.step(400)  # history full, tapes and buffers allocated
    tracemalloc.start()
    try:
        first, _ = tracemalloc.get_traced_memory()
        trainer.step(2_000)
        trainer.surface(40)
        second, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert second - first < 200_000, f"{second - first} bytes more after 2,000 epochs"


def session_state_size(at: AppTest) -> int:
    return len(at.session_state._state.filtered_state)


def test_session_state_does_not_grow_with_frames(monkeypatch, roomy_frames):
    """Every frame's charts get new keys, kept until the run ends: a fresh run every
    FRAMES_PER_RUN frames bounds them, and playing goes on across it."""
    import playground.app

    monkeypatch.setattr(playground.app, "FRAMES_PER_RUN", 4)
    at = app(**SETUP_A, speed="5")
    at.session_state["max_frames"] = 3
    at.button(key="play").click().run()
    keys_after_three, epoch_after_three = session_state_size(at), at.session_state["trainer"].epoch
    at.session_state["max_frames"] = 15
    at.button(key="play").click().run()  # runs of 4, 4, 4 and 3 frames
    assert session_state_size(at) == keys_after_three  # per-frame element keys are not kept
    trainer = at.session_state["trainer"]
    assert trainer.epoch - epoch_after_three == 15 * 5  # fifteen frames, across four runs


def test_snapshot_recorder_is_capped():
    from core.snapshots import DEFAULT_CAPACITY_BYTES, SnapshotRecorder

    assert DEFAULT_CAPACITY_BYTES <= 4 * 1024 * 1024
    recorder = SnapshotRecorder(capacity_bytes=64 * 1024)
    params = np.zeros(500)  # 4 kB each: 16 fit
    for epoch in range(5_000):
        recorder.record(epoch, params + epoch)
        assert recorder.nbytes <= 64 * 1024
    assert recorder.epochs[0] == 0 and recorder.epochs[-1] == 4_999


def test_upload_sizes_are_capped():
    from playground.io import session_file, uploads
    assert uploads.MAX_BYTES <= 1_000_000
    with pytest.raises(ValueError, match="limit"):
        uploads.parse_points_csv(b"x1,x2,label\n" + b"0,0,0\n" * (uploads.MAX_BYTES // 6 + 1))
    assert session_file.MAX_SESSION_BYTES <= 5 * 1024 * 1024
    with pytest.raises(ValueError, match="limit"):
        session_file.load_session_json(" " * (session_file.MAX_SESSION_BYTES + 1))


def test_streamlit_config_bounds_uploads_and_sends_no_usage_stats():
    import tomllib

    options = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert options["browser"]["gatherUsageStats"] is False
    max_upload_mb = options["server"]["maxUploadSize"]
    assert 1 <= max_upload_mb <= 5  # Streamlit's default is 200 MB per file
    from playground.io import uploads
    assert uploads.MAX_BYTES <= max_upload_mb * 1024 * 1024  # a valid CSV is never refused by the server
