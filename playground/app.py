"""The page: sidebar controls, then the live view (toolbar, network diagram, surface, cost curve).

A full run reads the sidebar into a Config, applies it to the session's Trainer, keeps the URL
in sync and draws the live view. The live view is a fragment: while playing it reruns on its
own every FRAME_INTERVAL seconds, trains for one frame and redraws only itself.
"""

from __future__ import annotations

import time

import numpy as np
import streamlit as st

from core import Surface, Trainer
from playground import controls, state
from playground.config import Config
from playground.figures import cost_curve_figure, network_figure, surface_figure

FRAME_INTERVAL = 0.05  # seconds between fragment reruns while playing (the browser sets the pace)
FRAME_BUDGET = 0.04  # seconds of training per frame at speed "max"
SURFACE_RESOLUTION = 40
SURFACE_HEIGHT = 330
COST_HEIGHT = 190
NETWORK_HEIGHT = 420
CHART_CONFIG = {"displayModeBar": False}
DIVERGED = ("Training diverged (loss became NaN/∞) — the learning rate is probably too high; "
            "lower it and press Reset.")
CSS = """
<style>
.block-container {padding-top: 1.2rem; padding-bottom: 0.5rem; max-width: 100%;}
section[data-testid="stSidebar"] {width: 300px !important;}
section[data-testid="stSidebar"] .block-container {padding-top: 0.5rem;}
[data-testid="stSidebarHeader"] {height: 1.5rem; padding: 0.25rem 1rem;}
[data-testid="stSidebarUserContent"] {padding-top: 0;}
[data-testid="stExpander"] details summary {padding: 0.3rem 0.75rem;}
.pg-stats {display: flex; gap: 1.4rem; align-items: baseline; flex-wrap: wrap;}
.pg-stats div {display: flex; flex-direction: column; line-height: 1.15;}
.pg-stats small {color: #666; font-size: 0.75rem;}
.pg-stats span {font-size: 1.35rem; font-variant-numeric: tabular-nums;}
</style>
"""


def main() -> None:
    st.set_page_config(page_title="Neural network playground", page_icon="🧠", layout="wide",
                       initial_sidebar_state="expanded")
    st.html(CSS)
    state.init_session()
    config = controls.sidebar(state.config())
    state.apply_config(config)
    state.sync_url(config)
    _notices()
    playing = st.session_state.playing
    live = st.fragment(run_every=FRAME_INTERVAL if playing else None)(live_view)
    live(playing)


def _notices() -> None:
    ignored = st.session_state.get("url_ignored")
    if ignored:
        st.warning("Some link parameters were invalid and fell back to their defaults: "
                   + ", ".join(ignored), icon="⚠️")
    notice = st.session_state.pop("notice", None)
    if notice:
        st.info(notice)


def live_view(registered_playing: bool) -> None:
    """Toolbar, figures and one frame of training. Reruns alone every frame while playing."""
    if st.session_state.playing != registered_playing:
        st.rerun(scope="app")  # Play/Pause pressed here: re-register with the new timer
    config, trainer = state.config(), state.trainer()
    if registered_playing:
        _train_frame(trainer, config)
        if trainer.diverged:
            st.session_state.playing = False
            st.rerun(scope="app")
    _toolbar(trainer)
    if trainer.diverged:
        st.error(DIVERGED, icon="🚨")
    surface = trainer.surface(SURFACE_RESOLUTION)
    left, right = st.columns([11, 9], gap="small")
    with left:
        _network(trainer, config, surface)
    with right:
        _surface(trainer, config, surface)
        controls.view_toggles()
        _cost_curve(trainer, config)


