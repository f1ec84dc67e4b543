"""Tables as officials read them: a query's frame with headers, codes, dates, money and missing
values in the reader's language, on screen (`show_table`), as text (`table_frame`) and as a CSV
download (`csv_bytes`).

What each column is called and holds is dashboard/columns.py; how a value reads is
dashboard/formats.py. On screen, numbers, dates and times stay typed and Streamlit formats them
(`st.column_config`), so a click on a header sorts 9 before 10 and 2024-03 before 2024-11;
`st.dataframe(placeholder=...)` shows a missing value as "—" instead of "None" in any column.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Mapping

import polars as pl
import streamlit as st

from dashboard import formats
from dashboard.columns import NUMBER_KINDS, Column, column, local_codes

Codes = Mapping[str, Mapping[str, str]]

YES_NO = {"zh": ("是", "否"), "en": ("Yes", "No")}
YUAN_UNIT = {"zh": "元", "en": "yuan"}
LIST_SEPARATOR = {"zh": "、", "en": ", "}  # brief_loads.kinds: "cases, takedowns"
WIDE_TYPES = (pl.Int128, pl.UInt64, pl.UInt128)  # DuckDB HUGEINT sums; Arrow has no int128

# Column widths. Streamlit sizes a column to its header and first rows only, so a later, longer
# value (a notice's case id after ten notices without one, 擅自使用包装装潢 in row 11, a fine
# of 1,234,567 元 under fines of 654 元) is cut off. show_table sets every width from the
# longest text instead. Pixels per character of the grid's 14px font, measured in Chromium:
# about 7 for Latin letters, digits and hex (a SHA-256 is ~450 px), 14 for Chinese.
PX_NARROW, PX_WIDE, PX_PADDING = 7.5, 14.5, 28
PX_MAX = 640  # ids, links, codes: a 64-digit hash fits; a longer value is not an id
PX_MAX_TEXT = 400  # free text (messages): the rest shows when the cell is clicked
CJK = r"[\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF]"  # CJK, kana, full-width punctuation


def _infer(dtype: pl.DataType) -> str:
    """A kind for a column columns.py does not know (never a dashboard query: the test fails)."""
    if dtype == pl.Boolean:
        return "bool"
    if dtype == pl.Date:
        return "date"
    if isinstance(dtype, pl.Datetime):
        return "datetime"
    if dtype.is_integer():
        return "count"
    if dtype.is_numeric():
        return "decimal"
    return "text"


def _entries(frame: pl.DataFrame, lang: str) -> dict[str, Column]:
    """The frame's columns to show, in order, each with its entry (inferred if unknown)."""
    shown: dict[str, Column] = {}
    for name, dtype in frame.schema.items():
        entry = column(name) or Column(name, name, _infer(dtype))
        if entry.shown_in(lang):
            shown[name] = entry
    return shown


