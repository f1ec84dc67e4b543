"""What the pack says: its sections, every number with the quarters it is compared with, the
generated sentences and the figures, read through the query core (`dashboard.core`, the reads
the pages make) before any file is written; and the text the PDF and the deck share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import plotly.graph_objects as go
import polars as pl

from dashboard import charts, core, targets
from dashboard.briefing.comparison import QUERIES, Comparison, Request, collect_comparison
from dashboard.briefing.printed import (
    amount_text,
    difference,
    format_change,
    format_value,
    kind,
    percent_text,
    relative,
)
from dashboard.core import Filters
from dashboard.formats import quarter_label
from dashboard.i18n import CATALOG, LANGUAGES, t
from etl import settings
from etl.errors import IpgovError
from etl.kpis import KPI_KEYS, KpiValue
from etl.periods import Period

TREND_QUARTERS = 8  # trend charts show the quarter and the seven before it
TREND_GRAIN = "quarter"  # one bar or point per quarter: the query's $grain and the axis labels


@dataclass(frozen=True)
class SectionSpec:
    """One page of the pack: its KPIs, extra numbers, the change it tells, and its chart."""

    key: str  # file stem, e.g. charts/01-takedowns.png
    title_key: str  # catalogue key of the title (the dashboard page's)
    kpis: tuple[str, ...]  # headline KPIs shown
    extra: tuple[tuple[str, str, str], ...]  # (query, column, label key) shown as well
    stories: tuple[str, ...]  # metrics the generated sentences are about
    volume: tuple[str, ...]  # KPIs whose sum says whether the quarter has records of this kind
    chart_query: str  # dashboard/sql/<chart_query>.sql feeds the chart
    chart: Callable[..., go.Figure]  # (frame, lang), and grain= when trend
    trend: bool  # chart over TREND_QUARTERS quarters, by TREND_GRAIN (else the quarter alone)


SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec(
        "takedowns",
        "page_takedowns",
        (
            "takedown_requests",
            "takedown_median_workdays",
            "takedown_p90_workdays",
            "takedown_within_2wd_share",
        ),
        (("takedown_summary", "still_live", "still_live"),),
        ("takedown_requests", "takedown_within_2wd_share"),
        ("takedown_requests",),
        "takedown_by_platform",
        charts.takedown_platform_latency,
        trend=False,
    ),
    SectionSpec(
        "cases",
        "page_cases",
        ("cases_accepted", "cases_closed", "cases_open_end"),
        (("case_summary", "opinion_within_2wd_share", "opinion_within_target"),),
        ("cases_accepted", "cases_open_end"),
        ("cases_accepted", "cases_closed"),
        "case_trend",
        charts.cases_trend,
        trend=True,
    ),
    SectionSpec(
        "patents",
        "page_patents",
        ("patent_preexam_accepted", "patent_preexam_authorized"),
        (("patent_summary", "design_median_cycle_days", "median_cycle_days"),),
        ("patent_preexam_accepted", "patent_preexam_authorized"),
        ("patent_preexam_accepted", "patent_preexam_authorized"),
        "patent_trend",
        charts.patent_trend,
        trend=True,
    ),
    SectionSpec(
        "trademarks",
        "page_trademarks",
        ("trademark_cases", "trademark_fines_yuan"),
        (("trademark_summary", "transferred_to_police", "transferred_to_police"),),
        ("trademark_cases", "trademark_fines_yuan"),
        ("trademark_cases",),
        "trademark_trend",
        charts.trademark_trend,
        trend=True,
    ),
    SectionSpec(
        "notarizations",
        "page_notarizations",
        ("notarizations",),
        (("notary_summary", "median_hours", "median_hours"),),
        ("notarizations", "median_hours"),
        ("notarizations",),
        "notary_trend",
        charts.notary_trend,
        trend=True,
    ),
    SectionSpec(
        "referrals",
        "page_referrals",
        ("referrals_out", "referrals_in"),
        (("referral_flows", "finished", "finished"),),
        ("referrals_out", "referrals_in"),
        ("referrals_out", "referrals_in"),
        "referral_flows",
        charts.referral_partners,
        trend=False,
    ),
)


@dataclass(frozen=True)
class Metric:
    """One number of the pack, with the same number for the comparison quarters (None when that
    quarter has no data on record or the number is undefined, e.g. a median of nothing)."""

    key: str
    label: str
    now: KpiValue
    previous: KpiValue
    year_before: KpiValue
    source: str  # the query that gave it


@dataclass(frozen=True)
class Section:
    spec: SectionSpec
    title: str
    metrics: list[Metric]
    sentences: list[str]
    has_records: bool
    chart_frame: pl.DataFrame
    figure: go.Figure | None  # None when the quarter has no records of this kind


@dataclass(frozen=True)
class TargetRow:
    """A published promise and how the quarter stands against it (dashboard/targets.py)."""

    key: str
    label: str
    target: float
    value: KpiValue
    status: str | None  # ok | watch | alert; None when the quarter has no such number


@dataclass(frozen=True)
class BriefData:
    """Everything the pack shows, in one language, before any file is written."""

    quarter: Period
    previous: Period
    year_before: Period
    lang: str
    title: str
    district: str
    issuer: str
    issued: dt.date  # the date the pack is issued (built)
    cut_off: dt.date | None  # the data's last day as of the quarter: never after its end
    snapshot: str
    span: tuple[dt.date, dt.date] | None  # first and last day with data
    headline: list[Metric]
    sections: list[Section]
    statements: list[str]  # no records / partial quarter / no comparison quarter
    loads: pl.DataFrame
    is_empty: bool
    is_partial: bool
    targets: list[TargetRow]
    narrative: dict[str, str]  # etl.appdb.NARRATIVE_FIELDS → the preparer's text
    typical: list[str]  # the typical cases the preparer picked, one sentence each
    comparison: Comparison | None = None  # the one comparison asked for (issue 16)

    @property
    def quarter_name(self) -> str:
        return quarter_name(self.quarter, self.lang)

    @property
    def stem(self) -> str:
        """File name stem: the district's name (when set), the quarter, the language."""
        return file_stem(self.district, self.quarter, self.lang)

    @property
    def reported(self) -> list[Section]:
        """The sections the pack prints: those with records in the quarter."""
        return [s for s in self.sections if s.has_records]


