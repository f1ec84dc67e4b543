"""Great Expectations where it is good: the oracle the engine is held to, and the data docs.

GX is not on the load path's judging (etl/gate/engine.py says why). It does two jobs:

* **Oracle** (`gx_failures`): the committed suite run by GX's pandas engine on the frame the
  engine's `helper_frame_sql` selects — the same parsed cells and helper columns, so there is
  one cell parser, the SQL one. tests/test_gate_oracle.py asserts GX and the engine find the
  same failures (row, column, rule, expectation type) on every file of the fault corpus and the
  sample.
* **Data docs** (`DataDocs`): GX renders its HTML site from validation results; here those
  results are built from the engine's per-expectation outcome (`ExpectationValidationResult`
  per rule: success, rows checked, rows failed, the first failing rows) and stored in an
  ephemeral context's validation results store before `build_data_docs`. The site shows the
  suites and every file of the load with each rule's verdict and counts; unlike a GX-run page
  it lists no unexpected values (the engine does not fetch them: the JSON report and the Data
  quality page show each bad cell, personal data masked).

GX takes about 2 s (CPU) to import, so it is imported only here, only when needed.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from etl import settings
from etl.sources.schema import ROW

if TYPE_CHECKING:
    import pandas as pd

SITE = "ipgov"
PARTIAL_ROWS = 20  # failing rows listed per rule in the data docs, as GX's partial lists


def _context(docs_dir: Path | None = None) -> Any:
    """An ephemeral GX context, quiet, with our data docs site when `docs_dir` is given."""
    settings.quiet_libraries()
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    if docs_dir is not None:
        context.add_data_docs_site(
            SITE,
            {
                "class_name": "SiteBuilder",
                "show_how_to_buttons": False,
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    # GX refuses a relative folder ("base_directory must be an absolute
                    # path"), and `--db data/warehouse.duckdb` (the README's) makes one
                    "base_directory": str(docs_dir.resolve()),
                },
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            },
        )
    return context


# ------------------------------------------------------------------------------------------------
# Oracle
# ------------------------------------------------------------------------------------------------


def to_pandas(frame: pl.DataFrame) -> pd.DataFrame:
    """Numbers as float64, everything else as Python objects with None for empty.

    GX compares Python date/datetime objects several times faster than datetime64 columns, and
    object columns keep one meaning of "missing" (None) across pandas versions.
    """
    import pandas as pd

    data: dict[str, Any] = {}
    for name, dtype in frame.schema.items():
        series = frame[name]
        if name == ROW:
            data[name] = series.to_numpy()
        elif dtype.is_numeric():
            data[name] = series.cast(pl.Float64).to_numpy()
        else:
            data[name] = pd.Series(series.to_list(), dtype=object)
    return pd.DataFrame(data)


def gx_failures(
    frame: pl.DataFrame, suite: dict[str, Any], parameters: dict[str, Any], label: str = "file"
) -> tuple[set[tuple[int, str, str, str]], dict[str, int]]:
    """GX's verdict on `frame` (engine.helper_frame_sql's rows): every failing (ROW, column,
    rule, expectation type), and the failed rows per rule. Raises when GX cannot evaluate a
    rule."""
    import great_expectations as gx

    context = _context()
    context.data_sources.add_pandas("oracle")
    suite_gx = context.suites.add(gx.ExpectationSuite(**suite))
    asset = context.data_sources.get("oracle").add_dataframe_asset(label)
    batch = asset.add_batch_definition_whole_dataframe("file")
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name=label, data=batch, suite=suite_gx)
    )
    outcome = definition.run(
        batch_parameters={"dataframe": to_pandas(frame)},
        expectation_parameters=parameters,
        result_format={"result_format": "COMPLETE", "unexpected_index_column_names": [ROW]},
    )
    found: set[tuple[int, str, str, str]] = set()
    failed: dict[str, int] = {}
    for check in outcome.results:
        config = check.expectation_config
        meta = config.meta or {}
        info = check.exception_info or {}
        if info.get("raised_exception"):
            raise RuntimeError(f"{config.type}: {info.get('exception_message')}")
        unexpected = check.result.get("unexpected_index_list") or []
        failed[f"{meta['rule']}@{meta['column']}"] = len(unexpected)
        for item in unexpected:
            found.add((int(item[ROW]), meta["column"], meta["rule"], config.type))
    return found, failed


# ------------------------------------------------------------------------------------------------
# Data docs
# ------------------------------------------------------------------------------------------------


@dataclass
class _Judged:
    label: str
    suite: dict[str, Any]
    rules: dict[int, dict[str, Any]]  # position in the suite → engine.judge's summary
    rows_read: int
    failing_rows: dict[int, list[int]]  # position in the suite → its first failing rows


class DataDocs:
    """GX's HTML data docs for the files of one load, rendered from the engine's results."""

    def __init__(self, docs_dir: Path, run_name: str, today: dt.date) -> None:
        self.docs_dir = docs_dir
        self.run_name = run_name
        self.today = today
        self._files: list[_Judged] = []

    def add(
        self,
        label: str,
        suite: dict[str, Any],
        rules: dict[int, dict[str, Any]],
        rows_read: int,
        failing_rows: dict[int, list[int]] | None = None,
    ) -> None:
        """One judged file: its suite and the engine's per-rule outcome."""
        self._files.append(_Judged(label, suite, rules, rows_read, failing_rows or {}))

    def save(self, path: Path) -> Path | None:
        """The results the site is rendered from, as JSON, so `ipgov data-docs` can render it
        later: importing GX alone costs a load of the district's month ~3 s of CPU, four times
        what DuckDB spends reading the files (docs/performance.md, "Load"). None when no file
        was judged."""
        if not self._files:
            return None
        suites = {f.suite["name"]: f.suite for f in self._files}
        files = [  # each file names its suite (asdict would deep-copy the suite for every file:
            # 15k calls, 40 ms of a district's load, for a copy thrown away)
            {
                "label": f.label,
                "suite": f.suite["name"],
                "rules": f.rules,  # JSON keys are strings: the positions come back in `read`
                "rows_read": f.rows_read,
                "failing_rows": f.failing_rows,
            }
            for f in self._files
        ]
        payload = {
            "run_name": self.run_name,
            "today": self.today.isoformat(),
            "suites": suites,
            "files": files,
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(payload, ensure_ascii=False) + "\n", encoding="utf-8")
        return path

    @classmethod
    def read(cls, path: Path, docs_dir: Path) -> DataDocs:
        """The data docs of a load from the results `save` wrote, to render into `docs_dir`."""
        payload = json.loads(path.read_text(encoding="utf-8"))
        docs = cls(docs_dir, payload["run_name"], dt.date.fromisoformat(payload["today"]))
        for f in payload["files"]:
            docs._files.append(
                _Judged(
                    f["label"],
                    payload["suites"][f["suite"]],
                    {int(k): v for k, v in f["rules"].items()},
                    f["rows_read"],
                    {int(k): v for k, v in f["failing_rows"].items()},
                )
            )
        return docs

    def build(self) -> Path | None:
        """Render the site: the suites and one validation page per file. The index page."""
        if not self._files:
            return None
        from great_expectations.core.expectation_suite import ExpectationSuite
        from great_expectations.core.expectation_validation_result import (
            ExpectationSuiteValidationResult,
            ExpectationValidationResult,
        )
        from great_expectations.core.run_identifier import RunIdentifier
        from great_expectations.data_context.types.resource_identifiers import (
            ExpectationSuiteIdentifier,
            ValidationResultIdentifier,
        )
        from great_expectations.expectations.expectation_configuration import (
            ExpectationConfiguration,
        )

        context = _context(self.docs_dir)
        parameters = {
            "today": self.today.isoformat(),
            "end_of_today": dt.datetime.combine(self.today, dt.time.max).isoformat(sep=" "),
        }
        added: set[str] = set()
        run_time = dt.datetime.now(dt.UTC)
        for n, judged in enumerate(self._files, start=1):
            name = judged.suite["name"]
            if name not in added:
                context.suites.add(ExpectationSuite(**judged.suite))
                added.add(name)
            results = []
            for position, expectation in enumerate(judged.suite["expectations"]):
                meta = expectation.get("meta", {})
                rule = judged.rules.get(position)
                if rule is None:  # not checked in this run (validate=False)
                    continue
                failed = rule["failed_rows"]
                rows = judged.rows_read
                kwargs = {
                    k: parameters[v["$PARAMETER"]]
                    if isinstance(v, dict) and "$PARAMETER" in v
                    else v
                    for k, v in expectation["kwargs"].items()
                }
                results.append(
                    ExpectationValidationResult(
                        success=rule["success"],
                        expectation_config=ExpectationConfiguration(
                            type=expectation["type"],
                            kwargs=kwargs,
                            meta=meta,
                            notes=expectation.get("notes"),
                        ),
                        result={
                            "element_count": rows,
                            "unexpected_count": failed,
                            "unexpected_percent": 100.0 * failed / rows if rows else 0.0,
                            "partial_unexpected_list": [],
                            "partial_unexpected_index_list": [
                                {ROW: row} for row in judged.failing_rows.get(position, [])
                            ],
                        },
                    )
                )
            passed = sum(bool(r.success) for r in results)
            run_id = RunIdentifier(run_name=self.run_name, run_time=run_time)
            label = f"{n:04d} {judged.label}"
            validation = ExpectationSuiteValidationResult(
                success=passed == len(results),
                results=results,
                suite_name=name,
                suite_parameters=parameters,
                statistics={
                    "evaluated_expectations": len(results),
                    "successful_expectations": passed,
                    "unsuccessful_expectations": len(results) - passed,
                    "success_percent": 100.0 * passed / len(results) if results else 100.0,
                },
                meta={
                    "run_id": run_id,
                    "validation_time": run_time.isoformat(),
                    "batch_spec": {"data_asset_name": label},
                    "expectation_suite_name": name,
                    "engine": "ipgov DuckDB gate (etl/gate/engine.py)",
                },
            )
            suite_id = ExpectationSuiteIdentifier(name=name)
            context.validation_results_store.store_validation_results(
                suite_validation_result=validation,
                suite_validation_result_identifier=ValidationResultIdentifier(
                    expectation_suite_identifier=suite_id, run_id=run_id, batch_identifier=label
                ),
                expectation_suite_identifier=suite_id,
            )
        context.build_data_docs(site_names=[SITE])
        return self.docs_dir / "index.html"
