"""A service you can watch: every log line JSON with LOG_FORMAT=json (uvicorn's included) and
readable by default, the request id on every line logged while a request is served, Prometheus
metrics by route template, status and latency plus the database pool, and liveness vs readiness."""

from __future__ import annotations

import asyncio
import importlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import httpx
import pytest
from fastapi import FastAPI
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.ext.asyncio import create_async_engine

from tests.served import free_port, migrate, serve
from tests.support import UNREACHABLE_DATABASE_URL, check, new_project, package_of


@pytest.fixture(scope="module")
def project(workspace: Path) -> Path:
    return new_project(workspace, "watch_sqlite", "sqlite", "aiosqlite", ["Book title:str(200) pages:int?"])


@pytest.fixture(scope="module")
def database_url(project: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('watch') / 'app.db'}"
    migrate(project, url)
    return url


def project_module(project: Path, name: str) -> ModuleType:
    sys.path.insert(0, str(project))
    try:
        return importlib.import_module(f"{package_of(project)}.{name}")
    finally:
        sys.path.remove(str(project))


def samples(metrics_text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(metrics_text)
        for sample in family.samples
    }


def value(found: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str, **labels: str) -> float:
    """The sum over the samples of `name` whose labels include `labels` (0 if none)."""
    wanted = set(labels.items())
    return sum(v for (sample, keys), v in found.items() if sample == name and wanted <= keys)


def lines_of(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.strip()]


def test_json_logs_are_one_object_per_line_uvicorns_included(project: Path, database_url: str) -> None:
    with serve(project, database_url, log_format="json") as served:
        httpx.get(f"{served.url}/api/v1/books", timeout=10)
        httpx.get(f"{served.url}/api/v1/books/99", timeout=10)
        httpx.post(f"{served.url}/api/v1/books", json={"title": 5}, timeout=10)
        time.sleep(0.5)
        output = served.output()
    records = [json.loads(line) for line in lines_of(output)]  # fails on any line that is not JSON
    assert {"uvicorn.error", "uvicorn.access"} <= {record["logger"] for record in records}
    assert any(record["event"] == "Application startup complete." for record in records)
    access = [record for record in records if record["logger"] == "uvicorn.access"]
    assert [(r["method"], r["path"], r["status"]) for r in access if r["path"].startswith("/api")] == [
        ("GET", "/api/v1/books", 200),
        ("GET", "/api/v1/books/99", 404),
        ("POST", "/api/v1/books", 422),
    ]
    assert all({"timestamp", "level"} <= set(record) for record in records)


def test_console_logs_by_default(project: Path, database_url: str) -> None:
    with serve(project, database_url) as served:
        httpx.get(f"{served.url}/health/live", timeout=10)
        time.sleep(0.5)
        output = served.output()
    assert "Application startup complete" in output
    assert not any(line.startswith("{") for line in lines_of(output))


REQUEST_LOGS = """
import logging, structlog
from {package}.logs import LogSettings, configure_logging, request_id

configure_logging(LogSettings(log_format="json"))
token = request_id.set("req-42")
logging.getLogger("uvicorn.access").info('%s - "%s %s HTTP/%s" %d', "10.0.0.1:5000", "GET", "/x", "1.1", 200)
structlog.get_logger("{package}.books").info("book.created", book_id=3)
logging.getLogger("sqlalchemy.pool").warning("pool is slow")
try:
    1 / 0
except ZeroDivisionError:
    logging.getLogger("{package}.errors").exception("unexpected error")
request_id.reset(token)
logging.getLogger("{package}").info("between requests")
"""


def test_request_id_is_on_every_line_of_a_request(project: Path) -> None:
    """The request-id middleware sets `logs.request_id`; every logger's lines then carry it."""
    script = REQUEST_LOGS.format(package=package_of(project))
    result = check([sys.executable, "-c", script], cwd=project)
    records = [json.loads(line) for line in lines_of(result.stderr)]
    assert [record.get("request_id") for record in records] == ["req-42"] * 4 + [None]
    access, created, pool, failure, _ = records
    assert (access["method"], access["path"], access["status"]) == ("GET", "/x", 200)
    assert (created["event"], created["book_id"], created["level"]) == ("book.created", 3, "info")
    assert pool["logger"] == "sqlalchemy.pool" and pool["level"] == "warning"
    assert "ZeroDivisionError" in failure["exception"]  # the traceback, inside its one line


