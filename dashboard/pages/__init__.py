"""Streamlit pages: widgets and layout only, over dashboard.queries and dashboard.charts."""
