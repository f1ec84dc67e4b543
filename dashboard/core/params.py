"""The filter parameters every dashboard query takes, as a value: the pages' sidebar fills it,
the briefing builds it for the whole district. It lives in the query core, not beside the
sidebar widgets (dashboard/filters.py), so the briefing can use it without Streamlit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from etl.periods import Period

# filter → (code domain in dim_code, URL parameter)
DIMENSIONS = {
    "platforms": ("platform", "platform"),
    "locations": ("location", "park"),
    "ip_types": ("ip_type", "ip"),
    "regions": ("region", "region"),
}


@dataclass(frozen=True)
class Filters:
    """What the user chose; empty tuples mean 'all'."""

    period: Period
    platforms: tuple[str, ...] = field(default=())
    locations: tuple[str, ...] = field(default=())
    ip_types: tuple[str, ...] = field(default=())
    regions: tuple[str, ...] = field(default=())

    @property
    def start(self) -> dt.date:
        return self.period.start

    @property
    def end(self) -> dt.date:
        return self.period.end

    def params(self) -> dict[str, object]:
        """Named parameters every dashboard SQL file understands (see dashboard/sql/README.md)."""
        return {
            "start": self.period.start,
            "end": self.period.end,
            "platforms": self.platforms,
            "locations": self.locations,
            "ip_types": self.ip_types,
            "regions": self.regions,
        }

    def with_period(self, period: Period) -> Filters:
        return Filters(period, self.platforms, self.locations, self.ip_types, self.regions)

    def active_dimensions(self) -> list[str]:
        return [name for name in DIMENSIONS if getattr(self, name)]
