"""Plotly figure builders: pure functions of polars frames, shared by pages and the briefing.

They take data and a language, never a query, so the exported chart is the one on screen and
each builder is testable without Streamlit. Frames come from dashboard/sql/*.sql; display names
arrive as `name_zh` / `name_en` columns.

Rules that make a chart readable at a glance (issue: charts officials could not read):
- one value axis per chart: a second measure gets its own small builder, never a `yaxis2`;
- periods on a category axis labelled in the page's language (2024年3月, 2024年第三季度), one
  category per period from the first to the last, so a month without records still shows;
- one fixed colour per code (platform, region, park or market, IP type, patent type), the same on
  every page and in the briefing; measures (median, p90, …) use the neutral SERIES colours, so a
  legend swatch never looks like a platform it is not;
- the legend sits between the title and the plot, where it meets neither.
"""

from __future__ import annotations

import datetime as dt
import numbers
from collections.abc import Sequence

import plotly.graph_objects as go
import polars as pl

from dashboard import formats
from dashboard.i18n import t

FONT_FAMILY = "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, Microsoft YaHei, sans-serif"
GRAINS = ("month", "quarter")
KM_MAX_PLATFORMS = 4  # more step lines than this overlap into a tangle
MAX_TICKS = 13  # period ticks on a trend axis: more would crowd half a page

# Code colours come from the Okabe–Ito and Paul Tol palettes, which are made to stay apart
# under the common colour-vision deficiencies (eleven platforms are more than any such palette
# holds, so a few pairs are close for some readers: every chart also names each platform).
# "other" codes are mid grey and "unknown" light grey in every domain.
OTHER_GREY = "#777777"
UNKNOWN_GREY = "#BBBBBB"
PLATFORM_COLORS = {
    "tmall": "#D55E00",  # vermillion
    "taobao": "#E69F00",  # orange
    "jd": "#0072B2",  # blue
    "pinduoduo": "#CC79A7",  # reddish purple
    "douyin": "#332288",  # indigo
    "alibaba_1688": "#009E73",  # bluish green
    "amazon": "#999933",  # olive
    "kuaishou": "#56B4E9",  # sky blue
    "xiaohongshu": "#882255",  # wine
    "offline": OTHER_GREY,
    "unknown": UNKNOWN_GREY,
}
REGION_COLORS = {
    "local": "#228833",  # green: this district
    "zhongshan": "#4477AA",
    "dongguan": "#EE6677",
    "zhejiang_ecc": "#AA3377",
    "guangdong_other": "#CCBB44",
    "other_province": "#66CCEE",
    "unknown": UNKNOWN_GREY,
}
LOCATION_COLORS = {  # industrial parks in cool colours, markets in warm ones
    "P01": "#332288",
    "P02": "#4477AA",
    "P03": "#88CCEE",
    "P04": "#44AA99",
    "P05": "#117733",
    "P06": "#999933",
    "P07": "#AA4499",
    "M01": "#CC6677",
    "M02": "#882255",
    "M03": "#DDCC77",
    "M04": "#E69F00",
    "M05": "#D55E00",
    "other": OTHER_GREY,
    "unknown": UNKNOWN_GREY,
}
IP_TYPE_COLORS = {
    "patent": "#0072B2",
    "trademark": "#E69F00",
    "copyright": "#009E73",
    "other": "#882255",
    "unknown": UNKNOWN_GREY,
}
PATENT_TYPE_COLORS = {
    "invention": "#332288",
    "utility_model": "#DDAA33",
    "design": "#BB5566",
    "unknown": UNKNOWN_GREY,
}
VERDICT_COLORS = {"ok": "#009E73", "quarantined": "#E69F00", "rejected": "#CC3311"}
VERDICTS = tuple(VERDICT_COLORS)
PALETTES: dict[str, dict[str, str]] = {
    "platform": PLATFORM_COLORS,
    "region": REGION_COLORS,
    "location": LOCATION_COLORS,
    "ip_type": IP_TYPE_COLORS,
    "patent_type": PATENT_TYPE_COLORS,
    "verdict": VERDICT_COLORS,
}
# Colours of measures, not of codes: blues and a brick red that no code palette uses.
SERIES = {
    "primary": "#1F4E79",
    "secondary": "#7EA6D8",
    "good": "#2E8B57",
    "alert": "#B03A2E",
    "muted": "#8C8C8C",
    "neutral": "#222222",  # markers and reference lines drawn over code-coloured bars
}
DIRECTION_COLORS = {"out": SERIES["primary"], "in": SERIES["secondary"]}
PALETTE = [  # codes no palette knows get a stable colour from here
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#332288",
    "#999933",
    "#882255",
    "#44AA99",
]


def color_of(code: str | None, colors: dict[str, str]) -> str:
    """A code's fixed colour; unknown codes get a stable colour from the palette."""
    if code in colors:
        return colors[code]  # type: ignore[index]
    return PALETTE[sum(map(ord, code or "")) % len(PALETTE)]


def _name(frame: pl.DataFrame, lang: str, fallback: str) -> list[str]:
    column = f"name_{lang}"
    if column in frame.columns:
        return [n or c for n, c in zip(frame[column], frame[fallback], strict=True)]
    return [str(c) for c in frame[fallback]]


