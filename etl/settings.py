"""Every setting ipgov reads from the environment, typed, with safe defaults; only this reads
os.environ.

Each setting is an `IPGOV_<NAME>` variable and one field of `Settings`: its type and bounds say
which values make sense, its description is its documentation (`python -m etl.docgen` writes the
table in docs/settings.md from it; a test fails when the two differ). Code reads
`settings.current().snapshot_keep` — already an int — so no call site parses a string, and a
bad value is one `SettingError` naming the variable, the value and what was expected, instead
of a `ValueError` deep inside a load or a page.

Built on plain pydantic (a dependency of Great Expectations, so already installed) rather than
pydantic-settings, which is not: reading a dozen IPGOV_* variables is the one thing
pydantic-settings would add, and `current()` does it in a few lines.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import annotated_types
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError
from pydantic.fields import FieldInfo

from etl.errors import IpgovError

PREFIX = "IPGOV_"

# A DuckDB memory size as `SET memory_limit` reads it: a number, then a unit or a percentage
# of the machine's memory (DuckDB refuses a bare number; a negative one would mean no limit).
_DUCKDB_SIZE = r"(?i)^\s*(\d+\.?\d*|\.\d+)\s*(%|[kmgt]i?b|[kmgt]|b|bytes)\s*$"
_SIZE = {
    "pattern": _DUCKDB_SIZE,
    "json_schema_extra": {
        "expected": "a DuckDB size such as 1GB, 512MB or 50%",
        "expected_zh": "DuckDB 容量，如 1GB、512MB 或 50%",
    },
}
# A target share: people write 95 for 95 %, so the error says how it is written.
_SHARE = {
    "ge": 0,
    "le": 1,
    "json_schema_extra": {
        "expected": "a share from 0 to 1, e.g. 0.90 for 90%",
        "expected_zh": "0 到 1 之间的比例，如 0.90 表示 90%",
    },
}


class Settings(BaseModel):
    """The settings of one run: the environment (and any `overridden` values) at that moment."""

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)

    db: Path = Field(
        Path("data/warehouse.duckdb"),
        description="Ingest warehouse file; snapshots and reports live beside it.",
    )
    port: int = Field(
        8501, ge=1, le=65535, description="Port `ipgov serve` and `ipgov demo` listen on."
    )
    load_memory_limit: str = Field(
        "1GB",
        description=(
            "Memory DuckDB may use during `ipgov load` / `ipgov check` (DuckDB size, e.g. `2GB`);"
            " beyond it DuckDB spills to a temporary folder beside the warehouse, so a"
            " national-scale file needs no national-scale RAM"
            " ([performance.md](performance.md#load))."
        ),
        **_SIZE,
    )
    snapshot_keep: int = Field(
        3, ge=0, description="Published snapshots kept besides the current one."
    )
    snapshot_grace_seconds: float = Field(
        600,
        ge=0,
        description=(
            "Older snapshots are deleted only after this long, so open readers finish first."
        ),
    )
    session_idle_minutes: float = Field(
        30,
        gt=0,
        description=(
            "A dashboard session ends after this many minutes without a click; the next click"
            " asks to sign in again ([security.md](security.md))."
        ),
    )
    signin_max_failures: int = Field(
        5,
        ge=1,
        description="Wrong passwords in a row that lock an account.",
    )
    signin_lockout_minutes: float = Field(
        15,
        gt=0,
        description="How long a locked account refuses to sign in, even with the right password.",
    )
    cookie_secure: bool = Field(
        False,
        description=(
            "Send the session cookie over HTTPS only: set it to true once the dashboard is"
            " served behind HTTPS ([security.md](security.md#https))."
        ),
        json_schema_extra={"expected": "true or false", "expected_zh": "true 或 false"},
    )
    auth_secrets: str = Field(
        "",
        description=(
            "Single sign-on: a TOML file with Streamlit's `[auth]` section (an OIDC provider)"
            " and ipgov's `[ipgov.sso]` claim-to-role mapping; empty: local accounts only"
            " ([security.md](security.md#single-sign-on))."
        ),
        json_schema_extra={
            "expected": "empty, or a file path (a TOML file)",
            "expected_zh": "空，或文件路径（TOML 文件）",
        },
    )
    snapshot_incremental: bool = Field(
        True,
        description=(
            "Build each snapshot from a copy of the current one, recomputing only the keys the"
            " new files touched ([performance.md](performance.md#incremental-snapshot)); off:"
            " every snapshot computes every mart from all of raw."
        ),
        json_schema_extra={"expected": "true or false", "expected_zh": "true 或 false"},
    )
    sql_time_limit_seconds: float = Field(
        10,
        gt=0,
        description=(
            "SQL console (page and `ipgov sql`): a query still running after this long is"
            ' interrupted ("stopped after 10 s (time limit)").'
        ),
    )
    sql_max_rows: int = Field(
        10000,
        gt=0,
        description=(
            'SQL console: rows shown; a longer result is cut with a "truncated" notice'
            " (downloads are not cut at this cap)."
        ),
    )
    sql_export_max_rows: int = Field(
        1000000,
        gt=0,
        description=(
            "SQL console: rows a download or `ipgov sql --out FILE` writes, streamed to the file"
            " (XLSX stops at Excel's 1,048,575)."
        ),
    )
    sql_export_time_limit_seconds: float = Field(
        120,
        gt=0,
        description=(
            "SQL console: a download or `ipgov sql --out` (or `--format csv` to stdout) still"
            " running after this long is stopped; the `--out` file is left as it was."
        ),
    )
    download_max_mb: int = Field(
        100,
        ge=1,
        description=(
            "Dashboard downloads (the SQL page's CSV, XLSX, Parquet; record lists' CSV) hold at"
            " most this many MiB (1 MiB = 1,048,576 bytes) and the page says when a file was or"
            " will be cut there. The server"
            " keeps each download in memory while it is served, so this bounds what one click"
            " costs; `ipgov sql --out FILE` writes to disk and stops at 1 GiB instead."
        ),
    )
    upload_max_mb: int = Field(
        200,
        ge=1,
        description=(
            "Upload page: the largest file (MiB) a steward may upload; a bigger one is refused"
            " with a message and not saved. `ipgov serve` sets Streamlit's own"
            " `server.maxUploadSize` to this plus 1 MiB (a multipart request's framing) and the"
            " file picker to this, so Streamlit never refuses a file this allows."
        ),
    )
    upload_expire_hours: float = Field(
        24,
        gt=0,
        description=(
            "Upload page: a folder of uploaded files (`<warehouse folder>/uploads/<id>/`) that"
            " nobody published, discarded or touched for this many hours (a closed tab) is"
            " removed when the page runs or `ipgov serve` starts; never the current session's."
        ),
    )
    sql_memory_limit: str = Field(
        "1GB",
        description=(
            "SQL console: memory one query may use (DuckDB size, e.g. `512MB`); nothing spills"
            " to disk, a bigger query is stopped."
        ),
        **_SIZE,
    )
    sql_threads: int = Field(
        2,
        gt=0,
        description=(
            "SQL console: threads one query may use, so one analyst cannot take every core."
        ),
    )
    sql_process_memory_mb: int = Field(
        2048,
        ge=256,
        description=(
            "SQL console: resident memory (MB) of the worker process that runs one query. DuckDB's"
            " memory limit does not cover every allocation (a huge list or string per row), so"
            " past this the worker is killed and the query stopped; the dashboard never grows."
            " Keep it above `IPGOV_SQL_MEMORY_LIMIT` plus about 300 MB."
        ),
    )
    sql_workers: int = Field(
        4,
        gt=0,
        description=(
            "SQL console: queries that may run at once, each in its own worker process (at most"
            " this many times `IPGOV_SQL_PROCESS_MEMORY_MB` in all); one more waits for a free"
            " worker up to the time limit."
        ),
    )
    chromium: str = Field(
        "auto",
        json_schema_extra={"expected": "auto, or a file path", "expected_zh": "auto 或文件路径"},
        description=(
            "Chromium (or Chrome) that `ipgov brief` and the Quarterly briefing page export"
            " charts with (kaleido); `auto` uses `/usr/bin/chromium`, else a"
            " `chromium`/`google-chrome` on `PATH`. Install with"
            " `apt-get install -y chromium fonts-noto-cjk`."
        ),
    )
    district: str = Field(
        "本区",
        description=(
            "District name on the quarterly briefing's cover, page headers and file names"
            ' (e.g. `花都区`); the default reads "This district" in English.'
        ),
    )
    issuer: str = Field(
        "",
        description=(
            "The unit that issues the quarterly briefing, printed on its cover (e.g."
            " `花都区知识产权快速维权中心`); empty: the district's name followed by"
            ' 知识产权保护中心 ("IP protection center").'
        ),
    )
    target_takedown_within_2wd: float = Field(
        0.90,
        description=(
            "Target share of takedown notices removed within 2 working days. The Overview shows"
            " the share green at or above it, amber up to `IPGOV_TARGET_WATCH_POINTS` below it,"
            " red further down."
        ),
        **_SHARE,
    )
    target_opinion_within_2wd: float = Field(
        0.95,
        description=(
            "Target share of advisory opinions issued within 2 working days of accepting the"
            " case (the center's second public promise); same colours."
        ),
        **_SHARE,
    )
    target_watch_points: float = Field(
        5,
        ge=0,
        le=100,
        description=(
            "How many percentage points below its target a share may be and still show amber"
            ' ("watch") rather than red.'
        ),
    )
    attention_case_open_days: int = Field(
        90,
        ge=0,
        description=(
            "Open cases older than this many calendar days are listed under the Overview's"
            ' "needs attention".'
        ),
    )
    # --- the supervision worklist's deadlines and the alerts (issue 16) ------------------------
    # One place for every deadline: dashboard/targets.py reads these for the Overview, the
    # 督办 worklist and `ipgov alerts run` alike (docs/kpis.md, "Deadlines").
    deadline_takedown_workdays: int = Field(
        2,
        ge=0,
        description=(
            "Working days a takedown notice's listing may stay live (the center's public"
            " promise: removed within 2 working days). A live listing past it is late on the"
            " 督办 worklist and in the alerts."
        ),
    )
    deadline_opinion_workdays: int = Field(
        2,
        ge=0,
        description=(
            "Working days from accepting an advisory-opinion case to its opinion (the second"
            " public promise: within 2 working days); past it the case is late on the worklist."
        ),
    )
    deadline_referral_workdays: int = Field(
        30,
        ge=0,
        description=(
            "Working days a case referred out may wait for the partner's answer (the referral"
            " finished) before the worklist lists it as late. No public promise: the default is"
            " about the sample's 75th percentile (median 25, P90 62)."
        ),
    )
    worklist_near_workdays: int = Field(
        1,
        ge=0,
        description=(
            "An open item whose deadline falls within this many working days of the data's"
            " last day is listed as due soon (1: due on that day); 0 lists late items only."
        ),
    )
    public_url: str = Field(
        "http://localhost:8501",
        description=(
            "The dashboard's address as its readers open it (e.g. `https://ipgov.example.gov.cn`):"
            " the worklist's record links and the alerts' links start with it."
        ),
    )
    smtp_host: str = Field(
        "",
        description=(
            "SMTP server `ipgov alerts run` sends its e-mail digests through (the office's"
            " relay); empty: no e-mail is sent."
        ),
    )
    smtp_port: int = Field(
        25,
        ge=1,
        le=65535,
        description="Port of `IPGOV_SMTP_HOST` (25, 587 with STARTTLS, 465 with SSL).",
    )
    smtp_tls: str = Field(
        "starttls",
        description=(
            "How the alerts' SMTP connection is encrypted: `starttls` (upgrade a plain"
            " connection, refused if the server cannot), `ssl` (TLS from the start, port 465)"
            " or `none` (a relay on the same trusted network only)."
        ),
        pattern=r"^(starttls|ssl|none)$",
        json_schema_extra={
            "expected": "starttls, ssl or none",
            "expected_zh": "starttls、ssl 或 none",
        },
    )
    smtp_ca_file: str = Field(
        "",
        description=(
            "Certificate authorities (a PEM bundle) the alerts trust for the SMTP server's"
            " certificate, instead of the system store: the office's internal CA when its relay's"
            " certificate is signed by one. Empty: the system store. The certificate is always"
            " checked (authority and host name); an untrusted one fails the send, nothing is"
            " sent."
        ),
        json_schema_extra={
            "expected": "empty, or a file path (a PEM file)",
            "expected_zh": "空，或文件路径（PEM 文件）",
        },
    )
    smtp_user: str = Field(
        "",
        description=(
            "User name the alerts sign in to the SMTP server with (SMTP AUTH); empty: no"
            " sign-in. Its password comes from `IPGOV_SMTP_PASSWORD_FILE` (better) or"
            " `IPGOV_SMTP_PASSWORD`; it is only ever sent over an encrypted connection"
            " (`IPGOV_SMTP_TLS` starttls or ssl), never with `none`."
        ),
    )
    smtp_password: SecretStr = Field(
        SecretStr(""),
        description=(
            "The SMTP password itself. Prefer `IPGOV_SMTP_PASSWORD_FILE`: a variable is seen by"
            " whoever can read the process's environment. Never logged or recorded."
        ),
        json_schema_extra={"expected": "text", "expected_zh": "文本"},
    )
    smtp_password_file: str = Field(
        "",
        description=(
            "A file holding the SMTP password (one line; a final newline is ignored), readable"
            " by the service user only (`chmod 600`), read at each send; set this or"
            " `IPGOV_SMTP_PASSWORD`, not both"
            " ([operations.md](operations.md#alerts-cron-or-a-systemd-timer))."
        ),
        json_schema_extra={
            "expected": "empty, or a file path",
            "expected_zh": "空，或文件路径",
        },
    )
    smtp_timeout_seconds: float = Field(
        10,
        gt=0,
        description="Seconds the alerts wait for the SMTP server or a webhook before a send fails.",
    )
    alert_from: str = Field(
        "ipgov@localhost",
        description="Sender address (From) of the alerts' e-mail digests.",
    )
    alert_max_attempts: int = Field(
        5,
        ge=1,
        description=(
            "Attempts (one per run of `ipgov alerts run`) a send that keeps failing gets before it"
            " is given up; the Alerts page shows it given up and an admin may re-queue it, which"
            " gives it as many attempts again."
        ),
    )
    alert_to: str = Field(
        "",
        description=(
            "E-mail addresses (comma-separated) of the `default` recipient group, besides those"
            " an admin adds on the Alerts page; empty: none from the settings."
        ),
    )
    alert_webhook: str = Field(
        "",
        description=(
            "Group-robot webhook URL (WeCom 企业微信 or DingTalk 钉钉) of the `default` recipient"
            " group, sent a markdown message; empty: none from the settings."
        ),
    )


def env_name(name: str) -> str:
    """`snapshot_keep` → `IPGOV_SNAPSHOT_KEEP`."""
    return PREFIX + name.upper()


@dataclass(frozen=True)
class Setting:
    """One row of the settings table (docs/settings.md, tests that clear the environment)."""

    name: str
    default: str  # as documented and as one would write it in the environment
    help: str
    accepts: str  # the values it takes, as a bad value's error says

    @property
    def env(self) -> str:
        return env_name(self.name)


class SettingError(IpgovError):
    """An IPGOV_* variable holds a value its setting cannot take (`IPGOV_SNAPSHOT_KEEP=abc`).

    A user's mistake, not a bug: one line in English (str) and one in Chinese (`message_zh`),
    each naming every bad variable, its value and what it should be.
    """

    def __init__(self, problems: list[tuple[str, object, str, str]]) -> None:
        self.problems = problems  # (variable, value, expected, expected_zh)
        super().__init__(
            "; ".join(
                f"setting {var}={value!r} is not valid: expected {expected}"
                for var, value, expected, _ in problems
            )
        )
        self.message_zh = "；".join(
            f"设置 {var}={value!r} 无效：应为{expected_zh}"
            for var, value, _, expected_zh in problems
        )

    def message(self, lang: str) -> str:
        """The message in the reader's language ("zh" or anything else for English)."""
        return self.message_zh if lang == "zh" else str(self)


