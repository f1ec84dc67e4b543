"""CSV, TSV and TXT files → a `read_csv` relation, with every file-level fault found first.

A clerk's export may be UTF-8 (with or without a byte-order mark), GB18030 (also behind a UTF-8
mark: an exporter that labels everything UTF-8), or UTF-16 (Excel's "Unicode text"); it may be cut
off, hold an unquoted comma, or blank lines. DuckDB reads UTF-8 only, skips blank lines and pads
short rows, so the checks a file needs are made here without holding it: the header from its
first line, a cut-off last line from its last 1 MB, UTF-8 checked in a stream (GB18030 and
UTF-16 transcoded in a stream to a temporary copy beside the warehouse), blank lines filled so row
numbers stay the clerk's. The usual file (UTF-8, no blank line) costs one memchr pass in Python;
DuckDB validates its UTF-8 as it reads and a surprise sends it the careful way.

Decisions (docs/quality.md): UTF-8 first, then GB18030; mostly-UTF-8 text with a few foreign
bytes, or a file with lines of Chinese in UTF-8 beside lines that are not UTF-8 (mixed
encodings), is rejected (`encoding`, with its row), never read as GB18030 mojibake.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import duckdb

from etl.errors import FileRejected
from etl.progress import QUIET, FileProgress
from etl.sources.faults import decode_fault, mixed_encoding, reject
from etl.sources.headers import blank_to_none
from etl.sources.staged import StagedCells, quote_literal

CHUNK = 16 << 20  # bytes per read when a file must be streamed through Python
HEAD = 1 << 20  # bytes read to find the header line and the encoding
TITLE_LINES = 10  # title, date and blank lines an export may put above its header
TAIL = 1 << 20  # bytes read to check the last line
UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def separator(path: Path, first_line: str) -> str:
    if path.suffix.lower() == ".tsv":
        return "\t"
    if "\t" in first_line and "," not in first_line:
        return "\t"
    return ","


def split_line(line: str, sep: str) -> list[str]:
    """One line's cells. A carriage return or line feed left inside the line (a file whose lines
    end in a bare CR, or bytes that are no CSV at all) is read as a space: the csv module raises
    on it, and the cells then fail the header checks with a reason instead of a traceback."""
    try:
        return next(csv.reader([line], delimiter=sep), [])
    except csv.Error:
        flat = line.replace("\r", " ").replace("\n", " ")
        return next(csv.reader([flat], delimiter=sep), [])


def check_last_line(
    path: Path, text: str, sep: str, header_cells: int, lines_before: int = 0
) -> None:
    """Reject a file whose last record is cut short: DuckDB would quietly pad it with nulls.

    `text` is the whole file, or its tail after `lines_before` complete lines (big files)."""
    lines = text.rstrip("\r\n").split("\n")
    if len(lines) + lines_before < 2:
        return
    last = lines[-1].rstrip("\r")
    row = lines_before + len(lines)
    if last.count('"') % 2:
        raise reject(
            path,
            "truncated",
            row=row,
            detail="a quoted value is never closed",
            detail_zh="引号内的值没有结束",
        )
    if '"' in last:  # a quoted value may hold separators or line breaks: counting is unsafe
        return
    cells = len(split_line(last, sep))
    previous = lines[-2] if len(lines) > 1 else '"'
    before = len(split_line(previous.rstrip("\r"), sep)) if '"' not in previous else header_cells
    if cells < header_cells and cells < before:
        raise reject(
            path,
            "truncated",
            row=row,
            detail=f"it has {cells} of {header_cells} cells",
            detail_zh=f"只有 {cells} 个单元格，表头有 {header_cells} 列",
        )


def ragged_row(text: str | Iterable[str], sep: str, above: int = 0) -> tuple[int, int, int] | None:
    """Slow path after DuckDB refused a row: the first row with more cells than the header.

    `text` is the file's text, or its lines (a big file is streamed); `above` title or blank
    lines stand above the header."""
    rows = csv.reader(io.StringIO(text) if isinstance(text, str) else text, delimiter=sep)
    for _ in range(above):
        next(rows, None)
    header = len(next(rows, []))
    for cells in rows:
        if len(cells) > header:
            return rows.line_num, len(cells), header
    return None


# ------------------------------------------------------------------------------------------------
# CSV: encoding without reading the whole file into Python
# ------------------------------------------------------------------------------------------------


def _chunks(
    path: Path, skip: int = 0, on_bytes: Callable[[int], None] | None = None
) -> Iterator[bytes]:
    """The file in CHUNK-byte pieces after `skip` bytes; `on_bytes` is told the bytes read so
    far after each (etl/progress.py: a pass's progress)."""
    read = 0
    with path.open("rb") as f:
        f.seek(skip)
        while chunk := f.read(CHUNK):
            yield chunk
            read += len(chunk)
            if on_bytes is not None:
                on_bytes(read)


def _row_at(path: Path, offset: int, skip: int) -> int:
    """The clerk's row number of byte `offset` of the body (the file after `skip` BOM bytes)."""
    lines, seen = 0, 0
    for chunk in _chunks(path, skip):
        if seen + len(chunk) >= offset:
            return lines + chunk[: offset - seen].count(b"\n") + 1
        lines += chunk.count(b"\n")
        seen += len(chunk)
    return lines + 1


def _utf8_scan(
    path: Path, skip: int, progress: FileProgress = QUIET
) -> tuple[tuple[int, str] | None, bool]:
    """Where the body stops being UTF-8 — (offset, reason), None if it all is — and whether it
    has a blank line: one pass over the file for both."""
    carry, seen, blank, tail = b"", 0, False, b""
    for chunk in _chunks(path, skip, progress.reader("scan", skip)):
        blank = blank or _blank_in(tail + chunk[:2]) or _blank_in(chunk)
        tail = chunk[-2:]
        data = carry + chunk if carry else chunk
        try:
            _, used = codecs.utf_8_decode(data, "strict", False)
        except UnicodeDecodeError as e:
            return (seen + e.start, e.reason), blank
        carry = data[used:]
        seen += used
    if carry:
        return (seen, "unexpected end of data"), blank
    return None, blank


def _blank_in(data: bytes) -> bool:
    return b"\n\n" in data or b"\n\r\n" in data


def _mostly_utf8(path: Path, skip: int) -> bool:
    """The reader's rule: UTF-8 text with a few foreign bytes is rejected, not read as GB18030.

    It stops as soon as the rest of the file cannot change the answer: every character still to
    come that is good (non-ASCII UTF-8) takes two bytes at least, and the foreign bytes found so
    far stay found. A GB18030 export is decided within its first reads."""
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    bad = good = 0
    left = path.stat().st_size - skip
    for chunk in _chunks(path, skip):
        text = decoder.decode(chunk)
        replaced = text.count("\ufffd")
        non_ascii = len(text) - len(text.encode("ascii", "ignore"))
        bad += replaced
        good += non_ascii - replaced
        left -= len(chunk)
        if good + (left + 3) // 2 < 4 * bad:  # + 3: a character cut between two reads
            return False
    return good >= 4 * bad


# A line that is valid UTF-8 and holds two Chinese characters: Chinese text really written in
# UTF-8. GB18030 bytes form such a line by chance about once in 50,000 short lines (a
# three-character name, the rest ASCII), far less often in longer Chinese ones.
_BAD_LINE = re.compile(r"(?m)^[^\n]*[\udc80-\udcff]")
_UNDECODED = re.compile(r"[\udc80-\udcff]")  # a byte surrogateescape kept: not UTF-8
_CJK = re.compile(r"[\u3400-\u9fff]")
UTF8_LINES_PER_BAD = 1000  # GB18030 only while UTF-8 Chinese lines are this much rarer


def _utf8_chinese_row(path: Path, skip: int) -> int | None:
    """The first row of Chinese in UTF-8 of a file that is not all UTF-8, when it has enough
    of them to be mixed encodings; else None. A mostly-ASCII UTF-8 file with one GBK row has
    too few non-ASCII characters for `_mostly_utf8`, and read as GB18030 its UTF-8 Chinese
    would become mojibake (广州皮具 → 骞垮窞鐨…). Counts the lines that are Chinese in UTF-8
    and, only when there are some, the lines that are not UTF-8 at all (a second pass).

    Only a line with a Chinese character can count, so the pass jumps from one to the next
    and judges its line once, instead of matching every line: a 63 MB GB18030 export (437k
    rows, in 176k of which GB bytes happen to spell a CJK character in UTF-8) 2.6 → 1.8 s;
    tests/test_csv_encodings.py holds it to a line-by-line reading."""
    chinese = lines = 0
    first: int | None = None

    def count(text: str) -> None:
        nonlocal chinese, first
        at = 0
        while (hit := _CJK.search(text, at)) is not None:
            start = text.rfind("\n", 0, hit.start()) + 1
            end = text.find("\n", hit.end())
            end = len(text) if end < 0 else end
            line = text[start:end]
            if _UNDECODED.search(line) is None and len(_CJK.findall(line)) >= 2:
                chinese += 1
                if first is None:
                    first = lines + text.count("\n", 0, start) + 1
            at = end + 1

    for text in _whole_lines(path, skip):
        count(text)
        lines += text.count("\n")
    if not chinese:
        return None
    bad = sum(len(_BAD_LINE.findall(text)) for text in _whole_lines(path, skip))
    return first if chinese * UTF8_LINES_PER_BAD >= bad else None


def _whole_lines(path: Path, skip: int) -> Iterator[str]:
    """The body decoded as UTF-8 (a byte that is not kept as a surrogate), in pieces of whole
    lines; the last piece is whatever follows the last line break."""
    decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
    pending = ""
    for chunk in _chunks(path, skip):
        text = pending + decoder.decode(chunk)
        cut = text.rfind("\n") + 1
        yield text[:cut]
        pending = text[cut:]
    yield pending + decoder.decode(b"", final=True)


def _transcode(
    path: Path, skip: int, encoding: str, folder: Path, progress: FileProgress = QUIET
) -> Path:
    """The body re-encoded as UTF-8 in a temporary file; FileRejected where it does not decode."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    target = _temp_csv(folder)
    seen = 0
    try:
        with target.open("wb") as handle:
            for chunk in _chunks(path, skip, progress.reader("transcode", skip)):
                try:
                    handle.write(decoder.decode(chunk).encode("utf-8"))
                except UnicodeDecodeError as e:
                    raise _fault(path, skip, seen + e.start, at_end=False) from e
                seen += len(chunk)
            try:
                handle.write(decoder.decode(b"", final=True).encode("utf-8"))
            except UnicodeDecodeError as e:
                raise _fault(path, skip, seen - 1, at_end=True) from e
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    progress.done("transcode")
    return target


COPY_PREFIX = "ipgov-bulk-"  # transcoded or filled copies; a killed load's are removed


def _temp_csv(folder: Path) -> Path:
    """A new empty file for a rewritten copy; the caller deletes it (StagedCells.close)."""
    handle, name = tempfile.mkstemp(suffix=".csv", prefix=COPY_PREFIX, dir=folder)
    os.close(handle)
    return Path(name)


def remove_leftover_copies(folder: Path) -> list[Path]:
    """Copies a killed load left behind; call only while holding the folder's ingest lock."""
    found = sorted(folder.glob(f"{COPY_PREFIX}*.csv")) if folder.is_dir() else []
    for path in found:
        path.unlink(missing_ok=True)
    return found


def _fault(path: Path, skip: int, offset: int, at_end: bool) -> FileRejected:
    return decode_fault(path, _row_at(path, offset, skip), offset, at_end)


def _as_utf8(
    path: Path, head: bytes, folder: Path, progress: FileProgress = QUIET
) -> tuple[Path, str, list[Path], bool]:
    """A UTF-8 file DuckDB can read (the file itself, or a transcoded copy), the encoding, the
    copies to delete afterwards, and whether the file has a blank line.

    Same decisions as the in-memory reader's `_decode_csv`: UTF-8 first, then GB18030 (also
    behind a UTF-8 byte-order mark), UTF-16 by its mark; mostly-UTF-8 with foreign bytes and
    undecodable bytes are rejected with their row."""
    if head.startswith(_UTF16_BOMS):
        copy = _transcode(path, 0, "utf-16", folder, progress)
        return copy, "utf-16", [copy], _has_blank_line(copy)
    skip = len(UTF8_BOM) if head.startswith(UTF8_BOM) else 0
    fault, blank = _utf8_scan(path, skip, progress)
    progress.done("scan")
    if fault is None:
        return path, "utf-8-sig" if skip else "utf-8", [], blank
    offset, reason = fault
    if reason == "unexpected end of data" and _utf8_fault_free_before(path, skip, offset):
        raise _fault(path, skip, offset, at_end=True)
    if _mostly_utf8(path, skip):
        raise _fault(path, skip, offset, at_end=False)
    utf8_row = _utf8_chinese_row(path, skip)
    if utf8_row is not None:
        raise mixed_encoding(path, _row_at(path, offset, skip), offset, utf8_row)
    copy = _transcode(path, skip, "gb18030", folder, progress)
    return copy, "gb18030", [copy], _has_blank_line(copy)


def _utf8_fault_free_before(path: Path, skip: int, offset: int) -> bool:
    """True when the body is valid UTF-8 up to `offset` and nothing follows but that last
    incomplete character (a file cut in the middle of a character)."""
    size = path.stat().st_size - skip
    return size - offset <= 3


# ------------------------------------------------------------------------------------------------
# CSV: the header, the last line, the relation
# ------------------------------------------------------------------------------------------------


def _header_line(path: Path) -> tuple[int, str]:
    """The header line, and how many title or blank lines stand above it.

    Office exports often open with a title (`2023年维权援助案件登记表`), a date line or blank
    lines before the header. A line with at most one filled cell, among the first
    TITLE_LINES, is such a line when a line with two or more filled cells follows it; the
    header is that line, and rows keep the numbers the clerk sees (the data starts below it).
    """
    with path.open("rb") as f:
        head = f.read(HEAD)
    lines = head.decode("utf-8", errors="replace").replace("\ufeff", "").split("\n")
    first = lines[0].rstrip("\r")
    for above, raw in enumerate(lines[: TITLE_LINES + 1]):
        line = raw.rstrip("\r")
        if above + 1 == len(lines) and len(head) == HEAD:
            break  # a line cut at HEAD bytes: the first line is read as the header
        cells = split_line(line, separator(path, line))
        if sum(1 for cell in cells if cell.strip()) >= 2:
            return above, line
    return 0, first


def _check_tail(path: Path, source: Path, sep: str, header_cells: int) -> None:
    """The in-memory reader's cut-off-last-line check, on the file's last lines only."""
    size = source.stat().st_size
    with source.open("rb") as f:
        f.seek(max(0, size - TAIL))
        tail = f.read()
    start = 0
    if size > TAIL:
        start = tail.find(b"\n") + 1
        if start == 0 or not tail[start:].strip(b"\r\n"):
            return  # one enormous last line (with or without its line break): no line to check
    text = tail[start:].decode("utf-8", errors="replace").replace("\ufeff", "")
    try:
        check_last_line(path, text, sep, header_cells, lines_before=1 if start else 0)
    except FileRejected:
        if not start:
            raise
        lines_before = _row_at(source, size - len(tail) + start, 0) - 1
        check_last_line(path, text, sep, header_cells, lines_before=lines_before)


def _has_blank_line(path: Path) -> bool:
    tail = b""
    for chunk in _chunks(path):
        if _blank_in(tail + chunk[:2]) or _blank_in(chunk):  # also across two chunks
            return True
        tail = chunk[-2:]
    return False


def _fill_blank_lines(path: Path, sep: str, columns: int, folder: Path) -> Path:
    """A copy whose blank lines hold empty cells: DuckDB skips blank lines, polars (and a clerk
    counting rows in a spreadsheet) keeps them as rows, so later row numbers would shift."""
    filler = (sep * max(columns - 1, 0)).encode("utf-8")
    target = _temp_csv(folder)
    with target.open("wb") as handle:
        pending = b""
        for chunk in _chunks(path):
            data = pending + chunk
            cut = data.rfind(b"\n")
            if cut < 0:
                pending = data
                continue
            lines, pending = data[: cut + 1], data[cut + 1 :]
            handle.write(_filled(lines, filler))
        handle.write(pending)
    return target


_BLANK_AFTER = re.compile(rb"\n(?=\r?\n)")  # a line break followed by an empty line


def _filled(lines: bytes, filler: bytes) -> bytes:
    """Each empty line given `filler`, in one pass (several blank lines in a row, CRLF or LF).
    A one-column header has an empty filler: the lines stay as they are."""
    return _BLANK_AFTER.sub(b"\n" + filler, lines)


def _line_count(path: Path, on_bytes: Callable[[int], None] | None = None) -> int:
    """Lines in the file, a last line without its line break included."""
    lines, last = 0, b"\n"
    for chunk in _chunks(path, on_bytes=on_bytes):
        lines += chunk.count(b"\n")
        last = chunk[-1:]
    return lines + (0 if last == b"\n" else 1)


def stage_csv(path: Path, folder: Path, progress: FileProgress = QUIET) -> StagedCells:
    """The CSV's header and a `read_csv` relation over its data rows (all VARCHAR).

    The usual big file — UTF-8, no blank line — is read optimistically: only the header, the
    tail and a count of its lines are checked in Python (a memchr pass), DuckDB validates the
    UTF-8 as it reads. If DuckDB finds bytes that are not UTF-8, or reads fewer rows than the
    file has lines (a blank line, or a quoted line break), `careful` makes every check of the
    in-memory reader on the whole file and the file is read again. `progress`: each pass over
    the file reported by bytes (step scan, and transcode for a copy)."""
    size = path.stat().st_size
    with path.open("rb") as f:
        head = f.read(HEAD)
    if not head.strip() and size <= HEAD:
        raise reject(path, "empty")
    if not head.startswith(_UTF16_BOMS) and b"\r" in head.split(b"\n", 1)[0].rstrip(b"\r"):
        # lines ended by a bare CR (classic Mac) would be read as one header line and cells
        # shifted into the wrong columns, a value lost without a word: refuse the file instead
        raise reject(path, "line_endings")
    if not head.startswith(_UTF16_BOMS):
        skip = len(UTF8_BOM) if head.startswith(UTF8_BOM) else 0
        first = head[skip:].split(b"\n", 1)[0]
        try:
            first.decode("utf-8")
        except UnicodeDecodeError:
            pass  # GB18030 (or broken): the careful way
        else:
            with contextlib.suppress(FileRejected):  # judged again the careful way
                return _optimistic(path, folder, "utf-8-sig" if skip else "utf-8", progress)
    return _careful(path, folder, progress)


def _optimistic(
    path: Path, folder: Path, encoding: str, progress: FileProgress = QUIET
) -> StagedCells:
    above, first = _header_line(path)
    sep = separator(path, first)
    headers = [blank_to_none(h) for h in split_line(first, sep)]
    _check_tail(path, path, sep, len(headers))
    rows = _line_count(path, progress.reader("scan")) - 1 - above
    progress.done("scan")
    return _csv_cells(path, path, headers, encoding, sep, folder, [], rows, above)


def _csv_cells(
    path: Path,
    source: Path,
    headers: list[str | None],
    encoding: str,
    sep: str,
    folder: Path,
    temps: list[Path],
    expected_rows: int | None = None,
    above: int = 0,
) -> StagedCells:
    """The relation over `source`, the UTF-8 file that stands for `path`; `above` title or
    blank lines stand above the header."""
    return StagedCells(
        path,
        _read_csv_sql(source, sep, len(headers), parallel=True, skip=1 + above),
        headers,
        ["VARCHAR"] * len(headers),
        encoding,
        2 + above,
        sep=sep,
        source=source,
        folder=folder,
        temp_files=temps,
        expected_rows=expected_rows,
    )


def careful(staged: StagedCells, progress: FileProgress = QUIET) -> bool:
    """After an optimistic read went wrong: the whole file checked as the in-memory reader
    checks it (FileRejected for its faults). True if the file must be read again (it was
    transcoded, or its blank lines filled)."""
    progress.restart("scan")
    again = _careful(staged.path, staged.folder or staged.path.parent, progress)
    changed = again.source != staged.source
    staged.close_files()
    staged.relation, staged.source, staged.encoding = again.relation, again.source, again.encoding
    staged.temp_files, staged.expected_rows = again.temp_files, None
    return changed


def _careful(path: Path, folder: Path, progress: FileProgress = QUIET) -> StagedCells:
    with path.open("rb") as f:
        head = f.read(HEAD)
    source, encoding, temps, blank = _as_utf8(path, head, folder, progress)
    try:
        above, first = _header_line(source)
        sep = separator(path, first)
        headers = [blank_to_none(h) for h in split_line(first, sep)]
        _check_tail(path, source, sep, len(headers))
        if blank:
            filled = _fill_blank_lines(source, sep, len(headers), folder)
            temps.append(filled)
            source = filled
    except BaseException:
        for temp in temps:
            temp.unlink(missing_ok=True)
        raise
    return _csv_cells(path, source, headers, encoding, sep, folder, temps, above=above)


def _read_csv_sql(source: Path, sep: str, columns: int, parallel: bool, skip: int) -> str:
    """The data rows: `skip` lines (the header and any title lines above it) left out."""
    names = ", ".join(f"'_c{i}': 'VARCHAR'" for i in range(columns))
    return (
        f"read_csv({quote_literal(str(source))}, header = false, skip = {skip}, "
        f"delim = {quote_literal(sep)}, quote = '\"', escape = '\"', "
        f"columns = {{{names}}}, auto_detect = false, strict_mode = true, "
        f"null_padding = true, parallel = {'true' if parallel else 'false'})"
    )


def read_error(staged: StagedCells, error: duckdb.Error) -> str | None:
    """What to do about DuckDB refusing the CSV: 'serial' to read it again without the parallel
    scanner, else raise the file's FileRejected. None if the error is not about the file."""
    text = str(error)
    path = staged.path
    if "null_padding in conjunction with quoted new lines" in text:
        return "serial"
    if staged.expected_rows is not None and "Invalid unicode" in text:
        return "careful"
    source = staged.source or path
    if "Expected Number of Columns" in text:
        with source.open(encoding="utf-8", errors="replace", newline="") as f:
            ragged = ragged_row(f, staged.sep, above=staged.first_row - 2)
        if ragged:
            raise reject(path, "ragged_row", row=ragged[0], cells=ragged[1], columns=ragged[2])
    if "CSV Error" in text or "Invalid unicode" in text or "unterminated quote" in text:
        detail = next((line.strip() for line in text.splitlines()[1:] if line.strip()), text)
        raise reject(path, "unreadable", what="CSV", detail=detail)
    return None


def serial(staged: StagedCells) -> None:
    """Switch the relation to DuckDB's single-threaded CSV scanner (quoted line breaks)."""
    source = staged.source or staged.path
    staged.relation = _read_csv_sql(
        source, staged.sep, len(staged.headers), parallel=False, skip=staged.first_row - 1
    )