# Chinese counts take a measure word (574条, 122件) that English has none for, so these are
# not catalogue entries (each of those is complete in both languages); units that both
# languages have (个工作日 / working days) are, as brief_unit_<key>.
ZH_COUNTERS = {
    "takedown_requests": "条",
    "cases_accepted": "件",
    "cases_open_end": "件",
    "patent_preexam_accepted": "件",
    "patent_preexam_authorized": "件",
    "trademark_cases": "件",
    "notarizations": "件",
    "referrals_out": "件",
    "referrals_in": "件",
}


def _unit(key: str, lang: str) -> str:
    """What follows a number in a sentence: 件, 个工作日, ' working days', or nothing."""
    if kind(key) in ("share", "yuan"):
        return ""
    if f"brief_unit_{key}" in CATALOG:
        return t(f"brief_unit_{key}", lang)
    return ZH_COUNTERS.get(key, "") if lang == "zh" else ""


def _compare(metric: Metric, before: KpiValue, against: str, lang: str) -> str:
    """'比上季度增加27件（增长28.4%）' / 'up 27 (28.4%) on the previous quarter'."""
    if before is None:
        return t("brief_cmp_none", lang, against=against)
    diff = difference(metric.key, metric.now, before)
    if not diff:
        return t("brief_cmp_flat", lang, against=against)
    k = kind(metric.key)
    direction = "up" if diff > 0 else "down"
    verb = t(f"brief_verb_{'share' if k == 'share' else 'amount'}_{direction}", lang)
    unit = _unit(metric.key, lang)
    text = (
        t("brief_cmp", lang, against=against, verb=verb, amount=amount_text(metric.key, diff, lang))
        + unit
    )
    rel = relative(metric.key, metric.now, before)
    if rel is not None:
        text += t(f"brief_pct_{direction}", lang, pct=percent_text(rel))
    return text