def _expected(field: FieldInfo) -> tuple[str, str]:
    """What a field accepts, in English and Chinese, from its type and bounds: the error then
    says what to write instead of pydantic's "Input should be ..."."""
    extra = field.json_schema_extra
    if isinstance(extra, dict) and "expected" in extra:
        return str(extra["expected"]), str(extra["expected_zh"])
    kinds = {
        int: ("a whole number", "整数"),
        float: ("a number", "数"),
        Path: ("a file path", "文件路径"),
    }
    kind, kind_zh = kinds.get(field.annotation, ("text", "文本"))
    low = high = None
    strict = False
    for bound in field.metadata:
        if isinstance(bound, annotated_types.Ge):
            low = bound.ge
        elif isinstance(bound, annotated_types.Gt):
            low, strict = bound.gt, True
        elif isinstance(bound, annotated_types.Le):
            high = bound.le
    if low is not None and high is not None:
        return f"{kind} from {low} to {high}", f"{low} 到 {high} 之间的{kind_zh}"
    if low is not None and strict:
        return f"{kind} greater than {low}", f"大于 {low} 的{kind_zh}"
    if low is not None:
        return f"{kind} of at least {low}", f"不小于 {low} 的{kind_zh}"
    return kind, kind_zh


SETTINGS: tuple[Setting, ...] = tuple(
    Setting(name, str(field.default), field.description or "", _expected(field)[0])
    for name, field in Settings.model_fields.items()
)
_NAMES = tuple(Settings.model_fields)

