"""Drive one endpoint with wrk (fixed threads, connections and duration) and read back its summary."""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
from dataclasses import dataclass, replace
from pathlib import Path

from benchmarks.servers import Server

SCRIPT = Path(__file__).with_name("load.lua")
# An upper bound on any endpoint's rate here: how many rows to seed so that DELETE never runs out.
MAX_RATE = 25_000
ENDPOINTS = ("get", "list", "post", "patch", "delete")
LABELS = {
    "get": "GET by id",
    "list": "GET list (20, total)",
    "post": "POST",
    "patch": "PATCH",
    "delete": "DELETE",
}


@dataclass(frozen=True)
class Load:
    threads: int = 2
    connections: int = 32
    duration: int = 10
    warmup: int = 2

    @property
    def rows_to_delete(self) -> int:
        return MAX_RATE * (self.warmup + self.duration)


@dataclass(frozen=True)
class Measurement:
    requests: int
    seconds: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    # Responses with a status of 400 or more (wrk's status errors; none of the apps answers 1xx or
    # 3xx, so these are the non-2xx responses), and requests that got no response at all.
    non_2xx: int
    socket_errors: int
    # CPU seconds the server used during the measured load (not the warm-up).
    server_cpu_s: float = 0.0

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    @property
    def cpu_us(self) -> float:
        """The server's CPU microseconds per request."""
        return self.server_cpu_s / self.requests * 1e6 if self.requests else 0.0

    @property
    def failures(self) -> int:
        return self.non_2xx + self.socket_errors


def add_arguments(parser: argparse.ArgumentParser, duration: int = 10) -> None:
    """The options of the load: wrk's threads, connections and duration, the warm-up, the rows."""
    parser.add_argument(
        "--duration", type=int, default=duration, help=f"seconds of load per endpoint [{duration}]"
    )
    parser.add_argument("--warmup", type=int, default=2, help="seconds of unmeasured load first [2]")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections [32]")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads [2]")
    parser.add_argument("--rows", type=int, default=10_000, help="rows seeded before the run [10000]")


def from_arguments(args: argparse.Namespace) -> Load:
    return Load(args.threads, args.connections, args.duration, args.warmup)


def wrk_path() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    return path


def measure(
    server: Server, endpoint: str, load: Load, rows: int, first_delete: int = 0, warm: bool = True
) -> Measurement:
    """`endpoint` of ENDPOINTS against `server`, after a short warm-up at the same load."""
    if warm and load.warmup:
        _wrk(server.url, endpoint, load.threads, load.connections, load.warmup, rows, first_delete)
        # The warm-up deleted ids from first_delete up; the measured run takes the next ones.
        first_delete += MAX_RATE * load.warmup
    cpu_before = server.cpu_seconds()
    result = _wrk(server.url, endpoint, load.threads, load.connections, load.duration, rows, first_delete)
    return replace(result, server_cpu_s=server.cpu_seconds() - cpu_before)


def _wrk(
    base: str, endpoint: str, threads: int, connections: int, duration: int, rows: int, first_delete: int
) -> Measurement:
    command = [
        wrk_path(), f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s",
        "-s", str(SCRIPT), base,
        "--", endpoint, "/api/v1/items", str(rows), str(first_delete), str(threads),
    ]  # fmt: skip
    output = subprocess.run(command, capture_output=True, text=True, check=True, timeout=duration + 60).stdout
    line = next((line for line in output.splitlines() if line.startswith("RESULT ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no summary:\n{output}")
    data = json.loads(line.removeprefix("RESULT "))
    socket_errors = sum(
        value for key, value in data.items() if key.startswith("errors_") and key != "errors_status"
    )
    return Measurement(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        p50_ms=data["p50_us"] / 1000,
        p90_ms=data["p90_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        max_ms=data["max_us"] / 1000,
        non_2xx=data["errors_status"],
        socket_errors=socket_errors,
    )


def read_every_row(base: str, rows: int, concurrency: int = 32) -> None:
    """GET every id of 1..rows once: what a cache serves from then on is all hits (a hot set)."""
    import asyncio

    import httpx

    async def sweep() -> None:
        limits = httpx.Limits(max_connections=concurrency)
        async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
            ids = iter(range(1, rows + 1))

            async def worker() -> None:
                for id in ids:
                    response = await client.get(f"/api/v1/items/{id}")
                    response.raise_for_status()

            await asyncio.gather(*(worker() for _ in range(concurrency)))

    asyncio.run(sweep())