def sentence(metric: Metric, previous: Period, year_before: Period, lang: str) -> str:
    """One sentence a person would write about a metric: its value this quarter, then how it
    compares with the previous quarter and the same quarter a year before, e.g.
    "受理维权援助案件122件，比上季度增加27件（增长28.4%），比上年同期增加10件（增长8.9%）。"
    Sign and unit once each; no arrows, no nested brackets."""
    unit = _unit(metric.key, lang)
    now = format_value(metric.key, metric.now, lang) + unit
    prev = _compare(metric, metric.previous, t("brief_against_previous", lang), lang)
    yoy = _compare(metric, metric.year_before, t("brief_against_year_before", lang), lang)
    flat = t("brief_cmp_flat", lang, against="")
    if prev.endswith(flat) and yoy.endswith(flat) and metric.previous is not None:
        return t(
            "brief_sentence_both_flat", lang, what=t(f"brief_what_{metric.key}", lang), now=now
        )
    return t(
        "brief_sentence",
        lang,
        what=t(f"brief_what_{metric.key}", lang),
        now=now,
        prev=prev,
        yoy=yoy,
    )


def platform_sentence(
    now: pl.DataFrame, before: pl.DataFrame, lang: str, min_notices: int = 10
) -> str | None:
    """Which platform improved most and which got worse, by the share within 2 working days
    against the previous quarter (platforms with at least `min_notices` notices in both)."""
    if now.is_empty() or before.is_empty():
        return None
    name = "name_zh" if lang == "zh" else "name_en"
    joined = now.join(before, on="platform", suffix="_before").filter(
        (pl.col("notices") >= min_notices)
        & (pl.col("notices_before") >= min_notices)
        & pl.col("within_2wd_share").is_not_null()
        & pl.col("within_2wd_share_before").is_not_null()
    )
    if joined.is_empty():
        return None
    changes = [
        (
            difference(
                "takedown_within_2wd_share", r["within_2wd_share"], r["within_2wd_share_before"]
            ),
            r[name] or r["platform"],
        )
        for r in joined.iter_rows(named=True)
    ]
    changes.sort(key=lambda c: c[0])
    worst, best = changes[0], changes[-1]
    parts = []
    if best[0] and best[0] > 0:
        parts.append(t("brief_platform_best", lang, platform=best[1], pp=f"{best[0]:.1f}"))
    if worst[0] and worst[0] < 0:
        parts.append(t("brief_platform_worst", lang, platform=worst[1], pp=f"{-worst[0]:.1f}"))
    if not parts:
        return None
    return (
        t("brief_platform_lead", lang)
        + t("brief_platform_join", lang).join(parts)
        + ("。" if lang == "zh" else ".")
    )


# --- reading the numbers ----------------------------------------------------------------------


def _metric(key: str, label: str, source: str, values: dict[str, KpiValue]) -> Metric:
    return Metric(key, label, values["now"], values["previous"], values["year_before"], source)


def _on_record(period: Period, span: tuple[dt.date, dt.date] | None) -> bool:
    return span is not None and period.end >= span[0] and period.start <= span[1]


def _params(period: Period, span: tuple[dt.date, dt.date] | None) -> dict[str, object]:
    """The dashboard's filter parameters for the whole district; open items aged at the period
    end, or at the data's last day when that comes first (as the pages do)."""
    as_of = min(period.end, span[1]) if span else period.end
    return Filters(period).params() | {"as_of": as_of}


def _pending(snapshot: str, quarter: Period, span: tuple[dt.date, dt.date] | None) -> int:
    """The quarter's takedown notices left out of the 2-working-day share because their window
    is still open at the data's end (the count the Takedowns page shows beside the share)."""
    summary = core.frame("takedown_summary", snapshot, _params(quarter, span))
    return summary["pending_2wd"][0] or 0


def _trend_window(quarter: Period) -> Period:
    first = quarter
    for _ in range(TREND_QUARTERS - 1):
        first = first.previous()
    return Period(first.start, quarter.end, f"{first.label}–{quarter.label}")


def _extra_value(frame: pl.DataFrame, column: str) -> KpiValue:
    """A summary query's single value, or the sum over a per-row query (referral flows)."""
    if frame.height == 1:
        return frame[column][0]
    return frame[column].sum()


def _has_numbers(frame: pl.DataFrame) -> bool:
    """Whether a chart would show anything: some numeric cell that is neither null nor zero."""
    for name, dtype in frame.schema.items():
        if dtype.is_numeric() and (frame[name].fill_null(0) != 0).any():
            return True
    return False


