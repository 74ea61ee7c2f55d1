"""The page script Streamlit runs for every session (see streamlit_app.py). Streamlit runs it as
__main__; importing it (a test walking the package) draws nothing."""

from playground.app import main

if __name__ == "__main__":
    main()
