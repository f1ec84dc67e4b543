"""One year's official holiday schedule (the State Council's notice), read from a small CSV.

Why: chinesecalendar ships the years it knows (2004–2026 in 1.11); a later year's notice is
published each autumn and must be entered by the office before its first takedown is counted.
The file holds what the notice says, one row per day it names:

    date,kind,name
    2027-01-01,holiday,元旦
    2027-02-06,workday,春节

`kind` is `holiday` (a day off: the notice's "放假") or `workday` (an adjusted working Saturday
or Sunday: "上班"); `name` is the holiday it belongs to. Chinese headers (日期, 类型, 名称) and
values (放假/休, 上班/班) are read too, and the file may be UTF-8 (with or without a byte-order
mark), GB18030 or UTF-16, as offices save it. Every day the file does not name follows the
weekday rule.

What can be checked is checked (each fault one line naming the row, in English and Chinese):
dates valid, one year only, no date twice, each adjusted working day a Saturday or Sunday, a
holiday named, and no holiday period made only of weekend days — the notice moves a holiday that
falls on a weekend to a weekday, so such a period is a day off that changes nothing, the very
mistake that made 2027 six working days too long. Whether every holiday of the notice is there
cannot be checked: the notice itself is the reference.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path

from etl.errors import IpgovError

HOLIDAY = "holiday"
WORKDAY = "workday"
MAX_BYTES = 1 << 20  # a year's notice is a few hundred bytes; anything this big is another file

HEADERS = {
    "date": ("date", "日期"),
    "kind": ("kind", "类型", "类别"),
    "name": ("name", "名称", "节日", "节假日"),
}
KINDS = {
    HOLIDAY: HOLIDAY,
    "放假": HOLIDAY,
    "休": HOLIDAY,
    "休息": HOLIDAY,
    "假": HOLIDAY,
    WORKDAY: WORKDAY,
    "上班": WORKDAY,
    "班": WORKDAY,
    "调休上班": WORKDAY,
    "补班": WORKDAY,
}
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


class ScheduleError(IpgovError):
    """A schedule file that cannot be imported: one line in English, one in Chinese."""

    def __init__(self, path: Path, row: int | None, en: str, zh: str) -> None:
        super().__init__(f"{path.name}{'' if row is None else f' row {row}'}: {en}")
        self.message_zh = f"{path.name}{'' if row is None else f' 第 {row} 行'}：{zh}"
        self.row = row
        self.message_en = en


@dataclass(frozen=True)
class ScheduleDay:
    """One day the notice names."""

    day: dt.date
    kind: str  # holiday | workday
    name: str | None
    row: int  # the file's row number (the header is row 1)

    @property
    def is_workday(self) -> bool:
        return self.kind == WORKDAY


@dataclass(frozen=True)
class Schedule:
    """A year's official schedule, checked."""

    year: int
    days: tuple[ScheduleDay, ...]

    @property
    def holidays(self) -> int:
        return sum(1 for d in self.days if d.kind == HOLIDAY)

    @property
    def workdays(self) -> int:
        return sum(1 for d in self.days if d.kind == WORKDAY)


