"""`asyncrud add-model` through the installed CLI: a project grown model by model migrates, lints and
passes its own tests on every database, matches a project made with all its models at once, keeps
the user's edits, stays reproducible from its answers, and refuses bad input without writing."""

from __future__ import annotations

import json
import re
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect
from sqlalchemy.engine import Inspector

from generator.changeset import Change, ChangeSet
from generator.errors import RenderError
from generator.migrations import read_history
from tests.support import (
    alembic,
    answers_of,
    assert_refused,
    asyncrud,
    check,
    edit,
    lint,
    migrate_new_revision,
    new_project,
    recopy,
    run_project_tests,
    snapshot,
    sync_engine,
    throwaway_database,
    tool,
)

# `new` makes the first two; add-model adds a third with a ref() to the first and a fourth with a
# ref() to the third, whose table and a column are SQL reserved words (`order`, `key`).
BASE_MODELS = (
    "Author name:str(100):unique born:date?",
    "Book title:str(200):index author:ref(Author) pages:int?",
)
ADDED_MODELS = (
    "Review stars:int:default=5 body:text? author:ref(Author)",
    "Order key:str(20):unique total:decimal(10,2)? review:ref(Review)",
)
DATABASES = [("sqlite", "aiosqlite"), ("postgresql", "asyncpg"), ("mysql", "asyncmy")]
DATABASE_IDS = [f"{db}-{driver}" for db, driver in DATABASES]


def add_model(project: Path, *args: str, cwd: Path | None = None) -> str:
    """`asyncrud add-model`, with `--project` unless run from inside the project (`cwd`)."""
    where = [] if cwd is not None else ["--project", str(project)]
    result = asyncrud("add-model", *args, *where, cwd=cwd)
    assert result.returncode == 0, result.output
    return result.stdout


def reflected_schema(url: str) -> dict[str, Any]:
    """Tables with their columns (type, nullability, default), keys, unique constraints, FKs, indexes."""
    engine = sync_engine(url)
    try:
        schema = inspect(engine)
        return {
            table: _reflected_table(schema, table)
            for table in sorted(schema.get_table_names())
            if table != "alembic_version"
        }
    finally:
        engine.dispose()


def _reflected_table(schema: Inspector, table: str) -> dict[str, Any]:
    columns = schema.get_columns(table)
    uniques = schema.get_unique_constraints(table)
    fks = schema.get_foreign_keys(table)
    return {
        "columns": [(c["name"], str(c["type"]), c["nullable"], c.get("default")) for c in columns],
        "primary_key": schema.get_pk_constraint(table)["constrained_columns"],
        "unique": sorted((u["name"], *u["column_names"]) for u in uniques),
        "foreign_keys": sorted(
            (fk["name"], *fk["constrained_columns"], fk["referred_table"], *fk["referred_columns"])
            for fk in fks
        ),
        "indexes": sorted(
            (ix["name"], bool(ix["unique"]), *ix["column_names"]) for ix in schema.get_indexes(table)
        ),
    }


def openapi(project: Path, url: str) -> dict[str, Any]:
    """The OpenAPI document of the project's app, built by the project's own code (no query runs)."""
    code = "import json, sys; from shop.main import app; json.dump(app.openapi(), sys.stdout)"
    result = check([sys.executable, "-c", code], cwd=project, env={"DATABASE_URL": url})
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def models_answer(project: Path) -> list[dict[str, Any]]:
    models: list[dict[str, Any]] = answers_of(project)["models"]
    return models


@dataclass(frozen=True)
class Grown:
    project: Path
    db: str
    driver: str
    schema: dict[str, Any]  # reflected after the last add-model's migrations
    outputs: tuple[str, ...]  # what each add-model printed


