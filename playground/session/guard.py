"""No traceback reaches the page: a panel (or a chart) that fails shows one plain sentence in its
place, the rest of the page and the user's network keep working, and the details go to the
server log.

`guarded` draws one panel; `callback` wraps a widget callback (a failing one would otherwise end
the whole script run). Both catch `Exception` only: Streamlit's own control flow (`st.rerun`,
`st.stop`, a widget change stopping the play loop) raises `ScriptControlException`, a
BaseException, and passes through untouched. Whatever still escapes shows Streamlit's generic
message without details (`client.showErrorDetails = "none"` in .streamlit/config.toml).
It lives in session/ so that every layer above (panels, frame, app) can use it.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from playground.session import state

LOG = logging.getLogger("playground")
T = TypeVar("T")
P = ParamSpec("P")


def failure_sentence(what: str) -> str:
    """The one sentence a failed panel shows: "The math view could not be drawn just now; …"."""
    return f"{what} could not be drawn just now; the rest of the page works."


def guarded(what: str, draw: Callable[[], T], place: DeltaGenerator | None = None) -> T | None:
    """`draw()`'s result, or None when it raised: then the traceback is logged and the panel's
    place shows `failure_sentence(what)` instead of what it had drawn so far.

    what: the panel's name in the sentence ("The math view"). place: a placeholder (st.empty)
    that shows the sentence; without one, `draw` runs in a fresh placeholder here, which the
    sentence replaces.
    """
    slot = place if place is not None else st.empty()
    try:
        if place is not None:
            return draw()
        with slot.container():
            return draw()
    except Exception:  # noqa: BLE001 - the point: any failure stays inside its panel
        LOG.exception("%s failed; the page showed a one-sentence notice instead", what)
        slot.info(failure_sentence(what), icon=":material/error:")
        return None


def callback(what: str) -> Callable[[Callable[P, None]], Callable[P, None]]:
    """A widget callback that cannot end the script run: on an exception its traceback is logged
    and the page says, in one sentence, that `what` did not work ("Opening the lesson")."""
    def wrap(function: Callable[P, None]) -> Callable[P, None]:
        @functools.wraps(function)
        def run(*args: P.args, **kwargs: P.kwargs) -> None:
            try:
                function(*args, **kwargs)
            except Exception:  # noqa: BLE001 - as in `guarded`
                LOG.exception("%s failed (%s)", what, function.__qualname__)
                state.refuse(f"{what} did not work just now; the rest of the page works.")
        return run
    return wrap
