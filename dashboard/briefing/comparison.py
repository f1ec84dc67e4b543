"""The briefing's one comparison (issue 16): up to four platforms, parks/markets, IP types or
partner regions in the briefing's quarter, or up to four quarters or years for the whole
district, side by side as on the Compare page — the same KPIs for each (compare.KPIS), each with
its change against the period before, ranked where the page ranks (platforms by the
2-working-day share), a small bar chart in the colours every chart gives those codes — as a
section of the PDF and the Word document, and as compare-<kind>-<quarter>.csv.

Every number is `kpi_headline` narrowed by the side (the number `ipgov kpis --quarter 2026Q3
--platform tmall` prints), read through the query core, so the pack, the Compare page and the
command line never differ. Asked for by `ipgov brief --compare KIND [--compare-items a,b]` and
by the Briefing page; items left out default to DEFAULT_RULE (see `default_items`)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

import plotly.graph_objects as go
import polars as pl

from dashboard import compare, compare_charts, core, formats
from dashboard.briefing.printed import Color, change_color, format_change, format_value, kind
from dashboard.columns import COLUMNS
from dashboard.i18n import CATALOG, t
from etl.errors import IpgovError
from etl.kpis import KpiValue
from etl.periods import Period

KINDS: tuple[str, ...] = tuple(compare.KINDS)  # platforms … regions, quarters, years
MAX_ITEMS = compare.MAX_SIDES
# the queries behind the section, named in the appendix like every section's
QUERIES = ("kpi_headline", "codes")
# The comparison's chart: the Compare page's bars of one KPI, laid out smaller than an area's
# chart (800×360 px) and printed at the same scale, so its text prints at the same size
CHART_SIZE = (640, 250)


@dataclass(frozen=True)
class Request:
    """What was asked for: the kind, and the items (codes or period labels; empty: default)."""

    kind: str
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class Column:
    """One side as printed: its name, rank (None where the kind is not ranked) and colour."""

    key: str
    name: str
    rank: int | None
    colour: str
    period: Period
    previous: Period | None  # None when the period before is not on record: no change shown
    now: dict[str, KpiValue]
    before: dict[str, KpiValue] | None


@dataclass(frozen=True)
class Comparison:
    """The section, in one language, before any file is written."""

    kind: str
    lang: str
    quarter: Period
    title: str  # 电商平台对比 / Platforms side by side
    columns: list[Column]
    kpis: tuple[str, ...]
    chart_kpi: str
    defaulted: bool  # the items were picked by the default rule
    sentences: list[str]
    note: str
    figure: go.Figure | None
    chart_frame: pl.DataFrame  # the bars' data (charts/NN-compare-<kind>.csv)
    table: pl.DataFrame  # the Compare page's table: each side's period and the one before

    @property
    def ranked(self) -> bool:
        return self.kind in compare.RANK_BY

    @property
    def chart_name(self) -> str:
        return f"compare-{self.kind}"

    @property
    def csv_name(self) -> str:
        return f"compare-{self.kind}-{self.quarter.label}.csv"

    def rows(self) -> list[list[str]]:
        """The printed table: two header rows — each side's name over its two columns (spans:
        HEADER_SPANS), then 本期 · 环比 under it — and per KPI each side's value and change."""
        lang = self.lang
        names, under = [t("brief_kpi", lang)], [""]
        for c in self.columns:
            names += [f"{c.rank}. {c.name}" if c.rank else c.name, ""]
            under += [t("brief_compare_value", lang), t("brief_qoq", lang)]
        rows = [names, under]
        for key in self.kpis:
            row = [label(key, lang)]
            for c in self.columns:
                before = c.before[key] if c.before is not None else None
                change = format_change(key, c.now[key], before, lang, with_percent=False)
                row += [format_value(key, c.now[key], lang), change]
            rows.append(row)
        return rows

    @property
    def spans(self) -> tuple[int, ...]:
        """The first header row's cells: the KPI column, then each side's name over two."""
        return (1,) + (2, 0) * len(self.columns)

    def colors(self) -> list[list[Color | None]]:
        """Each change green or red as it is better or worse (the headline table's rule)."""
        width = 1 + 2 * len(self.columns)
        out: list[list[Color | None]] = [[None] * width, [None] * width]
        for key in self.kpis:
            line: list[Color | None] = [None]
            for c in self.columns:
                before = c.before[key] if c.before is not None else None
                line += [None, change_color(key, c.now[key], before)]
            out.append(line)
        return out


def label(key: str, lang: str) -> str:
    """A KPI's label in the pack (money in 万元, as in the headline table)."""
    return t(f"brief_label_{key}", lang) if kind(key) == "yuan" else t(key, lang)


def check_kind(kind_name: str) -> str:
    if kind_name not in KINDS:
        raise IpgovError(
            f"--compare {kind_name!r}: choose one of {', '.join(KINDS)} "
            f"（对比对象：{'、'.join(KINDS)}）"
        )
    return kind_name


