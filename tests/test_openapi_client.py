"""OpenAPI polish: operation ids are the route functions' names, every field of the request and
response schemas carries examples that its own schema accepts, and a client generated from the
OpenAPI document by openapi-python-client round-trips a create and a read against the service."""

from __future__ import annotations

import importlib
import json
import os
import sys
from pathlib import Path

import httpx
import jsonschema
import pytest

from generator.field_types import FIELD_TYPES
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


# A field of every type, plain and within min=/max= bounds, optional, with a default.
EVERY_TYPE = {
    "str": "a:str(20)",
    "text": "b:text",
    "int": "c:int",
    "bigint": "d:bigint",
    "float": "e:float",
    "decimal": "f:decimal(10,2)",
    "bool": "g:bool",
    "date": "h:date",
    "datetime": "i:datetime",
    "uuid": "j:uuid",
    "time": "k:time",
    "enum": "state:enum(draft,published,archived):default=draft",
    "json": "m:json?",
    "ref": "owner:ref(Tag)",
    "m2m": "tags:m2m(Tag)",
}
BOUNDED = (
    "p:int?:min=3:max=9 q:str(8):min=2 r:decimal(6,3)?:min=0.5:max=9.5 s:str(4) t:float:min=-1.5:max=-1.25"
)


def test_every_schema_field_has_examples_its_schema_accepts(workspace: Path, tmp_path: Path) -> None:
    assert set(EVERY_TYPE) == set(FIELD_TYPES)
    spec = " ".join(["Item", *EVERY_TYPE.values(), BOUNDED])
    project = new_project(workspace, "examples_sqlite", "sqlite", "aiosqlite", ["Tag label:str(30)", spec])
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'app.db'}"
    migrate(project, database_url)
    with serve(project, database_url) as served, httpx.Client(base_url=served.url) as client:
        document = client.get("/openapi.json").json()
        schemas = document["components"]["schemas"]
        example = {}
        for name, field in schemas["ItemCreate"]["properties"].items():
            example[name] = field["examples"][-1]
        tags = [client.post("/api/v1/tags", json={"label": label}).json()["id"] for label in "ab"]
        created = client.post("/api/v1/items", json=example)
        patched = client.patch(f"/api/v1/items/{created.json()['id']}", json=example)

    checked = []
    for schema_name in ("ItemCreate", "ItemUpdate", "ItemRead", "TagCreate", "TagUpdate", "TagRead"):
        for name, field in schemas[schema_name]["properties"].items():
            assert field.get("examples"), f"{schema_name}.{name} has no examples: {field}"
            # Validated in the document, where the field's $ref (an enum) resolves.
            validator = jsonschema.Draft202012Validator(
                {**field, "components": document["components"]},
                format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
            )
            for value in field["examples"]:
                errors = [error.message for error in validator.iter_errors(value)]
                assert not errors, f"{schema_name}.{name}: example {value!r}: {errors}"
            checked.append(f"{schema_name}.{name}")
    properties = schemas["ItemCreate"]["properties"]
    assert properties["state"]["examples"] == ["draft", "published", "archived"]
    assert properties["tag_ids"]["examples"] == [[1, 2]]
    assert properties["h"]["examples"] == ["2024-01-02"] and properties["k"]["examples"] == ["00:00:01"]
    assert schemas["ItemRead"]["properties"]["created_at"]["examples"] == ["2024-01-01T00:00:00Z"]
    assert len(checked) > 3 * len(EVERY_TYPE)
    # The examples together are a request the service takes (the tags of the ids exist).
    assert tags == [1, 2]
    assert created.status_code == 201, created.text
    assert patched.status_code == 200, patched.text
