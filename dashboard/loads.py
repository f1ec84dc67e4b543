"""The Loads page's one write, without Streamlit: roll back to a snapshot as a signed-in user.

The same etl.rollback.rollback as `ipgov rollback`, and the same audit entry (action
`rollback`: the snapshot made current, the one before, the loads withdrawn and reinstated),
with the dashboard user as the actor instead of cli:<os user>. Refused when the current snapshot
is no longer the one the user confirmed against (another load or rollback came in between):
the plan they read would not be what happens.
"""

from __future__ import annotations

from dashboard.access import audit
from etl import rollback, warehouse
from etl.errors import IpgovError


class Changed(IpgovError):
    """The current snapshot moved since the confirmation was shown."""


def roll_back(
    paths: warehouse.WarehousePaths, target: str, user: str | None, confirmed_current: str | None
) -> rollback.RolledBack:
    """Make `target` current as `user`, if `confirmed_current` is still current; audited, a
    refusal or failure too."""
    now = warehouse.snapshot_id(paths)
    try:
        if now != confirmed_current:
            raise Changed(f"the current snapshot is now {now}, not {confirmed_current}")
        done = rollback.rollback(paths, target, user or "unknown")
    except IpgovError as e:
        outcome = "refused" if isinstance(e, Changed) else "failed"
        audit.record(paths, user, "rollback", target=target, outcome=outcome, error=str(e))
        raise
    audit.record(
        paths,
        user,
        "rollback",
        target=done.snapshot,
        previous=done.previous,
        withdrawn=done.withdrawn,
        reinstated=done.reinstated,
    )
    return done
