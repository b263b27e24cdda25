"""The project-level answers of `asyncrud new` (name, package, database, driver), validated."""

from __future__ import annotations

import keyword
import re
import sys
from dataclasses import dataclass

from generator.errors import UsageError

# The async drivers of each database; the first is the default.
DRIVERS = {
    "sqlite": ("aiosqlite",),
    "postgresql": ("asyncpg", "psycopg"),
    "mysql": ("asyncmy", "aiomysql"),
}

# Top-level modules a generated project imports (standard library ones every interpreter has, and
# the dependencies): a package of the same name would shadow them.
RESERVED_PACKAGES = frozenset(
    """
    abc array ast asyncio base64 bisect builtins calendar cmath code collections contextlib copy csv
    dataclasses datetime decimal email enum functools glob hashlib heapq html http importlib inspect io
    itertools json keyword logging math numbers operator os pathlib pickle platform queue random re
    select selectors shutil signal site socket sqlite3 ssl stat string struct subprocess sys tempfile
    test tests threading time token tokenize types typing unittest urllib uuid warnings weakref xml
    zipfile zoneinfo alembic aiomysql aiosqlite anyio asyncmy asyncpg fastapi httpx migrations mypy psycopg pydantic
    pydantic_settings pytest ruff sqlalchemy starlette uvicorn yaml annotated_types certifi click conftest dotenv greenlet h11
    httpcore httptools idna mako markupsafe packaging pluggy pydantic_core pymysql pytest_asyncio sniffio typing_extensions typing_inspection uvloop
    watchfiles websockets and as assert async await break class continue def del elif else
    except finally for from global if import in is lambda nonlocal not or pass
    raise return try while with yield
    """.split()
)

PROJECT_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9 _-]{0,63}$")
PACKAGE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
# Folder names Windows refuses, whatever the extension: a project must be checkable out anywhere.
_WINDOWS_DEVICES = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)), *(f"lpt{n}" for n in range(10))}
)


@dataclass(frozen=True)
class ProjectOptions:
    name: str
    package: str
    database: str
    driver: str
    description: str = "An async FastAPI + SQLAlchemy 2.0 service."
    cache: str = "none"
    queue: str = "none"

    def to_answers(self) -> dict[str, str]:
        return {
            "project_name": self.name,
            "package": self.package,
            "description": self.description,
            "cache": self.cache,
            "queue": self.queue,
            "database": self.database,
            "driver": self.driver,
        }


def package_from_name(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def is_reserved_package(package: str) -> bool:
    """A top-level package of this name would shadow (or be shadowed by) a module the project imports.

    RESERVED_PACKAGES covers keywords, common stdlib modules and the dependencies; this interpreter's
    full stdlib list and Windows' device names are checked here too.
    """
    return (
        package in RESERVED_PACKAGES
        or package in sys.stdlib_module_names
        or keyword.iskeyword(package)
        or package in _WINDOWS_DEVICES
    )


def check_database(database: str) -> str:
    if database not in DRIVERS:
        raise UsageError(f"unknown database {database!r}; choose one of {', '.join(DRIVERS)}")
    return database


def default_driver(database: str) -> str:
    return DRIVERS[check_database(database)][0]


def check_package(package: str) -> str:
    if not PACKAGE.match(package):
        raise UsageError(f"invalid package name {package!r}: use a lowercase Python identifier")
    if is_reserved_package(package):
        raise UsageError(
            f"package name {package!r} would shadow a Python keyword, the standard library or a dependency; "
            "choose another project name with --name"
        )
    return package


def check_driver(database: str, driver: str) -> str:
    check_database(database)
    if driver not in DRIVERS[database]:
        raise UsageError(
            f"driver {driver!r} does not fit database {database!r}; "
            f"choose one of {', '.join(DRIVERS[database])}"
        )
    return driver


# `--cache`: where GET by id is cached; `--queue`: the broker that carries the events of every write.
CACHES = ("none", "redis")
QUEUES = ("none", "redis", "rabbitmq")


def check_choice(option: str, value: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise UsageError(f"unknown {option} {value!r}; choose one of {', '.join(choices)}")
    return value


def project_options(
    name: str,
    database: str,
    driver: str | None,
    package: str | None = None,
    description: str | None = None,
    cache: str = "none",
    queue: str = "none",
) -> ProjectOptions:
    if not PROJECT_NAME.match(name):
        raise UsageError(
            f"invalid project name {name!r}: start with a letter; use at most 64 ASCII letters, digits, "
            "spaces, '-' or '_'; give one with --name"
        )
    package = check_package(package or package_from_name(name))
    driver = check_driver(database, driver or default_driver(database))
    if description is not None and (re.search(r'["\\\n]', description) or not description.strip()):
        raise UsageError(f"invalid description {description!r}: one line without '\"' or '\\'")
    return ProjectOptions(
        name=name,
        package=package,
        database=database,
        driver=driver,
        cache=check_choice("cache", cache, CACHES),
        queue=check_choice("queue", queue, QUEUES),
        **({} if description is None else {"description": description}),
    )
