"""The generated project's GitHub Actions workflow: actionlint and the workflow schema accept it, and
every `run:` step, in order, passes inside a rendered project on this machine, with the service
container's address and credentials mapped to this machine's server. So the workflow is known to
pass before anyone pushes it.

`uses:` steps (checkout, setup-python) are GitHub's; here the project is already checked out and a
fresh virtual environment (which sees the test environment's packages, so nothing is downloaded
but the build backend) stands in for setup-python."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import uuid
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import create_engine, make_url, text

from tests.support import SERVER_URLS, check, new_project, require_server, run, tool

DATABASES = [("sqlite", "aiosqlite"), ("postgresql", "asyncpg"), ("mysql", "asyncmy")]
WORKFLOW = Path(".github/workflows/ci.yml")
_ADMIN_DRIVERS = {"postgresql": "psycopg", "mysql": "pymysql"}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", params=DATABASES, ids=[db for db, _ in DATABASES])
def ci_project(request: pytest.FixtureRequest, workspace: Path) -> tuple[Path, str, str]:
    db, driver = request.param
    project = new_project(
        workspace,
        f"ci_{db}",
        db,
        driver,
        ["Author name:str(100):unique", "Book title pages:int? author:ref(Author)"],
    )
    return project, db, driver


def load_workflow(project: Path) -> dict[str, Any]:
    workflow = yaml.safe_load((project / WORKFLOW).read_text())
    assert isinstance(workflow, dict)
    return workflow


def test_actionlint_and_the_workflow_schema_accept_it(ci_project: tuple[Path, str, str]) -> None:
    project, _, _ = ci_project
    result = check([tool("actionlint"), "-no-color", str(WORKFLOW)], cwd=project)
    assert result.output.strip() == ""
    check(
        [tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)], cwd=project
    )


def test_actionlint_catches_mistakes(tmp_path: Path) -> None:
    broken = tmp_path / "ci.yml"
    broken.write_text(
        "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ matrix.missing }}\n      - uses: actions/checkout@v4\n        with: 3\n"
    )
    assert run([tool("actionlint"), "-no-color", str(broken)]).returncode != 0


def test_workflow_covers_lint_types_tests_and_migrations(ci_project: tuple[Path, str, str]) -> None:
    project, db, _ = ci_project
    job = load_workflow(project)["jobs"]["test"]
    commands = "\n".join(step.get("run", "") for step in job["steps"])
    for expected in (
        "ruff check",
        "ruff format --check",
        "mypy --strict",
        "pytest",
        "alembic upgrade head",
        "alembic check",
    ):
        assert expected in commands
    if db == "sqlite":
        assert "services" not in job
    else:
        (service,) = job["services"].values()
        assert service["image"] == {"postgresql": "postgres:17", "mysql": "mariadb:11.4"}[db]
        assert any("TEST_DATABASE_URL" in step.get("env", {}) for step in job["steps"])


def local(value: str, db: str, databases: dict[str, str]) -> str:
    """A workflow value with the service container's URL mapped to this machine's server; the
    database the migrations step creates gets a name of its own here (dropped afterwards)."""
    if db == "sqlite" or "://" not in value:
        return value
    url = make_url(value)
    machine = make_url(SERVER_URLS[db])
    if url.get_backend_name() != db or url.host not in ("127.0.0.1", "localhost"):
        return value
    database = url.database or ""
    if database not in ("postgres", "mysql"):
        database = databases.setdefault(database, f"asyncrud_ci_{uuid.uuid4().hex[:10]}")
    url = url.set(host=machine.host, port=machine.port, username=machine.username, database=database)
    url = url._replace(password=machine.password)
    return url.render_as_string(hide_password=False)


@pytest.fixture(scope="module")
def runner_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtual environment standing in for setup-python; it sees the test environment's packages."""
    venv = tmp_path_factory.mktemp("ci-venv")
    check([sys.executable, "-m", "venv", str(venv)])
    site = next(venv.glob("lib/python*/site-packages"))
    (site / "test-environment.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv / "bin"


def test_every_run_step_passes_in_order(
    ci_project: tuple[Path, str, str], runner_python: Path, tmp_path: Path
) -> None:
    project, db, _ = ci_project
    require_server(db)
    job = load_workflow(project)["jobs"]["test"]
    databases: dict[str, str] = {}
    base_env = {
        **os.environ,
        # What the runner has: its Python first; GitHub sets CI.
        "PATH": f"{runner_python}{os.pathsep}{os.environ['PATH']}",
        "CI": "true",
        # The development database must never be what the tests touch.
        "DATABASE_URL": "sqlite+aiosqlite:////nonexistent/development.db",
    }
    base_env.pop("VIRTUAL_ENV", None)
    ran = []
    try:
        for step in job["steps"]:
            if "run" not in step:
                assert step["uses"].split("@")[0] in ("actions/checkout", "actions/setup-python")
                continue
            env = {**base_env, **{k: local(str(v), db, databases) for k, v in job.get("env", {}).items()}}
            env |= {k: local(str(v), db, databases) for k, v in step.get("env", {}).items()}
            completed = subprocess.run(
                ["bash", "--noprofile", "--norc", "-e", "-o", "pipefail", "-c", step["run"]],
                cwd=project,
                env=env,
                capture_output=True,
                text=True,
                timeout=900,
                check=False,
            )
            assert completed.returncode == 0, (
                f"step {step.get('name', step['run'])!r} failed:\n{completed.stdout[-4000:]}\n{completed.stderr[-4000:]}"
            )
            ran.append(step.get("name", step["run"]))
    finally:
        if databases:
            admin = create_engine(
                make_url(SERVER_URLS[db]).set(drivername=f"{db}+{_ADMIN_DRIVERS[db]}"),
                isolation_level="AUTOCOMMIT",
            )
            with admin.connect() as connection:
                force = " WITH (FORCE)" if db == "postgresql" else ""
                for name in databases.values():
                    connection.execute(text(f"DROP DATABASE IF EXISTS {name}{force}"))
            admin.dispose()
    assert ran[0] == "Install" and ran[-1] == "Migrations apply and match the models"
    if db != "sqlite":
        assert databases, "the migrations step did not use a database of its own"
