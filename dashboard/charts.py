"""Plotly figure builders: pure functions of polars frames, shared by pages and the briefing.

They take data and a language, never a query, so the exported chart is the one on screen and
each builder is testable without Streamlit. Frames come from dashboard/sql/*.sql; display names
arrive as `name_zh` / `name_en` columns. Colours are fixed per platform and per region, so a
platform has the same colour on every page and in the briefing.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from dashboard.i18n import t

FONT_FAMILY = "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, Microsoft YaHei, sans-serif"
PALETTE = [
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
]
PLATFORM_COLORS = {
    "tmall": "#e4393c",
    "taobao": "#ff7f0e",
    "jd": "#1f77b4",
    "pinduoduo": "#d62728",
    "douyin": "#111111",
    "alibaba_1688": "#bcbd22",
    "amazon": "#ff9900",
    "kuaishou": "#9467bd",
    "xiaohongshu": "#e377c2",
    "offline": "#7f7f7f",
    "unknown": "#c7c7c7",
}
REGION_COLORS = {
    "local": "#2ca02c",
    "zhongshan": "#1f77b4",
    "dongguan": "#ff7f0e",
    "zhejiang_ecc": "#9467bd",
    "guangdong_other": "#8c564b",
    "other_province": "#7f7f7f",
    "unknown": "#c7c7c7",
}
SERIES = {
    "primary": "#1f77b4",
    "secondary": "#2ca02c",
    "alert": "#d62728",
    "accent": "#ff7f0e",
    "muted": "#7f7f7f",
}


def color_of(code: str, colors: dict[str, str]) -> str:
    """A code's fixed colour; unknown codes get a stable colour from the palette."""
    if code in colors:
        return colors[code]
    return PALETTE[sum(map(ord, code or "")) % len(PALETTE)]


def _name(frame: pl.DataFrame, lang: str, fallback: str) -> list[str]:
    column = f"name_{lang}"
    if column in frame.columns:
        return [n or c for n, c in zip(frame[column], frame[fallback], strict=True)]
    return [str(c) for c in frame[fallback]]


def _layout(fig: go.Figure, title: str, **extra: object) -> go.Figure:
    """Shared look: left-aligned title, CJK-capable fonts, legend below; `extra` overrides."""
    layout: dict[str, object] = {
        "title": {"text": title, "x": 0, "xanchor": "left"},
        "font": {"family": FONT_FAMILY, "size": 13},
        "hovermode": "x unified",
        "legend": {"orientation": "h", "y": -0.18},
        "margin": {"l": 50, "r": 30, "t": 60, "b": 50},
        "template": "plotly_white",
    }
    fig.update_layout(layout | extra)
    return fig


def _share_axis(lang: str) -> dict:
    return {
        "title": t("share", lang),
        "overlaying": "y",
        "side": "right",
        "tickformat": ".0%",
        "range": [0, 1.05],
        "tickmode": "linear",  # 0 %, 20 %, … 100 %, not ticks synced to the left axis
        "tick0": 0,
        "dtick": 0.2,
        "showgrid": False,
    }


# --- takedowns --------------------------------------------------------------------------------


def takedown_trend(frame: pl.DataFrame, lang: str) -> go.Figure:
    """Median and p90 latency in working days per period, with the within-2-days share."""
    x = frame["period_start"].to_list()
    fig = go.Figure(
        [
            go.Scatter(
                x=x,
                y=frame["median_workdays"].to_list(),
                mode="lines+markers",
                name=t("median_workdays", lang),
                line={"color": SERIES["primary"]},
            ),
            go.Scatter(
                x=x,
                y=frame["p90_workdays"].to_list(),
                mode="lines+markers",
                name=t("p90_workdays", lang),
                line={"color": SERIES["accent"]},
            ),
            go.Scatter(
                x=x,
                y=frame["within_2wd_share"].to_list(),
                mode="lines",
                name=t("within_2wd_share", lang),
                yaxis="y2",
                line={"color": SERIES["secondary"], "dash": "dot"},
            ),
        ]
    )
    return _layout(
        fig,
        t("chart_takedown_latency", lang),
        yaxis={"title": t("workdays", lang), "rangemode": "tozero"},
        yaxis2=_share_axis(lang),
    )


