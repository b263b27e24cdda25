"""`asyncrud new --queue redis|rabbitmq`, served by uvicorn with its `taskiq worker` running, on
PostgreSQL and this machine's Redis and RabbitMQ (each test under a queue name of its own, deleted
after): an event per committed write and none for a refused or rolled-back one, each handled once;
delivery after the worker was killed and after a broker outage (a proxy cut between the project
and the broker); a second publication of an event handled once; a project without models; and the
lifecycle commands (add-model, add-field, remove-model, upgrade) on a project with a queue.
tests/test_queue_project.py runs the rendered projects' own tests, lint and migrations."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import subprocess
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import make_url, text

from tests.served import CuttableProxy, migrate, serve
from tests.support import (
    BROKER_URLS,
    BROKERS,
    answers_of,
    asyncrud,
    check,
    edit,
    migrate_and_check,
    migrate_new_revision,
    new_project,
    package_of,
    recopy,
    require_broker,
    run_project_tests,
    snapshot,
    sync_engine,
    throwaway_database,
    tool,
)

pytestmark = pytest.mark.slow

MODELS = ["Author name:str(100):unique", "Book title:str(200) copies:int author:ref(Author)"]
# The example handler's line in events.py: `book.created id=3 event=<hex>`.
AUDIT = re.compile(r"\b(\w+\.(?:created|updated|deleted)) id=(\d+) event=([0-9a-f]{32})")


@pytest.fixture(scope="module", params=BROKERS)
def queued(request: pytest.FixtureRequest, workspace: Path) -> tuple[Path, str]:
    broker: str = request.param
    project = new_project(workspace, f"queued_{broker}", "postgresql", "asyncpg", MODELS, ["--queue", broker])
    return project, broker


@pytest.fixture
def database(queued: tuple[Path, str], tmp_path: Path) -> Iterator[str]:
    project, _ = queued
    with throwaway_database("postgresql", "asyncpg", tmp_path) as url:
        migrate(project, url)
        yield url


@pytest.fixture
def queue_name(queued: tuple[Path, str]) -> Iterator[str]:
    """A queue (Redis stream, RabbitMQ queue and exchange) of this test, deleted after it."""
    _, broker = queued
    require_broker(broker)
    name = f"asyncrud_test_{uuid.uuid4().hex[:12]}"
    yield name
    asyncio.run(delete_queue(broker, BROKER_URLS[broker], name))


async def delete_queue(broker: str, url: str, name: str) -> None:
    if broker == "redis":
        import redis.asyncio

        client = redis.asyncio.Redis.from_url(url)
        await client.delete(name)
        await client.aclose()
        return
    import aio_pika

    connection = await aio_pika.connect_robust(url)
    async with connection:
        channel = await connection.channel()
        for queue in (name, f"{name}.dead_letter"):
            await channel.queue_delete(queue)
        await channel.exchange_delete(name)


@dataclass
class Worker:
    """`taskiq worker <pkg>.worker:broker` of a project; `log` holds everything it printed."""

    project: Path
    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [tool("taskiq"), "worker", f"{package_of(self.project)}.worker:broker", "--workers", "1"]
        with self.log.open("ab") as sink:
            # A session of its own: the worker's children are stopped with it.
            self.process = subprocess.Popen(
                command,
                cwd=self.project,
                env={**os.environ, **self.env},
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, sig)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.process = None

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def handled(self) -> list[tuple[str, int, str]]:
        """(type, row id, event id) of each audit line, in order."""
        return [(t, int(row), event) for t, row, event in AUDIT.findall(self.output())]


@contextlib.contextmanager
def worker(
    project: Path, database_url: str, broker_url: str, queue: str, **settings: str
) -> Iterator[Worker]:
    env = {
        "DATABASE_URL": database_url,
        "BROKER_URL": broker_url,
        "QUEUE_NAME": queue,
        "OUTBOX_POLL_INTERVAL": "0.05",
        "OUTBOX_PUBLISH_TIMEOUT": "1",
        **{k.upper(): v for k, v in settings.items()},
    }
    running = Worker(project, env, project.parent / f"{project.name}-worker-{queue}.log")
    running.start()
    try:
        yield running
    finally:
        running.stop()


def wait_for(check: Callable[[], bool], seconds: float, explain: Callable[[], str]) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, explain()
        time.sleep(0.1)


def outbox_rows(database_url: str) -> list[tuple[str, int, str, bool]]:
    """(type, row id, event id, sent) of every outbox row, in the order they were written."""
    engine = sync_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT type, row_id, event_id, sent_at IS NOT NULL FROM outbox ORDER BY id")
            )
            return [(t, int(row), event, bool(sent)) for t, row, event, sent in rows]
    finally:
        engine.dispose()


def processed(database_url: str) -> Counter[str]:
    engine = sync_engine(database_url)
    try:
        with engine.connect() as connection:
            return Counter(
                event for (event,) in connection.execute(text("SELECT event_id FROM outbox_processed"))
            )
    finally:
        engine.dispose()


def writes(client: httpx.Client) -> list[tuple[str, int]]:
    """Committed writes, refused ones between them; the events the committed ones must have."""
    author = client.post("/api/v1/authors", json={"name": f"a-{uuid.uuid4().hex[:8]}"})
    assert author.status_code == 201, author.text
    author_id = author.json()["id"]
    taken = client.post("/api/v1/authors", json={"name": author.json()["name"]})
    assert taken.status_code == 409, taken.text  # a unique conflict: rolled back
    orphan = client.post("/api/v1/books", json={"title": "t", "copies": 1, "author_id": 2_000_000_000})
    assert orphan.status_code == 409, orphan.text  # a foreign key conflict: rolled back
    book = client.post("/api/v1/books", json={"title": "t", "copies": 1, "author_id": author_id})
    assert book.status_code == 201, book.text
    book_id = book.json()["id"]
    patched = client.patch(f"/api/v1/books/{book_id}", json={"copies": 2})
    assert patched.status_code == 200, patched.text
    missing = client.delete("/api/v1/books/2000000000")
    assert missing.status_code == 404
    deleted = client.delete(f"/api/v1/books/{book_id}")
    assert deleted.status_code == 204
    return [
        ("author.created", author_id),
        ("book.created", book_id),
        ("book.updated", book_id),
        ("book.deleted", book_id),
    ]


def assert_each_handled_once(database_url: str, running: Worker, expected: list[tuple[str, int]]) -> None:
    """Every event of `expected` (and no other) was sent, and handled once by the audit handler."""

    def all_handled() -> bool:
        return len({event for _, _, event in running.handled()}) >= len(expected)

    wait_for(all_handled, 60, lambda: f"events not handled; worker log:\n{running.output()[-4000:]}")
    rows = outbox_rows(database_url)
    assert [(t, row) for t, row, _, _ in rows] == expected
    wait_for(lambda: all(sent for *_, sent in outbox_rows(database_url)), 10, lambda: "not marked sent")
    handled = running.handled()
    assert sorted(handled) == sorted((t, row, event) for t, row, event, _ in rows), running.output()[-4000:]
    assert set(processed(database_url).values()) == {1}


def test_each_committed_write_is_handled_once_refused_ones_never(
    queued: tuple[Path, str], database: str, queue_name: str
) -> None:
    project, broker = queued
    with (
        worker(project, database, BROKER_URLS[broker], queue_name) as running,
        serve(project, database) as server,
        httpx.Client(base_url=server.url) as client,
    ):
        expected = writes(client)
        assert_each_handled_once(database, running, expected)
    assert "Traceback" not in running.output()


def test_events_wait_for_a_killed_worker_and_one_published_twice_is_handled_once(
    queued: tuple[Path, str], database: str, queue_name: str
) -> None:
    project, broker = queued
    with (
        worker(project, database, BROKER_URLS[broker], queue_name) as running,
        serve(project, database) as server,
        httpx.Client(base_url=server.url) as client,
    ):
        before = writes(client)
        assert_each_handled_once(database, running, before)
        running.stop(signal.SIGKILL)
        during = writes(client)
        time.sleep(0.5)
        assert [sent for *_, sent in outbox_rows(database)][-len(during) :] == [False] * len(during)
        running.start()
        assert_each_handled_once(database, running, before + during)

        # A relay that died between publishing and marking its rows sent publishes them again.
        engine = sync_engine(database)
        with engine.begin() as connection:
            connection.execute(text("UPDATE outbox SET sent_at = NULL"))
        engine.dispose()
        wait_for(
            lambda: running.output().count("already handled by") >= len(before + during),
            30,
            lambda: f"not published again:\n{running.output()[-4000:]}",
        )
        assert_each_handled_once(database, running, before + during)


def test_events_wait_out_a_broker_outage(queued: tuple[Path, str], database: str, queue_name: str) -> None:
    project, broker = queued
    url = make_url(BROKER_URLS[broker].replace("amqp://", "postgresql://", 1))
    proxy = CuttableProxy((url.host or "127.0.0.1", url.port or 0))
    through_proxy = BROKER_URLS[broker].replace(f":{url.port}", f":{proxy.port}", 1)
    try:
        with (
            worker(project, database, through_proxy, queue_name) as running,
            serve(project, database) as server,
            httpx.Client(base_url=server.url) as client,
        ):
            before = writes(client)
            assert_each_handled_once(database, running, before)
            proxy.cut()
            during = writes(client)  # the API does not need the broker
            wait_for(
                lambda: "unreachable" in running.output(),
                30,
                lambda: f"no outage logged:\n{running.output()[-4000:]}",
            )
            assert not any(sent for *_, sent in outbox_rows(database)[-len(during) :])
            proxy.restore()
            assert_each_handled_once(database, running, before + during)
    finally:
        proxy.close()


def test_a_queue_without_models_renders_its_outbox(workspace: Path, tmp_path: Path) -> None:
    project = new_project(workspace, "queued_empty", "sqlite", "aiosqlite", [], ["--queue", "rabbitmq"])
    # Lint without mypy: it runs on the projects with models; ruff checks the model-less imports.
    check([tool("ruff"), "check", "--no-cache", "."], cwd=project)
    with throwaway_database("sqlite", "aiosqlite", tmp_path) as url:
        migrate_and_check(project, url)
    result = run_project_tests(project, "sqlite", "aiosqlite")
    assert " passed" in result.stdout, result.stdout


def test_a_project_without_queue_has_no_trace_of_the_outbox(workspace: Path) -> None:
    project = new_project(workspace, "unqueued", "sqlite", "aiosqlite", MODELS)
    package = project / package_of(project)
    assert not {"outbox.py", "worker.py", "events.py"} & {p.name for p in package.iterdir()}
    for path in [*project.rglob("*.py"), project / "pyproject.toml", project / "compose.yaml"]:
        assert "taskiq" not in path.read_text() and "outbox" not in path.read_text(), path


def test_an_unknown_queue_exits_2_naming_it(tmp_path: Path) -> None:
    result = asyncrud("new", str(tmp_path / "p"), "--defaults", "--queue", "kafka")
    assert result.returncode == 2
    assert "kafka" in result.output
    assert not (tmp_path / "p").exists()


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
