"""Capacity of one replica: how many sessions it serves at >= 5 frames/s each.

    python -m benchmarks.capacity                          # 3 runs, sessions added 4 at a time
    python -m benchmarks.capacity --runs 3 --step 4 --seconds 8 --server-cpus 0 --client-cpus 1

The server (``streamlit run streamlit_app.py``) is pinned to ``--server-cpus`` with ``taskset``;
this script, the clients, to ``--client-cpus``: the students' browsers are not on the server's
cores. A client is a headless session that does what the page does, without painting: it opens
Streamlit's WebSocket (/_stcore/stream), runs the page, presses Play (the button's widget id from
the page's own elements), opens the live view's WebSocket (/pg-live?token=..., the token from
the live view's data) and answers "taken <seq>" as soon as each frame arrives, as stage.js does
when it starts drawing one. So every frame the server can send is sent: the server's CPU and its frame
budget (playground/live/budget.py) are what is measured.

Each run starts a fresh server and adds ``--step`` playing sessions at a time; after each step it
waits ``--settle`` s, then counts the frames every session receives in ``--seconds`` s, and reads
the server's CPU time from /proc. A run ends at the first step whose slowest session gets fewer
than ``--floor`` frames/s; its capacity is the step before. Reported: per step the slowest,
median and total frames/s and the server's CPU in cores; per run the capacity and the frames/s
served at it (the replica's frame budget in use); over the runs the medians.

Every session plays the default setup (speed 5: five epochs a frame), or the one ``--query`` gives
(``--query speed=max``: each frame trains at least 5 ms). The machine may be shared: the load
average before and after is printed with the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import struct
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make `benchmarks` and `playground` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from websockets.asyncio.client import connect  # noqa: E402  (installed with Streamlit)

from benchmarks.browser import app_server  # noqa: E402
from playground.live.hub import LIVE_PATH, TAKEN  # noqa: E402

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
STAGE = "playground_stage"  # the live view's component (playground/live/stage.py)
PLAY_KEY = "-play"  # the Play button's widget id ends with its key
RUN_TIMEOUT_S = 120.0  # a session's first page run under load
JOINING_AT_ONCE = 2  # sessions that open their page at the same time


@dataclass
class Session:
    """One headless student: the page's two WebSockets and the frames that arrived."""

    number: int
    arrivals: list[float] = field(default_factory=list)  # time.monotonic() of each frame
    error: str | None = None

    def frames_between(self, start: float, end: float) -> int:
        return sum(start <= t < end for t in self.arrivals)


def _header(message: bytes) -> dict:
    """The JSON header of a live-view message: "PGv1" | uint32 length | header | blobs."""
    (length,) = struct.unpack_from("<I", message, 4)
    return json.loads(message[8:8 + length])


async def _run_page(stream, query: str = "") -> tuple[str | None, str | None]:
    """Ask for the page's first script run (URL query `query`) and read until it finishes:
    (Play's widget id, the live view's token) as the page's elements give them."""
    back = BackMsg()
    back.rerun_script.query_string = query
    back.rerun_script.page_script_hash = ""
    await stream.send(back.SerializeToString())
    play_id = token = None
    while True:
        message = ForwardMsg()
        message.ParseFromString(await stream.recv())
        kind = message.WhichOneof("type")
        if kind == "script_finished":
            return play_id, token
        if kind != "delta" or message.delta.WhichOneof("type") != "new_element":
            continue
        element = message.delta.new_element
        if element.WhichOneof("type") == "button" and element.button.id.endswith(PLAY_KEY):
            play_id = element.button.id
        elif (element.WhichOneof("type") == "bidi_component"
              and element.bidi_component.component_name == STAGE):
            token = _header(element.bidi_component.bytes)["mount"]["token"]


async def _drain(stream) -> None:
    """Read (and drop) what Streamlit sends while the session plays, as the page would."""
    async for _ in stream:
        pass


async def play_session(session: Session, address: str, query: str, joined: asyncio.Semaphore,
                       ready: asyncio.Event, stop: asyncio.Event) -> None:
    """Open the page, press Play, receive and acknowledge frames until `stop`."""
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    try:
        async with joined:
            stream = await connect(f"ws://{address}/_stcore/stream", subprotocols=["streamlit"],
                                   max_size=None, open_timeout=RUN_TIMEOUT_S)
            play_id, token = await asyncio.wait_for(_run_page(stream, query), RUN_TIMEOUT_S)
            if not (play_id and token):
                raise RuntimeError(f"the page had no Play button ({play_id}) or live view ({token})")
            live = await connect(f"ws://{address}{LIVE_PATH}?token={token}", max_size=None)
            press = WidgetState(id=play_id, trigger_value=True)
            back = BackMsg()
            back.rerun_script.query_string = query
            back.rerun_script.widget_states.widgets.append(press)
            await stream.send(back.SerializeToString())
        drain = asyncio.create_task(_drain(stream))
        ready.set()
        try:
            while not stop.is_set():
                try:
                    message = await asyncio.wait_for(live.recv(), 0.5)
                except TimeoutError:
                    continue
                session.arrivals.append(time.monotonic())
                await live.send(f"{TAKEN}{_header(message)['seq']}")
        finally:
            drain.cancel()
            await live.close()
            await stream.close()
    except Exception as error:  # a session that failed is reported, not fatal
        session.error = f"{type(error).__name__}: {error}"
        ready.set()