def _figure(spec: SectionSpec, frame: pl.DataFrame, lang: str) -> go.Figure:
    """The section's chart; a trend is told its grain, so its axis says 2024年第三季度, not a
    month."""
    if spec.trend:
        return spec.chart(frame, lang, grain=TREND_GRAIN)
    return spec.chart(frame, lang)


def _district(lang: str) -> str:
    """IPGOV_DISTRICT; the default 本区 reads "This district" in English."""
    district = settings.current().district.strip() or t("brief_this_district", "zh")
    if district == t("brief_this_district", "zh"):
        district = t("brief_this_district", lang)
    return district


def _issuer(district: str, lang: str) -> str:
    """IPGOV_ISSUER, else the district's IP protection center."""
    return settings.current().issuer.strip() or t("brief_default_issuer", lang, district=district)


def file_stem(district: str, quarter: Period, lang: str) -> str:
    """'花都区-brief-2024Q3-zh'; without a district set, 'brief-2024Q3-zh'. Characters a file
    system or a download refuses are left out of the district's part."""
    safe = "".join(c for c in district if c.isalnum() or c in "-_")
    default = district in (t("brief_this_district", "zh"), t("brief_this_district", "en"))
    prefix = "" if default or not safe else f"{safe}-"
    return f"{prefix}brief-{quarter.label}-{lang}"


def quarter_name(quarter: Period, lang: str) -> str:
    """'2024年第三季度' / 'Q3 2024' (dashboard.formats, as the charts' axes say it)."""
    return quarter_label(quarter.start, lang)


def date_name(day: dt.date, lang: str) -> str:
    """'2024年9月30日' / '30 September 2024' is avoided in the Chinese pack: no month names."""
    if lang == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return day.isoformat()


def _targets(by_key: dict[str, Metric]) -> list[TargetRow]:
    rows = []
    for key, target in targets.targets().items():
        metric = by_key.get(key)
        if metric is None:
            continue
        rows.append(
            TargetRow(key, metric.label, target.value, metric.now, target.status(metric.now))
        )
    return rows


