"""Generated projects behind PgBouncer in transaction mode, with DATABASE_POOLER=pgbouncer.

PgBouncer (1.18 on Debian 12 keeps no prepared statements across transactions) hands every
transaction to whichever server connection is free, so a driver that caches prepared statements
meets "prepared statement ... does not exist / already exists". The setting turns those caches off.
Each test runs the project's own suite through PgBouncer, then a burst of concurrent HTTP requests
against uvicorn through it.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import make_url

from tests.support import (
    SERVER_URLS,
    check,
    new_project,
    require_server,
    server_url,
    throwaway_database,
    tool,
)

pytestmark = [pytest.mark.postgresql, pytest.mark.slow]

MODELS = [
    "Author name:str(100) email:str(200):unique",
    "Book title:str(200) pages:int? price:decimal(10,2)? author:ref(Author)",
]
BURST_REQUESTS = 600
BURST_CONCURRENCY = 48


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path, timeout: float = 20) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"exited with {process.returncode}:\n{log.read_text() if log.exists() else ''}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return
        time.sleep(0.1)
    pytest.fail(
        f"nothing listens on port {port} after {timeout} s:\n{log.read_text() if log.exists() else ''}"
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _pgbouncer_binary() -> str:
    binary = shutil.which("pgbouncer") or next(
        (path for path in ("/usr/sbin/pgbouncer", "/usr/bin/pgbouncer") if os.access(path, os.X_OK)), None
    )
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("CI must run the PgBouncer tests: apt-get install pgbouncer")
        pytest.skip("pgbouncer is not installed (apt-get install pgbouncer)")
    return binary


@pytest.fixture(scope="module")
def pgbouncer() -> Iterator[int]:
    """PgBouncer in transaction mode on a free port, in front of the PostgreSQL of SERVER_URLS."""
    require_server("postgresql")
    binary = _pgbouncer_binary()
    server = make_url(SERVER_URLS["postgresql"])
    user = server.username or "postgres"
    folder = Path(tempfile.mkdtemp(prefix="asyncrud-pgbouncer-"))
    port = _free_port()
    log = folder / "pgbouncer.log"
    (folder / "users.txt").write_text(f'"{user}" ""\n')
    (folder / "pgbouncer.ini").write_text(
        f"""[databases]
* = host={server.host or "127.0.0.1"} port={server.port or 5432} user={user}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = trust
auth_file = {folder / "users.txt"}
admin_users = {user}
pool_mode = transaction
default_pool_size = 20
max_client_conn = 400
logfile = {log}
pidfile = {folder / "pgbouncer.pid"}
"""
    )
    command = [binary, str(folder / "pgbouncer.ini")]
    if os.geteuid() == 0:
        # PgBouncer refuses to run as root: CI runs as root, so it runs as the postgres user.
        owner = "postgres" if _user_exists("postgres") else "nobody"
        shutil.chown(folder, owner)
        for path in folder.iterdir():
            shutil.chown(path, owner)
        command = ["runuser", "-u", owner, "--", *command]
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        _wait_for_port(port, process, log)
        yield port
    finally:
        _stop(process)
        shutil.rmtree(folder, ignore_errors=True)


def _user_exists(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def _disconnect(port: int, database: str) -> None:
    """PgBouncer's admin console: close every connection to `database` (simple protocol only)."""
    import psycopg

    user = make_url(SERVER_URLS["postgresql"]).username or "postgres"
    with psycopg.connect(
        host="127.0.0.1", port=port, dbname="pgbouncer", user=user, autocommit=True
    ) as admin:
        result = admin.pgconn.exec_(f"KILL {database}".encode())
        assert result.status == psycopg.pq.ExecStatus.COMMAND_OK, result.error_message


def _through(url: str, port: int) -> str:
    return make_url(url).set(host="127.0.0.1", port=port).render_as_string(hide_password=False)


