"""Every session-state key of the page, declared once, with a typed accessor.

Streamlit keeps one `st.session_state` per browser tab. Each value the page keeps there is a
`Key` below (or a `KeyFamily` for keys made per layer, per epoch or per figure); nothing else in
the app names a session-state key. Widget keys are declared here too: a widget with `key=k.name`
keeps its value under that name. Prefixes group the keys by feature: w_ (sidebar widgets), cls_
(your data, lessons, replay, compare), edit_ (editing the network by hand), math_ (the math
view), lb_ (the classroom link builder), play_ (the play loop).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import streamlit as st

T = TypeVar("T")
_UNSET = object()


@dataclass(frozen=True)
class Key(Generic[T]):
    """One session-state entry: `name` in st.session_state, `default` when it is absent."""

    name: str
    default: Any = None

    def get(self, fallback: Any = _UNSET) -> T:
        """The value; when absent, `fallback` if given, else the key's default."""
        return st.session_state.get(self.name, self.default if fallback is _UNSET else fallback)

    def set(self, value: T) -> None:
        st.session_state[self.name] = value

    def pop(self) -> T:
        """The value (or the default), removed from the session."""
        return st.session_state.pop(self.name, self.default)

    def exists(self) -> bool:
        return self.name in st.session_state

    def setdefault(self, value: T) -> T:
        return st.session_state.setdefault(self.name, value)


@dataclass(frozen=True)
class KeyFamily:
    """Keys named `prefix` + a suffix: one per layer, per problem type, per chart revision…"""

    prefix: str

    def __call__(self, suffix: object) -> Key:
        return Key(f"{self.prefix}{suffix}")

    def owns(self, name: str) -> bool:
        return name.startswith(self.prefix)


# --- the training session ----------------------------------------------------------------------
CONFIG = Key("config")  # Config: the settings the trainer was built from
TRAINER = Key("trainer")  # core.Trainer of this session
INIT_SEED = Key("init_seed")  # int: the seed of the trainer's initial weights
PLAYING = Key("playing", False)  # bool: the play loop runs
PAGE_WHOLE = Key("page_whole", False)  # bool: runs draw the sidebar and panels (not a first visit's first)
URL_REPORT = Key("url_report")  # session.url.LinkReport: what the link's parameters did
LINK_HIDDEN = Key("link_hidden", ())  # controls the classroom link hides (settings.config.HIDEABLE)
MESSAGES = Key("messages", ())  # (kind, text) pairs shown once at the top: "info" or "warning"
REGENERATE = Key("regenerate", False)  # the next seed change is "Regenerate data": keep the net
CONTROLS_SHOWN = Key("controls_config")  # the Config the sidebar widgets showed when last read
PACING_TOKEN = Key("play_pacing_token")  # anonymous id among the server's playing sessions
LIVE_TOKEN = Key("play_live_token")  # the live view's channel (live.hub): 128 random bits
FRAME_SEQ = Key("play_frame_seq", 0)  # the last frame number sent to this session's page
STAGE = KeyFamily("pg-")  # the live view's components, by view: their trigger values
PANEL = KeyFamily("panel_")  # bool: a lazy panel is open (session.lazy), by panel name
BACKUP_ID = Key("backup_id")  # this session's anonymous id in the browser's store (session.backup)
BACKUP_MARK = Key("backup_mark")  # (weakref to the Trainer, epoch, Config, when, seconds) last kept
BACKUP_OFFER = Key("backup_offer")  # (epoch, session file text or None) an earlier session, offered
BACKUP_ANSWERED = Key("backup_answered", False)  # the offer was restored or dismissed
BACKUP_RESTORE = Key("backup_restore")  # the offer's buttons
BACKUP_DISMISS = Key("backup_dismiss")
FRAME_EPOCHS = Key("play_frame_epochs")  # (weakref to the Trainer, speed, epochs its last frame trained)

# --- sidebar widgets: "w_" + the Config field they set -------------------------------------------
WIDGET = KeyFamily("w_")  # WIDGET("dataset") is the dataset box, ...
NEURONS = KeyFamily("w_neurons_")  # per hidden layer
LAYER_ACTIVATION = KeyFamily("w_activation_")  # per hidden layer
OUTPUT = KeyFamily("w_output_")  # per problem type: the (output activation, loss) pair
FEATURES_SHOWN = Key("w_features_shown")  # the inputs box when a classroom link hides some inputs
PLAY, STEP, RESET, RESET_SAME = Key("play"), Key("step"), Key("reset"), Key("reset_same")

