"""A small real OpenID Connect provider for tests: discovery, an authorization endpoint that
approves whoever the test says is at the keyboard, a token endpoint that checks the client
secret, the code, the redirect URI and PKCE, and ID tokens signed RS256 with a key made for this
run (joserfc, which Authlib itself uses), published at the JWKS endpoint.

So the dashboard's single sign-on is tested against the protocol itself — Streamlit's and
Authlib's real client fetching discovery, redirecting, exchanging the code and verifying the
signature, issuer, audience, expiry and nonce — not against a stand-in of it.

    with OidcProvider(client_id="ipgov", client_secret="s3cret") as provider:
        provider.user = {"sub": "1", "email": "li@example.gov.cn", "groups": ["analysts"]}
        ... provider.issuer + "/.well-known/openid-configuration"
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey


class OidcProvider:
    """The provider, served on a free loopback port in a thread while the `with` block runs."""

    def __init__(self, client_id: str, client_secret: str) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.key = RSAKey.generate_key(2048, parameters={"kid": secrets.token_hex(4)})
        self.user: dict[str, Any] = {}  # the claims of whoever signs in next
        self.codes: dict[str, dict[str, Any]] = {}
        self.authorized: list[dict[str, str]] = []  # each /authorize request's parameters
        self.signed_out: list[dict[str, str]] = []  # each /logout request's parameters
        self.offers_signout = True  # whether discovery names an end_session_endpoint
        self.tokens_issued = 0
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.issuer = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> OidcProvider:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def metadata_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def metadata(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "scopes_supported": ["openid", "email", "profile"],
        } | ({"end_session_endpoint": f"{self.issuer}/logout"} if self.offers_signout else {})

    def logout(self, query: dict[str, str]) -> tuple[int, str]:
        """RP-initiated logout: a known client is sent back to its post-logout URI."""
        self.signed_out.append(query)
        if query.get("client_id") != self.client_id:
            return 400, "unknown client"
        return 302, query.get("post_logout_redirect_uri", "")

    def authorize(self, query: dict[str, str]) -> tuple[int, str]:
        """Approve the current user: a redirect back with a one-time code (or an OIDC error)."""
        self.authorized.append(query)
        redirect = query.get("redirect_uri", "")
        if query.get("client_id") != self.client_id or query.get("response_type") != "code":
            return 400, "unknown client or response type"
        if "openid" not in query.get("scope", "").split():
            return 400, "scope must include openid"
        code = secrets.token_urlsafe(16)
        self.codes[code] = {
            "user": dict(self.user),
            "nonce": query.get("nonce"),
            "redirect_uri": redirect,
            "challenge": query.get("code_challenge"),
            "method": query.get("code_challenge_method"),
        }
        return 302, f"{redirect}?{urlencode({'code': code, 'state': query.get('state', '')})}"

    def token(self, form: dict[str, str], authorization: str | None) -> tuple[int, dict]:
        """Exchange a code for an ID token, checking all a real provider checks."""
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        if authorization and authorization.startswith("Basic "):
            decoded = base64.b64decode(authorization[6:]).decode()
            client_id, _, client_secret = decoded.partition(":")
        if client_id != self.client_id or client_secret != self.client_secret:
            return 401, {"error": "invalid_client"}
        grant = self.codes.pop(form.get("code", ""), None)  # a code is good once
        if grant is None or form.get("grant_type") != "authorization_code":
            return 400, {"error": "invalid_grant"}
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return 400, {"error": "invalid_grant", "error_description": "redirect_uri"}
        if grant["challenge"]:
            verifier = form.get("code_verifier", "").encode()
            digest = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).rstrip(b"=")
            if grant["method"] != "S256" or digest.decode() != grant["challenge"]:
                return 400, {"error": "invalid_grant", "error_description": "PKCE"}
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": self.client_id,
            "iat": now,
            "exp": now + 300,
            **({"nonce": grant["nonce"]} if grant["nonce"] else {}),
            **grant["user"],
        }
        id_token = jwt.encode({"alg": "RS256", "kid": self.key.kid}, claims, self.key)
        self.tokens_issued += 1
        return 200, {
            "access_token": secrets.token_urlsafe(16),
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": id_token,
        }


def _handler(provider: OidcProvider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # quiet test output
            pass

        def _json(self, status: int, body: dict) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            if parts.path == "/.well-known/openid-configuration":
                self._json(200, provider.metadata())
            elif parts.path == "/jwks":
                self._json(200, KeySet([provider.key]).as_dict(private=False))
            elif parts.path in ("/authorize", "/logout"):
                answer = provider.authorize if parts.path == "/authorize" else provider.logout
                status, target = answer(query)
                self.send_response(status)
                if status == 302:
                    self.send_header("Location", target)
                self.send_header("Content-Length", "0")
                self.end_headers()
            else:
                self._json(404, {"error": "not_found"})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            if urlsplit(self.path).path != "/token":
                self._json(404, {"error": "not_found"})
                return
            status, body = provider.token(form, self.headers.get("Authorization"))
            self._json(status, body)

    return Handler


def secrets_toml(provider: OidcProvider, port: int | None = None, **sso: Any) -> str:
    """An IPGOV_AUTH_SECRETS file for `provider`: Streamlit's [auth] (redirect_uri on the
    dashboard's port, `{port}` letting Streamlit fill it in) and ipgov's [ipgov.sso]."""
    redirect = f"http://127.0.0.1:{port or '{port}'}/oauth2callback"
    lines = [
        "[auth]",
        f'redirect_uri = "{redirect}"',
        f'cookie_secret = "{secrets.token_hex(32)}"',
        f'client_id = "{provider.client_id}"',
        f'client_secret = "{provider.client_secret}"',
        f'server_metadata_url = "{provider.metadata_url}"',
        "",
        "[ipgov.sso]",
    ]
    roles = sso.pop("roles", {})
    for key, value in sso.items():
        lines.append(f"{key} = {json.dumps(value, ensure_ascii=False)}")
    mapping = ", ".join(f"{json.dumps(k)} = {json.dumps(v)}" for k, v in roles.items())
    lines.append(f"roles = {{ {mapping} }}")
    return "\n".join(lines) + "\n"
