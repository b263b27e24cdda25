"""`asyncrud upgrade` through the installed CLI: a project made by asyncrud 0.1.0 and edited as a user
edits one (a module of their own, a route in main.py, a column with its own revision, a README note)
takes this version's template on every database, keeps every edit, migrates, lints and passes its
own tests; a conflicting edit is written between conflict markers and listed (exit 1); a template
change of the schema keeps the revisions and says so; `--dry-run` writes nothing; and `copier update`
works for a project made with `copier copy` from a git checkout (two tagged commits)."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from generator import __version__
from generator.releases import released_versions
from generator.spec import parse_model
from generator.template import template_root
from tests.support import (
    BIN,
    alembic,
    answers_of,
    assert_refused,
    asyncrud,
    check,
    edit,
    lint,
    made_by,
    new_project,
    run,
    run_project_tests,
    snapshot,
    throwaway_database,
)

OLD = "0.1.0"
MODELS = (
    "Author name:str(100):unique born:date?",
    "Book title:str(200):index author:ref(Author) pages:int?",
)
DATABASES = [("sqlite", "aiosqlite"), ("postgresql", "asyncpg"), ("mysql", "asyncmy")]
GIT = ["git", "-c", "user.email=test@example.com", "-c", "user.name=test", "-c", "init.defaultBranch=main"]

USER_ROUTE = """

@app.get("/version", tags=["meta"])
async def version() -> dict[str, str]:
    return {"version": "1.2.3"}
"""
USER_MODULE = '''"""Slugs for URLs: a module of our own."""

import re


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
'''
USER_TEST = """from shop.main import app
from shop.slug import slugify


def test_slugify() -> None:
    assert slugify("Hello, World!") == "hello-world"


def test_version_route_is_registered() -> None:
    assert "/version" in {getattr(route, "path", None) for route in app.routes}
"""
USER_NOTE = "\n## Our notes\n\nDeploy with `make deploy`.\n"
USER_COLUMN = "    rating: Mapped[int | None] = mapped_column()\n"


def make_old_project(parent: Path, name: str, db: str, driver: str, models: tuple[str, ...] = MODELS) -> Path:
    """A project as asyncrud 0.1.0 made it: its packaged template, rendered by copier's own CLI."""
    answers = {
        "project_name": "shop",
        "database": db,
        "driver": driver,
        "models": [parse_model(spec).to_answer() for spec in models],
    }
    data = parent / f"{name}.yml"
    data.write_text(yaml.safe_dump(answers))
    dest = parent / name
    copier = [str(BIN / "copier"), "copy", "--trust", "--defaults", "--quiet", "--data-file", str(data)]
    check([*copier, str(released_versions()[OLD]), str(dest)])
    assert "_asyncrud_version" not in answers_of(dest)
    return dest


def edit_as_a_user(project: Path, url: str) -> Path:
    """The user's edits; returns the revision file Alembic wrote for their column."""
    main = project / "shop" / "main.py"
    main.write_text(main.read_text() + USER_ROUTE)
    readme = project / "README.md"
    readme.write_text(readme.read_text() + USER_NOTE)
    (project / "shop" / "slug.py").write_text(USER_MODULE)
    (project / "tests" / "test_slug.py").write_text(USER_TEST)
    models = project / "shop" / "author" / "models.py"
    models.write_text(models.read_text() + USER_COLUMN)
    alembic(project, url, "upgrade", "head")
    alembic(project, url, "revision", "--autogenerate", "-m", "add author rating")
    (revision,) = project.joinpath("migrations", "versions").glob("*_add_author_rating.py")
    assert "rating" in revision.read_text()
    alembic(project, url, "upgrade", "head")
    return revision


def upgrade(project: Path, *args: str) -> str:
    result = asyncrud("upgrade", "--project", str(project), *args)
    assert result.returncode == 0, result.output
    return result.stdout


@dataclass(frozen=True)
class Upgraded:
    project: Path
    db: str
    driver: str
    output: str
    edited: dict[str, bytes]  # the project before the upgrade
    revision: str  # the user's revision file, relative to the project


