"""Dashboard pages: widgets and layout only, over dashboard.queries and dashboard.charts.

Not named pages/: Streamlit auto-registers a pages/ folder beside the main script.
"""
