"""The request's AsyncSession is the unit of work: a user's own endpoint combines generated services in
one transaction, a conflict anywhere stores nothing, and the session dependency is the one switch
that points every generated endpoint at another database. On a real server, through the CLI."""

from __future__ import annotations

import asyncio
import sys
import textwrap
from collections import Counter
from pathlib import Path

import httpx
import pytest

from tests.served import migrate, serve
from tests.support import check, new_project, package_of, throwaway_database

MODELS = ["Author name:str email:str(254):unique:index", "Book title:str(200) author:ref(Author)"]
DATABASES = [("sqlite", "aiosqlite"), ("postgresql", "asyncpg"), ("mysql", "asyncmy")]

# What a user adds to main.py: an endpoint of their own that calls two generated services, and one
# with a bug in its SQL.
USER_ROUTES = """

class AuthorWithBook(BaseModel):
    author: AuthorCreate
    title: str
    coauthor: AuthorCreate


@app.post("/authors-with-book", status_code=201)
async def create_author_with_book(session: SessionDep, data: AuthorWithBook) -> list[int]:
    author = await author_service.create_author(session, data.author)
    book = await book_service.create_book(session, BookCreate(title=data.title, author_id=author.id))
    coauthor = await author_service.create_author(session, data.coauthor)
    return [author.id, book.id, coauthor.id]


@app.get("/broken")
async def broken(session: SessionDep) -> None:
    await session.execute(text("SELECT FROM nowhere_at_all WHERE"))
"""


def _add_user_routes(project: Path) -> None:
    package = package_of(project)
    main = project / package / "main.py"
    imports = textwrap.dedent(f"""\
        from pydantic import BaseModel
        from sqlalchemy import text

        from {package}.author import service as author_service
        from {package}.author.schemas import AuthorCreate
        from {package}.book import service as book_service
        from {package}.book.schemas import BookCreate
        from {package}.database import SessionDep
        """)
    main.write_text(imports + main.read_text() + USER_ROUTES)


@pytest.fixture(scope="module", params=DATABASES, ids=[f"{db}-{driver}" for db, driver in DATABASES])
def project(request: pytest.FixtureRequest, workspace: Path) -> tuple[Path, str, str]:
    db, driver = request.param
    project = new_project(workspace, f"uow_{db}", db, driver, MODELS)
    _add_user_routes(project)
    return project, db, driver


def _body(n: int, coauthor_email: str | None = None) -> dict[str, object]:
    email = f"a{n}@example.com"
    return {
        "author": {"name": f"A{n}", "email": email},
        "title": f"Book {n}",
        "coauthor": {"name": f"C{n}", "email": coauthor_email or f"c{n}@example.com"},
    }


def test_a_conflict_in_the_last_step_stores_nothing_of_the_first(
    project: tuple[Path, str, str], tmp_path: Path
) -> None:
    path, db, driver = project
    with throwaway_database(db, driver, tmp_path) as url:
        migrate(path, url)
        with serve(path, url, database_pool_size="1") as server, httpx.Client(base_url=server.url) as client:
            conflict = client.post("/authors-with-book", json=_body(1, coauthor_email="a1@example.com"))
            assert conflict.status_code == 409, conflict.text
            assert conflict.json()["field"] == "email"
            assert client.get("/api/v1/authors").json()["total"] == 0
            assert client.get("/api/v1/books").json()["total"] == 0

            created = client.post("/authors-with-book", json=_body(2))
            assert created.status_code == 201, created.text
            author_id, book_id, _ = created.json()
            book = client.get(f"/api/v1/books/{book_id}", params={"include": "author"}).json()
            assert book["author"]["id"] == author_id


def test_concurrent_units_of_work_on_a_pool_of_one_never_503(
    project: tuple[Path, str, str], tmp_path: Path
) -> None:
    path, db, driver = project
    with throwaway_database(db, driver, tmp_path) as url:
        migrate(path, url)
        with serve(path, url, database_pool_size="1", database_pool_timeout="30") as server:
            statuses = asyncio.run(_mixed_load(server.url, requests=100))
            with httpx.Client(base_url=server.url) as client:
                authors = client.get("/api/v1/authors", params={"limit": 1}).json()
    assert statuses == {
        "unit of work": Counter({201: 25}),
        "unit of work with a conflict": Counter({409: 25}),
        "create": Counter({201: 25}),
        "list with include": Counter({200: 25}),
    }
    # Each good unit stored its two authors, each conflicting one nothing.
    assert authors["total"] == 2 * 25 + 25