def parse_items(text: str | None) -> tuple[str, ...]:
    """'tmall, jd,,tmall' → ('tmall', 'jd'): order kept, blanks and repeats dropped."""
    if not text:
        return ()
    return tuple(dict.fromkeys(p.strip() for p in text.split(",") if p.strip()))


def check_request(kind_name: str | None, items_text: str | None) -> Request | None:
    """The command line's --compare / --compare-items before any read: the kind known, at most
    MAX_ITEMS items (whether each exists needs the snapshot: `validate`); None without
    --compare."""
    if kind_name is None:
        if items_text:
            raise IpgovError(
                "--compare-items needs --compare KIND（--compare-items 须与 --compare 同用）"
            )
        return None
    items = parse_items(items_text)
    check_kind(kind_name)
    if len(items) > MAX_ITEMS:
        raise IpgovError(
            f"--compare-items: at most {MAX_ITEMS} items, {len(items)} given"
            f"（最多 {MAX_ITEMS} 个对比项，给了 {len(items)} 个）"
        )
    return Request(kind_name, items)


def options(snapshot: str) -> tuple[compare.Options, dict[str, dict[str, str]]]:
    """What can be compared in the snapshot (the Compare page's pickers), and the names by
    code domain in Chinese (the error message names both)."""
    span = core.data_days(snapshot)
    names = core.codes(snapshot, "zh")
    if span is None:
        return compare.Options({}, (), ()), names
    return compare.options(names, span[0], span[1]), names


def validate(request: Request, offered: compare.Options, snapshot: str) -> tuple[str, ...]:
    """The items, each one the data offers; else one error in both languages naming the valid
    codes (or periods) with their names."""
    check_kind(request.kind)
    valid = offered.of(request.kind)
    unknown = [item for item in request.items if item not in valid]
    if not unknown:
        return request.items[:MAX_ITEMS]
    domain = compare.KINDS[request.kind]
    if domain is None:
        listed = ", ".join(valid)
    else:
        zh, en = core.codes(snapshot, "zh"), core.codes(snapshot, "en")
        listed = ", ".join(
            f"{code}（{zh.get(domain, {}).get(code, code)} / {en.get(domain, {}).get(code, code)}）"
            for code in valid
        )
    bad, valid = (
        " / ".join(
            t(key, lang, what=t(f"compare_by_{request.kind}", lang)) for lang in ("en", "zh")
        )
        for key in ("brief_compare_bad_items", "brief_compare_valid")
    )
    raise IpgovError(f"--compare-items {', '.join(unknown)}: {bad}; {valid}: {listed}")


def _on_record(period: Period, span: tuple[dt.date, dt.date] | None) -> bool:
    return span is not None and period.end >= span[0] and period.start <= span[1]


def default_items(
    snapshot: str, quarter: Period, kind_name: str, offered: compare.Options
) -> tuple[str, ...]:
    """The items when none are named: for a dimension, the MAX_ITEMS codes with the most
    records in the quarter by the kind's volume KPI (compare.VOLUME: takedown notices for
    platforms, cases received for parks/markets and IP types, referrals out for regions), none
    without any; for quarters, the briefing's quarter and the three before it; for years, the
    quarter's year and the three before it — periods on record only."""
    span = core.data_days(snapshot)
    if kind_name == "quarters":
        picked, current = [], quarter
        while len(picked) < MAX_ITEMS and _on_record(current, span):
            picked.append(current.label)
            current = current.previous()
        return tuple(sorted(picked))
    if kind_name == "years":
        latest = quarter.start.year
        return tuple(sorted(y for y in offered.years if latest - MAX_ITEMS < int(y) <= latest))
    every = {
        code: core.headline(snapshot, quarter, **{kind_name: (code,)})
        for code in offered.of(kind_name)
    }
    return tuple(compare.busiest(kind_name, every))


def _sentences(comparison_kpi: str, columns: list[Column], ranked: bool, lang: str) -> list[str]:
    """'按2个工作日内下架排名，天猫居首（91.8%），拼多多居末（69.0%）。' — or, unranked, which
    side is highest and which lowest on the chart's KPI. Nothing for a single side or a tie."""
    valued = [c for c in columns if not formats.is_missing(c.now[comparison_kpi])]
    if len(valued) < 2:
        return []
    what = label(comparison_kpi, lang)
    if ranked:
        first, last = valued[0], valued[-1]
        key = "brief_compare_ranked"
    else:
        ordered = sorted(valued, key=lambda c: -float(c.now[comparison_kpi]))  # type: ignore[arg-type]
        first, last = ordered[0], ordered[-1]
        key = "brief_compare_spread"
    if first.now[comparison_kpi] == last.now[comparison_kpi]:
        return []
    return [
        t(
            key,
            lang,
            kpi=what,
            first=first.name,
            first_value=format_value(comparison_kpi, first.now[comparison_kpi], lang),
            last=last.name,
            last_value=format_value(comparison_kpi, last.now[comparison_kpi], lang),
        )
    ]


