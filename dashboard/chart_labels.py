"""Labels the chart builders (dashboard/charts.py) show, zh and en: merged into the one
catalogue of dashboard/i18n.py, kept apart so the charts' vocabulary lives beside the charts."""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {}
