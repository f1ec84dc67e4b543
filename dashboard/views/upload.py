"""Upload (数据上报): a steward uploads source files, sees the same verdict `ipgov check` gives,
then publishes them into the warehouse or discards them — for stewards and admins
(dashboard/access/roles.py, permission "load").

Files are saved and judged by dashboard/intake.py the moment they arrive (one audit row each),
together with what publishing them would change — records new, changed (the first few field
by field), unchanged, and any put back to an older version — as `ipgov check --db` says it
(etl/preview). Nothing reaches the warehouse before Publish, which runs the loader exactly as
`ipgov load` does; a batch that would put records back is published only once the steward
ticks the confirmation, which is `--allow-revert`. Checking and publishing show their progress
file by file, and a bar per file for how far its step has come, in bytes read or DuckDB's
estimate (dashboard/file_bars.py, etl/progress.py). The page keeps only the batch folder and
the preview in the session state, so a rerun neither saves nor judges twice; abandoned batches
of other sessions expire here.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import streamlit as st

from dashboard import intake, signin
from dashboard.components import codes_now, table
from dashboard.file_bars import FileBars
from dashboard.i18n import t
from etl.errors import IpgovError

if TYPE_CHECKING:
    from etl.load import FileOutcome, LoadSummary
    from etl.preview import Preview

BATCH = "up_batch"  # the session's upload folder (str)
SAVED = "up_saved"  # uploader file id → the saved path (str), or None when refused
PREVIEW = "up_preview"  # the batch's Preview (etl/preview): verdicts and changes
REFUSED = "up_refused"  # file id → (zh, en) of why it was not saved
OUTCOME = "up_outcome"  # the last Publish's LoadSummary, shown until the next upload
NOTE = "up_note"  # a catalogue key to show once (after Discard)
ROUND = "up_round"  # bumped after Publish / Discard: a fresh, empty file picker
FIRST_PROBLEMS = 20


def _state(key: str, default: Any) -> Any:
    return st.session_state.setdefault(key, default)


def _uploader_in_chinese(mb: int) -> None:
    """Streamlit draws its file picker's button ("Upload"), its line of limits and its refusal
    of a file (too big, or of another type: "File must be 200.0MB or smaller.") in English
    whatever the page's language; in the Chinese page they are hidden and said in Chinese."""
    button = t("up_button", "zh")
    limits = t("up_dropzone", "zh", mb=mb)
    refused = t("up_refused_in_browser", "zh", mb=mb)
    zone = "[data-testid=stFileUploaderDropzone]"
    alert = "[data-testid=stFileUploader] [role=alert]"
    st.markdown(
        f"<style>{zone} [data-testid=stMarkdownContainer] p {{display: none}}"
        f"{zone} [data-testid=stMarkdownContainer]::after {{content: '{button}'}}"
        f"[data-testid=stFileUploaderDropzoneInstructions] span {{display: none}}"
        f"[data-testid=stFileUploaderDropzoneInstructions] > div::after "
        f"{{content: '{limits}'; font-size: 0.875rem; opacity: 0.7}}"
        f"{alert} {{visibility: hidden; font-size: 0}}"
        f"{alert}::after {{content: '{refused}'; visibility: visible; font-size: 0.875rem}}"
        "</style>",
        unsafe_allow_html=True,
    )


def _batch() -> Path | None:
    folder = st.session_state.get(BATCH)
    return Path(folder) if folder else None


def _reset() -> None:
    """Forget the batch (its folder already published or removed) and empty the picker."""
    for key in (BATCH, SAVED, PREVIEW, REFUSED):
        st.session_state.pop(key, None)
    st.session_state[ROUND] = _state(ROUND, 0) + 1


