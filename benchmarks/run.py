"""`python -m benchmarks`: render a project, serve it beside the baseline and the textbook app, load
them in turn with wrk, report.

Every run uses fresh databases: each app gets its own, migrated by the generated project's Alembic
and seeded with the same rows, so none sees another's writes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from typing import Any

from benchmarks import apps, database, interleaved, load, report, speed

BENCH_MODEL = "Item name:str(100) quantity:int price:decimal(10,2) active:bool:default=true note:text?"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Benchmark a generated asyncrud service beside a raw Starlette + asyncpg baseline and "
        "the textbook FastAPI + AsyncSession app, interleaved endpoint by endpoint.",
    )
    parser.add_argument(
        "--driver",
        choices=sorted(database.DATABASE_OF_DRIVER),
        default="asyncpg",
        help="database driver of the generated project and the textbook app "
        "(the baseline is always asyncpg on PostgreSQL)",
    )
    load.add_arguments(parser)
    parser.add_argument("--workers", default="1,2", help="uvicorn worker counts, comma-separated [1,2]")
    parser.add_argument("--runs", type=int, default=1, help="repeat everything; the report takes medians [1]")
    parser.add_argument(
        "--endpoints", default=",".join(load.ENDPOINTS), help=f"subset of {','.join(load.ENDPOINTS)}"
    )
    parser.add_argument("--only", choices=report.APPS, help="measure one app only, no ratios (profiling)")
    parser.add_argument("--skip-generator", action="store_true", help="do not time `asyncrud new` / --help")
    parser.add_argument(
        "--project",
        type=Path,
        help="benchmark this already rendered project (rendered with the benchmark's model) "
        "instead of rendering one",
    )
    parser.add_argument(
        "--compare-project",
        type=Path,
        metavar="DIR",
        help='also benchmark this rendered project, labelled "before", in the same run: '
        'the generated project is the "after"',
    )
    parser.add_argument(
        "--cache",
        choices=("none", "redis"),
        default="none",
        help='redis: also serve the project rendered with `--cache redis`, labelled "cached", on '
        "the Redis of --redis-url (each app and endpoint starts with an empty cache) [none]",
    )
    parser.add_argument(
        "--redis-url", default="redis://127.0.0.1:6379/0", help="the Redis of --cache redis [%(default)s]"
    )
    parser.add_argument(
        "--queue",
        choices=("none", "redis", "rabbitmq"),
        default="none",
        help='redis|rabbitmq: also serve the project rendered with `--queue`, labelled "queued": each '
        "write also inserts its event into the outbox table (no worker runs: the API's cost alone) [none]",
    )
    parser.add_argument(
        "--env",
        action="append",
        metavar="KEY=VALUE",
        help="a setting for the generated project(s), e.g. DATABASE_POOL_SIZE=1; repeatable",
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
    env = apps.parse_env(args.env)
    if args.only == "before" and not args.compare_project:
        raise SystemExit("--only before needs --compare-project")
    with tempfile.TemporaryDirectory(prefix="asyncrud-bench-") as tmp:
        workdir = Path(tmp)
        project = args.project.resolve() if args.project else render(workdir, args.driver)
        served = [
            apps.App("baseline", "baseline", project, apps.BASELINE_DRIVER),
            apps.App("textbook", "textbook", project, args.driver),
            apps.App("generated", "project", project, args.driver, env),
        ]
        if args.compare_project:
            served.insert(2, apps.App("before", "project", args.compare_project.resolve(), args.driver, env))
        if args.cache == "redis":
            cached = render(workdir, args.driver, cache="redis")
            settings = {
                **env,
                "REDIS_URL": args.redis_url,
                "CACHE_PREFIX": f"asyncrud_bench_{uuid.uuid4().hex[:12]}",
            }
            served.append(apps.App("cached", "project", cached, args.driver, settings))
        if args.queue != "none":
            queued = render(workdir, args.driver, queue=args.queue)
            served.append(apps.App("queued", "project", queued, args.driver, env))
        if args.only:
            served = [app for app in served if app.name == args.only]
        names = [app.name for app in served]
        log = args.out / "servers.log"
        args.out.mkdir(parents=True, exist_ok=True)
        log.write_text("")
        try:
            results = interleaved.measure(
                served,
                workers=workers,
                endpoints=endpoints,
                shape=load.from_arguments(args),
                rows=args.rows,
                runs=args.runs,
                workdir=workdir,
                log=log,
            )
        except KeyboardInterrupt:
            raise SystemExit("interrupted; every server and database of the run was stopped") from None
        finally:
            for app in served:
                if "REDIS_URL" in app.env:
                    apps.clear_cache(app.env["REDIS_URL"], app.env["CACHE_PREFIX"])
    if args.only:
        for name, runs in results.items():
            median = report.median(runs)
            rps, p50, p99 = median["rps"], median["p50_ms"], median["p99_ms"]
            print(
                f"{name}: {rps:,.0f} req/s  p50 {p50:.1f} ms  p99 {p99:.1f} ms  non-2xx {median['non_2xx']:.0f}"
            )
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
    meta = metadata(args, env, {app.name: describe(app) for app in served})
    table = report.summary(results, names, workers, endpoints)
    print(report.write(args.out, results, names, table, timings, meta))
    print(f"written: {args.out / 'results.json'}, results.md, results.png", file=sys.stderr)


def render(workdir: Path, driver: str, cache: str = "none", queue: str = "none") -> Path:
    """`asyncrud new` (the installed command) with the benchmark's one model."""
    chosen = "".join(
        f"_{option}_{value}" for option, value in (("cache", cache), ("queue", queue)) if value != "none"
    )
    dest = workdir / f"bench_app{chosen}"
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
            "--cache",
            cache,
            "--queue",
            queue,
        ],
        check=True,
        capture_output=True,
    )
    return dest


def describe(app: apps.App) -> str:
    if app.kind == "baseline":
        return f"Starlette + {apps.BASELINE_DRIVER} (benchmarks/baseline.py), pool of 20"
    if app.kind == "textbook":
        return "FastAPI + an AsyncSession per request (benchmarks/textbook.py), pool of 20"
    if "REDIS_URL" in app.env:
        return f"{app.project} (--cache redis, keys {app.env['CACHE_PREFIX']}:*)"
    if app.name == "queued":
        return f"{app.project} (--queue: an outbox row per write, no worker running)"
    return str(app.project)


def metadata(args: argparse.Namespace, env: dict[str, str], described: dict[str, str]) -> dict[str, Any]:
    """What a run measured and where; `described` says what each app is."""
    return {
        "driver": args.driver,
        "apps": described,
        "env": env,
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