def takedown_platform_latency(frame: pl.DataFrame, lang: str) -> go.Figure:
    """Per platform: median and p90 working days (bars), share within 2 working days (dots)."""
    names = _name(frame, lang, "platform")
    colors = [color_of(c, PLATFORM_COLORS) for c in frame["platform"]]
    fig = go.Figure(
        [
            go.Bar(
                x=names,
                y=frame["median_workdays"].to_list(),
                name=t("median_workdays", lang),
                marker_color=colors,
            ),
            go.Bar(
                x=names,
                y=frame["p90_workdays"].to_list(),
                name=t("p90_workdays", lang),
                marker_color=colors,
                opacity=0.45,
            ),
            go.Scatter(
                x=names,
                y=frame["within_2wd_share"].to_list(),
                mode="markers",
                name=t("within_2wd_share", lang),
                yaxis="y2",
                marker={"color": SERIES["secondary"], "size": 11, "symbol": "diamond"},
            ),
        ]
    )
    return _layout(
        fig,
        t("chart_platform_latency", lang),
        barmode="group",
        yaxis={"title": t("workdays", lang)},
        yaxis2=_share_axis(lang),
    )


def latency_distribution(frame: pl.DataFrame, lang: str) -> go.Figure:
    """Notices by working days until removal (0…9, 10+), and those still live."""
    labels = [t("still_live", lang) if b == "live" else b for b in frame["latency_label"]]
    colors = [
        SERIES["alert"]
        if b == "live"
        else (SERIES["secondary"] if b in {"0", "1", "2"} else SERIES["primary"])
        for b in frame["latency_label"]
    ]
    fig = go.Figure(
        go.Bar(x=labels, y=frame["notices"].to_list(), marker_color=colors, name=t("notices", lang))
    )
    fig.update_xaxes(type="category", title=t("workdays", lang))
    return _layout(fig, t("chart_latency_distribution", lang), yaxis={"title": t("notices", lang)})


def km_curves(frame: pl.DataFrame, names: dict[str, str], lang: str) -> go.Figure:
    """Kaplan–Meier share of listings still live by working days since the notice, per platform;
    the 2-working-day target as a vertical line."""
    fig = go.Figure()
    for platform in frame["platform"].unique(maintain_order=True).to_list():
        rows = frame.filter(pl.col("platform") == platform)
        x = [0, *rows["workdays"].to_list()]
        y = [1.0, *rows["share_still_live"].to_list()]
        fig.add_trace(
            go.Scatter(
                x=x,
                y=y,
                mode="lines",
                line_shape="hv",
                name=names.get(platform, platform),
                line={"color": color_of(platform, PLATFORM_COLORS)},
            )
        )
    fig.add_vline(
        x=2, line_dash="dash", line_color=SERIES["muted"], annotation_text=t("target_2wd", lang)
    )
    return _layout(
        fig,
        t("chart_km", lang),
        hovermode="closest",
        xaxis={"title": t("workdays", lang), "range": [0, 20]},
        yaxis={"title": t("share", lang), "tickformat": ".0%", "range": [0, 1.02]},
    )


# --- cases ------------------------------------------------------------------------------------


def cases_trend(frame: pl.DataFrame, lang: str) -> go.Figure:
    """Cases received and closed per period (bars) and the open backlog at its end (line)."""
    x = frame["period_start"].to_list()
    fig = go.Figure(
        [
            go.Bar(
                x=x,
                y=frame["received"].to_list(),
                name=t("received", lang),
                marker_color=SERIES["primary"],
            ),
            go.Bar(
                x=x,
                y=frame["closed"].to_list(),
                name=t("closed", lang),
                marker_color=SERIES["secondary"],
            ),
            go.Scatter(
                x=x,
                y=frame["open_end"].to_list(),
                name=t("open_end", lang),
                mode="lines",
                line={"color": SERIES["alert"]},
            ),
        ]
    )
    return _layout(fig, t("chart_cases", lang), yaxis={"title": t("count", lang)})