def _colon(lang: str) -> str:
    return "：" if lang == "zh" else ": "


# plotly_white, cut to the parts the chart types here use. The full template (colour scales, 3-D,
# polar, geo and 24 trace types) is copied into every figure: ~9 ms to build and ~6.5 KB to send
# per chart, several charts per page view (docs/performance.md, "Where a page view's time goes").
_GRID = "#EBF0F8"
_AXIS = {
    "gridcolor": _GRID,
    "linecolor": _GRID,
    "ticks": "",
    "title": {"standoff": 15},
    "zerolinecolor": _GRID,
    "zerolinewidth": 2,
    "automargin": True,
}
TEMPLATE = go.layout.Template(
    layout={
        "autotypenumbers": "strict",
        "font": {"color": "#2a3f5f"},
        "hoverlabel": {"align": "left"},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "xaxis": _AXIS,
        "yaxis": _AXIS,
        "shapedefaults": {"line": {"color": "#2a3f5f"}},
        "annotationdefaults": {"arrowcolor": "#2a3f5f", "arrowhead": 0, "arrowwidth": 1},
    },
    data={
        "bar": [{"marker": {"line": {"color": "white", "width": 0.5}}}],
        "pie": [{"automargin": True}],
    },
)


def _layout(
    fig: go.Figure,
    title: str,
    subtitle: str | None = None,
    *,
    counts: str | None = None,
    **extra: object,
) -> go.Figure:
    """Shared look: left-aligned title (and subtitle), CJK-capable fonts, the legend in a row
    between the title and the plot, axes that make room for their labels; `extra` is merged
    over this (nested keys too, so `xaxis={"title": …}` keeps the automargin). `counts`: the
    axis ("x" or "y") that counts things, which ticks at whole numbers (_whole_ticks)."""
    top = (56 if extra.get("showlegend") is False else 78) + (22 if subtitle else 0)
    heading: dict[str, object] = {
        "text": title,
        "x": 0.01,
        "xanchor": "left",
        "yref": "container",
        "y": 0.98,
        "yanchor": "top",
    }
    if subtitle:
        heading["subtitle"] = {"text": subtitle, "font": {"size": 12, "color": "#555555"}}
    fig.update_layout(
        title=heading,
        font={"family": FONT_FAMILY, "size": 13},
        hovermode="x unified",
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.01, "xanchor": "left", "x": 0},
        margin={"l": 60, "r": 30, "t": top, "b": 50},
        template=TEMPLATE,
        xaxis={"automargin": True},
        yaxis={"automargin": True},
    )
    fig.update_layout(**extra)
    if counts:
        _whole_ticks(fig, counts)
    return fig


WHOLE_TICKS_BELOW = 6  # counts up to 5: Plotly would tick at 0.5 (half a referral)


def _whole_ticks(fig: go.Figure, axis: str) -> None:
    """A count axis whose bars or lines stay small (a district's partner with 3 referrals in a
    quarter) ticks at each whole number: Plotly's own ticks were 0, 0.5, 1, 1.5 …, and half a
    case reads as a mistake. Stacked bars count to their stack's top."""
    stacked = fig.layout.barmode in ("stack", "relative")
    other = "y" if axis == "x" else "x"
    tops: dict[object, float] = {}
    peak = 0.0
    for trace in fig.data:
        values = getattr(trace, axis, None)
        if values is None:
            continue
        keys = getattr(trace, other, None)
        keys = list(keys) if keys is not None else list(range(len(values)))
        for key, value in zip(keys, values, strict=False):
            if not isinstance(value, numbers.Real):
                continue
            top = tops.get(key, 0.0) + value if stacked else value
            tops[key] = top
            peak = max(peak, top)
    if peak < WHOLE_TICKS_BELOW:
        fig.update_layout({f"{axis}axis": {"dtick": 1}})


# --- periods ----------------------------------------------------------------------------------


def _every_period(frame: pl.DataFrame, grain: str) -> pl.DataFrame:
    """The trend frame with one row per period from its first to its last: a category axis
    would otherwise close the gap of a month without records and bend time without saying so.
    The added rows have nulls (no bar, no point), not zeros."""
    if grain not in GRAINS:
        raise ValueError(f"grain {grain!r} is not one of {', '.join(GRAINS)}")
    if frame.is_empty():
        return frame
    frame = frame.sort("period_start")
    interval = "3mo" if grain == "quarter" else "1mo"
    starts = pl.date_range(
        frame["period_start"].min(), frame["period_start"].max(), interval, eager=True
    )
    if not frame["period_start"].is_in(starts.implode()).all():
        # monthly rows drawn as quarters: a wiring bug, not a sparse chart
        raise ValueError(f"the frame's period_start values are not first days of a {grain}")
    every = pl.DataFrame({"period_start": starts}).cast({"period_start": pl.Date})
    return every.join(frame, on="period_start", how="left")


def _trend(
    frame: pl.DataFrame, grain: str, lang: str
) -> tuple[pl.DataFrame, list[str], dict[str, object]]:
    """The completed trend frame, its period labels in order (the x categories, which the
    unified hover shows in full) and the x axis to draw them on."""
    rows = _every_period(frame, grain)
    days = rows["period_start"].to_list()
    labels = [formats.period_start_label(d, grain, lang) for d in days]
    return rows, labels, _period_axis(days, labels, grain, lang)