def collect(
    snapshot: str,
    quarter: Period,
    lang: str,
    narrative: dict[str, str] | None = None,
    issued: dt.date | None = None,
    typical: list[tuple[str, str]] | None = None,
    comparison: Request | None = None,
) -> BriefData:
    """Every number, sentence and figure of the pack, through the dashboard's query layer;
    `narrative` is what the preparer wrote for the quarter and `typical` the (kind, record id)
    of the typical cases picked (etl/appdb.py), `issued` the date on the cover (today),
    `comparison` the one comparison asked for (its items checked: IpgovError naming the valid
    ones)."""
    if lang not in LANGUAGES:
        raise IpgovError(f"language {lang!r} is not one of {', '.join(LANGUAGES)}")
    # first, so a wrong item is refused before anything else is read
    compared_side_by_side = (
        collect_comparison(snapshot, quarter, comparison, lang) if comparison else None
    )
    span = core.data_days(snapshot)
    previous, year_before = quarter.previous(), quarter.year_before()
    name = quarter_name(quarter, lang)
    # a comparison quarter outside the data on record has no numbers, not zeros
    compared = {
        "now": quarter,
        "previous": previous if _on_record(previous, span) else None,
        "year_before": year_before if _on_record(year_before, span) else None,
    }
    heads = {n: core.headline(snapshot, p) if p else None for n, p in compared.items()}
    headline = [
        _metric(key, _label(key, lang), "kpi_headline", {n: h and h[key] for n, h in heads.items()})
        for key in KPI_KEYS
    ]
    by_key = {m.key: m for m in headline}

    sections = []
    for spec in SECTIONS:
        metrics = [by_key[k] for k in spec.kpis]
        for query, column, label_key in spec.extra:
            extra = {
                n: _extra_value(core.frame(query, snapshot, _params(p, span)), column)
                if p
                else None
                for n, p in compared.items()
            }
            metrics.append(_metric(column, t(label_key, lang), query, extra))
            by_key.setdefault(column, metrics[-1])
        has_records = any(by_key[k].now for k in spec.volume)
        window = _trend_window(quarter) if spec.trend else quarter
        params = _params(window, span) | ({"grain": TREND_GRAIN} if spec.trend else {})
        frame = core.frame(spec.chart_query, snapshot, params)
        figure = _figure(spec, frame, lang) if has_records and _has_numbers(frame) else None
        sentences = []
        if has_records:
            stories = sorted(
                (m for m in metrics if m.key in spec.stories and m.now is not None),
                key=lambda m: spec.stories.index(m.key),
            )
            sentences = [sentence(m, previous, year_before, lang) for m in stories]
            if spec.key == "takedowns" and compared["previous"] is not None:
                before = core.frame(spec.chart_query, snapshot, _params(previous, span))
                said = platform_sentence(frame, before, lang)
                if said:
                    sentences.append(said)
        sections.append(
            Section(spec, t(spec.title_key, lang), metrics, sentences, has_records, frame, figure)
        )

    is_empty = not any(s.has_records for s in sections)
    last_day = span[1] if span else None
    is_partial = last_day is not None and quarter.start <= last_day < quarter.end
    statements = []
    if is_empty:
        statements.append(t("brief_no_records", lang, quarter=name))
    else:
        if is_partial:
            statements.append(
                t("brief_partial", lang, date=date_name(last_day, lang), quarter=name)
            )
        if compared["previous"] is None:
            statements.append(
                t("brief_no_previous", lang, previous=quarter_name(previous, lang), quarter=name)
            )
        if compared["year_before"] is None:
            statements.append(
                t("brief_no_year_before", lang, year_before=quarter_name(year_before, lang))
            )
        missing = [s.title for s in sections if not s.has_records]
        if missing:
            joiner = "、" if lang == "zh" else ", "
            statements.append(
                t("brief_sections_missing", lang, quarter=name, sections=joiner.join(missing))
            )
        pending = _pending(snapshot, quarter, span)
        if pending:
            statements.append(
                t(
                    "brief_pending_2wd",
                    lang,
                    quarter=name,
                    n=pending,
                    date=date_name(last_day, lang),
                )
            )
    # working-day latencies on a provisional calendar (issue 14): said, as on the pages
    provisional = core.frame("takedown_provisional", snapshot, _params(quarter, span)).row(0)
    if provisional[0]:
        statements.append(
            t(
                "brief_provisional",
                lang,
                quarter=name,
                notices=format_value("takedown_requests", provisional[0], lang),
                date=date_name(provisional[1], lang),
            )
        )
    district = _district(lang)
    cut_off = min(quarter.end, last_day) if last_day and last_day >= quarter.start else None
    return BriefData(
        quarter=quarter,
        previous=previous,
        year_before=year_before,
        lang=lang,
        title=t("brief_title", lang, district=district),
        district=district,
        issuer=_issuer(district, lang),
        issued=issued or dt.date.today(),
        cut_off=cut_off,
        snapshot=snapshot,
        span=span,
        headline=headline,
        sections=sections,
        statements=statements,
        loads=core.frame("brief_loads", snapshot),
        is_empty=is_empty,
        is_partial=is_partial,
        targets=[] if is_empty else _targets(by_key),
        narrative={k: v.strip() for k, v in (narrative or {}).items() if v and v.strip()},
        typical=[] if is_empty else _typical(snapshot, quarter, lang, typical or []),
        comparison=None if is_empty else compared_side_by_side,
    )


# the record lists typical cases are picked from: kind → (query, id column); closed in the quarter
TYPICAL_LISTS = {
    "case": ("case_records_closed", "case_id"),
    "trademark": ("trademark_records_closed", "enforcement_id"),
}
TYPICAL_LIMIT = 5_000  # rows read per list and quarter to pick from (the sample has ~130)


def _code(codes: dict[str, dict[str, str]], domain: str, value: object) -> str:
    return codes.get(domain, {}).get(str(value), str(value)) if value is not None else "—"


def _case_line(row: dict, listed: str, codes: dict[str, dict[str, str]], lang: str) -> str:
    """One typical case as a sentence, from the record list's columns. No company or person is
    named (the lists' names are for analysts; the briefing goes to viewers)."""
    if listed == "case":
        return t(
            "brief_case_line",
            lang,
            id=row["case_id"],
            ip_type=_code(codes, "ip_type", row["ip_type"]),
            service=_code(codes, "service_type", row["service_type"]),
            platform=_code(codes, "platform", row["platform"]),
            received=date_name(row["received_on"], lang),
            closed=date_name(row["closed_on"], lang),
            days=row["closing_latency_workdays"]
            if row["closing_latency_workdays"] is not None
            else "—",
            outcome=_code(codes, "outcome", row["outcome"]),
        )
    police = t("brief_trademark_police", lang) if row["is_transferred_to_police"] else ""
    return t(
        "brief_trademark_line",
        lang,
        id=row["enforcement_id"],
        agency=_code(codes, "agency", row["agency"]),
        brand=row["brand"] or "—",
        kind=_code(codes, "infringement_type", row["infringement_type"]),
        location=_code(codes, "location", row["location"]),
        closed=date_name(row["closed_on"], lang),
        fine=format_value("trademark_fines_yuan", row["fine_yuan"], lang),
        police=police,
    )


