"""Frame pacing while playing: a quiet server paces by the diagram's size, a busy one backs off."""

import pytest

from playground.app import FRAME_DUTY, frame_period, pause_after
from playground.config import Config


def test_bigger_diagrams_get_longer_frames():
    small, big = Config(hidden=(2,)), Config(hidden=(8, 8, 8, 8), features=("x1", "x2", "x1^2"))
    assert frame_period(big) > frame_period(small) > 0


def test_a_quick_frame_waits_for_the_rest_of_its_period():
    config = Config()
    assert pause_after(0.01, config) == pytest.approx(frame_period(config) - 0.01)


def test_a_slow_frame_keeps_work_to_the_duty_share_of_the_period():
    config = Config()
    work = 10 * frame_period(config)  # e.g. the CPU is shared with many sessions
    pause = pause_after(work, config)
    assert work / (work + pause) == pytest.approx(FRAME_DUTY)