def _period_axis(
    days: list[dt.date], labels: list[str], grain: str, lang: str
) -> dict[str, object]:
    """A category axis with short, level ticks: the month (or quarter) with its year under it
    where the year starts (1月 over 2024年), and only every second or third period ticked when
    there are many, so 24 months fit half a page without tilting. Every period keeps its bar
    or point, and the hover names it in full (2024年3月)."""
    steps = (1, 2) if grain == "quarter" else (1, 2, 3, 6, 12)  # steps that divide a year
    step = next((s for s in steps if len(days) <= MAX_TICKS * s), steps[-1])
    ticks: list[tuple[str, str, int, int]] = []  # (category, short label, index, year)
    for day, label in zip(days, labels, strict=True):
        index = (day.month - 1) // 3 if grain == "quarter" else day.month - 1
        if index % step:  # ticks on the same months every year; a first odd month gets none
            continue
        if grain == "quarter":
            short = f"第{formats.QUARTER_ZH[index + 1]}季度" if lang == "zh" else f"Q{index + 1}"
        else:
            short = f"{day.month}月" if lang == "zh" else formats.MONTH_EN[day.month - 1]
        ticks.append((label, short, index, day.year))
    tickvals, ticktext = [], []
    for k, (label, short, index, year) in enumerate(ticks):
        # the year under each first period of a year, and under the first tick unless a year
        # starts at the next one (the two years' labels would run into each other)
        if index == 0 or (k == 0 and ticks[1:2] and ticks[1][2] != 0) or len(ticks) == 1:
            short += f"<br>{year}年" if lang == "zh" else f"<br>{year}"
        tickvals.append(label)
        ticktext.append(short)
    return {
        "type": "category",
        "categoryorder": "array",
        "categoryarray": labels,
        "tickmode": "array",
        "tickvals": tickvals,
        "ticktext": ticktext,
        "tickangle": 0,
    }


def _floats(series: pl.Series) -> list[float | None]:
    """Numbers Plotly can serialise: DECIMAL money from the marts arrives as Decimal."""
    return [None if v is None else float(v) for v in series]


def _share_axis(lang: str, title: str | None = None) -> dict[str, object]:
    return {
        "title": title or t("share", lang),
        "tickformat": ".0%",
        "hoverformat": ".1%",
        "range": [0, 1.05],
        "dtick": 0.2,
    }


def _target_line(fig: go.Figure, target: float | None, lang: str, vertical: bool = False) -> None:
    """The target share as a dashed reference line, labelled 'Target 90%' in the language."""
    if target is None:
        return
    text = t("chart_target", lang, share=f"{target * 100:g}%")  # 90%, 92.5%
    style = {"line_dash": "dash", "line_color": SERIES["neutral"], "line_width": 1.5}
    if vertical:
        fig.add_vline(x=target, annotation_text=text, annotation_position="top", **style)
    else:
        fig.add_hline(y=target, annotation_text=text, annotation_position="top left", **style)


def _line(
    x: list[str], y: Sequence[float | None], name: str, color: str, dash: str | None = None
) -> go.Scatter:
    return go.Scatter(
        x=x,
        y=y,
        mode="lines+markers",
        name=name,
        line={"color": color, "width": 2.5, "dash": dash},
        marker={"size": 7},
        connectgaps=False,
    )


# --- takedowns --------------------------------------------------------------------------------


def takedown_trend(frame: pl.DataFrame, lang: str, *, grain: str = "month") -> go.Figure:
    """Median and p90 latency in working days per period (the share within 2 working days has
    its own chart: takedown_share_trend)."""
    rows, x, axis = _trend(frame, grain, lang)
    fig = go.Figure(
        [
            _line(
                x, rows["median_workdays"].to_list(), t("median_workdays", lang), SERIES["primary"]
            ),
            _line(
                x, rows["p90_workdays"].to_list(), t("p90_workdays", lang), SERIES["alert"], "dot"
            ),
        ]
    )
    return _layout(
        fig,
        t("chart_takedown_latency", lang),
        xaxis=axis,
        yaxis={"title": t("workdays", lang), "rangemode": "tozero", "hoverformat": ".1f"},
    )


def takedown_share_trend(
    frame: pl.DataFrame, lang: str, *, grain: str = "month", target: float | None = None
) -> go.Figure:
    """Share of notices removed within 2 working days per period, on a 0–100 % axis so a dip
    is not exaggerated, with the target (when given) as a dashed line."""
    rows, x, axis = _trend(frame, grain, lang)
    fig = go.Figure(
        _line(x, rows["within_2wd_share"].to_list(), t("within_2wd_share", lang), SERIES["good"])
    )
    _target_line(fig, target, lang)
    return _layout(
        fig,
        t("chart_takedown_share", lang),
        showlegend=False,
        xaxis=axis,
        yaxis=_share_axis(lang),
    )


