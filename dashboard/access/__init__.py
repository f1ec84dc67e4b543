"""Who may use the dashboard, and what each did: local accounts (argon2-hashed passwords,
lockout), single sign-on accounts (an OIDC identity's claims mapped to a role), server-side
sessions behind an HttpOnly cookie, fixed roles, an append-only audit trail.

One job a module, each using only those below it:
`web` (the sign-in routes and the guard in front of Streamlit) → `sso` (the claim-to-role
mapping, an identity exchanged for a session) → `sessions` → `accounts` → `passwords`,
`audit`, `roles`. Everything is kept in the app database (etl/appdb.py), beside
the warehouse and never in a snapshot. No module here imports Streamlit: `dashboard/signin.py`
is the Streamlit side, dashboard/oidc.py the routes that need Streamlit's auth internals.
docs/security.md describes the model.
"""
