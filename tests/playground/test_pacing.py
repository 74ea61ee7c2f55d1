"""Frame pacing while playing: a quiet server paces by the diagram's size, a busy one backs off."""

import pytest

from playground.app import (
    CHARTS,
    FRAME_DUTY,
    charts_to_draw,
    frame_period,
    pause_after,
)
from playground.config import Config


def test_bigger_diagrams_get_longer_frames():
    small, big = Config(hidden=(2,)), Config(hidden=(8, 8, 8, 8), features=("x1", "x2", "x1^2"))
    assert frame_period(big) > frame_period(small) > 0


def test_a_quick_frame_waits_for_the_rest_of_its_period():
    config = Config()
    assert pause_after(0.01, config) == pytest.approx(frame_period(config) - 0.01)


def test_a_slow_frame_on_a_free_cpu_goes_straight_on():
    config = Config()
    assert pause_after(10 * frame_period(config), config, contention=1.0) == 0.0


def test_on_a_shared_cpu_work_takes_only_the_duty_share_of_a_frame():
    config = Config()
    work = 10 * frame_period(config)
    pause = pause_after(work, config, contention=3.0)
    assert work / (work + pause) == pytest.approx(FRAME_DUTY)


def test_every_chart_every_frame_on_a_free_cpu_and_taking_turns_when_shared():
    assert all(charts_to_draw(count, 1.0) == CHARTS for count in range(5))
    turns = [charts_to_draw(count, 3.0) for count in range(6)]
    assert all(len(drawn) == 1 for drawn in turns)
    assert {drawn[0] for drawn in turns[:3]} == set(CHARTS) == {drawn[0] for drawn in turns[3:]}
