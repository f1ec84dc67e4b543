"""Chart builders (dashboard/charts.py) over tiny inline frames shaped like dashboard/sql/*.sql:
one value axis per chart, periods in the page's language, one fixed colour per code, and the
Kaplan–Meier, Sankey and data-quality charts as officials asked for them."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

import plotly.graph_objects as go
import polars as pl
import pytest
from plotly.utils import PlotlyJSONEncoder

from dashboard import charts
from dashboard.i18n import t

LANGS = ("zh", "en")
MONTH_NAMES = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b")
NAMES = {  # platform display names as dim_code has them
    "tmall": ("天猫", "Tmall"),
    "taobao": ("淘宝", "Taobao"),
    "jd": ("京东", "JD.com"),
    "pinduoduo": ("拼多多", "Pinduoduo"),
    "douyin": ("抖音", "Douyin"),
    "amazon": ("亚马逊", "Amazon"),
}


def months(*days: str) -> list[dt.date]:
    return [dt.date.fromisoformat(d) for d in days]


# Mar–May 2024 with April missing: the chart must still show April, empty.
MONTHLY = months("2024-03-01", "2024-05-01")
QUARTERLY = months("2024-07-01", "2024-10-01", "2025-01-01")


def takedown_trend_frame(starts: list[dt.date]) -> pl.DataFrame:
    n = len(starts)
    return pl.DataFrame(
        {
            "period_start": starts,
            "notices": [100 + i for i in range(n)],
            "median_workdays": [1.0] * n,
            "p90_workdays": [8.5 - i for i in range(n)],
            "within_2wd_share": [0.75 + 0.05 * i for i in range(n)],
        }
    )


def by_platform_frame() -> pl.DataFrame:
    # slowest p90 first once sorted: amazon, pinduoduo, douyin, taobao, jd, tmall
    rows = [
        ("amazon", 176, 1.0, 11.0, 0.716),
        ("pinduoduo", 777, 1.0, 9.0, 0.745),
        ("douyin", 772, 1.0, 8.0, 0.760),
        ("taobao", 860, 1.0, 2.0, 0.887),
        ("jd", 408, 1.0, 2.0, 0.897),
        ("tmall", 664, 0.0, 2.0, 0.910),
    ]
    return pl.DataFrame(
        {
            "platform": [r[0] for r in rows],
            "name_zh": [NAMES[r[0]][0] for r in rows],
            "name_en": [NAMES[r[0]][1] for r in rows],
            "notices": [r[1] for r in rows],
            "still_live": [3] * len(rows),
            "median_workdays": [r[2] for r in rows],
            "p90_workdays": [r[3] for r in rows],
            "within_2wd_share": [r[4] for r in rows],
        }
    )


def km_frame() -> pl.DataFrame:
    # notices (n_at_risk at the first step): taobao 860 > pinduoduo 777 > douyin 772 > tmall 664
    # > jd 408 > amazon 176, so the four drawn by default are taobao, pinduoduo, douyin, tmall
    notices = {"amazon": 176, "douyin": 772, "jd": 408, "pinduoduo": 777, "taobao": 860}
    notices["tmall"] = 664
    rows = []
    for platform, n in notices.items():
        for workdays, live in ((0, 0.6), (1, 0.3), (2, 0.1), (5, 0.05)):
            rows.append((platform, workdays, n if workdays == 0 else n // 2, 1, live))
    return pl.DataFrame(
        rows,
        schema=["platform", "workdays", "n_at_risk", "removed", "share_still_live"],
        orient="row",
    )


def referral_flows_frame() -> pl.DataFrame:
    rows = [
        ("out", "dongguan", "东莞", "Dongguan", 40),
        ("out", "zhongshan", "中山", "Zhongshan", 28),
        ("in", "zhongshan", "中山", "Zhongshan", 12),
        ("in", "zhejiang_ecc", "浙江省电子商务执法中心", "Zhejiang e-commerce center", 1234),
    ]
    return pl.DataFrame(
        {
            "direction": [r[0] for r in rows],
            "partner_region": [r[1] for r in rows],
            "name_zh": [r[2] for r in rows],
            "name_en": [r[3] for r in rows],
            "referrals": [r[4] for r in rows],
            "finished": [r[4] for r in rows],
            "median_workdays": [20.0] * len(rows),
            "resolved": [0] * len(rows),
        }
    )


def case_mix_frame() -> pl.DataFrame:
    rows = [
        ("consultation", "咨询", "Consultation", "patent", "专利", "Patent", 171),
        ("consultation", "咨询", "Consultation", "trademark", "商标", "Trademark", 114),
        ("mediation", "调解", "Mediation", "patent", "专利", "Patent", 88),
        ("mediation", "调解", "Mediation", "copyright", "著作权", "Copyright", 13),
        ("mediation", "调解", "Mediation", "other", "其他", "Other", 2),
    ]
    columns = ["service_type", "service_zh", "service_en", "ip_type", "ip_zh", "ip_en", "cases"]
    return pl.DataFrame(rows, schema=columns, orient="row")


def patent_types_frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "patent_type": ["design", "utility_model", "invention"],
            "name_zh": ["外观设计", "实用新型", "发明"],
            "name_en": ["Design", "Utility model", "Invention"],
            "accepted": [6249, 2197, 714],
        }
    )


def patent_trend_frame(starts: list[dt.date]) -> pl.DataFrame:
    # the second period grants more than it accepts: 1.75 (grants of earlier acceptances)
    accepted, authorized = [200, 120, 300][: len(starts)], [100, 210, 250][: len(starts)]
    return pl.DataFrame(
        {
            "period_start": starts,
            "accepted": accepted,
            "authorized": authorized,
            "authorization_rate": [a / b for a, b in zip(authorized, accepted, strict=True)],
        }
    )


def trademark_trend_frame(starts: list[dt.date]) -> pl.DataFrame:
    n = len(starts)
    return pl.DataFrame(
        {
            "period_start": starts,
            "cases_opened": [15] * n,
            "transferred_to_police": [2] * n,
            "fines_yuan": [Decimal("492261.61")] * n,  # 49.2 万元
        },
        schema_overrides={"fines_yuan": pl.Decimal(18, 2)},
    )


def notary_trend_frame(starts: list[dt.date]) -> pl.DataFrame:
    n = len(starts)
    return pl.DataFrame(
        {
            "period_start": starts,
            "notarizations": [34] * n,
            "median_hours": [21.0] * n,
            "p90_hours": [53.0] * n,
        }
    )


def case_trend_frame(starts: list[dt.date]) -> pl.DataFrame:
    n = len(starts)
    return pl.DataFrame(
        {"period_start": starts, "received": [41] * n, "closed": [39] * n, "open_end": [35] * n}
    )


def referral_trend_frame(starts: list[dt.date]) -> pl.DataFrame:
    n = len(starts)
    return pl.DataFrame({"period_start": starts, "referrals_out": [6] * n, "referrals_in": [7] * n})


def quality_frame() -> pl.DataFrame:
    # queries.quality_by_day: one column per verdict present (no 'rejected' here)
    return pl.DataFrame(
        {"judged_on": months("2026-12-01"), "ok": [30], "quarantined": [3]},
    )


def trend_figures(lang: str, grain: str) -> dict[str, go.Figure]:
    starts = MONTHLY if grain == "month" else QUARTERLY
    takedowns = takedown_trend_frame(starts)
    patents = patent_trend_frame(starts)
    trademarks = trademark_trend_frame(starts)
    notary = notary_trend_frame(starts)
    return {
        "takedown_trend": charts.takedown_trend(takedowns, lang, grain=grain),
        "takedown_share_trend": charts.takedown_share_trend(
            takedowns, lang, grain=grain, target=0.9
        ),
        "cases_trend": charts.cases_trend(case_trend_frame(starts), lang, grain=grain),
        "patent_trend": charts.patent_trend(patents, lang, grain=grain),
        "patent_rate_trend": charts.patent_rate_trend(patents, lang, grain=grain),
        "trademark_trend": charts.trademark_trend(trademarks, lang, grain=grain),
        "trademark_fines_trend": charts.trademark_fines_trend(trademarks, lang, grain=grain),
        "notary_trend": charts.notary_trend(notary, lang, grain=grain),
        "notary_hours_trend": charts.notary_hours_trend(notary, lang, grain=grain),
        "referral_trend": charts.referral_trend(referral_trend_frame(starts), lang, grain=grain),
    }


def other_figures(lang: str) -> dict[str, go.Figure]:
    names = {code: pair[0 if lang == "zh" else 1] for code, pair in NAMES.items()}
    outcomes = pl.DataFrame({"code": ["P01", "M01"], "label": ["园区", "市场"], "cases": [3, 5]})
    return {
        "takedown_platform_latency": charts.takedown_platform_latency(by_platform_frame(), lang),
        "takedown_platform_share": charts.takedown_platform_share(
            by_platform_frame(), lang, target=0.9
        ),
        "latency_distribution": charts.latency_distribution(
            pl.DataFrame({"latency_label": ["0", "1", "10+", "live"], "notices": [5, 4, 2, 1]}),
            lang,
        ),
        "km_curves": charts.km_curves(km_frame(), names, lang),
        "case_mix": charts.case_mix(case_mix_frame(), lang),
        "ranked_bars": charts.ranked_bars(
            outcomes, "label", "cases", "t", lang, charts.LOCATION_COLORS, "code"
        ),
        "opinion_turnaround": charts.opinion_turnaround(
            pl.DataFrame({"workdays": [0, 3, None], "cases": [4, 1, 2]}), lang
        ),
        "open_case_age": charts.open_case_age(pl.DataFrame({"age_days": [3, 40, 138]}), lang),
        "patent_types": charts.patent_types(patent_types_frame(), lang),
        "referral_sankey": charts.referral_sankey(referral_flows_frame(), lang),
        "referral_partners": charts.referral_partners(referral_flows_frame(), lang),
        "quality_verdicts": charts.quality_verdicts(quality_frame(), lang),
    }


def every_figure(lang: str) -> dict[str, go.Figure]:
    figures = other_figures(lang)
    for grain in charts.GRAINS:
        figures |= {f"{k}/{grain}": v for k, v in trend_figures(lang, grain).items()}
    return figures


def as_json(fig: go.Figure) -> str:
    return json.dumps(fig.to_plotly_json(), cls=PlotlyJSONEncoder, ensure_ascii=False)


# --- one value axis, legends clear of titles --------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_every_chart_has_one_value_axis(lang):
    for name, fig in every_figure(lang).items():
        layout = fig.to_plotly_json()["layout"]
        assert "yaxis2" not in layout and "xaxis2" not in layout, name
        for trace in fig.data:
            assert getattr(trace, "yaxis", None) in (None, "y"), name
            assert getattr(trace, "xaxis", None) in (None, "x"), name


@pytest.mark.parametrize("lang", LANGS)
def test_legends_sit_between_title_and_plot(lang):
    for name, fig in every_figure(lang).items():
        legend, title = fig.layout.legend, fig.layout.title
        assert legend.orientation == "h" and legend.yanchor == "bottom" and legend.y >= 1, name
        assert title.yref == "container" and title.yanchor == "top", name
        assert fig.layout.margin.t >= 56, name
        assert fig.layout.font.family == charts.FONT_FAMILY, name


# --- periods in the page's language -----------------------------------------------------------


@pytest.mark.parametrize("grain", charts.GRAINS)
def test_zh_trends_have_chinese_periods_and_no_english_month(grain):
    unit = "月" if grain == "month" else "季度"
    for name, fig in trend_figures("zh", grain).items():
        assert not MONTH_NAMES.search(as_json(fig)), name
        categories = list(fig.layout.xaxis.categoryarray)
        assert fig.layout.xaxis.type == "category", name
        assert all("年" in c and unit in c for c in categories), (name, categories)
        assert all(trace.x is None or set(trace.x) <= set(categories) for trace in fig.data)


def test_no_english_month_in_any_zh_figure():
    for name, fig in every_figure("zh").items():
        assert not MONTH_NAMES.search(as_json(fig)), name


def test_month_labels_and_the_missing_month():
    fig = charts.takedown_trend(takedown_trend_frame(MONTHLY), "zh", grain="month")
    assert list(fig.layout.xaxis.categoryarray) == ["2024年3月", "2024年4月", "2024年5月"]
    assert list(fig.data[0].y) == [1.0, None, 1.0]  # April has no notices: a gap, not a zero
    assert list(fig.layout.xaxis.ticktext) == ["3月<br>2024年", "4月", "5月"]
    en = charts.takedown_trend(takedown_trend_frame(MONTHLY), "en", grain="month")
    assert list(en.layout.xaxis.categoryarray) == ["Mar 2024", "Apr 2024", "May 2024"]


def test_quarter_labels():
    fig = charts.patent_trend(patent_trend_frame(QUARTERLY), "zh", grain="quarter")
    assert list(fig.layout.xaxis.categoryarray) == [
        "2024年第三季度",
        "2024年第四季度",
        "2025年第一季度",
    ]
    assert list(fig.layout.xaxis.ticktext) == [
        "第三季度<br>2024年",
        "第四季度",
        "第一季度<br>2025年",
    ]
    en = charts.patent_trend(patent_trend_frame(QUARTERLY), "en", grain="quarter")
    assert list(en.layout.xaxis.categoryarray) == ["Q3 2024", "Q4 2024", "Q1 2025"]


def test_two_years_of_months_tick_every_other_month():
    starts = [dt.date(2024 + i // 12, i % 12 + 1, 1) for i in range(24)]
    fig = charts.cases_trend(case_trend_frame(starts), "zh", grain="month")
    assert len(fig.layout.xaxis.categoryarray) == 24  # every month keeps its bar
    assert list(fig.layout.xaxis.ticktext)[:3] == ["1月<br>2024年", "3月", "5月"]
    assert "1月<br>2025年" in fig.layout.xaxis.ticktext


def test_ticks_do_not_run_into_each_other_when_the_trend_starts_off_step():
    # the Overview's 24 months up to 2026-09 start in October 2024: ticked every other month,
    # October gets no tick (it would touch November's), and 2024年 would touch 2025年 one tick on
    starts = [dt.date(2024 + (9 + i) // 12, (9 + i) % 12 + 1, 1) for i in range(24)]
    fig = charts.cases_trend(case_trend_frame(starts), "zh", grain="month")
    assert list(fig.layout.xaxis.ticktext)[:3] == ["11月", "1月<br>2025年", "3月"]
    assert list(fig.layout.xaxis.tickvals)[:2] == ["2024年11月", "2025年1月"]
    assert "1月<br>2026年" in fig.layout.xaxis.ticktext
    one = charts.cases_trend(case_trend_frame(starts[1:2]), "en", grain="month")
    assert list(one.layout.xaxis.ticktext) == ["Nov<br>2024"]  # a lone tick keeps its year


def test_an_unknown_grain_is_refused():
    with pytest.raises(ValueError, match="grain"):
        charts.cases_trend(case_trend_frame(MONTHLY), "zh", grain="week")


def test_monthly_rows_drawn_as_quarters_are_refused():
    """A grain that does not match the query's fails loudly instead of drawing gaps."""
    with pytest.raises(ValueError, match="first days of a quarter"):
        charts.patent_trend(patent_trend_frame(MONTHLY), "zh", grain="quarter")


