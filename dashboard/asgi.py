"""The served dashboard: Streamlit's app (dashboard/app.py) behind the sign-in guard, as an
ASGI application (`st.App`, Streamlit's Starlette integration). `ipgov serve` runs it through
dashboard.serve (`streamlit run dashboard/asgi.py`), so no request reaches Streamlit without a
live session (dashboard/access/web.py)."""

from __future__ import annotations

from starlette.middleware import Middleware
from streamlit.starlette import App

from dashboard.access.web import ROUTES, SignInRequired, app_script

app = App(str(app_script()), routes=ROUTES, middleware=[Middleware(SignInRequired)])
