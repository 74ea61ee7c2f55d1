"""A clean deploy, as Streamlit Community Cloud does it: fresh venv, requirements.txt, streamlit run.

The repository's files (tracked and new, as git would commit them) are copied to a temporary
directory; a new virtual environment installs exactly `pip install -r requirements.txt`; the
page script (playground/page.py, which the st.App of streamlit_app.py serves) then runs once in
that environment (so a module the app imports but the requirements lack fails here, not in
front of a class) and `streamlit run streamlit_app.py` must answer "ok" on /_stcore/health and
serve the live view's WebSocket route. A missing or wrong requirement fails CI.

The install takes a minute or two. Set SKIP_DEPLOY_TEST=1 to skip it locally; under CI=true it
always runs. DEPLOY_PYTHON names another interpreter (e.g. python3.13) to check another
supported version (3.11–3.13).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.browser import free_port

ROOT = Path(__file__).resolve().parents[2]
INSTALL_TIMEOUT_S = 900
RUN_TIMEOUT_S = 180
HEALTH_TIMEOUT_S = 90
IN_CI = os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")

pytestmark = pytest.mark.skipif(
    os.environ.get("SKIP_DEPLOY_TEST") == "1" and not IN_CI,
    reason="SKIP_DEPLOY_TEST=1 (never skipped under CI=true)")

# A run of the page in the fresh environment: every import the app makes must resolve there.
# streamlit_app.py defines an st.App (the page script plus the live view's WebSocket route): importing
# it checks the route's imports; AppTest runs the page script it names, as each session does.
RUN_PAGE = """
import streamlit as st
from streamlit.testing.v1 import AppTest
import streamlit_app
assert isinstance(streamlit_app.app, st.App), type(streamlit_app.app)
at = AppTest.from_file("playground/page.py", default_timeout=120).run()
assert not at.exception, [e.value for e in at.exception]
views = [e for e in at.get("bidi_component") if e.proto.component_name == "playground_stage"]
assert len(views) >= 4, f"the page mounted {len(views)} live views, not stats, network, surface, cost"
print("page ok")
"""


def clean_env() -> dict[str, str]:
    """This environment without anything that would leak our packages into the venv."""
    drop = {"PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV", "PYTHONUSERBASE",
            "STREAMLIT_SERVER_PORT"}
    return {k: v for k, v in os.environ.items() if k not in drop} | {"PYTHONNOUSERSITE": "1"}


def repo_files() -> list[str]:
    """The files a push would carry: tracked plus untracked-but-not-ignored (git's view)."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
                            cwd=ROOT, capture_output=True, check=True).stdout.decode()
    return [name for name in listed.split("\0") if name and (ROOT / name).is_file()]


def run(command: list[str], cwd: Path, timeout: float, what: str) -> str:
    try:
        done = subprocess.run(command, cwd=cwd, env=clean_env(), capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired as error:
        pytest.fail(f"{what} took more than {timeout:.0f} s\n{(error.stderr or '')[-3000:]}", pytrace=False)
    if done.returncode != 0:
        pytest.fail(f"{what} failed (exit {done.returncode})\n--- stdout ---\n{done.stdout[-3000:]}"
                    f"\n--- stderr ---\n{done.stderr[-5000:]}", pytrace=False)
    return done.stdout


@pytest.fixture
def deployed(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """(app directory, the venv's python) with requirements.txt installed."""
    app = tmp_path / "app"
    for name in repo_files():
        target = app / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    assert (app / "streamlit_app.py").is_file() and (app / "requirements.txt").is_file()
    interpreter = os.environ.get("DEPLOY_PYTHON") or sys.executable
    venv = tmp_path / "venv"
    run([interpreter, "-m", "venv", str(venv)], tmp_path, 120, "python -m venv")
    python = venv / "bin" / "python"
    run([str(python), "-m", "pip", "install", "--disable-pip-version-check", "--no-input",
         "-r", "requirements.txt"], app, INSTALL_TIMEOUT_S, "pip install -r requirements.txt")
    yield app, python


def stop(process: subprocess.Popen) -> None:
    """SIGTERM, then SIGKILL, to the server's own process group."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        if process.poll() is not None:
            return
        try:
            os.killpg(process.pid, sig)
            process.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            continue


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.read().decode().strip() == "ok"
    except OSError:
        return False


def test_requirements_install_and_the_app_starts_in_a_fresh_venv(deployed, tmp_path):
    app, python = deployed
    version = run([str(python), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"], app, 30,
                  "python --version")
    assert (3, 11) <= tuple(map(int, version.split("."))) <= (3, 13), f"unsupported Python {version}"
    assert "page ok" in run([str(python), "-c", RUN_PAGE], app, RUN_TIMEOUT_S,
                            "a run of streamlit_app.py in the fresh venv")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "server.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [str(python), "-m", "streamlit", "run", "streamlit_app.py", "--server.headless", "true",
             "--server.port", str(port), "--server.address", "127.0.0.1",
             "--browser.gatherUsageStats", "false"],
            cwd=app, env=clean_env(), stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            deadline = time.monotonic() + HEALTH_TIMEOUT_S
            while not healthy(url):
                if server.poll() is not None or time.monotonic() > deadline:
                    state = (f"exited with code {server.returncode}" if server.poll() is not None
                             else f"not healthy after {HEALTH_TIMEOUT_S} s")
                    pytest.fail(f"streamlit run {state}\n{log.read_text()[-5000:]}", pytrace=False)
                time.sleep(0.3)
        finally:
            stop(server)
    assert server.poll() is not None
