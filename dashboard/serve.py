"""The process `ipgov serve` becomes: the dashboard's modules imported, then the Streamlit server.

Streamlit imports what a page script imports inside the first session's script run, so the
first visitor after a start paid ~0.5 s of imports (plotly, polars, the views) on top of the page
(docs/performance.md, "Dashboard pages"). Importing them here, before the server takes its first
session, moves that cost to start-up; the page scripts then find them in `sys.modules`.

    python -m dashboard.serve run dashboard/app.py [streamlit options]

It also sets the server options every served dashboard wants (`SERVED`, and Streamlit's upload
cap tied to IPGOV_UPLOAD_MAX_MB: `upload_options`), so `ipgov serve`, the browser tests and the
benchmarks run the same server; and it removes abandoned uploads before the first session.
"""

from __future__ import annotations

import gc
import importlib
import pkgutil
import sys

import dashboard.views
from dashboard import intake
from etl import settings

# Options for a served dashboard, before any given on the command line (which win):
# - its code does not change under it: watching every imported module for edits cost each
#   session CPU on every run;
# - no gc.collect(2) after every script run (~0.1 s of CPU per page view): start-up objects are
#   frozen below, and Python's own generational collection still runs.
SERVED = ["--server.fileWatcherType", "none", "--runner.postScriptGC", "false"]
# Streamlit refuses a request whose Content-Length exceeds server.maxUploadSize MiB, and a
# multipart request carries a little more than its file (boundaries, part headers): at our own
# limit exactly, a file we accept could be refused by Streamlit. One MiB covers the framing;
# the file picker itself is given our limit (dashboard/views/upload.py), so a browser is
# refused a bigger file before sending it.
UPLOAD_FRAMING_MB = 1


def upload_options() -> list[str]:
    """Streamlit's own upload cap: IPGOV_UPLOAD_MAX_MB plus the framing, never below ours."""
    return ["--server.maxUploadSize", str(settings.current().upload_max_mb + UPLOAD_FRAMING_MB)]


def preload() -> list[str]:
    """Import every page module (and with them charts, queries, plotly, polars, duckdb)."""
    names = [
        f"{dashboard.views.__name__}.{module.name}"
        for module in pkgutil.iter_modules(dashboard.views.__path__)
    ]
    for name in names:
        importlib.import_module(name)
    return names


def main() -> None:
    preload()
    # Streamlit runs gc.collect(2) after every script run; freezing what start-up built (the
    # imported modules of plotly, polars, pandas, streamlit) keeps each collection to the
    # objects of the sessions themselves (docs/performance.md: ~0.1 s of CPU per page view).
    gc.collect()
    gc.freeze()
    from streamlit.web import cli as streamlit_cli

    intake.expire()  # uploads abandoned while the server was down
    sys.exit(streamlit_cli.main(args=server_args(sys.argv[1:]), prog_name="streamlit"))


def server_args(args: list[str]) -> list[str]:
    """Streamlit's command line: `run` gets the served options first (those given win)."""
    if args[:1] == ["run"]:
        return ["run", *SERVED, *upload_options(), *args[1:]]
    return args


if __name__ == "__main__":
    main()
