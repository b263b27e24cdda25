"""A generated project served by uvicorn over real HTTP, and the fault injectors our robustness tests
use against it: a throwaway PostgreSQL cluster the test starts and stops, and a TCP proxy that can cut
the way to any database server."""

from __future__ import annotations

import asyncio
import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support import check, package_of, tool


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def migrate(project: Path, database_url: str) -> None:
    check([tool("alembic"), "upgrade", "head"], cwd=project, env={"DATABASE_URL": database_url})


@dataclass
class Server:
    """A running `uvicorn <pkg>.main:app`; `log` holds everything it printed."""

    url: str
    log: Path
    process: subprocess.Popen[bytes]

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@contextlib.contextmanager
def serve(project: Path, database_url: str, workers: int = 1, **settings: str) -> Iterator[Server]:
    """Run the project's app under uvicorn on a free port until the block ends.

    `settings` become environment variables (`DATABASE_POOL_TIMEOUT="2"`). Readiness is judged by
    /openapi.json, which needs no database, so a server can be started while its database is down.
    """
    port = free_port()
    log = project.parent / f"{project.name}-uvicorn-{port}.log"
    env = {**os.environ, "DATABASE_URL": database_url, **{k.upper(): v for k, v in settings.items()}}
    command = [sys.executable, "-m", "uvicorn", f"{package_of(project)}.main:app", "--port", str(port)]
    if workers > 1:
        command += ["--workers", str(workers)]
    with log.open("wb") as sink:
        process = subprocess.Popen(
            command,
            cwd=project,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    server = Server(f"http://127.0.0.1:{port}", log, process)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{server.url}/openapi.json", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, f"uvicorn exited:\n{server.output()}"
            assert time.monotonic() < deadline, f"uvicorn did not start:\n{server.output()}"
            time.sleep(0.1)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- a PostgreSQL cluster of our own ---------------------------------------------------------------


def _postgres_bin() -> Path | None:
    """The folder of initdb and pg_ctl (Debian keeps them off PATH, per major version)."""
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if versions:
        return versions[-1].parent
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def require_postgres_binaries() -> None:
    """Skip on a developer machine without PostgreSQL's server binaries; fail in CI."""
    if _postgres_bin() is not None:
        return
    reason = "PostgreSQL's initdb and pg_ctl are not installed (Debian: postgresql)"
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the fault tests: {reason}")
    pytest.skip(reason)


class ThrowawayCluster:
    """A PostgreSQL cluster in a temporary folder on a free port, never the machine's shared server.

    As root, PostgreSQL must run as the `postgres` user, which then owns the folder. The superuser
    `app` has a password so tests can check that it never leaks.
    """

    user = "app"
    password = "s3cret-Pa55-never-logged"

    def __init__(self) -> None:
        require_postgres_binaries()
        folder = _postgres_bin()
        assert folder is not None
        self.bin = folder
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="asyncrud-pg-"))
        self.data = self.folder / "data"
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            owner = pwd.getpwnam("postgres")
            os.chown(self.folder, owner.pw_uid, owner.pw_gid)
        password_file = self.folder / "password"
        password_file.write_text(self.password)
        if self.as_postgres:
            os.chown(password_file, owner.pw_uid, owner.pw_gid)
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            self.user,
            "--auth=scram-sha-256",
            f"--pwfile={password_file}",
            "--no-sync",
        )

    def url(self, driver: str = "asyncpg", database: str = "postgres") -> str:
        return f"postgresql+{driver}://{self.user}:{self.password}@127.0.0.1:{self.port}/{database}"

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bin / program), *args]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        completed = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        assert completed.returncode == 0, f"{program} failed:\n{completed.stdout}\n{completed.stderr}"

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            "pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"), "-w", "start"
        )

    def stop(self, mode: str = "fast") -> None:
        """`fast` closes sessions cleanly; `immediate` is a crash (no shutdown checkpoint)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def remove(self) -> None:
        with contextlib.suppress(AssertionError):
            self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)


# --- a proxy that cuts the connection to a server on demand ---------------------------------------


@dataclass
class CuttableProxy:
    """A TCP proxy in a background thread. `cut()` is a server that went away: every connection is
    dropped and the port refuses new ones; `restore()` listens again on the same port."""

    target: tuple[str, int]
    port: int = field(default_factory=free_port)
    _loop: asyncio.AbstractEventLoop = field(default_factory=asyncio.new_event_loop)
    _writers: set[asyncio.StreamWriter] = field(default_factory=set)
    _server: asyncio.Server | None = None
    # Accept connections and close them at once, as a proxy does whose server is down.
    slamming: bool = False

    def __post_init__(self) -> None:
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self.restore()

    def _call(self, coroutine: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(10)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.slamming:
            writer.transport.abort()
            return
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.transport.abort()
            return
        self._writers |= {writer, upstream_writer}

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            with contextlib.suppress(OSError, asyncio.CancelledError):
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            sink.transport.abort()

        await asyncio.gather(pipe(reader, upstream_writer), pipe(upstream_reader, writer))
        self._writers -= {writer, upstream_writer}

    def cut(self, slam: bool = False) -> None:
        """Drop every connection; then refuse new ones, or with `slam` accept and close them."""

        async def cut() -> None:
            self.slamming = slam
            if self._server is not None and not slam:
                self._server.close()
                self._server = None
            for writer in list(self._writers):
                writer.transport.abort()

        self._call(cut())

    def restore(self) -> None:
        async def listen() -> None:
            self.slamming = False
            if self._server is None:
                self._server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)

        self._call(listen())

    def close(self) -> None:
        self.cut()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
