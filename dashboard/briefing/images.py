"""Chart export for the pack: every figure as PNG and SVG through kaleido and the system
Chromium, in one browser session (a Chromium start costs about 2 s, each figure then a fraction
of a second)."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import plotly.graph_objects as go

from etl import settings
from etl.errors import IpgovError

# Charts are laid out at 800×450 CSS px (16:9; the dashboard's 13 px text prints at about 6 pt
# across the 132 mm a chart takes in the PDF, two areas with their charts to a page) and rendered
# at scale 3: PNGs are 2400×1350 px, about 460 dpi in the PDF. SVGs keep the layout size.
CHART_WIDTH, CHART_HEIGHT, CHART_SCALE = 800, 360, 3
CHROMIUM_MISSING = (
    "chart export needs Chromium: apt-get install -y chromium fonts-noto-cjk "
    "(or set IPGOV_CHROMIUM)"
)


def chromium_path() -> str:
    """IPGOV_CHROMIUM if set (it must exist), else /usr/bin/chromium, else one on PATH."""
    configured = settings.current().chromium
    if configured != "auto":
        if Path(configured).is_file():
            return configured
        raise IpgovError(CHROMIUM_MISSING)
    if Path("/usr/bin/chromium").is_file():
        return "/usr/bin/chromium"
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    raise IpgovError(CHROMIUM_MISSING)


def export_charts(
    figures: dict[str, go.Figure],
    folder: Path,
    formats: tuple[str, ...] = ("png", "svg"),
    sizes: dict[str, tuple[int, int]] | None = None,
) -> dict[str, dict[str, Path]]:
    """Write every figure in every format in ONE browser session: a Chromium start costs about
    2 s, each figure then a fraction of a second. One tab: on two cores a second tab was no
    faster (docs/performance.md). `sizes`: a layout size (px) for the figures not laid out at
    CHART_WIDTH×CHART_HEIGHT (the comparison's smaller chart). Returns {name: {format: path}}."""
    import kaleido  # lazy: it pulls in choreographer, only needed when charts are exported
    from choreographer.errors import BrowserFailedError, ChromeNotFoundError
    from kaleido.errors import JavascriptError, KaleidoError

    browser = chromium_path()
    folder.mkdir(parents=True, exist_ok=True)
    written: dict[str, dict[str, Path]] = {}
    specs = []
    for name, figure in figures.items():
        for fmt in formats:
            path = folder / f"{name}.{fmt}"
            written.setdefault(name, {})[fmt] = path
            scale = CHART_SCALE if fmt == "png" else 1  # an SVG keeps the layout size
            wide, high = (sizes or {}).get(name, (CHART_WIDTH, CHART_HEIGHT))
            opts = {"format": fmt, "width": wide, "height": high, "scale": scale}
            specs.append({"fig": figure, "path": path, "opts": opts})
    if not specs:
        return written
    # choreographer logs devtools messages it skips as errors with a traceback; they are not
    # failures (those raise), and a traceback on the terminal would look like one
    noisy = logging.getLogger("choreographer")
    level = noisy.level
    noisy.setLevel(logging.CRITICAL)
    try:
        for attempt in (1, 2):
            try:
                kaleido.write_fig_from_object_sync(
                    specs,
                    # mathjax off: no CDN fetch from an offline government machine
                    kopts={"path": browser, "mathjax": False, "n": 1, "timeout": 120},
                    cancel_on_error=True,
                )
                break
            except (JavascriptError, KaleidoError) as e:
                # On a busy machine kaleido once asked its page before the page's script had
                # run ("kaleido_scopes is not defined"): a fresh browser is tried once more
                # before the pack fails with a line, not a traceback
                if attempt == 2:
                    raise IpgovError(f"chart export failed in {browser}: {e}; try again") from e
    except ChromeNotFoundError as e:
        raise IpgovError(CHROMIUM_MISSING) from e
    except BrowserFailedError as e:
        raise IpgovError(f"{browser} did not start; {CHROMIUM_MISSING}") from e
    except TimeoutError as e:
        raise IpgovError(f"chart export timed out in {browser}; try again") from e
    finally:
        noisy.setLevel(level)
    return written