def takedown_platform_latency(frame: pl.DataFrame, lang: str) -> go.Figure:
    """Per platform, slowest first: the median in working days as a bar in the platform's
    colour, and a neutral stem up to a tick at the p90. The legend shows only the neutral
    symbols (an outlined bar, the tick), so no platform's colour stands for a measure."""
    rows = frame.sort(["p90_workdays", "median_workdays"], descending=True, nulls_last=True)
    names = _name(rows, lang, "platform")
    medians, p90s = rows["median_workdays"].to_list(), rows["p90_workdays"].to_list()
    spread = [None if m is None or p is None else p - m for m, p in zip(medians, p90s, strict=True)]
    median, p90 = t("median_workdays", lang), t("p90_workdays", lang)
    fig = go.Figure(
        [
            # legend entry of the median: an outlined white bar, no platform's colour
            go.Bar(
                x=[None],
                y=[None],
                name=median,
                marker={"color": "white", "line": {"color": SERIES["neutral"], "width": 1.5}},
                hoverinfo="skip",
            ),
            go.Bar(
                x=names,
                y=medians,
                marker={"color": [color_of(c, PLATFORM_COLORS) for c in rows["platform"]]},
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": spread,
                    "arrayminus": [0] * rows.height,
                    "color": SERIES["neutral"],
                    "thickness": 1.2,
                    "width": 0,
                },
                showlegend=False,
                name=median,
                hovertemplate=f"%{{x}}<br>{median}{_colon(lang)}%{{y:.1f}}<extra></extra>",
            ),
            go.Scatter(
                x=names,
                y=p90s,
                mode="markers+text",
                name=p90,
                text=p90s,
                texttemplate="%{y:.1~f}",
                textposition="top center",
                marker={
                    "symbol": "line-ew",
                    "size": 28,
                    "line": {"width": 3, "color": SERIES["neutral"]},
                    "color": SERIES["neutral"],
                },
                hovertemplate=f"%{{x}}<br>{p90}{_colon(lang)}%{{y:.1f}}<extra></extra>",
            ),
        ]
    )
    return _layout(
        fig,
        t("chart_platform_latency", lang),
        hovermode="closest",
        barmode="overlay",
        xaxis={"type": "category"},
        yaxis={"title": t("workdays", lang), "rangemode": "tozero"},
    )


def takedown_platform_share(
    frame: pl.DataFrame, lang: str, *, target: float | None = None
) -> go.Figure:
    """Per platform, the share of notices removed within 2 working days as a horizontal bar in
    the platform's colour, highest on top, with the target (when given) as a dashed line."""
    rows = frame.sort("within_2wd_share", nulls_last=False)
    notices = rows["notices"].to_list() if "notices" in rows.columns else [None] * rows.height
    fig = go.Figure(
        go.Bar(
            x=rows["within_2wd_share"].to_list(),
            y=_name(rows, lang, "platform"),
            orientation="h",
            marker={"color": [color_of(c, PLATFORM_COLORS) for c in rows["platform"]]},
            customdata=notices,
            texttemplate="%{x:.1%}",
            textposition="inside",
            insidetextanchor="start",  # away from the target line near the bars' ends
            hovertemplate=f"%{{y}}<br>{t('within_2wd_share', lang)}{_colon(lang)}%{{x:.1%}}"
            f"<br>{t('notices', lang)}{_colon(lang)}%{{customdata:,}}<extra></extra>",
        )
    )
    _target_line(fig, target, lang, vertical=True)
    return _layout(
        fig,
        t("chart_platform_share", lang),
        hovermode="closest",
        showlegend=False,
        height=max(320, 34 * rows.height + 140),
        xaxis=_share_axis(lang, t("within_2wd_share", lang)),
        yaxis={"type": "category"},
    )


def latency_distribution(frame: pl.DataFrame, lang: str) -> go.Figure:
    """Notices by working days until removal (0…9, 10+), and those still live."""
    labels = [t("still_live", lang) if b == "live" else b for b in frame["latency_label"]]
    colors = [
        SERIES["alert"]
        if b == "live"
        else (SERIES["good"] if b in {"0", "1", "2"} else SERIES["primary"])
        for b in frame["latency_label"]
    ]
    fig = go.Figure(
        go.Bar(
            x=labels,
            y=frame["notices"].to_list(),
            marker_color=colors,
            name=t("notices", lang),
            hovertemplate=f"%{{x}}<br>{t('notices', lang)}{_colon(lang)}%{{y:,}}<extra></extra>",
        )
    )
    return _layout(
        fig,
        t("chart_latency_distribution", lang),
        counts="y",
        hovermode="closest",
        showlegend=False,
        xaxis={"type": "category", "title": t("workdays", lang)},
        yaxis={"title": t("notices", lang), "tickformat": ","},
    )


def top_platforms(frame: pl.DataFrame, n: int = KM_MAX_PLATFORMS) -> list[str]:
    """The `n` platforms with most notices in a takedown_km frame (its first row per platform
    has every notice at risk), most first: the curves drawn when the reader picks none."""
    if frame.is_empty():
        return []
    counts = frame.group_by("platform").agg(pl.col("n_at_risk").max().alias("notices"))
    return (
        counts.sort(["notices", "platform"], descending=[True, False])["platform"].head(n).to_list()
    )