def collect_comparison(snapshot: str, quarter: Period, request: Request, lang: str) -> Comparison:
    """The section for the briefing's quarter: items validated (IpgovError naming the valid
    ones), the default set when none are named, every number read through the query core."""
    offered, _ = options(snapshot)
    items = validate(request, offered, snapshot) or default_items(
        snapshot, quarter, request.kind, offered
    )
    span = core.data_days(snapshot)
    domain = compare.KINDS[request.kind]
    names = core.codes(snapshot, lang).get(domain, {}) if domain else {}
    choice = compare.Choice(request.kind, {request.kind: items}, quarter.label)
    sides = compare.sides(choice)
    now = {s.key: core.headline(snapshot, s.period, **s.narrowed) for s in sides}
    before = {
        s.key: core.headline(snapshot, s.previous, **s.narrowed)
        for s in sides
        if _on_record(s.previous, span)
    }
    colours = {  # as on the Compare page: a code's fixed colour, periods in time order
        s.key: compare_charts.side_colour(domain, s.key, i)
        for i, s in enumerate(sorted(sides, key=lambda s: s.key))
    }
    by_key = {s.key: s for s in sides}
    order = [by_key[k] for k in compare.ranked(request.kind, now)]
    ranked = request.kind in compare.RANK_BY
    shown = {
        s.key: names.get(s.key, s.key) if domain else formats.period_label(s.period, lang)
        for s in sides
    }
    columns = [
        Column(
            s.key,
            shown[s.key],
            rank if ranked else None,
            colours[s.key],
            s.period,
            s.previous if s.key in before else None,
            now[s.key],
            before.get(s.key),
        )
        for rank, s in enumerate(order, start=1)
    ]
    chart_kpi = choice.default_trend
    bars = compare.bars_frame(order, shown, now, chart_kpi, colours)
    has_bars = bars["value"].drop_nulls().len() > 0
    figure = (
        compare_charts.side_bars(bars, compare.kpi_kind(chart_kpi), label(chart_kpi, lang), lang)
        if has_bars
        else None
    )
    # the CSV: the page's table, each side's period and the one before (zeros kept as read)
    table = compare.table(choice, order, shown, now, {k: before.get(k, {}) for k in now})
    return Comparison(
        kind=request.kind,
        lang=lang,
        quarter=quarter,
        title=t("brief_h_compare", lang, what=t(f"compare_by_{request.kind}", lang)),
        columns=columns,
        kpis=choice.kpis,
        chart_kpi=chart_kpi,
        defaulted=not request.items,
        sentences=_sentences(chart_kpi, columns, ranked, lang)
        if columns
        else [t("brief_compare_nothing", lang, what=t(f"compare_by_{request.kind}", lang))],
        note=_note(request.kind, quarter, not request.items, ranked, lang)
        + _partial(columns, span, lang),
        figure=figure,
        chart_frame=bars.drop("colour"),
        table=table,
    )


def _partial(columns: list[Column], span: tuple[dt.date, dt.date] | None, lang: str) -> str:
    """Periods that go on past the data's last day are said to be incomplete (a year compared
    in a quarter's briefing may be), as the Compare page says."""
    if span is None:
        return ""
    cut = [c.name for c in columns if c.period.start <= span[1] < c.period.end]
    if not cut:
        return ""
    day = f"{span[1].year}年{span[1].month}月{span[1].day}日" if lang == "zh" else str(span[1])
    joiner = "、" if lang == "zh" else ", "
    return t("brief_compare_partial", lang, periods=joiner.join(cut), date=day)


def _note(kind_name: str, quarter: Period, defaulted: bool, ranked: bool, lang: str) -> str:
    """Under the table: what is compared with what, how it is ranked, how the items were
    chosen."""
    quarter_words = formats.period_label(quarter, lang)
    if compare.KINDS[kind_name] is None:
        text = t("brief_compare_note_periods", lang)
    else:
        text = t(
            "brief_compare_note_dimension",
            lang,
            quarter=quarter_words,
            previous=formats.period_label(quarter.previous(), lang),
        )
    if ranked:
        first, second = compare.RANK_BY[kind_name]
        text += t(
            "brief_compare_note_ranked", lang, kpi=label(first, lang), tie=label(second, lang)
        )
    if defaulted:
        volume = compare.VOLUME.get(kind_name)
        key = f"brief_compare_default_{kind_name}"
        if key not in CATALOG:
            key = "brief_compare_default_dimension"
        text += t(key, lang, n=MAX_ITEMS, kpi=label(volume, lang) if volume else "")
    return text


def csv_text(comparison: Comparison) -> str:
    """compare-<kind>-<quarter>.csv: the Compare page's table with headers and shares in the
    pack's language (money in yuan, as every CSV)."""
    lang = comparison.lang
    frame = comparison.table
    unit = {"zh": "（元）", "en": " (yuan)"}[lang]
    headers = [
        COLUMNS[c].header(lang) + (unit if COLUMNS[c].kind == "yuan" else "") for c in frame.columns
    ]
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(headers)
    for row in frame.iter_rows(named=True):
        writer.writerow([_cell(name, value) for name, value in row.items()])
    return text.getvalue()


def _cell(name: str, value: object) -> object:
    if formats.is_missing(value):
        return formats.MISSING
    if COLUMNS[name].kind == "share":
        return formats.share(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