def test_an_empty_trend_is_an_empty_chart():
    empty = takedown_trend_frame([]).cast({"period_start": pl.Date})
    fig = charts.takedown_trend(empty, "zh")
    assert all(len(trace.x) == 0 for trace in fig.data)


# --- one colour per code ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("palette", "codes"),
    [
        (
            charts.PLATFORM_COLORS,
            "tmall taobao jd pinduoduo douyin alibaba_1688 amazon kuaishou xiaohongshu offline "
            "unknown",
        ),
        (
            charts.REGION_COLORS,
            "local zhongshan dongguan zhejiang_ecc guangdong_other other_province unknown",
        ),
        (charts.LOCATION_COLORS, "P01 P02 P03 P04 P05 P06 P07 M01 M02 M03 M04 M05 other unknown"),
        (charts.IP_TYPE_COLORS, "patent trademark copyright other unknown"),
        (charts.PATENT_TYPE_COLORS, "invention utility_model design unknown"),
        (charts.VERDICT_COLORS, "ok quarantined rejected"),
    ],
)
def test_every_code_of_a_domain_has_its_own_colour(palette, codes):
    assert set(palette) == set(codes.split())
    colours = [c.lower() for c in palette.values()]
    assert len(set(colours)) == len(colours)
    assert all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in colours)


