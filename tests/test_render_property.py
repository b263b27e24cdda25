"""Model sets drawn from the grammar (tests/model_strategies.py) render into projects that work.

Each drawn set, with a drawn `--cache` and `--queue`, goes through the installed CLI (`asyncrud new DIR
--defaults --model ...`), and the
project must pass, in this order: ruff check, ruff format --check, mypy --strict, `alembic upgrade
head`, an HTTP check of its unique keys through the app itself (rows created through the API; a
duplicate is a 409 naming the field, on create and on update), its own test suite (which must hold a
duplicate-409 test for each model with a unique field), and `alembic check` (no drift between models and
migrations). The first failure is the one Hypothesis shrinks and reports (each stage raises its own
exception type, keyed by what failed, so Hypothesis keeps different defects apart); without shrinking
the later stages run too and their failures are printed as notes of the failing example.

On SQLite for every example; on PostgreSQL and MariaDB for fewer. The seed and example counts are
fixed, so CI runs the same examples every time:

    ASYNCRUD_PROPERTY_EXAMPLES=200 pytest tests/test_render_property.py   # 200 on SQLite, 50 per server
    ASYNCRUD_PROPERTY_SEED=7 ...                                           # other examples
    ASYNCRUD_PROPERTY_SHRINK=0 ...                                         # unshrunk (the default in CI)
    ASYNCRUD_PROPERTY_IGNORE='F401|MigrationDrift' ...                     # look past known defects
    ASYNCRUD_PROPERTY_IGNORE=. ASYNCRUD_PROPERTY_LOG=survey.jsonl ...      # fail nothing, log everything
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from itertools import count
from pathlib import Path
from typing import Any, ClassVar

import httpx
import pytest
from hypothesis import HealthCheck, Phase, given, note, seed, settings
from hypothesis import strategies as st

from generator.errors import SpecError
from generator.spec import check_model_set, parse_model
from tests.model_strategies import FEATURES, DrawnModel, ModelSet, drawn_models
from tests.served import serve
from tests.support import (
    UNREACHABLE_DATABASE_URL,
    asyncrud,
    package_of,
    require_server,
    run,
    server_url,
    throwaway_database,
    tool,
)

pytestmark = pytest.mark.slow

# Examples per run: CI's fixed budget, or ASYNCRUD_PROPERTY_EXAMPLES for SQLite (a quarter of it, at
# least 2, per server).
_EXAMPLES = int(os.environ.get("ASYNCRUD_PROPERTY_EXAMPLES", "0"))
SQLITE_EXAMPLES = _EXAMPLES or 4
SERVER_EXAMPLES = max(2, _EXAMPLES // 4) if _EXAMPLES else 2
SEED = int(os.environ.get("ASYNCRUD_PROPERTY_SEED", "20240131"))
# A regular expression of failures (their type names, e.g. `RuffCheckFailed[F401]`) to tolerate, so
# that a run can look past a known defect for the next one: Hypothesis stops drawing new examples
# soon after the first failure.
IGNORE = os.environ.get("ASYNCRUD_PROPERTY_IGNORE", "")
# A file that gets one JSON line per example: its models, every failure and the seconds per stage.
# With ASYNCRUD_PROPERTY_IGNORE=. no example fails, and the log surveys them all.
LOG = os.environ.get("ASYNCRUD_PROPERTY_LOG", "")
_PHASES = [Phase.explicit, Phase.generate]
# Shrinking re-renders the project for every step: up to Hypothesis's five minutes per failing test.
# CI reports the failing example as drawn, within its budget; the same seed run locally shrinks it.
if os.environ.get("ASYNCRUD_PROPERTY_SHRINK", "0" if os.environ.get("CI") else "1") != "0":
    _PHASES.append(Phase.shrink)
# While shrinking, the stages after an example's first failure are skipped: Hypothesis looks only at
# that one, and each shrink step would pay for all of them. Without shrinking (CI) every stage runs,
# and the failing example lists all that failed.
FAIL_FAST = Phase.shrink in _PHASES


def _settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        # Nothing is replayed from earlier runs: the seed alone decides the examples.
        database=None,
        phases=_PHASES,
        print_blob=False,
    )


# --- one exception type per stage: Hypothesis tells failures apart by type and place ------------------


class StageFailed(AssertionError):
    """A stage's failure. Its variants are keyed by a signature taken from the output (ruff's rule
    codes, mypy's error codes, the exceptions of failed tests, alembic's drift operations), so that
    different defects caught by one stage are different bugs to Hypothesis, each shrunk and reported
    on its own."""

    stage = "stage"
    signature = r"(?!)"  # what to collect from the output; matches nothing by default
    _variants: ClassVar[dict[tuple[type[StageFailed], str], type[StageFailed]]] = {}

    @classmethod
    def variant(cls, output: str) -> type[StageFailed]:
        found = sorted(set(re.findall(cls.signature, output, flags=re.MULTILINE)))
        key = (cls, ",".join(found))
        if key not in StageFailed._variants:
            name = f"{cls.__name__}[{key[1]}]" if key[1] else cls.__name__
            StageFailed._variants[key] = type(name, (cls,), {"__module__": cls.__module__})
        return StageFailed._variants[key]


class SpecRefused(StageFailed):
    stage = "the parser refused a drawn spec (a strategy bug, or a parser finding)"


class RenderFailed(StageFailed):
    stage = "asyncrud new"


class RuffCheckFailed(StageFailed):
    stage = "ruff check"
    signature = r"^([A-Z]+[0-9]+) "


class RuffFormatFailed(StageFailed):
    stage = "ruff format --check"


class MypyFailed(StageFailed):
    stage = "mypy --strict"
    signature = r"  \[([a-z-]+)\]$"


class UpgradeFailed(StageFailed):
    stage = "alembic upgrade head"
    signature = r"\b(\w+(?:Error|Exception))\b"


class CreateRefused(StageFailed):
    stage = "HTTP: create a row through the API"
    signature = r"-> (\d{3}) "


class ConflictMisreported(StageFailed):
    stage = "HTTP: a duplicate unique key is a 409 naming its field"
    signature = r"^(PATCH|POST) .* -> (?:409|\d{3}) "


class AppFailed(StageFailed):
    stage = "HTTP: the app serves /openapi.json"
    signature = r"^(\w+Error): "


class DuplicateTestMissing(StageFailed):
    stage = "the project's own tests: a duplicate-409 test per unique field"


class ProjectTestsFailed(StageFailed):
    stage = "the project's own tests"
    signature = r"^(?:FAILED|ERROR) \S+ - (\w+)"


class MigrationDrift(StageFailed):
    stage = "alembic check"
    signature = r"(?:\[|, )\('([a-z_]+)',"  # the operations alembic would add: add_index, modify_nullable...


class Stages:
    """Runs stages in order, records each failure as its stage's exception, raises the first."""

    def __init__(self) -> None:
        self.failures: list[StageFailed] = []
        self.seconds: dict[str, float] = {}

    def run(self, kind: type[StageFailed], action: Callable[[], None]) -> bool:
        if FAIL_FAST and self.reported:
            self.seconds[kind.__name__] = 0.0
            return False
        start = time.monotonic()
        try:
            action()
        except StageFailed as error:  # raised by a stage for another stage's failure
            self.failures.append(type(error).variant(str(error))(_tail(str(error))))
            return False
        except AssertionError as error:
            self.failures.append(kind.variant(str(error))(f"{kind.stage}: {_tail(str(error))}"))
            return False
        finally:
            self.seconds[kind.__name__] = round(time.monotonic() - start, 1)
        return True

    @property
    def reported(self) -> list[StageFailed]:
        return [f for f in self.failures if not (IGNORE and re.search(IGNORE, type(f).__name__))]

    def finish(self, model_set: ModelSet) -> None:
        """Log the example (ASYNCRUD_PROPERTY_LOG), then raise the first failure not ignored."""
        if LOG:
            with Path(LOG).open("a", encoding="utf-8") as log:
                failed = {type(f).__name__: str(f)[:800] for f in self.failures}
                log.write(
                    json.dumps({"models": model_set.specs(), "failed": failed, "seconds": self.seconds})
                    + "\n"
                )
        note(f"seconds per stage: {self.seconds}")
        for ignored in (f for f in self.failures if f not in self.reported):
            note(f"ignored (ASYNCRUD_PROPERTY_IGNORE): {str(ignored)[:300]}")
        if not self.reported:
            return
        for later in self.reported[1:]:
            note(f"also failed: {str(later)[:1500]}")
        raise self.reported[0]


