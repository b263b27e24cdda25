"""Reading the schema: the `--from-database` URL, the project's database and driver it leads to, and
the tables as SQLAlchemy's inspector describes them, read through the async engine (`run_sync`)."""

from __future__ import annotations

import asyncio
import copy
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL, Connection, make_url

from generator.errors import UsageError
from generator.project_options import DRIVERS

CONNECT_TIMEOUT_SECONDS = 10
# Backends of SQLAlchemy URLs, by the `--db` of the project they lead to.
_DATABASES = {
    "postgresql": "postgresql",
    "postgres": "postgresql",
    "mysql": "mysql",
    "mariadb": "mysql",
    "sqlite": "sqlite",
}
_CONNECT_ARGS = {
    "asyncpg": {"timeout": CONNECT_TIMEOUT_SECONDS},
    "psycopg": {"connect_timeout": CONNECT_TIMEOUT_SECONDS},
    "asyncmy": {"connect_timeout": CONNECT_TIMEOUT_SECONDS},
    "aiomysql": {"connect_timeout": CONNECT_TIMEOUT_SECONDS},
}


@dataclass(frozen=True)
class Table:
    """One table as the inspector describes it (plain dicts, as SQLAlchemy returns them)."""

    name: str
    columns: list[dict[str, Any]]
    primary_key: list[str]
    foreign_keys: list[dict[str, Any]]
    unique_constraints: list[dict[str, Any]]
    indexes: list[dict[str, Any]]
    checks: list[dict[str, Any]]
    # Unique constraints the database enforces but SQLAlchemy cannot read back (SQLite's column
    # constraint UNIQUE): not modelled, or Alembic would see them missing.
    hidden_uniques: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Schema:
    """The tables of a database by name, and the names of its views."""

    tables: dict[str, Table]
    views: list[str]


def database_url(text: str) -> URL:
    """Parse a URL without ever echoing it: SQLAlchemy's own message would print the password."""
    try:
        url = make_url(text)
    except Exception:  # ArgumentError, ValueError: any malformed URL is the same usage error
        raise UsageError(
            "invalid --from-database URL; expected e.g. postgresql://user:password@host:5432/dbname"
        ) from None
    if url.get_backend_name() not in _DATABASES:
        raise UsageError(
            f"--from-database supports PostgreSQL, MySQL/MariaDB and SQLite URLs, not {url.get_backend_name()!r}"
        )
    if url.get_backend_name() == "sqlite":
        # SQLite would create a missing file: an empty database is not the one the user meant.
        path = url.database or ""
        if path in ("", ":memory:") or not Path(path).is_file():
            raise UsageError(f"no SQLite database file at {path or '(none)'}: sqlite:///path/to/file.db")
    return url


def project_database(url: URL, db: str | None, driver: str | None) -> tuple[str, str]:
    """The project's database and async driver: from the URL, unless --db/--driver say otherwise."""
    database = _DATABASES[url.get_backend_name()]
    if db is not None and db != database:
        raise UsageError(f"--db {db} does not fit the {database} database of --from-database")
    # Only a driver the URL names explicitly (postgresql+psycopg://) is taken from it.
    url_driver = url.get_driver_name() if "+" in url.drivername else None
    chosen = driver or (url_driver if url_driver in DRIVERS[database] else DRIVERS[database][0])
    if chosen not in DRIVERS[database]:
        raise UsageError(
            f"driver {chosen!r} does not fit database {database!r}; "
            f"choose one of {', '.join(DRIVERS[database])}"
        )
    return database, chosen


def read_schema(url: URL, database: str, driver: str) -> Schema:
    """The schema of the database at `url`, through the project's async driver; usage errors exit 2."""
    return asyncio.run(_read_schema(url.set(drivername=f"{database}+{driver}"), driver))


async def _read_schema(url: URL, driver: str) -> Schema:
    from sqlalchemy import exc
    from sqlalchemy.ext.asyncio import create_async_engine
    from sqlalchemy.pool import NullPool

    engine = create_async_engine(url, poolclass=NullPool, connect_args=_CONNECT_ARGS.get(driver, {}))
    try:
        async with asyncio.timeout(CONNECT_TIMEOUT_SECONDS * 6):
            async with engine.connect() as connection:
                return await connection.run_sync(_inspect)
    except ImportError as error:
        raise UsageError(
            f"the {driver} driver is not installed ({error.name}): pip install {driver}"
        ) from None
    except (exc.DBAPIError, exc.NoSuchModuleError, OSError, TimeoutError) as error:
        raise UsageError(
            f"cannot read the database at {url.render_as_string()}: {_reason(error, url)}"
        ) from None
    finally:
        await engine.dispose()


def _reason(error: BaseException, url: URL) -> str:
    """The driver's first line, with the password blanked should a driver ever echo it."""
    if isinstance(error, TimeoutError):
        return f"no answer within {CONNECT_TIMEOUT_SECONDS * 6} seconds"
    original = getattr(error, "orig", None) or error
    lines = str(original).strip().splitlines()
    text = lines[0] if lines else type(original).__name__
    if url.password:
        text = text.replace(str(url.password), "***")
    return text


