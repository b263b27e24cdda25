"""The container of a generated project, checked without a Docker engine: the Dockerfile passes
hadolint, compose.yaml passes the Compose specification's JSON schema (the copy check-jsonschema
ships), and the container's own start command, read from the Dockerfile's ENV and CMD, migrates and
serves with several workers on each database of this machine.

Not verified here: that the image builds (`docker build` needs an engine and the network) and that
compose starts the database images."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml
from prometheus_client.parser import text_string_to_metric_families

from tests.served import free_port
from tests.support import check, new_project, package_of, run, throwaway_database, tool

DATABASES = [("sqlite", "aiosqlite"), ("postgresql", "asyncpg"), ("mysql", "asyncmy")]


@pytest.fixture(scope="module", params=DATABASES, ids=[db for db, _ in DATABASES])
def container_project(request: pytest.FixtureRequest, workspace: Path) -> tuple[Path, str, str]:
    db, driver = request.param
    project = new_project(workspace, f"container_{db}", db, driver, ["Book title:str(200) pages:int?"])
    return project, db, driver


def instructions(dockerfile: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of each instruction, continuation lines joined, comments dropped."""
    joined = re.sub(r"\\\n", " ", dockerfile.read_text())
    found = []
    for line in joined.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            keyword, _, arguments = line.strip().partition(" ")
            found.append((keyword.upper(), arguments.strip()))
    return found


def runtime_stage(dockerfile: Path) -> list[tuple[str, str]]:
    steps = instructions(dockerfile)
    last_from = max(i for i, (keyword, _) in enumerate(steps) if keyword == "FROM")
    return steps[last_from:]


def container_command(project: Path) -> tuple[list[str], dict[str, str]]:
    """The CMD of the image and the environment its ENV lines set (PATH aside: ours has the tools)."""
    environment: dict[str, str] = {}
    command: list[str] = []
    for keyword, arguments in runtime_stage(project / "Dockerfile"):
        if keyword == "ENV":
            for pair in shlex.split(arguments):
                name, _, value = pair.partition("=")
                if name != "PATH":
                    environment[name] = value
        elif keyword == "CMD":
            command = json.loads(arguments)
    return command, environment


def test_dockerfile_passes_hadolint(container_project: tuple[Path, str, str]) -> None:
    project, _, _ = container_project
    result = check([tool("hadolint"), "--no-color", "Dockerfile"], cwd=project)
    assert result.output.strip() == ""


def test_dockerfile_is_multi_stage_runs_as_a_user_and_checks_liveness(
    container_project: tuple[Path, str, str],
) -> None:
    project, db, _ = container_project
    steps = instructions(project / "Dockerfile")
    assert sum(keyword == "FROM" for keyword, _ in steps) == 2
    runtime = runtime_stage(project / "Dockerfile")
    users = [arguments for keyword, arguments in runtime if keyword == "USER"]
    assert users and users[-1].split(":")[0] not in ("0", "root")
    assert users[-1].split(":")[0].isdigit()  # numeric: runAsNonRoot can check it
    (healthcheck,) = [arguments for keyword, arguments in runtime if keyword == "HEALTHCHECK"]
    assert "/health/live" in healthcheck
    command, environment = container_command(project)
    assert command == ["python", "-m", f"{package_of(project)}.serve"]
    assert int(environment["WEB_CONCURRENCY"]) > 1
    assert environment["LOG_FORMAT"] == "json"
    # The build context leaves out secrets and local state.
    ignored = (project / ".dockerignore").read_text().splitlines()
    assert {".env", ".git", ".venv", "*.db", "tests"} <= set(ignored)
    if db == "sqlite":
        assert environment["DATABASE_URL"].startswith("sqlite+aiosqlite:////data/")


