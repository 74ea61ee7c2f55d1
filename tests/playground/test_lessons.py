"""The classroom lessons: every one sets every control, and each does what its prompt promises."""

from dataclasses import fields

import pytest

from core import DATASETS
from playground.settings.build import build_trainer
from playground.settings.config import Config
from playground.settings.lessons import LESSONS, LESSONS_BY_ID

DATA_FIELDS = {"dataset", "noise", "train_percent", "n_samples", "seed"}


def config(lesson_id: str, **changes) -> Config:
    lesson = LESSONS_BY_ID[lesson_id]
    return Config(**{**lesson.settings, **changes})


def trained(cfg: Config, epochs: int):
    trainer = build_trainer(cfg, cfg.seed)
    trainer.step(epochs)
    return trainer


def test_seven_lessons_with_unique_ids_and_short_prompts():
    assert len(LESSONS) >= 7 and len(LESSONS_BY_ID) == len(LESSONS)
    for lesson in LESSONS:
        sentences = [s for s in lesson.prompt.replace("?", ".").split(". ") if s.strip()]
        assert 2 <= len(sentences) <= 4, lesson.id


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_every_lesson_sets_every_control_and_its_compare_keeps_the_data(lesson):
    assert set(lesson.settings) == {f.name for f in fields(Config)}
    Config(**lesson.settings)
    Config(**{**lesson.settings, **lesson.compare})
    assert not set(lesson.compare) & DATA_FIELDS  # compare runs on the same data
    assert lesson.settings["dataset"] in DATASETS


def test_perceptron_separates_the_blobs():
    assert trained(config("perceptron"), 30).evaluate()[3] > 0.97


def test_xor_fails_without_a_hidden_layer_and_learns_with_one():
    assert trained(config("xor"), 100).evaluate()[2] < 0.7
    assert trained(config("xor", **LESSONS_BY_ID["xor"].compare), 100).evaluate()[2] > 0.95


def test_circle_is_easy_with_squares_and_hard_without():
    assert trained(config("circle-features"), 50).evaluate()[3] > 0.97
    without = config("circle-features", **LESSONS_BY_ID["circle-features"].compare)
    assert trained(without, 100).evaluate()[2] < 0.7


def test_spiral_fails_small_and_learns_with_depth_and_features():
    assert trained(config("spiral"), 200).evaluate()[2] < 0.8
    helped = config("spiral", **LESSONS_BY_ID["spiral"].compare)
    assert trained(helped, 200).evaluate()[2] > 0.95


def test_learning_rate_too_high_diverges_too_low_crawls():
    assert trained(config("learning-rate"), 60).diverged
    slow = trained(config("learning-rate", learning_rate=0.00001), 60)
    good = trained(config("learning-rate", **LESSONS_BY_ID["learning-rate"].compare), 60)
    assert not slow.diverged and slow.evaluate()[0] > 0.1
    assert good.evaluate()[0] < 0.01


def test_overfitting_then_l2_lowers_the_test_loss():
    plain = trained(config("overfitting"), 500).evaluate()
    assert plain[0] < 0.01 and plain[1] > 0.5  # memorised the training set, poor on test
    l2 = trained(config("overfitting", **LESSONS_BY_ID["overfitting"].compare), 500).evaluate()
    assert l2[1] < plain[1] / 2


def test_adam_and_momentum_beat_sgd_on_the_spiral():
    losses = {opt: trained(config("optimizers", optimizer=opt), 300).evaluate()[0]
              for opt in ("sgd", "momentum", "adam")}
    assert losses["sgd"] > 0.3 and losses["momentum"] < 0.15 and losses["adam"] < 0.05
