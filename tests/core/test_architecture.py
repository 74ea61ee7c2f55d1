"""The house rules of `playground/`, read from the sources (no import needed):

- imports run one way: core → settings → figures / io → session → live → panels → frame → app
  → page (the script Streamlit runs);
- a panel never imports another panel;
- figures/, io/ and settings/ import no Streamlit;
- only session/ touches `st.session_state` and `st.query_params`;
- no module is longer than MAX_LINES.

`violations` is the checker; each rule is also shown to catch a deliberate violation.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PLAYGROUND = ROOT / "playground"
MAX_LINES = 350
# Each package's place in the one-way order: a module may import its own package and the ones
# ranked below it. The top-level modules are packages of their own (frame, app).
RANK = {"settings": 0, "figures": 1, "io": 1, "session": 2, "live": 3, "panels": 4, "frame": 5, "app": 6,
        "page": 7}
NO_STREAMLIT = {"settings", "figures", "io"}
STATE_APIS = {"session_state", "query_params"}


def package_of(module: str) -> str | None:
    """"playground.session.state" -> "session"; None outside playground."""
    parts = module.split(".")
    return parts[1] if parts[0] == "playground" and len(parts) > 1 else None


def imported_modules(tree: ast.Module, module: str) -> list[str]:
    """Every module `module`'s source imports (``from x import y`` counts as x and x.y)."""
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            base = node.module
            if node.level:  # relative: resolve against the importing module's package
                base = ".".join(module.split(".")[:-node.level] + [node.module])
            names += [base, *(f"{base}.{alias.name}" for alias in node.names)]
    return names


def violations(sources: dict[str, str]) -> list[str]:
    """The broken rules of a tree given as {module name: source}, one line each."""
    found = []
    for module, source in sources.items():
        tree = ast.parse(source)
        package = package_of(module)
        if package is None:
            continue
        lines = source.count("\n") + 1
        if lines > MAX_LINES:
            found.append(f"{module}: {lines} lines (at most {MAX_LINES})")
        for name in imported_modules(tree, module):
            target = package_of(name)
            if name.split(".")[0] == "streamlit" and package in NO_STREAMLIT:
                found.append(f"{module} imports streamlit ({package}/ is Streamlit-free)")
            if target is None or target not in RANK or target == package and package != "panels":
                continue
            if package == "panels" and target == "panels" and name.count(".") >= 2:
                if name.split(".")[2] != module.split(".")[2]:
                    found.append(f"{module} imports another panel: {name}")
            elif RANK[target] >= RANK[package] and target != package:
                found.append(f"{module} imports {name}: {target}/ is not below {package}/")
        if package != "session":
            for node in ast.walk(tree):
                if (isinstance(node, ast.Attribute) and node.attr in STATE_APIS
                        and isinstance(node.value, ast.Name) and node.value.id in ("st", "streamlit")):
                    found.append(f"{module}:{node.lineno} touches st.{node.attr} (only session/ may)")
                if (isinstance(node, ast.ImportFrom) and node.module == "streamlit"
                        and {a.name for a in node.names} & STATE_APIS):
                    found.append(f"{module}:{node.lineno} imports streamlit's state (only session/ may)")
    return found


def playground_sources() -> dict[str, str]:
    sources = {}
    for path in sorted(PLAYGROUND.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        sources[module] = path.read_text()
    return sources


def test_the_playground_keeps_the_house_rules():
    sources = playground_sources()
    assert {"playground.app", "playground.frame", "playground.session.keys"} <= set(sources)
    assert violations(sources) == []


def test_core_imports_nothing_of_the_playground():
    for path in (ROOT / "core").glob("*.py"):
        tree = ast.parse(path.read_text())
        imported = imported_modules(tree, f"core.{path.stem}")
        assert not [n for n in imported if n.startswith("playground")], path


@pytest.mark.parametrize(("module", "source", "broken"), [
    ("playground.panels.save", "from playground.panels import math\n", "another panel"),
    ("playground.panels.save", "from playground.panels.math import render\n", "another panel"),
    ("playground.figures.cost", "import streamlit as st\n", "Streamlit-free"),
    ("playground.io.export", "from streamlit import download_button\n", "Streamlit-free"),
    ("playground.settings.labels", "from playground.session import keys\n", "not below"),
    ("playground.session.data", "from playground.panels import lessons\n", "not below"),
    ("playground.panels.save", "from playground import frame\n", "not below"),
    ("playground.figures.cost", "from playground.io.export import history_csv\n", "not below"),
    ("playground.frame", "import streamlit as st\nst.session_state.x = 1\n", "only session/"),
    ("playground.panels.save", "import streamlit as st\nst.query_params.clear()\n", "only session/"),
    ("playground.live.stage", "from streamlit import session_state\n", "only session/"),
    ("playground.panels.save", "x = 1\n" * (MAX_LINES + 1), "lines"),
])
def test_each_rule_catches_a_deliberate_violation(module, source, broken):
    found = violations({module: source})
    assert found and all(broken in line for line in found), found


def test_allowed_imports_pass():
    allowed = {
        "playground.panels.save": "import streamlit as st\nfrom playground.session import data, keys\n"
                                  "from playground.io.export import session_json\nfrom core import Trainer\n",
        "playground.session.data": "from playground.io.export import load_session_json\n"
                                   "from playground.session import state\nst.session_state.x = 1\n",
        "playground.frame": "from playground.panels import math, save\nfrom playground.live import chart\n",
        "playground.figures.cost": "from playground.figures import base\n"
                                   "from playground.settings import labels\n",
    }
    assert violations(allowed) == []