def test_measure_colours_are_no_code_colours():
    """A median line or a neutral tick must never look like a platform, a region, …"""
    code_colours = {c.lower() for p in charts.PALETTES.values() for c in p.values()}
    assert not code_colours & {c.lower() for c in charts.SERIES.values()}


def platform_colours(fig: go.Figure, lang: str) -> dict[str, str]:
    """{platform code: colour} as drawn, from bars (one colour per bar) and lines (per trace)."""
    code_of = {pair[0 if lang == "zh" else 1]: code for code, pair in NAMES.items()}
    seen: dict[str, set[str]] = {}
    for trace in fig.data:
        if isinstance(trace, go.Bar) and isinstance(trace.marker.color, tuple | list):
            labels = trace.x if trace.orientation != "h" else trace.y
            for label, colour in zip(labels, trace.marker.color, strict=True):
                seen.setdefault(code_of[label], set()).add(colour)
        elif isinstance(trace, go.Scatter) and trace.name in code_of:
            seen.setdefault(code_of[trace.name], set()).add(trace.line.color)
    assert all(len(c) == 1 for c in seen.values()), seen
    return {code: colours.pop() for code, colours in seen.items()}


@pytest.mark.parametrize("lang", LANGS)
def test_a_platform_has_the_same_colour_in_every_figure(lang):
    figures = other_figures(lang)
    drawn = [
        platform_colours(figures[name], lang)
        for name in ("takedown_platform_latency", "takedown_platform_share", "km_curves")
    ]
    assert all(drawn), "each figure shows platforms"
    for colours in drawn:
        for code, colour in colours.items():
            assert colour == charts.PLATFORM_COLORS[code], (code, colour)


