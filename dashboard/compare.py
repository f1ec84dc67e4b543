"""The Compare page's model (issue 16): what can be put side by side, which KPIs apply to each,
the choice as URL parameters, and the comparison as one frame. Pure: no Streamlit, no reads.

Up to four platforms, parks/markets, IP types or partner regions in one period, or up to four
quarters or years for the whole district. Every number is the snapshot's `kpi_headline`
narrowed by the side's filter (`ipgov kpis --platform …` prints the same), so the page never
defines a KPI of its own. A dimension side shows only the KPIs whose records carry that
dimension: the macro returns the others as null (tests/test_compare.py holds KPIS to it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

import polars as pl

from dashboard import formats
from dashboard.core.params import DIMENSIONS
from etl.kpis import KPI_KEYS, KpiValue
from etl.periods import Period, parse_quarter, quarter_of, quarters_between, year

MAX_SIDES = 4
# what is compared → the code domain of its sides (None: periods, district-wide); the dimensions
# are the sidebar's filters, each one of kpi_headline's optional filters (etl.kpis.FILTERS)
KINDS: dict[str, str | None] = {name: domain for name, (domain, _) in DIMENSIONS.items()} | {
    "quarters": None,
    "years": None,
}
# the KPIs each kind compares, the first one drawn as each side's trend unless another is chosen
KPIS: dict[str, tuple[str, ...]] = {
    "platforms": (
        "takedown_within_2wd_share",
        "takedown_median_workdays",
        "takedown_p90_workdays",
        "takedown_requests",
        "notarizations",
        "cases_accepted",
        "cases_closed",
        "cases_open_end",
        "referrals_out",
        "referrals_in",
    ),
    "locations": (
        "cases_accepted",
        "cases_closed",
        "cases_open_end",
        "trademark_cases",
        "trademark_fines_yuan",
        "referrals_out",
        "referrals_in",
    ),
    "ip_types": (
        "cases_accepted",
        "cases_closed",
        "cases_open_end",
        "referrals_out",
        "referrals_in",
    ),
    "regions": (
        "referrals_out",
        "referrals_in",
        "cases_accepted",
        "cases_closed",
        "cases_open_end",
        "trademark_cases",
        "trademark_fines_yuan",
    ),
    "quarters": KPI_KEYS,
    "years": KPI_KEYS,
}
# the trend drawn first where it is not the kind's first KPI: the public promise, for periods
TREND_DEFAULT = {"quarters": "takedown_within_2wd_share", "years": "takedown_within_2wd_share"}
# Ranked where a rank means something: platforms by the public 2-working-day promise (ties by
# the faster median). Other sides keep the order picked; periods read oldest to newest.
RANK_BY = {"platforms": ("takedown_within_2wd_share", "takedown_median_workdays")}
LOWER_IS_BETTER = frozenset({"cases_open_end", "takedown_median_workdays", "takedown_p90_workdays"})
VALUE_KINDS = {  # how a KPI's value and change read (dashboard/formats.py); others are counts
    "takedown_median_workdays": "decimal",
    "takedown_p90_workdays": "decimal",
    "takedown_within_2wd_share": "share",
    "trademark_fines_yuan": "yuan",
}
TREND_QUARTERS = 8  # a dimension side's trend: the quarters up to the period compared
TREND_YEARS = 5  # … or the years, when a year is compared
URL_PARAMS = ("by", "pick", "in", "kpi")  # the choice in the URL; no sidebar filter uses these


def kpi_kind(key: str) -> str:
    return VALUE_KINDS.get(key, "count")


def parse_period(label: str) -> Period:
    """'2026Q3' → that quarter, '2026' → that year; anything else raises (IpgovError)."""
    text = label.strip()
    return year(int(text)) if text.isdigit() else parse_quarter(text)


@dataclass(frozen=True)
class Options:
    """What the data offers: the codes of each dimension in display order, the quarters and
    years with data (newest first)."""

    codes: dict[str, tuple[str, ...]]  # kind → codes
    quarters: tuple[str, ...]
    years: tuple[str, ...]

    def of(self, kind: str) -> tuple[str, ...]:
        if kind == "quarters":
            return self.quarters
        if kind == "years":
            return self.years
        return self.codes.get(kind, ())

    @property
    def periods(self) -> tuple[str, ...]:
        """The periods a dimension comparison can be made in: every quarter, then every year."""
        return self.quarters + self.years


def options(names: dict[str, dict[str, str]], first: dt.date, last: dt.date) -> Options:
    """What the data offers, from the display names by code domain (core.codes) and the data's
    first and last day: each dimension's codes by name (unknown last), every quarter and year
    touching the data, newest first. The Compare page's pickers and the briefing's share it."""
    codes = {}
    for kind, domain in KINDS.items():
        if domain is not None:
            known = names.get(domain, {})
            codes[kind] = tuple(sorted(known, key=lambda c, n=known: (c == "unknown", n[c])))
    quarters = tuple(p.label for p in quarters_between(first, last))
    years = tuple(str(y) for y in range(last.year, first.year - 1, -1))
    return Options(codes, quarters, years)


@dataclass(frozen=True)
class Choice:
    """What the user compares. Each kind keeps its own picks, so switching platforms → quarters
    → platforms comes back to the same platforms."""

    kind: str
    picks: dict[str, tuple[str, ...]]
    period: str  # the quarter or year a dimension comparison is made in
    trend: str | None = None  # the KPI drawn as each side's trend (None: the kind's first)

    @staticmethod
    def default(options: Options, busiest_platforms: tuple[str, ...] = ()) -> Choice:
        """The first view: the busiest platforms of the latest quarter; for periods, the latest
        quarter beside the same quarter a year before, and the last two years."""
        latest = options.quarters[0] if options.quarters else quarter_of(dt.date.today()).label
        year_before = parse_period(latest).year_before().label
        quarters = tuple(q for q in (latest, year_before) if q in options.quarters)
        return Choice(
            "platforms",
            {
                "platforms": busiest_platforms[:MAX_SIDES],
                "quarters": tuple(sorted(quarters)),
                "years": tuple(sorted(options.years[:2])),
            },
            latest,
        )

    @property
    def sides(self) -> tuple[str, ...]:
        return self.picks.get(self.kind, ())

    @property
    def kpis(self) -> tuple[str, ...]:
        return KPIS[self.kind]

    @property
    def trend_kpi(self) -> str:
        return self.trend if self.trend in self.kpis else self.default_trend

    @property
    def default_trend(self) -> str:
        return TREND_DEFAULT.get(self.kind, self.kpis[0])

    @property
    def by_period(self) -> bool:
        return KINDS[self.kind] is None

    def with_sides(self, sides: tuple[str, ...]) -> Choice:
        return replace(self, picks=self.picks | {self.kind: tuple(sides)[:MAX_SIDES]})

    def query(self) -> dict[str, str]:
        """The URL parameters that reproduce this comparison (URL_PARAMS)."""
        out = {"by": self.kind, "pick": ",".join(self.sides), "in": self.period}
        if self.trend and self.trend != self.default_trend:
            out["kpi"] = self.trend
        return out


Note = tuple[str, dict[str, str]]  # a catalogue key and its values


def apply_query(
    choice: Choice, query: dict[str, str], options: Options
) -> tuple[Choice, list[Note]]:
    """The comparison a URL asks for: parameters present replace the choice's, absent ones keep
    it; what the data cannot show (an unknown kind or code, a period without data, a fifth side)
    is left out with a note."""
    notes: list[Note] = []
    if "by" in query:
        if query["by"] in KINDS:
            choice = replace(choice, kind=query["by"])
        else:
            notes.append(("compare_bad_kind", {"value": query["by"]}))
    if "in" in query:
        if query["in"] in options.periods:
            choice = replace(choice, period=query["in"])
        else:
            notes.append(("compare_bad_period", {"value": query["in"]}))
    if "kpi" in query:
        if query["kpi"] in choice.kpis:
            choice = replace(choice, trend=query["kpi"])
        else:
            notes.append(("compare_bad_kpi", {"value": query["kpi"]}))
    if "pick" in query:
        asked = list(dict.fromkeys(p.strip() for p in query["pick"].split(",") if p.strip()))
        offered = options.of(choice.kind)
        known = [p for p in asked if p in offered]
        if len(known) < len(asked):
            unknown = "、".join(p for p in asked if p not in offered)
            notes.append(("compare_bad_pick", {"value": unknown}))
        if len(known) > MAX_SIDES:
            notes.append(("compare_too_many", {"n": str(MAX_SIDES)}))
        choice = choice.with_sides(tuple(known))
    return choice, notes


# --- the sides and their numbers ---------------------------------------------------------------


@dataclass(frozen=True)
class Side:
    """One column of the comparison: a code in the period compared, or a period."""

    key: str  # the code, or the period's label
    period: Period
    narrowed: dict[str, tuple[str, ...]] = field(default_factory=dict)  # kpi_headline filters

    @property
    def previous(self) -> Period:
        return self.period.previous()


def sides(choice: Choice) -> list[Side]:
    """The sides in the order picked (periods oldest first)."""
    if choice.by_period:
        return [Side(p, parse_period(p)) for p in sorted(choice.sides)]
    period = parse_period(choice.period)
    return [Side(code, period, {choice.kind: (code,)}) for code in choice.sides]


def trend_periods(side: Side, kind: str, first_day: dt.date) -> list[Period]:
    """The periods of a side's small trend: a period side's months; a dimension side's quarters
    (or years) up to the period compared, none before the data's first day."""
    if KINDS[kind] is None:
        months, start = [], side.period.start
        while start <= side.period.end:
            nxt = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
            months.append(Period(start, nxt - dt.timedelta(days=1), start.strftime("%Y-%m")))
            start = nxt
        return months
    count = TREND_YEARS if side.period.label.isdigit() else TREND_QUARTERS
    periods = [side.period]
    while len(periods) < count and periods[0].previous().end >= first_day:
        periods.insert(0, periods[0].previous())
    return periods


