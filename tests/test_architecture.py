"""Code rules kept by tools, run with the tests so CI and developers see the same verdict."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    found = BIN / name
    return str(found) if found.exists() else (shutil.which(name) or name)


def test_ruff_clean():
    result = subprocess.run([_tool("ruff"), "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_import_layers():
    """Pages never import duckdb or the warehouse; etl never imports the dashboard."""
    result = subprocess.run([_tool("lint-imports")], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_query_core_briefing_and_cli_start_without_streamlit():
    """`ipgov brief` and the briefing read through the query core: importing them must not
    import Streamlit (whose caches log "No runtime found" outside a server)."""
    code = (
        "import sys, dashboard.core, dashboard.console, dashboard.briefing, dashboard.cli; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'streamlit'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]", result.stdout + result.stderr


def test_only_the_warehouse_module_connects():
    offenders = [
        p.relative_to(ROOT)
        for p in [*ROOT.glob("etl/**/*.py"), *ROOT.glob("dashboard/**/*.py")]
        if "duckdb.connect(" in p.read_text(encoding="utf-8") and p.name != "warehouse.py"
    ]
    assert offenders == []


def test_only_settings_reads_the_environment():
    offenders = [
        p.relative_to(ROOT)
        for p in [*ROOT.glob("etl/**/*.py"), *ROOT.glob("dashboard/**/*.py")]
        if "os.environ" in p.read_text(encoding="utf-8") and p.name != "settings.py"
    ]
    assert offenders == [Path("dashboard/cli/server.py")]  # passes it on to streamlit, only
