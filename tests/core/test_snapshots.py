"""SnapshotRecorder: every epoch early on, geometric spacing later, always within its memory cap."""

import numpy as np
import pytest

from core import MLP
from core.snapshots import DEFAULT_CAPACITY_BYTES, SnapshotRecorder, swapped_params


def record_run(recorder: SnapshotRecorder, epochs: int, size: int = 17) -> None:
    for epoch in range(epochs + 1):
        recorder.record(epoch, np.full(size, float(epoch)))


@pytest.mark.parametrize("size", [17, 1_000, 100_000])
def test_memory_stays_within_the_cap(size):
    recorder = SnapshotRecorder()
    record_run(recorder, 3_000 if size < 100_000 else 50, size)
    assert recorder.nbytes <= DEFAULT_CAPACITY_BYTES
    assert len(recorder) == min(recorder.max_snapshots(size), 3_001 if size < 100_000 else 51)


def test_every_epoch_is_kept_while_it_fits():
    recorder = SnapshotRecorder()
    record_run(recorder, 500)
    assert recorder.epochs == list(range(501))


def test_dense_early_then_geometric_and_always_first_and_latest():
    recorder = SnapshotRecorder(capacity_bytes=300 * 8 * 17, dense_epochs=100)
    record_run(recorder, 20_000)
    epochs = np.array(recorder.epochs)
    assert len(epochs) == 300 and epochs[0] == 0 and epochs[-1] == 20_000
    early, late = np.diff(epochs[epochs <= 100]), np.diff(epochs[epochs >= 1_000])
    assert early.max() <= 3  # early epochs stay (almost) all there
    relative = late / epochs[epochs >= 1_000][:-1]
    assert relative.max() < 4 * relative.min()  # gaps grow in proportion to the epoch


def test_nearest_returns_a_copy_of_the_closest_snapshot():
    recorder = SnapshotRecorder(capacity_bytes=20 * 8 * 3)
    record_run(recorder, 1_000, size=3)
    epoch, params = recorder.nearest(777)
    others = np.array(recorder.epochs)
    assert abs(epoch - 777) == np.abs(others - 777).min()
    np.testing.assert_array_equal(params, np.full(3, float(epoch)))
    params[:] = -1
    assert recorder.nearest(epoch)[1][0] == epoch


def test_items_are_every_snapshot_in_order_read_only():
    recorder = SnapshotRecorder(capacity_bytes=20 * 8 * 3)
    record_run(recorder, 1_000, size=3)
    items = recorder.items()
    assert [epoch for epoch, _ in items] == recorder.epochs
    for epoch, params in items:
        np.testing.assert_array_equal(params, np.full(3, float(epoch)))
        with pytest.raises(ValueError, match="read-only"):
            params[0] = -1.0
    assert SnapshotRecorder().items() == []


def test_record_copies_and_an_earlier_epoch_starts_a_new_timeline():
    recorder = SnapshotRecorder()
    params = np.zeros(4)
    recorder.record(0, params)
    params[:] = 5
    recorder.record(0, params)  # the same epoch again: kept once, the first copy
    assert recorder.nearest(0)[1][0] == 0
    recorder.record(10, params)
    recorder.record(3, params)  # training restarted
    assert recorder.epochs == [3]
    with pytest.raises(ValueError, match="changed size"):
        recorder.record(4, np.zeros(5))
    with pytest.raises(ValueError, match="no snapshots"):
        SnapshotRecorder().nearest(0)


def test_swapped_params_restores_the_network():
    net = MLP([2, 3, 1], seed=0)
    before = net.params.copy()
    with swapped_params(net, np.zeros_like(before)) as swapped:
        assert np.all(swapped.forward(np.ones((1, 2))) == 0.5)
    np.testing.assert_array_equal(net.params, before)