@pytest.fixture(scope="module")
def projects(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("upgrade")


@pytest.fixture(scope="module", params=DATABASES, ids=[f"{db}-{driver}" for db, driver in DATABASES])
def upgraded(request: pytest.FixtureRequest, projects: Path) -> Upgraded:
    """A 0.1.0 project, edited, its database at the user's revision; upgraded; then the database goes
    up to the head, passes `alembic check`, all the way down and up again."""
    db, driver = request.param
    project = make_old_project(projects, f"old_{db}", db, driver)
    with throwaway_database(db, driver, projects) as url:
        revision = edit_as_a_user(project, url)
        edited = snapshot(project)
        output = upgrade(project)
        alembic(project, url, "upgrade", "head")
        alembic(project, url, "check")
        alembic(project, url, "downgrade", "base")
        alembic(project, url, "upgrade", "head")
        alembic(project, url, "check")
    return Upgraded(project, db, driver, output, edited, revision.relative_to(project).as_posix())


def test_upgrade_takes_the_new_template_and_records_the_version(upgraded: Upgraded) -> None:
    assert f"Upgraded from {OLD} to {__version__}" in upgraded.output
    assert "conflict" not in upgraded.output
    assert answers_of(upgraded.project)["_asyncrud_version"] == __version__
    main = (upgraded.project / "shop" / "main.py").read_text()
    assert "def create_app() -> FastAPI:" in main and main != upgraded.edited["shop/main.py"].decode()


def test_upgrade_keeps_every_user_edit(upgraded: Upgraded) -> None:
    after = snapshot(upgraded.project)
    assert after["shop/main.py"].decode().endswith(USER_ROUTE)
    assert after["README.md"].decode().endswith(USER_NOTE)
    assert USER_COLUMN.encode() in after["shop/author/models.py"]
    for name in ("shop/slug.py", "tests/test_slug.py", upgraded.revision):
        assert after[name] == upgraded.edited[name]


def test_upgraded_project_lints_and_type_checks(upgraded: Upgraded) -> None:
    lint(upgraded.project)


def test_upgraded_project_passes_its_own_tests(upgraded: Upgraded) -> None:
    result = run_project_tests(upgraded.project, upgraded.db, upgraded.driver)
    assert "failed" not in result.stdout, result.stdout
    assert re.search(r"\b2 passed|\d+ passed", result.stdout), result.stdout


# The same merge on every database: one database shows it.
@pytest.mark.parametrize("upgraded", DATABASES[:1], indirect=True, ids=["sqlite-aiosqlite"])
def test_upgraded_project_is_what_this_version_makes_but_for_the_edits(
    upgraded: Upgraded, projects: Path
) -> None:
    made = snapshot(new_project(projects, "made", "sqlite", "aiosqlite", MODELS, extra=["--name", "shop"]))
    after = snapshot(upgraded.project)
    edited = {".copier-answers.yml", "shop/main.py", "README.md", "shop/author/models.py"}
    own = {"shop/slug.py", "tests/test_slug.py", upgraded.revision}
    assert sorted(set(after) - own) == sorted(made)
    assert [name for name in made if name not in edited and made[name] != after[name]] == []


@pytest.fixture
def old_project(projects: Path, tmp_path: Path) -> Path:
    """A copy of an untouched SQLite project of 0.1.0, for each test below."""
    made = projects / "old_base"
    if not made.exists():
        make_old_project(projects, "old_base", "sqlite", "aiosqlite")
    return Path(shutil.copytree(made, tmp_path / "shop"))


def test_a_conflicting_edit_is_marked_listed_and_exits_1(old_project: Path) -> None:
    # The line the new template rewrites (it includes the routers inside create_app()).
    edit(old_project / "shop" / "main.py", 'book_router, prefix="/api/v1"', 'book_router, prefix="/api/v2"')
    database = (old_project / "shop" / "database.py").read_text()

    result = asyncrud("upgrade", "--project", str(old_project))

    assert result.returncode == 1, result.output
    assert "conflict shop/main.py" in result.stdout
    main = (old_project / "shop" / "main.py").read_text()
    assert re.search(r"^<<<<<<< yours\n(.|\n)*^=======\n(.|\n)*^>>>>>>> asyncrud \S+\n", main, re.MULTILINE)
    assert 'prefix="/api/v2"' in main
    # Everything else was upgraded, and the project records the new version.
    assert (old_project / "shop" / "database.py").read_text() != database
    assert answers_of(old_project)["_asyncrud_version"] == __version__


def test_dry_run_shows_the_diff_and_writes_nothing(old_project: Path) -> None:
    before = snapshot(old_project)

    output = upgrade(old_project, "--dry-run")

    assert snapshot(old_project) == before
    assert f"Would upgrade from {OLD} to {__version__}" in output
    assert "+++ b/shop/main.py" in output and "+def create_app() -> FastAPI:" in output
    assert "nothing was written" in output


def test_a_project_of_this_version_has_nothing_to_upgrade(projects: Path) -> None:
    project = new_project(projects, "current", "sqlite", "aiosqlite", MODELS[:1])
    before = snapshot(project)

    output = upgrade(project)

    assert "nothing to upgrade" in output
    assert snapshot(project) == before


@pytest.mark.parametrize(
    ("version", "message"),
    [
        ("99.0.0", "newer than this asyncrud"),
        ("0.0.1", "does not carry"),
        ("one", "invalid asyncrud version"),
    ],
    ids=["newer", "unknown", "invalid"],
)
def test_a_version_without_a_template_exits_2_and_writes_nothing(
    old_project: Path, version: str, message: str
) -> None:
    made_by(old_project, version)
    assert_refused(old_project, "upgrade", message=message)


def test_a_template_schema_change_keeps_the_revisions_and_says_what_to_do(
    projects: Path, tmp_path: Path
) -> None:
    """Between 0.1.0 and this version: a `unique:index` field was a unique constraint plus an index,
    and is one unique index now. The revision that made the table stays as the database knows it;
    `alembic revision --autogenerate` writes the change, after which the models and the database agree."""
    project = make_old_project(
        tmp_path, "uniq", "sqlite", "aiosqlite", ("Author email:str(254):unique:index",)
    )
    url = f"sqlite+aiosqlite:///{tmp_path / 'dev.db'}"
    alembic(project, url, "upgrade", "head")
    initial = (project / "migrations" / "versions" / "0001_initial.py").read_bytes()

    result = asyncrud("upgrade", "--project", str(project))

    assert result.returncode == 1, result.output
    assert "conflict migrations/versions: the template's tables changed" in result.stdout
    assert (project / "migrations" / "versions" / "0001_initial.py").read_bytes() == initial
    alembic(project, url, "revision", "--autogenerate", "-m", "asyncrud upgrade")
    alembic(project, url, "upgrade", "head")
    alembic(project, url, "check")
    run_project_tests(project, "sqlite", "aiosqlite")


def test_copier_update_between_two_tagged_commits(tmp_path: Path) -> None:
    """A project made with `copier copy` of a git checkout at the 0.1.0 tag takes the next tag with
    `copier update`, the user's note kept, the version recorded."""
    repository = tmp_path / "asyncrud"
    repository.mkdir()
    check([*GIT, "init", "-q", str(repository)])
    for tag, source in ((f"v{OLD}", released_versions()[OLD]), (f"v{__version__}", template_root())):
        shutil.rmtree(repository / "template", ignore_errors=True)
        shutil.copy(source / "copier.yml", repository / "copier.yml")
        shutil.copytree(source / "template", repository / "template")
        check([*GIT, "add", "-A"], cwd=repository)
        check([*GIT, "commit", "-q", "-m", tag], cwd=repository)
        check([*GIT, "tag", tag], cwd=repository)
    project = tmp_path / "shop"
    copier = str(BIN / "copier")
    data = tmp_path / "data.yml"
    data.write_text(yaml.safe_dump({"project_name": "shop", "models": [parse_model(MODELS[0]).to_answer()]}))
    copy = [copier, "copy", "--trust", "--defaults", "--data-file", str(data), "--vcs-ref", f"v{OLD}"]
    check([*copy, str(repository), str(project)])
    assert answers_of(project)["_commit"] == f"v{OLD}"
    readme = project / "README.md"
    readme.write_text(readme.read_text() + USER_NOTE)
    check([*GIT, "init", "-q"], cwd=project)
    check([*GIT, "add", "-A"], cwd=project)
    check([*GIT, "commit", "-q", "-m", "made and edited"], cwd=project)

    result = run([copier, "update", "--trust", "--defaults", "--vcs-ref", f"v{__version__}", str(project)])

    assert result.returncode == 0, result.output
    answers = answers_of(project)
    assert (answers["_commit"], answers["_asyncrud_version"]) == (f"v{__version__}", __version__)
    assert readme.read_text().endswith(USER_NOTE)
    assert "def create_app() -> FastAPI:" in (project / "shop" / "main.py").read_text()
    run_project_tests(project, "sqlite", "aiosqlite")
