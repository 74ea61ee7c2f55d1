"""streamlit_app.py for AppTest, with a frame budget: while playing, the app plays at most
st.session_state["max_frames"] frames (when a test sets it), then pauses as Pause would.

Every lazy panel (playground.session.lazy) starts open, as for a user who opened them all: the
tests read and press what is inside. A test sets keys.PANEL(name) False to see a panel closed."""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import streamlit as st  # noqa: E402

from playground.app import main  # noqa: E402
from tests.playground.session import open_panels  # noqa: E402

open_panels()


def frames_left() -> bool:
    """Spend one frame of the test's budget; False once it is spent (None: no budget)."""
    budget = st.session_state.get("max_frames")
    if budget is None:
        return True
    st.session_state["max_frames"] = budget - 1
    return budget > 0


main(keep_playing=frames_left)