def typical_options(snapshot: str, quarter: Period, lang: str) -> dict[str, dict[str, str]]:
    """What the preparer may pick: kind → {record id: its sentence}, the records closed in the
    quarter (the page's multiselects; the pack prints the same sentences)."""
    span = core.data_days(snapshot)
    codes = core.codes(snapshot, lang)
    options: dict[str, dict[str, str]] = {}
    for listed, (query, id_column) in TYPICAL_LISTS.items():
        frame = core.frame(query, snapshot, _params(quarter, span) | {"limit": TYPICAL_LIMIT})
        options[listed] = {
            row[id_column]: _case_line(row, listed, codes, lang)
            for row in frame.iter_rows(named=True)
        }
    return options


def _typical(snapshot: str, quarter: Period, lang: str, picks: list[tuple[str, str]]) -> list[str]:
    if not picks:
        return []
    options = typical_options(snapshot, quarter, lang)
    return [options[listed][rid] for listed, rid in picks if rid in options.get(listed, {})]


def _label(key: str, lang: str) -> str:
    """A KPI's label in the pack: money in 万元, not the dashboard's 元."""
    return t(f"brief_label_{key}", lang) if kind(key) == "yuan" else t(key, lang)


# --- text every writer shares -------------------------------------------------------------------


def table_rows(data: BriefData, metrics: list[Metric]) -> list[list[str]]:
    """The pack's table as text (KPI, this quarter, the one before, QoQ, a year before, YoY): one
    source for the PDF, the deck, the Word document and the page's preview, so they never
    differ. Columns a quarter without data on record would fill with "—" are left out."""
    lang = data.lang
    show_prev = any(m.previous is not None for m in metrics)
    show_yoy = any(m.year_before is not None for m in metrics)
    header = [t("brief_kpi", lang), t("brief_col_now", lang)]
    if show_prev:
        header += [t("brief_col_previous", lang), t("brief_qoq", lang)]
    if show_yoy:
        header += [t("brief_col_year_before", lang), t("brief_yoy", lang)]
    rows = [header]
    for m in metrics:
        row = [m.label, format_value(m.key, m.now, lang)]
        if show_prev:
            row += [
                format_value(m.key, m.previous, lang),
                format_change(m.key, m.now, m.previous, lang),
            ]
        if show_yoy:
            row += [
                format_value(m.key, m.year_before, lang),
                format_change(m.key, m.now, m.year_before, lang),
            ]
        rows.append(row)
    return rows


def change_columns(rows: list[list[str]], lang: str) -> dict[int, str]:
    """Which columns of `table_rows` hold a change, and against what: {3: 'previous', 5: …}."""
    header = rows[0]
    found = {}
    for i, text in enumerate(header):
        if text == t("brief_qoq", lang):
            found[i] = "previous"
        elif text == t("brief_yoy", lang):
            found[i] = "year_before"
    return found


def headline_metrics(data: BriefData) -> list[Metric]:
    """The headline table's rows: every KPI, in the order of the sections that tell them."""
    return data.headline


def target_rows(data: BriefData) -> list[list[str]]:
    """Progress against each published target: KPI, target, the quarter, the gap, the status."""
    lang = data.lang
    rows = [
        [
            t("brief_kpi", lang),
            t("brief_target", lang),
            t("brief_col_now", lang),
            t("brief_gap", lang),
            t("brief_status", lang),
        ]
    ]
    for row in data.targets:
        gap = difference(row.key, row.value, row.target) if row.value is not None else None
        gap_text = "—" if gap is None else format_change(row.key, row.value, row.target, lang)
        rows.append(
            [
                row.label,
                f"{row.target:.0%}",
                format_value(row.key, row.value, lang),
                gap_text,
                t(f"status_{row.status}", lang) if row.status else "—",
            ]
        )
    return rows


