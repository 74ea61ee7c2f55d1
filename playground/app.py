"""The page: main() reads the sidebar into a Config, applies it, draws one frame, and while
playing runs the play loop.

While playing, the run does not end: a loop trains one frame's epochs and redraws the
placeholders (measured in Chromium: several times the frame rate of an
`st.fragment(run_every=...)`, whose every tick is a browser round trip). Streamlit stops the
loop at its next element update when a widget changes (the script then reruns from the top),
so Pause, Step, Reset and every control work during training.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable

import streamlit as st

from core import Trainer
from playground import frame
from playground.frame import Frame
from playground.live.pacing import Pacer, PlayingSessions
from playground.panels import controls
from playground.session import compare, data, replay, state, url
from playground.session.guard import guarded
from playground.session.keys import session_started
from playground.settings.config import Config

# Frames per script run. Streamlit keeps every element key of a run until the run ends; no chart
# takes a new key per frame while playing (live charts keep one per chart), but anything a run
# accumulates is bounded by a fresh run every FRAMES_PER_RUN frames, and playing goes on (about
# once a minute at full speed, the page redraws once).
FRAMES_PER_RUN = 1000


def main(keep_playing: Callable[[], bool] = lambda: True) -> None:
    """Draw the page for this session; `keep_playing()` is asked before each frame while
    playing (False pauses, as the Pause button does)."""
    frame.page_setup()
    lesson_id = None if session_started() else url.take_lesson()
    if lesson_id is not None:
        data.open_lesson_link(lesson_id)
    state.init_session()
    with st.sidebar:  # a failure leaves the setup as it was and says so in one sentence
        config = guarded("The controls", lambda: controls.render(state.config())) or state.config()
    state.apply_config(config)
    data.sync(config)  # the user's own points, when there are any
    state.sync_url()
    trainer = state.trainer()
    _after_training(trainer)
    frame.notices()
    page = frame.layout(trainer, _pacer(config))
    frame.draw(page, trainer, config)
    frame.finish(page, trainer, config)
    if not state.playing():
        return
    try:
        _play(page, trainer, config, keep_playing)
    finally:  # paused, stopped, or the tab closed: the other sessions share this one's frames
        page.pacer.stop()
    state.set_playing(False)


def _play(page: Frame, trainer: Trainer, config: Config, keep_playing: Callable[[], bool]) -> None:
    """Train and redraw frame after frame until paused, stopped or diverged."""
    for played in itertools.count():
        if played == FRAMES_PER_RUN:
            st.rerun()  # keeps playing in a fresh run; Streamlit frees this run's element keys
        if not keep_playing():
            return
        start = time.perf_counter()
        _train_frame(trainer, config, page.pacer.training_budget)
        _after_training(trainer)
        frame.draw(page, trainer, config)
        if trainer.diverged or trainer.stopped:
            state.set_playing(False)
            st.rerun()
        time.sleep(page.pacer.pause(time.perf_counter() - start))


def _after_training(trainer: Trainer) -> None:
    """After every frame or step: compare mode's B catches up, and a replay snapshot is kept."""
    compare.keep_in_step(trainer)
    replay.record(trainer)


def _train_frame(trainer: Trainer, config: Config, budget: float) -> None:
    """One frame's epochs: a fixed count, or at "max" as many as fit `budget` seconds."""
    if config.speed != "max":
        trainer.step(int(config.speed))
        return
    seconds = state.epoch_seconds()
    epochs = max(1, int(budget / seconds))
    start = time.perf_counter()
    done = trainer.step(epochs)
    if done:
        measured = (time.perf_counter() - start) / done
        state.set_epoch_seconds(0.5 * seconds + 0.5 * measured)


@st.cache_resource
def playing_sessions() -> PlayingSessions:
    """The server's one count of playing sessions (frame pacing only: no user data)."""
    return PlayingSessions()


def _pacer(config: Config) -> Pacer:
    return Pacer.for_config(compare.drawn_setups(config), playing_sessions(), state.pacing_token())
