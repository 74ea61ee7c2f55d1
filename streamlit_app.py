"""Entry point for `streamlit run streamlit_app.py` and Streamlit Community Cloud.

`streamlit run` finds the `st.App` below and serves it: every session runs playground/page.py,
and the app has two extra routes: the live view's WebSocket (playground.live.hub), which carries
each frame to the page and the page's word that it took it, and the root page, Streamlit's own
with the first run's script chunks preloaded (playground.live.preload).
"""

import os

# One BLAS thread: the network's matrices are tiny, and with the browser (or other sessions) busy
# on the same cores, OpenBLAS's worker threads spin-wait and made an epoch ~10x slower. Set before
# numpy is first imported (Streamlit itself does not import it).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

# Import pandas completely before any figure is built. Plotly looks pandas up in sys.modules
# without importing it, and Streamlit imports it lazily from whichever session thread needs it
# first: a class opening the app at once had sessions find it half-imported (AttributeError:
# partially initialized module 'pandas'). An import statement waits for a running import to end.
import pandas  # noqa: E402, F401  (installed with Streamlit)
import streamlit as st  # noqa: E402
from starlette.routing import WebSocketRoute  # noqa: E402  (installed with Streamlit)

from playground.live.hub import LIVE_PATH, frame_hub  # noqa: E402
from playground.live.preload import index_route  # noqa: E402


async def live_frames(websocket) -> None:
    await frame_hub().serve(websocket)


app = st.App("playground/page.py", routes=[WebSocketRoute(LIVE_PATH, live_frames), index_route()])
