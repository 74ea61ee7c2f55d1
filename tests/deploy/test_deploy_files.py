"""The Docker deployment's files agree with each other and with what the loopback test runs.

Docker cannot run here, so ``docker compose up`` is not run: these checks read the Dockerfile,
.dockerignore, deploy/compose.yaml and the nginx template as text (no YAML parser is among the
project's dependencies; the compose file keeps the shapes read below), and run the Dockerfile's
health check command against a live and a dead server.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import pytest

from benchmarks.balancer import TEMPLATE, VARIABLE, render, template_variables
from benchmarks.browser import REPO_ROOT, free_port, running_app
from playground.live.budget import GIL_CORES
from playground.live.hub import LIVE_PATH

DOCKERFILE = (REPO_ROOT / "Dockerfile").read_text()
DOCKERIGNORE = (REPO_ROOT / ".dockerignore").read_text()
COMPOSE_PATH = REPO_ROOT / "deploy" / "compose.yaml"
COMPOSE = COMPOSE_PATH.read_text()
TEMPLATE_TEXT = TEMPLATE.read_text()


def instructions(name: str) -> list[str]:
    """The arguments of every ``name`` instruction, continuation lines joined."""
    joined = re.sub(r"\\\n\s*", " ", DOCKERFILE)
    return [line.split(None, 1)[1] for line in joined.splitlines()
            if line.split(None, 1)[:1] == [name]]


def compose_env(key: str) -> str:
    """A compose environment value: ``KEY: value`` on one line, or ``KEY: >-`` and its lines."""
    match = re.search(rf"^(\s*){key}:[ \t]*(.*)$", COMPOSE, re.MULTILINE)
    assert match, f"{key} is not in {COMPOSE_PATH.name}"
    indent, value = match.groups()
    if value != ">-":
        return value.strip().strip('"')
    lines = []
    for line in COMPOSE[match.end():].splitlines()[1:]:
        if len(line) - len(line.lstrip()) <= len(indent):
            break
        lines.append(line.strip())
    return " ".join(lines)


def dockerfile_env() -> dict[str, str]:
    return dict(pair.split("=", 1) for args in instructions("ENV") for pair in args.split())


def test_the_compose_file_mounts_the_template_the_loopback_test_runs():
    [mount] = re.findall(r"^\s*- (\S+\.template):(/etc/nginx/templates/\S+):ro$", COMPOSE, re.MULTILINE)
    source, target = mount
    assert (COMPOSE_PATH.parent / source).resolve() == TEMPLATE.resolve()
    # the image renders templates/X.template into conf.d/X: default.conf replaces its welcome page
    assert target == "/etc/nginx/templates/default.conf.template"
    # the image substitutes only what NGINX_ENVSUBST_FILTER matches, like render() in the test
    assert compose_env("NGINX_ENVSUBST_FILTER") == "^PLAYGROUND_"
    assert VARIABLE.pattern.count("PLAYGROUND_") == 2
    used = template_variables(TEMPLATE_TEXT)
    assert used == {"PLAYGROUND_LISTEN", "PLAYGROUND_SERVERS", "PLAYGROUND_ACCESS_LOG"}, used
    for name in used:
        assert compose_env(name), f"compose.yaml does not set {name}"


def test_the_balancer_lists_every_replica_with_bare_server_lines():
    replicas = int(re.search(r"^\s*replicas:\s*(\d+)\s*$", COMPOSE, re.MULTILINE).group(1))
    project = re.search(r"^name:\s*(\S+)\s*$", COMPOSE, re.MULTILINE).group(1)
    port = compose_env("PORT")
    assert port == dockerfile_env()["PORT"] == instructions("EXPOSE")[0]
    servers = compose_env("PLAYGROUND_SERVERS")
    # Bare lines: the failover the loopback test checks is nginx's default max_fails=1
    # fail_timeout=10s, given to bare server lines there too. Compose names the n-th container
    # of service app in project P "P-app-n".
    expected = " ".join(f"server {project}-app-{n}:{port};" for n in range(1, replicas + 1))
    assert servers == expected
    assert replicas >= 2


def test_uploads_up_to_streamlits_cap_pass_the_balancer():
    config = tomllib.loads((REPO_ROOT / ".streamlit" / "config.toml").read_text())
    limit = re.search(r"^\s*client_max_body_size\s+(\d+)m;", TEMPLATE_TEXT, re.MULTILINE)
    assert limit and int(limit.group(1)) > config["server"]["maxUploadSize"]


def test_the_dockerfile_follows_streamlits_guide_and_runs_as_a_user():
    assert instructions("FROM") == ["python:3.11-slim"]
    users = instructions("USER")
    assert users and users[-1] not in ("root", "0"), users
    runs = instructions("RUN")
    installs = [args.strip() for run in runs for args in re.findall(r"pip install ([^&;]+)", run)]
    assert installs == ["-r requirements.txt"], runs  # no dev tools in the image
    [health] = instructions("HEALTHCHECK")
    assert "/_stcore/health" in health and "PORT" in health
    [command] = instructions("CMD")
    shell_command = json.loads(command)
    assert shell_command[:2] == ["sh", "-c"]
    assert shell_command[2] == ('exec streamlit run streamlit_app.py --server.port="$PORT"'
                                " --server.address=0.0.0.0")


def test_the_health_check_command_tells_a_live_server_from_a_dead_one():
    [health] = instructions("HEALTHCHECK")
    command = health.split(" CMD ", 1)[1]

    def check(port: str) -> subprocess.CompletedProcess:
        # only PORT and a PATH where `python` is this interpreter, as in the image
        env = {"PORT": port, "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin"}
        return subprocess.run(["sh", "-c", command], env=env, capture_output=True, timeout=30)

    with running_app() as url:
        live = check(url.rsplit(":", 1)[1])
    assert live.returncode == 0, live.stderr.decode()
    assert check(str(free_port())).returncode != 0


def test_the_image_keeps_every_file_the_app_needs():
    patterns = [line.strip() for line in DOCKERIGNORE.splitlines()
                if line.strip() and not line.startswith("#")]
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"],
                            cwd=REPO_ROOT, capture_output=True, text=True, check=True).stdout.split()
    needed = [name for name in listed
              if name.split("/")[0] in {"core", "playground", ".streamlit"} and name.endswith(
                  (".py", ".js", ".toml", ".css", ".json"))]
    needed += ["streamlit_app.py", "requirements.txt"]
    assert any(name.startswith("playground/") for name in needed)

    def ignored(name: str) -> bool:
        parts = name.split("/")
        prefixes = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
        return any(fnmatch(prefix, pattern) for prefix in prefixes for pattern in patterns)

    assert not [name for name in needed if ignored(name)]
    assert ignored("tests/deploy/test_deploy_files.py") and ignored(".git")


@pytest.mark.skipif(shutil.which("envsubst") is None, reason="envsubst not installed (gettext-base)")
def test_the_test_renders_the_template_as_the_nginx_image_does():
    variables = {"PLAYGROUND_LISTEN": "127.0.0.1:8080", "PLAYGROUND_ACCESS_LOG": "/dev/stdout",
                 "PLAYGROUND_SERVERS": "server a:8501; server b:8501;"}
    # 20-envsubst-on-templates.sh: envsubst "${A} ${B} ..." over the variables the filter matches,
    # with every other environment variable (HOME, PATH...) set too and left alone
    shell_format = " ".join(f"${{{name}}}" for name in variables)
    image = subprocess.run(["envsubst", shell_format], input=TEMPLATE_TEXT, capture_output=True,
                           text=True, check=True, env={"HOME": "/root", "http_host": "x"} | variables)
    assert render(TEMPLATE_TEXT, variables) == image.stdout
    assert "$http_host" in image.stdout  # nginx's own variables stay


def websocket_locations() -> dict[str, str]:
    """Each exact-match location of the template and its block's text."""
    return dict(re.findall(r"^\s*location = (\S+) \{\n(.*?)^\s*\}", TEMPLATE_TEXT, re.MULTILINE | re.DOTALL))


