"""The only code that touches `st.session_state` and `st.query_params`: every key is declared
once (session.keys) with a typed accessor; the URL grammar; widget keys and callbacks."""
