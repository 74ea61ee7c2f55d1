"""A click's answer before the page's rerun: the new picture over the live WebSocket first.

A click (Step, Reset, a typed weight, the replay slider) reruns the whole script, and the browser
renders the rerun's elements before it mounts the live views again: 450–750 ms from the click to
the new picture in Chromium on 2 cores. When the page's live WebSocket is open, the paused run
sends the stats, the diagram's links and neurons and the surface's picture first, as one frame
like those of a playing run (live.payload), drawn at the browser's next animation frame; the
mounts that follow carry the views' static parts (the diagram's layout, the points) as before. A
frame that does not fit the drawn diagram (another layer count) is left for the mount:
stage.js checks its link and neuron counts against the diagram it has.

The run then waits (at most ANSWER_WAIT_S) until the page has taken the frame to draw before it
sends its elements: while the browser renders Streamlit's messages it cannot draw, and measured
in Chromium the frame otherwise reached the page's script 45–105 ms after the server sent it
(click to picture 145–190 ms; with the wait 90–155 ms).
"""

from __future__ import annotations

import numpy as np

from core import Trainer
from playground.live import views
from playground.live.payload import Message
from playground.live.stage import Publisher
from playground.session import editing, replay, state
from playground.settings.config import Config

# Seconds a paused run waits for the page to take its early frame (a hidden tab draws nothing).
ANSWER_WAIT_S = 0.15


def answer_message(trainer: Trainer, config: Config) -> Message | None:
    """The frame a paused run sends ahead of its mounts, or None when the mounts must draw alone
    (playing: the play loop sends frames; the Gradients view: its diagram is another frame)."""
    if state.playing() or config.gradients:
        return None
    sizes = trainer.net.layer_sizes
    shown = editing.focus(sizes)
    with replay.replaying(trainer) as replayed:  # what the mount shows: a replayed snapshot too
        grid = views.compute_surface(trainer)
        stats = views.stats_items(trainer, replayed)
        network = views.network_frame(trainer, grid, hover=False, picked=editing.picked(sizes), focus=shown)
        png = views.surface_png(trainer, config, grid, shown)
    message = Message(state.next_seq())
    message.add("stats", {"items": stats})
    message.add("network", *network)
    message.add("surface", {}, {"png": np.frombuffer(png, dtype=np.uint8)})
    return message


def send_answer(trainer: Trainer, config: Config) -> bool:
    """Send answer_message to this session's page when its live WebSocket is open, and wait until
    the page has taken it or ANSWER_WAIT_S passed; True if sent."""
    publisher = Publisher(state.live_token(), fallback=None)
    if not publisher.acked:
        return False
    message = answer_message(trainer, config)
    if message is None:
        return False
    publisher.publish(message)
    publisher.wait_taken(message.seq, ANSWER_WAIT_S)
    return True
