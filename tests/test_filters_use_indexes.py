"""List filters on an indexed column can use its index: the generated WHERE clause compares the bare
column (no function around it) for equality, `__in` and the ranges, on every type that takes an
index; only `__contains` (case-insensitive, documented as a scan) may wrap it.

The rendered project's own `crud` builds each filter's condition; the database's planner says whether
it searches the field's index: SQLite's EXPLAIN QUERY PLAN, and PostgreSQL's EXPLAIN with sequential
scans turned off (so that an empty table does not make a scan cheaper than the index)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.support import check, migrate_and_check, new_project, throwaway_database

MODEL = (
    "Item label:str(40):index code:uuid:index n:int:index big:bigint:index ratio:float:index "
    "price:decimal(10,2):index day:date:index at:datetime:index opens:time:index "
    "status:enum(draft,published):index owner:ref(Owner)"
)

# Run inside the rendered project: for each filter of each indexed field, the planner's words.
PROBE = """
import asyncio, json, os, sys
from datetime import date, datetime, time, UTC
from decimal import Decimal
from uuid import UUID
from sqlalchemy import event, select, text
from sqlalchemy.ext.asyncio import create_async_engine
import svc.models
from svc.crud import _shape
from svc.item.models import Item
from svc.item.enums import ItemStatus

VALUES = {
    "label": "a", "code": UUID(int=1), "n": 1, "big": 1, "ratio": 1.5, "price": Decimal("1.50"),
    "day": date(2024, 1, 1), "at": datetime(2024, 1, 1, tzinfo=UTC), "opens": time(10, 0),
    "status": ItemStatus.DRAFT, "owner_id": 1,
}
OPS = {"label": ["", "__in"], "code": ["", "__in"], "status": ["", "__in"], "owner_id": ["", "__in"]}

async def main():
    engine = create_async_engine(os.environ["DATABASE_URL"])
    explain = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN "

    @event.listens_for(engine.sync_engine, "before_cursor_execute", retval=True)
    def explained(connection, cursor, statement, parameters, context, executemany):
        return (explain + statement if statement.startswith("SELECT") else statement), parameters

    shape = _shape(Item)
    plans = {}
    async with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            await connection.execute(text("SET enable_seqscan = off"))
        for name, value in VALUES.items():
            for op in OPS.get(name, ["", "__gt", "__gte", "__lt", "__lte", "__in"]):
                key = name + op
                statement = select(shape.id).where(shape.condition(key, None))
                sql = str(statement.compile(engine.sync_engine))
                parameter = [value, value] if op == "__in" else value
                rows = (await connection.execute(statement, {key: parameter})).all()
                plans[key] = {"sql": sql, "plan": " ".join(str(part) for row in rows for part in row)}
    await engine.dispose()
    print(json.dumps(plans))

asyncio.run(main())
"""


@pytest.mark.parametrize("db", ["sqlite", "postgresql"])
def test_filters_on_indexed_columns_search_the_index(db: str, workspace: Path, tmp_path: Path) -> None:
    driver = {"sqlite": "aiosqlite", "postgresql": "psycopg"}[db]
    project = new_project(workspace, f"indexed_{db}", db, driver, ["Owner name", MODEL], ["--name", "svc"])
    with throwaway_database(db, driver, tmp_path) as url:
        migrate_and_check(project, url)
        result = check([sys.executable, "-c", PROBE], cwd=project, env={"DATABASE_URL": url})
    plans = json.loads(result.stdout)

    assert len(plans) == 6 * 7 + 4 * 2
    for key, found in plans.items():
        column = key.split("__")[0]
        # The bare column: `item.n > ...`, `item.n IN (...)`, never `lower(item.n)` or a cast.
        assert f"item.{column} " in found["sql"], found["sql"]
        assert f"(item.{column})" not in found["sql"], found["sql"]
        index = f"ix_item_{column}"
        assert index in found["plan"], (key, found)
