"""Compare mode: a second setup B (optimizer, learning rate, hidden layers, regularization) trained
in step with the session's setup A on A's data and initial seed.

B is rebuilt whenever A's trainer or B's settings change; the play loop (and a Step) keeps its
epoch equal to A's with `keep_in_step`.
"""

from __future__ import annotations

from core import Trainer
from playground.session import keys, locks, state
from playground.settings.build import build_trainer
from playground.settings.config import Config

FIELDS = ("optimizer", "learning_rate", "hidden", "regularization", "regularization_rate")


def field_key(field: str) -> str:
    """The widget key of setup B's `field`."""
    return keys.COMPARE_FIELD(field).name


def is_on() -> bool:
    return bool(keys.COMPARE_ON.get())


def _widget_value(field: str, value):
    return hidden_text(value) if field == "hidden" else value


def hidden_text(hidden: tuple[int, ...]) -> str:
    """Hidden layer sizes as B's text box shows them: "8,8"."""
    return ",".join(str(n) for n in hidden)


def seed_widgets(config: Config) -> None:
    """B's widgets that have no value yet start at A's settings."""
    for field in FIELDS:
        keys.COMPARE_FIELD(field).setdefault(_widget_value(field, getattr(config, field)))


def set_widgets(changes) -> None:
    """B's widgets show A's settings with `changes` (a lesson's "compare" fields)."""
    config = state.config()
    for field in FIELDS:
        keys.COMPARE_FIELD(field).set(_widget_value(field, changes.get(field, getattr(config, field))))


def free_fields() -> tuple[str, ...]:
    """B's fields its widgets set: those a classroom link does not fix to A's (session.locks)."""
    fixed = locks.compare_fixed()
    return tuple(f for f in FIELDS if f not in fixed)


def config_b(config: Config) -> Config | None:
    """Setup B: `config` with B's widget values for its free fields; None when they are invalid."""
    free = free_fields()
    try:
        text = str(keys.COMPARE_FIELD("hidden").get(hidden_text(config.hidden))).replace(" ", "")
        values = {f: keys.COMPARE_FIELD(f).get(getattr(config, f)) for f in FIELDS}
        values["hidden"] = tuple(int(n) for n in text.split(",")) if text else ()
        return Config(**{**config.to_dict(), **{f: values[f] for f in free}})
    except (ValueError, TypeError):
        return None


def drawn_setups(config: Config) -> tuple[Config, ...]:
    """The setups each frame draws: A, and B when compare mode is on (and B is valid)."""
    other = config_b(config) if is_on() else None
    return (config,) if other is None else (config, other)


def trainer_b(trainer: Trainer) -> Trainer | None:
    """Trainer B on trainer A's data (rebuilt when A or B's settings change), or None."""
    if not is_on() or not keys.session_started():
        return None
    other = config_b(state.config())
    if other is None:
        return None
    built = keys.COMPARE.get()
    if built is None or built[0] is not trainer or built[1] != other:
        built = (trainer, other, build_trainer(other, state.init_seed(), data=trainer.data))
        keys.COMPARE.set(built)
    return built[2]


def keep_in_step(trainer: Trainer) -> None:
    """Train B up to A's epoch (B stops with A, or when it diverges)."""
    other = trainer_b(trainer)
    if other is not None and other.epoch < trainer.epoch and not other.diverged:
        other.step(trainer.epoch - other.epoch)
