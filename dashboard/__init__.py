"""ipgov dashboard: Streamlit pages over one query layer and shared Plotly chart builders."""
