"""`asyncrud new --queue redis|rabbitmq` projects as files: lint, their own tests (on taskiq's
InMemoryBroker and on this machine's Redis and RabbitMQ), compose file, outbox migrations on every
database, and the lifecycle commands (add-model, add-field, remove-model, upgrade) on a project with a
queue. tests/test_queue.py serves them with their worker."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.served import migrate
from tests.support import (
    BROKER_URLS,
    BROKERS,
    answers_of,
    asyncrud,
    check,
    edit,
    lint,
    migrate_and_check,
    migrate_new_revision,
    new_project,
    package_of,
    recopy,
    require_broker,
    run_project_tests,
    snapshot,
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


def test_add_model_add_field_remove_model_and_upgrade_keep_the_outbox(
    workspace: Path, tmp_path: Path
) -> None:
    project = new_project(workspace, "queued_life", "sqlite", "aiosqlite", MODELS, ["--queue", "redis"])
    package = package_of(project)
    events = project / package / "events.py"
    edit(events, "    audit.info(", "    # A user's note.\n    audit.info(")
    with throwaway_database("sqlite", "aiosqlite", tmp_path) as url:
        migrate(project, url)
        for command in (
            ["add-model", "Tag label:str(50)"],
            ["add-field", "Book", "isbn:str(13)?"],
            ["remove-model", "Tag"],
        ):
            result = asyncrud(*command, "--project", str(project))
            assert result.returncode == 0, result.output
            migrate_new_revision(project, url)
            assert "# A user's note." in events.read_text(), command
        tagged = asyncrud("add-model", "Label name:str(50)", "--project", str(project))
        assert tagged.returncode == 0, tagged.output
        migrate_new_revision(project, url)
        migrate_and_check(project, url)
    service = (project / package / "label" / "service.py").read_text()
    assert 'await record(session, "label.created", created.id)' in service
    assert answers_of(project)["queue"] == "redis"
    upgraded = asyncrud("upgrade", "--project", str(project))
    assert upgraded.returncode == 0 and "nothing to upgrade" in upgraded.stdout, upgraded.output
    check([tool("ruff"), "check", "--no-cache", "."], cwd=project)
    # The answers file renders the same project, but for the user's edit of events.py.
    edit(events, "    # A user's note.\n", "")
    assert snapshot(recopy(project, tmp_path / "copy")) == snapshot(project)