def km_curves(
    frame: pl.DataFrame,
    names: dict[str, str],
    lang: str,
    *,
    platforms: Sequence[str] | None = None,
) -> go.Figure:
    """Share of listings still live by working days after the notice (Kaplan–Meier), for at
    most KM_MAX_PLATFORMS platforms: the ones picked (the first four, in that order) or, when
    none are, the four with most notices. The 2-working-day target as a vertical line."""
    chosen = list(platforms)[:KM_MAX_PLATFORMS] if platforms else top_platforms(frame)
    still_live, workdays = t("still_live", lang), t("workdays", lang)
    fig = go.Figure()
    for platform in chosen:
        rows = frame.filter(pl.col("platform") == platform).sort("workdays")
        if rows.is_empty():
            continue
        name = names.get(platform, platform)
        fig.add_trace(
            go.Scatter(
                x=[0, *rows["workdays"].to_list()],
                y=[1.0, *rows["share_still_live"].to_list()],
                mode="lines",
                line_shape="hv",
                name=name,
                line={"color": color_of(platform, PLATFORM_COLORS), "width": 2.5},
                hovertemplate=f"{name}<br>{workdays}{_colon(lang)}%{{x}}"
                f"<br>{still_live}{_colon(lang)}%{{y:.1%}}<extra></extra>",
            )
        )
    fig.add_vline(
        x=2,
        line_dash="dash",
        line_color=SERIES["neutral"],
        annotation_text=t("target_2wd", lang),
        annotation_position="top right",
    )
    return _layout(
        fig,
        t("chart_still_live", lang),
        hovermode="closest",
        xaxis={"title": t("chart_workdays_after_notice", lang), "range": [0, 20], "dtick": 2},
        yaxis={"title": still_live, "tickformat": ".0%", "range": [0, 1.02]},
    )


# --- cases ------------------------------------------------------------------------------------


def cases_trend(frame: pl.DataFrame, lang: str, *, grain: str = "month") -> go.Figure:
    """Cases received and closed per period (bars) and the open backlog at its end (line): all
    three are numbers of cases, so they share one axis."""
    rows, x, axis = _trend(frame, grain, lang)
    fig = go.Figure(
        [
            go.Bar(
                x=x,
                y=rows["received"].to_list(),
                name=t("received", lang),
                marker_color=SERIES["primary"],
            ),
            go.Bar(
                x=x,
                y=rows["closed"].to_list(),
                name=t("closed", lang),
                marker_color=SERIES["secondary"],
            ),
            _line(x, rows["open_end"].to_list(), t("open_end", lang), SERIES["alert"]),
        ]
    )
    return _layout(
        fig,
        t("chart_cases", lang),
        counts="y",
        xaxis=axis,
        yaxis={"title": t("cases", lang), "tickformat": ",", "hoverformat": ",.0f"},
    )


def case_mix(frame: pl.DataFrame, lang: str) -> go.Figure:
    """Cases by service type (a row each, most cases on top), stacked by IP type in the IP
    types' fixed colours; horizontal, so long service names stay readable."""
    totals = frame.group_by("service_type").agg(pl.col("cases").sum()).sort("cases")
    order = totals["service_type"].to_list()
    labels = {
        row["service_type"]: row[f"service_{lang}"] or row["service_type"]
        for row in frame.unique("service_type").iter_rows(named=True)
    }
    present = set(frame["ip_type"].drop_nulls())
    ip_types = [c for c in IP_TYPE_COLORS if c in present] + sorted(present - set(IP_TYPE_COLORS))
    fig = go.Figure()
    for ip_type in ip_types:
        rows = frame.filter(pl.col("ip_type") == ip_type)
        fig.add_trace(
            go.Bar(
                x=rows["cases"].to_list(),
                y=[labels[s] for s in rows["service_type"]],
                orientation="h",
                name=rows[f"ip_{lang}"][0] or ip_type,
                marker_color=color_of(ip_type, IP_TYPE_COLORS),
            )
        )
    return _layout(
        fig,
        t("chart_case_mix", lang),
        counts="x",
        barmode="stack",
        legend={"traceorder": "normal"},  # patent first, as the stack reads left to right
        hovermode="y unified",
        height=max(320, 56 * len(order) + 160),
        xaxis={"title": t("cases", lang), "tickformat": ",", "hoverformat": ",.0f"},
        yaxis={
            "type": "category",
            "categoryorder": "array",
            "categoryarray": [labels[s] for s in order],
        },
    )


def ranked_bars(
    frame: pl.DataFrame,
    label: str,
    value: str,
    title: str,
    lang: str,
    colors: dict[str, str] | None = None,
    code: str | None = None,
    value_format: str = ",",
) -> go.Figure:
    """Horizontal bars, largest on top: top applicants, outcomes, parks and markets… With
    `colors` (one of PALETTES) and the frame's `code` column, each bar takes its code's colour."""
    rows = frame.sort(value)
    codes = rows[code].to_list() if code else None
    marker = (
        {"color": [color_of(c, colors) for c in codes]}
        if colors and codes
        else {"color": SERIES["primary"]}
    )
    fig = go.Figure(
        go.Bar(
            x=_floats(rows[value]),
            y=rows[label].to_list(),
            orientation="h",
            marker=marker,
            texttemplate=f"%{{x:{value_format}}}",
            textposition="outside",
            cliponaxis=False,
            hovertemplate=f"%{{y}}{_colon(lang)}%{{x:{value_format}}}<extra></extra>",
        )
    )
    return _layout(
        fig,
        title,
        hovermode="closest",
        showlegend=False,
        height=max(320, 28 * rows.height + 120),
        yaxis={"type": "category"},
    )


