"""The apps under test: what each one is, the schema it needs, and how it is served."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from sqlalchemy.engine import URL

from benchmarks import servers

REPOSITORY = Path(__file__).resolve().parent.parent
BASELINE_DRIVER = "asyncpg"
# The one endpoint every app serves without any code of its own: row 1 is seeded and never deleted.
ITEM_ONE = "/api/v1/items/1"

Kind = Literal["baseline", "textbook", "project"]


@dataclass(frozen=True)
class App:
    """One app of a run.

    `name` labels it in the report ("baseline", "textbook", "generated", "before"). `project` is a
    rendered project: the one served for a `project` app, and for every app the one whose Alembic
    builds its database (the baseline and the textbook app serve the same table). `env` is extra
    environment for a project's server: its settings, such as DATABASE_POOL_SIZE.
    """

    name: str
    kind: Kind
    project: Path
    driver: str
    env: Mapping[str, str] = field(default_factory=dict)


@contextlib.contextmanager
def serve(app: App, url: URL, workers: int, log: Path) -> Iterator[servers.Server]:
    """Serve `app` on its database at `url` with `workers` uvicorn processes."""
    if app.kind == "baseline":
        dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
        module = "benchmarks.baseline:app"
        env = {"BASELINE_DSN": dsn, "PYTHONPATH": str(REPOSITORY)}
        ready = ITEM_ONE
    elif app.kind == "textbook":
        module = "benchmarks.textbook:app"
        env = {
            "TEXTBOOK_DATABASE_URL": url.render_as_string(hide_password=False),
            "PYTHONPATH": str(REPOSITORY),
        }
        ready = ITEM_ONE
    else:
        module = f"{package(app.project)}.main:app"
        env = {
            **app.env,
            "DATABASE_URL": url.render_as_string(hide_password=False),
            "PYTHONPATH": str(app.project),
        }
        ready = "/health"
        if caches(app):
            clear_cache(app.env["REDIS_URL"], app.env["CACHE_PREFIX"])
    with servers.uvicorn(
        module, cwd=app.project, env=env, workers=workers, ready_path=ready, log=log
    ) as server:
        yield server


def caches(app: App) -> bool:
    """Whether `app` is a project rendered with `--cache redis`."""
    return "REDIS_URL" in app.env


def clear_cache(redis_url: str, prefix: str) -> None:
    """Delete the keys of a `--cache redis` app: each serving starts with an empty cache (and
    never meets rows cached from another of the run's databases)."""
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        for key in client.scan_iter(match=f"{prefix}:*", count=1000):
            client.unlink(key)
    finally:
        client.close()


def package(project: Path) -> str:
    """The Python package of a rendered project."""
    if (project / project.name).is_dir():
        return project.name
    import yaml

    return str(yaml.safe_load((project / ".copier-answers.yml").read_text())["package"])


_SETTING = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def parse_env(assignments: list[str] | None) -> dict[str, str]:
    """`KEY=VALUE` strings (from repeated `--env` options) as a mapping; SystemExit when malformed."""
    env: dict[str, str] = {}
    for assignment in assignments or []:
        key, equals, value = assignment.partition("=")
        if not equals or not _SETTING.fullmatch(key):
            raise SystemExit(f"--env takes KEY=VALUE, not {assignment!r}")
        if key.upper() == "DATABASE_URL":
            raise SystemExit("--env cannot set DATABASE_URL: every app gets a fresh database of the run")
        env[key] = value
    return env
