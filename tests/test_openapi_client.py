"""OpenAPI polish: operation ids are the route functions' names, and a client generated from the
OpenAPI document by openapi-python-client round-trips a create and a read against the service."""

from __future__ import annotations

import importlib
import json
import os
import sys
from pathlib import Path

import httpx
import pytest

from tests.served import migrate, serve
from tests.support import BIN, check, new_project


@pytest.fixture(scope="module")
def project(workspace: Path) -> Path:
    return new_project(
        workspace,
        "client_sqlite",
        "sqlite",
        "aiosqlite",
        ["Author name:str(100)", "Book title:str(200) pages:int?"],
    )


def test_operation_ids_are_the_route_function_names(project: Path, tmp_path: Path) -> None:
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'app.db'}"
    with serve(project, database_url) as served:
        document = httpx.get(f"{served.url}/openapi.json", timeout=10).json()
    operation_ids = {
        (path, method): operation["operationId"]
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    }
    assert operation_ids[("/api/v1/books", "get")] == "list_books"
    assert operation_ids[("/api/v1/books", "post")] == "create_book"
    assert operation_ids[("/api/v1/books/{book_id}", "get")] == "get_book"
    assert operation_ids[("/api/v1/books/{book_id}", "patch")] == "update_book"
    assert operation_ids[("/api/v1/books/{book_id}", "delete")] == "delete_book"
    assert operation_ids[("/api/v1/authors", "get")] == "list_authors"
    assert len(set(operation_ids.values())) == len(operation_ids)


def test_generated_client_round_trips_a_create_and_a_read(project: Path, tmp_path: Path) -> None:
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'app.db'}"
    migrate(project, database_url)
    with serve(project, database_url) as served:
        document = tmp_path / "openapi.json"
        document.write_text(json.dumps(httpx.get(f"{served.url}/openapi.json", timeout=10).json()))
        check(
            [
                str(BIN / "openapi-python-client"),
                "generate",
                "--path",
                str(document),
                "--meta",
                "none",
                "--output-path",
                str(tmp_path / "shop_client"),
            ],
            # The generator formats its output with ruff, found on PATH.
            env={"PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"},
        )
        sys.path.insert(0, str(tmp_path))
        try:
            client_module = importlib.import_module("shop_client")
            create_book = importlib.import_module("shop_client.api.books.create_book")
            get_book = importlib.import_module("shop_client.api.books.get_book")
            list_books = importlib.import_module("shop_client.api.books.list_books")
            models = importlib.import_module("shop_client.models")
            client = client_module.Client(base_url=served.url, raise_on_unexpected_status=True)
            with client:
                created = create_book.sync(client=client, body=models.BookCreate(title="Dune", pages=412))
                assert isinstance(created, models.BookRead)
                read = get_book.sync(book_id=created.id, client=client)
                assert isinstance(read, models.BookRead)
                assert (read.id, read.title, read.pages) == (created.id, "Dune", 412)
                page = list_books.sync(client=client)
                assert [book.title for book in page.items] == ["Dune"]
                missing = get_book.sync_detailed(book_id=created.id + 1, client=client)
                assert missing.status_code == 404
        finally:
            sys.path.remove(str(tmp_path))
            for name in [name for name in sys.modules if name.split(".")[0] == "shop_client"]:
                del sys.modules[name]
