"""The baseline: the least code that serves the benchmark's table over HTTP with Starlette and asyncpg.

No ORM, no validation library, no dependency injection: what is left is the cost of HTTP, JSON and
the database round trip, the limit a generated service is measured against. It serves the same
routes, runs the same SQL and returns the same JSON as the generated project's `Item` API.
Configured by BASELINE_DSN (a plain `postgresql://` DSN) and BASELINE_POOL_SIZE.
"""

import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg  # type: ignore[import-untyped]  # asyncpg ships no type hints
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

COLUMNS = "id, name, quantity, price, active, note, created_at, updated_at"
GET = f"SELECT {COLUMNS} FROM item WHERE id = $1"
LIST = f"SELECT {COLUMNS}, count(*) OVER () AS total FROM item ORDER BY id LIMIT $1 OFFSET $2"
INSERT = (
    "INSERT INTO item (name, quantity, price, active, note, created_at, updated_at) "
    f"VALUES ($1, $2, $3::numeric, $4, $5, now(), now()) RETURNING {COLUMNS}"
)
UPDATE = f"UPDATE item SET quantity = $2, updated_at = now() WHERE id = $1 RETURNING {COLUMNS}"
DELETE = "DELETE FROM item WHERE id = $1 RETURNING id"

pool: asyncpg.Pool | None = None


def _json(body: Any, status: int = 200) -> Response:
    return Response(json.dumps(body, separators=(",", ":")), status, media_type="application/json")


def _item(row: asyncpg.Record) -> dict[str, Any]:
    return {
        "id": row["id"],
        "name": row["name"],
        "quantity": row["quantity"],
        "price": str(row["price"]),
        "active": row["active"],
        "note": row["note"],
        "created_at": row["created_at"].isoformat(),
        "updated_at": row["updated_at"].isoformat(),
    }


def _pool() -> asyncpg.Pool:
    assert pool is not None
    return pool


def _not_found() -> Response:
    return _json({"detail": "not found"}, 404)


async def get_item(request: Request) -> Response:
    row = await _pool().fetchrow(GET, int(request.path_params["id"]))
    return _json(_item(row)) if row else _not_found()


async def list_items(request: Request) -> Response:
    limit = int(request.query_params.get("limit", 50))
    offset = int(request.query_params.get("offset", 0))
    rows = await _pool().fetch(LIST, limit, offset)
    total = rows[0]["total"] if rows else 0
    return _json({"items": [_item(row) for row in rows], "total": total, "limit": limit, "offset": offset})


async def create_item(request: Request) -> Response:
    data = json.loads(await request.body())
    row = await _pool().fetchrow(
        INSERT, data["name"], data["quantity"], data["price"], data.get("active", True), data.get("note")
    )
    return _json(_item(row), 201)


async def update_item(request: Request) -> Response:
    data = json.loads(await request.body())
    row = await _pool().fetchrow(UPDATE, int(request.path_params["id"]), data["quantity"])
    return _json(_item(row)) if row else _not_found()


async def delete_item(request: Request) -> Response:
    deleted = await _pool().fetchval(DELETE, int(request.path_params["id"]))
    return Response(status_code=204) if deleted else _not_found()


@asynccontextmanager
async def lifespan(_app: Starlette) -> AsyncIterator[None]:
    global pool
    size = int(os.environ.get("BASELINE_POOL_SIZE", "20"))
    pool = await asyncpg.create_pool(os.environ["BASELINE_DSN"], min_size=size, max_size=size)
    yield
    await pool.close()


app = Starlette(
    routes=[
        Route("/api/v1/items", list_items, methods=["GET"]),
        Route("/api/v1/items", create_item, methods=["POST"]),
        Route("/api/v1/items/{id:int}", get_item, methods=["GET"]),
        Route("/api/v1/items/{id:int}", update_item, methods=["PATCH"]),
        Route("/api/v1/items/{id:int}", delete_item, methods=["DELETE"]),
    ],
    lifespan=lifespan,
)
