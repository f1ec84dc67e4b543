"""The docs say what the code does: every command, setting, KPI, field and model is documented."""

from __future__ import annotations

import re
from pathlib import Path

from typer.main import get_command

from dashboard.cli import app
from etl import docgen, settings
from etl.kpis import KPI_KEYS

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def test_data_model_tables_match_the_schemas():
    text = docgen.DOC.read_text(encoding="utf-8")
    assert docgen.render(text) == text, "run `python -m etl.docgen` and commit docs/data-model.md"


def test_every_cli_command_and_option_is_documented():
    cli_doc = (DOCS / "cli.md").read_text(encoding="utf-8")
    group = get_command(app)
    commands = []
    for name, command in group.commands.items():
        sub = getattr(command, "commands", None)  # a group (`ipgov users …`): each command
        commands += [(f"{name} {n}", c) for n, c in sub.items()] if sub else [(name, command)]
    for name, command in commands:
        assert f"`ipgov {name}" in cli_doc, name
        for param in command.params:
            for opt in param.opts:
                if opt.startswith("--") and opt != "--help":
                    assert opt in cli_doc, f"{name} {opt}"


def test_every_setting_is_documented():
    text = (DOCS / "settings.md").read_text(encoding="utf-8")
    for s in settings.SETTINGS:
        assert f"`IPGOV_{s.name.upper()}`" in text
        assert f"`{s.default}`" in text


def test_settings_table_matches_the_fields():
    text = docgen.SETTINGS_DOC.read_text(encoding="utf-8")
    assert "<!-- settings -->" in text
    assert docgen.render(text) == text, "run `python -m etl.docgen` and commit docs/settings.md"
    fields = {f"IPGOV_{name.upper()}" for name in settings.Settings.model_fields}
    named = set(re.findall(r"`(IPGOV_[A-Z0-9_]+)`", text))
    assert named == fields  # every documented variable is a setting, and every setting is there


def test_every_kpi_is_defined():
    text = (DOCS / "kpis.md").read_text(encoding="utf-8")
    for key in KPI_KEYS:
        assert re.search(rf"^\| `{key}` \|", text, re.M), key


def test_readme_starts_with_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)\n```", readme, re.S)
    assert blocks[0].endswith("ipgov demo")
    assert blocks[1].endswith("pytest")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    # CI runs the README's set-up, then the whole suite as its two tiers (fast first): together
    # `-m "not full"` and `-m full` are every test, so the README's `pytest` is what CI runs
    setup, _, command = blocks[1].rpartition(" && ")
    assert command == ".venv/bin/pytest"
    assert setup.replace("pip install -e", "pip install -q -e") + "\n" in ci
    tiers = [line for line in ci.splitlines() if line.startswith(command)]
    # the fast tier on every core (pytest-xdist), as the README tells a developer to run it
    assert tiers == [f'{command} -m "not full" -n auto', f"{command} -m full"]
    assert blocks[2] == tiers[0]
