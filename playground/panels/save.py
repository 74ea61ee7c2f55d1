"""Save and export: downloads made when clicked, and the session upload that continues exactly."""

from __future__ import annotations

import streamlit as st

from core import Trainer
from playground.io.export import history_csv, session_json, standalone_script
from playground.session import data, keys, state
from playground.settings.config import Config


def render(config: Config, trainer: Trainer) -> None:
    """The downloads (disabled while playing) and the session uploader with its error."""
    playing = state.playing()
    help_ = "Pause training first" if playing else None
    for label, make, name, mime in (
            ("Model and session (JSON)", lambda: session_json(trainer, config.to_dict()),
             "playground-session.json", "application/json"),
            ("Loss history (CSV)", lambda: history_csv(trainer.history), "loss-history.csv", "text/csv"),
            ("Standalone numpy script", lambda: standalone_script(trainer, "network.py"), "network.py",
             "text/x-python")):
        st.download_button(label, make, file_name=name, mime=mime, on_click="ignore", width="stretch",
                           disabled=playing, help=help_, key=keys.DOWNLOAD(name).name)
    st.caption("Figures as PNG: hover a chart and click its camera button.")
    st.file_uploader("Continue a saved session (JSON)", type=["json"], key=keys.SESSION_UPLOAD.name,
                     on_change=data.load_session)
    error = keys.SESSION_ERROR.pop()
    if error:
        st.error(error, icon="🚫")
