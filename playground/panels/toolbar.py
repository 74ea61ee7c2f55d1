"""The toolbar above the charts: Play/Pause, Step, Reset and "Same start"."""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from core import Trainer
from playground.session import keys, locks, state

TOOLBAR_WIDTHS = {"play": 1.25, "step": 1.1, "reset": 1.2, "same": 1.45}
TOOLBAR_TOTAL = 10.55  # the stats take what the buttons leave
RESET_FIXED_HELP = "Back to epoch 0 with the initial weights this classroom link fixes"


def render(trainer: Trainer) -> DeltaGenerator:
    """The buttons the classroom link does not hide; returns the column that holds the stats."""
    playing = state.playing()
    blocked = trainer.diverged or trainer.stopped is not None  # see the banner
    names = [n for n in ("play", "step", "reset", "same") if state.shown("reset" if n == "same" else n)]
    widths = [TOOLBAR_WIDTHS[n] for n in names]
    *cells, stats = st.columns([*widths, TOOLBAR_TOTAL - sum(widths)], vertical_alignment="center")
    cell = dict(zip(names, cells, strict=True))
    if "play" in cell:
        cell["play"].button("Pause" if playing else "Play", key=keys.PLAY.name, type="primary",
                            icon=":material/pause:" if playing else ":material/play_arrow:",
                            on_click=state.toggle_play, width="stretch", disabled=blocked and not playing)
    if "step" in cell:
        cell["step"].button("Step", key=keys.STEP.name, icon=":material/skip_next:",
                            on_click=state.step_once, width="stretch", disabled=blocked)
    if "reset" in cell:
        cell["reset"].button("Reset", key=keys.RESET.name, icon=":material/replay:", on_click=state.reset,
                             width="stretch", help=RESET_FIXED_HELP if locks.fixes("init_seed")
                             else "Back to epoch 0 with new initial weights")
        cell["same"].button("Same start", key=keys.RESET_SAME.name, icon=":material/restart_alt:",
                            on_click=state.reset_same, width="stretch",
                            help="Back to epoch 0 with the same initial weights and data, so the "
                                 "run repeats exactly")
    return stats


def stopped_notice(reason: str) -> str:
    """The banner when a stop condition paused training."""
    return (f"Training stopped: {reason}. Raise or clear the stop condition (Training) to go on, "
            "or press Reset.")
