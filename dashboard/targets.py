"""The center's targets and how a figure stands against them: the status colour the Overview
shows beside a KPI. Values come from settings (IPGOV_TARGET_*, docs/settings.md), whose defaults
follow the center's public promises: listings removed within 2 working days, an advisory
opinion within 2 working days of accepting a case.
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
