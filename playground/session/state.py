"""The session's training state: its Config, the Trainer built from it, play/pause, and the
one-time messages at the top of the page.

Everything user-specific lives in `st.session_state` (one per browser tab), under the keys of
`session.keys`; nothing here is module-level mutable state.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import replace

from core import Trainer
from playground.session import keys, locks, url
from playground.settings.build import build_trainer, make_data
from playground.settings.config import INIT_SEED_RANGE, RESET_FIELDS, Config


def init_session() -> None:
    """On a session's first run: read the URL into a Config and build its Trainer."""
    if keys.session_started():
        return
    config, report, hidden = url.read()
    keys.CONFIG.set(config)
    keys.URL_REPORT.set(report)
    keys.LINK_HIDDEN.set(hidden)
    keys.INIT_SEED.set(config.init_seed)
    keys.TRAINER.set(build_trainer(config, config.init_seed))
    keys.PLAYING.set(False)


def config() -> Config:
    return keys.CONFIG.get()


def trainer() -> Trainer:
    return keys.TRAINER.get()


def init_seed() -> int:
    return keys.INIT_SEED.get()


def playing() -> bool:
    return bool(keys.PLAYING.get())


def set_playing(value: bool) -> None:
    keys.PLAYING.set(value)


def hidden() -> tuple[str, ...]:
    """The controls this session's classroom link hides."""
    return locks.hidden()


def shown(control: str) -> bool:
    """False when the session's classroom link hides `control` (a config.HIDEABLE name), by
    name or because every change of it would break a lock (session.locks)."""
    return locks.shown(control)


def start(config: Config, trainer: Trainer | None = None) -> None:
    """Make `config` the session's settings and `trainer` (or a fresh one on the config's own
    data) its training, paused, with the config's stop conditions."""
    keys.CONFIG.set(config)
    keys.INIT_SEED.set(config.init_seed)
    keys.PLAYING.set(False)
    trainer = trainer or build_trainer(config, config.init_seed)
    trainer.set_stop(**config.stop)  # a loaded session's trainer gets the config's conditions
    keys.TRAINER.set(trainer)


def apply_config(new: Config) -> None:
    """Make `new` the session's Config: start training over, or update the Trainer in place."""
    old = config()
    if new == old:
        return
    keys.CONFIG.set(new)
    keys.URL_REPORT.pop()
    regenerated = keys.REGENERATE.pop() and new.changed(old) & RESET_FIELDS == {"seed"}
    current = trainer()
    if regenerated:  # Regenerate: new points from the same generator, the same network
        current.set_data(make_data(new))
    elif new.needs_reset(old):
        keys.INIT_SEED.set(new.init_seed)
        keys.TRAINER.set(build_trainer(new, new.init_seed))
        return
    current.learning_rate = new.learning_rate
    if (new.regularization, new.regularization_rate) != (old.regularization, old.regularization_rate):
        current.set_regularization(new.regularization, new.regularization_rate)
    if new.stop != old.stop:  # on the fly: the epoch count and the weights stay
        current.set_stop(**new.stop)


def rebuild(data=None) -> None:
    """A fresh trainer for the session's Config and initial weights, on `data` (default: the
    Config's own dataset)."""
    keys.TRAINER.set(build_trainer(config(), init_seed(), data=data))


def sync_url() -> None:
    """Keep the address bar equal to the session's setup."""
    url.write(config(), hidden())


def pacing_token() -> str:
    """This session's anonymous id among the server's playing sessions (frame pacing)."""
    return keys.PACING_TOKEN.setdefault(uuid.uuid4().hex)


def live_token() -> str:
    """This session's live-view channel token (live.hub)."""
    return keys.LIVE_TOKEN.setdefault(secrets.token_hex(16))


def next_seq() -> int:
    """The next frame number of this session's page (never repeats within the session)."""
    seq = keys.FRAME_SEQ.get() + 1
    keys.FRAME_SEQ.set(seq)
    return seq


# --- messages shown once at the top of the page ---------------------------------------------------

def notify(text: str) -> None:
    """An information line for the next run (e.g. what a lesson or an upload changed)."""
    keys.MESSAGES.set((*keys.MESSAGES.get(), ("info", text)))


def refuse(text: str) -> None:
    """A warning for the next run: an input was refused and the previous state kept."""
    keys.MESSAGES.set((*keys.MESSAGES.get(), ("warning", text)))


def take_messages() -> tuple[tuple[str, str], ...]:
    """The messages since the last run, warnings first, each shown once."""
    messages = keys.MESSAGES.pop()
    return tuple(sorted(messages, key=lambda m: m[0] != "warning"))


def url_notice() -> str | None:
    """What the link's parameters did where they did not simply apply; None once the setup
    changed, or when they all applied."""
    report = keys.URL_REPORT.get()
    return report.notice() if report else None


# --- buttons ---------------------------------------------------------------------------------------

def toggle_play() -> None:
    keys.PLAYING.set(not playing())


def step_once() -> None:
    """Train exactly one epoch and pause."""
    keys.PLAYING.set(False)
    trainer().step(1)


def reset() -> None:
    """Back to epoch 0 with freshly drawn initial weights: the next init seed (the data stay).
    While the classroom link fixes the initial weights, the same ones (as `reset_same`)."""
    if locks.fixes("init_seed"):
        reset_same()
        return
    current = config()
    keys.CONFIG.set(replace(current, init_seed=(current.init_seed + 1) % (INIT_SEED_RANGE[1] + 1)))
    reset_same()


def reset_same() -> None:
    """Back to epoch 0 with the same initial weights and data, so the run repeats exactly."""
    keys.INIT_SEED.set(config().init_seed)
    rebuild()