# Values that win over the environment inside `overridden(...)`, per thread: how a command-line
# option such as `ipgov brief --db` reaches code that reads the setting deep down (the
# dashboard's query layer) without writing os.environ, which every thread would see.
_OVERRIDES: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
    "ipgov_setting_overrides", default=None
)


@contextlib.contextmanager
def overridden(**values: Any) -> Iterator[None]:
    """Settings `values` win over IPGOV_* in this thread (and context) until the block ends."""
    for name in values:
        if name not in Settings.model_fields:
            raise KeyError(name)
    token = _OVERRIDES.set((_OVERRIDES.get() or {}) | values)
    try:
        yield
    finally:
        _OVERRIDES.reset(token)


def current() -> Settings:
    """The settings as they are now: `overridden` values, else IPGOV_<NAME>, else defaults.

    Read at call time, so a test's monkeypatch.setenv (or an operator's new environment) is
    seen by the next call; the object is cached by exactly those inputs, so calling this per
    query costs a dozen dict lookups, not a validation. Raises SettingError for a bad value.
    """
    overrides = _OVERRIDES.get() or {}
    raw = tuple(
        (name, overrides[name]) if name in overrides else (name, os.environ.get(env_name(name)))
        for name in _NAMES
    )
    return _validated(raw)


@functools.lru_cache(maxsize=64)
def _validated(raw: tuple[tuple[str, object], ...]) -> Settings:
    given = {name: value for name, value in raw if value is not None}
    try:
        return Settings(**given)
    except ValidationError as e:
        problems = []
        for error in e.errors():
            name = str(error["loc"][0])
            field = Settings.model_fields[name]
            problems.append((env_name(name), given.get(name), *_expected(field)))
        raise SettingError(problems) from None


def db_path() -> Path:
    """The ingest warehouse file (IPGOV_DB, or a command's --db through `overridden`)."""
    return current().db


def quiet_libraries() -> None:
    """Environment for libraries imported lazily: Great Expectations must send no usage
    analytics from a government machine (STACK-NOTES.md). A value the operator set wins."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
