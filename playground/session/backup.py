"""The session kept in the browser, so that a server restart loses nothing.

A Streamlit session lives in the server's memory: a restart (a redeploy, Community Cloud putting
the app to sleep) or a reload of the page ends it, and the page comes back at epoch 0. So the
page keeps the latest state of the session in the browser's localStorage (the "backup" view of
live/assets/stage.js): the Save panel's session file (io.export.session_json: weights, epoch,
history within its cap, optimizer state and shuffling, the data with the user's own points),
sent after every change while paused and every BACKUP_SECONDS while playing — less often when
building it costs more than BACKUP_SHARE of that time (a full 20,000-row history: ~0.16 s).

A new session at epoch 0 asks the page whether it keeps an earlier session; the page answers with
it (`on_page_event`), the top of the page offers it (panels.restore), and Restore goes through
the same validated, atomic loader as an uploaded file (data.continue_session). Compare mode's
setup B and the replay snapshots are not kept: they are not part of a session file.
"""

from __future__ import annotations

import time
import uuid
import weakref

from core import Trainer
from playground.io.export import session_json
from playground.io.session_file import MAX_SESSION_BYTES
from playground.session import data, keys, state
from playground.settings.config import Config

BACKUP_SECONDS = 5.0  # while playing, the kept session is at most this old (plus one frame)
BACKUP_SHARE = 0.02  # ... unless building it would take more than this share of the time
MAX_EPOCH = 10**12  # an epoch the page reports above this is not a kept session of this app


def session_id() -> str:
    """This session's anonymous id in the browser's store (not the live-view token: a kept
    session never holds a secret)."""
    return keys.BACKUP_ID.setdefault(uuid.uuid4().hex)


def due(trainer: Trainer, config: Config, playing: bool) -> bytes | None:
    """The session file (UTF-8 JSON) for the page to keep now, or None: nothing trained yet
    (epoch 0 never replaces a kept session), nothing changed since the last one, or while
    playing not yet BACKUP_SECONDS (or the cost's share) since it."""
    if trainer.epoch == 0:
        return None
    mark = keys.BACKUP_MARK.get()  # (weakref to the Trainer, epoch, Config, when, seconds it took)
    now = time.monotonic()
    if mark is not None:
        if mark[0]() is trainer and mark[1] == trainer.epoch and mark[2] == config:
            return None
        if playing and now - mark[3] < max(BACKUP_SECONDS, mark[4] / BACKUP_SHARE):
            return None
    start = time.perf_counter()
    try:
        text = session_json(trainer, config.to_dict())
    except ValueError:  # a non-finite weight (diverged): a session file cannot hold it
        return None
    keys.BACKUP_MARK.set((weakref.ref(trainer), trainer.epoch, config, now, time.perf_counter() - start))
    return text.encode()


def asking(trainer: Trainer) -> bool:
    """True while this session asks the page for an earlier session it keeps: nothing kept by
    this session yet, at epoch 0, and no offer answered."""
    return keys.BACKUP_MARK.get() is None and trainer.epoch == 0 and not keys.BACKUP_ANSWERED.get()


def on_page_event() -> None:
    """The backup view's answer: {"epoch": int, "session": the file's text, or None when the
    browser could not keep it (too large)}. Anything else from the page is ignored."""
    event = (keys.STAGE("backup").get() or {}).get("stored")
    if not isinstance(event, dict) or keys.BACKUP_ANSWERED.get():
        return
    epoch, text = event.get("epoch"), event.get("session")
    if not (isinstance(epoch, int) and not isinstance(epoch, bool) and 0 < epoch <= MAX_EPOCH):
        return
    if text is not None and not (isinstance(text, str) and len(text) <= MAX_SESSION_BYTES):
        text = None
    keys.BACKUP_OFFER.set((epoch, text))


def on_rest_asked() -> None:
    """The page drew a first visit's views and asks for the rest: the rerun this trigger starts
    draws the whole page (app._whole_page), so nothing is left to do here."""


def rest_asked() -> bool:
    """True in the run a first visit's page started by asking for the rest."""
    return bool((keys.STAGE("backup").get() or {}).get("rest"))


def offered() -> tuple[int, bool] | None:
    """(the kept session's epoch, whether it can be restored), while it is offered."""
    offer = keys.BACKUP_OFFER.get()
    return None if offer is None else (offer[0], offer[1] is not None)


def restore() -> None:
    """The offer's Restore button: the kept session, validated whole, or nothing changes and a
    warning says why."""
    offer = keys.BACKUP_OFFER.pop()
    keys.BACKUP_ANSWERED.set(True)
    if offer is None or offer[1] is None:
        return
    error = data.continue_session(offer[1])
    if error is not None:
        state.refuse(f"The session kept in this browser could not be restored: {error}")


def dismiss() -> None:
    """The offer's Dismiss button: it is not offered again in this session."""
    keys.BACKUP_OFFER.pop()
    keys.BACKUP_ANSWERED.set(True)