@pytest.fixture(scope="module")
def projects(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One parent for this module's projects, so that one mypy cache serves them all."""
    return tmp_path_factory.mktemp("add_model")


@pytest.fixture(scope="module", params=DATABASES, ids=DATABASE_IDS)
def grown(request: pytest.FixtureRequest, projects: Path) -> Grown:
    """`new` with two models, then add-model twice. After each add-model the migrations go up to the
    new head, pass `alembic check` (models and migrations agree), go one step down and up again."""
    db, driver = request.param
    project = new_project(projects, f"grown_{db}", db, driver, BASE_MODELS, extra=["--name", "shop"])
    outputs = []
    with throwaway_database(db, driver, projects) as url:
        alembic(project, url, "upgrade", "head")
        # The first from inside the project (found by walking up), the second with --project.
        for spec, cwd in zip(ADDED_MODELS, (project / "shop" / "book", None), strict=True):
            outputs.append(add_model(project, spec, cwd=cwd))
            migrate_new_revision(project, url)
        schema = reflected_schema(url)
    return Grown(project, db, driver, schema, tuple(outputs))


@pytest.fixture(scope="module")
def direct(projects: Path) -> Callable[[str, str], Path]:
    """The same four models made by one `new`, per database, rendered on first use."""
    made: dict[str, Path] = {}

    def make(db: str, driver: str) -> Path:
        if db not in made:
            specs = (*BASE_MODELS, *ADDED_MODELS)
            made[db] = new_project(projects, f"direct_{db}", db, driver, specs, extra=["--name", "shop"])
        return made[db]

    return make


def test_add_model_chains_revisions_and_records_models(grown: Grown) -> None:
    models = models_answer(grown.project)
    assert [m["name"] for m in models] == ["Author", "Book", "Review", "Order"]
    assert [(m.get("revision"), m.get("down_revision")) for m in models] == [
        (None, None),
        (None, None),
        ("0002_add_review", "0001_initial"),
        ("0003_add_order", "0002_add_review"),
    ]
    first, second = grown.outputs
    assert "Added Review" in first and "create migrations/versions/0002_add_review.py" in first
    assert "change shop/main.py" in second and "alembic upgrade head" in second
    assert {"author", "book", "review", "order"} == set(grown.schema)
    review, order = grown.schema["review"], grown.schema["order"]
    assert ("fk_review_author_id_author", "author_id", "author", "id") in review["foreign_keys"]
    assert ("fk_order_review_id_review", "review_id", "review", "id") in order["foreign_keys"]


def test_grown_project_lints_and_type_checks(grown: Grown) -> None:
    lint(grown.project)


def test_grown_project_passes_its_own_tests(grown: Grown) -> None:
    result = run_project_tests(grown.project, grown.db, grown.driver)
    assert "failed" not in result.stdout and "skipped" not in result.stdout, result.stdout
    # The added models' own test modules ran.
    assert re.search(r"(\d+) passed", result.stdout), result.stdout


def test_grown_project_equals_one_made_with_all_models(
    grown: Grown, direct: Callable[[str, str], Path], tmp_path: Path
) -> None:
    """Same files but the migrations and the revisions recorded for them, same OpenAPI document,
    same reflected schema."""
    other = direct(grown.db, grown.driver)
    grown_files, direct_files = snapshot(grown.project), snapshot(other)
    for files in (grown_files, direct_files):
        del files[".copier-answers.yml"]
        for name in [name for name in files if name.startswith("migrations/versions/")]:
            del files[name]
    assert grown_files.keys() == direct_files.keys()
    assert [name for name in grown_files if grown_files[name] != direct_files[name]] == []
    revisions = ("revision", "down_revision")
    recorded = [{k: v for k, v in m.items() if k not in revisions} for m in models_answer(grown.project)]
    assert recorded == models_answer(other)

    with throwaway_database(grown.db, grown.driver, tmp_path) as url:
        document = openapi(other, url)
        assert openapi(grown.project, url) == document
        assert "/api/v1/orders/{order_id}" in document["paths"]

        alembic(other, url, "upgrade", "head")
        assert reflected_schema(url) == grown.schema


def test_copier_recopy_keeps_the_added_models(grown: Grown, tmp_path: Path) -> None:
    """The answers file stays the single record: copier's own recopy renders the same project."""
    assert snapshot(recopy(grown.project, tmp_path / "copy")) == snapshot(grown.project)


# The user's edits: an endpoint in a generated router, a column in a generated model with its own
# migration, a route in main.py, and a test of their own.
USER_IMPORTS = """from fastapi import APIRouter, Query, status
from sqlalchemy import func, select

from shop.author.models import Author
from shop.database import SessionDep
"""
USER_ENDPOINT = """

@router.get("/stats/count", summary="Count authors")
async def count_authors(session: SessionDep) -> dict[str, int]:
    total = await session.scalar(select(func.count()).select_from(Author))
    return {"count": total or 0}
"""
USER_ROUTE = """

@app.get("/version", tags=["meta"])
async def version() -> dict[str, str]:
    return {"version": "1.2.3"}
"""
USER_TEST = """from httpx import AsyncClient


async def test_user_endpoints_answer(client: AsyncClient) -> None:
    created = await client.post("/api/v1/authors", json={"name": "Ann"})
    assert created.status_code == 201

    count = await client.get("/api/v1/authors/stats/count")
    version = await client.get("/version")

    assert count.json() == {"count": 1}
    assert version.json() == {"version": "1.2.3"}
"""


def make_user_edits(project: Path, url: str) -> str:
    """Apply the user's edits; returns the id of the revision Alembic wrote for their column."""
    router = project / "shop" / "author" / "router.py"
    edit(router, "from fastapi import APIRouter, Query, status\n", USER_IMPORTS)
    router.write_text(router.read_text() + USER_ENDPOINT)
    # Sorted (and duplicates joined) as the user's editor would.
    check([tool("ruff"), "check", "--no-cache", "--fix", "--select", "I", str(router)], cwd=project)
    edit(
        project / "shop" / "author" / "models.py",
        "from sqlalchemy import Date, String\n",
        "from sqlalchemy import Date, Integer, String\n",
    )
    models = project / "shop" / "author" / "models.py"
    models.write_text(models.read_text() + "    rating: Mapped[int | None] = mapped_column(Integer)\n")
    main = project / "shop" / "main.py"
    main.write_text(main.read_text() + USER_ROUTE)
    (project / "tests" / "test_user_edits.py").write_text(USER_TEST)
    alembic(project, url, "upgrade", "head")
    output = alembic(project, url, "revision", "--autogenerate", "-m", "add author rating")
    (written,) = project.joinpath("migrations", "versions").glob("*_add_author_rating.py")
    assert "rating" in written.read_text(), output
    match = re.search(r'^revision: str = "(\w+)"$', written.read_text(), re.MULTILINE)
    assert match is not None, written.read_text()
    return match[1]


def test_add_model_keeps_user_edits_and_chains_after_their_revision(projects: Path, tmp_path: Path) -> None:
    project = new_project(projects, "edited", "sqlite", "aiosqlite", BASE_MODELS, extra=["--name", "shop"])
    url = f"sqlite+aiosqlite:///{tmp_path / 'dev.db'}"
    user_revision = make_user_edits(project, url)
    edited = snapshot(project)

    add_model(project, ADDED_MODELS[0])

    after = snapshot(project)
    # Files add-model has no reason to touch are byte for byte the user's.
    for name in ("shop/author/router.py", "tests/test_user_edits.py"):
        assert after[name] == edited[name]
    # Author gains the collection of the reviews that refer to it, and keeps the user's column.
    models = after["shop/author/models.py"].decode()
    assert "reviews: Mapped[list[Review]]" in models
    assert models.endswith("    rating: Mapped[int | None] = mapped_column(Integer)\n")
    main = after["shop/main.py"].decode()
    assert main.endswith(USER_ROUTE)
    assert 'app.include_router(review_router, prefix="/api/v1")\n' in main
    assert "from shop.review.router import router as review_router\n" in main
    revision = after["migrations/versions/0002_add_review.py"].decode()
    assert f'down_revision: str | None = "{user_revision}"' in revision
    assert models_answer(project)[-1]["down_revision"] == user_revision

    migrate_new_revision(project, url)
    lint(project)
    result = run_project_tests(project, "sqlite", "aiosqlite")
    assert "failed" not in result.stdout and "skipped" not in result.stdout, result.stdout


@pytest.fixture(scope="module")
def base_project(projects: Path) -> Path:
    """An untouched project made by `new`; each test below works on a copy of it."""
    return new_project(projects, "base", "sqlite", "aiosqlite", BASE_MODELS, extra=["--name", "shop"])


@pytest.fixture
def project(base_project: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "shop"
    shutil.copytree(base_project, copy)
    return copy


def test_reading_the_migrations_leaves_asyncrud_process_as_it_was(project: Path) -> None:
    """The revisions import the project's package (`shop.column_types`); asyncrud never does."""
    cwd, path, modules = Path.cwd(), list(sys.path), set(sys.modules)

    history = read_history(project)

    assert (history.head, history.revisions) == ("0001_initial", frozenset({"0001_initial"}))
    assert (Path.cwd(), sys.path) == (cwd, path)
    assert not [name for name in set(sys.modules) - modules if name.split(".")[0] == "shop"]


def test_dry_run_prints_new_files_and_diff_and_writes_nothing(project: Path) -> None:
    before = snapshot(project)

    output = add_model(project, ADDED_MODELS[0], "--dry-run")

    assert snapshot(project) == before
    for created in (
        "shop/review/models.py",
        "tests/test_review.py",
        "migrations/versions/0002_add_review.py",
    ):
        assert f"create {created}" in output
    assert "+++ b/shop/main.py" in output
    assert re.search(r'^\+\s*app\.include_router\(review_router, prefix="/api/v1"\)', output, re.MULTILINE)
    assert "+    revision: 0002_add_review" in output
    assert "nothing was written" in output


def test_spec_given_as_separate_words_is_the_same_spec(project: Path) -> None:
    add_model(project, "Review", "stars:int:default=5", "body:text?", "author:ref(Author)")

    assert models_answer(project)[-1] == {
        "name": "Review",
        "fields": [
            {"name": "stars", "type": "int", "default": 5},
            {"name": "body", "type": "text", "optional": True},
            {"name": "author", "type": "ref", "ref": "Author"},
        ],
        "revision": "0002_add_review",
        "down_revision": "0001_initial",
    }


def _hand_written_module(project: Path) -> None:
    (project / "shop" / "review").mkdir()
    (project / "shop" / "review" / "__init__.py").write_text("")


def _hand_written_table(project: Path) -> None:
    (project / "shop" / "legacy.py").write_text(
        "from shop.database import Model\n\n\nclass Legacy(Model):\n    __tablename__ = 'Review'\n"
    )


def _deleted_main(project: Path) -> None:
    (project / "shop" / "main.py").unlink()


def _conflicting_main(project: Path) -> None:
    # The line after which add-model includes the new router, changed by hand.
    edit(
        project / "shop" / "main.py",
        'app.include_router(book_router, prefix="/api/v1")',
        'app.include_router(book_router, prefix="/api/v2")',
    )


def _two_heads(project: Path) -> None:
    # Two revisions of the user's that both follow the initial one: Alembic sees two heads.
    for revision in ("b1f2", "c3d4"):
        (project / "migrations" / "versions" / f"{revision}_branch.py").write_text(
            f'revision = "{revision}"\ndown_revision = "0001_initial"\n\n\n'
            "def upgrade() -> None:\n    pass\n\n\ndef downgrade() -> None:\n    pass\n"
        )


def _other_template(project: Path) -> None:
    (project / ".copier-answers.yml").write_text("_src_path: gh:someone/other-template\nproject_name: x\n")


def _broken_answers(project: Path) -> None:
    edit(project / ".copier-answers.yml", "database: sqlite", "database: oracle")


PROJECT_CASES: dict[str, tuple[Callable[[Path], None], str, str]] = {
    "model-in-answers": (lambda p: None, "Author bio:text?", "'Author'"),
    "module-written-by-hand": (_hand_written_module, ADDED_MODELS[0], "shop/review"),
    "table-written-by-hand": (_hand_written_table, ADDED_MODELS[0], "shop/legacy.py"),
    "generated-file-deleted": (_deleted_main, ADDED_MODELS[0], "shop/main.py"),
    "edit-conflicts-with-change": (_conflicting_main, ADDED_MODELS[0], "shop/main.py"),
    "several-alembic-heads": (_two_heads, ADDED_MODELS[0], "b1f2, c3d4"),
    "answers-of-another-template": (_other_template, ADDED_MODELS[0], "not written by asyncrud"),
    "answers-edited-badly": (_broken_answers, ADDED_MODELS[0], "oracle"),
}
SPEC_CASES = {
    "model-not-pascal-case": ("review stars:int", "'review'"),
    "python-keyword-field": ("Review class:int", "'class'"),
    "reserved-member": ("Review metadata:json", "'metadata'"),
    "duplicate-field": ("Review stars:int stars:int", "'stars'"),
    "unknown-type": ("Review stars:integer", "'integer'"),
    "bad-str-length": ("Review title:str(0)", "'str(0)'"),
    "bad-decimal": ("Review score:decimal(2,5)", "'decimal(2,5)'"),
    "bad-default": ("Review stars:int:default=many", "default=many"),
    "ref-to-unknown-model": ("Review book:ref(Nope)", "'ref(Nope)'"),
    "table-of-existing-model": ("AUTHOR name", "'AUTHOR'"),
}


@pytest.mark.parametrize(("prepare", "spec", "token"), PROJECT_CASES.values(), ids=PROJECT_CASES.keys())
def test_bad_project_state_exits_2_and_writes_nothing(
    project: Path, prepare: Callable[[Path], None], spec: str, token: str
) -> None:
    prepare(project)
    assert_refused(project, "add-model", spec, message=token)


@pytest.mark.parametrize(("spec", "token"), SPEC_CASES.values(), ids=SPEC_CASES.keys())
def test_bad_spec_exits_2_naming_the_token_and_writes_nothing(project: Path, spec: str, token: str) -> None:
    before = snapshot(project)

    result = asyncrud("add-model", spec, cwd=project)

    assert result.returncode == 2, result.output
    assert token in result.stderr, result.stderr
    assert "Traceback" not in result.output
    assert snapshot(project) == before


def test_outside_any_project_exits_2(tmp_path: Path) -> None:
    result = asyncrud("add-model", ADDED_MODELS[0], cwd=tmp_path)

    assert result.returncode == 2
    assert "not inside an asyncrud project" in result.stderr and str(tmp_path) in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_project_option_without_answers_exits_2(tmp_path: Path) -> None:
    result = asyncrud("add-model", ADDED_MODELS[0], "--project", str(tmp_path))

    assert result.returncode == 2
    assert ".copier-answers.yml" in result.stderr and str(tmp_path) in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_changes_are_written_all_or_nothing(tmp_path: Path) -> None:
    """A write failing part-way (here a folder that cannot be made) puts every file back."""
    (tmp_path / "main.py").write_bytes(b"old\n")
    (tmp_path / "blocker").write_bytes(b"a file where a folder must go\n")
    before = snapshot(tmp_path)
    changes = ChangeSet(
        tmp_path,
        (
            Change(Path("main.py"), b"old\n", b"new\n"),
            Change(Path("pkg/sub/module.py"), None, b"created\n"),
            Change(Path("blocker/module.py"), None, b"cannot be written\n"),
        ),
    )

    with pytest.raises(RenderError, match="nothing was changed"):
        changes.apply()

    assert snapshot(tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocker", "main.py"]