def ranked(kind: str, values: dict[str, dict[str, KpiValue]]) -> list[str]:
    """Side keys best first by the kind's ranking KPI (RANK_BY), missing values last; for a
    kind without one, as given."""
    keys = list(values)
    if kind not in RANK_BY:
        return keys
    first, second = RANK_BY[kind]

    def order(key: str) -> tuple:
        a, b = values[key].get(first), values[key].get(second)
        return (
            formats.is_missing(a),
            -(float(a) if not formats.is_missing(a) else 0.0),
            formats.is_missing(b),
            float(b) if not formats.is_missing(b) else 0.0,
        )

    return sorted(keys, key=order)


def change(key: str, now: KpiValue, before: KpiValue, lang: str) -> tuple[str | None, str]:
    """A KPI's change against the previous period and its colour mode for st.metric: a zero
    change is neutral grey, never a red arrow; a rise of a lower-is-better KPI is red."""
    if formats.is_missing(now) or formats.is_missing(before):
        return None, "off"
    text = formats.change(now, before, kpi_kind(key), lang)
    if text.startswith("0"):
        return text, "off"
    return text, "inverse" if key in LOWER_IS_BETTER else "normal"


def value_text(key: str, value: KpiValue, lang: str) -> str:
    """A KPI's value as the Overview shows it (formats.py)."""
    return formats.of_kind(value, kpi_kind(key), lang)


