"""What a classroom link locks: the one rule every route that changes the Config follows.

A link's `hide=` names controls (settings.config.HIDEABLE). A hidden control's setting keeps the
link's value for the whole session, whichever way a student might try to change it: the sidebar,
a lesson, uploaded or clicked points, a saved session, Compare's setup B, the advanced switch,
Reset's next initial weights, Regenerate. Each of these routes either keeps every locked setting
or is refused with one message, and a panel that could only break a lock is not drawn.

`COVERS` names the Config fields each control sets. A lock holds while the control's `view` of
the Config stays equal: a feature's view is whether it is an input (the other inputs stay free),
the layer count's is the number of hidden layers (the neurons per layer stay free); every other
control's view is its fields. The link itself (its settings, its `?lesson=`) decides the locked
values on the session's first run.
"""

from __future__ import annotations

from core import DATASETS, FEATURES
from playground.session import keys
from playground.settings.config import Config, problem, within_normal_limits
from playground.settings.labels import CONTROL_LABELS, FEATURE_LABELS
from playground.settings.lessons import LESSONS, Lesson

COVERS: dict[str, tuple[str, ...]] = {
    "play": (), "step": (),  # the buttons themselves: no setting
    "reset": ("init_seed",),  # Reset draws the next initial weights
    "learning_rate": ("learning_rate",), "activation": ("activation",),
    "regularization": ("regularization",), "regularization_rate": ("regularization_rate",),
    "output": ("output_activation", "loss"),
    "dataset": ("dataset",),  # and the data themselves: no uploaded, clicked or loaded points
    "train_percent": ("train_percent",), "noise": ("noise",), "batch_size": ("batch_size",),
    "layers": ("hidden",),  # its length only
    "neurons": ("hidden",), "optimizer": ("optimizer",), "n_samples": ("n_samples",),
    "seed": ("seed",),  # typed, or drawn by Regenerate
    "init": ("init", "init_seed"),  # the initial weights: how they are drawn and which draw
    "stop": ("stop_epoch", "stop_patience"), "speed": ("speed",), "advanced": ("advanced",),
    **{feature: ("features",) for feature in FEATURES},  # whether that feature is an input
}
# Compare's setup B changes these fields; each is A's value while a control setting it is hidden.
COMPARE_COVERS: dict[str, tuple[str, ...]] = {
    "optimizer": ("optimizer",), "learning_rate": ("learning_rate",), "hidden": ("layers", "neurons"),
    "regularization": ("regularization",), "regularization_rate": ("regularization_rate",),
}


# --- the rule (pure) ------------------------------------------------------------------------------

def view(config: Config, control: str) -> object:
    """The part of `config` that `control` decides."""
    if control in FEATURES:
        return control in config.features
    if control == "layers":
        return len(config.hidden)
    return tuple(getattr(config, name) for name in COVERS[control])


def broken(old: Config, new: Config, hidden: tuple[str, ...]) -> tuple[str, ...]:
    """The hidden controls whose setting differs between `old` and `new` (empty: `new` keeps
    every lock)."""
    return tuple(c for c in hidden if view(old, c) != view(new, c))


def implied(hidden: tuple[str, ...], config: Config) -> frozenset[str]:
    """Controls a link hides without naming them: those every change of which breaks a lock.
    With the neurons fixed, or one activation per layer fixed, the layer count is fixed too."""
    if "neurons" in hidden or ("activation" in hidden and "," in config.activation):
        return frozenset({"layers"})
    return frozenset()


def fixed_fields(hidden: tuple[str, ...]) -> frozenset[str]:
    """Config fields no route may change at all (a feature or the layer count fixes only part
    of its field)."""
    return frozenset(f for c in hidden if c not in FEATURES and c != "layers" for f in COVERS[c])


def label(control: str) -> str:
    """The control's name as the page says it: "Learning rate", "input x₁"."""
    return f"input {FEATURE_LABELS[control]}" if control in FEATURES else CONTROL_LABELS[control]


def refusal(controls: tuple[str, ...], consequence: str) -> str:
    """One sentence: what the link fixes, and so what did not happen."""
    names = [label(c) for c in controls]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"This classroom link fixes {listed}, so {consequence}."


# --- this session's link --------------------------------------------------------------------------

def hidden() -> tuple[str, ...]:
    """The controls this session's classroom link hides."""
    return tuple(keys.LINK_HIDDEN.get())


def shown(control: str) -> bool:
    """False when this session's link hides `control`, by name or by implication."""
    hides = hidden()
    return control not in hides and control not in implied(hides, keys.CONFIG.get())


def broken_by(new: Config) -> tuple[str, ...]:
    """The locks `new` would break if it replaced the session's Config."""
    return broken(keys.CONFIG.get(), new, hidden())


def fixes(field: str) -> bool:
    """True when no route may change the Config field `field`."""
    return field in fixed_fields(hidden())


def data_fixed() -> bool:
    """True when the link fixes the dataset: no points of the user's own replace it."""
    return "dataset" in hidden()


def dataset_choices(config: Config) -> list[str]:
    """The datasets the sidebar offers: with the output fixed, those of `config`'s problem type."""
    if "output" not in hidden():
        return list(DATASETS)
    return [name for name in DATASETS if problem(name) == config.problem]


def advanced_fixed(config: Config) -> bool:
    """True when turning the advanced switch off would clamp a locked setting."""
    return config.advanced and bool(broken_by(within_normal_limits(config)[0]))


def compare_fixed() -> frozenset[str]:
    """Setup B's fields that stay A's: a control setting them is hidden."""
    hides = set(hidden())
    return frozenset(f for f, controls in COMPARE_COVERS.items() if hides & set(controls))


def lesson_conflicts(lesson: Lesson) -> tuple[str, ...]:
    """The hidden controls whose setting `lesson` would change, in A or in its setup B."""
    hides = hidden()
    changed_in_b = {f for f, value in lesson.compare.items() if getattr(lesson.config, f) != value}
    in_b = {c for f in changed_in_b & compare_fixed() for c in COMPARE_COVERS[f] if c in hides}
    return tuple(c for c in hides if c in set(broken_by(lesson.config)) | in_b)


def lesson_allowed(lesson: Lesson) -> bool:
    """True when `lesson` keeps every locked setting, its setup B's included."""
    return not lesson_conflicts(lesson)


def panel_shown(panel: str) -> bool:
    """Whether a classroom panel is drawn under this link: "lessons" (while some lesson keeps
    the locks), "your_data" (unless the dataset is fixed), "compare" (while some field of setup
    B is free), "link_builder" (only on a page without hidden controls)."""
    if panel == "lessons":
        return any(lesson_allowed(lesson) for lesson in LESSONS)
    if panel == "your_data":
        return not data_fixed()
    if panel == "compare":
        return compare_fixed() != frozenset(COMPARE_COVERS)
    if panel == "link_builder":
        return not hidden()
    raise ValueError(f"no panel {panel!r}")
