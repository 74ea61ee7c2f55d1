"""`core` is numpy only: importing it loads neither streamlit nor plotly."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_core_imports_neither_streamlit_nor_plotly():
    code = ("import core, core.kernel, core.serialization, sys; "
            "loaded = sorted({m.split('.')[0] for m in sys.modules} & {'streamlit', 'plotly'}); "
            "assert not loaded, loaded")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_core_sources_do_not_mention_ui_packages():
    for path in (ROOT / "core").glob("*.py"):
        text = path.read_text()
        assert "import streamlit" not in text and "import plotly" not in text, path
