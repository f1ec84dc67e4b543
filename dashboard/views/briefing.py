"""Quarterly briefing: pick a quarter and the pack's language, preview the pack's numbers,
sentences and charts (the figures the pack exports), build it and download PDF, PPTX or all.

Layout only: dashboard/briefing/ reads the numbers and writes the files, as for `ipgov brief`.
The pack is district-wide, so the sidebar's filters do not apply here.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import polars as pl
import streamlit as st

from dashboard import briefing, queries, signin
from dashboard.formats import period_label
from dashboard.i18n import LANGUAGES, t
from etl import settings
from etl.errors import IpgovError
from etl.periods import Period, parse_quarter, quarters_between

PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
PACK = "brief_pack"  # session key: (snapshot, quarter, language) and the built files' bytes


def render(lang: str) -> None:
    """The page, top to bottom."""
    st.title(t("page_briefing", lang))
    snapshot = queries.snapshot_id()
    span = queries.data_days(snapshot) if snapshot else None
    if snapshot is None or span is None:
        st.info(t("no_data", lang))
        return
    quarters = [p.label for p in quarters_between(span[0], span[1])]
    left, right = st.columns(2)
    label = left.selectbox(
        t("period_quarter", lang),
        quarters,
        key="brief_quarter",
        format_func=lambda q: period_label(parse_quarter(q), lang),
    )
    pack_lang = right.radio(
        t("brief_language", lang),
        list(LANGUAGES),
        index=list(LANGUAGES).index(lang),
        format_func=LANGUAGES.get,
        horizontal=True,
        key="brief_lang",
    )
    quarter = parse_quarter(label)
    data = briefing.collect(snapshot, quarter, pack_lang)
    st.caption(
        f"{data.title} · {briefing.quarter_name(quarter, pack_lang)} · "
        + t("data_as_of", lang, date=span[1].isoformat(), snapshot=snapshot)
    )
    for statement in data.statements:
        st.warning(statement)
    build_and_download(lang, snapshot, quarter, pack_lang)
    st.caption(t("brief_cli", lang, quarter=quarter.label, language=pack_lang))

    st.subheader(f"{t('brief_summary', pack_lang)} · {period_label(quarter, pack_lang)}")
    _table(data, data.headline)
    st.markdown("\n".join(f"- **{s.title}**: {s.sentences[0]}" for s in data.sections))
    for index, section in enumerate(data.sections, start=1):
        st.subheader(f"{index}. {section.title}")
        st.markdown("\n\n".join(section.sentences))
        if section.figure is not None:
            st.plotly_chart(section.figure, width="stretch", key=f"brief_chart_{index}")
        _table(data, section.metrics)


def _table(data: briefing.BriefData, metrics: list[briefing.Metric]) -> None:
    """The pack's table (KPI, the quarter, the one before, QoQ, a year before, YoY), every row
    shown without scrolling."""
    header, *rows = briefing.table_rows(data, metrics)
    frame = pl.DataFrame(rows, schema=header, orient="row")
    st.dataframe(frame, hide_index=True, width="stretch", height=35 * (len(rows) + 1) + 3)


def build_and_download(lang: str, snapshot: str, quarter: Period, pack_lang: str) -> None:
    """A button builds the whole pack into a temporary folder (chart export takes seconds, so
    only on request); the files stay in the session for the download buttons."""
    wanted = (snapshot, quarter.label, pack_lang)
    if st.button(t("brief_build", lang), type="primary", key="brief_build"):
        with st.spinner(t("brief_building", lang)):
            try:
                st.session_state[PACK] = (wanted, _build(quarter, pack_lang))
            except IpgovError as e:
                signin.record("briefing", target=quarter.label, outcome="failed", error=str(e))
                st.error(str(e))
            else:
                signin.record("briefing", target=quarter.label, lang=pack_lang)
    built = st.session_state.get(PACK)
    if not built or built[0] != wanted:
        return
    files = built[1]
    st.success(t("brief_built", lang, seconds=files["seconds"]))
    stem = f"brief-{quarter.label}-{pack_lang}"
    columns = st.columns(3)
    downloads = (
        ("pdf", "brief_download_pdf", "application/pdf"),
        ("pptx", "brief_download_pptx", PPTX_MIME),
        ("zip", "brief_download_zip", "application/zip"),
    )
    for column, (ext, key, mime) in zip(columns, downloads, strict=True):
        column.download_button(
            t(key, lang),
            files[ext],
            file_name=f"{stem}.{ext}",
            mime=mime,
            on_click=signin.record,
            args=("download",),
            kwargs={"target": f"{stem}.{ext}"},
            key=f"brief_download_{ext}",
        )


def _build(quarter: Period, pack_lang: str) -> dict:
    """PDF and PPTX bytes, and every file of the pack zipped, from a throwaway folder."""
    with tempfile.TemporaryDirectory(prefix="ipgov-brief-") as scratch:
        out = Path(scratch) / f"brief-{quarter.label}-{pack_lang}"
        result = briefing.build_brief(
            settings.db_path(), quarter, pack_lang, out, set(briefing.FORMATS)
        )
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as pack:
            for path in sorted(out.rglob("*")):
                if path.is_file():
                    pack.write(path, path.relative_to(out.parent))
        return {
            "pdf": result.files["pdf"][0].read_bytes(),
            "pptx": result.files["pptx"][0].read_bytes(),
            "zip": buffer.getvalue(),
            "seconds": result.seconds["total"],
        }
