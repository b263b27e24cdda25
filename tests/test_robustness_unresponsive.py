"""A database host that accepts connections and never answers (a frozen server, a dropped network)
costs a request a 503 within the connect timeout, not the driver's default of a minute.

PostgreSQL's drivers bound the whole connection handshake by their timeout. The MySQL drivers'
`connect_timeout` bounds opening the socket only, not waiting for the server's greeting, so a MySQL
server that accepts and then stays silent is not covered (a host that drops packets is).
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.served import serve
from tests.support import new_project

DRIVERS = [("postgresql", "asyncpg"), ("postgresql", "psycopg")]


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A listening port whose connections complete the TCP handshake (the kernel's backlog) and then
    hear nothing: no greeting, no reply, no close."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        yield int(listener.getsockname()[1])


@pytest.mark.parametrize(("db", "driver"), DRIVERS, ids=[f"{db}-{driver}" for db, driver in DRIVERS])
def test_unresponsive_database_gives_503_within_the_connect_timeout(
    workspace: Path, silent_server: int, db: str, driver: str
) -> None:
    project = new_project(workspace, f"silent_{driver}", db, driver, ["Note body:str(50)"])
    url = f"{db}+{driver}://user:secret@127.0.0.1:{silent_server}/app"

    with serve(project, url, DATABASE_CONNECT_TIMEOUT="2", DATABASE_POOL_TIMEOUT="2") as server:
        for path in ("/health", "/api/v1/notes", "/api/v1/notes/1"):
            started = time.monotonic()
            response = httpx.get(server.url + path, timeout=30)
            elapsed = time.monotonic() - started

            assert response.status_code == 503, (path, response.text)
            assert response.json()["detail"] == "database unavailable"
            # The connect timeout (2 s), and at most the pool timeout (2 s) waiting for a free slot.
            assert elapsed < 6, (path, elapsed)
        assert "secret" not in server.output()
