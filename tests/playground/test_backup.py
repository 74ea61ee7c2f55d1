"""The session kept in the browser (session.backup, the "backup" view of stage.js): what the page
is sent to keep, and the offer a new session makes from what the page kept. The browser's side
(localStorage, a real server restart) is tests/e2e/test_restart.py."""

import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from playground.io.session_file import load_session_json
from playground.session import backup
from playground.settings.config import DEFAULT
from tests.playground.session import app, shown
from tests.playground.views import frames, view

SETUP = {"dataset": "xor", "hidden": "3,2", "learning_rate": "0.1"}


def kept(at: AppTest) -> str | None:
    """The session file the last run sent the page to keep (None: nothing this run)."""
    arrays = view(at, "backup").arrays
    return bytes(arrays["session"]).decode() if "session" in arrays else None


def step(at: AppTest, times: int = 1) -> AppTest:
    for _ in range(times):
        at.button(key="step").click().run()
    return at


def answering_app(**params: str) -> AppTest:
    """The app with a hook: st.session_state["test_answer"] becomes the backup view's "stored"
    trigger, its callback run before the page, as Streamlit does when the page answers."""
    def script():
        import streamlit as st

        from playground import app
        from playground.session import backup

        answer = st.session_state.pop("test_answer", None)
        if answer is not None:
            st.session_state["pg-backup"] = {"stored": answer}
            backup.on_page_event()
        from tests.playground.session import open_panels

        open_panels()
        app.main()
    at = AppTest.from_function(script, default_timeout=60)
    for name, value in params.items():
        at.query_params[name] = value
    return at.run()


def answer(at: AppTest, value) -> AppTest:
    at.session_state["test_answer"] = value
    return at.run()


def warnings(at: AppTest) -> list[str]:
    return [shown(w.value) for w in at.warning]


def buttons(at: AppTest) -> set[str]:
    return {b.label for b in at.button}


# --- what the page is sent to keep --------------------------------------------------------------

def test_a_fresh_session_asks_the_page_and_keeps_nothing():
    at = app()
    backup_view = view(at, "backup")
    assert backup_view.static["asking"] is True and kept(at) is None
    assert len(backup_view.static["id"]) == 32


def test_after_a_step_the_page_keeps_the_whole_session_and_stops_asking():
    at = step(app(**SETUP), 3)
    trainer, config = at.session_state.trainer, at.session_state.config
    loaded = load_session_json(kept(at))
    assert loaded.trainer.epoch == 3 and loaded.config == config
    for mine, theirs in zip(trainer.net.weights + trainer.net.biases,
                            loaded.trainer.net.weights + loaded.trainer.net.biases, strict=True):
        assert np.array_equal(mine, theirs)
    assert np.array_equal(loaded.trainer.history.train_loss, trainer.history.train_loss)
    assert view(at, "backup").static["asking"] is False


def test_an_unchanged_session_is_not_sent_again():
    at = step(app())
    assert kept(at) is not None
    at.run()
    assert kept(at) is None
    at.checkbox(key="w_show_test").check().run()  # the settings changed: kept again
    assert json.loads(kept(at))["config"]["show_test"] is True


def test_a_reset_to_epoch_0_never_replaces_the_kept_session():
    at = step(app())
    at.button(key="reset").click().run()
    assert at.session_state.trainer.epoch == 0 and kept(at) is None


def last_frame_kept(at: AppTest) -> tuple[int, str] | None:
    """(epoch, session file) the last frame of a playing run sent to keep (AppTest sees only the
    last frame: each replaces the hidden element of the one before)."""
    header, arrays = frames(at)[-1]
    if "backup" not in header["slots"]:
        return None
    return header["slots"]["backup"]["epoch"], bytes(arrays[("backup", "session")]).decode()


def test_while_playing_the_page_keeps_it_every_few_seconds(monkeypatch, roomy_frames):
    monkeypatch.setattr(backup, "BACKUP_SECONDS", 0.0)
    monkeypatch.setattr(backup, "BACKUP_SHARE", 1e9)  # no wait for what it costs either
    at = app(speed="5")
    at.session_state["max_frames"] = 3
    at.button(key="play").click().run()
    epoch, text = last_frame_kept(at)
    assert epoch == 15 and load_session_json(text).trainer.epoch == 15


