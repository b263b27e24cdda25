"""`python -m benchmarks.liveness`: SQLAlchemy's `pool_pre_ping=True` against the generated idle ping.

The generated project checks a pooled connection at checkout only when it sat idle (its
`database.py`: `_idle_ping` and `_note_checkin`, listeners of the pool's checkout and checkin
events). The standard way is `pool_pre_ping=True`, a ping before every checkout. To measure what
the custom code saves, one rendered project is copied twice into a temporary folder: "idle_ping"
as rendered, and "pre_ping" with its `database.py` patched (every `create_async_engine(...)` call
gets `pool_pre_ping=True`, the `event.listen` calls on "checkout" and "checkin" are removed). The
template is never touched. Both copies are served and loaded in turn, endpoint by endpoint, each on
its own fresh database, as `python -m benchmarks` does; the report gives pre_ping / idle_ping.
"""

from __future__ import annotations

import argparse
import ast
import json
import shutil
import signal
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

from benchmarks import apps, database, interleaved, load, report
from benchmarks.run import metadata, render

IDLE, PRE = "idle_ping", "pre_ping"
# The pool events the idle ping listens to; the pre_ping copy listens to none of them.
POOL_EVENTS = ("checkout", "checkin")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.liveness",
        description="A generated project as rendered (idle ping) against the same project with "
        "pool_pre_ping=True and no idle-ping listeners, interleaved endpoint by endpoint.",
    )
    parser.add_argument(
        "--driver", choices=sorted(database.DATABASE_OF_DRIVER), default="asyncpg", help="[asyncpg]"
    )
    load.add_arguments(parser)
    parser.add_argument("--workers", default="1", help="uvicorn worker counts, comma-separated [1]")
    parser.add_argument("--runs", type=int, default=1, help="repeat everything; the report takes medians [1]")
    parser.add_argument(
        "--endpoints", default="get,post", help="subset of get,list,post,patch,delete [get,post]"
    )
    parser.add_argument("--project", type=Path, help="this rendered project instead of rendering one")
    parser.add_argument(
        "--env", action="append", metavar="KEY=VALUE", help="a setting of both copies; repeatable"
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
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    load.wrk_path()
    workers = [int(w) for w in args.workers.split(",")]
    endpoints = [e for e in args.endpoints.split(",") if e]
    unknown = set(endpoints) - set(load.ENDPOINTS)
    if unknown:
        raise SystemExit(f"unknown endpoints: {', '.join(sorted(unknown))}")
    env = apps.parse_env(args.env)
    with tempfile.TemporaryDirectory(prefix="asyncrud-liveness-") as tmp:
        workdir = Path(tmp)
        project = args.project.resolve() if args.project else render(workdir, args.driver)
        idle = _copy(project, workdir / IDLE)
        pre = _copy(project, workdir / PRE)
        use_pre_ping(pre / apps.package(pre) / "database.py")
        served = [
            apps.App(IDLE, "project", idle, args.driver, env),
            apps.App(PRE, "project", pre, args.driver, env),
        ]
        log = args.out / "liveness-servers.log"
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
    table = summary(results, workers, endpoints)
    text = markdown(table, args, env)
    document = {
        "meta": metadata(
            args,
            env,
            {IDLE: f"{idle}, as rendered", PRE: f"{pre}, pool_pre_ping=True and no idle-ping listeners"},
        ),
        "summary": table,
        "runs": {key: [asdict(m) | {"rps": m.rps} for m in runs] for key, runs in results.items()},
    }
    (args.out / "liveness.json").write_text(json.dumps(document, indent=2) + "\n")
    (args.out / "liveness.md").write_text(text)
    print(text)
    print(f"written: {args.out / 'liveness.json'}, liveness.md", file=sys.stderr)


def use_pre_ping(path: Path) -> None:
    """Rewrite the `database.py` at `path`: engines pre-ping, no listener on the pool's events.

    SystemExit if there is no `create_async_engine` call or no checkout listener to remove: the
    generated code changed, and this benchmark with it.
    """
    source = path.read_text()
    tree = ast.parse(source)
    engines: list[ast.Call] = []
    listeners: list[ast.stmt] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _name(node.func) == "create_async_engine":
            if any(keyword.arg == "pool_pre_ping" for keyword in node.keywords):
                raise SystemExit(f"{path} already sets pool_pre_ping")
            engines.append(node)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) and _is_pool_listener(node.value):
            listeners.append(node)
    if not engines or not any(_event(node) == "checkout" for node in listeners):
        raise SystemExit(
            f"{path}: no create_async_engine call or no checkout listener found; "
            "update benchmarks/liveness.py to the generated code"
        )
    # ast gives UTF-8 byte offsets: the edits are made on the bytes, from the end of the file, so the
    # offsets of those before stay valid.
    data = source.encode()
    starts = [0]
    for line in data.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    edits: list[tuple[int, int, bytes]] = []
    for call in engines:
        arguments: list[ast.expr | ast.keyword] = [*call.args, *call.keywords]
        if not arguments:
            raise SystemExit(f"{path}: create_async_engine() without arguments")
        last = max(arguments, key=lambda node: (node.end_lineno or 0, node.end_col_offset or 0))
        end = starts[(last.end_lineno or 1) - 1] + (last.end_col_offset or 0)
        edits.append((end, end, b", pool_pre_ping=True"))
    for statement in listeners:
        # `pass` in its place keeps a block that held only the listener valid.
        start = starts[statement.lineno - 1] + statement.col_offset
        end = starts[(statement.end_lineno or 1) - 1] + (statement.end_col_offset or 0)
        edits.append((start, end, b"pass"))
    for start, end, text in sorted(edits, reverse=True):
        data = data[:start] + text + data[end:]
    patched = data.decode()
    compile(patched, str(path), "exec")
    path.write_text(patched)


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _is_pool_listener(call: ast.Call) -> bool:
    """`event.listen(target, "checkout" or "checkin", ...)`."""
    return _name(call.func) == "listen" and _event_of(call) in POOL_EVENTS


