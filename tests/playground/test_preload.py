"""The root page preloads the first run's script chunks (playground.live.preload): Streamlit's own
index.html plus a modulepreload link per chunk, found by element name and followed through
their static imports. The browser side (no chunk left to fetch before the first picture) is in
tests/e2e/test_playground.py."""

from __future__ import annotations

import asyncio

from playground.live import preload

INDEX = """<!DOCTYPE html>
<html>
  <head>
    <script type="module" crossorigin src="./static/js/index.abc.js"></script>
    <link rel="modulepreload" crossorigin href="./static/js/shared.abc.js">
  </head>
  <body><div id="root"></div></body>
</html>
"""


def static_dir(tmp_path, chunks: dict[str, str]):
    (tmp_path / "static" / "js").mkdir(parents=True)
    (tmp_path / "index.html").write_text(INDEX)
    for name, text in chunks.items():
        (tmp_path / "static" / "js" / name).write_text(text)
    return tmp_path


def test_an_elements_chunk_and_what_it_imports_are_preloaded_once(tmp_path):
    root = static_dir(tmp_path, {
        "index.abc.js": "", "shared.abc.js": "",
        "Button.b1.js": 'import{a}from"./shared.abc.js";import{b}from"./widget.w1.js";import"./side.s1.js";',
        "widget.w1.js": 'import{c}from"./deep.d1.js";const lazy=()=>import("./Later.l1.js");',
        "side.s1.js": "", "deep.d1.js": 'import{b}from"./widget.w1.js";', "Later.l1.js": "",
        "Slider.s9.js": "",
    })
    chunks = preload.preload_chunks(root, ("Button", "Missing"))
    # the element, its static imports, theirs (once); not what index.html loads, not a dynamic import
    assert chunks == ["Button.b1.js", "widget.w1.js", "side.s1.js", "deep.d1.js"]
    page = preload.preloaded_index(root, ("Button",))
    assert page.replace("".join(f'\n    <link rel="modulepreload" crossorigin href="./static/js/{name}">'
                                for name in chunks), "") == INDEX
    assert page.index("deep.d1.js") < page.index("</head>")


def test_an_import_of_a_file_that_is_not_there_is_left_out(tmp_path):
    root = static_dir(tmp_path, {"index.abc.js": "", "Button.b1.js": 'import{a}from"./gone.g1.js";'})
    assert preload.preload_chunks(root, ("Button",)) == ["Button.b1.js"]


def test_the_installed_streamlit_has_a_chunk_for_every_first_run_element():
    """An upgrade of Streamlit that renames an element's chunk shows here (the page would still
    work, only without that preload)."""
    scripts = preload.STATIC_DIR / "static" / "js"
    for element in preload.FIRST_RUN_ELEMENTS:
        assert list(scripts.glob(f"{element}.*.js")), element
    chunks = preload.preload_chunks()
    assert all((scripts / name).is_file() for name in chunks)
    assert len(chunks) >= len(preload.FIRST_RUN_ELEMENTS)


def test_the_root_route_serves_the_page_uncached():
    route = preload.index_route()
    assert route.path == "/" and {"GET", "HEAD"} <= route.methods
    response = asyncio.run(route.endpoint(None))
    assert response.headers["cache-control"] == "no-cache"
    body = response.body.decode()
    assert body == preload.preloaded_index()
    assert all(f"./static/js/{name}" in body for name in preload.preload_chunks())
