"""The 督办 worklist's query parameters, built in one place for the page (dashboard/views/
worklist.py) and the alerts (`ipgov alerts run`): the cut-off day, the deadlines of
dashboard/targets.py, the kinds and states asked for, the base of the record links. Streamlit-free.
"""

from __future__ import annotations

import datetime as dt

from dashboard import targets
from dashboard.core.params import Filters
from etl import settings
from etl.periods import Period

KINDS = ("takedown_live", "opinion_missing", "case_open", "referral_unanswered")
STATUSES = ("late", "due")


def base_url() -> str:
    """The dashboard's address as readers open it (IPGOV_PUBLIC_URL), without a final slash."""
    return settings.current().public_url.rstrip("/")


def params(
    as_of: dt.date,
    filters: Filters | None = None,
    kinds: tuple[str, ...] = (),
    statuses: tuple[str, ...] = (),
) -> dict[str, object]:
    """Parameters of dashboard/sql/worklist.sql and worklist_counts.sql: every open item late or
    due on `as_of`, narrowed by `filters`' dimensions (their period is not used: the worklist is
    as of one day), `kinds` and `statuses` (empty: all)."""
    chosen = filters or Filters(Period(as_of, as_of, ""))
    return (
        chosen.params()
        | targets.deadlines().params()
        | {
            "as_of": as_of,
            "item_kinds": tuple(kinds),
            "item_statuses": tuple(statuses),
            "base_url": base_url(),
        }
    )
