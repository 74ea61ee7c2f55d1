"""Classroom figure builders: two runs' cost curves on one chart (compare mode)."""

import numpy as np

from playground.figures.colors import ORANGE
from playground.figures.cost import compare_cost_figure, is_log


def test_compare_cost_figure_names_both_runs_and_draws_b_in_orange():
    epochs = np.arange(1, 4)
    runs = [("A", epochs, np.ones(3), np.full(3, 2.0)), ("B", epochs, np.full(3, 0.5), np.full(3, 0.25))]
    figure = compare_cost_figure(runs, marker_epoch=2)
    assert [t.name for t in figure.data] == ["A train", "A test", "B train", "B test"]
    assert figure.data[2].line.color == figure.data[3].line.color == ORANGE != figure.data[0].line.color
    assert figure.data[2].line.dash != figure.data[3].line.dash  # train and test stay apart
    for trace, loss in zip(figure.data, [1.0, 2.0, 0.5, 0.25], strict=True):
        np.testing.assert_array_equal(trace.x, epochs)
        np.testing.assert_array_equal(trace.y, loss)
    assert figure.layout.shapes[0].x0 == 2


def test_both_runs_share_one_axis_that_is_logarithmic_when_either_wants_it():
    epochs = np.arange(3)
    calm = ("A", epochs, np.array([1.0, 0.5, 0.4]), np.array([1.0, 0.6, 0.5]))
    diverging = ("B", epochs, np.array([1.0, 1e3, 1e9]), np.array([1.0, 1e3, 1e9]))
    assert not is_log(compare_cost_figure([calm, calm]))
    mixed = compare_cost_figure([calm, diverging])
    assert is_log(mixed) and np.asarray(mixed.data[0].y).tolist() == [1.0, 0.5, 0.4]
    assert is_log(compare_cost_figure([calm, calm], log_scale=True))
