"""Every number and every user-supplied string the page prints goes through here.

Numbers: one compact format everywhere (stats row, metrics, math view, hover text, the editor):
at most NUMBER_WIDTH characters, `digits` significant digits, scientific notation outside
[1e-3, 1e6), NaN and ±∞ by name ("NaN", "∞", "−∞"). A diverged loss of 10²⁷¹ prints as
"1.71e+271", never as 277 digits.

User text (link values, file names, CSV cells, session-file fields): `clip` cuts it to
CLIP_CHARS characters on one line; `markdown_literal` escapes it so that Markdown, KaTeX,
Streamlit's directives (:red[…], :material/…:) and HTML all render as the characters typed.
Messages are built as plain text with their user parts `quoted`, and `message_markdown` turns a
whole message into the Markdown the page shows (session.messages.show is the one caller).
"""

from __future__ import annotations

import math
import re

NUMBER_WIDTH = 10  # "-1.71e+271" is the widest a float prints
CLIP_CHARS = 40
MESSAGE_CHARS = 400  # a whole message; its user parts are already CLIP_CHARS each
NAN, INF, NEG_INF = "NaN", "∞", "−∞"
_FIXED_RANGE = (1e-3, 1e6)  # |x| in this range prints in fixed notation
# CommonMark lets a backslash escape any ASCII punctuation; KaTeX's $ and Streamlit's : too.
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
# Words remark-gfm links by itself, escaped or not: a URL scheme, www., an e-mail address.
_AUTOLINKED = re.compile(r"\S*(?:://|www\.|@|mailto:|xmpp:)\S*", re.IGNORECASE)


def number(value: float, digits: int = 4) -> str:
    """`value` in at most NUMBER_WIDTH characters: "0.02617", "3.142", "1.71e+271", "NaN", "∞".

    digits: significant digits (1-4 keep every output within NUMBER_WIDTH).
    Raises TypeError for a value that is not a real number.
    """
    value = float(value)
    if math.isnan(value):
        return NAN
    if math.isinf(value):
        return INF if value > 0 else NEG_INF
    if value == 0:
        return "0"
    if _FIXED_RANGE[0] <= abs(value) < _FIXED_RANGE[1]:
        text = f"{value:.{digits}g}"
        if "e" not in text:
            return text
    for kept in range(max(digits, 1), 0, -1):  # a three-digit exponent leaves room for fewer
        mantissa, exponent = f"{value:.{kept - 1}e}".split("e")
        mantissa = mantissa.rstrip("0").rstrip(".") if "." in mantissa else mantissa
        text = f"{mantissa}e{int(exponent):+03d}"
        if len(text) <= NUMBER_WIDTH:
            break
    return text


def latex_number(value: float, digits: int = 4) -> str:
    """`number(value)` as LaTeX: 1.71 \\times 10^{271}, \\text{NaN}, \\infty, -\\infty."""
    text = number(value, digits)
    if text in (NAN, INF, NEG_INF):
        return {NAN: r"\text{NaN}", INF: r"\infty", NEG_INF: r"-\infty"}[text]
    if "e" in text:
        mantissa, exponent = text.split("e")
        return rf"{mantissa} \times 10^{{{int(exponent)}}}"
    return text


def percent(value: float) -> str:
    """A fraction as a percentage with one decimal ("95.2 %"); "—" when undefined (NaN)."""
    value = float(value)
    return f"{100 * value:.1f} %" if math.isfinite(value) else "—"


def clip(text: object, limit: int = CLIP_CHARS) -> str:
    """User text on one line, control characters removed, at most `limit` characters ("…" marks
    a cut). Plain text: escape it with `markdown_literal` where Markdown renders."""
    text, size = str(text), 4 * limit
    while size < len(text):  # a long text is cleaned only as far as is shown (a 4 MB field: 0.15 s)
        head = _CONTROL.sub(" ", text[:size])
        if len(head) > limit:  # a run of control characters cut at `size` is still one space
            return head[:limit - 1] + "…"
        size *= 4
    text = _CONTROL.sub(" ", text)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def quoted(text: object, limit: int = CLIP_CHARS) -> str:
    """`clip(text)` between quotes, for messages: 'abc'."""
    return f"'{clip(text, limit)}'"


def markdown_literal(text: str) -> str:
    """`text` escaped so that st.markdown (and st.info, st.error, …) shows exactly its characters:
    every ASCII punctuation mark gets a backslash (CommonMark escapes it; that covers Markdown
    links and images, emphasis, code, HTML tags, KaTeX's $ and Streamlit's :directives:). A word
    GitHub-flavoured Markdown would turn into a link by itself (http://…, www.…, a@b.c) is a
    code span instead: remark-gfm finds those in the text after escapes are undone."""
    text, parts, done = _CONTROL.sub(" ", text), [], 0
    for word in _AUTOLINKED.finditer(text):
        parts += [_PUNCTUATION.sub(r"\\\1", text[done:word.start()]), _code_span(word.group())]
        done = word.end()
    return "".join([*parts, _PUNCTUATION.sub(r"\\\1", text[done:])])


def _code_span(text: str) -> str:
    """`text` as an inline code span: a fence of more backticks than any run inside, and a space
    on each side (which CommonMark removes) when it starts or ends with a backtick."""
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def message_markdown(text: str) -> str:
    """A plain-text message as Markdown that shows exactly its characters: one line, at most
    MESSAGE_CHARS characters (a bound for the whole; user parts are cut to CLIP_CHARS before)."""
    return markdown_literal(clip(text, MESSAGE_CHARS))
