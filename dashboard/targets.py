"""The center's targets and deadlines, the one place every part of the dashboard reads them:
the status colour the Overview shows beside a KPI, its needs-attention list, the 督办
(supervision) worklist and the alerts (`ipgov alerts run`). Values come from settings
(IPGOV_TARGET_*, IPGOV_DEADLINE_*, IPGOV_ATTENTION_CASE_OPEN_DAYS, IPGOV_WORKLIST_NEAR_WORKDAYS;
docs/settings.md), whose defaults follow the center's public promises: listings removed within
2 working days, an advisory opinion within 2 working days of accepting a case. docs/kpis.md
("Deadlines") says what each one means.
"""

from __future__ import annotations

from dataclasses import dataclass

from etl import settings


@dataclass(frozen=True)
class Target:
    """A share a KPI should reach; within `watch` below it the KPI is watched, not failed."""

    value: float
    watch: float

    def status(self, share: float | None) -> str | None:
        """'ok' at or above the target, 'watch' just below it, 'alert' further down."""
        if share is None:
            return None
        if share >= self.value - 1e-9:
            return "ok"
        return "watch" if share >= self.value - self.watch - 1e-9 else "alert"


def targets() -> dict[str, Target]:
    """KPI key → its target (only the KPIs that have one). The settings hold each target as a
    share from 0 to 1 (a bad value is a SettingError naming the variable)."""
    s = settings.current()
    watch = s.target_watch_points / 100
    return {
        "takedown_within_2wd_share": Target(s.target_takedown_within_2wd, watch),
        "opinion_within_2wd_share": Target(s.target_opinion_within_2wd, watch),
    }


def case_open_days() -> int:
    """Open cases older than this many days need attention."""
    return settings.current().attention_case_open_days


@dataclass(frozen=True)
class Deadlines:
    """How long an open item may wait before the worklist and the alerts call it late."""

    takedown_workdays: int  # a live listing after its notice
    opinion_workdays: int  # an advisory-opinion case without its opinion
    case_open_days: int  # any open case, in calendar days (the Overview's attention list)
    referral_workdays: int  # a case referred out without the partner's answer
    near_workdays: int  # due within this many working days: "due soon"

    def params(self) -> dict[str, int]:
        """The worklist queries' parameters (dashboard/sql/README.md)."""
        return {
            "takedown_workdays": self.takedown_workdays,
            "opinion_workdays": self.opinion_workdays,
            "case_open_days": self.case_open_days,
            "referral_workdays": self.referral_workdays,
            "near_workdays": self.near_workdays,
        }


def deadlines() -> Deadlines:
    """The deadlines the settings hold now (a bad value is a SettingError naming it)."""
    s = settings.current()
    return Deadlines(
        s.deadline_takedown_workdays,
        s.deadline_opinion_workdays,
        s.attention_case_open_days,
        s.deadline_referral_workdays,
        s.worklist_near_workdays,
    )
