"""nginx in front of Streamlit replicas on loopback, with the deployment's own balancer rules.

The rules are ``deploy/nginx/playground.conf.template``, the file ``deploy/compose.yaml`` mounts
into the official nginx image. That image renders it with envsubst (only variables named
``PLAYGROUND_*``: ``NGINX_ENVSUBST_FILTER``); ``render`` does the same here, and the result is
included in a minimal main configuration (one worker, paths in a temporary prefix).

    from benchmarks.browser import app_server
    from benchmarks.balancer import running_balancer

    with app_server() as a, app_server() as b, running_balancer([a.address, b.address]) as lb:
        page.goto(lb.url)
        ...
        lb.replicas_of(affinity)      # which replica(s) served that browser, from the access log

Debian's nginx (``apt-get install nginx``) at /usr/sbin/nginx runs in the foreground as this
user, in its own process group, stopped by that group's id on exit.
"""

from __future__ import annotations

import getpass
import json
import re
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from benchmarks.browser import REPO_ROOT, free_port, stop_process_group

NGINX = "/usr/sbin/nginx"
TEMPLATE = REPO_ROOT / "deploy" / "nginx" / "playground.conf.template"
AFFINITY_COOKIE = "playground_affinity"
STARTUP_TIMEOUT_S = 15.0
# The official image's envsubst step substitutes only the environment variables whose names match
# NGINX_ENVSUBST_FILTER (set to ^PLAYGROUND_ in compose.yaml); nginx's own $variables stay.
VARIABLE = re.compile(r"\$(?:\{(PLAYGROUND_[A-Za-z0-9_]*)\}|(PLAYGROUND_[A-Za-z0-9_]*))")

# The main configuration around the rendered template: the image's nginx.conf minus what a
# foreground nginx as this user cannot use (/var paths). Workers run as this user (nginx ignores
# `user` unless started as root).
MAIN_CONF = """\
worker_processes 1;
user {user};
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {prefix}/playground.conf;
}}
"""


class BalancerStartError(RuntimeError):
    """nginx rejected the configuration, exited, or did not answer in time."""


def nginx_available() -> bool:
    return Path(NGINX).exists()


def render(template: str, variables: Mapping[str, str]) -> str:
    """envsubst as the image runs it: ``$PLAYGROUND_X`` and ``${PLAYGROUND_X}`` replaced.

    Raises ``KeyError`` naming a ``PLAYGROUND_*`` variable the template uses but ``variables``
    lacks (the image would leave it in place and nginx would refuse the file).
    """
    def value(match: re.Match) -> str:
        name = match.group(1) or match.group(2)
        if name not in variables:
            raise KeyError(f"the template uses {name}, which is not set")
        return variables[name]

    return VARIABLE.sub(value, template)


def template_variables(template: str) -> set[str]:
    """The ``PLAYGROUND_*`` names a template uses."""
    return {a or b for a, b in VARIABLE.findall(template)}


@dataclass(frozen=True)
class LogEntry:
    """One line of the balancer's JSON access log (log_format playground)."""

    method: str
    uri: str
    status: int
    affinity: str
    upstreams: tuple[str, ...]       # every replica tried, in order ("" if none was)
    upstream_statuses: tuple[str, ...]

    @property
    def replica(self) -> str:
        """The replica that answered: the last one tried."""
        return self.upstreams[-1]


class Reply(NamedTuple):
    status: int
    set_cookies: list[str]     # every Set-Cookie header (Streamlit sets its own XSRF cookie too)
    body: bytes

    @property
    def new_affinity(self) -> str | None:
        """The affinity value the balancer gave this browser, if it gave one."""
        for header in self.set_cookies:
            name, _, rest = header.partition("=")
            if name == AFFINITY_COOKIE:
                return rest.split(";")[0]
        return None


