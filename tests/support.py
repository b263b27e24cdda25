"""Helpers shared by our tests: run the CLI, render projects, run a rendered project's own tools, and
create throwaway databases on this machine's servers."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import Engine, create_engine, make_url, text

BIN = Path(sys.executable).parent
ASYNCRUD = str(BIN / "asyncrud")

# Every database/driver pair a project can be generated for, with the ids tests are parametrized by.
COMBINATIONS = [
    ("sqlite", "aiosqlite"),
    ("postgresql", "asyncpg"),
    ("postgresql", "psycopg"),
    ("mysql", "asyncmy"),
    ("mysql", "aiomysql"),
]
COMBINATION_IDS = [f"{db}-{driver}" for db, driver in COMBINATIONS]

# Admin connections use sync drivers the test environment has anyway (psycopg; PyMySQL via aiomysql).
SERVER_URLS = {
    "postgresql": os.environ.get("TEST_POSTGRESQL_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
    "mysql": os.environ.get("TEST_MYSQL_URL", "mysql://root@127.0.0.1:3306/mysql"),
    # The Redis of `--cache redis` projects (.ci/run starts it); tests use a key prefix of their own.
    "redis": os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0"),
}
# The brokers of `--queue` projects (tests/test_queue.py).
BROKERS = ("redis", "rabbitmq")
BROKER_URLS = {
    "redis": SERVER_URLS["redis"],
    "rabbitmq": os.environ.get("TEST_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672/"),
}
UNREACHABLE_DATABASE_URL = "sqlite+aiosqlite:////nonexistent/development.db"
# What running tools leaves in a project: never compared.
TOOL_OUTPUT = {"__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache"}
_ADMIN_DRIVERS = {"postgresql": "psycopg", "mysql": "pymysql"}
# Sync drivers for reading or seeding a project's database from a test.
_SYNC_DRIVERS = {"sqlite": "sqlite", "postgresql": "postgresql+psycopg", "mysql": "mysql+pymysql"}


@dataclass(frozen=True)
class Result:
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run(
    args: Sequence[str], cwd: Path | None = None, env: dict[str, str] | None = None, timeout: int = 600
) -> Result:
    """Run a command to completion, capturing its output (never a shell)."""
    completed = subprocess.run(
        list(args),
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return Result(completed.returncode, completed.stdout, completed.stderr)


def check(
    args: Sequence[str], cwd: Path | None = None, env: dict[str, str] | None = None, timeout: int = 600
) -> Result:
    result = run(args, cwd, env, timeout)
    assert result.returncode == 0, f"{' '.join(args)} exited {result.returncode}:\n{result.output[-6000:]}"
    return result


def asyncrud(*args: str, cwd: Path | None = None) -> Result:
    """The installed `asyncrud` console script, as a user runs it."""
    return run([ASYNCRUD, *args], cwd=cwd, env={"COLUMNS": "200"})


def tool(name: str) -> str:
    """A tool of the test environment (ruff, mypy, alembic), shared by every rendered project."""
    return str(BIN / name)


def server_available(db: str) -> bool:
    url = make_url(SERVER_URLS[db])
    try:
        with socket.create_connection((url.host or "127.0.0.1", url.port or 0), timeout=2):
            return True
    except OSError:
        return False


def require_server(db: str) -> None:
    """Skip on a developer machine without the server; fail in CI, where database tests must run."""
    if db == "sqlite" or server_available(db):
        return
    reason = f"no {db} server at {make_url(SERVER_URLS[db]).render_as_string()} (set TEST_{db.upper()}_URL)"
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the database tests: {reason}")
    pytest.skip(reason)


def server_url(db: str, driver: str) -> str:
    """The server URL with the project's async driver: what a generated project's TEST_DATABASE_URL takes."""
    url = make_url(SERVER_URLS[db]).set(drivername=f"{db}+{driver}")
    return url.render_as_string(hide_password=False)


@contextlib.contextmanager
def throwaway_database(db: str, driver: str, tmp_path: Path) -> Iterator[str]:
    """A new empty database (a file for SQLite), dropped afterwards; yields its async URL."""
    if db == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / f'{uuid.uuid4().hex}.db'}"
        return
    require_server(db)
    admin_url = make_url(SERVER_URLS[db]).set(drivername=f"{db}+{_ADMIN_DRIVERS[db]}")
    name = f"asyncrud_{uuid.uuid4().hex[:12]}"
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    try:
        yield (
            make_url(SERVER_URLS[db])
            .set(drivername=f"{db}+{driver}", database=name)
            .render_as_string(hide_password=False)
        )
    finally:
        with engine.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        engine.dispose()


def new_project(
    parent: Path, name: str, db: str, driver: str, models: Sequence[str] = (), extra: Sequence[str] = ()
) -> Path:
    """`asyncrud new` through the installed CLI; returns the project folder."""
    dest = parent / name
    args = ["new", str(dest), "--db", db, "--driver", driver, "--defaults", *extra]
    for spec in models:
        args += ["--model", spec]
    result = asyncrud(*args)
    assert result.returncode == 0, result.output
    return dest


def package_of(project: Path) -> str:
    return str(answers_of(project)["package"])


def lint(project: Path) -> None:
    """ruff check, ruff format --check and mypy --strict on a rendered project."""
    check([tool("ruff"), "check", "--no-cache", "."], cwd=project)
    check([tool("ruff"), "format", "--check", "--no-cache", "."], cwd=project)
    cache = project.parent / ".mypy_cache"
    check(
        [tool("mypy"), "--strict", "--cache-dir", str(cache), package_of(project), "tests", "migrations"],
        cwd=project,
    )


def migrate_and_check(project: Path, database_url: str) -> None:
    """`alembic upgrade head`, `alembic check`, a full downgrade and upgrade again."""
    env = {"DATABASE_URL": database_url}
    check([tool("alembic"), "upgrade", "head"], cwd=project, env=env)
    check([tool("alembic"), "check"], cwd=project, env=env)
    check([tool("alembic"), "downgrade", "base"], cwd=project, env=env)
    check([tool("alembic"), "upgrade", "head"], cwd=project, env=env)


def run_project_tests(
    project: Path, db: str, driver: str, *extra: str, env: dict[str, str] | None = None
) -> Result:
    """The generated project's own pytest suite, on SQLite or on a throwaway database of `db`;
    `env` adds settings (TEST_REDIS_URL)."""
    if db != "sqlite":
        require_server(db)
    env = {
        "TEST_DATABASE_URL": server_url(db, driver) if db != "sqlite" else "",
        # The development database must never be touched by tests: point it where nothing answers.
        "DATABASE_URL": UNREACHABLE_DATABASE_URL,
        **(env or {}),
    }
    return check(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *extra], cwd=project, env=env
    )


def alembic(project: Path, url: str, *args: str) -> str:
    """The project's `alembic` on the database `url`."""
    # PATH: alembic.ini's post-write hook runs `ruff` on revisions that `alembic revision` writes.
    env = {"DATABASE_URL": url, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    return check([tool("alembic"), *args], cwd=project, env=env).output


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under `root` with its bytes, but for what tools and SQLite leave behind."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not TOOL_OUTPUT & set(path.relative_to(root).parts) and path.suffix != ".db"
    }


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first `old` in the file with `new`, as a user's edit; `old` must be there."""
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def answers_of(project: Path) -> dict[str, Any]:
    answers: dict[str, Any] = yaml.safe_load((project / ".copier-answers.yml").read_text())
    return answers