def test_compose_file_matches_the_compose_specification(container_project: tuple[Path, str, str]) -> None:
    project, db, driver = container_project
    check([tool("check-jsonschema"), "--builtin-schema", "vendor.compose-spec", "compose.yaml"], cwd=project)
    compose = yaml.safe_load((project / "compose.yaml").read_text())
    services = compose["services"]
    app = services["app"]
    assert app["build"] == "."
    if db == "sqlite":
        assert set(services) == {"app"}
        assert app["volumes"] == ["app-data:/data"]
        return
    assert set(services) == {"app", "db"}
    assert services["db"]["image"] == {"postgresql": "postgres:17", "mysql": "mariadb:11.4"}[db]
    assert app["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert app["environment"]["DATABASE_URL"].startswith(f"{db}+{driver}://app:")
    assert "@db:" in app["environment"]["DATABASE_URL"]
    assert "healthcheck" in services["db"]


@pytest.mark.parametrize(("db", "driver"), DATABASES, ids=[db for db, _ in DATABASES])
def test_compose_file_runs_redis_for_the_cache(workspace: Path, db: str, driver: str) -> None:
    project = new_project(
        workspace, f"container_cached_{db}", db, driver, ["Book title"], ["--cache", "redis"]
    )
    check([tool("check-jsonschema"), "--builtin-schema", "vendor.compose-spec", "compose.yaml"], cwd=project)
    services = yaml.safe_load((project / "compose.yaml").read_text())["services"]
    app, redis = services["app"], services["redis"]

    assert set(services) == ({"app", "redis"} if db == "sqlite" else {"app", "db", "redis"})
    assert app["environment"]["REDIS_URL"] == "redis://redis:6379/0"
    assert app["depends_on"]["redis"] == {"condition": "service_healthy"}
    if db != "sqlite":
        assert app["depends_on"]["db"] == {"condition": "service_healthy"}
    assert redis["image"].startswith("redis:")
    assert redis["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]
    # A cache: bounded memory, evicting the least recently used keys, nothing written to disk.
    assert redis["command"][redis["command"].index("--maxmemory-policy") + 1] == "allkeys-lru"
    assert "--maxmemory" in redis["command"] and "volumes" not in redis


def test_hadolint_and_the_schema_catch_mistakes(workspace: Path, tmp_path: Path) -> None:
    """The checkers are no rubber stamps: a root image with an unpinned apt install and a compose
    file with a misspelt key both fail."""
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM python\nRUN apt-get install curl\nCMD python app.py\n")
    assert run([tool("hadolint"), "--no-color", str(dockerfile)]).returncode != 0
    compose = tmp_path / "compose.yaml"
    compose.write_text("services:\n  app:\n    imagee: python\n")
    checked = run([tool("check-jsonschema"), "--builtin-schema", "vendor.compose-spec", str(compose)])
    assert checked.returncode != 0


@pytest.fixture
def started(container_project: tuple[Path, str, str], tmp_path: Path) -> Iterator[tuple[str, Path, Path]]:
    """The container's CMD with its ENV, run in the project folder (the image's WORKDIR) on a fresh
    database: yields (base URL, log file, project)."""
    project, db, driver = container_project
    command, environment = container_command(project)
    port = free_port()
    with throwaway_database(db, driver, tmp_path) as database_url:
        env = {
            **os.environ,
            **environment,
            "DATABASE_URL": database_url,
            # Loopback only on this machine; the image listens on 0.0.0.0.
            "HOST": "127.0.0.1",
            "PORT": str(port),
        }
        log = tmp_path / "container.log"
        with log.open("wb") as sink:
            process = subprocess.Popen(
                [sys.executable, *command[1:]], cwd=project, env=env, stdout=sink, stderr=subprocess.STDOUT
            )
        try:
            yield f"http://127.0.0.1:{port}", log, project
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_for_health(base: str, log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(f"{base}/health", timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, f"no /health 200 in {timeout}s:\n{log.read_text()[-5000:]}"
        time.sleep(0.25)


def test_start_command_migrates_then_serves_with_workers(started: tuple[str, Path, Path]) -> None:
    base, log, project = started
    wait_for_health(base, log)
    assert httpx.get(f"{base}/health/live", timeout=5).json() == {"status": "ok"}
    assert httpx.get(f"{base}/health/ready", timeout=5).status_code == 200
    # The migrations ran: the table is there.
    created = httpx.post(f"{base}/api/v1/books", json={"title": "Dune", "pages": 412}, timeout=10)
    assert created.status_code == 201, created.text
    assert httpx.get(f"{base}/api/v1/books/{created.json()['id']}", timeout=10).json()["title"] == "Dune"
    # WEB_CONCURRENCY worker processes, each started by uvicorn's supervisor.
    deadline = time.monotonic() + 60
    while True:
        lines = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
        workers = {line["event"] for line in lines if line["event"].startswith("Started server process")}
        if len(workers) >= 2 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert len(workers) == 2, workers
    # /metrics sums the request counts of every worker (PROMETHEUS_MULTIPROC_DIR), whichever answers.
    for _ in range(8):
        assert httpx.get(f"{base}/health/live", timeout=5, headers={"Connection": "close"}).status_code == 200
    for _ in range(3):
        scraped = httpx.get(f"{base}/metrics", timeout=5).text
        live = [
            sample.value
            for family in text_string_to_metric_families(scraped)
            for sample in family.samples
            if sample.name == "http_requests_total" and sample.labels.get("route") == "/health/live"
        ]
        assert sum(live) == 9, scraped
    events = [line["event"] for line in lines]
    assert any(event.startswith("Running upgrade") for event in events), events
    assert any(event.startswith("Started parent process") for event in events), events
    assert (project / "Dockerfile").exists()


def test_start_command_on_a_missing_database_is_one_line(
    container_project: tuple[Path, str, str], tmp_path: Path
) -> None:
    project, db, driver = container_project
    command, environment = container_command(project)
    with throwaway_database(db, driver, tmp_path) as database_url:
        missing = database_url.rsplit("/", 1)[0] + "/asyncrud_missing_db"
        if db == "sqlite":
            missing = f"sqlite+aiosqlite:///{tmp_path}/no/such/folder/app.db"
        env = {**environment, "DATABASE_URL": missing, "PORT": str(free_port())}
        result = run([sys.executable, *command[1:]], cwd=project, env=env, timeout=120)
    assert result.returncode == 1
    assert len(result.output.splitlines()) == 1, result.output
    (line,) = result.output.splitlines()
    event = json.loads(line)["event"]
    assert event.endswith(f"create it with: python -m {package_of(project)}.manage create-db"), event
