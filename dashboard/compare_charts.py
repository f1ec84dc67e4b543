"""The Compare page's figures: each side's small trend and the sides' bars of one KPI. Pure
`frame → go.Figure` like dashboard/charts.py, whose colours they take: a platform, region, park
or IP type is drawn in its fixed colour (charts.PALETTES), the same as on every other chart;
periods, which have no code, take the palette's colours in time order."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from dashboard import charts, formats

SPARK_HEIGHT = 110
HOVER_FORMATS = {"share": ".1%", "decimal": ".1f", "yuan": ",.0f", "count": ",d"}


def side_colour(domain: str | None, key: str, index: int) -> str:
    """A side's colour: its code's fixed colour, or for a period the palette's index-th."""
    if domain is None:
        return charts.PALETTE[index % len(charts.PALETTE)]
    return charts.color_of(key, charts.PALETTES.get(domain, {}))


def shared_range(frames: list[pl.DataFrame], kind: str) -> list[float] | None:
    """One value range for every side's trend, so the small lines compare at a glance (each on
    its own scale, a flat line and a steep one could show the same change); counts from 0."""
    values = [v for f in frames for v in f["value"].to_list() if v is not None]
    if not values:
        return None
    low, high = (0.0 if kind != "share" else min(values)), max(values)
    pad = (high - low) * 0.08 or max(abs(high) * 0.1, 0.01)
    return [low - (pad if kind == "share" else 0.0), high + pad]


def sparkline(
    frame: pl.DataFrame, kind: str, colour: str, lang: str, y_range: list[float] | None = None
) -> go.Figure:
    """A side's trend of one KPI, small: a line without axes, its last point marked, every
    point named in the hover, on the sides' shared range. `frame`: `label` (the period in
    words) and `value`."""
    values = [None if formats.is_missing(v) else float(v) for v in frame["value"]]
    labels = frame["label"].to_list()
    hover = HOVER_FORMATS.get(kind, ",")
    fig = go.Figure(
        go.Scatter(
            x=labels,
            y=values,
            mode="lines+markers",
            line={"color": colour, "width": 2},
            marker={"size": [4] * (len(values) - 1) + [8], "color": colour},
            connectgaps=False,
            hovertemplate=f"%{{x}}{'：' if lang == 'zh' else ': '}%{{y:{hover}}}<extra></extra>",
        )
    )
    fig.update_layout(
        height=SPARK_HEIGHT,
        margin={"l": 4, "r": 4, "t": 4, "b": 4},
        showlegend=False,
        hovermode="closest",
        template=charts.TEMPLATE,
        font={"family": charts.FONT_FAMILY, "size": 12},
        xaxis={"visible": False, "type": "category"},
        yaxis={"visible": False, "range": y_range} if y_range else {"visible": False},
    )
    return fig


def side_bars(frame: pl.DataFrame, kind: str, title: str, lang: str) -> go.Figure:
    """One KPI for every side as horizontal bars in the sides' colours, in the order shown
    (best first where the kind is ranked). `frame`: `name`, `value`, `colour`."""
    rows = frame.reverse()  # Plotly draws the first category at the bottom
    values = [None if formats.is_missing(v) else float(v) for v in rows["value"]]
    text = HOVER_FORMATS.get(kind, ",")
    fig = go.Figure(
        go.Bar(
            x=values,
            y=rows["name"].to_list(),
            orientation="h",
            marker={"color": rows["colour"].to_list()},
            texttemplate=f"%{{x:{text}}}",
            textposition="outside",
            cliponaxis=False,
            hovertemplate=f"%{{y}}{'：' if lang == 'zh' else ': '}%{{x:{text}}}<extra></extra>",
        )
    )
    axis: dict[str, object] = {"title": title}
    if kind == "share":
        axis |= {"tickformat": ".0%", "range": [0, 1.1]}
    fig.update_layout(
        title={"text": title, "x": 0.01, "xanchor": "left"},
        height=max(220, 44 * rows.height + 110),
        margin={"l": 60, "r": 40, "t": 50, "b": 40},
        showlegend=False,
        hovermode="closest",
        template=charts.TEMPLATE,
        font={"family": charts.FONT_FAMILY, "size": 13},
        xaxis=axis,
        yaxis={"type": "category", "automargin": True},
    )
    return fig