def _tail(text: str, limit: int = 3000) -> str:
    return text if len(text) <= limit else "...\n" + text[-limit:]


def _succeeds(args: list[str], cwd: Path, env: dict[str, str] | None = None, keep: str = "") -> None:
    result = run(args, cwd=cwd, env=env)
    if result.returncode != 0:
        output = result.output
        if keep:  # only the lines that say what failed
            output = "\n".join(line for line in output.splitlines() if re.search(keep, line)) or output
        raise AssertionError(
            f"{Path(args[0]).name} {' '.join(args[1:])} exited {result.returncode}:\n{_tail(output)}"
        )


# --- the stages ---------------------------------------------------------------------------------------


def check_parser_accepts(model_set: ModelSet) -> None:
    try:
        check_model_set([parse_model(spec) for spec in model_set.specs()])
    except SpecError as error:
        raise AssertionError(str(error)) from None


# The options drawn beside the models: every model set works with each cache and queue. Their generated
# tests need no server (fakeredis, taskiq's in-memory broker).
OPTIONS = st.fixed_dictionaries(
    {"cache": st.sampled_from(("none", "redis")), "queue": st.sampled_from(("none", "redis", "rabbitmq"))}
)
# Served with a cache: a Redis that refuses connections, so every read is a BYPASS to the database
# and no example meets rows another example cached.
NO_REDIS = "redis://127.0.0.1:1/0"


