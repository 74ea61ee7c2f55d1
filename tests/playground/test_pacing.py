"""Frame pacing while playing: alone a session paces by its diagram's size; a class shares the
server's frames evenly, and a closed tab stops counting."""

import threading

import pytest

from playground.live.pacing import (
    ACTIVE_SECONDS,
    CHARTS,
    COST_SECONDS,
    CROWDED,
    MAX_TRAINING_SECONDS,
    MIN_FRAME_SECONDS,
    MIN_TRAINING_SECONDS,
    SERVER_FRAME_RATE,
    Pacer,
    PlayingSessions,
    charts_to_draw,
    frame_period,
    is_crowded,
    shared_period,
)
from playground.settings.config import Config


class FakeClock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


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


def test_a_page_that_says_it_painted_sets_the_pace_else_the_diagram_size_does():
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
    assert shared_period(0.06, playing=1) == 0.06


def test_a_class_shares_the_server_frame_rate_evenly():
    playing = 10
    period = shared_period(0.06, playing)
    assert playing / period == pytest.approx(SERVER_FRAME_RATE)
    assert shared_period(0.06, 30) == pytest.approx(3 * period)


def test_charts_take_turns_only_when_the_share_is_well_below_the_sessions_own_rate():
    base = 0.06
    assert not is_crowded(base, 1)
    crowd = next(n for n in range(1, 100) if is_crowded(base, n))
    assert shared_period(base, crowd) >= CROWDED * base > shared_period(base, crowd - 1)


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
    sessions = PlayingSessions(FakeClock())
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
