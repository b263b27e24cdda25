"""Where the copier template lives, and the data in its copier.yml that the generator shares."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from generator.errors import RenderError

# An installed wheel carries copier.yml and template/ here; a checkout has them at its root.
_PACKAGED = Path(__file__).parent / "_template"
_CHECKOUT = Path(__file__).parent.parent

DRIVERS = {
    "sqlite": ("aiosqlite",),
    "postgresql": ("asyncpg", "psycopg"),
    "mysql": ("asyncmy", "aiomysql"),
}


def template_root() -> Path:
    for root in (_PACKAGED, _CHECKOUT):
        if (root / "copier.yml").is_file() and (root / "template").is_dir():
            return root
    raise RenderError("the asyncrud template (copier.yml and template/) is missing from the installation")


@cache
def questions() -> dict[str, Any]:
    with (template_root() / "copier.yml").open(encoding="utf-8") as file:
        data: dict[str, Any] = yaml.safe_load(file)
    return data


def reserved_packages() -> frozenset[str]:
    """Package names that would shadow a keyword, the standard library or a dependency."""
    return frozenset(questions()["reserved_packages"]["default"])