def _event(statement: ast.stmt) -> str | None:
    assert isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call)
    return _event_of(statement.value)


def _event_of(call: ast.Call) -> str | None:
    if len(call.args) >= 2 and isinstance(call.args[1], ast.Constant) and isinstance(call.args[1].value, str):
        return call.args[1].value
    return None


def _copy(project: Path, parent: Path) -> Path:
    """A copy of `project` under `parent`, with the same folder name (the package is found by it)."""
    destination = parent / project.name
    shutil.copytree(project, destination, ignore=shutil.ignore_patterns("__pycache__", ".git", "*.db"))
    return destination


def summary(results: interleaved.Results, workers: list[int], endpoints: list[str]) -> list[dict[str, Any]]:
    table = []
    for count in workers:
        for endpoint in endpoints:
            idle = results[interleaved.key(IDLE, count, endpoint)]
            pre = results[interleaved.key(PRE, count, endpoint)]
            table.append(
                {
                    "workers": count,
                    "endpoint": endpoint,
                    IDLE: report.median(idle),
                    PRE: report.median(pre),
                    "rps_ratio": report.ratio(pre, idle, "rps"),
                    "p99_ratio": report.ratio(pre, idle, "p99_ms"),
                }
            )
    return table


def markdown(table: list[dict[str, Any]], args: argparse.Namespace, env: dict[str, str]) -> str:
    lines = [
        f"Connection liveness: pool_pre_ping=True ({PRE}) against the generated idle ping ({IDLE}); "
        f"{args.driver}, wrk -t{args.threads} -c{args.connections} -d{args.duration}s, "
        f"median of {args.runs} run(s), ratios the median of each run's ratio",
    ]
    if env:
        lines.append("settings: " + " ".join(f"{k}={v}" for k, v in env.items()))
    lines += [
        "",
        f"| workers | endpoint | {IDLE} req/s | {PRE} req/s | {PRE} / {IDLE} "
        f"| {IDLE} p99 | {PRE} p99 | p99 {PRE} / {IDLE} | non-2xx ({IDLE}, {PRE}) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in table:
        idle, pre = row[IDLE], row[PRE]
        lines.append(
            f"| {row['workers']} | {load.LABELS[row['endpoint']]} | {idle['rps']:,.0f} | {pre['rps']:,.0f} "
            f"| {row['rps_ratio']:.2f} | {idle['p99_ms']:.1f} ms | {pre['p99_ms']:.1f} ms "
            f"| {row['p99_ratio']:.2f} | {idle['non_2xx'] + idle['socket_errors']:.0f}, "
            f"{pre['non_2xx'] + pre['socket_errors']:.0f} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
