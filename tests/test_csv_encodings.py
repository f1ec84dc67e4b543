"""How a CSV that is not all UTF-8 is judged (etl/sources/csv_files.py): UTF-8 with a few
foreign bytes (`_mostly_utf8`) and mixed encodings (`_utf8_chinese_row`), each held to a plain
reading of its rule — the whole file decoded at once, or line by line — on files made of the
lines offices send, cut into reads of any size."""

from __future__ import annotations

import codecs
import re

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from etl.sources import csv_files

CJK = re.compile(r"[\u3400-\u9fff]")
LINES = [
    "WQ2024-000001,2024/1/1,商标,广州市花都区艺晟皮具有限公司,本区",  # Chinese
    "TD-0001,2024-03-01 09:30:00,https://item.example/1,taobao",  # ASCII
    "GZ2024-0001,皮,x",  # one Chinese character only
    "",
    "WQ2024-000002,调解,专利,狮岭国际皮革皮具城\r",  # CRLF
]


LINE = st.tuples(st.sampled_from(LINES), st.sampled_from(["utf-8", "gb18030"])).map(
    lambda line: line[0].encode(line[1])
)


def reference(body: bytes) -> int | None:
    """The rule read line by line: the first UTF-8 line with two Chinese characters, if such
    lines are at least 1/1000 of the lines that are not UTF-8."""
    chinese = bad = 0
    first = None
    for number, raw in enumerate(body.split(b"\n"), start=1):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            bad += 1
            continue
        if len(CJK.findall(text)) >= 2:
            chinese += 1
            first = first or number
    return first if chinese and chinese * csv_files.UTF8_LINES_PER_BAD >= bad else None


@st.composite
def bodies(draw: st.DrawFn) -> bytes:
    lines = draw(st.lists(LINE, min_size=1, max_size=40))
    body = b"\n".join(lines)
    if draw(st.booleans()):
        body += b"\n"
    if draw(st.booleans()):  # a file cut in the middle of a character
        body += "皮".encode(draw(st.sampled_from(["utf-8", "gb18030"])))[:-1]
    return body


@hsettings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=bodies(), chunk=st.integers(min_value=1, max_value=64), bom=st.booleans())
def test_the_mixed_encoding_row_is_the_line_by_line_one(body, chunk, bom, tmp_path, monkeypatch):
    monkeypatch.setattr(csv_files, "CHUNK", chunk)  # reads end inside lines and characters
    path = tmp_path / "export.csv"
    head = csv_files.UTF8_BOM if bom else b""
    path.write_bytes(head + body)
    assert csv_files._utf8_chinese_row(path, len(head)) == reference(body)


def mostly_reference(body: bytes) -> bool:
    """The rule on the whole file decoded at once: at least four good non-ASCII characters for
    each byte that is not UTF-8 (a character cut at the very end is another check's)."""
    text = codecs.getincrementaldecoder("utf-8")("replace").decode(body)
    replaced = text.count("\ufffd")
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    return non_ascii - replaced >= 4 * replaced


@hsettings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=bodies(), chunk=st.integers(min_value=1, max_value=64))
def test_mostly_utf8_is_the_whole_file_reading(body, chunk, tmp_path, monkeypatch):
    monkeypatch.setattr(csv_files, "CHUNK", chunk)  # it may stop after any read
    path = tmp_path / "export.csv"
    path.write_bytes(body)
    assert csv_files._mostly_utf8(path, 0) == mostly_reference(body)


def test_mostly_utf8_stops_early_on_a_gb18030_export(tmp_path, monkeypatch):
    reads = []
    chunks = csv_files._chunks
    monkeypatch.setattr(csv_files, "CHUNK", 1024)
    monkeypatch.setattr(
        csv_files, "_chunks", lambda *a, **k: (reads.append(c) or c for c in chunks(*a, **k))
    )
    path = tmp_path / "export.csv"
    path.write_bytes(("\n".join([LINES[0]] * 2000) + "\n").encode("gb18030"))
    assert csv_files._mostly_utf8(path, 0) is False
    assert len(reads) < path.stat().st_size / 1024 / 2


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        # a GB18030 export: every Chinese line undecodable, none counts
        ([LINES[0].encode("gb18030")] * 50, None),
        # UTF-8 with one GBK row: the UTF-8 Chinese line is named (row 2)
        ([LINES[1].encode(), LINES[0].encode(), LINES[0].encode("gb18030")], 2),
        # one UTF-8 Chinese line among 1,001 GB18030 ones: too rare, GB18030 bytes by chance
        ([LINES[0].encode("gb18030")] * 1001 + [LINES[0].encode()], None),
    ],
)
def test_explicit_files(lines, expected, tmp_path):
    path = tmp_path / "export.csv"
    body = b"\n".join(lines) + b"\n"
    path.write_bytes(body)
    assert csv_files._utf8_chinese_row(path, 0) == expected == reference(body)
