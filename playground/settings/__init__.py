"""What the user chose, as plain values: the Config, its limits, lessons, labels and parameter
names, and how a Config builds its data and Trainer in `core`. No Streamlit here."""
