"""Every way a student could try to change the setup, run inside the app (AppTest).

`routed_app()` is the app with a hook: before each run it performs the route left in
st.session_state["test_route"], calling the same session functions the panels' callbacks call
(so a route is tried even where its panel is not drawn, as a forged request would). What each
route is, is written out in `perform`.
"""

from __future__ import annotations

import numpy as np
from streamlit.testing.v1 import AppTest

from playground.io.export import session_json
from playground.io.uploads import make_points
from playground.session.keys import PAGE_WHOLE
from playground.settings.build import build_trainer
from playground.settings.config import Config

ROUTE_KEY = "test_route"
BINARY_CSV = b"x1,x2,label\n" + b"".join(f"{i - 5},{(i * 7) % 11 - 5},{i % 2}\n".encode() for i in range(12))
THREE_CLASS_CSV = b"x1,x2,label\n" + b"".join(f"{i % 5},{i // 5},{i % 3}\n".encode() for i in range(15))
REGRESSION_CSV = b"x1,x2,value\n" + b"".join(f"{i - 5},{i % 4},{i / 10}\n".encode() for i in range(12))
CSVS = {"binary": BINARY_CSV, "three-class": THREE_CLASS_CSV, "regression": REGRESSION_CSV}
CLICKS = [(-3.0, -3.0, 0), (3.0, 3.0, 1), (-3.0, 3.0, 0), (3.0, -3.0, 1)]


def saved_session(config: Config, custom: bool = False) -> bytes:
    """A session file of `config` after two epochs (on points of the user's own if `custom`)."""
    data = None
    if custom:
        from playground.io.uploads import dataset_from_points
        rng = np.random.default_rng(3)
        points = make_points(rng.uniform(-5, 5, (40, 2)), np.arange(40) % 2, "classification")
        data = dataset_from_points(points, 1 - config.train_percent / 100, config.seed)
    trainer = build_trainer(config, config.init_seed, data=data)
    trainer.step(2)
    return session_json(trainer, config.to_dict()).encode()


SESSIONS = {
    "default-lr-1": saved_session(Config(learning_rate=1.0)),
    "spiral-adam": saved_session(Config(dataset="spiral", hidden=(6, 6), optimizer="adam", init_seed=5)),
    "custom-points": saved_session(Config(), custom=True),
    "defaults": saved_session(Config()),
}


def perform(route: tuple) -> None:
    """Do `route` as its panel's callback would (inside the app's script run, before main())."""
    import streamlit as st

    from playground.io.uploads import parse_points_csv
    from playground.session import compare, data, keys, state, widgets

    kind, *args = route
    if kind == "lesson":  # the lesson box
        keys.LESSON.set(args[0])
        data.apply_lesson()
    elif kind == "choose":  # a lesson button: "Start here" or the math view's row of the article's lessons
        data.choose_lesson(args[0])
    elif kind == "csv":  # Your data: upload a CSV
        data.use_points(parse_points_csv(CSVS[args[0]]))
    elif kind == "click":  # Your data: click four points onto the surface
        data.add_drawn_points(CLICKS)
    elif kind == "session":  # Save and export: continue a saved session
        data.load_session_file(f"{args[0]}.json", SESSIONS[args[0]])
    elif kind == "advanced_off":  # the advanced switch
        st.session_state[widgets.key("advanced")] = False
        widgets.advanced_switched()
    elif kind == "reset":
        state.reset()
    elif kind == "regenerate":
        widgets.regenerate()
    elif kind == "compare":  # Compare: turn it on, set one of B's settings (which starts over)
        keys.COMPARE_ON.set(True)
        keys.COMPARE_FIELD(args[0]).set(args[1])
        state.reset()
    elif kind == "widget":  # a sidebar widget's new value, as the browser sends it
        st.session_state[args[0]] = args[1]
    elif kind == "step":
        state.step_once()
    elif kind == "restart":  # not a student's route: back to Config args[0] on built-in data, no lesson,
        data.clear_drawn()    # compare off with B = A (so one session can try route after route)
        keys.LESSON.set(None)
        keys.COMPARE_ON.set(False)
        data.start(args[0])
        compare.set_widgets({})
    elif kind == "rest":  # a first visit's page has drawn the views and asks for the rest
        _trigger(keys.STAGE("backup").name, {"rest": True})
    elif kind == "structure":  # the diagram's +/- buttons: {"layers": ±1} or {"layer": l, "neurons": ±1}
        _trigger(keys.STAGE("network").name, {"structure": args[0]})
        widgets.on_structure()
    else:
        raise ValueError(f"unknown route {kind}")


TRIGGERED_KEY = "test_triggered"


def _trigger(name: str, value: dict) -> None:
    """A live view's trigger value, as the browser sends it: for this run only."""
    import streamlit as st

    st.session_state[name] = value
    st.session_state[TRIGGERED_KEY] = (*st.session_state.get(TRIGGERED_KEY, ()), name)


def routed_app(first_visit: bool = False, **params: str) -> AppTest:
    """A fresh session of the app whose runs first perform st.session_state["test_route"]
    (`first_visit`: the first run draws what a browser's first run draws, the views only)."""
    def script():
        import streamlit as st

        from playground import app
        from tests.playground.routes import ROUTE_KEY, TRIGGERED_KEY, perform
        for name in st.session_state.pop(TRIGGERED_KEY, ()):  # the last run's trigger is spent
            st.session_state[name] = {}
        route = st.session_state.pop(ROUTE_KEY, None)
        if route is not None:
            perform(route)
        from tests.playground.session import open_panels

        open_panels()
        app.main()

    at = AppTest.from_function(script, default_timeout=60)
    if first_visit:
        at.session_state[PAGE_WHOLE.name] = False
    for name, value in params.items():
        at.query_params[name] = value
    return at.run()


def take(at: AppTest, *route) -> AppTest:
    """Run the app once more, performing `route` first."""
    at.session_state[ROUTE_KEY] = route
    return at.run()
