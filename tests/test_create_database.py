"""A database that does not exist yet: `alembic upgrade head` says so in one line and names the
command that creates it; `python -m <pkg>.manage create-db` creates it, once."""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from tests.support import SERVER_URLS, check, new_project, package_of, require_server, run, tool

SERVERS = [("postgresql", "asyncpg"), ("postgresql", "psycopg"), ("mysql", "asyncmy"), ("mysql", "aiomysql")]
_ADMIN_DRIVERS = {"postgresql": "psycopg", "mysql": "pymysql"}


@pytest.fixture(scope="module")
def projects(workspace: Path) -> dict[tuple[str, str], Path]:
    return {
        (db, driver): new_project(workspace, f"createdb_{driver}", db, driver, ["Book title"])
        for db, driver in SERVERS
    }


@pytest.mark.parametrize(("db", "driver"), SERVERS, ids=[f"{db}-{driver}" for db, driver in SERVERS])
def test_missing_database_is_one_line_until_create_db_makes_it(
    projects: dict[tuple[str, str], Path], db: str, driver: str
) -> None:
    require_server(db)
    project = projects[(db, driver)]
    name = f"asyncrud_new_{uuid.uuid4().hex[:10]}"
    url = make_url(SERVER_URLS[db]).set(drivername=f"{db}+{driver}", database=name)
    env = {"DATABASE_URL": url.render_as_string(hide_password=False)}
    manage = [sys.executable, "-m", f"{package_of(project)}.manage"]
    admin = create_engine(
        make_url(SERVER_URLS[db]).set(drivername=f"{db}+{_ADMIN_DRIVERS[db]}"), isolation_level="AUTOCOMMIT"
    )
    try:
        upgrade = run([tool("alembic"), "upgrade", "head"], cwd=project, env=env)
        assert upgrade.returncode == 1
        assert upgrade.stdout == ""
        assert upgrade.stderr.splitlines() == [
            f"error: database '{name}' on 127.0.0.1:{url.port} does not exist; "
            f"create it with: python -m {package_of(project)}.manage create-db"
        ]
        checked = run([*manage, "check-db"], cwd=project, env=env)
        assert checked.returncode == 1 and len(checked.stderr.splitlines()) == 1

        created = check([*manage, "create-db"], cwd=project, env=env)
        assert created.stdout.strip() == f"created database '{name}' on 127.0.0.1:{url.port}"
        again = check([*manage, "create-db"], cwd=project, env=env)
        assert again.stdout.strip().startswith("already there:")

        check([tool("alembic"), "upgrade", "head"], cwd=project, env=env)
        check([tool("alembic"), "check"], cwd=project, env=env)
        assert "answers" in check([*manage, "check-db"], cwd=project, env=env).stdout
    finally:
        with admin.connect() as connection:
            force = " WITH (FORCE)" if db == "postgresql" else ""
            connection.execute(text(f"DROP DATABASE IF EXISTS {name}{force}"))
        admin.dispose()


def test_unreachable_server_is_one_line(projects: dict[tuple[str, str], Path]) -> None:
    project = projects[("postgresql", "asyncpg")]
    env = {"DATABASE_URL": "postgresql+asyncpg://postgres@127.0.0.1:1/shop"}
    upgrade = run([tool("alembic"), "upgrade", "head"], cwd=project, env=env)
    assert upgrade.returncode == 1
    (line,) = upgrade.stderr.splitlines()
    assert line.startswith("error: cannot reach database 'shop' on 127.0.0.1:1: ConnectionRefusedError")


def test_create_db_on_sqlite_makes_the_folder_and_file(
    projects: dict[tuple[str, str], Path], tmp_path: Path
) -> None:
    project = projects[("postgresql", "asyncpg")]
    path = tmp_path / "data" / "app.db"
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{path}"}
    manage = [sys.executable, "-m", f"{package_of(project)}.manage"]
    assert check([*manage, "create-db"], cwd=project, env=env).stdout.startswith("created SQLite file")
    assert path.exists()
    check([tool("alembic"), "upgrade", "head"], cwd=project, env=env)
