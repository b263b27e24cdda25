"""Measure several apps in one run, interleaved: every endpoint is loaded on each app in turn.

For each run and worker count, each app gets a fresh database (migrated by its project's Alembic and
seeded with the same rows). Then, endpoint by endpoint, each app is served, loaded and stopped, in
the order given: whatever drifts on a shared machine (other processes, CPU frequency, the database's
caches) hits every app of an endpoint alike, and the ratios of one run compare like with like. Only
one app is served at a time, so one app's pool (workers x 20 connections) is all the database holds.
An app with a cache (`--cache redis`) starts each endpoint with an empty one; for GET by id it first
reads every row once, so that its figures are those of a warm cache (every request a hit).
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.engine import URL

from benchmarks import apps, database, load

# Keyed "<app>/<workers>/<endpoint>", one Measurement per run, in run order.
Results = dict[str, list[load.Measurement]]


def key(app: str, workers: int, endpoint: str) -> str:
    return f"{app}/{workers}/{endpoint}"


def measure(
    served: Sequence[apps.App],
    *,
    workers: Sequence[int],
    endpoints: Sequence[str],
    shape: load.Load,
    rows: int,
    runs: int,
    workdir: Path,
    log: Path,
) -> Results:
    results: Results = {}
    for run in range(1, runs + 1):
        for count in workers:
            print(f"run {run}/{runs}, {count} worker(s)", file=sys.stderr)
            with contextlib.ExitStack() as databases:
                urls: dict[str, URL] = {}
                for app in served:
                    url = databases.enter_context(database.fresh_database(app.driver, workdir))
                    database.migrate(app.project, url)
                    database.seed(url, rows)
                    urls[app.name] = url
                for endpoint in endpoints:
                    for app in served:
                        url = urls[app.name]
                        first_delete = database.seed(url, shape.rows_to_delete) if endpoint == "delete" else 0
                        with apps.serve(app, url, count, log) as server:
                            if endpoint == "get" and apps.caches(app):
                                load.read_every_row(server.url, rows)
                            result = load.measure(server, endpoint, shape, rows, first_delete)
                        results.setdefault(key(app.name, count, endpoint), []).append(result)
                        print(
                            f"  {load.LABELS[endpoint]:<22} {app.name:<10} {result.rps:>9,.0f} req/s"
                            f"  p50 {result.p50_ms:6.1f} ms  p99 {result.p99_ms:7.1f} ms"
                            f"  CPU {result.cpu_us:5.0f} µs/request"
                            f"  non-2xx {result.non_2xx}  socket errors {result.socket_errors}",
                            file=sys.stderr,
                        )
    return results
