"""`asyncrud remove-model` through the installed CLI: the model's package, router registration and
import, tests, factory and README line go, a revision drops its table on every database (and
recreates it on downgrade), the user's edits elsewhere stay, the project lints and passes its own
tests, `copier recopy` renders the same project, and every refusal exits 2 with nothing written."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from generator.changeset import Change, ChangeSet
from generator.errors import RenderError
from tests.support import (
    alembic,
    answers_of,
    assert_refused,
    asyncrud,
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

MODELS = (
    "Author name:str(100):unique",
    "Book title:str(200) author:ref(Author)",
    "Tag name:str(50):unique",
)
REVISION = "0002_remove_tag"
DATABASES = [("sqlite", "aiosqlite"), ("postgresql", "asyncpg"), ("mysql", "asyncmy")]
USER_ROUTE = """

@app.get("/version", tags=["meta"])
async def version() -> dict[str, str]:
    return {"version": "1.2.3"}
"""


def remove_model(project: Path, *args: str) -> str:
    result = asyncrud("remove-model", *args, "--project", str(project))
    assert result.returncode == 0, result.output
    return result.stdout


@dataclass(frozen=True)
class Removed:
    project: Path
    db: str
    driver: str
    output: str
    tables: list[str]  # after the revision that drops the table


@pytest.fixture(scope="module")
def projects(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("remove_model")


@pytest.fixture(scope="module", params=DATABASES, ids=[f"{db}-{driver}" for db, driver in DATABASES])
def removed(request: pytest.FixtureRequest, projects: Path) -> Removed:
    """`new`, a route of the user's in main.py and rows in the table, then remove-model: the revision
    passes `alembic check`, goes one step down (the table back) and up again."""
    db, driver = request.param
    project = new_project(projects, f"removed_{db}", db, driver, MODELS, extra=["--name", "shop"])
    main = project / "shop" / "main.py"
    main.write_text(main.read_text() + USER_ROUTE)
    with throwaway_database(db, driver, projects) as url:
        alembic(project, url, "upgrade", "head")
        engine = sync_engine(url)
        try:
            with engine.begin() as connection:
                connection.execute(text("INSERT INTO tag (name) VALUES ('new')"))
            output = remove_model(project, "Tag")
            migrate_new_revision(project, url)
            tables = sorted(inspect(engine).get_table_names())
        finally:
            engine.dispose()
    return Removed(project, db, driver, output, tables)


def test_the_model_and_its_table_are_gone(removed: Removed) -> None:
    files = snapshot(removed.project)
    left = [name for name in files if "tag" in name and not name.startswith("migrations/")]
    assert left == []
    assert not (removed.project / "shop" / "tag").exists()
    main = files["shop/main.py"].decode()
    assert "tag_router" not in main and "shop.tag" not in main and main.endswith(USER_ROUTE)
    assert "Tag" not in files["shop/models.py"].decode()
    assert "/api/v1/tags" not in files["README.md"].decode()
    assert removed.tables == ["alembic_version", "author", "book"]
    for path in ("shop/tag/router.py", "tests/test_tag.py", "tests/factories/tag.py"):
        assert f"delete {path}" in removed.output
    assert f"create migrations/versions/{REVISION}.py" in removed.output


def test_the_removal_is_recorded_and_history_kept(removed: Removed) -> None:
    answers = answers_of(removed.project)
    tag = next(model for model in answers["models"] if model["name"] == "Tag")
    assert tag["removed"] == REVISION
    assert answers["migrations"] == [
        {"kind": "remove_model", "revision": REVISION, "down_revision": "0001_initial", "model": "Tag"}
    ]
    initial = (removed.project / "migrations" / "versions" / "0001_initial.py").read_text()
    assert 'op.create_table(\n        "tag"' in initial


def test_project_without_the_model_lints_and_type_checks(removed: Removed) -> None:
    lint(removed.project)


def test_project_without_the_model_passes_its_own_tests(removed: Removed) -> None:
    result = run_project_tests(removed.project, removed.db, removed.driver)
    assert "failed" not in result.stdout and "skipped" not in result.stdout, result.stdout


# The answers file is the same record on every database: one database shows recopy.
@pytest.mark.parametrize("removed", DATABASES[:1], indirect=True, ids=["sqlite-aiosqlite"])
def test_copier_recopy_renders_the_same_project(removed: Removed, tmp_path: Path) -> None:
    """The same but for the user's route, which recopy knows nothing of."""
    copy = snapshot(recopy(removed.project, tmp_path / "copy"))
    copy["shop/main.py"] += USER_ROUTE.encode()
    assert copy == snapshot(removed.project)


