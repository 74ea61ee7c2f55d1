"""Frame pacing while playing: alone a session paces by its diagram's size; a class shares the
server's frame budget evenly, and a closed tab stops counting. The budget comes from the cores the
process gets and the measured CPU cost of a frame, or from the operator's environment."""

import logging
import math
import threading

import pytest
from hypothesis import given
from hypothesis import strategies as st

from playground.live import budget as budget_module
from playground.live.budget import (
    CPUS_VARIABLE,
    FRAME_RATE_VARIABLE,
    MAX_FRAME_RATE,
    MIN_FRAME_RATE,
    STARTING_COST,
    FrameBudget,
    cgroup_cores,
    machine_cores,
    positive_setting,
    usable_cores,
)
from playground.live.pacing import (
    ACTIVE_SECONDS,
    CHARTS,
    COST_SECONDS,
    CROWDED,
    MAX_TRAINING_SECONDS,
    MIN_FRAME_SECONDS,
    MIN_TRAINING_SECONDS,
    Pacer,
    PlayingSessions,
    charts_to_draw,
    frame_period,
    frame_trained,
    is_crowded,
    shared_period,
    speed_note,
)
from playground.settings.config import Config

SERVER_FRAME_RATE = 120.0  # a fixed budget for the tests that are about sharing it


class FakeClock:
    def __init__(self, now: float = 100.0):
        self.now = now

    def __call__(self):
        return self.now


def fixed(rate: float = SERVER_FRAME_RATE) -> FrameBudget:
    return FrameBudget(cores=1.0, frame_rate=rate)


def test_bigger_diagrams_get_longer_frames():
    small, big = Config(hidden=(2,)), Config(hidden=(8, 8, 8, 8), features=("x1", "x2", "x1^2"))
    assert frame_period(big) > frame_period(small) > 0


def test_compare_mode_paces_for_both_setups():
    a, b = Config(hidden=(4, 2)), Config(hidden=(8, 8))
    assert frame_period(a, b) == pytest.approx(frame_period(a) + frame_period(b))


def test_at_max_speed_a_frame_trains_within_its_budget_and_compare_mode_splits_it():
    sessions = PlayingSessions()
    alone = Pacer.for_config((Config(hidden=(2,)),), sessions, "a")
    both = Pacer.for_config((Config(hidden=(2,)), Config(hidden=(8,) * 6)), sessions, "c")
    assert alone.training_budget == (MIN_TRAINING_SECONDS, MAX_TRAINING_SECONDS)
    assert both.training_budget == (MIN_TRAINING_SECONDS / 2, MAX_TRAINING_SECONDS / 2)
    crowded = Pacer.for_config((Config(hidden=(2,)),), sessions, "d")
    crowded.playing = 30  # a class on the server: frames are fewer, not longer in training
    assert crowded.training_budget == alone.training_budget


def test_a_page_that_says_it_takes_frames_sets_the_pace_else_the_diagram_size_does():
    pacer = Pacer.for_config((Config(hidden=(8,) * 6),), PlayingSessions(), "a")
    assert pacer.base == frame_period(Config(hidden=(8,) * 6)) > MIN_FRAME_SECONDS
    pacer.acked = True
    assert pacer.base == MIN_FRAME_SECONDS


def test_the_cost_curve_is_redrawn_at_most_every_cost_seconds():
    clock = FakeClock()
    pacer = Pacer(0.05, PlayingSessions(clock), "a", clock=clock)
    assert pacer.cost_due()
    clock.now += COST_SECONDS * 0.9
    assert not pacer.cost_due()
    clock.now += COST_SECONDS * 0.2
    assert pacer.cost_due() and not pacer.cost_due()


def test_alone_a_session_keeps_its_own_period():
    assert shared_period(0.06, playing=1, server_rate=SERVER_FRAME_RATE) == 0.06


@pytest.mark.parametrize("server_rate", [5.0, 20.0, 26.7, 1000.0])
def test_alone_a_session_is_never_slowed_or_crowded_by_the_server_budget(server_rate):
    """Regression: at speed "max" one session's training (up to 40 ms a frame) made the measured
    budget 27 frames/s: the session was paced at 1/27 s and its charts took turns, though its
    page drew 60 frames/s and nobody else played."""
    assert shared_period(MIN_FRAME_SECONDS, 1, server_rate) == MIN_FRAME_SECONDS
    assert not is_crowded(MIN_FRAME_SECONDS, 1, server_rate)


def test_a_class_shares_the_server_frame_rate_evenly():
    playing = 10
    period = shared_period(0.06, playing, SERVER_FRAME_RATE)
    assert playing / period == pytest.approx(SERVER_FRAME_RATE)
    assert shared_period(0.06, 30, SERVER_FRAME_RATE) == pytest.approx(3 * period)


