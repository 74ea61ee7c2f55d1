"""Classroom figure builders: the hidden click grid and two runs' cost curves on one chart."""

import numpy as np

from playground.figures.cost import compare_cost_figure
from playground.figures.surface import CLICK_TRACE, click_grid, surface_figure, with_click_grid


def test_click_grid_covers_the_input_square():
    grid = click_grid(5)
    assert grid.shape == (25, 2) and grid.min() == -6 and grid.max() == 6


def test_click_grid_is_an_invisible_last_trace_and_clicks_select():
    xs = np.linspace(-6, 6, 4)
    base = surface_figure(xs, xs, np.full((4, 4, 1), 0.5), "classification", 2,
                          np.zeros((2, 2)), np.array([0, 1]))
    figure = with_click_grid(base, 9)
    trace = figure.data[-1]
    assert trace.name == CLICK_TRACE and len(trace.x) == 81 and trace.marker.color == "rgba(0,0,0,0)"
    assert figure.layout.clickmode == "event+select"


def test_compare_cost_figure_names_both_runs():
    epochs = np.arange(1, 4)
    runs = [("A", epochs, np.ones(3), np.ones(3)), ("B", epochs, np.zeros(3), np.zeros(3))]
    figure = compare_cost_figure(runs, marker_epoch=2)
    assert [t.name for t in figure.data] == ["A train", "A test", "B train", "B test"]
    assert figure.data[2].line.color != figure.data[0].line.color
    assert figure.layout.shapes[0].x0 == 2