def test_both_websockets_pass_the_balancer_upgraded_and_kept_open_while_silent():
    # The live view's route is whatever the hub serves; moving it without the balancer would leave
    # it on nginx's 60 s read timeout (a paused page's live socket is silent: it would drop every
    # minute). Upgrade and Connection are set for every location, at server level.
    locations = websocket_locations()
    for path in ("/_stcore/stream", LIVE_PATH):
        assert path in locations, f"the template has no location = {path}"
        assert re.search(r"proxy_read_timeout 1h;", locations[path]), locations[path]
        assert "proxy_pass http://playground_replicas;" in locations[path]  # the same affinity hash
    server = TEMPLATE_TEXT[TEMPLATE_TEXT.index("server {"):TEMPLATE_TEXT.index("location")]
    assert "proxy_set_header Upgrade $http_upgrade;" in server
    assert "proxy_set_header Connection $playground_connection;" in server
    # the access log records paths only: the live socket's token never reaches it
    assert '"uri":"$uri"' in TEMPLATE_TEXT and "$request_uri" not in TEMPLATE_TEXT


def test_each_replica_is_limited_to_the_cores_one_process_can_use():
    # The budget reads the quota (cgroup cpu.max); more than GIL_CORES per replica would be idle.
    match = re.search(r"^\s*limits:\s*\n\s*cpus:\s*\"([\d.]+)\"\s*$", COMPOSE, re.MULTILINE)
    assert match, "compose.yaml sets no CPU limit per replica"
    assert 0 < float(match.group(1)) <= GIL_CORES
