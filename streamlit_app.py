"""Entry point for `streamlit run streamlit_app.py` and Streamlit Community Cloud."""

import os

# One BLAS thread: the network's matrices are tiny, and with the browser (or other sessions) busy
# on the same cores, OpenBLAS's worker threads spin-wait and made an epoch ~10x slower. Set before
# numpy is first imported (Streamlit itself does not import it).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from playground.app import main  # noqa: E402

main()
