"""The project-level answers of `asyncrud new` (name, package, database, driver), validated."""

from __future__ import annotations

import keyword
import re
import sys
from dataclasses import dataclass

from generator.errors import UsageError
from generator.template import DRIVERS, reserved_packages

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

    def to_answers(self) -> dict[str, str]:
        return {
            "project_name": self.name,
            "package": self.package,
            "description": self.description,
            "database": self.database,
            "driver": self.driver,
        }


def package_from_name(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def is_reserved_package(package: str) -> bool:
    """A top-level package of this name would shadow (or be shadowed by) a module the project imports.

    copier.yml's list covers keywords, common stdlib modules and the dependencies; this interpreter's
    full stdlib list and Windows' device names are checked here too.
    """
    return (
        package in reserved_packages()
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


def project_options(
    name: str, database: str, driver: str | None, package: str | None = None, description: str | None = None
) -> ProjectOptions:
    if not PROJECT_NAME.match(name):
        raise UsageError(
            f"invalid project name {name!r}: start with a letter; use at most 64 ASCII letters, digits, "
            "spaces, '-' or '_'; give one with --name"
        )
    package = package or package_from_name(name)
    if not PACKAGE.match(package):
        raise UsageError(f"invalid package name {package!r}: use a lowercase Python identifier")
    if is_reserved_package(package):
        raise UsageError(
            f"package name {package!r} would shadow a Python keyword, the standard library or a dependency; "
            "choose another project name with --name"
        )
    check_database(database)
    driver = driver or default_driver(database)
    if driver not in DRIVERS[database]:
        raise UsageError(
            f"driver {driver!r} does not fit database {database!r}; "
            f"choose one of {', '.join(DRIVERS[database])}"
        )
    if description is not None and (re.search(r'["\\\n]', description) or not description.strip()):
        raise UsageError(f"invalid description {description!r}: one line without '\"' or '\\'")
    options = ProjectOptions(name=name, package=package, database=database, driver=driver)
    return (
        options if description is None else ProjectOptions(**{**options.__dict__, "description": description})
    )
