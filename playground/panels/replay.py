"""Replay: after pausing, a slider over the kept snapshots scrubs back through training."""

from __future__ import annotations

import streamlit as st

from core import Trainer
from core.snapshots import DEFAULT_CAPACITY_BYTES
from playground.session import replay


def render(trainer: Trainer) -> None:
    """A timeline slider over the kept snapshots (nothing while playing or with one snapshot)."""
    if not replay.can_replay(trainer):
        return
    epochs = replay.recorder(trainer).epochs
    st.select_slider("Replay: epoch", epochs, value=epochs[-1], key=replay.slider_key(trainer),
                     help=f"{len(epochs)} snapshots kept (every epoch early on, then spaced out; at "
                          f"most {DEFAULT_CAPACITY_BYTES // 2**20} MB). Drag to scrub the surface, "
                          "the network and the cost curve back through training.")