def _dtype(key: str) -> pl.DataType:
    kind = kpi_kind(key)
    if kind == "yuan":
        return pl.Decimal(18, 2)
    return pl.Float64 if kind in {"share", "decimal"} else pl.Int64


def table(
    choice: Choice,
    order: list[Side],
    names: dict[str, str],
    now: dict[str, dict[str, KpiValue]],
    before: dict[str, dict[str, KpiValue]],
) -> pl.DataFrame:
    """The comparison as one frame, for the table under the columns and its CSV: per side
    (in the order shown, with its rank where the kind is ranked) a row for the period compared
    and one for the period before it, the change between them readable from the two."""
    schema: dict[str, pl.DataType] = {
        "compare_rank": pl.Int64,
        "compare_side": pl.String,
        "period_start": pl.Date,
        "period_end": pl.Date,
    } | {key: _dtype(key) for key in choice.kpis}
    rows = []
    for rank, side in enumerate(order, start=1):
        for period, values in ((side.period, now[side.key]), (side.previous, before[side.key])):
            rows.append(
                {
                    "compare_rank": rank
                    if choice.kind in RANK_BY and period is side.period
                    else None,
                    "compare_side": names[side.key],
                    "period_start": period.start,
                    "period_end": period.end,
                }
                | {key: values.get(key) for key in choice.kpis}
            )
    return pl.DataFrame(rows, schema=schema) if rows else pl.DataFrame(schema=schema)


def trend_frame(
    periods: list[Period], values: list[KpiValue], lang: str, *, monthly: bool
) -> pl.DataFrame:
    """A side's trend for compare_charts.sparkline: each period in words and its value."""
    labels = [
        formats.month_label(p.start, lang) if monthly else formats.period_label(p, lang)
        for p in periods
    ]
    floats = [None if formats.is_missing(v) else float(v) for v in values]
    return pl.DataFrame(
        {"label": labels, "value": floats}, schema={"label": pl.String, "value": pl.Float64}
    )


# the KPI saying how much a side does: the briefing compares the quarter's busiest four
VOLUME = {
    "platforms": "takedown_requests",
    "locations": "cases_accepted",
    "ip_types": "cases_accepted",
    "regions": "referrals_out",
}


def busiest(kind: str, values: dict[str, dict[str, KpiValue]]) -> list[str]:
    """The codes with the most records by the kind's VOLUME KPI, at most MAX_SIDES, none
    without any (ties in the order given)."""
    key = VOLUME[kind]
    active = [code for code in values if (values[code].get(key) or 0) > 0]
    return sorted(active, key=lambda code: -float(values[code][key] or 0))[:MAX_SIDES]


def bars_frame(
    order: list[Side],
    names: dict[str, str],
    now: dict[str, dict[str, KpiValue]],
    key: str,
    colours: dict[str, str],
) -> pl.DataFrame:
    """One KPI of every side, in the order shown, for compare_charts.side_bars."""
    values = [now[s.key][key] for s in order]
    return pl.DataFrame(
        {
            "name": [names[s.key] for s in order],
            "value": [None if formats.is_missing(v) else float(v) for v in values],
            "colour": [colours[s.key] for s in order],
        },
        schema={"name": pl.String, "value": pl.Float64, "colour": pl.String},
    )
