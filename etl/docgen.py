"""Keeps the generated parts of the docs equal to the code they describe.

`python -m etl.docgen` rewrites the parts of docs/data-model.md between `<!-- fields:KIND -->`
and `<!-- /fields -->` (and `<!-- marts -->` … `<!-- /marts -->`) from the record kinds' schemas
and the SQL models, and the part of docs/settings.md between `<!-- settings -->` and
`<!-- /settings -->` from the fields of `etl.settings.Settings`, and etl/sql/references.json
(what each SQL model reads, so a load need not parse them: etl/transform.py); a test fails when
a file is out of date, so the code and the documents cannot drift apart.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from etl import settings, transform
from etl.sources import KINDS
from etl.sources.schema import RecordKind
from etl.transform import models

DOC = Path(__file__).resolve().parent.parent / "docs" / "data-model.md"
SETTINGS_DOC = DOC.with_name("settings.md")
_BLOCK = re.compile(
    r"(<!-- (fields:(\w+)|marts|settings) -->\n).*?(<!-- /(?:fields|marts|settings) -->)", re.S
)


def fields_table(kind: RecordKind) -> str:
    lines = [
        f"Grain: {kind.grain} Natural key: `{kind.key}`.",
        "",
        "| field | 中文表头 | type | required | meaning | codes |",
        "|---|---|---|---|---|---|",
    ]
    for c in kind.columns:
        meaning = c.doc + (" **Personal data.**" if c.pii and "Personal" not in c.doc else "")
        lines.append(
            f"| `{c.name}` | {c.zh} | {c.type} | {'yes' if c.required else ''} | {meaning} "
            f"| {c.code_domain or ''} |"
        )
    return "\n".join(lines) + "\n"


def marts_table() -> str:
    lines = ["| model | layer | materialized | what it is |", "|---|---|---|---|"]
    for layer in ("staging", "marts", "kpis"):
        for m in models(layer):
            lines.append(f"| `{m.name}` | {layer} | {m.materialized} | {m.description} |")
    return "\n".join(lines) + "\n"


def settings_table() -> str:
    """One row per setting: its variable, default, the values it takes (from its type and
    bounds) and its description (the field's own)."""
    lines = ["| variable | default | accepts | meaning |", "|---|---|---|---|"]
    for s in settings.SETTINGS:
        lines.append(f"| `{s.env}` | `{s.default}` | {s.accepts} | {s.help} |")
    return "\n".join(lines) + "\n"


def render(text: str) -> str:
    def block(match: re.Match[str]) -> str:
        if match.group(3):
            body = fields_table(KINDS[match.group(3)])
        elif match.group(2) == "settings":
            body = settings_table()
        else:
            body = marts_table()
        return match.group(1) + body + match.group(4)

    return _BLOCK.sub(block, text)


def main() -> int:
    for doc in (DOC, SETTINGS_DOC):
        doc.write_text(render(doc.read_text(encoding="utf-8")), encoding="utf-8")
        print(f"updated {doc}")
    references = transform.SQL_DIR / transform.REFERENCES_FILE
    references.write_text(transform.reference_file_text(), encoding="utf-8")
    print(f"updated {references}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