def opinion_turnaround(frame: pl.DataFrame, lang: str) -> go.Figure:
    """Advisory opinions by working days from receipt to opinion; pending ones apart."""
    labels = [t("pending", lang) if w is None else str(w) for w in frame["workdays"]]
    colors = [
        SERIES["muted"] if w is None else (SERIES["good"] if w <= 2 else SERIES["alert"])
        for w in frame["workdays"]
    ]
    fig = go.Figure(
        go.Bar(
            x=labels,
            y=frame["cases"].to_list(),
            marker_color=colors,
            hovertemplate=f"%{{x}}<br>{t('cases', lang)}{_colon(lang)}%{{y:,}}<extra></extra>",
        )
    )
    return _layout(
        fig,
        t("chart_opinions", lang),
        hovermode="closest",
        showlegend=False,
        xaxis={"type": "category", "title": t("workdays", lang)},
        yaxis={"title": t("cases", lang)},
    )


def open_case_age(frame: pl.DataFrame, lang: str) -> go.Figure:
    """Histogram of the age of open cases in days."""
    fig = go.Figure(
        go.Histogram(x=frame["age_days"].to_list(), nbinsx=20, marker_color=SERIES["alert"])
    )
    return _layout(
        fig,
        t("chart_open_age", lang),
        hovermode="closest",
        xaxis={"title": t("age_days", lang)},
        yaxis={"title": t("cases", lang)},
        showlegend=False,
    )


# --- patents ----------------------------------------------------------------------------------


def patent_trend(frame: pl.DataFrame, lang: str, *, grain: str = "month") -> go.Figure:
    """Pre-examinations accepted and granted per period (granted ÷ accepted has its own chart:
    patent_rate_trend)."""
    rows, x, axis = _trend(frame, grain, lang)
    fig = go.Figure(
        [
            go.Bar(
                x=x,
                y=rows["accepted"].to_list(),
                name=t("accepted", lang),
                marker_color=SERIES["primary"],
            ),
            go.Bar(
                x=x,
                y=rows["authorized"].to_list(),
                name=t("authorized", lang),
                marker_color=SERIES["secondary"],
            ),
        ]
    )
    return _layout(
        fig,
        t("chart_patent_trend", lang),
        counts="y",
        barmode="group",
        xaxis=axis,
        yaxis={"title": t("count", lang), "tickformat": ",", "hoverformat": ",.0f"},
    )


def patent_rate_trend(frame: pl.DataFrame, lang: str, *, grain: str = "month") -> go.Figure:
    """Granted ÷ accepted per period, with a line at 100 % and a subtitle saying why it can
    pass it: a period's grants come from applications accepted in earlier periods too, so the
    ratio is a throughput measure, not the share of applications granted."""
    rows, x, axis = _trend(frame, grain, lang)
    fig = go.Figure(
        _line(
            x,
            rows["authorization_rate"].to_list(),
            t("authorization_rate", lang),
            SERIES["primary"],
        )
    )
    fig.add_hline(
        y=1,
        line_dash="dot",
        line_color=SERIES["muted"],
        annotation_text=t("chart_rate_parity", lang),
        annotation_position="top right",
    )
    return _layout(
        fig,
        t("chart_patent_rate", lang),
        subtitle=t("chart_patent_rate_note", lang),
        showlegend=False,
        xaxis=axis,
        yaxis={
            "title": t("authorization_rate", lang),
            "tickformat": ".0%",
            "hoverformat": ".1%",
            "rangemode": "tozero",
        },
    )


def patent_types(frame: pl.DataFrame, lang: str) -> go.Figure:
    """Donut of accepted applications by patent type (design dominates in leather goods), each
    type in its fixed colour and named on its slice."""
    fig = go.Figure(
        go.Pie(
            labels=_name(frame, lang, "patent_type"),
            values=frame["accepted"].to_list(),
            marker={"colors": [color_of(c, PATENT_TYPE_COLORS) for c in frame["patent_type"]]},
            hole=0.5,
            sort=False,
            textinfo="label+percent",
            texttemplate="%{label}<br>%{percent:.1%}",
            hovertemplate=f"%{{label}}<br>{t('accepted', lang)}{_colon(lang)}%{{value:,}}"
            "<br>%{percent:.1%}<extra></extra>",
        )
    )
    total = frame["accepted"].sum()
    fig.add_annotation(
        text=f"{t('accepted', lang)}<br>{total:,}", showarrow=False, font={"size": 15}
    )
    return _layout(fig, t("chart_patent_types", lang), hovermode="closest", showlegend=False)


# --- trademark enforcement --------------------------------------------------------------------


def trademark_trend(frame: pl.DataFrame, lang: str, *, grain: str = "month") -> go.Figure:
    """Cases opened and cases sent to police per period (fines have their own chart:
    trademark_fines_trend)."""
    rows, x, axis = _trend(frame, grain, lang)
    fig = go.Figure(
        [
            go.Bar(
                x=x,
                y=rows["cases_opened"].to_list(),
                name=t("cases_opened", lang),
                marker_color=SERIES["primary"],
            ),
            go.Bar(
                x=x,
                y=rows["transferred_to_police"].to_list(),
                name=t("transferred_to_police", lang),
                marker_color=SERIES["alert"],
            ),
        ]
    )
    return _layout(
        fig,
        t("chart_trademark_cases", lang),
        counts="y",
        barmode="group",
        xaxis=axis,
        yaxis={"title": t("cases", lang), "tickformat": ",", "hoverformat": ",.0f"},
    )


