"""`asyncrud new --queue redis|rabbitmq` projects as files: lint, their own tests (on taskiq's
InMemoryBroker and on this machine's Redis and RabbitMQ), compose file, outbox migrations on every
database. tests/test_queue.py serves them with their worker and runs the lifecycle commands on one."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.support import (
    BROKER_URLS,
    BROKERS,
    check,
    lint,
    migrate_and_check,
    new_project,
    package_of,
    require_broker,
    run_project_tests,
    throwaway_database,
    tool,
)

pytestmark = pytest.mark.slow

MODELS = ["Author name:str(100):unique", "Book title:str(200) copies:int author:ref(Author)"]


@pytest.mark.parametrize("broker", BROKERS)
def test_queued_project_passes_its_own_tests_in_memory_and_on_the_broker(
    workspace: Path, broker: str
) -> None:
    project = new_project(
        workspace, f"queued_own_{broker}", "postgresql", "asyncpg", MODELS, ["--queue", broker]
    )
    lint(project)
    in_memory = run_project_tests(project, "sqlite", "aiosqlite")
    assert " passed" in in_memory.stdout and "skipped" not in in_memory.stdout, in_memory.stdout
    require_broker(broker)
    on_broker = run_project_tests(
        project, "postgresql", "asyncpg", env={"TEST_BROKER_URL": BROKER_URLS[broker]}
    )
    assert " passed" in on_broker.stdout, on_broker.stdout
    assert "failed" not in on_broker.stdout and "skipped" not in on_broker.stdout, on_broker.stdout
    check([tool("check-jsonschema"), "--builtin-schema", "vendor.compose-spec", "compose.yaml"], cwd=project)
    services = yaml.safe_load((project / "compose.yaml").read_text())["services"]
    assert services["worker"]["command"] == ["taskiq", "worker", f"{package_of(project)}.worker:broker"]
    assert services["broker"]["image"] == {"redis": "redis:7", "rabbitmq": "rabbitmq:4"}[broker]
    readme = (project / "README.md").read_text()
    assert f"taskiq worker {package_of(project)}.worker:broker" in readme


@pytest.mark.parametrize(
    ("db", "driver"), [("sqlite", "aiosqlite"), ("postgresql", "psycopg"), ("mysql", "asyncmy")]
)
def test_outbox_tables_migrate_and_pass_alembic_check(
    workspace: Path, tmp_path: Path, db: str, driver: str
) -> None:
    project = new_project(workspace, f"queued_migrations_{db}", db, driver, MODELS, ["--queue", "redis"])
    with throwaway_database(db, driver, tmp_path) as url:
        migrate_and_check(project, url)
