"""Benchmark the reports on a synthetic warehouse of 2,000 videos.

    .venv/bin/python bench/reports.py [--videos 2000] [--segments 24] [--threads 2] [--keep DIR]

Writes a coherent synthetic corpus (pixel_assets.reports.synthetic: every stage's tables, one
Parquet file per partition, as the pipeline writes them) to a temp root, then times, apart:
``dbt build`` (all models and tests), publishing the marts, the three evidently quality
reports (utterance_features, exchange_scores, therapeutic_pairs; sampled to --max-rows) and
the page with the dbt docs. Target on 2 cores: dbt build + evidently reports < 2 minutes.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pixel_assets.reports import dbt as dbt_runner  # noqa: E402
from pixel_assets.reports.quality import (  # noqa: E402
    QUALITY_TABLES,
    QualityOptions,
    quality_report,
)
from pixel_assets.reports.synthetic import (  # noqa: E402
    SyntheticOptions,
    build_tables,
    write_warehouse,
)
from pixel_assets.warehouse.storage import Storage  # noqa: E402


def _timed(label: str, timings: dict[str, float]):
    class _Timer:
        def __enter__(self) -> None:
            self.start = time.perf_counter()

        def __exit__(self, *exc: object) -> None:
            timings[label] = time.perf_counter() - self.start
            print(f"{label:<34}{timings[label]:>8.1f} s", flush=True)

    return _Timer()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--videos", type=int, default=2000)
    parser.add_argument("--segments", type=int, default=24, help="kept segments per video")
    parser.add_argument("--threads", type=int, default=2, help="dbt threads")
    parser.add_argument("--max-rows", type=int, default=50_000, help="evidently sample size")
    parser.add_argument("--keep", type=Path, help="write the warehouse here and keep it")
    parser.add_argument("--no-docs", action="store_true", help="skip dbt docs generate")
    args = parser.parse_args()

    workdir = args.keep or Path(tempfile.mkdtemp(prefix="pixel_reports_bench_"))
    root = workdir / "root"
    storage = Storage(str(root))
    timings: dict[str, float] = {}

    with _timed("synthetic tables", timings):
        tables = build_tables(
            SyntheticOptions(n_videos=args.videos, segments_per_video=args.segments, seed=11)
        )
    rows = sum(len(f) for f in tables.values())
    with _timed("write warehouse (Parquet files)", timings):
        files = write_warehouse(storage, tables)
    print(f"  {args.videos} videos, {files} files, {rows} rows "
          f"({len(tables['filtered_transcripts'])} kept transcript segments, "
          f"{len(tables['exchanges'])} exchanges, {len(tables['therapeutic_pairs'])} pairs)")

    options = dbt_runner.DbtOptions(
        data_dir=str(root), target_path=str(workdir / "dbt_target"), threads=args.threads
    )
    with _timed("dbt build (models + tests)", timings):
        run = dbt_runner.build(options)
    print(f"  {sum(r.unique_id.startswith('model.') for r in run.results)} models, "
          f"{sum(r.unique_id.startswith('test.') for r in run.results)} tests, "
          f"{len(run.failed())} failed")
    with _timed("publish marts", timings):
        dbt_runner.publish_marts(storage, options)
    quality = QualityOptions(max_rows=args.max_rows)
    for table in QUALITY_TABLES:
        frame = storage.read_table(table)
        with _timed(f"evidently {table}", timings):
            report = quality_report(frame, table, options=quality)
        print(f"  {report.n_rows} rows, {report.n_rows_summarised} summarised, "
              f"{len(report.html) / 1e6:.1f} MB HTML")
    if not args.no_docs:
        with _timed("dbt docs generate --static", timings):
            dbt_runner.docs_generate(options, compile_first=False)

    target = timings["dbt build (models + tests)"] + sum(
        v for k, v in timings.items() if k.startswith("evidently")
    )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\ndbt build + evidently reports: {target:.1f} s (target < 120 s); "
          f"peak RSS of this process {peak_mb:.0f} MB (dbt runs as a child)")
    if not args.keep:
        print(f"(warehouse left in {workdir}; pass --keep DIR to choose where)")


if __name__ == "__main__":
    main()