def trademark_fines_trend(frame: pl.DataFrame, lang: str, *, grain: str = "month") -> go.Figure:
    """Fines of the cases closed in each period. In Chinese the axis is in 万元 (10,000 yuan),
    as office reports write large sums; in English in yuan with thousands separators."""
    rows, x, axis = _trend(frame, grain, lang)
    fines = _floats(rows["fines_yuan"])
    if lang == "zh":
        values = [None if v is None else v / 10_000 for v in fines]
        hover = "%{y:,.1f} 万元"
    else:
        values, hover = fines, "%{y:,.0f} yuan"
    fig = go.Figure(
        go.Bar(
            x=x,
            y=values,
            name=t("fines_yuan", lang),
            marker_color=SERIES["primary"],
            hovertemplate=f"{hover}<extra></extra>",
        )
    )
    return _layout(
        fig,
        t("chart_trademark_fines", lang),
        showlegend=False,
        xaxis=axis,
        yaxis={"title": t("chart_fines_axis", lang), "tickformat": ",", "rangemode": "tozero"},
    )


# --- notarization -----------------------------------------------------------------------------


def notary_trend(frame: pl.DataFrame, lang: str, *, grain: str = "month") -> go.Figure:
    """Notarizations completed per period (turnaround has its own chart: notary_hours_trend)."""
    rows, x, axis = _trend(frame, grain, lang)
    fig = go.Figure(
        go.Bar(
            x=x,
            y=rows["notarizations"].to_list(),
            name=t("notarizations", lang),
            marker_color=SERIES["primary"],
        )
    )
    return _layout(
        fig,
        t("chart_notary_count", lang),
        counts="y",
        showlegend=False,
        xaxis=axis,
        yaxis={"title": t("count", lang), "tickformat": ",", "hoverformat": ",.0f"},
    )


def notary_hours_trend(frame: pl.DataFrame, lang: str, *, grain: str = "month") -> go.Figure:
    """Median (and, when the frame has it, p90) turnaround in hours per period."""
    rows, x, axis = _trend(frame, grain, lang)
    traces = [_line(x, rows["median_hours"].to_list(), t("median_hours", lang), SERIES["primary"])]
    if "p90_hours" in rows.columns:
        traces.append(
            _line(
                x, rows["p90_hours"].to_list(), t("chart_p90_hours", lang), SERIES["alert"], "dot"
            )
        )
    return _layout(
        go.Figure(traces),
        t("chart_notary_hours", lang),
        xaxis=axis,
        yaxis={"title": t("chart_hours", lang), "rangemode": "tozero", "hoverformat": ".1f"},
    )


# --- referrals --------------------------------------------------------------------------------


def referral_sankey(frame: pl.DataFrame, lang: str) -> go.Figure:
    """Flows from partners into the district's center (in) and from it to partners (out); each
    partner's node says its count, e.g. 中山（移入）12, and the link's hover the number."""
    partners = _name(frame, lang, "partner_region")
    codes = frame["partner_region"].to_list()
    directions = frame["direction"].to_list()
    counts = frame["referrals"].to_list()
    total = {
        d: sum(n for n, e in zip(counts, directions, strict=True) if e == d) for d in ("in", "out")
    }
    center = t("this_district", lang)
    center_note = (
        f"{t('direction_in', lang)} {total['in']:,} · {t('direction_out', lang)} {total['out']:,}"
    )
    labels, notes = [center], [center_note]
    sources, targets, colors = [], [], []
    for partner, code, direction, n in zip(partners, codes, directions, counts, strict=True):
        shown = t(f"direction_{direction}", lang) if direction in ("in", "out") else direction
        labels.append(t("chart_sankey_node", lang, name=partner, direction=shown, n=f"{n:,}"))
        notes.append(f"{t('referrals', lang)}{_colon(lang)}{n:,}")
        node = len(labels) - 1
        src, dst = (node, 0) if direction == "in" else (0, node)
        sources.append(src)
        targets.append(dst)
        colors.append(color_of(code, REGION_COLORS))
    fig = go.Figure(
        go.Sankey(
            valueformat=",",
            # dark labels without Plotly.js's automatic halo, which in the browser drew them
            # white-on-pastel over the links (the exported chart was dark already)
            textfont={"color": "#222222", "size": 13, "shadow": "none"},
            node={
                "label": labels,
                "pad": 18,
                "color": ["#444444", *colors],
                "customdata": notes,
                "hovertemplate": "%{label}<br>%{customdata}<extra></extra>",
            },
            link={
                "source": sources,
                "target": targets,
                "value": counts,
                "color": [c + "80" for c in colors],
                "hovertemplate": "%{source.label} → %{target.label}<br>"
                f"{t('referrals', lang)}{_colon(lang)}%{{value:,}}<extra></extra>",
            },
        )
    )
    return _layout(fig, t("chart_referral_flows", lang), hovermode="closest")