def cpu_seconds(pid: int) -> float:
    """utime + stime of process `pid` (all its threads), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


@dataclass(frozen=True)
class Step:
    sessions: int
    slowest: float  # frames/s of the slowest session
    median: float
    total: float  # frames/s the server sent, all sessions
    cores: float  # the server's CPU over the window, in cores
    failed: int

    @property
    def cpu_per_frame(self) -> float:
        """The server's CPU seconds per frame sent (what live.budget measures)."""
        return self.cores / self.total if self.total else float("nan")


async def run_once(args: argparse.Namespace) -> list[Step]:
    """One fresh server; sessions added `step` at a time until the slowest one is below the floor."""
    steps: list[Step] = []
    with app_server(cpus=args.server_cpus, timeout=60) as server:
        stop, joined = asyncio.Event(), asyncio.Semaphore(JOINING_AT_ONCE)
        sessions: list[Session] = []
        tasks = []
        while len(sessions) < args.max_sessions:
            readies = []
            for _ in range(args.step):
                session, ready = Session(len(sessions)), asyncio.Event()
                sessions.append(session)
                readies.append(ready)
                tasks.append(asyncio.create_task(
                    play_session(session, server.address, args.query, joined, ready, stop)))
            for ready in readies:
                await ready.wait()
            await asyncio.sleep(args.settle)
            cpu_start, start = cpu_seconds(server.process.pid), time.monotonic()
            await asyncio.sleep(args.seconds)
            end, cpu_end = time.monotonic(), cpu_seconds(server.process.pid)
            rates = [s.frames_between(start, end) / (end - start) for s in sessions if not s.error]
            failed = sum(1 for s in sessions if s.error)
            step = Step(len(sessions), min(rates, default=0.0), statistics.median(rates or [0.0]),
                        sum(rates), (cpu_end - cpu_start) / (end - start), failed)
            steps.append(step)
            print(f"  {step.sessions:4d} sessions: slowest {step.slowest:5.1f}, median "
                  f"{step.median:5.1f}, total {step.total:6.1f} frames/s; server CPU "
                  f"{step.cores:.2f} cores, {step.cpu_per_frame * 1e3:.1f} ms a frame"
                  + (f"; {failed} failed" if failed else ""), flush=True)
            for session in sessions:
                if session.error:
                    print(f"    session {session.number}: {session.error}")
            if failed or step.slowest < args.floor:
                break
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
    return steps


def capacity(steps: list[Step], floor: float) -> Step | None:
    """The last step at which every session got at least `floor` frames/s."""
    served = [s for s in steps if s.slowest >= floor and not s.failed]
    return served[-1] if served else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--step", type=int, default=4, help="sessions added per step")
    parser.add_argument("--max-sessions", type=int, default=200)
    parser.add_argument("--settle", type=float, default=4.0, help="seconds before counting")
    parser.add_argument("--seconds", type=float, default=8.0, help="seconds counted per step")
    parser.add_argument("--floor", type=float, default=5.0, help="frames/s each session needs")
    parser.add_argument("--query", default="", help="the page's URL query, e.g. speed=max")
    parser.add_argument("--server-cpus", default="0", help="taskset -c list for the server")
    parser.add_argument("--client-cpus", default="1", help="CPUs for this script (the clients)")
    args = parser.parse_args()
    os.sched_setaffinity(0, {int(c) for c in args.client_cpus.split(",")})
    print(f"setup: {args.query or 'default'}; server on CPU {args.server_cpus}, clients on CPU "
          f"{args.client_cpus}; "
          f"load average before: {os.getloadavg()[0]:.2f} ({os.cpu_count()} CPUs)", flush=True)
    results = []
    for run in range(1, args.runs + 1):
        print(f"run {run}:", flush=True)
        best = capacity(asyncio.run(run_once(args)), args.floor)
        results.append(best)
        print(f"  capacity: {best.sessions if best else 0} sessions at >= {args.floor:g} frames/s"
              + (f" ({best.total:.0f} frames/s, {best.cores:.2f} cores)" if best else ""), flush=True)
    sessions = [best.sessions if best else 0 for best in results]
    frames = [best.total for best in results if best]
    cores = [best.cores for best in results if best]
    costs = [best.cpu_per_frame * 1e3 for best in results if best]
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    print(f"capacity over {args.runs} runs: median {statistics.median(sessions):g} sessions "
          f"(runs: {sessions}); frames/s served at capacity: median "
          f"{statistics.median(frames or [0]):.0f} (runs: {[round(f) for f in frames]}); "
          f"server CPU: median {statistics.median(cores or [0]):.2f} cores, "
          f"{statistics.median(costs or [0]):.1f} ms a frame")
    return 0


if __name__ == "__main__":
    sys.exit(main())
