"""The page: main() reads the sidebar into a Config, applies it, draws the live view once, and
while playing runs the play loop.

While playing, the run does not end: a loop trains, sends one frame of every view to the page
(live.stage) and, once the page has started drawing it, the next (built while the page draws).
Reading the session's state each frame is a yield point: Streamlit stops the loop there when a
widget changes (the script then reruns from the top), so Pause, Step, Reset and every control
work during training.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable

import streamlit as st

from core import Trainer
from playground import frame
from playground.frame import Frame
from playground.live import early
from playground.live.budget import FrameBudget
from playground.live.pacing import Pacer, PlayingSessions, frame_trained, speed_note
from playground.panels import controls
from playground.session import backup, compare, data, keys, replay, state, url, widgets
from playground.session.guard import guarded
from playground.session.keys import session_started
from playground.settings.config import Config

# Frames per script run: a fresh run every FRAMES_PER_RUN frames bounds whatever a run keeps
# (Streamlit keeps a run's element keys until it ends), and playing goes on.
FRAMES_PER_RUN = 1000
PARTIAL_PAGE = "pg-partial-page"  # the key of an empty element in a first visit's first run
PAUSED_BY_FAILURE = ("The live view could not be drawn just now, so training paused; the rest of the page "
                     "works.")


def main(keep_playing: Callable[[], bool] = lambda: True) -> None:
    """Draw the page for this session; `keep_playing()` is asked before each frame while
    playing (False pauses, as the Pause button does)."""
    lesson_ids = () if session_started() else url.take_lesson()
    if lesson_ids:
        data.open_lesson_link(lesson_ids)
    state.init_session()
    config = widgets.current_config(state.config())  # the widgets' state: drawn after the charts
    state.apply_config(config)
    data.sync(config)  # the user's own points, when there are any
    state.sync_url()
    trainer = state.trainer()
    _after_training(trainer)
    # The page's first elements are placeholders every run draws, filled or not: an element that
    # only some runs draw moves the toolbar and the views to other paths, and the browser keeps
    # the old element at the old path until the run ends (a playing run does not end: a second,
    # faded toolbar stayed above the real one while playing).
    answer_place, notices_place = st.empty(), st.empty()
    if not backup.rest_asked():  # that page shows this picture already (see _whole_page)
        guarded("The live view", lambda: early.send_answer(trainer, config),  # a click's new picture first
                place=answer_place)
    whole = _whole_page()
    frame.page_setup(config.projector)
    if whole:  # each message is shown once: in the run that draws the whole page
        frame.notices(notices_place)
    page = frame.layout(trainer, config, _pacer(config))
    frame.draw(page, trainer, config, ask_rest=not whole)
    if not whole:
        st.sidebar.container(key=PARTIAL_PAGE).caption("Loading the controls…")  # tests wait on it
        return
    with st.sidebar:  # a failure leaves the setup as it was and says so in one sentence
        page.speed_note = guarded("The controls", controls.render)
    _say_speed(page, trainer, config)
    frame.finish(page, trainer, config)
    if not state.playing():
        return
    try:
        _play(page, trainer, config, keep_playing)
    finally:  # paused, stopped, or the tab closed: the other sessions share this one's frames
        page.pacer.stop()
    state.set_playing(False)


def _whole_page() -> bool:
    """False in a first visit's first run: it draws the toolbar and the live views only, and the
    page asks for the next run once it has drawn them (stage.js, the backup view's "rest"); every
    later run, whatever starts it, draws the whole page. The sidebar's controls and the panels
    took the browser longer to render than the views: measured in Chromium on 2 cores, the first
    picture came 1.9 s after navigation instead of 2.7 (medians of 10, interleaved)."""
    whole = keys.PAGE_WHOLE.get() or state.playing()
    keys.PAGE_WHOLE.set(True)
    return whole


def _play(page: Frame, trainer: Trainer, config: Config, keep_playing: Callable[[], bool]) -> None:
    """Train and send frame after frame until paused, stopped or diverged. The next frame is
    trained and built while the page draws the last one, and sent once the page has taken that
    one (it holds at most one frame it has not started drawing)."""
    sent = None
    publisher = page.publisher
    for played in itertools.count():
        if played == FRAMES_PER_RUN:
            st.rerun()  # keeps playing in a fresh run; Streamlit frees this run's element keys
        if not keep_playing() or not state.playing():
            return
        start = time.perf_counter()
        page.pacer.acked = publisher.acked
        taken = (lambda: True) if sent is None else (lambda seq=sent: publisher.taken(seq))
        epochs = _train_frame(trainer, config, page.pacer.training_budget, taken)
        _say_speed(page, trainer, config, epochs)
        _after_training(trainer)
        message = guarded("The live view", lambda: frame.play_frame(page, trainer, config), place=page.banner)
        if message is None:  # logged; the page says so in one sentence, paused, the network kept
            state.set_playing(False)
            state.refuse(PAUSED_BY_FAILURE)
            st.rerun()
        if sent is not None:
            publisher.wait_taken(sent)
        publisher.publish(message)
        sent = message.seq
        if trainer.diverged or trainer.stopped:
            state.set_playing(False)
            st.rerun()
        time.sleep(page.pacer.pause(time.perf_counter() - start))


def _after_training(trainer: Trainer) -> None:
    """After every frame or step: compare mode's B catches up, and a replay snapshot is kept."""
    compare.keep_in_step(trainer)
    replay.record(trainer)


def _train_frame(trainer: Trainer, config: Config, budget: tuple[float, float],
                 taken: Callable[[], bool]) -> int:
    """One frame's epochs, in chunks within `budget` = (least, most) seconds: at "max" until the
    page has taken the last frame, at a fixed speed until its count is done, and at any speed
    no longer than the most (pacing.frame_trained); returns how many ran.

    The first chunk is one epoch and each next chunk is sized from this frame's own seconds per
    epoch (never past a fixed speed's count): a setup that just grew (or a loaded machine)
    overshoots `most` by at most one epoch, with no estimate carried between frames.
    """
    least, most = budget
    start = time.perf_counter()
    epochs, chunk = 0, 1
    while True:
        done = trainer.step(chunk)
        epochs += done
        elapsed = time.perf_counter() - start
        if not done or frame_trained(config.speed, epochs, elapsed, budget, taken):
            return epochs
        target = least - elapsed if elapsed < least else min(least, most - elapsed)
        chunk = max(1, int(target * epochs / elapsed)) if elapsed > 0 else 2 * chunk
        if config.speed != "max":
            chunk = min(chunk, int(config.speed) - epochs)


def _say_speed(page: Frame, trainer: Trainer, config: Config, epochs: int | None = None) -> None:
    """Under the speed control: how many epochs a frame trains when the setup is too heavy for
    the chosen speed (`epochs`: this frame's, kept for the next run; written only when it changes)."""
    if epochs is not None and not (trainer.stopped or trainer.diverged):  # a stop is not a cap
        state.set_frame_epochs(trainer, config.speed, epochs)
    text = speed_note(config.speed, state.frame_epochs(trainer, config.speed))
    if page.speed_note is None or text == page.speed_text:
        return
    if text:
        page.speed_note.caption(text)
    else:
        page.speed_note.empty()
    page.speed_text = text


@st.cache_resource
def playing_sessions() -> PlayingSessions:
    """The server's one count of playing sessions and its frame budget (frame pacing only: no
    user data). The budget is the CPU this process gets, or what the operator set (live.budget)."""
    return PlayingSessions(budget=FrameBudget.for_this_machine())


def _pacer(config: Config) -> Pacer:
    return Pacer.for_config(compare.drawn_setups(config), playing_sessions(), state.pacing_token())
