"""A generated service under hostile input and concurrency, over real HTTP (uvicorn) on real databases.

Every bad request is a 422 before the database sees it, every database conflict a 409 naming the
field, concurrent writers neither lose nor double rows, and no request ever gets a 5xx.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, make_url, text

from tests.served import Server, migrate, serve
from tests.support import new_project, require_server, throwaway_database

pytestmark = pytest.mark.slow

MODELS = [
    "Author name:str(40):unique born:date? meta:json? score:float? rank:int? big:bigint? "
    "price:decimal(6,2)? seen:datetime? bio:text?",
    "Book title:str(20) isbn:str(13):unique author:ref(Author)",
]
SERVERS = [("sqlite", "aiosqlite"), ("postgresql", "asyncpg"), ("mysql", "asyncmy")]
_SYNC_DRIVERS = {"sqlite": "pysqlite", "postgresql": "psycopg", "mysql": "pymysql"}


def scalar(db: str, database_url: str, sql: str) -> Any:
    """Read the database directly, bypassing the app: what was really stored."""
    engine = create_engine(make_url(database_url).set(drivername=f"{db}+{_SYNC_DRIVERS[db]}"))
    try:
        with engine.begin() as connection:
            return connection.execute(text(sql)).scalar()
    finally:
        engine.dispose()


@dataclass
class Served:
    db: str
    database_url: str
    server: Server

    @property
    def api(self) -> str:
        return f"{self.server.url}/api/v1"

    def scalar(self, sql: str) -> Any:
        return scalar(self.db, self.database_url, sql)

    def statuses(self) -> Counter[int]:
        """Status codes of every request the server answered, from uvicorn's access log."""
        codes: Counter[int] = Counter()
        for line in self.server.output().splitlines():
            if '" ' in line and "HTTP/1.1" in line:
                codes[int(line.rsplit('" ', 1)[1].split()[0])] += 1
        return codes


@pytest.fixture(scope="module", params=SERVERS, ids=[f"{db}-{driver}" for db, driver in SERVERS])
def any_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The service on each database, shared by this module's tests; no 5xx may appear in its log."""
    db, driver = request.param
    require_server(db)
    folder = tmp_path_factory.mktemp("robust")
    project = new_project(folder, "robust_api", db, driver, MODELS)
    with throwaway_database(db, driver, folder) as url:
        migrate(project, url)
        with serve(project, url) as server:
            served = Served(db, url, server)
            yield served
        statuses = served.statuses()
        print(f"\n[{db}] requests by status: {dict(sorted(statuses.items()))}")
        assert not [code for code in statuses if code >= 500], served.server.output()[-4000:]
        assert "Traceback" not in served.server.output()


def _raw(body: bytes) -> dict[str, Any]:
    return {"content": body, "headers": {"content-type": "application/json"}}