@pytest.mark.parametrize("lang", LANGS)
def test_no_legend_swatch_borrows_a_platform_colour(lang):
    """The platform chart's legend shows the measures in neutral symbols, never the first
    platform's colour."""
    fig = charts.takedown_platform_latency(by_platform_frame(), lang)
    platform_colours_ = {c.lower() for c in charts.PLATFORM_COLORS.values()}
    shown = [trace for trace in fig.data if trace.showlegend is not False]
    assert {trace.name for trace in shown} == {
        t("median_workdays", lang),
        t("p90_workdays", lang),
    }
    for trace in shown:
        colours = trace.marker.color
        colours = colours if isinstance(colours, tuple | list) else [colours]
        assert not {str(c).lower() for c in colours} & platform_colours_, trace.name
    coloured = [tr for tr in fig.data if isinstance(tr.marker.color, tuple | list)]
    assert coloured and all(tr.showlegend is False for tr in coloured)


def test_platform_latency_puts_the_slowest_first():
    fig = charts.takedown_platform_latency(by_platform_frame(), "en")
    bars = next(tr for tr in fig.data if isinstance(tr.marker.color, tuple | list))
    assert list(bars.x)[:2] == ["Amazon", "Pinduoduo"]


@pytest.mark.parametrize("lang", LANGS)
def test_regions_ip_types_and_patent_types_keep_their_colours(lang):
    sankey = charts.referral_sankey(referral_flows_frame(), lang).data[0]
    region_of_node = [None, "dongguan", "zhongshan", "zhongshan", "zhejiang_ecc"]
    for code, colour in zip(region_of_node[1:], list(sankey.node.color)[1:], strict=True):
        assert colour == charts.REGION_COLORS[code]

    mix = charts.case_mix(case_mix_frame(), lang)
    ip_names = {row[f"ip_{lang}"]: row["ip_type"] for row in case_mix_frame().iter_rows(named=True)}
    assert [ip_names[tr.name] for tr in mix.data] == ["patent", "trademark", "copyright", "other"]
    for trace in mix.data:
        assert trace.marker.color == charts.IP_TYPE_COLORS[ip_names[trace.name]]

    pie = charts.patent_types(patent_types_frame(), lang).data[0]
    assert list(pie.marker.colors) == [
        charts.PATENT_TYPE_COLORS[c] for c in ("design", "utility_model", "invention")
    ]

    bars = charts.ranked_bars(
        pl.DataFrame({"code": ["P01", "M01"], "label": ["a", "b"], "cases": [3, 5]}),
        "label",
        "cases",
        "t",
        lang,
        charts.LOCATION_COLORS,
        "code",
    ).data[0]
    assert list(bars.marker.color) == [charts.LOCATION_COLORS["P01"], charts.LOCATION_COLORS["M01"]]


