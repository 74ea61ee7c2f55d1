"""The app's page with the first run's script chunks preloaded.

Streamlit's frontend loads the code of each kind of element (a button, a toggle, a custom
component...) the first time one arrives: on a first visit the page asked for those chunks
only once the first run's elements came, while the server was busy with that run, and the
first picture waited 270–380 ms for them (Chromium, 2 cores, server and browser on one box).
This page is Streamlit's own index.html with a `<link rel="modulepreload">` for the chunks of
the elements the first run draws (FIRST_RUN_ELEMENTS) and the chunks they import, fetched with
Streamlit's own bundle, before the script runs. Nothing else changes: the same file, the same
headers; when a chunk is not found (another Streamlit version), it is simply not preloaded.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import streamlit
from starlette.responses import HTMLResponse
from starlette.routing import Route

STATIC_DIR = Path(streamlit.__file__).parent / "static"
# The element kinds of a first visit's first run (playground.app._whole_page): the toolbar's
# buttons, the live views (custom components), the diagram's and views' switches, st.html.
FIRST_RUN_ELEMENTS = ("Button", "BidiComponent", "Checkbox", "Html")
_LISTED = re.compile(r'"\./static/js/([^"/]+\.js)"')  # a chunk index.html loads or preloads
_IMPORTED = re.compile(r'(?:from|import)\s*"\./([^"/]+\.js)"')  # a chunk's static imports


def preload_chunks(static_dir: Path = STATIC_DIR,
                   elements: tuple[str, ...] = FIRST_RUN_ELEMENTS) -> list[str]:
    """The chunk file names (in static/js) of `elements` and of every chunk they import, that
    index.html does not load already: each element's chunk is `<Element>.<hash>.js`."""
    scripts = static_dir / "static" / "js"
    listed = set(_LISTED.findall((static_dir / "index.html").read_text(encoding="utf-8")))
    todo = [path.name for element in elements for path in sorted(scripts.glob(f"{element}.*.js"))]
    found: list[str] = []
    while todo:
        name = todo.pop(0)
        if name in listed or name in found or not (scripts / name).is_file():
            continue
        found.append(name)
        todo += _IMPORTED.findall((scripts / name).read_text(encoding="utf-8"))
    return found


def preloaded_index(static_dir: Path = STATIC_DIR, elements: tuple[str, ...] = FIRST_RUN_ELEMENTS) -> str:
    """Streamlit's index.html with a modulepreload link for each of preload_chunks()."""
    html = (static_dir / "index.html").read_text(encoding="utf-8")
    links = "".join(f'\n    <link rel="modulepreload" crossorigin href="./static/js/{name}">'
                    for name in preload_chunks(static_dir, elements))
    return html.replace("\n  </head>", f"{links}\n  </head>", 1)


@functools.cache
def _index_html() -> str:
    return preloaded_index()


async def _index(request) -> HTMLResponse:
    return HTMLResponse(_index_html(), headers={"Cache-Control": "no-cache"})


def index_route() -> Route:
    """The app's root page ("/"; a server with a base URL path serves Streamlit's own there)."""
    return Route("/", _index, methods=["GET", "HEAD"])