def test_metrics_count_requests_by_route_template_status_and_latency(
    project: Path, database_url: str
) -> None:
    with serve(project, database_url) as served:
        for _ in range(2):
            assert httpx.get(f"{served.url}/api/v1/books", timeout=10).status_code == 200
        assert httpx.get(f"{served.url}/api/v1/books/99", timeout=10).status_code == 404
        assert httpx.get(f"{served.url}/api/v1/books/98", timeout=10).status_code == 404
        assert httpx.get(f"{served.url}/no/such/path", timeout=10).status_code == 404
        assert httpx.post(f"{served.url}/api/v1/books", json={}, timeout=10).status_code == 422
        response = httpx.get(f"{served.url}/metrics", timeout=10)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    found = samples(response.text)
    requests = "http_requests_total"
    assert value(found, requests, method="GET", route="/api/v1/books", status="200") == 2
    assert value(found, requests, method="GET", route="/api/v1/books/{book_id}", status="404") == 2
    assert value(found, requests, method="GET", route="unmatched", status="404") == 1
    assert value(found, requests, method="POST", route="/api/v1/books", status="422") == 1
    # The path itself is never a label: a scanner cannot make a series per URL.
    assert not any(("route", "/api/v1/books/99") in keys for _, keys in found)
    latency = "http_request_duration_seconds"
    assert value(found, f"{latency}_count", method="GET", route="/api/v1/books") == 2
    assert value(found, f"{latency}_bucket", method="GET", route="/api/v1/books", le="+Inf") == 2
    assert 0 < value(found, f"{latency}_sum", method="GET", route="/api/v1/books") < 10
    assert value(found, "db_pool_size", pool="primary") == 20
    assert value(found, "db_pool_connections_in_use", pool="primary") == 0
    assert value(found, "db_pool_waiting", pool="primary") == 0


def test_made_up_methods_count_as_other(project: Path) -> None:
    """uvicorn's httptools parser refuses unknown methods itself; h11 and other servers pass them on.
    Either way, clients cannot add series at will."""
    metrics = project_module(project, "metrics")
    app = FastAPI()

    @app.get("/items")
    async def items() -> list[int]:
        return []

    metrics.instrument(app, engines=dict)

    async def scenario() -> str:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://test"
        ) as client:
            for method in ("BREW", "SPAM", "GET"):
                await client.request(method, "/items")
            return (await client.get("/metrics")).text

    found = samples(asyncio.run(scenario()))
    assert value(found, "http_requests_total", method="other", route="/items", status="405") == 2
    assert value(found, "http_requests_total", method="GET", route="/items", status="200") == 1
    assert not any(("method", "BREW") in keys for _, keys in found)


def test_pool_collector_sees_connections_in_use_and_waiting(project: Path, tmp_path: Path) -> None:
    metrics = project_module(project, "metrics")

    async def scenario() -> dict[str, float]:
        engine = create_async_engine(
            f"sqlite+aiosqlite:///{tmp_path / 'pool.db'}", pool_size=1, max_overflow=0
        )
        collector = metrics.PoolCollector(lambda: {"primary": engine})
        try:
            async with engine.connect():
                waiter = asyncio.create_task(engine.connect().__aenter__())
                await asyncio.sleep(0.2)
                readings = {
                    family.name: family.samples[0].value for family in collector.collect() if family.samples
                }
                waiter.cancel()
                await asyncio.gather(waiter, return_exceptions=True)
            return readings
        finally:
            await engine.dispose()

    readings = asyncio.run(scenario())
    assert readings["db_pool_size"] == 1
    assert readings["db_pool_connections_in_use"] == 1
    assert readings["db_pool_waiting"] == 1


@pytest.fixture
def unreachable(project: Path) -> Iterator[str]:
    with serve(project, UNREACHABLE_DATABASE_URL) as served:
        yield served.url


def test_liveness_never_touches_the_database_and_readiness_does(unreachable: str) -> None:
    live = httpx.get(f"{unreachable}/health/live", timeout=10)
    assert live.status_code == 200 and live.json() == {"status": "ok"}
    ready = httpx.get(f"{unreachable}/health/ready", timeout=10)
    assert ready.status_code == 503
    assert ready.headers["retry-after"]
    assert httpx.get(f"{unreachable}/health", timeout=10).status_code == 503
    # /metrics answers without the database, and is not part of the API's OpenAPI document.
    assert httpx.get(f"{unreachable}/metrics", timeout=10).status_code == 200
    paths = httpx.get(f"{unreachable}/openapi.json", timeout=10).json()["paths"]
    assert "/metrics" not in paths and {"/health/live", "/health/ready"} <= set(paths)


def test_uvicorns_own_options_still_hold(project: Path, database_url: str, tmp_path: Path) -> None:
    """`uvicorn --no-access-log --log-level warning` (the benchmark's setting) stays quiet: the app
    changes the format of uvicorn's lines, not which lines there are."""
    port = free_port()
    log = tmp_path / "uvicorn.log"
    env = {**os.environ, "DATABASE_URL": database_url, "LOG_FORMAT": "json"}
    command = [sys.executable, "-m", "uvicorn", f"{package_of(project)}.main:app", "--port", str(port),
               "--no-access-log", "--log-level", "warning"]  # fmt: skip
    with log.open("wb") as sink:
        process = subprocess.Popen(command, cwd=project, env=env, stdout=sink, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health/live", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        for _ in range(3):
            httpx.get(f"http://127.0.0.1:{port}/api/v1/books", timeout=10)
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert lines_of(log.read_text()) == []