# --- Kaplan–Meier -----------------------------------------------------------------------------


def test_km_draws_the_four_platforms_with_most_notices():
    names = {code: pair[0] for code, pair in NAMES.items()}
    fig = charts.km_curves(km_frame(), names, "zh")
    assert [trace.name for trace in fig.data] == ["淘宝", "拼多多", "抖音", "天猫"]
    assert charts.top_platforms(km_frame()) == ["taobao", "pinduoduo", "douyin", "tmall"]


def test_km_draws_exactly_the_platforms_picked():
    names = {code: pair[1] for code, pair in NAMES.items()}
    fig = charts.km_curves(km_frame(), names, "en", platforms=["jd", "amazon"])
    assert [trace.name for trace in fig.data] == ["JD.com", "Amazon"]
    picked = ["jd", "amazon", "tmall", "douyin", "taobao"]  # five: the first four are drawn
    fig = charts.km_curves(km_frame(), names, "en", platforms=picked)
    assert [trace.name for trace in fig.data] == ["JD.com", "Amazon", "Tmall", "Douyin"]
    fig = charts.km_curves(km_frame(), names, "en", platforms=["kuaishou", "jd"])
    assert [trace.name for trace in fig.data] == ["JD.com"]  # no kuaishou rows: nothing drawn


@pytest.mark.parametrize("lang", LANGS)
def test_km_has_a_plain_title_and_the_target_in_the_language(lang):
    fig = charts.km_curves(km_frame(), {}, lang)
    assert (
        fig.layout.title.text
        == {"zh": "仍未下架的比例", "en": "Share of listings still live"}[lang]
    )
    assert "删失" not in as_json(fig) and "censor" not in as_json(fig).lower()
    assert fig.layout.shapes[0].x0 == 2
    assert fig.layout.annotations[0].text == t("target_2wd", lang)
    assert all(trace.line.shape == "hv" and trace.y[0] == 1.0 for trace in fig.data)


