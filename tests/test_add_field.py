"""`asyncrud add-field` through the installed CLI: a table with rows grows new columns on every
database (existing rows take the defaults), the model, schemas, tests and factory follow, the
revision migrates up and down, the project lints and passes its own tests, `copier recopy` renders
the same project, the user's edits stay, and every refusal exits 2 with nothing written."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.support import (
    answers_of,
    assert_refused,
    asyncrud,
    edit,
    lint,
    made_by,
    migrate_new_revision,
    new_project,
    recopy,
    run_project_tests,
    snapshot,
    sync_engine,
    throwaway_database,
)

# Book gets its first ref() from add-field (two refs in one model name both fields in a SQLite 409,
# which the generated tests do not expect yet); Review's ref() makes book_id a taken column.
MODELS = (
    "Author name:str(100):unique born:date?",
    "Publisher name:str(100)",
    "Book title:str(200):index pages:int?",
    "Review stars:int book:ref(Book)",
)
# Every kind of column a table with rows can take: optional (unique, indexed, a reference) or
# required with a default.
FIELDS = (
    "isbn:str(13)?:unique",
    "stock:int:default=0",
    "price:decimal(8,2):default=9.99",
    "released:date?:index",
    "publisher:ref(Publisher)?",
    "status:str(20):index:default=draft",
    "signed:bool:default=true",
)
REVISION = "0002_add_fields_to_book"
DATABASES = [("sqlite", "aiosqlite"), ("postgresql", "asyncpg"), ("mysql", "asyncmy")]


def add_field(project: Path, *args: str) -> str:
    result = asyncrud("add-field", *args, "--project", str(project))
    assert result.returncode == 0, result.output
    return result.stdout


@dataclass(frozen=True)
class Grown:
    project: Path
    db: str
    driver: str
    output: str
    rows: list[tuple[object, ...]]  # (title, stock, price, status, signed, isbn) of the rows made before


@pytest.fixture(scope="module")
def projects(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("add_field")


@pytest.fixture(scope="module", params=DATABASES, ids=[f"{db}-{driver}" for db, driver in DATABASES])
def grown(request: pytest.FixtureRequest, projects: Path) -> Grown:
    """`new`, two books stored, then add-field: the revision runs on the rows, passes `alembic check`,
    goes one step down and up again."""
    db, driver = request.param
    project = new_project(projects, f"fields_{db}", db, driver, MODELS, extra=["--name", "shop"])
    with throwaway_database(db, driver, projects) as url:
        migrate_new_revision(project, url)
        engine = sync_engine(url)
        try:
            with engine.begin() as connection:
                for title in ("One", "Two"):
                    connection.execute(text(f"INSERT INTO book (title) VALUES ('{title}')"))
            output = add_field(project, "Book", *FIELDS)
            migrate_new_revision(project, url)
            with engine.connect() as connection:
                query = "SELECT title, stock, price, status, signed, isbn FROM book ORDER BY id"
                rows: list[tuple[object, ...]] = [
                    # As the database gives them: SQLite has no decimal, MySQL no boolean.
                    (title, stock, Decimal(str(price)), status, bool(signed), isbn)
                    for title, stock, price, status, signed, isbn in connection.execute(text(query))
                ]
        finally:
            engine.dispose()
    return Grown(project, db, driver, output, rows)


def test_existing_rows_take_the_defaults(grown: Grown) -> None:
    assert grown.rows == [
        ("One", 0, Decimal("9.99"), "draft", True, None),
        ("Two", 0, Decimal("9.99"), "draft", True, None),
    ]


def test_fields_and_revision_are_recorded_in_the_answers(grown: Grown) -> None:
    answers = answers_of(grown.project)
    book = next(model for model in answers["models"] if model["name"] == "Book")
    added = [field for field in book["fields"] if field.get("revision") == REVISION]
    assert [field["name"] for field in added] == [
        "isbn",
        "stock",
        "price",
        "released",
        "publisher",
        "status",
        "signed",
    ]
    assert answers["migrations"] == [
        {"kind": "add_fields", "revision": REVISION, "down_revision": "0001_initial", "model": "Book"}
    ]
    assert f"create migrations/versions/{REVISION}.py" in grown.output
    assert "change shop/book/models.py" in grown.output and "change tests/test_book.py" in grown.output


def test_the_initial_revision_is_left_as_it_was(grown: Grown, projects: Path) -> None:
    """Migrations are history: the table's own revision does not grow the new columns."""
    initial = (grown.project / "migrations" / "versions" / "0001_initial.py").read_text()
    assert '"isbn"' not in initial and '"pages"' in initial


def test_grown_project_lints_and_type_checks(grown: Grown) -> None:
    lint(grown.project)


def test_grown_project_passes_its_own_tests(grown: Grown) -> None:
    result = run_project_tests(grown.project, grown.db, grown.driver)
    assert "failed" not in result.stdout and "skipped" not in result.stdout, result.stdout


# The answers file is the same record on every database: one database shows recopy.
@pytest.mark.parametrize("grown", DATABASES[:1], indirect=True, ids=["sqlite-aiosqlite"])
def test_copier_recopy_renders_the_same_project(grown: Grown, tmp_path: Path) -> None:
    assert snapshot(recopy(grown.project, tmp_path / "copy")) == snapshot(grown.project)


