"""Frame pacing while playing: a quiet server paces by the diagram's size, a busy one backs off."""

import pytest

from playground.app import FRAME_DUTY, frame_period, network_interval, pause_after
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


def test_network_diagram_redraws_every_frame_on_a_free_cpu_and_less_often_when_shared():
    assert network_interval(1.0) == 1
    assert network_interval(1.3) == 1
    assert network_interval(2.0) == 2
    assert network_interval(3.2) == 3
    assert network_interval(40.0) == 4  # never slower than every 4th frame
