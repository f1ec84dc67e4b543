"""The CJK font the pack needs (Noto Sans CJK SC: the PDF embeds it, the charts ask for it),
found before any work starts: without it the PDF cannot be written and Chinese in the charts
renders as boxes, so `build_brief` checks it first and writes nothing (issue 17)."""

from __future__ import annotations

from pathlib import Path

from etl.errors import IpgovError

FONT_MISSING = "the briefing needs the Noto Sans CJK font: apt-get install -y fonts-noto-cjk"
FONT_DIRS = (
    Path("/usr/share/fonts/opentype/noto"),  # Debian, Ubuntu (fonts-noto-cjk)
    Path("/usr/share/fonts/noto-cjk"),  # Arch
    Path("/usr/share/fonts/google-noto-cjk"),  # Fedora
)
NOTO_SC_INDEX = 2  # NotoSansCJK-*.ttc holds JP, KR, SC, TC, HK in this order


def cjk_fonts() -> tuple[Path, Path]:
    """(regular, bold) Noto Sans CJK collections; IpgovError(FONT_MISSING) when none is."""
    for folder in FONT_DIRS:  # read at call time: a test points it elsewhere
        regular, bold = folder / "NotoSansCJK-Regular.ttc", folder / "NotoSansCJK-Bold.ttc"
        if regular.is_file():
            return regular, bold if bold.is_file() else regular
    raise IpgovError(FONT_MISSING)