@pytest.fixture(scope="module")
def base_project(projects: Path) -> Path:
    """An untouched SQLite project made by `new`; each test below works on a copy of it."""
    return new_project(projects, "base", "sqlite", "aiosqlite", MODELS, extra=["--name", "shop"])


@pytest.fixture
def project(base_project: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(base_project, tmp_path / "shop"))


USER_REPR = """
    def __repr__(self) -> str:
        return f"Book({self.title!r})"
"""


def test_add_field_keeps_user_edits_and_passes_the_tests(project: Path) -> None:
    models = project / "shop" / "book" / "models.py"
    models.write_text(models.read_text() + USER_REPR)

    add_field(project, "Book", "isbn:str(13)?:unique", "stock:int:default=0")

    text = models.read_text()
    assert text.endswith(USER_REPR) and "isbn: Mapped[str | None]" in text
    lint(project)
    run_project_tests(project, "sqlite", "aiosqlite")


def test_dry_run_prints_the_diff_and_writes_nothing(project: Path) -> None:
    before = snapshot(project)

    output = add_field(project, "Book", "isbn:str(13)?:unique", "--dry-run")

    assert snapshot(project) == before
    assert "Would add isbn to Book" in output
    assert "create migrations/versions/0002_add_isbn_to_book.py" in output
    assert "+++ b/shop/book/models.py" in output and "+    isbn: Mapped[str | None]" in output
    assert "nothing was written" in output


def test_fields_given_in_one_quoted_argument(project: Path) -> None:
    add_field(project, "Book", "isbn:str(13)?:unique stock:int:default=0")

    book = next(model for model in answers_of(project)["models"] if model["name"] == "Book")
    assert [field["name"] for field in book["fields"]][-2:] == ["isbn", "stock"]


REFUSED = {
    "required-without-default": (["Book", "stock:int"], "'stock:int'", "make it optional"),
    "required-reference": (["Book", "owner:ref(Author)"], "'owner:ref(Author)'", "or give it a default"),
    "required-unique": (
        ["Book", "code:str(5):unique:default=a"],
        "'code:str(5):unique:default=a'",
        "optional",
    ),
    "field-exists": (["Book", "title:str?"], "'title:str?'", "has this field already"),
    "column-of-a-reference": (["Review", "book_id:int?"], "'book_id:int?'", "has this field already"),
    "unknown-model": (["Nope", "x:int?"], "'Nope'", "unknown model"),
    "model-not-pascal-case": (["book", "x:int?"], "'book'", "PascalCase"),
    "python-keyword-field": (["Book", "class:int?"], "'class'", "keyword"),
    "reserved-member": (["Book", "metadata:json?"], "'metadata'", "clashes"),
    "unknown-type": (["Book", "x:integer?"], "'integer'", "unknown field type"),
    "bad-default": (["Book", "stock:int:default=many"], "default=many", "bad default"),
    "ref-to-unknown-model": (["Book", "owner:ref(Nope)?"], "'ref(Nope)'", "unknown model"),
    "duplicate-new-field": (["Book", "x:int?", "x:int?"], "'x'", "duplicate"),
}


@pytest.mark.parametrize(("args", "token", "reason"), REFUSED.values(), ids=REFUSED.keys())
def test_bad_field_exits_2_naming_the_token_and_writes_nothing(
    project: Path, args: list[str], token: str, reason: str
) -> None:
    assert_refused(project, "add-field", *args, message=token)
    assert_refused(project, "add-field", *args, message=reason)


def _older_project(project: Path) -> None:
    made_by(project, "0.1.0")


def _field_by_hand(project: Path) -> None:
    models = project / "shop" / "book" / "models.py"
    models.write_text(models.read_text() + "    isbn: Mapped[str | None] = mapped_column(String(13))\n")


def _edited_import(project: Path) -> None:
    # The import line add-field changes for a decimal field, edited by hand.
    edit(project / "shop" / "book" / "models.py", "Integer, String", "Integer, String  # mine")


def _removed_model(project: Path) -> None:
    result = asyncrud("remove-model", "Publisher", "--project", str(project))
    assert result.returncode == 0, result.output


PROJECT_CASES: dict[str, tuple[Callable[[Path], None], list[str], str]] = {
    "made-by-another-version": (_older_project, ["Book", "isbn:str?"], "asyncrud upgrade"),
    "field-written-by-hand": (_field_by_hand, ["Book", "isbn:str(13)?"], "shop/book/models.py"),
    "edit-conflicts-with-change": (_edited_import, ["Book", "price:decimal(8,2)?"], "shop/book/models.py"),
    "removed-model": (_removed_model, ["Publisher", "x:int?"], "removed already"),
}


@pytest.mark.parametrize(("prepare", "args", "message"), PROJECT_CASES.values(), ids=PROJECT_CASES.keys())
def test_bad_project_state_exits_2_and_writes_nothing(
    project: Path, prepare: Callable[[Path], None], args: list[str], message: str
) -> None:
    prepare(project)
    assert_refused(project, "add-field", *args, message=message)