def _take(files: list[Any], lang: str) -> None:
    """Save files new to the picker, drop the saved copy of any the user removed, and judge the
    batch again (with its preview) whenever its files changed: a later file is compared with
    the earlier ones as the loader will load them."""
    saved: dict[str, str | None] = _state(SAVED, {})
    refused: dict[str, tuple[str, str]] = _state(REFUSED, {})
    current = {f.file_id for f in files}
    changed = False
    for file_id in [i for i in saved if i not in current]:
        path = saved.pop(file_id)
        refused.pop(file_id, None)
        if path:
            intake.remove(Path(path))
            changed = True
    arrived = []
    for f in files:
        if f.file_id in saved:
            continue
        if f.size > intake.limit_mb() * intake.MIB:  # before reading the bytes into memory
            error = intake.TooBig(intake.safe_name(f.name), f.size, intake.limit_mb())
            saved[f.file_id] = None
            refused[f.file_id] = (error.message("zh"), error.message("en"))
            signin.record(
                "upload", target=f.name, outcome="refused", bytes=f.size, verdict="too_big"
            )
            continue
        batch = _batch()
        if batch is None:
            batch = intake.new_batch()
            st.session_state[BATCH] = str(batch)
        kept = intake.save(batch, f.name, f.getvalue())
        saved[f.file_id] = str(kept.path)
        arrived.append(kept)
        changed = True
    batch = _batch()
    if not changed or batch is None:
        return
    paths = intake.saved_files(batch)
    result = _check(paths, lang) if paths else None
    st.session_state[PREVIEW] = result
    if result is None:
        return
    verdicts = {str(r.path): r.verdict for r in result.reports}
    for kept in arrived:
        signin.record(
            "upload", target=kept.name, bytes=kept.size, verdict=verdicts.get(str(kept.path))
        )
    st.session_state.pop(OUTCOME, None)


def _check(paths: list[Path], lang: str) -> Preview:
    """The batch's verdicts and preview, with the file and step being worked on shown, and a
    bar per file for how far its step has come."""
    # open while it runs, so the bars are seen; folded once done (the results follow below)
    with st.status(t("up_checking", lang), expanded=True) as status:
        bar = st.progress(0.0)
        files = FileBars(paths, lang)

        def step(i: int, total: int, name: str, what: str) -> None:
            label = t(f"up_step_{what}", lang, name=name, i=i + 1, n=total)
            status.update(label=label, expanded=True)  # else Streamlit folds it
            bar.progress((i + (0.5 if what == "compare" else 0.0)) / total, text=label)

        result = intake.preview(paths, step, on_progress=files.hook)
        files.finish()
        bar.progress(1.0, text=t("up_checked", lang, n=len(paths)))
        status.update(label=t("up_checked", lang, n=len(paths)), state="complete", expanded=False)
    return result


def _show_outcome(summary: LoadSummary, lang: str) -> None:
    st.subheader(t("up_outcome", lang))
    if summary.snapshot:
        rows = f"{sum(f.rows_loaded for f in summary.files):,}"
        st.success(t("up_published", lang, snapshot=summary.snapshot.name, rows=rows))
    else:
        st.info(t("up_nothing_new", lang))
    reverted = intake.reverts(summary)
    if reverted:
        st.warning(
            t("up_revert", lang, files="、".join(reverted) if lang == "zh" else ", ".join(reverted))
        )
    table(intake.outcomes(summary, lang), lang, key="up_outcome_table")


def _publish(batch: Path, names: list[str], lang: str, allow_revert: bool) -> None:
    """Load the batch, file by file on a progress bar; one line if the loader refuses (e.g. a
    load already running)."""
    try:
        with st.status(t("up_publishing", lang), expanded=True) as status:
            bar = st.progress(0.0, text=t("up_step_load", lang, name=names[0], i=1, n=len(names)))
            files = FileBars(intake.saved_files(batch), lang)
            done: list[FileOutcome] = []

            def on_file(outcome: FileOutcome) -> None:
                done.append(outcome)
                k = len(done)
                label = (
                    t("up_step_load", lang, name=names[k], i=k + 1, n=len(names))
                    if k < len(names)
                    else t("up_step_snapshot", lang)
                )
                status.update(label=label, expanded=True)  # else Streamlit folds it
                bar.progress(k / (len(names) + 1), text=label)

            summary = intake.publish(
                batch, allow_revert=allow_revert, on_file=on_file, on_progress=files.hook
            )
            files.finish()
            status.update(label=t("up_outcome", lang), state="complete", expanded=False)
    except IpgovError as e:
        error = getattr(e, "message_zh", None) if lang == "zh" else None
        st.error(t("up_failed", lang, error=error or str(e)))
        signin.record("publish", target=", ".join(names), outcome="failed", error=str(e))
        return
    signin.record(
        "publish",
        target=", ".join(names),
        rows=sum(f.rows_loaded for f in summary.files),
        files={s: sum(f.status == s for f in summary.files) for s in intake.STATUSES},
        snapshot=summary.snapshot.name if summary.snapshot else None,
        load_id=summary.load_id,
        allow_revert=allow_revert,
    )
    intake.discard(batch)
    _reset()
    st.session_state[OUTCOME] = summary
    st.rerun()