def _headers(
    entries: Mapping[str, Column], lang: str, suffix: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Column name -> header in the language, made unique (two columns never share a header)."""
    headers: dict[str, str] = {}
    for name, entry in entries.items():
        base = entry.header(lang) + (suffix or {}).get(name, "")
        header, n = base, 2
        while header in headers.values():
            header = f"{base}（{n}）" if lang == "zh" else f"{base} ({n})"
            n += 1
        headers[name] = header
    return headers


def _named(name: str, entry: Column, frame: pl.DataFrame, lang: str, codes: Codes) -> pl.Expr:
    """A code column as display names: the first domain that knows a code names it; a list of
    codes ("cases, takedowns") is named item by item; an unknown code stays as it is."""
    values = pl.col(name).cast(pl.String)
    if entry.domains == ("row",):
        label = f"name_{lang}"
        if label in frame.columns:
            return pl.coalesce(pl.col(label).cast(pl.String), values)
        return values
    local = local_codes(lang)
    names: dict[str, str] = {}
    for domain in reversed(entry.domains):
        names |= dict(codes.get(domain) or local.get(domain, {}))
    if not names:
        return values
    return (
        values.str.split(", ")
        .list.eval(pl.element().replace(names))
        .list.join(LIST_SEPARATOR.get(lang, ", "))
    )


def _prepared(
    frame: pl.DataFrame, lang: str, codes: Codes
) -> tuple[pl.DataFrame, dict[str, Column]]:
    """What every form of a table shares: only the columns shown, codes named, booleans as
    是/否, NaN as missing. Names, numbers (DECIMAL stays exact) and dates are unchanged."""
    entries = _entries(frame, lang)
    yes, no = YES_NO.get(lang, YES_NO["en"])
    exprs: list[pl.Expr] = []
    for name, entry in entries.items():
        dtype = frame.schema[name]
        if entry.kind.startswith("code:"):
            expr = _named(name, entry, frame, lang, codes)
        elif entry.kind == "bool" or dtype == pl.Boolean:
            flag = pl.col(name).cast(pl.Boolean)
            expr = pl.when(flag).then(pl.lit(yes)).when(~flag).then(pl.lit(no))
        elif dtype.is_float():
            expr = pl.col(name).fill_nan(None)
        elif dtype == pl.Null:  # a column with no value at all (an empty period)
            expr = pl.col(name).cast(pl.String)
        else:
            expr = pl.col(name)
        exprs.append(expr.alias(name))
    return frame.select(exprs), entries


def _text(entry: Column, dtype: pl.DataType, lang: str) -> Callable[[object], str]:
    """How one value of the column reads as text (formats.py), "—" when it is missing. Money
    keeps one unit per column (元, not 万元 from 10,000 on), so amounts compare down a column."""
    kind = entry.kind
    if kind == "date":
        return formats.day
    if kind == "datetime":
        return formats.moment
    if kind == "share":
        return formats.share
    if kind == "yuan":
        unit = YUAN_UNIT.get(lang, "yuan")
        return lambda v: formats.MISSING if formats.is_missing(v) else f"{formats.count(v)} {unit}"
    if kind in NUMBER_KINDS:
        return formats.count if dtype.is_integer() or kind == "count" else formats.decimal
    return lambda v: formats.MISSING if formats.is_missing(v) else str(v)


def _texts(prepared: pl.DataFrame, entries: Mapping[str, Column], lang: str) -> pl.DataFrame:
    columns = [
        pl.Series(
            name,
            [_text(entry, prepared.schema[name], lang)(v) for v in prepared[name].to_list()],
            dtype=pl.String,
        )
        for name, entry in entries.items()
    ]
    return pl.DataFrame(columns, schema=dict.fromkeys(entries, pl.String))


def table_frame(frame: pl.DataFrame, lang: str, codes: Codes) -> pl.DataFrame:
    """The table as the reader sees it, every cell as text: hidden columns dropped, codes as
    names, dates without a time, time stamps to the minute, 是/否, money with its unit, shares
    as %, "—" for a missing value, headers in the language. For a static table (the briefing)
    and for tests; on screen `show_table` keeps the values typed so that columns sort."""
    prepared, entries = _prepared(frame, lang, codes)
    return _texts(prepared, entries, lang).rename(_headers(entries, lang))


# --- On screen ---------------------------------------------------------------------------------


WIDTH_CANDIDATES = 20  # per column, the rows whose raw text is longest


def _widest_rows(prepared: pl.DataFrame) -> pl.DataFrame:
    """The few rows that can hold a column's longest shown text: for each column, those whose
    raw value is longest as text (a formatted value is its raw text plus separators and a
    unit, so the longest shown one is among them). Formatting every cell in Python to size the
    columns took 0.24 s of the Overview's 0.8 s of server time on 5,000-row record lists."""
    if prepared.height <= WIDTH_CANDIDATES:
        return prepared
    rows: set[int] = set()
    for name in prepared.columns:
        lengths = prepared[name].cast(pl.String, strict=False).str.len_chars().fill_null(0)
        rows.update(lengths.arg_sort(descending=True).head(WIDTH_CANDIDATES).to_list())
    return prepared[sorted(rows)]


def _width(texts: pl.Series, header: str, most: int) -> int:
    """Pixels that show the longest text of a column and its header whole, up to `most`."""
    wide = texts.str.count_matches(CJK)
    px = (wide * PX_WIDE + (texts.str.len_chars() - wide) * PX_NARROW).max()
    head = sum(PX_WIDE if ord(ch) > 0x2E7F else PX_NARROW for ch in header)
    longest = float(px) if isinstance(px, int | float) else 0.0
    return min(most, round(max(longest, head) + PX_PADDING))


def text_column(texts: pl.Series, header: str) -> object:
    """A column of text (a table the page built itself, already in the reader's language)
    wide enough for its longest value and its header: Streamlit sizes columns by the first
    rows' width in Latin letters, which cut "下架时效中位数（工作日）" short."""
    return st.column_config.TextColumn(width=_width(texts.cast(pl.String), header, PX_MAX_TEXT))


def _is_link(values: pl.Series) -> bool:
    """A URL column is a link only when every value is a web address (a listing id is not)."""
    present = values.drop_nulls()
    return present.len() > 0 and bool(present.str.contains(r"^https?://").all())


def _config(entry: Column, values: pl.Series, lang: str, width: int) -> object:
    """The `st.column_config` of one column: Streamlit formats typed values and sorts them."""
    kind, dtype = entry.kind, values.dtype
    if kind == "date":
        return st.column_config.DateColumn(format="YYYY-MM-DD", width=width)
    if kind == "datetime":
        return st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm", width=width)
    if kind == "share":
        return st.column_config.NumberColumn(format="%.1f%%", width=width)
    if kind == "yuan":
        unit = YUAN_UNIT.get(lang, "yuan")
        return st.column_config.NumberColumn(format=f"%,.0f {unit}", width=width)
    if kind in NUMBER_KINDS:
        whole = dtype.is_integer() or kind == "count"
        return st.column_config.NumberColumn(format="%,d" if whole else "%,.1f", width=width)
    if kind == "id" and dtype.is_integer():  # a row or file number: no thousands separator
        return st.column_config.NumberColumn(format="%d", width=width)
    if kind == "url" and _is_link(values):
        return st.column_config.LinkColumn(width=width)
    return st.column_config.TextColumn(width=width)


def _typed(prepared: pl.DataFrame, entries: Mapping[str, Column]) -> pl.DataFrame:
    """Numbers as Streamlit formats them: DECIMAL as float, 128-bit sums as int64, shares in
    percent (a printf format cannot scale)."""
    exprs = []
    for name, entry in entries.items():
        dtype = prepared.schema[name]
        expr = pl.col(name)
        if entry.kind == "share":
            expr = expr.cast(pl.Float64) * 100
        elif isinstance(dtype, pl.Decimal):
            expr = expr.cast(pl.Float64)
        elif dtype in WIDE_TYPES:
            expr = expr.cast(pl.Int64, strict=False)
        exprs.append(expr.alias(name))
    return prepared.select(exprs)


def show_table(
    frame: pl.DataFrame,
    lang: str,
    codes: Codes,
    *,
    key: str | None = None,
    height: int | None = None,
) -> None:
    """The frame as an interactive table: headers and codes in the language, "—" for a missing
    value (in every column, typed or not), every column wide enough for its longest value (ids
    and links are never cut), numbers right-aligned, and numbers, dates and times formatted yet
    sorted by value when a header is clicked."""
    prepared, entries = _prepared(frame, lang, codes)
    shown = _typed(prepared, entries)
    texts = _texts(_widest_rows(prepared), entries, lang)
    headers = _headers(entries, lang)
    config = {}
    for name, entry in entries.items():
        most = PX_MAX_TEXT if entry.kind == "text" else PX_MAX
        width = _width(texts[name], headers[name], most)
        config[headers[name]] = _config(entry, shown[name], lang, width)
    st.dataframe(
        shown.rename(headers),
        width="stretch",
        height=height if height is not None else "auto",
        hide_index=True,
        column_config=config,
        key=key,
        placeholder=formats.MISSING,
    )


# --- CSV ---------------------------------------------------------------------------------------


def _csv_cell(name: str, entry: Column, dtype: pl.DataType) -> pl.Expr:
    """A cell of the CSV: dates, times and shares as on screen (as expressions, for a list of
    millions of rows); other numbers bare and exact, so Excel sums and sorts them (money's unit
    moves into the header)."""
    value = pl.col(name)
    if entry.kind == "date" and dtype.is_temporal():
        return value.cast(pl.Date).dt.strftime("%Y-%m-%d")
    if entry.kind == "datetime" and dtype.is_temporal():
        return value.dt.strftime("%Y-%m-%d %H:%M")
    if entry.kind == "share":
        return (value.cast(pl.Float64) * 100).round(1).cast(pl.String) + "%"
    if dtype.is_float():
        return value.round(2)
    return value


def csv_bytes(frame: pl.DataFrame, lang: str, codes: Codes) -> bytes:
    """The table as a CSV download: the screen's headers and values (codes named, 是/否, dates,
    "—" for a missing value), numbers bare for Excel, UTF-8 with a BOM so that Excel on a
    Chinese Windows reads it as UTF-8 rather than GBK."""
    prepared, entries = _prepared(frame, lang, codes)
    cells = prepared.select(
        _csv_cell(name, entry, prepared.schema[name]).alias(name) for name, entry in entries.items()
    )
    unit = YUAN_UNIT.get(lang, "yuan")
    in_header = f"（{unit}）" if lang == "zh" else f" ({unit})"
    suffix = {name: in_header for name, entry in entries.items() if entry.kind == "yuan"}
    named = cells.rename(_headers(entries, lang, suffix))
    return codecs.BOM_UTF8 + named.write_csv(null_value=formats.MISSING).encode("utf-8")


def csv_capped(frame: pl.DataFrame, lang: str, codes: Codes, max_bytes: int) -> bytes:
    """`csv_bytes` of the first rows that fit in `max_bytes`: the server holds a download in
    memory while the browser fetches it, so a record list of millions of rows is cut here
    (IPGOV_DOWNLOAD_MAX_MB). Whole rows only; fewer rows are formatted again until the file
    fits (each pass cuts by the bytes per row just measured, 2 % under)."""
    data = csv_bytes(frame, lang, codes)
    while len(data) > max_bytes and frame.height:
        rows = min(frame.height - 1, int(frame.height * max_bytes / len(data) * 0.98))
        frame = frame.head(max(rows, 0))
        data = csv_bytes(frame, lang, codes)
    return data


FIT_SAMPLE_ROWS = 500  # rows formatted to estimate a CSV's bytes per row


def rows_that_fit(sample: pl.DataFrame, lang: str, codes: Codes, max_bytes: int) -> int:
    """About how many rows like `sample`'s fit in a CSV of `max_bytes` (2 % under), from its
    first FIT_SAMPLE_ROWS: it runs on every run of a page showing a long list, and formatting
    all 5,000 shown rows cost ~100 ms for an estimate that 500 give to within 0.5 %
    (`csv_capped` makes the cut exact when the file is built)."""
    sample = sample.head(FIT_SAMPLE_ROWS)
    if sample.is_empty():
        return 0
    per_row = max(len(csv_bytes(sample, lang, codes)) / sample.height, 1.0)
    return int(max_bytes * 0.98 / per_row)


__all__ = ["csv_bytes", "csv_capped", "rows_that_fit", "show_table", "table_frame"]
