"""The four roles and what each may do. Fixed, not configurable: an office needs to know what a
role means, and docs/security.md lists it (tests/test_access.py checks the two agree)."""

from __future__ import annotations

ROLES = ("viewer", "analyst", "steward", "admin")  # each may do all that the ones before may

# permission → the least role that has it
PERMISSIONS = {
    "kpis": "viewer",  # the KPI pages, the Overview's attention list as counts
    "briefing": "viewer",  # the quarterly briefing page and its downloads
    # writing the briefing's 成效 / 存在问题 / 下步工作: the center's analysts prepare the pack,
    # the officials who read it (viewers) do not write it
    "briefing_edit": "analyst",
    "records": "analyst",  # record lists with company and applicant names, their CSV exports
    "sql": "analyst",  # the SQL console and its downloads
    "saved_queries": "analyst",
    "quality": "steward",  # the Data quality page: quarantined rows and rejected files
    "load": "steward",  # loading data (the Upload and Loads pages, `ipgov load`), rollbacks
    "users": "admin",
    "alerts": "analyst",  # the Alerts page: what was sent, the rules, the recipients (issue 16)
    "alert_rules": "admin",  # editing the alert rules and recipients (issue 16)
    "audit": "admin",
}

# dashboard page (URL path) → the permission it needs
PAGE_PERMISSION = {
    "overview": "kpis",
    "takedowns": "kpis",
    "cases": "kpis",
    "patents": "kpis",
    "trademarks": "kpis",
    "notarizations": "kpis",
    "referrals": "kpis",
    "compare": "kpis",  # issue 16: KPIs side by side, the same numbers as the KPI pages
    "worklist": "kpis",  # counts for everyone; its items and CSV need "records" (issue 16)
    "alerts": "alerts",  # issue 16
    "briefing": "briefing",
    "sql": "sql",
    "quality": "quality",
    "upload": "load",
    "loads": "load",
    "audit": "audit",
}


def check_role(role: str) -> str:
    """The role if it is one of ROLES, else ValueError naming them."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}; not {role!r}")
    return role


def allowed(role: str | None, permission: str) -> bool:
    """Whether `role` has `permission`; no role (a user an admin has not given one) has none."""
    if role not in ROLES:
        return False
    return ROLES.index(role) >= ROLES.index(PERMISSIONS[permission])


def may_open(role: str | None, page: str) -> bool:
    """Whether `role` may open the dashboard page at URL path `page`."""
    permission = PAGE_PERMISSION.get(page)
    return permission is not None and allowed(role, permission)
