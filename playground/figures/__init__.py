"""Pure plotly builders, one module per chart: numpy arrays in, a lean go.Figure out. No
Streamlit here."""