def target_sentence(data: BriefData) -> str | None:
    """'2个工作日内下架占比79.4%，低于90%的目标10.6个百分点，未达标。' for each target."""
    lang = data.lang
    parts = []
    for row in data.targets:
        if row.value is None:
            continue
        gap = difference(row.key, row.value, row.target)
        key = "brief_target_met" if gap is not None and gap >= 0 else "brief_target_short"
        parts.append(
            t(
                key,
                lang,
                what=row.label,
                value=format_value(row.key, row.value, lang),
                target=f"{row.target:.0%}",
                gap=amount_text(row.key, gap or 0, lang),
                status=t(f"status_{row.status}", lang),
            )
        )
    return "".join(parts) if lang == "zh" else " ".join(parts) or None


def overview_sentence(data: BriefData) -> str | None:
    """The quarter in one sentence: the volumes (the KPIs that count work done) that grew and
    those that fell against the previous quarter, the largest changes first."""
    lang = data.lang
    changes = []
    for section in data.reported:
        metric = next(m for m in section.metrics if m.key == section.spec.volume[0])
        rel = relative(metric.key, metric.now, metric.previous)
        if rel:
            # mid-sentence in English: "…, trademark cases opened up 47.5%"
            label = metric.label if lang == "zh" else metric.label[0].lower() + metric.label[1:]
            changes.append((rel, label))
    if not changes:
        return None
    changes.sort(key=lambda c: -abs(c[0]))
    said = [
        t(f"brief_overview_{'up' if r > 0 else 'down'}", lang, what=w, pct=percent_text(r))
        for r, w in sorted(changes, key=lambda c: c[0] < 0)  # rises first, each by size
    ]
    joiner = "，" if lang == "zh" else ", "
    return (
        t("brief_overview", lang, quarter=data.quarter_name)
        + joiner.join(said)
        + ("。" if lang == "zh" else ".")
    )


def query_lines(data: BriefData) -> list[str]:
    """Each section's queries and chart file, for the appendix (never in a page footer)."""
    lines = []
    for index, section in enumerate(data.reported, start=1):
        queries_used = sorted({m.source for m in section.metrics} | {section.spec.chart_query})
        chart = f"charts/{index:02d}-{section.spec.key}.png" if section.figure else "—"
        lines.append(
            t(
                "brief_sources",
                data.lang,
                section=section.title,
                queries=", ".join(queries_used),
                chart=chart,
            )
        )
    said = comparison_line(data, len(data.reported) + 1)
    if said:
        lines.append(said)
    return lines


def comparison_line(data: BriefData, index: int) -> str | None:
    """The comparison's queries, chart and CSV for the appendix (`index`: its chart's number)."""
    found = data.comparison
    if found is None or data.is_empty:
        return None
    chart = f"charts/{index:02d}-{found.chart_name}.png" if found.figure is not None else "—"
    return t(
        "brief_compare_sources",
        data.lang,
        section=found.title,
        queries=", ".join(QUERIES),
        chart=chart,
        csv=found.csv_name,
    )


def cut_off_line(data: BriefData) -> str:
    """'统计期间：2024年7月1日至2024年9月30日，数据截至2024年9月30日' for the cover."""
    lang = data.lang
    period = t(
        "brief_period",
        lang,
        start=date_name(data.quarter.start, lang),
        end=date_name(data.quarter.end, lang),
    )
    if data.cut_off is None:
        return period
    return period + t("brief_cut_off", lang, date=date_name(data.cut_off, lang))


def load_lines(data: BriefData, limit: int = 8) -> list[str]:
    """The loads behind the snapshot: appendix only."""
    lines = []
    rows = list(data.loads.iter_rows(named=True))
    for row in rows[-limit:]:
        lines.append(
            t(
                "brief_load_row",
                data.lang,
                load_id=row["load_id"],
                files=row["files"],
                kinds=row["kinds"],
                rows=row["rows_loaded"] or 0,
                loaded_at=f"{row['loaded_at']:%Y-%m-%d %H:%M}",
            )
        )
    if len(rows) > limit:
        lines.append(f"… +{len(rows) - limit} (loads.csv)")
    return lines
