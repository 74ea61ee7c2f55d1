"""Entry point for `streamlit run streamlit_app.py` and Streamlit Community Cloud."""

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

from playground.app import main  # noqa: E402

main()
