"""The Data quality page's frames computed from the gate's marts: pure polars, no reads."""

from __future__ import annotations

import polars as pl


def narrow(frame: pl.DataFrame, **allowed: list[str]) -> pl.DataFrame:
    """Rows whose column is one of the allowed values; an empty list allows every value."""
    for column, values in allowed.items():
        if values:
            frame = frame.filter(pl.col(column).is_in(values))
    return frame


def quality_by_day(files: pl.DataFrame) -> pl.DataFrame:
    """Files judged per day and verdict, wide (one column per verdict) for a stacked bar chart."""
    counts = files.group_by("judged_on", "verdict").agg(pl.len().alias("files"))
    if counts.is_empty():
        return pl.DataFrame({"judged_on": []}, schema={"judged_on": pl.Date})
    wide = counts.pivot("verdict", index="judged_on", values="files")
    return wide.fill_null(0).sort("judged_on")


def quality_by_sender(files: pl.DataFrame, cells: pl.DataFrame) -> pl.DataFrame:
    """Per sender (and kind): files by verdict, open quarantined rows, the most frequent rule."""
    verdicts = files.group_by("sender", "kind").agg(
        pl.len().alias("files"),
        (pl.col("verdict") == "rejected").sum().alias("rejected"),
        (pl.col("verdict") == "quarantined").sum().alias("quarantined"),
    )
    open_cells = cells.filter(pl.col("status") == "open")
    rules = open_cells.group_by("sender", "kind").agg(
        pl.struct("source_file", "source_row").n_unique().alias("open_rows"),
        pl.col("rule").mode().first().alias("top_rule"),
    )
    return (
        verdicts.join(rules, on=["sender", "kind"], how="left")
        .with_columns(pl.col("open_rows").fill_null(0))
        .sort(["rejected", "open_rows", "files"], descending=True)
    )
