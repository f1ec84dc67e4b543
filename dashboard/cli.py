"""The full `ipgov` command line: etl's commands plus those that need the dashboard's query layer
and chart builders (the briefing). It lives here because etl must never import the dashboard."""

from __future__ import annotations

from etl.cli import app

__all__ = ["app"]


def main() -> None:  # pragma: no cover - console entry point
    app()
