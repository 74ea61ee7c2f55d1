"""The one way a message reaches the page: plain text in, every character shown as typed.

Messages are plain text built in io/ and session/, each user-supplied part (a link value, a file
name, a CSV cell, a session-file field) cut and quoted with settings.text.quoted. `show` escapes
the whole message (settings.text.message_markdown), so Markdown, KaTeX, Streamlit's
:directives: and HTML in user text render as the characters typed: no link, no image fetched,
no formula, no colour. Every info/warning/error/success box that can carry user text is drawn
here (tests/playground/test_user_text.py and tests/e2e/test_user_text.py check each source).
"""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from playground.settings.text import message_markdown

ICONS = {"info": None, "warning": "⚠️", "error": "🚫", "success": ":material/check_circle:"}


def show(text: str, kind: str = "info", place: DeltaGenerator | None = None,
         icon: str | None = None) -> None:
    """`text` (plain) as a `kind` box ("info", "warning", "error" or "success") in `place`
    (default: where the script is drawing), with `icon` or the kind's own."""
    draw = getattr(place if place is not None else st, kind)
    draw(message_markdown(text), icon=icon or ICONS[kind])