def recopy(project: Path, copy: Path) -> Path:
    """`copier recopy` of a copy of `project`: what its answers file alone renders."""
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns(*TOOL_OUTPUT, "*.db"))
    check([tool("copier"), "recopy", "--trust", "--defaults", "--overwrite", "--quiet", str(copy)])
    return copy


def migrate_new_revision(project: Path, url: str) -> None:
    """After a command wrote a revision: up to it, `alembic check`, one step down and up again."""
    alembic(project, url, "upgrade", "head")
    alembic(project, url, "check")
    alembic(project, url, "downgrade", "-1")
    alembic(project, url, "upgrade", "head")


def sync_engine(url: str) -> Engine:
    """A synchronous engine on the database of a project's async `url`."""
    async_url = make_url(url)
    return create_engine(async_url.set(drivername=_SYNC_DRIVERS[async_url.get_backend_name()]))


def assert_refused(project: Path, *args: str, message: str) -> None:
    """`asyncrud ARGS... --project PROJECT` exits 2 with `message` and no traceback, writing nothing."""
    before = snapshot(project)

    result = asyncrud(*args, "--project", str(project))

    assert result.returncode == 2, result.output
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.output
    assert snapshot(project) == before


def made_by(project: Path, version: str) -> None:
    """Make the answers file say that asyncrud `version` rendered the project."""
    answers = answers_of(project)
    answers["_asyncrud_version"] = version
    (project / ".copier-answers.yml").write_text(yaml.safe_dump(answers))


def require_broker(broker: str) -> None:
    """Skip on a developer machine without the broker; fail in CI."""
    if broker == "redis":
        require_server("redis")
        return
    url = make_url(BROKER_URLS["rabbitmq"].replace("amqp://", "postgresql://", 1))
    try:
        with socket.create_connection((url.host or "127.0.0.1", url.port or 5672), timeout=2):
            return
    except OSError:
        reason = f"no RabbitMQ at {url.host}:{url.port} (set TEST_RABBITMQ_URL)"
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the queue tests: {reason}")
    pytest.skip(reason)
