"""The classroom link builder: the URL it builds (plain pytest) and its sidebar expander (AppTest)."""

from urllib.parse import parse_qsl, urlsplit

import numpy as np

from playground.session.keys import LINK_CONTROLS, LINK_FEATURES
from playground.session.url import classroom_url, config_from_query, config_to_query, hidden_from_query
from playground.settings.config import DEFAULT, Config
from tests.playground.session import app

CONTROLS_KEY, FEATURES_KEY = LINK_CONTROLS.name, LINK_FEATURES.name


def query(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))


def test_the_url_carries_every_setting_and_the_hidden_controls():
    config = Config(dataset="spiral", hidden=(6, 6), activation="relu,sine", features=("x1", "x1^2"),
                    init_seed=9, stop_epoch=200)
    url = classroom_url("http://localhost:8501/", config, ["x1^2", "dataset", "play", "nope"])
    assert url.startswith("http://localhost:8501/?advanced=0&dataset=spiral&")
    params = query(url)
    assert params["hide"] == "play,dataset,x1^2"  # known names only, in the builder's order
    assert config_from_query(params) == (config, [])
    assert hidden_from_query(params) == (("play", "dataset", "x1^2"), (), False)
    assert "hide" not in query(classroom_url("", DEFAULT))
    assert query(classroom_url("", DEFAULT)) == config_to_query(DEFAULT)


def test_the_expander_builds_a_link_that_opens_the_same_setup_with_those_controls_hidden():
    at = app(dataset="xor", learning_rate="0.1", hidden="3")
    at.button(key="reset").click().run()  # a new init seed: the link must carry it
    at.button_group(key=CONTROLS_KEY).set_value(["learning_rate", "dataset"]).run()
    at.button_group(key=FEATURES_KEY).set_value(["x1"]).run()
    url = at.sidebar.code[0].value
    params = query(url)
    assert params["hide"] == "learning_rate,dataset,x1" and params["init_seed"] == "1"
    student = app(**params)
    assert not student.exception and not student.warning
    assert student.session_state.config == at.session_state.config
    np.testing.assert_array_equal(student.session_state.trainer.net.params,  # the same initial weights
                                  at.session_state.trainer.net.params)
    shown = {w.key for w in (*student.sidebar.selectbox, *student.sidebar.slider)}
    assert "w_dataset" not in shown and "w_learning_rate" not in shown
    assert "x₁" not in student.button_group(key="w_features_shown").options
    assert not student.sidebar.code  # students get no link builder (a link without hide= has one)
    assert CONTROLS_KEY not in {w.key for w in student.get("button_group")}


def test_the_link_follows_the_settings():
    at = app()
    at.slider(key="w_noise").set_value(25).run()
    assert query(at.sidebar.code[0].value)["noise"] == "25"
    assert "hide" not in query(at.sidebar.code[0].value)