def test_charts_take_turns_only_when_the_share_is_well_below_the_sessions_own_rate():
    base = 0.06
    rate = SERVER_FRAME_RATE
    assert not is_crowded(base, 1, rate)
    crowd = next(n for n in range(1, 100) if is_crowded(base, n, rate))
    assert shared_period(base, crowd, rate) >= CROWDED * base > shared_period(base, crowd - 1, rate)


def test_every_chart_every_frame_on_a_free_server_and_taking_turns_when_crowded():
    assert all(charts_to_draw(count, False) == CHARTS for count in range(5))
    assert charts_to_draw(0, False, cost_due=False) == ("surface", "network")
    turns = [charts_to_draw(count, True) for count in range(6)]
    assert all(len(drawn) == 1 for drawn in turns)
    assert {drawn[0] for drawn in turns[:3]} == set(CHARTS) == {drawn[0] for drawn in turns[3:]}


def test_sessions_count_while_they_beat_and_stop_when_they_leave():
    sessions = PlayingSessions(FakeClock())
    assert sessions.beat("a") == 1
    assert sessions.beat("b") == 2
    assert sessions.beat("a") == 2  # the same session twice is still one
    sessions.leave("a")
    assert sessions.beat("b") == 1
    sessions.leave("nobody")  # leaving twice, or never having played, is harmless


def test_a_tab_closed_without_leaving_stops_counting_after_a_while():
    clock = FakeClock()
    sessions = PlayingSessions(clock)
    sessions.beat("closed")
    clock.now += ACTIVE_SECONDS / 2
    assert sessions.beat("open") == 2
    clock.now += ACTIVE_SECONDS / 2 + 0.01
    assert sessions.beat("open") == 1