def _show_preview(result: Preview, lang: str) -> str:
    """What Publish would change; the records it would put back to an older version, as one
    line to be confirmed ("" for none)."""
    st.subheader(t("up_changes", lang))
    if result.unavailable:
        st.warning(t("up_preview_unavailable", lang, error=result.unavailable))
        return ""
    table(intake.changes(result), lang, key="up_changes")
    if len(result.files) > 1:
        st.caption(t("up_kind_totals", lang))
        table(intake.kind_totals(result), lang, key="up_kind_totals")
    fields = intake.changed_fields(result, lang, codes_now(lang))
    if not fields.is_empty():
        st.caption(t("up_changed_first", lang, n=intake.SHOWN_CHANGES))
        table(fields, lang, key="up_changed_fields")
    reverted = "; ".join(intake.reverted(result, lang))
    if reverted:
        st.warning(t("up_reverts_named", lang, records=reverted))
    return reverted


def _discard(batch: Path, names: list[str]) -> None:
    intake.discard(batch)
    signin.record("discard", target=", ".join(names), files=len(names))
    _reset()
    st.session_state[NOTE] = "up_discarded"
    st.rerun()


def render(lang: str) -> None:
    """Picker, then each file's verdict, first problems and what Publish would change, then
    Publish / Discard."""
    st.title(t("page_upload", lang))
    st.caption(t("up_intro", lang))
    intake.touch(_batch())
    intake.expire(keep=_batch())  # other sessions' abandoned uploads
    note = st.session_state.pop(NOTE, None)
    if note:
        st.info(t(note, lang))
    if lang == "zh":
        _uploader_in_chinese(intake.limit_mb())
    files = st.file_uploader(
        t("up_files", lang),
        type=intake.UPLOAD_TYPES,
        accept_multiple_files=True,
        key=f"up_files_{_state(ROUND, 0)}",
        help=t("up_limit", lang, mb=intake.limit_mb()),
        max_upload_size=intake.limit_mb(),
    )
    _take(list(files or []), lang)
    for zh, en in _state(REFUSED, {}).values():
        st.error(zh if lang == "zh" else en)
    summary = st.session_state.get(OUTCOME)
    if summary is not None:
        _show_outcome(summary, lang)
    batch = _batch()
    result = st.session_state.get(PREVIEW)
    if batch is None or result is None or not result.reports:
        return
    reports = result.reports

    st.subheader(t("up_verdicts", lang))
    table(intake.verdicts(reports, lang), lang, key="up_verdicts")
    st.subheader(t("up_problems", lang, n=FIRST_PROBLEMS))
    found = intake.problems(reports, lang, FIRST_PROBLEMS)
    if found.is_empty():
        st.info(t("up_no_problems", lang))
    else:
        table(found, lang, key="up_problems")
    reverting = _show_preview(result, lang)

    names = [r.path.name for r in reports]
    ready = intake.publishable(reports)
    if not ready:
        st.warning(t("up_all_rejected", lang))
    # keyed by the records named: another file that changes them asks again
    named = hashlib.sha256(reverting.encode()).hexdigest()[:12]
    confirmed = bool(reverting) and st.checkbox(
        t("up_confirm_revert", lang), key=f"up_confirm_{_state(ROUND, 0)}_{named}"
    )
    left, right = st.columns(2)
    blocked = not ready or (bool(reverting) and not confirmed)
    if left.button(t("up_publish", lang), type="primary", disabled=blocked, key="up_publish"):
        _publish(batch, names, lang, allow_revert=confirmed)
    if right.button(t("up_discard", lang), key="up_discard"):
        _discard(batch, names)