def _inspect(connection: Connection) -> Schema:
    from sqlalchemy import inspect

    inspector = inspect(connection)
    sqlite = connection.dialect.name == "sqlite"
    json_checks = _mariadb_json_checks(connection)
    domain_types = _postgresql_domain_types(connection)
    tables = {}
    for name in inspector.get_table_names():
        if name == "alembic_version" or name.startswith("sqlite_"):  # bookkeeping, not data
            continue
        uniques = inspector.get_unique_constraints(name)
        tables[name] = Table(
            name=name,
            columns=[_with_domain_type(dict(column), domain_types) for column in inspector.get_columns(name)],
            primary_key=list(inspector.get_pk_constraint(name).get("constrained_columns") or []),
            foreign_keys=[dict(fk) for fk in inspector.get_foreign_keys(name)],
            unique_constraints=[dict(uq) for uq in uniques if uq.get("name") or not sqlite],
            hidden_uniques=_sqlite_column_uniques(connection, name, uniques),
            indexes=[dict(index) for index in inspector.get_indexes(name)],
            checks=_checks(inspector, name) + json_checks.get(name, []),
        )
    return Schema(tables=tables, views=list(inspector.get_view_names()))


def _sqlite_column_uniques(connection: Connection, table: str, reported: Any) -> list[dict[str, Any]]:
    """SQLite's unnamed unique constraints: Alembic cannot match them with a model's. Column
    constraints `UNIQUE` the inspector does not even report; the automatic indexes behind them
    (origin 'u') show them."""
    if connection.dialect.name != "sqlite":
        return []
    named = [list(uq["column_names"]) for uq in reported if uq.get("name")]
    quoted = table.replace('"', '""')
    uniques = []
    for row in connection.exec_driver_sql(f'PRAGMA index_list("{quoted}")').mappings():
        if row["origin"] != "u" or not str(row["name"]).startswith("sqlite_autoindex_"):
            continue
        index = str(row["name"]).replace('"', '""')
        columns = [
            info["name"] for info in connection.exec_driver_sql(f'PRAGMA index_info("{index}")').mappings()
        ]
        if columns not in named:
            uniques.append({"name": None, "column_names": columns})
    return uniques


def _postgresql_domain_types(connection: Connection) -> dict[tuple[str | None, str | None], str]:
    """The base type of each PostgreSQL domain with its modifiers (`numeric(8,2)`,
    `character varying(30)`), by (schema, name): SQLAlchemy's DOMAIN keeps the bare type only."""
    if connection.dialect.name != "postgresql":
        return {}
    rows = connection.exec_driver_sql(
        "SELECT n.nspname, pg_catalog.pg_type_is_visible(t.oid), t.typname,"
        " pg_catalog.format_type(t.typbasetype, t.typtypmod)"
        " FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace"
        " WHERE t.typtype = 'd' AND t.typtypmod <> -1"
    )
    return {(None if visible else str(schema), str(name)): str(base) for schema, visible, name, base in rows}


_MODIFIERS = re.compile(r"\((\d+)(?:,(\d+))?\)")


def _with_domain_type(
    column: dict[str, Any], domain_types: dict[tuple[str | None, str | None], str]
) -> dict[str, Any]:
    """A domain column whose base type takes the domain's length, or precision and scale."""
    from sqlalchemy import types as sqltypes
    from sqlalchemy.dialects.postgresql import DOMAIN

    type_ = column["type"]
    if not isinstance(type_, DOMAIN):
        return column
    found = _MODIFIERS.search(domain_types.get((type_.schema, type_.name), ""))
    if found is None:
        return column
    first, second = int(found[1]), None if found[2] is None else int(found[2])
    base = type_.data_type
    rebuilt: sqltypes.TypeEngine[Any]
    if isinstance(base, sqltypes.Numeric) and not isinstance(base, sqltypes.Float):
        rebuilt = type(base)(precision=first, scale=second if second is not None else 0)
    elif isinstance(base, sqltypes.String) and second is None:
        rebuilt = type(base)(length=first)
    else:
        return column
    domain = copy.copy(type_)  # the same domain, name, checks and all
    domain.data_type = rebuilt
    return {**column, "type": domain}


def _mariadb_json_checks(connection: Connection) -> dict[str, list[dict[str, Any]]]:
    """MariaDB's JSON columns: LONGTEXT with a column CHECK (json_valid(col)), which SQLAlchemy's
    inspector does not report; information_schema does."""
    if connection.dialect.name != "mysql" or not getattr(connection.dialect, "is_mariadb", False):
        return {}
    rows = connection.exec_driver_sql(
        "SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS "
        "WHERE CONSTRAINT_SCHEMA = DATABASE()"
    )
    checks: dict[str, list[dict[str, Any]]] = {}
    for table, name, clause in rows:
        checks.setdefault(str(table), []).append({"name": name, "sqltext": str(clause)})
    return checks


def _checks(inspector: Any, name: str) -> list[dict[str, Any]]:
    try:
        return list(inspector.get_check_constraints(name))
    except NotImplementedError:  # pragma: no cover - every supported dialect implements it
        return []
