"""Single sign-on: which OIDC provider (Streamlit's `[auth]` section), how a sign-in's claims
map to a role (`[ipgov.sso]`), and the exchange of one verified identity for an ipgov session.

Both sections live in one TOML file named by IPGOV_AUTH_SECRETS, outside the package, so an
operator configures the office's provider without editing ipgov's files (docs/security.md,
"Single sign-on"). Streamlit runs the OIDC protocol (Authlib: discovery, PKCE, the ID token's
signature, issuer, audience, expiry and nonce); this module only decides what a verified
identity may do, so it needs no Streamlit and writes no crypto. dashboard/oidc.py reads
Streamlit's identity cookie and calls `exchange`.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dashboard.access import accounts, audit, sessions
from dashboard.access.roles import ROLES
from etl import appdb, settings, warehouse
from etl.errors import IpgovError

MAX_CLAIM_VALUES = 50  # a claim's values kept in an audit row (a user in 2,000 groups)
PROVIDER_KEYS = ("client_id", "client_secret", "server_metadata_url")


@dataclass(frozen=True)
class SsoConfig:
    """What the TOML file says. `auth` is handed to Streamlit as its `[auth]` secrets."""

    provider: str  # "default" (keys directly in [auth]) or the name of an [auth.<name>] table
    label: str  # the button reads "Sign in with <label>"
    name_claim: str  # the claim whose value is the account's name
    role_claim: str  # the claim whose values (a string or a list of them) map to a role
    roles: dict[str, str]  # claim value → role
    auth: dict[str, Any] = field(repr=False)  # holds the client secret and cookie secret


def _provider(auth: dict[str, Any], named: str | None, path: Path) -> str:
    tables = [k for k, v in auth.items() if isinstance(v, dict) and "client_id" in v]
    if named:
        if named != "default" and named not in tables:
            raise IpgovError(f"{path}: [ipgov.sso] provider {named!r} has no [auth.{named}] table")
        return named
    if "client_id" in auth:
        return "default"
    if len(tables) == 1:
        return tables[0]
    raise IpgovError(
        f"{path}: [auth] names {len(tables)} providers; say which in [ipgov.sso] provider"
    )


def parse(text: str, path: Path) -> SsoConfig:
    """The configuration in `text` (the file at `path`), or IpgovError saying what is wrong."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise IpgovError(f"{path} is not valid TOML: {e}") from e
    auth = data.get("auth")
    if not isinstance(auth, dict):
        raise IpgovError(f"{path} has no [auth] section (Streamlit's OIDC settings)")
    for key in ("redirect_uri", "cookie_secret"):
        if not auth.get(key):
            raise IpgovError(f"{path}: [auth] needs {key}")
    if not str(auth["redirect_uri"]).endswith("/oauth2callback"):
        raise IpgovError(f"{path}: [auth] redirect_uri must end with /oauth2callback")
    ipgov = (data.get("ipgov") or {}).get("sso") or {}
    provider = _provider(auth, ipgov.get("provider"), path)
    section = auth if provider == "default" else auth[provider]
    missing = [k for k in PROVIDER_KEYS if not section.get(k)]
    if missing:
        raise IpgovError(f"{path}: the provider {provider!r} needs {', '.join(missing)}")
    roles = ipgov.get("roles") or {}
    if not isinstance(roles, dict):
        raise IpgovError(f"{path}: [ipgov.sso] roles is a table of claim value = role")
    for value, role in roles.items():
        if role not in ROLES:
            raise IpgovError(
                f"{path}: [ipgov.sso] roles maps {value!r} to {role!r}, "
                f"not one of {', '.join(ROLES)}"
            )
    return SsoConfig(
        provider=provider,
        label=str(ipgov.get("label") or provider),
        name_claim=str(ipgov.get("name_claim") or "email"),
        role_claim=str(ipgov.get("role_claim") or "groups"),
        roles={str(k): str(v) for k, v in roles.items()},
        auth=auth,
    )


@functools.lru_cache(maxsize=4)
def _load(path: Path, mtime_ns: int) -> SsoConfig:
    return parse(path.read_text(encoding="utf-8"), path)


