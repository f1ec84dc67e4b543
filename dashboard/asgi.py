"""The served dashboard: Streamlit's app (dashboard/app.py) behind the sign-in guard, as an
ASGI application (`st.App`, Streamlit's Starlette integration). `ipgov serve` runs it through
dashboard.serve (`streamlit run dashboard/asgi.py`), so no request reaches Streamlit without a
live session (dashboard/access/web.py).

With single sign-on configured (IPGOV_AUTH_SECRETS), its `[auth]` section reaches Streamlit as
programmatic secrets: Streamlit's OIDC routes then work without a `.streamlit/secrets.toml`
inside the package, and dashboard/oidc.py adds the routes that start the flow and exchange the
identity for a session.
"""

from __future__ import annotations

from starlette.middleware import Middleware
from streamlit.starlette import App

from dashboard import oidc
from dashboard.access.web import ROUTES, SignInRequired, app_script

app = App(
    str(app_script()),
    secrets=oidc.streamlit_secrets(),
    routes=[*ROUTES, *oidc.ROUTES],
    middleware=[Middleware(SignInRequired)],
)