# --- Sankey, partners, ratios, money, quality -------------------------------------------------


def test_sankey_labels_carry_their_counts():
    zh = charts.referral_sankey(referral_flows_frame(), "zh").data[0]
    assert list(zh.node.label) == [
        "本区保护中心",
        "东莞（移出）40",
        "中山（移出）28",
        "中山（移入）12",
        "浙江省电子商务执法中心（移入）1,234",
    ]
    assert "%{value:,}" in zh.link.hovertemplate and "协作案件" in zh.link.hovertemplate
    assert zh.node.customdata[0] == "移入 1,246 · 移出 68"
    # dark labels and no automatic halo: in the browser the halo drew them white on the links
    assert zh.textfont.color == "#222222" and zh.textfont.shadow == "none"
    en = charts.referral_sankey(referral_flows_frame(), "en").data[0]
    assert en.node.label[3] == "Zhongshan (In) 12"
    assert "incoming" not in as_json(charts.referral_sankey(referral_flows_frame(), "zh"))


def test_referral_partners_are_horizontal_with_the_legend_on_top():
    fig = charts.referral_partners(referral_flows_frame(), "zh")
    assert all(trace.orientation == "h" for trace in fig.data)
    assert fig.layout.yaxis.automargin and fig.layout.legend.y >= 1
    # most referrals on top (the last category is drawn at the top)
    assert list(fig.layout.yaxis.categoryarray)[-1] == "浙江省电子商务执法中心"