async def _mixed_load(base_url: str, requests: int) -> dict[str, Counter[int]]:
    statuses: dict[str, Counter[int]] = {}

    async def one(client: httpx.AsyncClient, n: int) -> None:
        kind = n % 4
        if kind == 0:
            label, response = "unit of work", await client.post("/authors-with-book", json=_body(n))
        elif kind == 1:
            body = _body(n, coauthor_email=f"a{n}@example.com")
            label, response = (
                "unit of work with a conflict",
                await client.post("/authors-with-book", json=body),
            )
        elif kind == 2:
            body = {"name": f"S{n}", "email": f"s{n}@example.com"}
            label, response = "create", await client.post("/api/v1/authors", json=body)
        else:
            label, response = (
                "list with include",
                await client.get("/api/v1/books", params={"include": "author"}),
            )
        statuses.setdefault(label, Counter())[response.status_code] += 1

    async with httpx.AsyncClient(base_url=base_url, timeout=60) as client:
        await asyncio.gather(*(one(client, n) for n in range(requests)))
    return statuses


def test_an_unexpected_error_is_a_500_with_a_request_id_and_one_traceback(
    project: tuple[Path, str, str], tmp_path: Path
) -> None:
    path, db, driver = project
    with throwaway_database(db, driver, tmp_path) as url:
        migrate(path, url)
        with serve(path, url) as server, httpx.Client(base_url=server.url) as client:
            response = client.get("/broken", headers={"X-Request-ID": "trace-me-42"})
            health = client.get("/health")
        log = server.output()
    assert response.status_code == 500, response.text
    assert response.json() == {"detail": "internal server error", "request_id": "trace-me-42"}
    assert response.headers["x-request-id"] == "trace-me-42"
    assert health.status_code == 200
    # The whole traceback (the driver's error and SQLAlchemy's around it), logged once, with the id.
    assert "Traceback (most recent call last)" in log, log
    raised = [line for line in log.splitlines() if line.startswith("sqlalchemy.exc.")]
    assert len(raised) == 1, log
    assert "nowhere_at_all" in log and "trace-me-42" in log, log


OVERRIDE_SCRIPT = """
import asyncio, sys
from httpx import ASGITransport, AsyncClient
from sqlalchemy.ext.asyncio import async_sessionmaker
from {package}.database import create_engine, get_read_session, get_session
from {package}.main import create_app


async def main(url: str) -> None:
    engine = create_engine(url)
    sessions = async_sessionmaker(engine, expire_on_commit=False)

    async def session_on_other_database():
        async with sessions() as session, session.begin():
            yield session

    app = create_app()
    app.dependency_overrides[get_session] = session_on_other_database
    app.dependency_overrides[get_read_session] = session_on_other_database
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://test") as client:
        author = await client.post("/api/v1/authors", json={{"name": "N", "email": "n@example.com"}})
        assert author.status_code == 201, author.text
        book = await client.post("/api/v1/books", json={{"title": "T", "author_id": author.json()["id"]}})
        assert book.status_code == 201, book.text
        for path in ("/api/v1/authors", "/api/v1/books", f"/api/v1/books/{{book.json()['id']}}", "/health"):
            response = await client.get(path)
            assert response.status_code == 200, (path, response.text)
        changed = await client.patch(f"/api/v1/books/{{book.json()['id']}}", json={{"title": "U"}})
        assert changed.status_code == 200, changed.text
        gone = await client.delete(f"/api/v1/books/{{book.json()['id']}}")
        assert gone.status_code == 204, gone.text
    await engine.dispose()
    print("authors on the other database:", 1)


asyncio.run(main(sys.argv[1]))
"""


def test_overriding_the_session_dependency_moves_every_endpoint(workspace: Path, tmp_path: Path) -> None:
    """The app's own DATABASE_URL cannot be opened: every endpoint must use the override."""
    path = new_project(workspace, "uow_override", "sqlite", "aiosqlite", MODELS)
    with throwaway_database("sqlite", "aiosqlite", tmp_path) as url:
        migrate(path, url)
        script = tmp_path / "override.py"
        script.write_text(OVERRIDE_SCRIPT.format(package=package_of(path)))
        result = check(
            [sys.executable, str(script), url],
            cwd=path,
            env={"DATABASE_URL": "sqlite+aiosqlite:////nonexistent/development.db", "PYTHONPATH": str(path)},
        )
    assert "authors on the other database: 1" in result.stdout
