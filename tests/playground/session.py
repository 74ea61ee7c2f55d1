"""The app under AppTest, shared by the playground's test modules."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent / "app_script.py")  # streamlit_app.py with a frame budget


def app(**params: str) -> AppTest:
    """A fresh session of the app, run once with `params` as its URL query parameters."""
    at = AppTest.from_file(APP, default_timeout=60)
    for name, value in params.items():
        at.query_params[name] = value
    return at.run()