@pytest.mark.parametrize("lang", LANGS)
def test_patent_ratio_says_why_it_passes_100_percent(lang):
    fig = charts.patent_rate_trend(patent_trend_frame(MONTHLY), lang, grain="month")
    assert fig.layout.title.subtitle.text == t("chart_patent_rate_note", lang)
    assert max(v for v in fig.data[0].y if v is not None) > 1  # 210 ÷ 120, shown, not capped
    assert fig.layout.shapes[0].y0 == 1  # the 100 % line
    assert fig.layout.yaxis.tickformat == ".0%"
    counts = charts.patent_trend(patent_trend_frame(MONTHLY), lang, grain="month")
    assert {trace.name for trace in counts.data} == {t("accepted", lang), t("authorized", lang)}


def test_zh_fines_are_in_wan_yuan():
    frame = trademark_trend_frame(MONTHLY)
    zh = charts.trademark_fines_trend(frame, "zh", grain="month")
    assert zh.data[0].y[0] == pytest.approx(49.226161)
    assert "万元" in zh.layout.yaxis.title.text and "万元" in zh.data[0].hovertemplate
    en = charts.trademark_fines_trend(frame, "en", grain="month")
    assert en.data[0].y[0] == pytest.approx(492261.61)


@pytest.mark.parametrize("lang", LANGS)
def test_target_lines_are_drawn_when_given(lang):
    frame = takedown_trend_frame(MONTHLY)
    fig = charts.takedown_share_trend(frame, lang, grain="month", target=0.9)
    assert fig.layout.shapes[0].y0 == 0.9
    assert fig.layout.annotations[0].text == t("chart_target", lang, share="90%")
    assert not charts.takedown_share_trend(frame, lang).layout.shapes
    share = charts.takedown_platform_share(by_platform_frame(), lang, target=0.9)
    assert share.layout.shapes[0].x0 == 0.9
    assert list(share.data[0].y)[-1] == NAMES["tmall"][0 if lang == "zh" else 1]  # best on top


@pytest.mark.parametrize("lang", LANGS)
def test_quality_verdicts_are_stacked_categories(lang):
    fig = charts.quality_verdicts(quality_frame(), lang)
    assert fig.layout.xaxis.type == "category" and fig.layout.barmode == "stack"
    assert list(fig.layout.xaxis.categoryarray) == ["2026-12-01"]
    assert [trace.name for trace in fig.data] == [
        t("verdict_ok", lang),
        t("verdict_quarantined", lang),
    ]
    assert [trace.marker.color for trace in fig.data] == [
        charts.VERDICT_COLORS["ok"],
        charts.VERDICT_COLORS["quarantined"],
    ]


def test_every_new_label_is_in_both_languages():
    from dashboard.chart_labels import LABELS

    for key, texts in LABELS.items():
        assert set(texts) == set(LANGS), key
        assert all(texts.values()), key


def test_small_counts_tick_at_whole_numbers():
    """A partner with 4 referrals in a quarter: ticks 0, 1, 2 … (Plotly's own were 0, 0.5, 1 …,
    half a referral); counts of 6 and more keep Plotly's ticks, and stacked bars count to the
    top of their stack."""
    small = referral_flows_frame().with_columns(pl.Series("referrals", [4, 3, 1, 2]))
    assert charts.referral_partners(small, "zh").layout.xaxis.dtick == 1
    assert charts.referral_partners(referral_flows_frame(), "zh").layout.xaxis.dtick is None
    starts = MONTHLY[:3]
    few = case_trend_frame(starts).with_columns(
        received=pl.lit(2), closed=pl.lit(1), open_end=pl.lit(3)
    )
    assert charts.cases_trend(few, "zh", grain="month").layout.yaxis.dtick == 1
    # stacked: 2 + 2 + 2 mediation cases stand 6 high, each part no more than 2
    stack = case_mix_frame().with_columns(pl.Series("cases", [1, 1, 2, 2, 2]))
    assert charts.case_mix(stack, "zh").layout.xaxis.dtick is None
    assert charts.case_mix(stack.head(3), "zh").layout.xaxis.dtick == 1
    trend = charts.referral_trend(referral_trend_frame(starts), "zh", grain="month")
    assert trend.layout.yaxis.dtick is None  # 6 and 7 a month: Plotly's whole-number ticks