# (method, path, request arguments): each must be refused with 422 before any SQL runs.
BAD_REQUESTS: dict[str, tuple[str, str, dict[str, Any]]] = {
    "str longer than str(N)": ("POST", "/authors", {"json": {"name": "x" * 41}}),
    "NUL in a string (PostgreSQL cannot store it)": ("POST", "/authors", {"json": {"name": "a\x00b"}}),
    "lone surrogate in a string": ("POST", "/authors", _raw(b'{"name": "a\\ud800b"}')),
    "lone surrogate in a JSON key": ("POST", "/authors", _raw(b'{"name": "s", "meta": {"\\udfff": 1}}')),
    "NUL inside a JSON document": ("POST", "/authors", {"json": {"name": "n", "meta": {"k": "\x00"}}}),
    "NaN inside a JSON document": ("POST", "/authors", _raw(b'{"name": "n", "meta": {"k": NaN}}')),
    "huge integer inside a JSON document": (
        "POST",
        "/authors",
        _raw(b'{"name": "n", "meta": {"k": 1' + b"0" * 30 + b"}}"),
    ),
    "JSON nested past MariaDB's limit": (
        "POST",
        "/authors",
        _raw(b'{"name": "n", "meta": ' + b'{"a":' * 32 + b"1" + b"}" * 33),
    ),
    "JSON array where an object is expected": ("POST", "/authors", {"json": {"name": "n", "meta": [1, 2]}}),
    "body that is a list": ("POST", "/authors", {"json": [{"name": "n"}]}),
    "body that is not JSON": ("POST", "/authors", _raw(b"{nope")),
    "unknown body field": ("POST", "/authors", {"json": {"name": "n", "id": 7}}),
    "Infinity for a float": ("POST", "/authors", _raw(b'{"name": "n", "score": Infinity}')),
    "true for an int": ("POST", "/authors", {"json": {"name": "n", "rank": True}}),
    "a numeric string for an int": ("POST", "/authors", {"json": {"name": "n", "rank": "5"}}),
    "int over 32 bits": ("POST", "/authors", {"json": {"name": "n", "rank": 2**31}}),
    "bigint over 64 bits": ("POST", "/authors", {"json": {"name": "n", "big": 2**63}}),
    "decimal with too many digits": ("POST", "/authors", {"json": {"name": "n", "price": "12345.6"}}),
    "decimal with too many places": ("POST", "/authors", {"json": {"name": "n", "price": "1.234"}}),
    "decimal NaN": ("POST", "/authors", {"json": {"name": "n", "price": "NaN"}}),
    "date before MySQL's year 1000": ("POST", "/authors", {"json": {"name": "n", "born": "0999-12-31"}}),
    "a number for a date": ("POST", "/authors", {"json": {"name": "n", "born": 0}}),
    "datetime past year 9999 in UTC": (
        "POST",
        "/authors",
        {"json": {"name": "n", "seen": "9999-12-31T23:59:59-01:00"}},
    ),
    "datetime before year 1 in UTC": (
        "POST",
        "/authors",
        {"json": {"name": "n", "seen": "0001-01-01T00:00:00+01:00"}},
    ),
    "ref id over 32 bits": ("POST", "/books", {"json": {"title": "t", "isbn": "i", "author_id": 2**31}}),
    "null for a required field in a patch": ("PATCH", "/authors/1", {"json": {"name": None}}),
    "NUL in a patch": ("PATCH", "/authors/1", {"json": {"name": "\x00"}}),
    "unknown order_by": ("GET", "/authors", {"params": {"order_by": "nope"}}),
    "order_by a JSON column": ("GET", "/authors", {"params": {"order_by": "meta"}}),
    "limit over the maximum": ("GET", "/authors", {"params": {"limit": 101}}),
    "negative offset": ("GET", "/authors", {"params": {"offset": -1}}),
    "offset over 32 bits": ("GET", "/authors", {"params": {"offset": 2**40}}),
    "unknown filter": ("GET", "/authors", {"params": {"nope": "1"}}),
    "filter with NUL": ("GET", "/authors", {"params": {"name": "a\x00"}}),
    "int filter over 64 bits": ("GET", "/authors", {"params": {"rank": 2**63}}),
    "float filter inf": ("GET", "/authors", {"params": {"score": "inf"}}),
    "date filter that is a number": ("GET", "/authors", {"params": {"born": "0"}}),
    "id over 32 bits": ("GET", "/authors/99999999999", {}),
    "id zero": ("DELETE", "/authors/0", {}),
    "id that is not a number": ("PATCH", "/authors/abc", {"json": {}}),
}


def test_bad_requests_are_422_before_the_database(any_db: Served) -> None:
    with httpx.Client(base_url=any_db.api, timeout=30) as client:
        assert client.post("/authors", json={"name": "first"}).status_code == 201
        answers = {
            name: client.request(method, path, **kwargs)
            for name, (method, path, kwargs) in BAD_REQUESTS.items()
        }
        wrong = {name: (r.status_code, r.text[:200]) for name, r in answers.items() if r.status_code != 422}
        assert not wrong
        for response in answers.values():
            assert response.headers["content-type"] == "application/json"
            assert isinstance(response.json()["detail"], list)
            assert "Traceback" not in response.text and "SELECT" not in response.text
        # Nothing reached the table, and the service still answers.
        assert client.get("/authors").json()["total"] == 1
        assert any_db.scalar("SELECT count(*) FROM author") == 1


def test_edge_values_that_pass_validation_are_stored_exactly(any_db: Served) -> None:
    deep: dict[str, Any] = {"leaf": "ü😀", "n": 2**64 - 1, "f": 5e-324, "none": None}
    for _ in range(30):  # 32 levels with the scalars: MariaDB's limit
        deep = {"d": deep}
    author = {
        "name": "😀ü" * 20,  # 40 characters, 4-byte UTF-8 ones included
        "born": "1000-01-01",
        "meta": deep,
        "score": 1.7976931348623157e308,
        "rank": -(2**31),
        "big": 2**63 - 1,
        "price": "-9999.99",
        "seen": "9999-12-31T23:59:59.999999Z",
        "bio": "line\nbreak\ttab 'quote' \"double\" \\ back; DROP TABLE author; --",
    }
    with httpx.Client(base_url=any_db.api, timeout=30) as client:
        created = client.post("/authors", json=author)
        assert created.status_code == 201, created.text
        read = client.get(f"/authors/{created.json()['id']}").json()
        assert {key: read[key] for key in author if key not in ("price", "seen")} == {
            key: value for key, value in author.items() if key not in ("price", "seen")
        }
        assert read["price"] == "-9999.99"
        assert read["seen"].startswith("9999-12-31T23:59:59.999999")
        found = client.get("/authors", params={"name": str(author["name"]), "big": str(author["big"])}).json()
        assert [row["id"] for row in found["items"]] == [read["id"]]
        assert client.delete(f"/authors/{read['id']}").status_code == 204


