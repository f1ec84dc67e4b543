"""What the rules see now, on the current snapshot: each worklist item's state (late, due) on
the data's last day, and each promised share's status against its target (ok, watch, alert;
none when nothing was measured) for the quarter holding that day — the numbers the 督办 page
and the Overview show, read through the same query core and dashboard/targets.py."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from dashboard import core, targets, worklist
from dashboard.alerts.store import Rule
from dashboard.core.params import Filters
from etl.errors import NoDataError
from etl.periods import Period, quarter_of


@dataclass(frozen=True)
class Change:
    """One item whose state moved to one its rule announces."""

    rule: Rule
    key: str  # the worklist item id, or the quarter (2026Q3)
    before: str | None  # the state last seen; None: not seen before
    now: str
    facts: dict  # the worklist row, or {value, target} of a KPI


@dataclass
class Evaluation:
    snapshot: str
    as_of: dt.date
    period: Period
    seen: dict[str, dict[str, str]] = field(default_factory=dict)  # rule → {key → state announced}
    changes: list[Change] = field(default_factory=list)
    totals: dict[str, dict[str, int]] = field(default_factory=dict)  # worklist kind → state → n
    cleared: dict[str, int] = field(default_factory=dict)  # rule → items no longer open


def kpi_figures(snapshot: str, period: Period, as_of: dt.date) -> dict[str, object]:
    """The two promised shares of `period`, as the Overview's cockpit reads them."""
    values = core.headline(snapshot, period)
    params = Filters(period).params() | {"as_of": min(period.end, as_of)}
    summary = core.frame("case_summary", snapshot, params).row(0, named=True)
    return {
        "takedown_within_2wd_share": values["takedown_within_2wd_share"],
        "opinion_within_2wd_share": summary["opinion_within_2wd_share"],
    }


def evaluate(rules: list[Rule], before: dict[str, dict[str, str]]) -> Evaluation:
    """The states every enabled rule sees now and the changes to announce (NoDataError when
    nothing is loaded)."""
    snapshot = core.snapshot_id()
    span = core.data_days(snapshot) if snapshot else None
    if snapshot is None or span is None:
        raise NoDataError("no data loaded yet: run `ipgov load PATH` first")
    as_of = span[1]
    period = quarter_of(as_of)
    found = Evaluation(snapshot, as_of, period)
    rows = core.records_all("worklist", snapshot, worklist.params(as_of))
    by_kind: dict[str, dict[str, dict]] = {}
    for row in rows.iter_rows(named=True):
        by_kind.setdefault(row["item_kind"], {})[row["item_id"]] = row
        counts = found.totals.setdefault(row["item_kind"], {})
        counts[row["item_status"]] = counts.get(row["item_status"], 0) + 1
    figures = None
    goals = targets.targets()
    for rule in rules:
        if not rule.enabled:
            continue
        if rule.kind == "worklist":
            items = by_kind.get(rule.subject, {})
            now = {key: row["item_status"] for key, row in items.items()}
            facts = items
        else:
            figures = figures or kpi_figures(snapshot, period, as_of)
            value, goal = figures.get(rule.subject), goals.get(rule.subject)
            if goal is None:
                continue
            status = goal.status(None if value is None else float(value)) or "none"
            now = {period.label: status}
            facts = {period.label: {"value": value, "target": goal.value}}
        # what is remembered is what was announced: an item in a state the rule does not announce
        # (a notice due soon, under a rule for late ones) is announced if an admin adds the state
        # to the rule, and an item leaving the announced states is forgotten, so it is announced
        # again if it comes back
        old = before.get(rule.name, {})
        found.seen[rule.name] = {k: s for k, s in now.items() if s in rule.states}
        found.cleared[rule.name] = sum(1 for key in old if key not in found.seen[rule.name])
        for key, state in now.items():
            if state != old.get(key) and state in rule.states:
                found.changes.append(Change(rule, key, old.get(key), state, facts[key]))
    return found
