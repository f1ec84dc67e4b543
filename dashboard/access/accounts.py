"""Accounts: local ones (add, list, change role, disable, reset a password, the sign-in check
with its lockout) and single sign-on ones (made at their first sign-in, `sso_account`). Names
are unique whatever their case; passwords are hashed (passwords.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dashboard.access import passwords
from dashboard.access.roles import check_role
from etl import appdb, settings, warehouse
from etl.errors import IpgovError

MAX_NAME_CHARS = 64


@dataclass(frozen=True)
class Account:
    name: str
    role: str | None  # None: no role yet (a single sign-on user an admin has not given one)
    source: str
    disabled: bool
    locked_until: str | None
    created_at: str

    @property
    def active(self) -> bool:
        return not self.disabled


class SignInRefused(IpgovError):
    """A sign-in that did not succeed; `reason` says which kind (for the audit trail), the
    message says nothing that tells a stranger which names exist."""

    def __init__(self, reason: str, user: str) -> None:
        super().__init__(reason)
        self.reason = reason  # wrong | locked | disabled
        self.user = user


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


_COLUMNS = "name, role, source, disabled_at is not null, locked_until, created_at"


def _check_name(name: str) -> str:
    name = name.strip()
    if (
        not name
        or len(name) > MAX_NAME_CHARS
        or any(c.isspace() or not c.isprintable() for c in name)
    ):
        raise IpgovError(
            f"a user name is 1 to {MAX_NAME_CHARS} printable characters without spaces"
        )
    return name


def add(paths: warehouse.WarehousePaths, name: str, role: str, password: str) -> Account:
    """A new local account; IpgovError if the name is taken or the password too weak."""
    name = _check_name(name)
    try:
        check_role(role)
    except ValueError as e:
        raise IpgovError(str(e)) from e
    weak = passwords.weakness(password, name)
    if weak:
        raise IpgovError(weak)
    now = _iso(_now())
    with appdb.connect(paths) as con:
        if con.execute("select 1 from users where name = ?", (name,)).fetchone():
            raise IpgovError(f"there is already a user {name!r}")
        con.execute(
            "insert into users (name, role, role_source, password_hash, source, created_at, "
            "updated_at) values (?, ?, 'admin', ?, 'local', ?, ?)",
            (name, role, passwords.hash_password(password), now, now),
        )
    return get(paths, name)


def get(paths: warehouse.WarehousePaths, name: str) -> Account:
    with appdb.connect(paths) as con:
        row = con.execute(f"select {_COLUMNS} from users where name = ?", (name,)).fetchone()
    if row is None:
        raise IpgovError(f"there is no user {name!r}")
    return Account(row[0], row[1], row[2], bool(row[3]), row[4], row[5])


def find(paths: warehouse.WarehousePaths, name: str) -> Account | None:
    try:
        return get(paths, name)
    except IpgovError:
        return None


def listed(paths: warehouse.WarehousePaths) -> list[Account]:
    if not paths.app_db.exists():
        return []
    with appdb.connect(paths) as con:
        rows = con.execute(f"select {_COLUMNS} from users order by name").fetchall()
    return [Account(r[0], r[1], r[2], bool(r[3]), r[4], r[5]) for r in rows]


def any_active(paths: warehouse.WarehousePaths) -> bool:
    """Whether anyone could sign in (`ipgov serve` refuses to start without one): an account
    neither disabled nor without a role."""
    return any(a.active and a.role for a in listed(paths))


def _update(paths: warehouse.WarehousePaths, name: str, sql: str, params: tuple) -> Account:
    with appdb.connect(paths) as con:
        changed = con.execute(sql, (*params, _iso(_now()), name)).rowcount
    if not changed:
        raise IpgovError(f"there is no user {name!r}")
    return get(paths, name)


def set_role(paths: warehouse.WarehousePaths, name: str, role: str) -> Account:
    try:
        check_role(role)
    except ValueError as e:
        raise IpgovError(str(e)) from e
    return _update(
        paths,
        name,
        "update users set role = ?, role_source = 'admin', updated_at = ? where name = ?",
        (role,),
    )


def set_disabled(paths: warehouse.WarehousePaths, name: str, disabled: bool) -> Account:
    """Disable (sessions.end_for_user ends its open sessions) or enable an account."""
    return _update(
        paths,
        name,
        "update users set disabled_at = ?, failed_signins = 0, locked_until = null, "
        "updated_at = ? where name = ?",
        (_iso(_now()) if disabled else None,),
    )


def reset_password(paths: warehouse.WarehousePaths, name: str, password: str) -> Account:
    """A new password; unlocks the account (its sessions are ended by the caller)."""
    weak = passwords.weakness(password, name)
    if weak:
        raise IpgovError(weak)
    return _update(
        paths,
        name,
        "update users set password_hash = ?, failed_signins = 0, locked_until = null, "
        "updated_at = ? where name = ?",
        (passwords.hash_password(password),),
    )


def authenticate(paths: warehouse.WarehousePaths, name: str, password: str) -> Account:
    """The account if `password` is its password and it may sign in, else SignInRefused.

    Each wrong password counts; the IPGOV_SIGNIN_MAX_FAILURES-th in a row locks the account for
    IPGOV_SIGNIN_LOCKOUT_MINUTES (a locked account refuses even the right password, so guessing
    cannot go on). A wrong name costs the same hash as a wrong password."""
    now = _now()
    s = settings.current()
    refused: SignInRefused | None = None
    with appdb.connect(paths) as con:  # the failure count is committed before refusing
        row = con.execute(
            "select name, password_hash, disabled_at, failed_signins, locked_until "
            "from users where name = ?",
            (name.strip(),),
        ).fetchone()
        if row is None:
            passwords.verify(None, password)
            raise SignInRefused("wrong", name.strip())
        user, password_hash, disabled_at, failures, locked_until = row
        if locked_until and dt.datetime.fromisoformat(locked_until) > now:
            raise SignInRefused("locked", user)
        good = passwords.verify(password_hash, password)
        if disabled_at:
            raise SignInRefused("disabled", user)
        if good:
            con.execute(
                "update users set failed_signins = 0, locked_until = null where name = ?", (user,)
            )
        else:
            failures += 1
            lock = failures >= s.signin_max_failures
            con.execute(
                "update users set failed_signins = ?, locked_until = ? where name = ?",
                (
                    0 if lock else failures,
                    _iso(now + dt.timedelta(minutes=s.signin_lockout_minutes)) if lock else None,
                    user,
                ),
            )
            refused = SignInRefused("locked" if lock else "wrong", user)
    if refused is not None:
        raise refused
    return get(paths, user)


def sso_account(
    paths: warehouse.WarehousePaths, name: str, claimed_role: str | None
) -> tuple[Account, str | None, bool]:
    """The account of a single sign-on user after a sign-in whose claims map to `claimed_role`
    (None: to no role); also its role before, and whether it was made now.

    Made on the first sign-in (source `sso`, no password). Its role then follows the claims
    when they map to one: the office's directory says who is an analyst. When they map to none,
    a role an admin gave (`ipgov users set-role`) stays, and one the claims gave before is
    taken away (someone moved out of the group loses what the group gave). A local account of
    the same name is never taken over: SignInRefused("local_account")."""
    name = _check_name(name)
    now = _iso(_now())
    with appdb.connect(paths) as con:
        row = con.execute(
            "select name, role, role_source, source, disabled_at from users where name = ?",
            (name,),
        ).fetchone()
        if row is None:
            con.execute(
                "insert into users (name, role, role_source, password_hash, source, created_at, "
                "updated_at) values (?, ?, ?, null, 'sso', ?, ?)",
                (name, claimed_role, "claim" if claimed_role else None, now, now),
            )
            before, made = None, True
        else:
            user, before, role_source, source, disabled_at = row
            made = False
            if source != "sso":
                raise SignInRefused("local_account", user)
            if disabled_at:
                raise SignInRefused("disabled", user)
            role, source_now = before, role_source
            if claimed_role:
                role, source_now = claimed_role, "claim"
            elif role_source == "claim":
                role, source_now = None, None
            if (role, source_now) != (before, role_source):
                con.execute(
                    "update users set role = ?, role_source = ?, updated_at = ? where name = ?",
                    (role, source_now, now, user),
                )
            name = user
    return get(paths, name), before, made