def test_conflicts_are_409_naming_the_field_and_leave_the_session_clean(any_db: Served) -> None:
    with httpx.Client(base_url=any_db.api, timeout=30) as client:
        ann = client.post("/authors", json={"name": "Ann"}).json()
        bob = client.post("/authors", json={"name": "Bob"}).json()
        book = client.post("/books", json={"title": "T", "isbn": "111", "author_id": ann["id"]}).json()
        authors_before = any_db.scalar("SELECT count(*) FROM author")
        conflicts = {
            "unique on create": (client.post("/authors", json={"name": "Ann"}), "name"),
            "unique on update": (client.patch(f"/authors/{bob['id']}", json={"name": "Ann"}), "name"),
            "foreign key on create": (
                client.post("/books", json={"title": "U", "isbn": "222", "author_id": 2**31 - 1}),
                "author_id",
            ),
            "foreign key on update": (
                client.patch(f"/books/{book['id']}", json={"author_id": 2**31 - 1}),
                "author_id",
            ),
            "delete of a parent with children": (client.delete(f"/authors/{ann['id']}"), "author_id"),
        }
        for case, (response, field) in conflicts.items():
            assert response.status_code == 409, (case, response.text)
            body = response.json()
            assert body["field"] == field, (case, body)
            assert body["detail"] and "Traceback" not in response.text and "INSERT" not in response.text
        # Each conflict was rolled back: nothing changed, and the next requests work.
        assert any_db.scalar("SELECT count(*) FROM author") == authors_before
        assert client.get(f"/authors/{bob['id']}").json()["name"] == "Bob"
        assert client.get(f"/books/{book['id']}").json()["author_id"] == ann["id"]
        assert client.patch(f"/authors/{bob['id']}", json={"name": "Bobby"}).status_code == 200
        assert client.delete(f"/books/{book['id']}").status_code == 204
        assert client.delete(f"/authors/{ann['id']}").status_code == 204


async def _post_all(url: str, bodies: list[dict[str, Any]]) -> list[httpx.Response]:
    limits = httpx.Limits(max_connections=len(bodies), max_keepalive_connections=len(bodies))
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        return await asyncio.gather(*(client.post(url, json=body) for body in bodies))


def test_200_concurrent_creates_store_exactly_200_rows(any_db: Served) -> None:
    names = [f"parallel-{n:03d}" for n in range(200)]
    responses = asyncio.run(_post_all(f"{any_db.api}/authors", [{"name": name} for name in names]))
    assert Counter(r.status_code for r in responses) == {201: 200}
    ids = [r.json()["id"] for r in responses]
    assert len(set(ids)) == 200
    stored = any_db.scalar("SELECT count(*) FROM author WHERE name LIKE 'parallel-%'")
    print(f"\n[{any_db.db}] 200 concurrent creates: {stored} rows stored, {200 - stored} lost")
    assert stored == 200


def test_50_concurrent_creates_of_one_unique_value_give_one_201_and_49_409(any_db: Served) -> None:
    responses = asyncio.run(_post_all(f"{any_db.api}/authors", [{"name": "the-one"}] * 50))
    assert Counter(r.status_code for r in responses) == {201: 1, 409: 49}
    assert {r.json()["field"] for r in responses if r.status_code == 409} == {"name"}
    assert any_db.scalar("SELECT count(*) FROM author WHERE name = 'the-one'") == 1


def test_a_failed_commit_is_never_reported_as_success(tmp_path: Path) -> None:
    """A foreign key checked only at COMMIT (deferred) fails after the endpoint returned: the client
    gets a 409, not the 201 the endpoint had prepared, and nothing is stored."""
    require_server("postgresql")
    project = new_project(tmp_path, "deferred_api", "postgresql", "asyncpg", MODELS)
    with throwaway_database("postgresql", "asyncpg", tmp_path) as url:
        migrate(project, url)
        engine = create_engine(make_url(url).set(drivername="postgresql+psycopg"))
        with engine.begin() as connection:
            connection.execute(
                text(
                    "ALTER TABLE book ALTER CONSTRAINT fk_book_author_id_author DEFERRABLE INITIALLY DEFERRED"
                )
            )
        engine.dispose()
        with serve(project, url) as server, httpx.Client(base_url=f"{server.url}/api/v1") as client:
            response = client.post("/books", json={"title": "T", "isbn": "1", "author_id": 12345})
            assert response.status_code == 409, response.text
            assert response.json()["field"] == "author_id"
            assert client.get("/books").json()["total"] == 0
            assert scalar("postgresql", url, "SELECT count(*) FROM book") == 0
            assert "Traceback" not in server.output()


def test_cors_is_off_unless_configured(any_db: Served) -> None:
    preflight = httpx.options(
        f"{any_db.api}/authors",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in preflight.headers
    simple = httpx.get(f"{any_db.api}/authors", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in simple.headers


def test_error_bodies_never_carry_sql_or_tracebacks(any_db: Served) -> None:
    with httpx.Client(base_url=any_db.api, timeout=30) as client:
        for response in (
            client.get("/authors/999999"),
            client.post("/books", json={"title": "T", "isbn": "9", "author_id": 999999}),
            client.post("/authors", content=b"\xff\xfe", headers={"content-type": "application/json"}),
        ):
            assert 400 <= response.status_code < 500
            assert json.loads(response.text)
            for marker in ("Traceback", "SELECT", "INSERT", "sqlalchemy", "asyncpg", 'File "'):
                assert marker not in response.text
