"""Fresh benchmark databases: created, migrated by the project's own Alembic, seeded, dropped."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, make_url, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

# Where the servers are; the benchmark makes its own databases beside their maintenance database.
SERVERS = {
    "postgresql": "postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
    "mysql": "mysql+pymysql://root@127.0.0.1:3306/mysql",
}
DATABASE_OF_DRIVER = {
    "asyncpg": "postgresql",
    "psycopg": "postgresql",
    "asyncmy": "mysql",
    "aiosqlite": "sqlite",
}

# Seed rows: a name, a quantity, a price and the active flag; `n` counts from 1.
_SEED_COLUMNS = "name, quantity, price, active, created_at, updated_at"
_SEED_VALUES = {
    "postgresql": (
        "SELECT 'item ' || n, n % 1000, (n % 500) + 0.25, true, now(), now() "
        "FROM generate_series(1, :count) AS n"
    ),
    "mysql": (
        "WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < :count) "
        "SELECT CONCAT('item ', n), n % 1000, (n % 500) + 0.25, true, "
        "UTC_TIMESTAMP(6), UTC_TIMESTAMP(6) FROM seq"
    ),
    "sqlite": (
        "WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < :count) "
        "SELECT 'item ' || n, n % 1000, (n % 500) + 0.25, 1, "
        "strftime('%Y-%m-%d %H:%M:%f', 'now'), strftime('%Y-%m-%d %H:%M:%f', 'now') FROM seq"
    ),
}


@contextlib.contextmanager
def fresh_database(driver: str, workdir: Path) -> Iterator[URL]:
    """A new empty database for `driver` (async URL), dropped afterwards."""
    db = DATABASE_OF_DRIVER[driver]
    name = f"asyncrud_bench_{uuid.uuid4().hex[:10]}"
    if db == "sqlite":
        path = workdir / f"{name}.db"
        yield make_url(f"sqlite+aiosqlite:///{path}")
        path.unlink(missing_ok=True)
        return
    admin = create_engine(SERVERS[db], isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    try:
        yield make_url(SERVERS[db]).set(drivername=f"{db}+{driver}", database=name)
    finally:
        with admin.connect() as connection:
            if db == "postgresql":
                connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            else:
                connection.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        admin.dispose()


def migrate(project: Path, url: URL) -> None:
    """`alembic upgrade head` of the generated project: the schema both apps serve."""
    subprocess.run(
        [sys.executable, "-m", "alembic", "upgrade", "head"],
        cwd=project,
        env=_env(url),
        check=True,
        capture_output=True,
    )


def seed(url: URL, count: int) -> int:
    """Insert `count` rows into `item` in one statement; returns the first new id."""
    engine = create_engine(sync_url(url))
    with engine.begin() as connection:
        before = connection.scalar(text("SELECT coalesce(max(id), 0) FROM item"))
        if connection.dialect.name in ("mysql", "mariadb"):
            # The recursive CTE counts to `count`: past MariaDB's and MySQL's default depth of 1000.
            for variable in ("max_recursive_iterations", "cte_max_recursion_depth"):
                with contextlib.suppress(DBAPIError):
                    connection.execute(text(f"SET SESSION {variable} = {count + 1}"))
        values = _SEED_VALUES["mysql" if connection.dialect.name == "mariadb" else connection.dialect.name]
        connection.execute(text(f"INSERT INTO item ({_SEED_COLUMNS}) {values}"), {"count": count})
        first = connection.scalar(text("SELECT min(id) FROM item WHERE id > :before"), {"before": before})
        if connection.dialect.name == "postgresql":
            connection.execute(text("ANALYZE item"))
    engine.dispose()
    return int(first)


def sync_url(url: URL) -> URL:
    sync_driver = {"postgresql": "psycopg", "mysql": "pymysql", "sqlite": "pysqlite"}
    backend = url.get_backend_name()
    return url.set(drivername=f"{backend}+{sync_driver[backend]}")


def _env(url: URL) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": url.render_as_string(hide_password=False)}