def render(model_set: ModelSet, options: dict[str, str], dest: Path, db: str, driver: str) -> None:
    flags = [arg for option, value in options.items() for arg in (f"--{option}", value)]
    result = asyncrud(
        "new", str(dest), "--db", db, "--driver", driver, "--defaults", *flags, *model_set.cli_args()
    )
    assert result.returncode == 0, _tail(result.output)


def lint_stages(stages: Stages, project: Path, mypy_cache: Path) -> None:
    ruff = tool("ruff")
    stages.run(RuffCheckFailed, lambda: _succeeds([ruff, "check", "--no-cache", "."], project))
    stages.run(RuffFormatFailed, lambda: _succeeds([ruff, "format", "--check", "--no-cache", "."], project))
    mypy = [
        tool("mypy"),
        "--strict",
        "--cache-dir",
        str(mypy_cache),
        package_of(project),
        "tests",
        "migrations",
    ]
    stages.run(MypyFailed, lambda: _succeeds(mypy, project))


def upgrade(project: Path, database_url: str) -> None:
    _succeeds(
        [tool("alembic"), "upgrade", "head"],
        project,
        {"DATABASE_URL": database_url},
        keep=r"Error|error|FAILED",
    )


def alembic_check(project: Path, database_url: str) -> None:
    _succeeds(
        [tool("alembic"), "check"],
        project,
        {"DATABASE_URL": database_url},
        keep=r"Detected|ERROR|FAILED|Error",
    )


