"""The one error type for a user's mistake: the CLI prints its message in one line and exits 2."""


class IpgovError(Exception):
    """A problem the user can fix (bad path, unreadable file, no data loaded yet)."""

    exit_code = 2


class FileRejected(IpgovError):
    """A whole source file cannot be loaded; nothing of it is written."""

    def __init__(
        self, path: str, reason: str, *, reason_zh: str | None = None, code: str = "unreadable"
    ) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason  # English, for analysts and logs
        self.reason_zh = reason_zh or reason  # Chinese, for the clerk who fixes the file
        self.code = code  # machine-readable fault, e.g. missing_columns (docs/quality.md)


class NoDataError(IpgovError):
    """No snapshot has been published yet for this warehouse."""


class DamagedSnapshotError(IpgovError):
    """The published snapshot, or `CURRENT` naming it, exists but cannot be read.

    Not a NoDataError: data was loaded, so "no data loaded yet" would mislead; the message names
    the file that broke, and a load publishes a fresh snapshot in its place. `kind` picks the
    dashboard's message (i18n `snapshot_<kind>`).
    """

    def __init__(self, path: object, kind: str, message: str) -> None:
        super().__init__(message)
        self.path = str(path)
        self.kind = kind  # damaged | no_permission | pointer
