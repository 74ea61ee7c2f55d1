"""User text renders as the characters typed, in Chromium: payloads of Markdown, KaTeX, HTML and
Streamlit directives through a lesson link, a CSV file's name and header, and a session file's
fields. Each message must show the payload cut to 40 characters between quotes, hold nothing but
paragraphs and code (no link, image, formula or styled span), and the page must fetch nothing
the payloads name.

Uses the `page` and `app_url` fixtures of tests/e2e/conftest.py; screenshots in test-artifacts/.
"""

from __future__ import annotations

import csv
import io
import json
import re
import urllib.parse

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from benchmarks.browser import wait_for_app
from playground.io.export import session_json
from playground.settings.build import build_trainer
from playground.settings.config import Config
from tests.e2e.charts import TIMEOUT_MS

pytestmark = pytest.mark.e2e

PAYLOADS = ["[x](http://evil.example)", "![i](http://127.0.0.1:1/x.png)", ":red[styled]",
            r"$\rule{839px}{419px}$", "<img src=x onerror=alert(1)>", "**bold**", "`code`",
            "see http://evil.example/x", "www.evil.example", "a@evil.example"]
PAYLOAD_HOSTS = {"evil.example", "www.evil.example", "127.0.0.1:1"}  # what an image would load
ALERT = '[data-testid^="stAlertContent"]'
# The alert that shows `want`: its text, and every element tag inside its Markdown, with KaTeX's.
READ_ALERT_JS = """([selector, want]) => {
  const alert = [...document.querySelectorAll(selector)].find(a => a.textContent.includes(want));
  if (!alert) return null;
  const markdown = alert.querySelector('[data-testid="stMarkdownContainer"]');
  return {text: markdown.textContent, tags: [...markdown.querySelectorAll('*')].map(e => e.tagName),
          katex: alert.querySelectorAll('.katex').length};
}"""


def clipped(text: str) -> str:
    """The page's rule for user text: line breaks and control characters become a space; more
    than 40 characters are cut to 39 and an ellipsis."""
    text = re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+", " ", text)
    return text if len(text) <= 40 else text[:39] + "…"


@pytest.fixture
def fetched(page) -> list[str]:
    """The URLs the page requests from now on from a host the payloads name."""
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url)
            if urllib.parse.urlsplit(request.url).netloc in PAYLOAD_HOSTS else None)
    return seen


def literal_alert(page, *parts: str) -> str:
    """Wait for the alert that shows every one of `parts` quoted and clipped; check it renders
    as plain text (only paragraphs and code) and return its text."""
    wanted = [f"'{clipped(part)}'" for part in parts]
    try:
        page.wait_for_function(f"""() => [...document.querySelectorAll('{ALERT}')].some(
            a => {json.dumps(wanted)}.every(w => a.textContent.includes(w)))""", timeout=TIMEOUT_MS)
    except PlaywrightTimeoutError:
        shown = page.evaluate(f"""() => [...document.querySelectorAll('{ALERT}')].map(
            a => [a.textContent.slice(0, 300), a.innerHTML.slice(0, 600)])""")
        raise AssertionError(f"no message shows {wanted}; the page shows {shown}") from None
    found = page.evaluate(READ_ALERT_JS, [ALERT, wanted[0]])
    assert set(found["tags"]) <= {"P", "CODE"} and found["katex"] == 0, (parts, found)
    return found["text"]


def open_expander(page, app_url: str, title: str) -> None:
    page.goto(app_url)
    wait_for_app(page, selector="#epoch-counter")
    page.locator('[data-testid="stSidebar"] summary', has_text=title).click()


def upload(page, label: str, name: str, data: bytes, mime: str) -> None:
    uploader = page.locator('[data-testid="stFileUploader"]', has_text=label)
    uploader.locator('input[type="file"]').set_input_files(
        files=[{"name": name, "mimeType": mime, "buffer": data}])


def test_an_unknown_lesson_id_in_the_link_is_shown_literally(page, app_url, fetched):
    for payload in PAYLOADS:
        page.goto(f"{app_url}/?lesson={urllib.parse.quote(payload)}")
        wait_for_app(page, selector="#epoch-counter")
        assert literal_alert(page, payload).startswith("There is no lesson")
    assert not fetched


def test_a_csv_file_name_and_header_cell_are_shown_literally(page, app_url, fetched):
    open_expander(page, app_url, "Your data")
    for payload in [*PAYLOADS, "h" * 130_000]:
        header = io.StringIO()
        csv.writer(header).writerow(["x1", "x2", payload])
        name = f"{payload[:200]}.csv"
        upload(page, "Upload points", name, header.getvalue().encode() + b"0,0,0\n", "text/csv")
        text = literal_alert(page, name, payload)
        assert "unexpected column" in text and len(text) < 300
    assert not fetched


@pytest.fixture(scope="module")
def saved() -> dict:
    config = Config()
    trainer = build_trainer(config, 0)
    trainer.step(2)
    return json.loads(session_json(trainer, config.to_dict()))


def test_session_file_fields_are_shown_literally(page, app_url, fetched, saved):
    open_expander(page, app_url, "Save and export")
    for i, payload in enumerate(PAYLOADS):
        document = json.loads(json.dumps(saved))
        field = ("version", "config key", "data name")[i % 3]  # each payload in one field, in turn
        if field == "version":
            document["version"] = payload
        elif field == "config key":
            document["config"][payload] = 1
        else:
            document["session"]["data"]["name"] = payload
        name = f"{payload}.json"
        upload(page, "Continue a saved session", name, json.dumps(document).encode(), "application/json")
        assert "Nothing was changed" in literal_alert(page, name, payload), field
    document = json.loads(json.dumps(saved))
    document["version"] = "v" * 4_000_000  # the whole 4 MB string must not come back
    upload(page, "Continue a saved session", "long.json", json.dumps(document).encode(), "application/json")
    assert len(literal_alert(page, "long.json", document["version"])) < 300
    assert not fetched
