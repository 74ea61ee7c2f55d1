"""User text in the page's messages is literal and short: every message that can echo input, fed
Markdown, KaTeX, HTML and Streamlit-directive payloads (AppTest: the Markdown *source* of each
message; tests/e2e/test_user_text.py checks what Chromium renders).

Each source echoes its user part cut to 40 characters on one line (`clipped` restates the rule
here) between quotes, and the message's source escapes every mark: `all_escaped` reads it the
way CommonMark does, independently of settings.text.
"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from playground.io.export import session_json
from playground.settings.build import build_trainer
from playground.settings.config import Config
from playground.settings.lessons import LESSONS_BY_ID
from tests.playground.session import all_escaped, app, shown

PAYLOADS = ["[x](http://evil.example)", "![i](http://127.0.0.1:1/x.png)", ":red[styled]",
            r"$\rule{839px}{419px}$", "<img src=x onerror=alert(1)>", "**bold**", "`code`",
            "www.evil.example", "a@evil.example", ":material/home: :smile:", "# heading",
            "a" * 130_000, "x\ny\r\n:blue[z]\u2028$$", "`` ` ``", "\\$x\\$"]
payloads = st.one_of(st.sampled_from(PAYLOADS), st.text(min_size=1, max_size=60),
                     st.text(alphabet="[]()!*_`$\\<>:#~|@./ abcw", min_size=1, max_size=60))


def file_name(payload: str, extension: str) -> str:
    """`payload` as an uploaded file's name. Without NUL: no file system or file picker makes one,
    and Streamlit itself refuses it ("Filename cannot contain null bytes.") before the app runs."""
    return payload.replace("\0", "") + extension


def clipped(text: str) -> str:
    """The page's rule for user text: control characters and line breaks become one space, and
    more than 40 characters are cut to 39 and an ellipsis."""
    text = re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+", " ", text)
    return text if len(text) <= 40 else text[:39] + "…"


def check(sources: list[str], payload: str) -> None:
    """Some message shows `payload` clipped and quoted; every message is literal and bounded."""
    assert sources, "no message was shown"
    assert all(all_escaped(source) for source in sources), sources
    assert all(len(shown(source)) <= 400 for source in sources)
    assert any(f"'{clipped(payload)}'" in shown(source) for source in sources), (payload, sources)


def messages(at: AppTest) -> list[str]:
    assert not at.exception, [e.value for e in at.exception]
    return [m.value for m in (*at.error, *at.warning, *at.info)]


def uploader(at: AppTest, label_start: str):
    return next(u for u in at.get("file_uploader") if u.label.startswith(label_start))


@pytest.fixture(scope="module")
def saved() -> dict:
    config = Config()
    trainer = build_trainer(config, 0)
    trainer.step(2)
    return json.loads(session_json(trainer, config.to_dict()))


SLOW = settings(max_examples=12, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def with_examples(test):
    for payload in PAYLOADS:
        test = example(payload=payload)(test)
    return test


@SLOW
@with_examples
@given(payload=payloads)
def test_an_unknown_lesson_id_in_the_link(payload):
    if payload in LESSONS_BY_ID or "\x00" in payload:
        return  # a real lesson; no browser sends a NUL in a URL
    check(messages(app(lesson=payload)), payload)


@SLOW
@with_examples
@given(payload=payloads)
def test_a_csv_file_name_and_header_cell(payload):
    cell = payload.strip()
    if cell.lower() in ("x1", "x2", "label", "value", "") or "\x00" in payload:
        return  # a valid column, or a file the reader refuses before naming any cell
    text = io.StringIO()
    csv.writer(text).writerow(["x1", "x2", cell])
    at = app()
    name = file_name(payload, ".csv")
    uploader(at, "Upload points").upload(name, text.getvalue().encode(), "text/csv")
    sources = messages(at.run())
    check(sources, cell)  # the header cell
    check(sources, name)  # the file name


@SLOW
@with_examples
@given(payload=payloads)
def test_session_file_fields_and_name(payload, saved):
    at = app()
    for change in ("version", "config key", "data name"):
        document = json.loads(json.dumps(saved))
        if change == "version":
            document["version"] = payload
        elif change == "config key":
            document["config"][payload] = 1
        else:
            document["session"]["data"]["name"] = payload
        if change == "config key" and payload in saved["config"]:
            continue
        name = file_name(payload, ".json")
        uploader(at, "Continue a saved session").upload(name, json.dumps(document).encode(),
                                                        "application/json")
        sources = messages(at.run())
        check(sources, payload)  # the field
        check(sources, name)
        assert "Nothing was changed" in shown(sources[0])
