"""Keeps docs/data-model.md's field tables equal to the record kinds' schemas.

`python -m etl.docgen` rewrites the parts between `<!-- fields:KIND -->` and `<!-- /fields -->`
(and `<!-- marts -->` … `<!-- /marts -->`); a test fails when the file is out of date, so the
schema in code and the document cannot drift apart.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from etl.sources import KINDS
from etl.sources.schema import RecordKind
from etl.transform import models

DOC = Path(__file__).resolve().parent.parent / "docs" / "data-model.md"
_BLOCK = re.compile(r"(<!-- (fields:(\w+)|marts) -->\n).*?(<!-- /(?:fields|marts) -->)", re.S)


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


def render(text: str) -> str:
    def block(match: re.Match[str]) -> str:
        body = fields_table(KINDS[match.group(3)]) if match.group(3) else marts_table()
        return match.group(1) + body + match.group(4)

    return _BLOCK.sub(block, text)


def main() -> int:
    text = DOC.read_text(encoding="utf-8")
    DOC.write_text(render(text), encoding="utf-8")
    print(f"updated {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