@pytest.mark.parametrize("driver", ["asyncpg", "psycopg"])
def test_project_tests_and_a_request_burst_pass_through_pgbouncer_in_transaction_mode(
    pgbouncer: int, workspace: Path, tmp_path: Path, driver: str
) -> None:
    project = new_project(workspace, f"bounced_{driver}", "postgresql", driver, MODELS)
    pooled = {"DATABASE_POOLER": "pgbouncer"}

    # 1. The project's own suite: its throwaway database is created, used and dropped through PgBouncer.
    env = {**pooled, "TEST_DATABASE_URL": _through(server_url("postgresql", driver), pgbouncer)}
    result = check([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=project, env=env)
    assert " passed" in result.stdout and "failed" not in result.stdout

    # 2. The app under uvicorn, its pool behind PgBouncer; migrations go straight to the server, as
    #    PgBouncer's documentation advises for DDL.
    with throwaway_database("postgresql", driver, tmp_path) as direct_url:
        check([tool("alembic"), "upgrade", "head"], cwd=project, env={"DATABASE_URL": direct_url})
        app_env = {**pooled, "DATABASE_URL": _through(direct_url, pgbouncer), "DATABASE_POOL_SIZE": "10"}
        try:
            with _uvicorn(project, app_env, tmp_path / "uvicorn.log") as base:
                statuses, books = asyncio.run(_burst(base))
        finally:
            # PgBouncer keeps its server connections to the database, which DROP DATABASE refuses.
            _disconnect(pgbouncer, make_url(direct_url).database or "")
    assert set(statuses) <= {200, 201, 204}, f"unexpected statuses: {statuses}"
    assert statuses[201] == BURST_REQUESTS // 3 + BURST_REQUESTS // 6, statuses
    assert books == BURST_REQUESTS // 3


@contextlib.contextmanager
def _uvicorn(project: Path, env: dict[str, str], log: Path) -> Iterator[str]:
    port = _free_port()
    package = project.name
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                f"{package}.main:app",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            cwd=project,
            env={**os.environ, **env},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_for_port(port, process, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        _stop(process)
        output_text = log.read_text()
        assert "Traceback" not in output_text, output_text[-4000:]


async def _burst(base: str) -> tuple[Counter[int], int]:
    """BURST_REQUESTS requests, BURST_CONCURRENCY at a time: creates, reads, lists, updates, deletes."""
    statuses: Counter[int] = Counter()
    limits = httpx.Limits(max_connections=BURST_CONCURRENCY)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        author = (await client.post("/api/v1/authors", json={"name": "A", "email": "a@example.com"})).json()
        gate = asyncio.Semaphore(BURST_CONCURRENCY)

        async def one(n: int) -> None:
            async with gate:
                kind = n % 6
                if kind in (0, 1):  # create a book
                    body = {"title": f"book {n}", "pages": n, "price": "9.99", "author_id": author["id"]}
                    response = await client.post("/api/v1/books", json=body)
                elif kind == 2:  # create an author, read it back, rename it, delete it
                    response = await client.post(
                        "/api/v1/authors", json={"name": f"a{n}", "email": f"{n}@x.org"}
                    )
                    if response.status_code == 201:
                        statuses[201] += 1
                        path = f"/api/v1/authors/{response.json()['id']}"
                        for request in (client.get(path), client.patch(path, json={"name": f"b{n}"})):
                            statuses[(await request).status_code] += 1
                        response = await client.delete(path)
                elif kind == 3:
                    response = await client.get("/api/v1/books", params={"limit": 20, "order_by": "-id"})
                elif kind == 4:
                    response = await client.get(f"/api/v1/authors/{author['id']}")
                else:
                    response = await client.get("/health")
                statuses[response.status_code] += 1

        await asyncio.gather(*(one(n) for n in range(BURST_REQUESTS)))
        books = (await client.get("/api/v1/books", params={"limit": 1})).json()
    return statuses, books["total"]