def project_tests(project: Path, db: str, driver: str) -> None:
    """The project's own suite, with the pytest plugins its users have (pytest-asyncio), not every
    plugin of our test environment (schemathesis, hypothesis, xdist...): that halves its time."""
    env = {
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
        "COLUMNS": "1000",  # untruncated summary lines: the exception types are the failure's signature
        "TEST_DATABASE_URL": server_url(db, driver) if db != "sqlite" else "",
        "DATABASE_URL": UNREACHABLE_DATABASE_URL,
    }
    _succeeds(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "asyncio"],
        project,
        env,
        keep=r"^(FAILED|ERROR|E  )|passed|failed|error",
    )


def duplicate_tests_present(project: Path, model_set: ModelSet) -> None:
    """A model with a unique field has a generated test that expects a 409 naming one of them."""
    sources = "\n".join(p.read_text(encoding="utf-8") for p in (project / "tests").rglob("test_*.py"))
    functions = re.split(r"\n(?=(?:async )?def test_)", sources)
    missing = []
    for model in model_set.models:
        # A unique reference to the model itself gets none (its test would need two rows): the HTTP
        # check covers it.
        keys = [
            ", ".join(f.api for f in key)
            for key in model.unique_keys()
            if not all(f.args.target == model.name for f in key)
        ]
        if keys and not any(
            "409" in function
            and re.search(r"duplicate|unique|taken|conflict", function)
            and any(f'"{key}"' in function for key in keys)
            for function in functions
        ):
            missing.append(f"{model.name} ({' or '.join(keys)})")
    assert not missing, f"no duplicate-409 test for {', '.join(missing)}"


def http_unique_keys(project: Path, database_url: str, model_set: ModelSet) -> None:
    """Create two rows of every model through the API; then for each unique key, PATCH the second row
    to the first row's values and POST a third row with them: both a 409 naming the key's fields."""
    with contextlib.ExitStack() as stack:
        try:
            server = stack.enter_context(serve(project, database_url, redis_url=NO_REDIS))
        except AssertionError as error:
            raise AppFailed(f"{AppFailed.stage}: {error}") from None
        client = stack.enter_context(httpx.Client(base_url=server.url, timeout=30))
        ids: dict[str, list[int]] = {}
        bodies: dict[str, list[dict[str, Any]]] = {}
        for model in model_set.models:
            for n in (1, 2):
                body = model.payload(n, ids)
                bodies.setdefault(model.name, []).append(body)
                response = client.post(model.path, json=body)
                if response.status_code != 201:
                    raise CreateRefused(
                        f"{CreateRefused.stage}: POST {model.path} {body} -> {response.status_code} {response.text}"
                    )
                ids.setdefault(model.name, []).append(int(response.json()["id"]))
        wrong = [problem for model in model_set.models for problem in _conflicts(client, model, ids, bodies)]
        assert not wrong, "\n".join(wrong)


def _conflicts(
    client: httpx.Client,
    model: DrawnModel,
    ids: dict[str, list[int]],
    bodies: dict[str, list[dict[str, Any]]],
) -> Iterator[str]:
    first, second = bodies[model.name]
    third = model.payload(3, ids)
    for key in model.unique_keys():
        names = [f.api for f in key]
        expected = ", ".join(names)
        # The first row's values, or the second's where the first has none (a self reference of the
        # first row is null); the other row is updated to them.
        source, target = (first, 1) if all(first.get(name) is not None for name in names) else (second, 0)
        taken = {name: source.get(name) for name in names}
        if any(value is None for value in taken.values()):
            continue
        attempts = [("PATCH", f"{model.path}/{ids[model.name][target]}", taken)]
        # A third row that collides on this key only (not on another unique key) must name this key.
        duplicate = {**third, **taken}
        others = [k for k in model.unique_keys() if k != key]
        if not any(
            all(duplicate.get(f.api) == row.get(f.api) for f in other)
            for other in others
            for row in (first, second)
        ):
            attempts.append(("POST", model.path, duplicate))
        for method, url, body in attempts:
            response = client.request(method, url, json=body)
            field = (
                response.json().get("field")
                if response.headers.get("content-type", "").startswith("application/json")
                else None
            )
            if response.status_code != 409 or field != expected:
                yield f"{method} {url} {body} -> {response.status_code} {response.text} (expected 409 naming {expected!r})"