def _decode(path: Path, data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ScheduleError(
        path, None, "neither UTF-8 nor GB18030 text", "文件既不是 UTF-8 也不是 GB18030 编码的文本"
    )


def _columns(path: Path, header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    cells = [c.strip().lower() for c in header]
    for field, names in HEADERS.items():
        for i, cell in enumerate(cells):
            if cell in names:
                found[field] = i
                break
    missing = [f for f in ("date", "kind") if f not in found]
    if missing:
        wanted = ", ".join(f"{f} ({HEADERS[f][1]})" for f in missing)
        raise ScheduleError(
            path,
            1,
            f"missing column(s) {wanted}; the header is date,kind,name",
            f"缺少列 {wanted}；表头应为 日期,类型,名称（date,kind,name）",
        )
    return found


def _date(path: Path, where: int, text: str) -> dt.date:
    match = _DATE.match(text.strip())
    try:
        if match is None:
            raise ValueError(text)
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        raise ScheduleError(
            path,
            where,
            f"“{text}” is not a date (YYYY-MM-DD)",
            f"“{text}”不是有效日期（应为 YYYY-MM-DD）",
        ) from None


def read_schedule(path: Path) -> Schedule:
    """The file's schedule, checked; ScheduleError names the first fault and its row."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ScheduleError(path, None, f"cannot be read ({e.strerror})", "无法读取文件") from None
    if len(data) > MAX_BYTES:
        raise ScheduleError(
            path, None, "is too big for one year's schedule", "文件过大，不是一年的节假日安排"
        )
    rows = [r for r in csv.reader(io.StringIO(_decode(path, data)))]
    if not rows:
        raise ScheduleError(path, None, "is empty", "文件为空")
    columns = _columns(path, rows[0])
    days: list[ScheduleDay] = []
    seen: dict[dt.date, int] = {}
    for number, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        where = number

        def cell(field: str, cells: list[str] = cells) -> str:
            i = columns.get(field)
            return cells[i].strip() if i is not None and i < len(cells) else ""

        day = _date(path, where, cell("date"))
        kind = KINDS.get(cell("kind").lower())
        if kind is None:
            raise ScheduleError(
                path,
                where,
                f"kind “{cell('kind')}” is neither holiday nor workday",
                f"类型“{cell('kind')}”既不是 放假（holiday）也不是 上班（workday）",
            )
        if day in seen:
            raise ScheduleError(
                path,
                where,
                f"{day} is listed twice (also row {seen[day]})",
                f"{day} 重复出现（另见第{seen[day]}行）",
            )
        seen[day] = number
        if kind == WORKDAY and day.weekday() < 5:
            raise ScheduleError(
                path,
                where,
                f"{day} is a weekday: an adjusted working day is a Saturday or Sunday",
                f"{day} 是工作日（周一至周五）：调休上班日只能是周六或周日",
            )
        name = cell("name") or None
        if kind == HOLIDAY and name is None:
            raise ScheduleError(
                path,
                where,
                f"holiday {day} has no name (e.g. 春节, Spring Festival)",
                f"放假日 {day} 缺少节日名称（如 春节）",
            )
        days.append(ScheduleDay(day, kind, name, number))
    if not days:
        raise ScheduleError(path, None, "lists no day", "文件中没有任何日期")
    years = sorted({d.day.year for d in days})
    if len(years) > 1:
        other = next(d for d in days if d.day.year != days[0].day.year)
        raise ScheduleError(
            path,
            other.row,
            f"{other.day} is not in {days[0].day.year}: one file holds one year",
            f"{other.day} 不在 {days[0].day.year} 年内：一个文件只能包含一年",
        )
    _check_periods(path, days)
    return Schedule(years[0], tuple(sorted(days, key=lambda d: d.day)))


def _check_periods(path: Path, days: list[ScheduleDay]) -> None:
    """Each holiday period (consecutive days off) holds a weekday: a period of weekend days only
    is the notice's holiday entered without the weekday it was moved to."""
    off = sorted((d for d in days if d.kind == HOLIDAY), key=lambda d: d.day)
    period: list[ScheduleDay] = []
    for d in [*off, None]:
        if d is not None and period and (d.day - period[-1].day).days == 1:
            period.append(d)
            continue
        if period and all(p.day.weekday() >= 5 for p in period):
            first = period[0]
            listed = ", ".join(str(p.day) for p in period)
            raise ScheduleError(
                path,
                first.row,
                f"holiday {first.name} ({listed}) falls on a weekend only and changes nothing: "
                "enter the weekday(s) off the notice moves it to",
                f"放假 {first.name}（{listed}）只落在周末，不改变任何工作日："
                "请按通知填写顺延的工作日",
            )
        period = [d] if d is not None else []
