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


def _share(name: str) -> float:
    value = float(settings.get(name))
    if not 0 <= value <= 1:
        raise ValueError(f"IPGOV_{name.upper()} must be a share between 0 and 1, not {value}")
    return value


def targets() -> dict[str, Target]:
    """KPI key → its target (only the KPIs that have one)."""
    watch = float(settings.get("target_watch_points")) / 100
    return {
        "takedown_within_2wd_share": Target(_share("target_takedown_within_2wd"), watch),
        "opinion_within_2wd_share": Target(_share("target_opinion_within_2wd"), watch),
    }


def case_open_days() -> int:
    """Open cases older than this many days need attention."""
    return int(settings.get("attention_case_open_days"))