# --- lessons, your data, save -----------------------------------------------------------------------
LESSON = Key("cls_lesson")  # the lesson box: a lesson id or None
START_HERE = Key("cls_start_here")  # the sidebar's "Start here" button (the article's lesson)
MATH_LESSON = KeyFamily("cls_math_lesson_")  # the math view's lesson row: a button per lesson id
POINTS = Key("cls_points")  # io.uploads.ParsedPoints: the user's points, or None
STANDIN = Key("cls_standin")  # the built-in dataset whose problem type stands in for them
CUSTOM_DATA = Key("cls_data")  # core.Dataset: the points split for CUSTOM_DATA_KEY
CUSTOM_DATA_KEY = Key("cls_data_key")  # (points, train %, seed) CUSTOM_DATA was split for
DRAWN = Key("cls_drawn", ())  # clicked points (x1, x2, class), not yet a dataset
DRAW_MODE = Key("cls_draw_mode", False)  # the "Click to add points" switch
DRAW_CLASS = Key("cls_draw_class", 0)  # class of the next clicked point
CSV_UPLOAD = Key("cls_csv")
DATA_ERROR = Key("cls_data_error")  # the CSV upload's error, shown once
CLEAR_DRAWN, BUILTIN = Key("cls_clear"), Key("cls_builtin")
SESSION_UPLOAD = Key("cls_session")
SESSION_ERROR = Key("cls_session_error")  # the session upload's error, shown once
DOWNLOAD = KeyFamily("cls_dl_")  # a download button, by file name

# --- replay -------------------------------------------------------------------------------------------
RECORDER = Key("cls_recorder")  # core.snapshots.SnapshotRecorder of RECORDER_OF
RECORDER_OF = Key("cls_recorder_of")  # the Trainer RECORDER records
REPLAY = KeyFamily("cls_replay_")  # the replay slider, by the newest recorded epoch

# --- the gradient views -------------------------------------------------------------------------------
GRADIENT_SIZES = Key("cls_gradient_sizes")  # core.gradient_flow.GradientSizeHistory of GRADIENT_SIZES_OF
GRADIENT_SIZES_OF = Key("cls_gradient_sizes_of")  # the Trainer GRADIENT_SIZES records
LANDSCAPE_PARAM = KeyFamily("cls_landscape_")  # the landscape's two parameter boxes, by axis and network
# --- compare ------------------------------------------------------------------------------------------
COMPARE_ON = Key("cls_compare_on", False)
COMPARE_FIELD = KeyFamily("cls_b_")  # setup B's widgets, "cls_b_" + Config field
COMPARE = Key("cls_compare")  # (trainer A, Config B, trainer B) of compare mode

# --- editing by hand ----------------------------------------------------------------------------------
EDIT_PARAM = Key("edit_param")  # settings.params ref (as a tuple) of the picked parameter
EDIT_LIST_KEY = Key("edit_list_key")  # the parameter list's current key (one per network state)
EDIT_LIST = KeyFamily("edit_list_")
EDIT_VALUE = Key("edit_value")  # the number typed for the picked parameter
EDIT_SHOWN = Key("edit_shown")  # (param, value) the number box was last seeded with
EDIT_FOCUS = Key("edit_focus")  # (column, k): the neuron shown large in place of the surface
EDIT_MESSAGE = Key("edit_message")  # ("success" | "error", text), shown once under the editor
EDIT_FORM, UNFOCUS = Key("edit_form"), Key("edit_unfocus")

# --- the math view ----------------------------------------------------------------------------------
MATH_LAYER, MATH_NEURON = Key("math_layer", 0), Key("math_neuron", 0)  # the chosen link layer, neuron
MATH_BATCH, MATH_SAMPLE = Key("math_batch", False), Key("math_sample", 0)  # batch view; sample index
MATH_DERIVATION = Key("math_derivation")  # core.derivation.Derivation shown (full precision)
MATH_STEPPER = Key("math_stepper")  # core.derivation.UpdateStepper of the step-through (a copy)
MATH_STEPPER_OF = Key("math_stepper_of")  # the Trainer whose network MATH_STEPPER copied
MATH_NEXT, MATH_RESET = Key("math_next"), Key("math_reset")  # the step-through's buttons
MATH_APPLY = Key("math_apply")  # "Apply as one epoch": the step-through's update as a Step
MATH_CHECK = Key("math_check")  # the "Check the gradient" button
MATH_GRADIENT_CHECK = Key("math_gradient_check")  # {"params", "numeric"}: the last check's slopes
MATH_GRADIENT_CHECK_ROWS = Key("math_gradient_check_rows")  # its rows as shown
MATH_PHASE_FIGURE = Key("math_phase_figure")
ARTICLE_MATH = Key("math_top")  # The math's container at the top (an element key: its CSS class)

# --- the classroom link builder -----------------------------------------------------------------------
LINK_CONTROLS, LINK_FEATURES = Key("lb_hide"), Key("lb_hide_features")


def session_started() -> bool:
    """True once this tab's session holds a Config (its first run has begun)."""
    return CONFIG.exists()