def current() -> SsoConfig | None:
    """The configuration IPGOV_AUTH_SECRETS names, None when it names none (local accounts
    only). Read again when the file changes."""
    if not settings.current().auth_secrets.strip():
        return None
    path = Path(settings.current().auth_secrets.strip())
    try:
        return _load(path, path.stat().st_mtime_ns)
    except OSError as e:
        raise IpgovError(f"cannot read IPGOV_AUTH_SECRETS={path}: {e.strerror}") from e


def provider_table(config: SsoConfig) -> dict[str, Any]:
    """The provider's keys (client_id, server_metadata_url …): `[auth]` itself or its
    `[auth.<name>]` table."""
    return config.auth if config.provider == "default" else config.auth[config.provider]


def claim_values(claims: dict[str, Any], claim: str) -> list[str]:
    """A claim's values: a string is one value, a list its strings; anything else none."""
    value = claims.get(claim)
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def mapped_role(config: SsoConfig, claims: dict[str, Any]) -> tuple[str | None, str | None]:
    """The role the claims map to and the claim value that gave it; of several, the highest
    role wins (someone in both the analysts' and the admins' group is an admin), so the order
    of groups in a token never matters. (None, None): no value is mapped."""
    best: tuple[str | None, str | None] = (None, None)
    for value in claim_values(claims, config.role_claim):
        role = config.roles.get(value)
        if role and (best[0] is None or ROLES.index(role) > ROLES.index(best[0])):
            best = (role, value)
    return best


def account_name(config: SsoConfig, claims: dict[str, Any]) -> str | None:
    """The account's name: the `name_claim` (default `email`). An email the provider says is
    not verified names nobody: anyone could have typed it."""
    value = claims.get(config.name_claim)
    if not isinstance(value, str) or not value.strip():
        return None
    if config.name_claim == "email" and claims.get("email_verified") is False:
        return None
    return value.strip()


@dataclass(frozen=True)
class Outcome:
    """What one exchange gave: a session (`token`), an account with no role, or a refusal."""

    kind: str  # ok | no_role | refused
    user: str | None
    role: str | None = None
    token: str | None = None
    reason: str | None = None  # refused: replayed | no_name | local_account | disabled


def first_use(paths: warehouse.WarehousePaths, identity: bytes) -> bool:
    """Record that this identity (Streamlit's decoded identity cookie) is being exchanged;
    False if it was before: a copied cookie starts no second session."""
    digest = hashlib.sha256(identity).hexdigest()
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    with appdb.connect(paths) as con:
        inserted = con.execute(
            "insert or ignore into sso_exchanges (identity_sha256, at) values (?, ?)",
            (digest, now),
        ).rowcount
    return inserted == 1


def exchange(
    paths: warehouse.WarehousePaths, config: SsoConfig, claims: dict[str, Any], identity: bytes
) -> Outcome:
    """Turn a verified identity into an ipgov session (or say why not), with its audit rows.

    `claims` are the ID token's claims as Streamlit verified them; `identity` the cookie's
    decoded bytes, used once."""
    provider = str(claims.get("provider") or config.provider)
    name = account_name(config, claims)
    seen = {
        "method": "sso",
        "provider": provider,
        "claim": config.role_claim,
        "values": claim_values(claims, config.role_claim)[:MAX_CLAIM_VALUES],
    }

    def refused(reason: str, user: str | None) -> Outcome:
        audit.record(paths, user, "signin", outcome="refused", reason=reason, **seen)
        return Outcome("refused", user, reason=reason)

    if not first_use(paths, identity):
        return refused("replayed", name)
    if name is None:
        return refused("no_name", None)
    role, matched = mapped_role(config, claims)
    try:
        account, before, made = accounts.sso_account(paths, name, role)
    except accounts.SignInRefused as e:
        return refused(e.reason, e.user)
    except IpgovError:  # a name no account may have (too long, spaces)
        return refused("no_name", None)
    actor = f"sso:{provider}"
    if made:
        audit.record(paths, actor, "user_add", target=account.name, role=account.role, **seen)
    elif account.role != before:
        audit.record(
            paths, actor, "user_role", target=account.name, role=account.role, before=before
        )
    if account.role is None:
        audit.record(paths, account.name, "signin", outcome="refused", reason="no_role", **seen)
        return Outcome("no_role", account.name)
    token = sessions.start(paths, account.name)
    audit.record(paths, account.name, "signin", role=account.role, matched=matched, **seen)
    return Outcome("ok", account.name, account.role, token)
