"""What the pack says: its sections, every number with the quarters it is compared with, the
generated sentences and the figures, read through the query core (`dashboard.core`, the reads
the pages make) before any file is written; and the text the PDF and the deck share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import plotly.graph_objects as go
import polars as pl

from dashboard import charts, core
from dashboard.briefing.printed import difference, format_change, format_value
from dashboard.core import Filters
from dashboard.i18n import LANGUAGES, t
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
        ("takedown_within_2wd_share", "takedown_median_workdays"),
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
        ("notarizations",),
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
class BriefData:
    """Everything the pack shows, in one language, before any file is written."""

    quarter: Period
    previous: Period
    year_before: Period
    lang: str
    title: str
    snapshot: str
    span: tuple[dt.date, dt.date] | None  # first and last day with data
    headline: list[Metric]
    sections: list[Section]
    statements: list[str]  # no records / partial quarter / no comparison quarter
    loads: pl.DataFrame
    is_empty: bool
    is_partial: bool


def sentence(metric: Metric, previous: Period, year_before: Period, lang: str) -> str:
    """The generated statement of a metric's change, from the catalogue's brief_sentence_*."""
    what = t(f"brief_what_{metric.key}", lang)
    now = format_value(metric.key, metric.now)
    diff = difference(metric.key, metric.now, metric.previous)
    if diff is None:
        head = t("brief_sentence_first", lang, what=what, now=now, prev=previous.label)
    else:
        template = "brief_sentence_up" if diff > 0 else "brief_sentence_down" if diff < 0 else ""
        values = {
            "what": what,
            "now": now,
            "before": format_value(metric.key, metric.previous),
            "prev": previous.label,
            "change": format_change(metric.key, metric.now, metric.previous, lang),
        }
        head = t(template or "brief_sentence_flat", lang, **values)
    yoy = difference(metric.key, metric.now, metric.year_before)
    if yoy is None:
        tail = t("brief_sentence_yoy_none", lang, year_before=year_before.label)
    elif not yoy:
        tail = t("brief_sentence_yoy_flat", lang, year_before=year_before.label)
    else:
        tail = t(
            "brief_sentence_yoy",
            lang,
            change=format_change(metric.key, metric.now, metric.year_before, lang),
            year_before=year_before.label,
            before=format_value(metric.key, metric.year_before),
        )
    return head + tail


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


def _title(lang: str) -> str:
    district = settings.current().district
    if district == t("brief_this_district", "zh"):
        district = t("brief_this_district", lang)
    return t("brief_title", lang, district=district)


def quarter_name(quarter: Period, lang: str) -> str:
    """'2024年第三季度' / 'Q3 2024'."""
    number = (quarter.start.month - 1) // 3 + 1
    q = "一二三四"[number - 1] if lang == "zh" else str(number)
    return t("brief_quarter_name", lang, year=quarter.start.year, q=q)


def collect(snapshot: str, quarter: Period, lang: str) -> BriefData:
    """Every number, sentence and figure of the pack, through the dashboard's query layer."""
    if lang not in LANGUAGES:
        raise IpgovError(f"language {lang!r} is not one of {', '.join(LANGUAGES)}")
    span = core.data_days(snapshot)
    previous, year_before = quarter.previous(), quarter.year_before()
    # a comparison quarter outside the data on record has no numbers, not zeros
    compared = {
        "now": quarter,
        "previous": previous if _on_record(previous, span) else None,
        "year_before": year_before if _on_record(year_before, span) else None,
    }
    heads = {n: core.headline(snapshot, p) if p else None for n, p in compared.items()}
    headline = [
        _metric(key, t(key, lang), "kpi_headline", {n: h and h[key] for n, h in heads.items()})
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
        has_records = any(by_key[k].now for k in spec.volume)
        window = _trend_window(quarter) if spec.trend else quarter
        params = _params(window, span) | ({"grain": TREND_GRAIN} if spec.trend else {})
        frame = core.frame(spec.chart_query, snapshot, params)
        figure = _figure(spec, frame, lang) if has_records and _has_numbers(frame) else None
        if has_records:
            stories = sorted(
                (m for m in metrics if m.key in spec.stories and m.now is not None),
                key=lambda m: spec.stories.index(m.key),
            )
            sentences = [sentence(m, previous, year_before, lang) for m in stories]
        else:
            sentences = [t("brief_section_empty", lang, quarter=quarter.label)]
        sections.append(
            Section(spec, t(spec.title_key, lang), metrics, sentences, has_records, frame, figure)
        )

    is_empty = not any(s.has_records for s in sections)
    last_day = span[1] if span else None
    is_partial = last_day is not None and quarter.start <= last_day < quarter.end
    statements = []
    if is_empty:
        statements.append(t("brief_no_records", lang, quarter=quarter.label))
    else:
        if is_partial:
            statements.append(t("brief_partial", lang, date=str(last_day), quarter=quarter.label))
        if compared["previous"] is None:
            statements.append(
                t("brief_no_previous", lang, previous=previous.label, quarter=quarter.label)
            )
        if compared["year_before"] is None:
            statements.append(t("brief_no_year_before", lang, year_before=year_before.label))
        pending = _pending(snapshot, quarter, span)
        if pending:
            statements.append(
                t("brief_pending_2wd", lang, quarter=quarter.label, n=pending, date=str(last_day))
            )
    # working-day latencies on a provisional calendar (issue 14): said, as on the pages
    provisional = core.frame("takedown_provisional", snapshot, _params(quarter, span)).row(0)
    if provisional[0]:
        statements.append(
            t(
                "brief_provisional",
                lang,
                quarter=quarter.label,
                notices=format_value("takedown_requests", provisional[0]),
                date=str(provisional[1]),
            )
        )
    return BriefData(
        quarter=quarter,
        previous=previous,
        year_before=year_before,
        lang=lang,
        title=_title(lang),
        snapshot=snapshot,
        span=span,
        headline=headline,
        sections=sections,
        statements=statements,
        loads=core.frame("brief_loads", snapshot),
        is_empty=is_empty,
        is_partial=is_partial,
    )


# --- text the PDF and the deck share ------------------------------------------------------------


def table_rows(data: BriefData, metrics: list[Metric]) -> list[list[str]]:
    """The pack's table as text (KPI, the quarter, the one before, QoQ, a year before, YoY): one
    source for the PDF, the deck and the page's preview, so the three never differ."""
    lang = data.lang
    header = [
        t("brief_kpi", lang),
        data.quarter.label,
        data.previous.label,
        t("brief_qoq", lang),
        data.year_before.label,
        t("brief_yoy", lang),
    ]
    rows = [header]
    for m in metrics:
        rows.append(
            [
                m.label,
                format_value(m.key, m.now),
                format_value(m.key, m.previous),
                format_change(m.key, m.now, m.previous, lang),
                format_value(m.key, m.year_before),
                format_change(m.key, m.now, m.year_before, lang),
            ]
        )
    return rows


def sources(data: BriefData, section: Section, index: int) -> str:
    queries_used = sorted(
        {f"{m.source}.sql" for m in section.metrics} | {f"{section.spec.chart_query}.sql"}
    )
    chart = f"charts/{index:02d}-{section.spec.key}.png" if section.figure else "—"
    return t("brief_sources", data.lang, queries=", ".join(queries_used), chart=chart)


def load_lines(data: BriefData, limit: int = 8) -> list[str]:
    lines = []
    if data.span:
        lines.append(
            t(
                "brief_span",
                data.lang,
                first=data.span[0].isoformat(),
                last=data.span[1].isoformat(),
                snapshot=data.snapshot,
            )
        )
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
