"""A generated service while its database goes away and comes back, over real HTTP (uvicorn).

PostgreSQL: a throwaway cluster of the test's own (initdb/pg_ctl on a free port) is stopped and
restarted, cleanly and as a crash. MariaDB: the shared server stays up; a TCP proxy between the app
and the server cuts every connection and refuses new ones, which is what the app sees of an outage.
Every endpoint must answer 503 with a short JSON body within the pool timeout, the app must recover
on its own, and no response may claim a write that was not stored.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, make_url, text

from tests.served import CuttableProxy, Server, ThrowawayCluster, migrate, serve
from tests.support import SERVER_URLS, new_project, package_of, require_server, throwaway_database

pytestmark = pytest.mark.slow

MODELS = ["Author name:str(40):unique", "Book title:str(40) author:ref(Author)"]
POOL_TIMEOUT = 2.0
# An outage answer may take the pool timeout and a little for the HTTP round trip, never more.
MAX_OUTAGE_ANSWER_SECONDS = POOL_TIMEOUT + 1.0
# What uvicorn logs for an exception no handler turned into a response (a 500). The pool's own
# "Exception during reset" tracebacks of connections lost in an outage are logs, not responses.
UNHANDLED = "Exception in ASGI application"


@dataclass
class Tally:
    """What the test did, for the figures of the robustness report."""

    requests: int = 0
    faults: int = 0
    statuses: Counter[int] = field(default_factory=Counter)

    def record(self, response: httpx.Response) -> httpx.Response:
        self.requests += 1
        self.statuses[response.status_code] += 1
        return response


def _every_endpoint(
    client: httpx.Client, author_id: int, book_id: int
) -> dict[str, Callable[[], httpx.Response]]:
    return {
        "GET /health": lambda: client.get("/health"),
        "GET authors": lambda: client.get("/api/v1/authors"),
        "GET author": lambda: client.get(f"/api/v1/authors/{author_id}"),
        "POST author": lambda: client.post("/api/v1/authors", json={"name": "during-outage"}),
        "PATCH author": lambda: client.patch(f"/api/v1/authors/{author_id}", json={"name": "renamed"}),
        "DELETE author": lambda: client.delete(f"/api/v1/authors/{author_id}"),
        "GET books": lambda: client.get("/api/v1/books", params={"author_id": author_id}),
        "GET book": lambda: client.get(f"/api/v1/books/{book_id}"),
        "POST book": lambda: client.post("/api/v1/books", json={"title": "t", "author_id": author_id}),
        "PATCH book": lambda: client.patch(f"/api/v1/books/{book_id}", json={"title": "u"}),
        "DELETE book": lambda: client.delete(f"/api/v1/books/{book_id}"),
    }


def _assert_all_unavailable(client: httpx.Client, ids: tuple[int, int], tally: Tally) -> None:
    for name, request in _every_endpoint(client, *ids).items():
        started = time.monotonic()
        response = tally.record(request())
        elapsed = time.monotonic() - started
        assert response.status_code == 503, (name, response.status_code, response.text)
        assert response.json() == {"detail": "database unavailable"}, name
        assert response.headers["retry-after"]
        assert elapsed < MAX_OUTAGE_ANSWER_SECONDS, (name, elapsed)


def _wait_until_healthy(client: httpx.Client, tally: Tally, within: float = 20) -> float:
    """Seconds until /health answers 200 again, with no restart of the app."""
    started = time.monotonic()
    while True:
        response = tally.record(client.get("/health"))
        if response.status_code == 200:
            return time.monotonic() - started
        assert response.status_code == 503, response.text
        assert time.monotonic() - started < within, "the app did not recover on its own"
        time.sleep(0.2)


def _seed(client: httpx.Client, tally: Tally) -> tuple[int, int]:
    author = tally.record(client.post("/api/v1/authors", json={"name": "seed"})).json()
    book = tally.record(
        client.post("/api/v1/books", json={"title": "seed", "author_id": author["id"]})
    ).json()
    return author["id"], book["id"]


def _assert_all_work(client: httpx.Client, ids: tuple[int, int], tally: Tally) -> None:
    author_id, book_id = ids
    assert tally.record(client.get("/health")).json() == {"status": "ok", "database": "ok"}
    assert tally.record(client.get(f"/api/v1/authors/{author_id}")).status_code == 200
    assert tally.record(client.get(f"/api/v1/books/{book_id}")).status_code == 200
    assert tally.record(client.get("/api/v1/books")).status_code == 200


async def _writes_through_an_outage(
    base_url: str, prefix: str, outage: Callable[[], None], recovery: Callable[[], None], tally: Tally
) -> set[str]:
    """Writers create rows while the database fails and returns; the names answered 201."""
    created: set[str] = set()
    stop = asyncio.Event()

    async def writer(client: httpx.AsyncClient, worker: int) -> None:
        n = 0
        while not stop.is_set():
            name = f"{prefix}-{worker}-{n}"
            n += 1
            response = tally.record(await client.post("/api/v1/authors", json={"name": name}))
            assert response.status_code in (201, 503), response.text
            if response.status_code == 201:
                created.add(name)
            else:
                await asyncio.sleep(0.05)

    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        workers = [asyncio.create_task(writer(client, worker)) for worker in range(20)]
        await asyncio.sleep(1.0)
        await asyncio.to_thread(outage)
        await asyncio.sleep(1.0)
        await asyncio.to_thread(recovery)
        await asyncio.sleep(2.0)
        stop.set()
        await asyncio.gather(*workers)
    return created


def _stored_names(database_url: str, sync_driver: str, prefix: str) -> set[str]:
    url = make_url(database_url)
    engine = create_engine(url.set(drivername=f"{url.get_backend_name()}+{sync_driver}"))
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT name FROM author WHERE name LIKE :p"), {"p": f"{prefix}-%"}
            )
            return {row[0] for row in rows}
    finally:
        engine.dispose()


def _report(label: str, tally: Tally, lost: int) -> None:
    server_errors = sum(n for code, n in tally.statuses.items() if code >= 500 and code != 503)
    print(
        f"\n[{label}] requests: {tally.requests}, faults injected: {tally.faults}, "
        f"5xx other than 503: {server_errors}, rows lost: {lost}, "
        f"statuses: {dict(sorted(tally.statuses.items()))}"
    )
    assert server_errors == 0


# --- PostgreSQL: a cluster of our own, stopped and started ------------------------------------------


@pytest.fixture(scope="module")
def cluster() -> Iterator[ThrowawayCluster]:
    cluster = ThrowawayCluster()
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.remove()


@pytest.fixture(scope="module")
def pg_service(
    cluster: ThrowawayCluster, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Server, str]]:
    folder = tmp_path_factory.mktemp("faults-pg")
    project = new_project(folder, "fault_api", "postgresql", "asyncpg", MODELS)
    admin = create_engine(make_url(cluster.url("psycopg")), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("CREATE DATABASE fault_api"))
    admin.dispose()
    url = cluster.url("asyncpg", "fault_api")
    migrate(project, url)
    with serve(project, url, database_pool_timeout=str(POOL_TIMEOUT)) as server:
        yield server, url
        output = server.output()
    assert cluster.password not in output
    assert UNHANDLED not in output


def test_postgresql_outage_gives_503_then_recovers_on_its_own(
    cluster: ThrowawayCluster, pg_service: tuple[Server, str]
) -> None:
    server, _ = pg_service
    tally = Tally()
    with httpx.Client(base_url=server.url, timeout=30) as client:
        ids = _seed(client, tally)
        for mode in ("fast", "immediate"):  # a clean shutdown, then a crash
            cluster.stop(mode)
            tally.faults += 1
            _assert_all_unavailable(client, ids, tally)
            _assert_all_unavailable(client, ids, tally)  # still quick the second time round
            cluster.start()
            recovered = _wait_until_healthy(client, tally)
            print(f"\n[postgresql] recovered {recovered:.1f}s after the restart ({mode} stop)")
            _assert_all_work(client, ids, tally)
        # Idle connections dropped under the pool's feet (an admin, a proxy's idle timeout): the
        # ping at checkout replaces them, and no request notices.
        admin = create_engine(make_url(cluster.url("psycopg")), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            killed = connection.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = 'fault_api'"
                )
            ).scalar()
        admin.dispose()
        assert killed
        tally.faults += 1
        time.sleep(1)  # idle, as connections are when a timeout or an admin closes them
        _assert_all_work(client, ids, tally)
    _report("postgresql outage", tally, lost=0)


def test_postgresql_crash_under_write_load_loses_no_acknowledged_row(
    cluster: ThrowawayCluster, pg_service: tuple[Server, str]
) -> None:
    server, url = pg_service
    tally = Tally(faults=1)
    created = asyncio.run(
        _writes_through_an_outage(server.url, "load", lambda: cluster.stop("immediate"), cluster.start, tally)
    )
    with httpx.Client(base_url=server.url, timeout=30) as client:
        _wait_until_healthy(client, tally)
    stored = _stored_names(url, "psycopg", "load")
    lost = created - stored
    _report("postgresql crash under load", tally, lost=len(lost))
    assert tally.statuses[503] > 0, "the outage was not seen"
    assert len(created) > 100
    assert not lost, f"{len(lost)} rows answered 201 but not stored"


def test_password_never_reaches_reprs_or_logs(
    cluster: ThrowawayCluster, pg_service: tuple[Server, str]
) -> None:
    server, url = pg_service
    project = Path(server.log).parent / "fault_api"
    package = package_of(project)
    script = (
        f"from {package}.config import settings\n"
        f"from {package}.database import Database\n"
        "database = Database.open(settings.database_url.get_secret_value())\n"
        "print(repr(settings), settings, settings.model_dump())\n"
        "print(database, database.engine, database.engine.url)\n"
    )
    shown = subprocess.run(
        [sys.executable, "-c", script],
        cwd=project,
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        check=True,
    )
    assert "fault_api" in shown.stdout and cluster.password not in shown.stdout + shown.stderr
    # Rendered files hold no password; .env stays out of git, .env.example is the only one kept.
    for path in project.rglob("*"):
        if path.is_file() and ".mypy_cache" not in path.parts:
            assert cluster.password not in path.read_text(errors="replace"), path
    ignore = (project / ".gitignore").read_text().splitlines()
    assert ".env" in ignore and "!.env.example" in ignore
    example = (project / ".env.example").read_text()
    assert "DATABASE_URL=postgresql+asyncpg://USER:PASSWORD@" in example
    assert server.output().count("database unavailable") > 0  # the outage was logged, without secrets
    assert cluster.password not in server.output()


# --- MariaDB: the way to the server is cut -----------------------------------------------------------


@pytest.fixture(scope="module")
def mysql_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str, CuttableProxy]]:
    require_server("mysql")
    folder = tmp_path_factory.mktemp("faults-mysql")
    project = new_project(folder, "fault_api", "mysql", "asyncmy", MODELS)
    server_url = make_url(SERVER_URLS["mysql"])
    with throwaway_database("mysql", "asyncmy", folder) as url:
        migrate(project, url)
        proxy = CuttableProxy((server_url.host or "127.0.0.1", server_url.port or 3306))
        proxied = make_url(url).set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        try:
            with serve(project, proxied, database_pool_timeout=str(POOL_TIMEOUT)) as server:
                yield server, url, proxy
                assert UNHANDLED not in server.output()
        finally:
            proxy.close()


def test_mariadb_outage_gives_503_then_recovers_on_its_own(
    mysql_service: tuple[Server, str, CuttableProxy],
) -> None:
    server, url, proxy = mysql_service
    tally = Tally()
    with httpx.Client(base_url=server.url, timeout=30) as client:
        ids = _seed(client, tally)
        for slam in (False, True):  # a server that is down; a proxy whose server is down
            proxy.cut(slam)
            tally.faults += 1
            _assert_all_unavailable(client, ids, tally)
            proxy.restore()
            recovered = _wait_until_healthy(client, tally)
            print(f"\n[mysql] recovered {recovered:.1f}s after the way back opened")
            _assert_all_work(client, ids, tally)
        # MySQL closes idle connections itself (wait_timeout): kill the app's, as the server would.
        admin = create_engine(make_url(url).set(drivername="mysql+pymysql"))
        with admin.connect() as connection:
            ids_to_kill = connection.execute(
                text(
                    "SELECT id FROM information_schema.processlist WHERE db = :db AND id <> CONNECTION_ID()"
                ),
                {"db": make_url(url).database},
            ).scalars()
            for connection_id in list(ids_to_kill):
                connection.execute(text(f"KILL {int(connection_id)}"))
                tally.faults += 1
        admin.dispose()
        time.sleep(1)
        _assert_all_work(client, ids, tally)
    _report("mariadb outage", tally, lost=0)


def test_mariadb_cut_under_write_load_loses_no_acknowledged_row(
    mysql_service: tuple[Server, str, CuttableProxy],
) -> None:
    server, url, proxy = mysql_service
    tally = Tally(faults=1)
    created = asyncio.run(_writes_through_an_outage(server.url, "load", proxy.cut, proxy.restore, tally))
    with httpx.Client(base_url=server.url, timeout=30) as client:
        _wait_until_healthy(client, tally)
    lost = created - _stored_names(url, "pymysql", "load")
    _report("mariadb cut under load", tally, lost=len(lost))
    assert tally.statuses[503] > 0, "the outage was not seen"
    assert len(created) > 100
    assert not lost, f"{len(lost)} rows answered 201 but not stored"
