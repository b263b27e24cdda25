"""`asyncrud new --from-database URL`: model specs for the tables of an existing database.

The schema is read with SQLAlchemy's inspector through the async engine (`schema`), every column's
type is mapped to the grammar's (`type_mapping`), tables and columns are named as models and fields
(`names`), and every table the generated API can serve becomes a ModelSpec (`plan`), the very objects
`--model` produces: the templates have no second code path for reflected tables. Details the grammar
cannot spell (real table and column names, exact types, server defaults, referential actions,
constraint names, keys over several columns, client-chosen keys) ride on the specs' optional attributes, so that `alembic check` against the live database finds no drift.

A pure link table (two foreign keys, together its primary key) becomes an m2m field; a column whose
values have no API form is kept in the model and out of the API, with a note. Tables the API cannot
serve are skipped with a reason, never a crash: views, tables without a primary key, with a composite
key that is no link table or a key that is no integer, a NOT NULL column the API cannot fill, a
foreign key to a table that is not generated.
"""

from __future__ import annotations

from collections.abc import Sequence

from generator.errors import UsageError

try:
    import sqlalchemy  # noqa: F401 - every module of this package needs it
except ImportError:  # pragma: no cover - the test environment has SQLAlchemy
    raise UsageError(
        "--from-database needs SQLAlchemy and an async driver: pip install 'asyncrud[db]'"
    ) from None
from generator.reflect.plan import Reflection, Skipped, plan
from generator.reflect.schema import database_url, project_database, read_schema

__all__ = ["Reflection", "Skipped", "models_from_database", "reflect"]


def models_from_database(
    url_text: str,
    tables: str | None,
    exclude: str | None,
    db: str | None,
    driver: str | None,
    other_models: object = None,
) -> Reflection:
    """What `new --from-database URL [--tables a,b] [--exclude c]` generates; usage errors exit 2."""
    if other_models:
        raise UsageError(
            "--from-database derives the models; it cannot be combined with --model or --models-file"
        )
    reflection = reflect(url_text, _names(tables), _names(exclude), db, driver)
    if not reflection.models:
        reasons = "; ".join(f"{s.table}: {s.reason}" for s in reflection.skipped)
        raise UsageError(f"no table of the database can be generated ({reasons})")
    return reflection


def _names(text: str | None) -> list[str]:
    return [name.strip() for name in (text or "").split(",") if name.strip()]


def reflect(
    url_text: str,
    tables: Sequence[str] = (),
    exclude: Sequence[str] = (),
    db: str | None = None,
    driver: str | None = None,
) -> Reflection:
    url = database_url(url_text)
    database, chosen = project_database(url, db, driver)
    return plan(read_schema(url, database, chosen), database, chosen, tables, exclude)
