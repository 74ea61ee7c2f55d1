"""The Streamlit playground: widgets -> Config -> core Trainer -> plotly figures."""