def test_concurrent_beats_from_many_threads_count_every_session_once():
    sessions = PlayingSessions()
    threads = [threading.Thread(target=lambda i=i: [sessions.beat(f"s{i}") for _ in range(200)])
               for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sessions.beat("s0") == 20


def test_a_pacer_sleeps_out_its_share_and_hands_it_back_when_it_stops():
    sessions = PlayingSessions(FakeClock(), fixed())
    pacers = [Pacer(0.05, sessions, f"s{i}") for i in range(12)]
    for pacer in pacers:
        pacer.pause(0.0)
    assert pacers[0].pause(0.01) == pytest.approx(12 / SERVER_FRAME_RATE - 0.01)
    assert pacers[0].crowded
    for pacer in pacers[1:]:
        pacer.stop()
    assert pacers[0].pause(0.01) == pytest.approx(0.05 - 0.01)
    assert not pacers[0].crowded


def test_a_slow_frame_goes_straight_on():
    pacer = Pacer(0.05, PlayingSessions(), "s")
    assert pacer.pause(1.0) == 0.0


# --- epochs per frame: a fixed speed never trains longer than "max" ----------------------------------

# The repro: 8 hidden layers of 16, 1,800 training points, batch size 1, at speed 50.
HEAVY = {"advanced": "1", "hidden": ",".join(["16"] * 8), "n_samples": "2000", "train_percent": "90",
         "features": "x1,x2,x1^2,x2^2,x1*x2,sin(x1),sin(x2)", "noise": "80", "dataset": "spiral",
         "optimizer": "adam", "batch_size": "1", "speed": "50"}


def test_a_fixed_speed_stops_at_the_most_a_frame_trains_like_max():
    budget = (MIN_TRAINING_SECONDS, MAX_TRAINING_SECONDS)
    never_taken = lambda: False  # noqa: E731
    assert frame_trained("50", 1, MAX_TRAINING_SECONDS, budget, never_taken)  # the heavy repro
    assert not frame_trained("50", 49, MAX_TRAINING_SECONDS / 2, budget, never_taken)
    assert frame_trained("50", 50, 0.0, budget, never_taken)  # the speed's count is done
    assert frame_trained("max", 7, MAX_TRAINING_SECONDS, budget, never_taken)
    assert not frame_trained("max", 7, MIN_TRAINING_SECONDS, budget, never_taken)
    assert frame_trained("max", 7, MIN_TRAINING_SECONDS, budget, lambda: True)
    assert not frame_trained("5", 4, 0.0, budget, lambda: True)  # a fixed speed does not wait to paint


def test_the_speed_control_says_when_the_setup_is_too_heavy():
    assert speed_note("50", 1) == "Capped: this setup trains 1 epoch a frame, not 50 (a frame trains " \
                                  "at most 40 ms, as at max)."
    assert speed_note("20", 12).startswith("Capped: this setup trains 12 epochs a frame, not 20")
    assert speed_note("50", 50) is None  # the speed holds
    assert speed_note("max", 3) is None  # max is the budget itself
    assert speed_note("50", None) is None  # no frame trained yet


# --- the server's frame budget -------------------------------------------------------------------

class CpuClock(FakeClock):
    """Process CPU seconds: a test advances it by what each frame costs."""


def play(budget: FrameBudget, wall: FakeClock, cpu: CpuClock, frames: int, cost: float,
         period: float = 0.125) -> None:
    """`frames` frames, one every `period` wall seconds, each costing `cost` CPU seconds. The
    first frame after a pause only starts a window: 9 frames 0.125 s apart are one window."""
    for _ in range(frames):
        wall.now += period
        cpu.now += cost
        budget.frame_sent()


def measured(cores: float) -> tuple[FrameBudget, FakeClock, CpuClock]:
    wall, cpu = FakeClock(), CpuClock(0.0)
    budget = FrameBudget(cores, cpu_clock=cpu, clock=wall)
    return budget, wall, cpu


@pytest.mark.parametrize(("cpu_max", "cores"), [
    ("max 100000\n", math.inf),       # cgroup v2, no quota
    ("50000 100000\n", 0.5),          # docker run --cpus=0.5
    ("200000 100000", 2.0),
    ("-1 100000", math.inf),          # cgroup v1 cfs_quota_us without a quota
    ("150000 50000", 3.0),
    (None, math.inf), ("", math.inf), ("garbled", math.inf), ("0 100000", math.inf),
])
def test_a_cgroup_quota_reads_as_cores(cpu_max, cores):
    assert cgroup_cores(cpu_max) == cores


def test_the_process_gets_the_fewer_of_its_cpus_and_its_quota():
    assert usable_cores(1, "max 100000") == 1.0  # taskset -c 0
    assert usable_cores(2, "50000 100000") == 0.5
    assert usable_cores(8, "200000 100000") == 2.0


def test_machine_cores_reads_affinity_and_the_cgroup_v2_or_else_v1_files(tmp_path, monkeypatch):
    monkeypatch.setattr(budget_module.os, "sched_getaffinity", lambda pid: {0, 1, 2, 3})
    v2, quota, period = tmp_path / "cpu.max", tmp_path / "quota", tmp_path / "period"
    monkeypatch.setattr(budget_module, "CGROUP_V2_CPU_MAX", v2)
    monkeypatch.setattr(budget_module, "CGROUP_V1_QUOTA", quota)
    monkeypatch.setattr(budget_module, "CGROUP_V1_PERIOD", period)
    assert machine_cores() == 4.0  # no cgroup files: the affinity
    quota.write_text("150000\n")
    period.write_text("100000\n")
    assert machine_cores() == 1.5  # v1
    v2.write_text("25000 100000\n")
    assert machine_cores() == 0.25  # v2 wins when present
    monkeypatch.setattr(budget_module.os, "sched_getaffinity", lambda pid: {3})
    v2.write_text("max 100000\n")
    assert machine_cores() == 1.0


def test_the_budget_is_the_cores_over_the_measured_frame_cost():
    budget, wall, cpu = measured(cores=1.0)
    assert budget.rate == pytest.approx(0.8 / STARTING_COST)  # nothing measured yet
    play(budget, wall, cpu, frames=20, cost=0.004)  # 2 s of frames costing 4 ms of CPU each
    assert budget.cost == pytest.approx(0.004)
    assert budget.rate == pytest.approx(200.0)  # 0.8 of a core / 4 ms


def test_a_throttled_replica_gets_a_smaller_budget_and_more_cores_than_the_gil_do_not_count():
    rates = {}
    for cores in (0.25, 0.5, 1.0, 4.0):
        budget, wall, cpu = measured(cores)
        play(budget, wall, cpu, frames=20, cost=0.008)
        rates[cores] = budget.rate
    assert rates[0.25] == pytest.approx(25.0) and rates[0.5] == pytest.approx(50.0)
    assert rates[1.0] == pytest.approx(100.0) == rates[4.0]  # one Python process: one core


def test_a_window_shorter_than_a_second_or_five_frames_measures_nothing():
    budget, wall, cpu = measured(cores=1.0)
    play(budget, wall, cpu, frames=5, cost=0.05, period=0.5)  # 2 s but 4 frames after the first
    assert budget.cost == STARTING_COST
    play(budget, wall, cpu, frames=1, cost=0.05, period=0.5)
    assert budget.cost == pytest.approx(0.05)
    budget, wall, cpu = measured(cores=1.0)
    play(budget, wall, cpu, frames=8, cost=0.02)  # 7 frames in 0.875 s
    assert budget.cost == STARTING_COST
    play(budget, wall, cpu, frames=1, cost=0.02)
    assert budget.cost == pytest.approx(0.02)


def test_dearer_frames_shrink_the_budget_smoothly():
    budget, wall, cpu = measured(cores=1.0)
    play(budget, wall, cpu, frames=9, cost=0.004)
    play(budget, wall, cpu, frames=8, cost=0.012)
    assert budget.cost == pytest.approx(0.008)  # half the old, half the new
    play(budget, wall, cpu, frames=100, cost=0.012)
    assert budget.cost == pytest.approx(0.012, rel=1e-3)


def test_cpu_spent_while_nobody_played_is_not_a_frames():
    budget, wall, cpu = measured(cores=1.0)
    play(budget, wall, cpu, frames=9, cost=0.004)
    wall.now += 30.0
    cpu.now += 5.0  # page loads and clicks between two plays
    play(budget, wall, cpu, frames=9, cost=0.004)
    assert budget.cost == pytest.approx(0.004)


def test_the_budget_stays_within_its_bounds():
    budget, wall, cpu = measured(cores=1.0)
    play(budget, wall, cpu, frames=20, cost=1.0)
    assert budget.rate == MIN_FRAME_RATE
    play(budget, wall, cpu, frames=200, cost=0.0)
    assert budget.rate == MAX_FRAME_RATE


def test_an_operator_fixes_the_budget_or_the_cores_in_the_environment(monkeypatch):
    monkeypatch.setattr(budget_module, "machine_cores", lambda: 2.0)
    fixed_rate = FrameBudget.for_this_machine({FRAME_RATE_VARIABLE: "90"})
    assert fixed_rate.rate == 90.0
    wall, cpu = FakeClock(), CpuClock(0.0)
    fixed_rate._clock, fixed_rate._cpu_clock = wall, cpu
    play(fixed_rate, wall, cpu, frames=20, cost=0.1)
    assert fixed_rate.rate == 90.0  # nothing measured changes it
    assert FrameBudget.for_this_machine({CPUS_VARIABLE: " 0.5 "}).cores == 0.5
    assert FrameBudget.for_this_machine({}).cores == 1.0  # 2 cores, one of them usable (GIL)


@pytest.mark.parametrize("text", ["abc", "-1", "0", "nan", "inf", "1e400", "12 fps", "0x10"])
def test_a_bad_setting_is_ignored_with_a_warning(text, caplog, monkeypatch):
    monkeypatch.setattr(budget_module, "machine_cores", lambda: 0.5)
    with caplog.at_level(logging.WARNING, logger=budget_module.__name__):
        budget = FrameBudget.for_this_machine({FRAME_RATE_VARIABLE: text, CPUS_VARIABLE: text})
    assert budget.fixed_rate is None and budget.cores == 0.5
    warned = sorted(r.getMessage().split("=")[0] for r in caplog.records)
    assert warned == sorted([FRAME_RATE_VARIABLE, CPUS_VARIABLE])


@given(st.text(max_size=20))
def test_any_setting_text_gives_a_positive_number_or_none(text):
    value = positive_setting({"X": text}, "X")
    assert value is None or (math.isfinite(value) and value > 0)


@given(st.integers(2, 200), st.floats(0.001, 0.05), st.floats(0.1, 4.0))
def test_a_crowd_shares_the_measured_budget_evenly_and_never_exceeds_it(playing, cost, cores):
    """Two sessions or more (one alone keeps its own period: the test above)."""
    wall, cpu = FakeClock(), CpuClock(0.0)
    budget = FrameBudget(cores, cpu_clock=cpu, clock=wall)
    sessions = PlayingSessions(wall, budget)
    play(budget, wall, cpu, frames=20, cost=cost)
    pacers = [Pacer(0.05, sessions, f"s{i}", acked=True) for i in range(playing)]
    for pacer in pacers:  # everyone's first frame
        pacer.pause(0.0)
    periods = [pacer.pause(0.0) for pacer in pacers]
    period = periods[0]
    assert all(p == pytest.approx(period) for p in periods)  # an even share
    frames_per_second = playing / period
    assert frames_per_second <= budget.rate * (1 + 1e-9)  # the whole server keeps to its budget
    if playing / budget.rate > MIN_FRAME_SECONDS:  # when the budget binds, it is all used
        assert frames_per_second == pytest.approx(budget.rate)
    # and the CPU it costs is within the cores the process gets (above the floor rate)
    if budget.rate > MIN_FRAME_RATE:
        assert frames_per_second * budget.cost <= min(cores, 1.0) + 1e-9
