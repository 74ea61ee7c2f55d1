"""Fixtures for the playground's tests."""

import pytest


@pytest.fixture
def roomy_frames(monkeypatch):
    """Frames with time for any fixed speed (a minute of training): tests that count the epochs
    of frames at a fixed speed must not depend on how fast this shared machine trains just now
    (a frame trains at most pacing.MAX_TRAINING_SECONDS, 40 ms)."""
    from playground.live import pacing

    monkeypatch.setattr(pacing, "MAX_TRAINING_SECONDS", 60.0)


@pytest.fixture
def uncrowded(monkeypatch):
    """A server that is never crowded: every frame carries every chart. Tests that read a chart
    from a frame must not depend on the frame budget this shared machine measures just now (a
    crowded server sends one chart per frame, pacing.charts_to_draw)."""
    from playground.live import pacing

    monkeypatch.setattr(pacing, "is_crowded", lambda *args: False)
