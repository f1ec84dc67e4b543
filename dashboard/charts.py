"""Plotly figure builders: pure functions of polars frames, shared by pages and the briefing.

They take data and a language, never a query, so the exported chart is the one on screen and
each builder is testable without Streamlit.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from dashboard.i18n import t

FONT_FAMILY = "Noto Sans CJK SC, Noto Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
COLORS = {
    "received": "#1f77b4",
    "closed": "#2ca02c",
    "backlog": "#d62728",
    "median": "#1f77b4",
    "p90": "#ff7f0e",
    "share": "#2ca02c",
}


def _layout(fig: go.Figure, title: str) -> go.Figure:
    fig.update_layout(
        title=title,
        font={"family": FONT_FAMILY},
        hovermode="x unified",
        legend={"orientation": "h", "y": -0.2},
        margin={"l": 40, "r": 20, "t": 60, "b": 40},
        template="plotly_white",
    )
    return fig


def cases_trend(monthly: pl.DataFrame, lang: str) -> go.Figure:
    """Cases received and closed per month (bars) and the open backlog (line)."""
    x = monthly["month_start"].to_list()
    fig = go.Figure(
        [
            go.Bar(
                x=x,
                y=monthly["cases_accepted"].to_list(),
                name=t("cases_accepted", lang),
                marker_color=COLORS["received"],
            ),
            go.Bar(
                x=x,
                y=monthly["cases_closed"].to_list(),
                name=t("cases_closed", lang),
                marker_color=COLORS["closed"],
            ),
            go.Scatter(
                x=x,
                y=monthly["cases_open_end"].to_list(),
                name=t("cases_open_end", lang),
                mode="lines",
                line={"color": COLORS["backlog"]},
            ),
        ]
    )
    fig.update_yaxes(title=t("count", lang))
    return _layout(fig, t("chart_cases", lang))


def takedown_latency_trend(monthly: pl.DataFrame, lang: str) -> go.Figure:
    """Median and p90 latency in working days per month, with the within-2-days share."""
    x = monthly["month_start"].to_list()
    fig = go.Figure(
        [
            go.Scatter(
                x=x,
                y=monthly["takedown_median_workdays"].to_list(),
                mode="lines+markers",
                name=t("takedown_median_workdays", lang),
                line={"color": COLORS["median"]},
            ),
            go.Scatter(
                x=x,
                y=monthly["takedown_p90_workdays"].to_list(),
                mode="lines+markers",
                name=t("takedown_p90_workdays", lang),
                line={"color": COLORS["p90"]},
            ),
            go.Scatter(
                x=x,
                y=monthly["takedown_within_2wd_share"].to_list(),
                mode="lines",
                name=t("takedown_within_2wd_share", lang),
                yaxis="y2",
                line={"color": COLORS["share"], "dash": "dot"},
            ),
        ]
    )
    fig.update_layout(
        yaxis={"title": t("workdays", lang), "rangemode": "tozero"},
        yaxis2={
            "title": t("share", lang),
            "overlaying": "y",
            "side": "right",
            "tickformat": ".0%",
            "range": [0, 1],
        },
    )
    return _layout(fig, t("chart_takedown_latency", lang))