def _train_frame(trainer: Trainer, config: Config) -> None:
    """One frame's epochs: a fixed count, or at "max" as many as fit FRAME_BUDGET."""
    if config.speed != "max":
        trainer.step(int(config.speed))
        return
    seconds = st.session_state.get("epoch_seconds", 0.002)
    epochs = max(1, int(FRAME_BUDGET / seconds))
    start = time.perf_counter()
    done = trainer.step(epochs)
    if done:
        measured = (time.perf_counter() - start) / done
        st.session_state.epoch_seconds = 0.5 * seconds + 0.5 * measured


def _toolbar(trainer: Trainer) -> None:
    play, step, reset, stats = st.columns([1.1, 1, 1, 8], vertical_alignment="center")
    playing = st.session_state.playing
    play.button("Pause" if playing else "Play", key="play", icon=":material/pause:" if playing
                else ":material/play_arrow:", type="primary", on_click=state.toggle_play,
                width="stretch", disabled=trainer.diverged and not playing)
    step.button("Step", key="step", icon=":material/skip_next:", on_click=state.step_once,
                width="stretch", disabled=trainer.diverged)
    reset.button("Reset", key="reset", icon=":material/replay:", on_click=state.reset, width="stretch")
    stats.markdown(stats_html(trainer), unsafe_allow_html=True)


def _format_loss(value: float) -> str:
    return f"{value:.4f}" if np.isfinite(value) else "NaN"


def _format_accuracy(value: float) -> str:
    return f"{100 * value:.1f} %" if np.isfinite(value) else "—"


def stats_html(trainer: Trainer) -> str:
    """Epoch, losses and accuracies as labelled numbers with stable element ids."""
    train_loss, test_loss, train_accuracy, test_accuracy = trainer.evaluate()
    items = [("Epoch", "epoch-counter", f"{trainer.epoch:,}"),
             ("Train loss", "train-loss", _format_loss(train_loss)),
             ("Test loss", "test-loss", _format_loss(test_loss))]
    if trainer.data.kind == "classification":
        items += [("Train accuracy", "train-accuracy", _format_accuracy(train_accuracy)),
                  ("Test accuracy", "test-accuracy", _format_accuracy(test_accuracy))]
    cells = "".join(f'<div><small>{label}</small><span id="{id_}">{text}</span></div>'
                    for label, id_, text in items)
    return f'<div class="pg-stats">{cells}</div>'


def _chart(figure, key: str, height: int) -> None:
    figure.layout.height = height
    st.plotly_chart(figure, key=key, config=CHART_CONFIG, theme=None)


def _display_output(output: np.ndarray, config: Config) -> np.ndarray:
    """A binary tanh output lives in [-1, 1]; the surface reads class-1 confidence in [0, 1]."""
    if config.problem == "binary" and config.output_activation == "tanh":
        return (output + 1) / 2
    return output


def _surface(trainer: Trainer, config: Config, surface: Surface) -> None:
    data = trainer.data
    test = (data.X_test, data.labels_test) if config.show_test else (None, None)
    figure = surface_figure(surface.xs, surface.ys, _display_output(surface.output, config),
                            data.kind, data.n_classes, data.X_train, data.labels_train,
                            *test, discretize=config.discretize)
    _chart(figure, "surface", SURFACE_HEIGHT)


def _cost_curve(trainer: Trainer, config: Config) -> None:
    history = trainer.history
    figure = cost_curve_figure(history.epochs, history.train_loss, history.test_loss,
                               log_scale=config.log_scale)
    _chart(figure, "cost", COST_HEIGHT)


def _network(trainer: Trainer, config: Config, surface: Surface) -> None:
    net = trainer.net
    images = list(surface.neurons)
    if config.output_activation in ("sigmoid", "softmax"):
        images[-1] = images[-1] - 1 / max(2, images[-1].shape[0])  # centre on "undecided"
    names = ["inputs", *(f"hidden {i + 1}" for i in range(len(config.hidden))), "output"]
    figure = network_figure(names, images, list(net.weights), list(net.biases),
                            input_labels=[controls.FEATURE_LABELS[f] for f in config.features])
    _chart(figure, "network", NETWORK_HEIGHT)