@dataclass(frozen=True)
class Balancer:
    url: str
    access_log: Path
    error_log: Path

    def entries(self) -> list[LogEntry]:
        """Every request logged so far (a WebSocket is logged when it closes)."""
        entries = []
        for line in self.access_log.read_text().splitlines():
            record = json.loads(line)
            entries.append(LogEntry(
                method=record["method"], uri=record["uri"], status=int(record["status"]),
                affinity=record["affinity"],
                upstreams=tuple(part.strip() for part in record["upstream"].split(",")),
                upstream_statuses=tuple(part.strip() for part in record["upstream_status"].split(","))))
        return entries

    def entries_of(self, affinity: str) -> list[LogEntry]:
        return [entry for entry in self.entries() if entry.affinity == affinity]

    def replicas_of(self, affinity: str) -> set[str]:
        """The replicas that answered requests carrying this affinity value."""
        return {entry.replica for entry in self.entries_of(affinity)}

    def get(self, path: str, affinity: str | None = None, timeout: float = 10.0) -> Reply:
        """A GET through the balancer, with an affinity cookie if given."""
        request = urllib.request.Request(f"{self.url}{path}")
        if affinity is not None:
            request.add_header("Cookie", f"{AFFINITY_COOKIE}={affinity}")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return Reply(response.status, response.headers.get_all("Set-Cookie") or [],
                             response.read())
        except urllib.error.HTTPError as error:
            return Reply(error.code, error.headers.get_all("Set-Cookie") or [], error.read())

    def wait_for_entry(self, affinity: str, count: int = 1, timeout: float = 5.0) -> list[LogEntry]:
        """This affinity's log entries once there are at least ``count`` (nginx logs after replying)."""
        deadline = time.monotonic() + timeout
        while True:
            entries = self.entries_of(affinity)
            if len(entries) >= count or time.monotonic() > deadline:
                return entries
            time.sleep(0.05)


@contextmanager
def running_balancer(replicas: Sequence[str], *, template: Path = TEMPLATE,
                     timeout: float = STARTUP_TIMEOUT_S) -> Iterator[Balancer]:
    """nginx on 127.0.0.1:<free port> in front of ``replicas`` ("host:port" each).

    Yields once nginx accepts connections (no request is sent: one would reach a replica and could
    mark it failed). Raises ``BalancerStartError`` with nginx's own message if the configuration
    is refused or the port does not open in time.
    """
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="playground-nginx-") as prefix_name:
        prefix = Path(prefix_name)
        variables = {
            "PLAYGROUND_LISTEN": f"127.0.0.1:{port}",
            "PLAYGROUND_SERVERS": " ".join(f"server {replica};" for replica in replicas),
            "PLAYGROUND_ACCESS_LOG": str(prefix / "access.log"),
        }
        (prefix / "playground.conf").write_text(render(template.read_text(), variables))
        (prefix / "nginx.conf").write_text(MAIN_CONF.format(prefix=prefix, user=getpass.getuser()))
        (prefix / "access.log").touch()
        balancer = Balancer(url=f"http://127.0.0.1:{port}", access_log=prefix / "access.log",
                            error_log=prefix / "error.log")
        command = [NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", "stderr",
                   "-g", f"daemon off; pid {prefix}/nginx.pid;"]
        with (prefix / "nginx.out").open("w") as output:
            process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT,
                                       start_new_session=True)
        try:
            _wait_until_listening(port, process, prefix, timeout)
            yield balancer
        finally:
            stop_process_group(process)


def _wait_until_listening(port: int, process: subprocess.Popen, prefix: Path, timeout: float) -> None:
    def nginx_output() -> str:
        logs = [prefix / "nginx.out", prefix / "error.log"]
        return "\n".join(path.read_text()[-3000:] for path in logs if path.exists())

    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise BalancerStartError(f"nginx exited with code {process.returncode}\n{nginx_output()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise BalancerStartError(f"nginx did not listen on port {port} within {timeout:.0f} s\n"
                                         f"{nginx_output()}") from None
            time.sleep(0.05)
