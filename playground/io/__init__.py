"""Files in and out: exports (CSV, session JSON, a standalone script) and the user's uploads.
Parsers raise ValueError with one clear message. No Streamlit here."""
