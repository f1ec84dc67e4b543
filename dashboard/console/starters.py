"""The console's starter queries, from dashboard/console/starter_queries.sql (`-- name:` blocks
with `-- zh:` and `-- en:` titles), so analysts begin from questions that run."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

STARTER_FILE = Path(__file__).parent / "starter_queries.sql"


@dataclass(frozen=True)
class StarterQuery:
    key: str
    title_zh: str
    title_en: str
    sql: str

    def title(self, lang: str) -> str:
        return self.title_zh if lang == "zh" else self.title_en


_HEADER = re.compile(r"^--\s*(name|zh|en)\s*:\s*(.+?)\s*$")


def starter_queries() -> list[StarterQuery]:
    """The starter queries of dashboard/console/starter_queries.sql, one per `-- name:` block."""
    blocks: list[dict[str, Any]] = []
    for line in STARTER_FILE.read_text(encoding="utf-8").splitlines():
        header = _HEADER.match(line)
        if header and header.group(1) == "name":
            blocks.append({"name": header.group(2), "sql": []})
        elif header and blocks:
            blocks[-1][header.group(1)] = header.group(2)
        elif blocks:
            blocks[-1]["sql"].append(line)
    return [
        StarterQuery(
            b["name"],
            b.get("zh", b["name"]),
            b.get("en", b["name"]),
            "\n".join(b["sql"]).strip().rstrip(";").strip(),
        )
        for b in blocks
    ]
