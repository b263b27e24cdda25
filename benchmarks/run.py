"""`python -m benchmarks`: render a project, serve it and the baseline, load both with wrk, report.

Every run uses fresh databases: each app gets its own, migrated by the generated project's Alembic
and seeded with the same rows, so neither sees the other's writes.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL

from benchmarks import database, load, report, servers, speed

BENCH_MODEL = "Item name:str(100) quantity:int price:decimal(10,2) active:bool:default=true note:text?"
BASELINE_DRIVER = "asyncpg"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Benchmark a generated asyncrud service against a raw Starlette + asyncpg baseline.",
    )
    parser.add_argument(
        "--driver",
        choices=sorted(database.DATABASE_OF_DRIVER),
        default="asyncpg",
        help="database driver of the generated project (the baseline is always asyncpg on PostgreSQL)",
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per endpoint [10]")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of unmeasured load first [2]")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections [32]")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads [2]")
    parser.add_argument("--workers", default="1,2", help="uvicorn worker counts, comma-separated [1,2]")
    parser.add_argument("--rows", type=int, default=10_000, help="rows seeded before the run [10000]")
    parser.add_argument("--runs", type=int, default=1, help="repeat everything; the report takes medians [1]")
    parser.add_argument(
        "--endpoints", default=",".join(load.ENDPOINTS), help=f"subset of {','.join(load.ENDPOINTS)}"
    )
    parser.add_argument("--only", choices=["baseline", "generated"], help="measure one app only (profiling)")
    parser.add_argument("--skip-generator", action="store_true", help="do not time `asyncrud new` / --help")
    parser.add_argument(
        "--project", type=Path, help="benchmark this already rendered project instead of rendering one"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).with_name("results"),
        help="output folder [benchmarks/results]",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    # SIGTERM unwinds like Ctrl-C, so the servers and databases of the run are cleaned up either way.
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    load.wrk_path()
    workers = [int(w) for w in args.workers.split(",")]
    endpoints = [e for e in args.endpoints.split(",") if e]
    unknown = set(endpoints) - set(load.ENDPOINTS)
    if unknown:
        raise SystemExit(f"unknown endpoints: {', '.join(sorted(unknown))}")
    apps = [args.only] if args.only else ["baseline", "generated"]
    shape = load.Load(args.threads, args.connections, args.duration, args.warmup)
    with tempfile.TemporaryDirectory(prefix="asyncrud-bench-") as tmp:
        workdir = Path(tmp)
        project = args.project.resolve() if args.project else render(workdir, args.driver)
        log = args.out / "servers.log"
        args.out.mkdir(parents=True, exist_ok=True)
        log.write_text("")
        results: report.Results = {}
        try:
            for run in range(1, args.runs + 1):
                for count in workers:
                    for app in apps:
                        driver = BASELINE_DRIVER if app == "baseline" else args.driver
                        print(f"run {run}/{args.runs}: {app}, {count} worker(s), {driver}", file=sys.stderr)
                        measured = measure_app(
                            app, project, driver, count, shape, args.rows, endpoints, workdir, log
                        )
                        for endpoint, measurement in measured.items():
                            results.setdefault(f"{app}/{count}/{endpoint}", []).append(measurement)
        except KeyboardInterrupt:
            raise SystemExit("interrupted; every server and database of the run was stopped") from None
    if args.only:
        for key, runs in results.items():
            median = report.median(runs)
            rps, p50, p99 = median["rps"], median["p50_ms"], median["p99_ms"]
            print(f"{key}: {rps:,.0f} req/s  p50 {p50:.1f} ms  p99 {p99:.1f} ms")
        return
    timings: dict[str, float] = {}
    if not args.skip_generator:
        print("timing asyncrud --help and asyncrud new (10 models)", file=sys.stderr)
        help_timing, new_timing = speed.time_help(), speed.time_new()
        timings = {
            "help_s": help_timing.wall,
            "help_cpu_s": help_timing.cpu,
            "help_target_s": speed.HELP_TARGET_S,
            "new_s": new_timing.wall,
            "new_cpu_s": new_timing.cpu,
            "new_target_s": speed.NEW_TARGET_S,
        }
    meta = metadata(args)
    table = report.rows(results, workers, endpoints)
    print(report.write(args.out, results, table, timings, meta))
    print(f"written: {args.out / 'results.json'}, results.md, results.png", file=sys.stderr)


def render(workdir: Path, driver: str) -> Path:
    """`asyncrud new` (the installed command) with the benchmark's one model."""
    dest = workdir / "bench_app"
    db = database.DATABASE_OF_DRIVER[driver]
    subprocess.run(
        [
            speed.asyncrud(),
            "new",
            str(dest),
            "--db",
            db,
            "--driver",
            driver,
            "--defaults",
            "--model",
            BENCH_MODEL,
        ],
        check=True,
        capture_output=True,
    )
    return dest


def measure_app(
    app: str,
    project: Path,
    driver: str,
    workers: int,
    shape: load.Load,
    rows: int,
    endpoints: list[str],
    workdir: Path,
    log: Path,
) -> dict[str, load.Measurement]:
    with database.fresh_database(driver, workdir) as url:
        database.migrate(project, url)
        database.seed(url, rows)
        with serve(app, project, url, workers, log) as base:
            measured = {}
            for endpoint in endpoints:
                first_delete = database.seed(url, shape.rows_to_delete) if endpoint == "delete" else 0
                measured[endpoint] = result = load.measure(base, endpoint, shape, rows, first_delete)
                print(
                    f"  {load.LABELS[endpoint]:<22} {result.rps:>9,.0f} req/s  p50 {result.p50_ms:6.1f} ms"
                    f"  p99 {result.p99_ms:6.1f} ms  errors {result.errors}",
                    file=sys.stderr,
                )
            return measured


@contextlib.contextmanager
def serve(app: str, project: Path, url: URL, workers: int, log: Path) -> Iterator[str]:
    if app == "baseline":
        dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
        env = {"BASELINE_DSN": dsn, "PYTHONPATH": str(Path(__file__).parent.parent)}
        with servers.uvicorn(
            "benchmarks.baseline:app",
            cwd=project,
            env=env,
            workers=workers,
            ready_path="/api/v1/items/1",
            log=log,
        ) as base:
            yield base
        return
    env = {"DATABASE_URL": url.render_as_string(hide_password=False), "PYTHONPATH": str(project)}
    package = project.name if (project / project.name).is_dir() else _package(project)
    with servers.uvicorn(
        f"{package}.main:app", cwd=project, env=env, workers=workers, ready_path="/health", log=log
    ) as base:
        yield base


def _package(project: Path) -> str:
    import yaml

    return str(yaml.safe_load((project / ".copier-answers.yml").read_text())["package"])


def metadata(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "driver": args.driver,
        "baseline": f"Starlette + {BASELINE_DRIVER}",
        "threads": args.threads,
        "connections": args.connections,
        "duration": args.duration,
        "warmup": args.warmup,
        "rows": args.rows,
        "runs": args.runs,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "wrk": shutil.which("wrk"),
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
