"""The metrics panel: loss with and without the penalty, accuracy and a confusion matrix
for classification, RMSE and R² for regression — every number from ``Trainer.metrics``.

Computed and drawn only while paused (a pass over the data the play loop does not need), so
playing stays as fast as before; the panel says so. Numbers sit in HTML tables with stable ids
("metric-<row>-<split>", "confusion-<true>-<predicted>") for tests.
"""

from __future__ import annotations

import html

import numpy as np
import streamlit as st

from core import Trainer
from playground.session import lazy
from playground.session.state import playing
from playground.settings.labels import class_name
from playground.settings.text import number, percent

PENALTY_FORMULAS = {"l2": "λ·½Σw²", "l1": "λ·Σ|w|"}
CSS = """<style>
.pg-metrics {border-collapse: collapse; font-variant-numeric: tabular-nums; font-size: 0.9rem;}
.pg-metrics th, .pg-metrics td {padding: 0.1rem 0.7rem; border-bottom: 1px solid #e6e6e6;}
.pg-metrics td {text-align: right;} .pg-metrics th {text-align: left; font-weight: 500;}
.pg-metrics tr.pg-total th, .pg-metrics tr.pg-total td {font-weight: 700;}
</style>"""


def penalty_label(kind: str, rate: float) -> str:
    """"+ L2 penalty (λ·½Σw², λ = 0.01)", or "+ penalty (none)"."""
    if kind == "none" or rate == 0:
        return "+ penalty (none)"
    return f"+ {kind.upper()} penalty ({PENALTY_FORMULAS[kind]}, λ = {rate:g})"


def metrics_table(rows: list[tuple[str, str, str, str]], splits: tuple[str, ...] = ("train", "test")) -> str:
    """An HTML table of (label, row id, train text, test text) rows; the "total" row is bold."""
    head = "".join(f"<th>{s}</th>" for s in splits)
    body = "".join(
        f'<tr{" class=pg-total" if row_id == "total" else ""}><th>{html.escape(label)}</th>'
        + "".join(f'<td id="metric-{row_id}-{s}">{text}</td>' for s, text in zip(splits, texts, strict=True))
        + "</tr>"
        for label, row_id, *texts in rows)
    return f'<table class="pg-metrics"><tr><th></th>{head}</tr>{body}</table>'


def confusion_table(confusion: np.ndarray) -> str:
    """An HTML table of a (k, k) confusion matrix: rows the true class, columns the predicted."""
    k = confusion.shape[0]
    head = "".join(f"<th>predicted {class_name(j)}</th>" for j in range(k))
    body = "".join(
        f"<tr><th>true {class_name(i)}</th>"
        + "".join(f'<td id="confusion-{i}-{j}">{int(confusion[i, j]):,}</td>' for j in range(k))
        + "</tr>"
        for i in range(k))
    return f'<table class="pg-metrics"><tr><th></th>{head}</tr>{body}</table>'


def render(trainer: Trainer) -> None:
    """The "Metrics" panel (lazy: built only while open); its numbers only when paused."""
    lazy.panel("Metrics", "metrics", lambda: _table(trainer))


def _table(trainer: Trainer) -> None:
    if playing():
        st.caption("Metrics are computed when paused, so playing stays fast. Pause to see them.")
        return
    train, test = trainer.metrics("train"), trainer.metrics("test")
    regularizer = trainer.regularizer
    rows = [("data loss", "loss", number(train.loss), number(test.loss)),
            (penalty_label(regularizer.kind, regularizer.rate), "penalty",
             number(train.penalty), number(test.penalty)),
            ("= total (what training minimises)", "total", number(train.total), number(test.total))]
    if trainer.data.kind == "classification":
        rows.append(("accuracy", "accuracy", percent(train.accuracy), percent(test.accuracy)))
    else:
        rows += [("RMSE", "rmse", number(train.rmse), number(test.rmse)),
                 ("R²", "r2", number(train.r2, 3), number(test.r2, 3))]
    st.html(CSS)
    left, right = st.columns([1, 1], gap="medium")
    left.markdown(metrics_table(rows), unsafe_allow_html=True)
    left.caption(f"Epoch {trainer.epoch:,}. The data loss is the cost of the stats row; the "
                 "penalty depends on the weights only, so it is the same for both sets.")
    if test.confusion is not None:
        right.markdown(f"**Confusion matrix**, test set ({int(test.confusion.sum()):,} points)")
        right.markdown(confusion_table(test.confusion), unsafe_allow_html=True)
