"""How the console says no: one error type, `SqlRefused`, with a code the dashboard translates and
one English line (never a traceback), for a refused statement and for a run stopped by a limit."""

from __future__ import annotations

from etl.errors import IpgovError

REFUSAL_CODES = (
    "syntax",
    "encoding",
    "too_long",
    "too_complex",
    "uncheckable",
    "empty",
    "multiple",
    "statement",
    "function",
    "server_catalog",
    "time_limit",
    "memory_limit",
    "too_large",
    "busy",
    "crashed",
    "file_access",
    "not_found",
    "error",
)


class SqlRefused(IpgovError):
    """A statement the console will not run, or a run stopped by a limit.

    `code` (one of REFUSAL_CODES) and `values` let the dashboard say the same in Chinese; the
    message is English.
    """

    def __init__(self, code: str, message: str, **values: object) -> None:
        assert code in REFUSAL_CODES, code
        super().__init__(message)
        self.code = code
        self.values = values


def first_line(error: BaseException) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    if not lines:
        return type(error).__name__
    hint = next((line for line in lines[1:3] if line.lower().startswith("did you mean")), "")
    return f"{lines[0]} {hint}".strip()
