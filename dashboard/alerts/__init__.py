"""Alerts (issue 16): `ipgov alerts run` evaluates the rules — a worklist item crossing its
deadline, a KPI crossing its target for the data's latest quarter — and sends one digest per
recipient group, in Chinese, by e-mail (SMTP) and to group-robot webhooks (WeCom, DingTalk).
An item is announced once per state change; every send is recorded in the app database and a
failed one is retried on the next run. Streamlit-free: cron or a systemd timer runs it
(docs/operations.md); the Alerts page shows and edits what is stored here.

`store` keeps rules, recipients, states and sends; `evaluate` reads the snapshot; `digest`
writes the message; `channels` delivers it; `run` ties them together.
"""
