"""Quarterly briefing: pick a quarter and the pack's language, write the narrative (成效, 存在问题,
下步工作: analysts and above), choose the one comparison the pack may carry (kind and up to four
items, with the Compare page's pickers), preview the pack's numbers, sentences and charts (the
figures the pack exports), build it and download PDF, Word, PPTX or all.

Layout only: dashboard/briefing/ reads the numbers and writes the files, as for `ipgov brief`.
The pack is district-wide, so the sidebar's filters do not apply here.
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
import zipfile
from pathlib import Path

import polars as pl
import streamlit as st

from dashboard import briefing, compare, display, queries, signin
from dashboard.briefing.comparison import Request
from dashboard.components import titled_snapshot
from dashboard.formats import period_label
from dashboard.i18n import LANGUAGES, t
from etl import settings
from etl.errors import IpgovError
from etl.periods import Period, parse_quarter, quarters_between

PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PACK = "brief_pack"  # session key: (snapshot, quarter, language) and the built files' bytes


def render(lang: str) -> None:
    """The page, top to bottom."""
    found = titled_snapshot(lang, "page_briefing")
    if found is None:
        return
    snapshot, span = found
    periods = quarters_between(span[0], span[1])
    quarters = [p.label for p in periods]
    # the latest quarter the data covers to its end (a briefing is for a finished quarter)
    complete = [i for i, p in enumerate(periods) if p.end <= span[1]]
    left, right = st.columns(2)
    label = left.selectbox(
        t("period_quarter", lang),
        quarters,
        index=complete[0] if complete else 0,  # newest first
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
    texts, picks = narrative_editor(lang, snapshot, quarter, pack_lang)
    request = comparison_picker(lang, snapshot, span)
    data = briefing.collect(
        snapshot, quarter, pack_lang, narrative=texts, typical=picks, comparison=request
    )
    st.caption(
        f"{data.title} · {data.quarter_name} · {data.issuer} · " + briefing.cut_off_line(data)
    )
    for statement in data.statements:
        st.warning(statement)
    build_and_download(lang, snapshot, quarter, pack_lang, (texts, picks), request)
    if request is None:
        st.caption(t("brief_cli", lang, quarter=quarter.label, language=pack_lang))
    else:
        items = f" --compare-items {','.join(request.items)}" if request.items else ""
        said = {"quarter": quarter.label, "language": pack_lang, "kind": request.kind}
        st.caption(t("brief_cli_compare", lang, items=items, **said))

    if data.is_empty:
        return
    st.subheader(t("brief_h_overview", pack_lang))
    overview = briefing.overview_sentence(data)
    if overview:
        st.markdown(overview)
    _table(data, data.headline)
    if data.targets:
        st.subheader(t("brief_h_targets", pack_lang))
        said = briefing.target_sentence(data)
        if said:
            st.markdown(said)
        header, *rows = briefing.target_rows(data)
        st.dataframe(pl.DataFrame(rows, schema=header, orient="row"), hide_index=True)
    for index, section in enumerate(data.reported, start=1):
        st.subheader(f"{index}. {section.title}")
        st.markdown(("" if pack_lang == "zh" else " ").join(section.sentences))
        if section.figure is not None:
            st.plotly_chart(section.figure, width="stretch", key=f"brief_chart_{index}")
        _table(data, section.metrics)
    found = data.comparison
    if found is not None:
        st.subheader(found.title)
        for said in found.sentences:
            st.markdown(said)
        if found.columns:
            names, under, *rows = found.rows()
            # the printed table names each side over its two columns; a frame's columns are
            # one row of unique names: 天猫, 天猫环比 / Tmall, Tmall QoQ
            joiner = "" if pack_lang == "zh" else " "
            columns = [
                f"{names[i - 1]}{joiner}{h}" if i and i % 2 == 0 else names[i]
                for i, h in enumerate(under)
            ]
            frame = pl.DataFrame(rows, schema=columns, orient="row")
            st.dataframe(frame, hide_index=True, width="stretch", key="brief_compare_table")
        st.caption(found.note)
        if found.figure is not None:
            st.plotly_chart(found.figure, width="stretch", key="brief_compare_chart")


def comparison_picker(lang: str, snapshot: str, span: tuple[dt.date, dt.date]) -> Request | None:
    """The one comparison the pack may carry: a kind (or none) and up to four items, offered
    and named as on the Compare page; no item picked means the default set (the quarter's
    busiest, or the latest periods)."""
    names = queries.codes(snapshot, lang)
    offered = compare.options(names, span[0], span[1])
    left, right = st.columns([1, 2])
    kinds = ["", *compare.KINDS]
    kind = left.selectbox(
        t("brief_compare_kind", lang),
        kinds,
        format_func=lambda k: t(f"compare_by_{k}", lang) if k else t("brief_compare_none", lang),
        key="brief_compare_kind",
    )
    if not kind:
        return None
    domain = compare.KINDS[kind]
    shown = names.get(domain, {}) if domain else {}
    items = right.multiselect(
        t("compare_pick", lang, n=compare.MAX_SIDES),
        list(offered.of(kind)),
        max_selections=compare.MAX_SIDES,
        format_func=(lambda c: shown.get(c, c))
        if domain
        else (lambda p: period_label(compare.parse_period(p), lang)),
        placeholder=t("compare_pick_placeholder", lang),
        help=t("brief_compare_items_help", lang, n=compare.MAX_SIDES),
        key=f"brief_compare_items_{kind}",
    )
    return Request(kind, tuple(items))


def narrative_editor(
    lang: str, snapshot: str, quarter: Period, pack_lang: str
) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """成效 / 存在问题 / 下步工作 for the quarter in the pack's language, and the typical cases
    picked from the records closed in the quarter: a form for those who may edit
    (roles.PERMISSIONS["briefing_edit"]), what is saved read-only for the others. Returns the
    text and the picks the pack will carry."""
    db = settings.db_path()
    saved = briefing.narrative.stored(db, quarter, pack_lang)
    picks = briefing.narrative.stored_cases(db, quarter)
    options = briefing.typical_options(snapshot, quarter, pack_lang)
    st.subheader(t("brief_h_narrative", pack_lang))
    st.caption(t("brief_narrative_help", lang))
    if not signin.allowed("briefing_edit"):
        for field in briefing.NARRATIVE_FIELDS:
            text = saved.texts.get(field) or t("brief_narrative_empty", lang)
            st.markdown(f"**{t(f'brief_narrative_{field}', pack_lang)}**\n\n{text}")
        chosen = [options[k][rid] for k, rid in picks if rid in options.get(k, {})]
        if chosen:
            st.markdown(f"**{t('brief_h_typical', pack_lang)}**")
            st.markdown("\n".join(f"{i}. {line}" for i, line in enumerate(chosen, start=1)))
        st.caption(t("brief_narrative_readonly", lang))
        return saved.texts, picks
    most = briefing.narrative.MAX_TYPICAL_CASES
    with st.form(key=f"brief_narrative_{quarter.label}_{pack_lang}"):
        typed = {
            field: st.text_area(
                t(f"brief_narrative_{field}", pack_lang),
                value=saved.texts.get(field, ""),
                height=110,
                max_chars=briefing.narrative.MAX_NARRATIVE_CHARS,
                key=f"brief_n_{field}_{quarter.label}_{pack_lang}",
            )
            for field in briefing.NARRATIVE_FIELDS
        }
        st.markdown(f"**{t('brief_typical_pick', lang, n=most)}**")
        chosen_ids = {}
        for kind, label_key in (
            ("case", "brief_typical_cases"),
            ("trademark", "brief_typical_trademarks"),
        ):
            listed = options.get(kind, {})
            chosen_ids[kind] = st.multiselect(
                t(label_key, lang),
                list(listed),
                default=[rid for k, rid in picks if k == kind and rid in listed],
                format_func=listed.get,
                max_selections=most,
                placeholder=t("brief_typical_placeholder", lang),
                key=f"brief_typical_{kind}_{quarter.label}_{pack_lang}",
            )
        submitted = st.form_submit_button(t("brief_narrative_save", lang))
    if submitted:
        chosen_picks = [(kind, rid) for kind, ids in chosen_ids.items() for rid in ids]
        try:
            saved = briefing.narrative.save(db, quarter, pack_lang, typed, signin.user())
            picks = briefing.narrative.save_cases(db, quarter, chosen_picks, signin.user())
        except IpgovError as e:
            st.error(str(e))
        else:
            now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M")
            at = t("utc_time", lang, time=now)
            st.success(t("brief_narrative_saved", lang, user=signin.user(), at=at))
    elif saved.updated_at:
        st.caption(t("brief_narrative_last", lang, user=saved.updated_by, at=_at(saved, lang)))
    return saved.texts, picks


def _at(saved: briefing.narrative.Narrative, lang: str) -> str:
    """'2026-12-01 22:57（世界标准时间）' / '2026-12-01 22:57 UTC' from the stored ISO time."""
    return t("utc_time", lang, time=(saved.updated_at or "")[:16].replace("T", " "))


def _table(data: briefing.BriefData, metrics: list[briefing.Metric]) -> None:
    """The pack's table (KPI, the quarter, the one before, QoQ, a year before, YoY), every row
    shown without scrolling."""
    header, *rows = briefing.table_rows(data, metrics)
    frame = pl.DataFrame(rows, schema=header, orient="row")
    first = header[0]  # the KPI names: the longest cells, sized so none is cut
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        height=35 * (len(rows) + 1) + 3,
        column_config={first: display.text_column(frame[first], first)},
    )


def build_and_download(
    lang: str,
    snapshot: str,
    quarter: Period,
    pack_lang: str,
    written: tuple[dict, list],
    request: Request | None = None,
) -> None:
    """A button builds the whole pack into a temporary folder (chart export takes seconds, so
    only on request); the files stay in the session for the download buttons."""
    # a pack built before the narrative or the comparison changed is not offered as current
    texts, picks = written
    wanted = (
        snapshot,
        quarter.label,
        pack_lang,
        tuple(sorted(texts.items())),
        tuple(picks),
        request,
    )
    if st.button(t("brief_build", lang), type="primary", key="brief_build"):
        with st.spinner(t("brief_building", lang)):
            try:
                st.session_state[PACK] = (wanted, _build(quarter, pack_lang, request))
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
    stem = files["stem"]
    columns = st.columns(4)
    downloads = (
        ("pdf", "brief_download_pdf", "application/pdf"),
        ("docx", "brief_download_docx", DOCX_MIME),
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


def _build(quarter: Period, pack_lang: str, request: Request | None = None) -> dict:
    """PDF, Word and PPTX bytes, and every file of the pack zipped, from a throwaway folder."""
    with tempfile.TemporaryDirectory(prefix="ipgov-brief-") as scratch:
        out = Path(scratch) / f"brief-{quarter.label}-{pack_lang}"
        result = briefing.build_brief(
            settings.db_path(),
            quarter,
            pack_lang,
            out,
            set(briefing.FORMATS),
            comparison=request,
        )
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as pack:
            for path in sorted(out.rglob("*")):
                if path.is_file():
                    pack.write(path, path.relative_to(out.parent))
        return {
            "pdf": result.files["pdf"][0].read_bytes(),
            "docx": result.files["docx"][0].read_bytes(),
            "pptx": result.files["pptx"][0].read_bytes(),
            "stem": result.data.stem,
            "zip": buffer.getvalue(),
            "seconds": result.seconds["total"],
        }