def referral_partners(frame: pl.DataFrame, lang: str) -> go.Figure:
    """Referrals out and in per partner as horizontal bars (partner names on the left, where
    long names have room), most referrals on top; the legend above the plot."""
    names = dict(zip(frame["partner_region"], _name(frame, lang, "partner_region"), strict=True))
    totals = frame.group_by("partner_region").agg(pl.col("referrals").sum()).sort("referrals")
    order = [names[c] for c in totals["partner_region"]]
    fig = go.Figure()
    for direction in ("in", "out"):  # drawn bottom up: out on top of each pair
        rows = frame.filter(pl.col("direction") == direction)
        fig.add_trace(
            go.Bar(
                x=rows["referrals"].to_list(),
                y=[names[c] for c in rows["partner_region"]],
                orientation="h",
                name=t(f"direction_{direction}", lang),
                marker_color=DIRECTION_COLORS[direction],
                texttemplate="%{x:,}",
                textposition="outside",
                cliponaxis=False,
            )
        )
    return _layout(
        fig,
        t("chart_referral_partners", lang),
        counts="x",
        barmode="group",
        legend={"traceorder": "reversed"},  # out first, as in each pair
        hovermode="y unified",
        height=max(340, 52 * len(order) + 160),
        xaxis={"title": t("referrals", lang), "tickformat": ",", "hoverformat": ",.0f"},
        yaxis={"type": "category", "categoryorder": "array", "categoryarray": order},
    )


def referral_trend(frame: pl.DataFrame, lang: str, *, grain: str = "month") -> go.Figure:
    """Referrals out and in per period."""
    rows, x, axis = _trend(frame, grain, lang)
    fig = go.Figure(
        [
            go.Bar(
                x=x,
                y=rows["referrals_out"].to_list(),
                name=t("direction_out", lang),
                marker_color=DIRECTION_COLORS["out"],
            ),
            go.Bar(
                x=x,
                y=rows["referrals_in"].to_list(),
                name=t("direction_in", lang),
                marker_color=DIRECTION_COLORS["in"],
            ),
        ]
    )
    return _layout(
        fig,
        t("chart_referral_trend", lang),
        counts="y",
        barmode="group",
        xaxis=axis,
        yaxis={"title": t("referrals", lang), "tickformat": ",", "hoverformat": ",.0f"},
    )


# --- data quality -----------------------------------------------------------------------------


def quality_verdicts(frame: pl.DataFrame, lang: str) -> go.Figure:
    """Files judged per day, stacked by verdict (queries.quality_by_day: judged_on plus a count
    column per verdict present). The days are categories, so a single day is a full-width bar
    rather than a hair-thin one on a date axis."""
    rows = frame.sort("judged_on")
    x = [d.isoformat() if isinstance(d, dt.date) else str(d) for d in rows["judged_on"]]
    fig = go.Figure(
        [
            go.Bar(
                x=x,
                y=rows[verdict].to_list(),
                name=t(f"verdict_{verdict}", lang),
                marker_color=VERDICT_COLORS[verdict],
            )
            for verdict in VERDICTS
            if verdict in rows.columns
        ]
    )
    return _layout(
        fig,
        t("q_loads_over_time", lang),
        barmode="stack",
        bargap=0.6 if len(x) <= 3 else 0.2,  # a lone day is a bar, not a wall
        legend={"traceorder": "normal"},
        xaxis={"type": "category", "categoryorder": "array", "categoryarray": x},
        yaxis={
            "title": t("q_files", lang),
            "tickformat": ",",
            "hoverformat": ",.0f",
            "rangemode": "tozero",
        },
    )


# --- SQL console --------------------------------------------------------------------------------

RESULT_CHART_KINDS = ("bar", "line", "scatter")
RESULT_CHART_MAX_SERIES = 20  # more colours than this are unreadable; the largest are kept


def result_chart(
    frame: pl.DataFrame, x: str, y: str | None, color: str | None, kind: str, lang: str
) -> go.Figure:
    """A chart of an SQL console result: `y` over `x` (the row count when `y` is None), one series
    per value of `color` (the RESULT_CHART_MAX_SERIES largest), as bars, a line or points."""
    value = y or "__rows"
    keys = [x] if not color or color == x else [x, color]
    if y is None:
        frame = frame.group_by(keys, maintain_order=True).agg(pl.len().alias(value))
    if kind == "line":
        frame = frame.sort(x, nulls_last=True)
    if color:
        largest = (
            frame.group_by(color)
            .agg(pl.len().alias("__n"))
            .sort("__n", descending=True)
            .head(RESULT_CHART_MAX_SERIES)[color]
            .to_list()
        )
        series = [(str(v), frame.filter(pl.col(color).eq_missing(v))) for v in largest]
    else:
        series = [(value if y else t("count", lang), frame)]
    traces = []
    for i, (name, part) in enumerate(series):
        xs, ys = part[x].to_list(), part[value].to_list()
        hue = PALETTE[i % len(PALETTE)]
        if kind == "bar":
            traces.append(go.Bar(x=xs, y=ys, name=name, marker_color=hue))
        else:
            mode = "lines+markers" if kind == "line" else "markers"
            traces.append(go.Scatter(x=xs, y=ys, name=name, mode=mode, line={"color": hue}))
    y_title = y or t("count", lang)
    return _layout(
        go.Figure(traces),
        f"{y_title} · {x}",
        barmode="group",
        showlegend=bool(color),
        xaxis={"title": x},
        yaxis={"title": y_title},
    )