@pytest.fixture(scope="module")
def base_project(projects: Path) -> Path:
    """An untouched SQLite project made by `new`; each test below works on a copy of it."""
    return new_project(projects, "base", "sqlite", "aiosqlite", MODELS, extra=["--name", "shop"])


@pytest.fixture
def project(base_project: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(base_project, tmp_path / "shop"))


def test_removing_every_model_in_turn_migrates_down_to_nothing(project: Path, tmp_path: Path) -> None:
    """A referring model first, then the model it referred to; each revision after the last."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'dev.db'}"
    alembic(project, url, "upgrade", "head")
    for name in ("Book", "Tag", "Author"):
        remove_model(project, name)
        migrate_new_revision(project, url)

    assert [change["revision"] for change in answers_of(project)["migrations"]] == [
        "0002_remove_book",
        "0003_remove_tag",
        "0004_remove_author",
    ]
    alembic(project, url, "downgrade", "base")
    alembic(project, url, "upgrade", "head")
    lint(project)
    run_project_tests(project, "sqlite", "aiosqlite")


def test_a_removed_model_cannot_come_back_under_its_name(project: Path) -> None:
    remove_model(project, "Tag")
    assert_refused(project, "add-model", "Tag label", message="'Tag' was removed by revision 0002_remove_tag")


def test_dry_run_lists_the_deletions_and_writes_nothing(project: Path) -> None:
    before = snapshot(project)

    output = remove_model(project, "Tag", "--dry-run")

    assert snapshot(project) == before
    assert "Would remove Tag from shop" in output
    assert "delete shop/tag/models.py" in output and "delete tests/test_tag.py" in output
    assert re.search(r"^-\s*app\.include_router\(tag_router", output, re.MULTILINE), output
    assert "nothing was written" in output


def _edited_router(project: Path) -> None:
    router = project / "shop" / "tag" / "router.py"
    router.write_text(router.read_text() + "\n# mine\n")


def _removed_already(project: Path) -> None:
    remove_model(project, "Tag")


def _older_project(project: Path) -> None:
    made_by(project, "0.1.0")


CASES: dict[str, tuple[Callable[[Path], None], str, str]] = {
    "referred-to-by-another-model": (lambda p: None, "Author", "Book refers to it"),
    "unknown-model": (lambda p: None, "Nope", "unknown model 'Nope'"),
    "model-not-pascal-case": (lambda p: None, "tag", "'tag'"),
    "file-to-delete-edited-by-hand": (_edited_router, "Tag", "shop/tag/router.py"),
    "removed-already": (_removed_already, "Tag", "removed already"),
    "made-by-another-version": (_older_project, "Tag", "asyncrud upgrade"),
}


@pytest.mark.parametrize(("prepare", "model", "message"), CASES.values(), ids=CASES.keys())
def test_refusal_exits_2_and_writes_nothing(
    project: Path, prepare: Callable[[Path], None], model: str, message: str
) -> None:
    prepare(project)
    assert_refused(project, "remove-model", model, message=message)


def test_deletions_are_undone_with_everything_else(tmp_path: Path) -> None:
    """A write failing after a package was deleted (and its emptied folder with its __pycache__
    moved away) puts the files and the folder back."""
    package = tmp_path / "pkg" / "tag"
    (package / "__pycache__").mkdir(parents=True)
    (package / "__pycache__" / "router.cpython-311.pyc").write_bytes(b"\0compiled")
    (package / "router.py").write_bytes(b"router\n")
    (tmp_path / "main.py").write_bytes(b"old\n")
    (tmp_path / "blocker").write_bytes(b"a file where a folder must go\n")
    before = snapshot(tmp_path), sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    changes = ChangeSet(
        tmp_path,
        (
            Change(Path("main.py"), b"old\n", b"new\n"),
            Change(Path("pkg/tag/router.py"), b"router\n", None),
            Change(Path("blocker/module.py"), None, b"cannot be written\n"),
        ),
    )

    with pytest.raises(RenderError, match="nothing was changed"):
        changes.apply()

    assert (snapshot(tmp_path), sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))) == before


def test_deleting_a_package_removes_its_emptied_folder(tmp_path: Path) -> None:
    package = tmp_path / "pkg" / "tag"
    (package / "__pycache__").mkdir(parents=True)
    (package / "router.py").write_bytes(b"router\n")
    (tmp_path / "pkg" / "main.py").write_bytes(b"main\n")

    ChangeSet(tmp_path, (Change(Path("pkg/tag/router.py"), b"router\n", None),)).apply()

    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == ["pkg", "pkg/main.py"]
