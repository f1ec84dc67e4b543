"""The process `ipgov serve` becomes: the dashboard's modules imported, then the Streamlit server.

Streamlit imports what a page script imports inside the first session's script run, so the
first visitor after a start paid ~0.5 s of imports (plotly, polars, the views) on top of the page
(docs/performance.md, "Dashboard pages"). Importing them here, before the server takes its first
session, moves that cost to start-up; the page scripts then find them in `sys.modules`.

    python -m dashboard.serve run dashboard/app.py [streamlit options]

It also sets the two server options every served dashboard wants (`SERVED`), so `ipgov serve`,
the browser tests and the benchmarks run the same server.
"""

from __future__ import annotations

import gc
import importlib
import pkgutil
import sys

import dashboard.views

# Options for a served dashboard, before any given on the command line (which win):
# - its code does not change under it: watching every imported module for edits cost each
#   session CPU on every run;
# - no gc.collect(2) after every script run (~0.1 s of CPU per page view): start-up objects are
#   frozen below, and Python's own generational collection still runs.
SERVED = ["--server.fileWatcherType", "none", "--runner.postScriptGC", "false"]


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

    args = sys.argv[1:]
    if args[:1] == ["run"]:
        args = ["run", *SERVED, *args[1:]]
    sys.exit(streamlit_cli.main(args=args, prog_name="streamlit"))


if __name__ == "__main__":
    main()