def test_while_playing_a_kept_session_waits_its_interval(roomy_frames):
    at = app(speed="5")
    at.session_state["max_frames"] = 3
    at.button(key="play").click().run()  # three frames in well under BACKUP_SECONDS
    assert last_frame_kept(at) is None and at.session_state.trainer.epoch == 15


# --- the offer after a restart ----------------------------------------------------------------------

def earlier_session() -> tuple[str, AppTest]:
    """A session of SETUP stepped 4 times, and the file its page keeps."""
    at = step(app(**SETUP), 4)
    return kept(at), at


def test_a_kept_session_is_offered_and_restored_exactly():
    text, earlier = earlier_session()
    at = answering_app()
    assert view(at, "backup").static["asking"] is True
    answer(at, {"epoch": 4, "session": text})
    assert any("Your previous session (epoch 4) is no longer on the server" in w for w in warnings(at))
    assert at.session_state.trainer.epoch == 0  # nothing changes before Restore
    at.button(key="backup_restore").click().run()
    trainer, before = at.session_state.trainer, earlier.session_state.trainer
    assert trainer.epoch == 4 and at.session_state.config == earlier.session_state.config
    for mine, theirs in zip(trainer.net.weights + trainer.net.biases,
                            before.net.weights + before.net.biases, strict=True):
        assert np.array_equal(mine, theirs)
    assert np.array_equal(trainer.history.test_loss, before.history.test_loss)
    assert "Restore it" not in buttons(at) and not any("previous session" in w for w in warnings(at))
    step(at)  # and it trains on exactly as the earlier session would have
    step(earlier)
    assert np.array_equal(at.session_state.trainer.net.params, earlier.session_state.trainer.net.params)


def test_a_session_too_large_for_the_browser_is_named_as_lost():
    at = answer(answering_app(), {"epoch": 12_345, "session": None})
    assert any("Your previous session (epoch 12,345) was lost" in w for w in warnings(at))
    assert "Restore it" not in buttons(at) and "Dismiss" in buttons(at)
    at.button(key="backup_dismiss").click().run()
    assert not any("previous session" in w for w in warnings(at))
    answer(at, {"epoch": 3, "session": None})  # answered: not offered again in this session
    assert not any("previous session" in w for w in warnings(at))


def test_a_broken_kept_session_changes_nothing_and_says_why():
    text, _ = earlier_session()
    document = json.loads(text)
    document["config"]["hidden"] = [3, 3]  # the model's shape no longer agrees
    at = answer(answering_app(), {"epoch": 4, "session": json.dumps(document)})
    at.button(key="backup_restore").click().run()
    assert at.session_state.trainer.epoch == 0 and at.session_state.config == DEFAULT
    assert any(w.startswith("The session kept in this browser could not be restored") for w in warnings(at))
    assert not at.exception


@pytest.mark.parametrize("value", [
    "junk", 3, None, [], {}, {"epoch": True, "session": None}, {"epoch": "3", "session": None},
    {"epoch": 0, "session": None}, {"epoch": -4, "session": None}, {"epoch": 1e3, "session": None},
    {"epoch": 10**13, "session": None},
])
def test_an_answer_that_is_not_a_kept_session_is_ignored(value):
    at = answer(answering_app(), value)
    assert not at.exception and not any("previous session" in w for w in warnings(at))


def test_a_session_field_that_is_not_text_offers_only_what_was_lost():
    at = answer(answering_app(), {"epoch": 9, "session": {"format": "x"}})
    assert any("(epoch 9) was lost" in w for w in warnings(at)) and "Restore it" not in buttons(at)


def test_a_session_that_trained_is_never_offered_another():
    at = step(answering_app())
    answer(at, {"epoch": 4, "session": earlier_session()[0]})
    assert view(at, "backup").static["asking"] is False
    assert "Restore it" in buttons(at)  # a stray answer still shows; it changes nothing unasked
