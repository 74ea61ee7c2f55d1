"""The offer at the top of a new session: the session this browser kept (session.backup) of an
earlier one that a server restart or a reload ended: restore it, or at least say what was lost."""

from __future__ import annotations

import streamlit as st

from playground.session import backup, keys, messages

RESTORABLE = ("Your previous session (epoch {epoch:,}) is no longer on the server: a server restart or a "
              "reload of the page ends a session. This browser kept its latest state.")
LOST = ("Your previous session (epoch {epoch:,}) was lost: a server restart or a reload of the page "
        "ended it, and it was too large for this browser to keep.")


def render() -> None:
    """The offer with Restore and Dismiss (or what was lost, with Dismiss); nothing without one."""
    offer = backup.offered()
    if offer is None:
        return
    epoch, restorable = offer
    messages.show((RESTORABLE if restorable else LOST).format(epoch=epoch), "warning")
    restore, dismiss, _ = st.columns([2, 2, 5])
    if restorable:
        restore.button("Restore it", key=keys.BACKUP_RESTORE.name, on_click=backup.restore,
                       type="primary", width="stretch")
    dismiss.button("Dismiss", key=keys.BACKUP_DISMISS.name, on_click=backup.dismiss, width="stretch")
