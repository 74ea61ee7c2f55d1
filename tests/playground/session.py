"""The app under AppTest, shared by the playground's test modules."""

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from playground.session.keys import PAGE_WHOLE, PANEL
from playground.session.lazy import NAMES

APP = str(Path(__file__).resolve().parent / "app_script.py")  # streamlit_app.py with a frame budget


def open_panels() -> None:
    """In an AppTest script, before the page: every lazy panel (playground.session.lazy) starts
    open, as for a user who opened them all, and the first run draws the whole page (in a browser
    the page asks for it at once: app._whole_page), unless the test set those keys first."""
    for name in NAMES:
        PANEL(name).setdefault(True)
    PAGE_WHOLE.setdefault(True)


def app(closed: tuple[str, ...] = (), first_visit: bool = False, **params: str) -> AppTest:
    """A fresh session of the app, run once with `params` as its URL query parameters; every lazy
    panel open (app_script.py) but those named in `closed`, which are as a first visit leaves them.
    `first_visit`: the first run draws what a browser's first run draws (the views only)."""
    at = AppTest.from_file(APP, default_timeout=60)
    for name in closed:
        at.session_state[PANEL(name).name] = False
    if first_visit:
        at.session_state[PAGE_WHOLE.name] = False
    for name, value in params.items():
        at.query_params[name] = value
    return at.run()


# --- messages: plain text shown literally (session.messages) ---------------------------------------
# Read back the way CommonMark does: a run of n backticks opens a code span that the next run of
# exactly n closes (one space stripped from each end when both ends have one); elsewhere a
# backslash before ASCII punctuation stands for that mark.
_SPAN_OR_ESCAPE = re.compile(r"(?P<fence>`+)(?P<code>.*?[^`])(?P=fence)(?!`)|\\(?P<mark>[!-/:-@\[-`{-~])")
_MARK = re.compile(r"[!-/:-@\[-`{-~]")
# What remark-gfm links by itself, escapes or not (seen in Chromium: tests/e2e/test_user_text.py).
LINK_TRIGGER = re.compile(r"://|www\.|@|mailto:|xmpp:", re.IGNORECASE)


def read_markdown(markdown: str) -> tuple[str, list[str], str, str]:
    """(the text shown, the code spans' contents, the text shown outside them, what is left
    outside spans and escapes)."""
    spans = []

    def replace(match: re.Match, keep_code: bool = True) -> str:
        if match["mark"] is not None:
            return match["mark"]
        code = match["code"]
        if len(code) > 2 and code[0] == code[-1] == " ":
            code = code[1:-1]
        if keep_code:
            spans.append(code)
        return code if keep_code else " "
    shown_text = _SPAN_OR_ESCAPE.sub(replace, markdown)
    outside = _SPAN_OR_ESCAPE.sub(lambda m: replace(m, keep_code=False), markdown)
    return shown_text, spans, outside, _SPAN_OR_ESCAPE.sub("", markdown)


def shown(markdown: str) -> str:
    """The characters a message's Markdown source shows."""
    return read_markdown(markdown)[0]


def all_escaped(markdown: str) -> bool:
    """True when nothing in `markdown` can render as Markdown, KaTeX, HTML, a Streamlit directive
    or a link: every ASCII punctuation mark is backslash-escaped, except inside code spans, which
    hold only single words GitHub-flavoured Markdown would link."""
    _, spans, outside, rest = read_markdown(markdown)
    return (not _MARK.search(rest) and not LINK_TRIGGER.search(outside)
            and all(LINK_TRIGGER.search(code) and not re.search(r"\s", code) for code in spans))

