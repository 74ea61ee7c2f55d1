"""Fixtures for the playground's tests."""

import pytest


@pytest.fixture
def roomy_frames(monkeypatch):
    """Frames with time for any fixed speed (a minute of training): tests that count the epochs
    of frames at a fixed speed must not depend on how fast this shared machine trains just now
    (a frame trains at most pacing.MAX_TRAINING_SECONDS, 40 ms)."""
    from playground.live import pacing

    monkeypatch.setattr(pacing, "MAX_TRAINING_SECONDS", 60.0)