# --- the property, on each database ---------------------------------------------------------------------

_example_numbers = count(1)


@pytest.fixture(scope="module")
def property_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Projects are rendered under one folder, with one mypy cache for all of them."""
    return tmp_path_factory.mktemp("property")


def renders_and_works(model_set: ModelSet, options: dict[str, str], root: Path, db: str, driver: str) -> None:
    """Every stage on one drawn set; the project folder is kept when a stage fails."""
    # Printed with the failing example (the arguments line of Hypothesis's report can come out blank
    # when another plugin, such as schemathesis's, takes over its reporting).
    note(f"models: {model_set.specs()!r}\noptions: {options}\ncommand: {model_set!r}")
    note(f"grammar extensions in the installed parser: {FEATURES}")
    stages = Stages()
    if not stages.run(SpecRefused, lambda: check_parser_accepts(model_set)):
        stages.finish(model_set)
        return
    dest = root / f"example{next(_example_numbers)}" / "svc"
    note(f"rendered into {dest}")
    if not stages.run(RenderFailed, lambda: render(model_set, options, dest, db, driver)):
        stages.finish(model_set)
        return
    lint_stages(stages, dest, root / ".mypy_cache")
    with throwaway_database(db, driver, dest.parent) as url:
        if stages.run(UpgradeFailed, lambda: upgrade(dest, url)):
            if any(model.unique_keys() for model in model_set.models):
                stages.run(ConflictMisreported, lambda: http_unique_keys(dest, url, model_set))
            stages.run(DuplicateTestMissing, lambda: duplicate_tests_present(dest, model_set))
            stages.run(ProjectTestsFailed, lambda: project_tests(dest, db, driver))
            stages.run(MigrationDrift, lambda: alembic_check(dest, url))
    if not stages.reported:
        shutil.rmtree(dest.parent, ignore_errors=True)
    stages.finish(model_set)


@seed(SEED)
@settings(max_examples=200, deadline=None, database=None)
@given(model_set=drawn_models())
def test_the_parser_accepts_every_drawn_model_set(model_set: ModelSet) -> None:
    """The strategies draw only what the grammar accepts (cheap: no render)."""
    check_parser_accepts(model_set)


@seed(SEED)
@_settings(SQLITE_EXAMPLES)
@given(model_set=drawn_models(), options=OPTIONS)
def test_drawn_model_sets_work_on_sqlite(
    model_set: ModelSet, options: dict[str, str], property_root: Path
) -> None:
    renders_and_works(model_set, options, property_root, "sqlite", "aiosqlite")


# The servers' few examples skip the smallest sets (the simplest example comes first, and SQLite had it).
SERVER_MODEL_SETS = drawn_models(min_models=2, min_fields=2)


@pytest.fixture(scope="module")
def postgresql_server() -> None:
    require_server("postgresql")


@pytest.fixture(scope="module")
def mysql_server() -> None:
    require_server("mysql")


@pytest.mark.postgresql
@seed(SEED + 1)
@_settings(SERVER_EXAMPLES)
@given(model_set=SERVER_MODEL_SETS, options=OPTIONS)
def test_drawn_model_sets_work_on_postgresql(
    model_set: ModelSet, options: dict[str, str], property_root: Path, postgresql_server: None
) -> None:
    renders_and_works(model_set, options, property_root, "postgresql", "asyncpg")


@pytest.mark.mysql
@seed(SEED + 2)
@_settings(SERVER_EXAMPLES)
@given(model_set=SERVER_MODEL_SETS, options=OPTIONS)
def test_drawn_model_sets_work_on_mariadb(
    model_set: ModelSet, options: dict[str, str], property_root: Path, mysql_server: None
) -> None:
    renders_and_works(model_set, options, property_root, "mysql", "asyncmy")