def case_mix(frame: pl.DataFrame, lang: str) -> go.Figure:
    """Cases by service type (x), stacked by IP type."""
    fig = go.Figure()
    for ip_type in sorted(frame["ip_type"].drop_nulls().unique().to_list()):
        rows = frame.filter(pl.col("ip_type") == ip_type)
        fig.add_trace(
            go.Bar(
                x=rows[f"service_{lang}"].to_list(),
                y=rows["cases"].to_list(),
                name=rows[f"ip_{lang}"][0] or ip_type,
            )
        )
    return _layout(
        fig, t("chart_case_mix", lang), barmode="stack", yaxis={"title": t("cases", lang)}
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
    """Horizontal bars, largest on top: top applicants, outcomes, parks and markets…"""
    rows = frame.sort(value)
    codes = rows[code].to_list() if code else None
    marker = (
        {"color": [color_of(c, colors) for c in codes]}
        if colors and codes
        else {"color": SERIES["primary"]}
    )
    fig = go.Figure(
        go.Bar(
            x=rows[value].to_list(),
            y=rows[label].to_list(),
            orientation="h",
            marker=marker,
            texttemplate=f"%{{x:{value_format}}}",
            textposition="outside",
            cliponaxis=False,
        )
    )
    return _layout(
        fig,
        title,
        hovermode="closest",
        showlegend=False,
        height=max(320, 28 * rows.height + 120),
        yaxis={"automargin": True},
    )


def opinion_turnaround(frame: pl.DataFrame, lang: str) -> go.Figure:
    """Advisory opinions by working days from receipt to opinion; pending ones apart."""
    labels = [t("pending", lang) if w is None else str(w) for w in frame["workdays"]]
    colors = [
        SERIES["muted"] if w is None else (SERIES["secondary"] if w <= 2 else SERIES["alert"])
        for w in frame["workdays"]
    ]
    fig = go.Figure(go.Bar(x=labels, y=frame["cases"].to_list(), marker_color=colors))
    fig.update_xaxes(type="category", title=t("workdays", lang))
    return _layout(
        fig, t("chart_opinions", lang), yaxis={"title": t("cases", lang)}, showlegend=False
    )


def open_case_age(frame: pl.DataFrame, lang: str) -> go.Figure:
    """Histogram of the age of open cases in days."""
    fig = go.Figure(
        go.Histogram(x=frame["age_days"].to_list(), nbinsx=20, marker_color=SERIES["alert"])
    )
    return _layout(
        fig,
        t("chart_open_age", lang),
        xaxis={"title": t("age_days", lang)},
        yaxis={"title": t("cases", lang)},
        showlegend=False,
    )


# --- patents ----------------------------------------------------------------------------------


def patent_trend(frame: pl.DataFrame, lang: str) -> go.Figure:
    """Pre-examinations accepted and granted per period, with granted ÷ accepted."""
    x = frame["period_start"].to_list()
    fig = go.Figure(
        [
            go.Bar(
                x=x,
                y=frame["accepted"].to_list(),
                name=t("accepted", lang),
                marker_color=SERIES["primary"],
            ),
            go.Bar(
                x=x,
                y=frame["authorized"].to_list(),
                name=t("authorized", lang),
                marker_color=SERIES["secondary"],
            ),
            go.Scatter(
                x=x,
                y=frame["authorization_rate"].to_list(),
                name=t("authorization_rate", lang),
                yaxis="y2",
                mode="lines+markers",
                line={"color": SERIES["accent"]},
            ),
        ]
    )
    axis2 = _share_axis(lang) | {"range": None, "title": t("authorization_rate", lang)}
    return _layout(
        fig,
        t("chart_patent_trend", lang),
        barmode="group",
        yaxis={"title": t("count", lang)},
        yaxis2=axis2,
    )


def patent_types(frame: pl.DataFrame, lang: str) -> go.Figure:
    """Donut of accepted applications by patent type (design dominates in leather goods)."""
    fig = go.Figure(
        go.Pie(
            labels=_name(frame, lang, "patent_type"),
            values=frame["accepted"].to_list(),
            hole=0.5,
            sort=False,
        )
    )
    return _layout(fig, t("chart_patent_types", lang), hovermode="closest")


# --- trademark enforcement --------------------------------------------------------------------


def trademark_trend(frame: pl.DataFrame, lang: str) -> go.Figure:
    """Cases opened and sent to police (bars) and fines of cases closed (line, yuan)."""
    x = frame["period_start"].to_list()
    fig = go.Figure(
        [
            go.Bar(
                x=x,
                y=frame["cases_opened"].to_list(),
                name=t("cases_opened", lang),
                marker_color=SERIES["primary"],
            ),
            go.Bar(
                x=x,
                y=frame["transferred_to_police"].to_list(),
                name=t("transferred_to_police", lang),
                marker_color=SERIES["alert"],
            ),
            go.Scatter(
                x=x,
                y=[float(v) for v in frame["fines_yuan"]],
                name=t("fines_yuan", lang),
                yaxis="y2",
                mode="lines+markers",
                line={"color": SERIES["accent"]},
            ),
        ]
    )
    return _layout(
        fig,
        t("chart_trademark_trend", lang),
        barmode="overlay",
        yaxis={"title": t("cases", lang)},
        yaxis2={
            "title": t("fines_yuan", lang),
            "overlaying": "y",
            "side": "right",
            "showgrid": False,
            "rangemode": "tozero",
        },
    )


# --- notarization -----------------------------------------------------------------------------


def notary_trend(frame: pl.DataFrame, lang: str) -> go.Figure:
    """Notarizations completed per period (bars) and median turnaround hours (line)."""
    x = frame["period_start"].to_list()
    fig = go.Figure(
        [
            go.Bar(
                x=x,
                y=frame["notarizations"].to_list(),
                name=t("notarizations", lang),
                marker_color=SERIES["primary"],
            ),
            go.Scatter(
                x=x,
                y=frame["median_hours"].to_list(),
                name=t("median_hours", lang),
                yaxis="y2",
                mode="lines+markers",
                line={"color": SERIES["accent"]},
            ),
        ]
    )
    return _layout(
        fig,
        t("chart_notary_trend", lang),
        yaxis={"title": t("count", lang)},
        yaxis2={
            "title": t("median_hours", lang),
            "overlaying": "y",
            "side": "right",
            "showgrid": False,
            "rangemode": "tozero",
        },
    )


# --- referrals --------------------------------------------------------------------------------


def referral_sankey(frame: pl.DataFrame, lang: str) -> go.Figure:
    """Flows from partners into the district's center (in) and from it to partners (out)."""
    center = t("this_district", lang)
    partners = _name(frame, lang, "partner_region")
    codes = frame["partner_region"].to_list()
    inbound = [f"{p} ({t('direction_in', lang)})" for p in partners]
    outbound = [f"{p} ({t('direction_out', lang)})" for p in partners]
    labels = [center]
    sources, targets, values, colors = [], [], [], []
    for i, direction in enumerate(frame["direction"].to_list()):
        node = inbound[i] if direction == "in" else outbound[i]
        labels.append(node)
        j = len(labels) - 1
        src, dst = (j, 0) if direction == "in" else (0, j)
        sources.append(src)
        targets.append(dst)
        values.append(frame["referrals"][i])
        colors.append(color_of(codes[i], REGION_COLORS))
    fig = go.Figure(
        go.Sankey(
            node={"label": labels, "pad": 18, "color": ["#444444", *colors]},
            link={
                "source": sources,
                "target": targets,
                "value": values,
                "color": [c + "80" for c in colors],
            },
        )
    )
    return _layout(fig, t("chart_referral_flows", lang), hovermode="closest")


def referral_partners(frame: pl.DataFrame, lang: str) -> go.Figure:
    """Referrals out and in per partner."""
    fig = go.Figure()
    for direction, color in (("out", SERIES["primary"]), ("in", SERIES["accent"])):
        rows = frame.filter(pl.col("direction") == direction)
        fig.add_trace(
            go.Bar(
                x=_name(rows, lang, "partner_region"),
                y=rows["referrals"].to_list(),
                name=t(f"direction_{direction}", lang),
                marker_color=color,
            )
        )
    return _layout(
        fig,
        t("chart_referral_partners", lang),
        barmode="group",
        yaxis={"title": t("referrals", lang)},
    )


def referral_trend(frame: pl.DataFrame, lang: str) -> go.Figure:
    """Referrals out and in per period."""
    x = frame["period_start"].to_list()
    fig = go.Figure(
        [
            go.Bar(
                x=x,
                y=frame["referrals_out"].to_list(),
                name=t("direction_out", lang),
                marker_color=SERIES["primary"],
            ),
            go.Bar(
                x=x,
                y=frame["referrals_in"].to_list(),
                name=t("direction_in", lang),
                marker_color=SERIES["accent"],
            ),
        ]
    )
    return _layout(
        fig, t("chart_referral_trend", lang), barmode="group", yaxis={"title": t("referrals", lang)}
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
