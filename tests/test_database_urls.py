"""DATABASE_URL as people have it: `postgres://` and `postgresql://` URLs with libpq's options work on
both PostgreSQL drivers, MySQL URLs with their TLS and charset options on both MySQL drivers, and an
option that cannot be honoured is one clear error naming it.

Each option is checked per driver against this machine's servers where it shows there
(`application_name` in pg_stat_activity, a setting of `options`, the client charset); TLS against a
PostgreSQL cluster of our own started with TLS on, and on MySQL (whose server here has no TLS) by the
translation itself and by the refusal to fall back to plain text.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import os
import pwd
import ssl
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from tests.served import ThrowawayCluster, serve
from tests.support import SERVER_URLS, check, new_project, package_of, require_server, run, tool

PG_DRIVERS = ["asyncpg", "psycopg"]
MYSQL_DRIVERS = ["asyncmy", "aiomysql"]


@pytest.fixture(scope="module")
def project(workspace: Path) -> Path:
    return new_project(workspace, "urls_pg", "postgresql", "asyncpg", ["Book title"])


@pytest.fixture(scope="module")
def database_url(project: Path) -> ModuleType:
    """The rendered project's database_url module, imported into this process."""
    sys.path.insert(0, str(project))
    try:
        return importlib.import_module(f"{package_of(project)}.database_url")
    finally:
        sys.path.remove(str(project))


def server(db: str, **query: str) -> str:
    """This machine's server URL with no driver named, as providers print it, plus `query`."""
    url = make_url(SERVER_URLS[db]).set(drivername=db, query=query)
    return url.render_as_string(hide_password=False)


def fetch(database_url: ModuleType, raw: str, sql: str) -> Any:
    """Connect through `engine_args(raw)` and return the one row of `sql`."""

    async def go() -> Any:
        url, connect_args = database_url.engine_args(raw)
        engine = create_async_engine(url, connect_args=connect_args)
        database_url.enforce_tls(engine, raw)
        try:
            async with engine.connect() as connection:
                return (await connection.execute(text(sql))).one()
        finally:
            await engine.dispose()

    return asyncio.run(go())


# --- PostgreSQL -----------------------------------------------------------------------------------


@pytest.mark.postgresql
@pytest.mark.parametrize("scheme", ["postgres", "postgresql"])
def test_url_without_driver_takes_the_projects_driver(database_url: ModuleType, scheme: str) -> None:
    url, connect_args = database_url.engine_args(f"{scheme}://u:p@db.example.com:6543/shop")
    assert url.drivername == "postgresql+asyncpg"
    assert (url.host, url.port, url.database, url.username) == ("db.example.com", 6543, "shop", "u")
    assert connect_args == {}


@pytest.mark.postgresql
@pytest.mark.parametrize("driver", PG_DRIVERS)
def test_application_name_shows_in_pg_stat_activity(database_url: ModuleType, driver: str) -> None:
    require_server("postgresql")
    raw = server("postgresql", application_name=f"asyncrud-{driver}").replace(
        "postgresql", f"postgres+{driver}", 1
    )
    row = fetch(
        database_url, raw, "SELECT application_name FROM pg_stat_activity WHERE pid = pg_backend_pid()"
    )
    assert row[0] == f"asyncrud-{driver}"


@pytest.mark.postgresql
@pytest.mark.parametrize("driver", PG_DRIVERS)
def test_options_set_server_settings(database_url: ModuleType, driver: str) -> None:
    require_server("postgresql")
    raw = server("postgresql", options="-c statement_timeout=1234 -c search_path=public,pg_catalog").replace(
        "postgresql", f"postgresql+{driver}", 1
    )
    row = fetch(
        database_url, raw, "SELECT current_setting('statement_timeout'), current_setting('search_path')"
    )
    assert row[0] == "1234ms"
    assert row[1].replace(" ", "") == "public,pg_catalog"


@pytest.mark.postgresql
@pytest.mark.parametrize("driver", PG_DRIVERS)
def test_connect_timeout_is_the_drivers_own(database_url: ModuleType, driver: str) -> None:
    require_server("postgresql")
    raw = server("postgresql", connect_timeout="7").replace("postgresql", f"postgresql+{driver}", 1)
    _, connect_args = database_url.engine_args(raw)
    assert connect_args == ({"timeout": 7.0} if driver == "asyncpg" else {"connect_timeout": "7"})
    assert fetch(database_url, raw, "SELECT 1")[0] == 1


def test_asyncpg_translation_of_every_libpq_option(database_url: ModuleType, tmp_path: Path) -> None:
    ca, _ = certificates(tmp_path)
    raw = (
        "postgres://u@h/db?sslmode=verify-full&sslrootcert=" + str(ca) + "&connect_timeout=2.5"
        "&application_name=shop&options=-c%20search_path%3Dshop%20--lock-timeout%3D5s"
        "&target_session_attrs=read-write"
    )
    url, args = database_url.engine_args(raw)
    assert url.render_as_string() == "postgresql+asyncpg://u@h/db"
    context = args.pop("ssl")
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert args == {
        "timeout": 2.5,
        "server_settings": {"application_name": "shop", "search_path": "shop", "lock_timeout": "5s"},
        "target_session_attrs": "read-write",
    }
    # Without a root certificate, asyncpg takes libpq's mode names itself.
    assert database_url.engine_args("postgres://u@h/db?sslmode=require")[1] == {"ssl": "require"}
    # verify-ca: a trusted certificate, any host name; require with a root certificate is verify-ca.
    for mode in ("verify-ca", "require"):
        context = database_url.engine_args(f"postgres://u@h/db?sslmode={mode}&sslrootcert={ca}")[1]["ssl"]
        assert context.verify_mode == ssl.CERT_REQUIRED and not context.check_hostname


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("sslmode=sometimes", "sslmode='sometimes'"),
        ("connect_timeout=soon", "connect_timeout='soon'"),
        ("connect_timeout=0", "connect_timeout='0'"),
        ("sslcompression=1", "sslcompression"),
        ("keepalives=1", "keepalives"),
        ("options=-d%205", "options='-d 5'"),
        ("sslmode=prefer&sslrootcert=/ca.pem", "sslrootcert"),
        ("sslmode=verify-full&sslrootcert=/nonexistent/ca.pem", "cannot load a TLS certificate"),
        ("application_name=a&application_name=b", "application_name"),
    ],
)
def test_asyncpg_refuses_what_it_cannot_honour(database_url: ModuleType, query: str, named: str) -> None:
    with pytest.raises(database_url.DatabaseURLError, match="DATABASE_URL") as raised:
        database_url.engine_args(f"postgres://u@h/db?{query}")
    assert named in str(raised.value)


def test_psycopg_takes_libpq_options_and_refuses_unknown_ones(database_url: ModuleType) -> None:
    raw = "postgresql+psycopg://u@h/db?sslmode=require&keepalives=1&connect_timeout=3&options=-c%20x%3D1"
    url, args = database_url.engine_args(raw)
    assert url.render_as_string() == "postgresql+psycopg://u@h/db"
    assert args == {"sslmode": "require", "keepalives": "1", "connect_timeout": "3", "options": "-c x=1"}
    for query, named in [("colour=blue", "colour"), ("sslmode=sometimes", "sslmode")]:
        with pytest.raises(database_url.DatabaseURLError, match=named):
            database_url.engine_args(f"postgresql+psycopg://u@h/db?{query}")


def test_other_drivers_are_refused_by_name(database_url: ModuleType) -> None:
    with pytest.raises(database_url.DatabaseURLError, match="psycopg2"):
        database_url.engine_args("postgresql+psycopg2://u@h/db")
    with pytest.raises(database_url.DatabaseURLError, match="oracle"):
        database_url.engine_args("oracle://u@h/db")


@pytest.mark.postgresql
@pytest.mark.parametrize("driver", PG_DRIVERS)
def test_sslmode_require_refuses_a_server_without_tls(database_url: ModuleType, driver: str) -> None:
    """This machine's server has TLS off: `require` must fail, never fall back to plain text."""
    require_server("postgresql")
    raw = server("postgresql", sslmode="require").replace("postgresql", f"postgresql+{driver}", 1)
    with pytest.raises(Exception, match=r"(?i)ssl") as raised:
        fetch(database_url, raw, "SELECT 1")
    assert not isinstance(raised.value, TypeError)
    plain = server("postgresql", sslmode="disable").replace("postgresql", f"postgresql+{driver}", 1)
    assert fetch(database_url, plain, "SELECT 1")[0] == 1


# --- PostgreSQL with TLS: a cluster of our own ------------------------------------------------------


def certificates(folder: Path) -> tuple[Path, Path]:
    """A CA, and a server certificate it signed for 127.0.0.1 and localhost: (ca.pem, folder)."""
    ca = folder / "ca.pem"
    if ca.exists():
        return ca, folder

    def openssl(*args: str) -> None:
        check(["openssl", *args], cwd=folder)

    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=asyncrud test CA",
            "-keyout", "ca.key", "-out", "ca.pem")  # fmt: skip
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", "server.key",
            "-out", "server.csr")  # fmt: skip
    (folder / "san.ext").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-days", "2", "-extfile", "san.ext", "-out", "server.crt")  # fmt: skip
    return ca, folder


class TLSCluster(ThrowawayCluster):
    def start_with_tls(self, folder: Path) -> None:
        for name in ("server.crt", "server.key"):
            target = self.folder / name
            target.write_bytes((folder / name).read_bytes())
            target.chmod(0o600)
            if self.as_postgres:
                owner = pwd.getpwnam("postgres")
                os.chown(target, owner.pw_uid, owner.pw_gid)
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off -c ssl=on "
            f"-c ssl_cert_file={self.folder / 'server.crt'} -c ssl_key_file={self.folder / 'server.key'}"
        )
        self._run(
            "pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"), "-w", "start"
        )


@pytest.fixture(scope="module")
def tls_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TLSCluster, Path]]:
    folder = tmp_path_factory.mktemp("tls")
    ca, _ = certificates(folder)
    cluster = TLSCluster()
    try:
        cluster.start_with_tls(folder)
        yield cluster, ca
    finally:
        cluster.remove()


@pytest.mark.postgresql
@pytest.mark.parametrize("driver", PG_DRIVERS)
@pytest.mark.parametrize("mode", ["require", "verify-ca", "verify-full"])
def test_tls_modes_on_a_server_with_tls(
    database_url: ModuleType, tls_cluster: tuple[TLSCluster, Path], driver: str, mode: str
) -> None:
    cluster, ca = tls_cluster
    raw = cluster.url(driver).replace(f"postgresql+{driver}", "postgres", 1)
    raw += f"?sslmode={mode}&sslrootcert={ca}&application_name=tls-{driver}"
    if driver == "psycopg":
        raw = raw.replace("postgres://", "postgresql+psycopg://", 1)
    row = fetch(
        database_url,
        raw,
        "SELECT s.ssl, a.application_name FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) "
        "WHERE pid = pg_backend_pid()",
    )
    assert tuple(row) == (True, f"tls-{driver}")


@pytest.mark.postgresql
@pytest.mark.parametrize("driver", PG_DRIVERS)
def test_verify_full_refuses_a_certificate_from_another_ca(
    database_url: ModuleType, tls_cluster: tuple[TLSCluster, Path], driver: str, tmp_path: Path
) -> None:
    cluster, _ = tls_cluster
    other_ca, _ = certificates(tmp_path)
    raw = cluster.url(driver) + f"?sslmode=verify-full&sslrootcert={other_ca}"
    with pytest.raises(Exception, match=r"(?i)certificate|ssl") as raised:
        fetch(database_url, raw, "SELECT 1")
    assert not isinstance(raised.value, TypeError)


# --- MySQL / MariaDB ------------------------------------------------------------------------------


@pytest.mark.mysql
@pytest.mark.parametrize("driver", MYSQL_DRIVERS)
def test_mysql_charset_and_connect_timeout(database_url: ModuleType, driver: str) -> None:
    require_server("mysql")
    raw = server("mysql", charset="utf8mb4", connect_timeout="4").replace("mysql", f"mysql+{driver}", 1)
    _, connect_args = database_url.engine_args(raw)
    assert connect_args == {"charset": "utf8mb4", "connect_timeout": 4.0}
    assert fetch(database_url, raw, "SELECT @@character_set_client")[0] == "utf8mb4"
    latin = raw.replace("utf8mb4", "latin1")
    assert fetch(database_url, latin, "SELECT @@character_set_client")[0] == "latin1"


@pytest.mark.mysql
@pytest.mark.parametrize("driver", MYSQL_DRIVERS)
@pytest.mark.parametrize("query", ["ssl-mode=REQUIRED", "ssl_mode=required", "ssl=true"])
def test_mysql_required_tls_is_never_plain_text(database_url: ModuleType, driver: str, query: str) -> None:
    """This machine's MariaDB has no TLS: asyncmy fails the handshake, aiomysql would quietly stay
    in plain text, which the connect check refuses."""
    require_server("mysql")
    raw = server("mysql").replace("mysql", f"mysql+{driver}", 1) + f"?{query}"
    _, connect_args = database_url.engine_args(raw)
    context = connect_args["ssl"]
    assert context.verify_mode == ssl.CERT_NONE and not context.check_hostname
    with pytest.raises(Exception, match=r"(?i)tls|ssl") as raised:
        fetch(database_url, raw, "SELECT 1")
    assert not isinstance(raised.value, TypeError)


@pytest.mark.mysql
def test_mysql_preferred_tls_falls_back_on_aiomysql_and_is_refused_for_asyncmy(
    database_url: ModuleType,
) -> None:
    require_server("mysql")
    raw = server("mysql").replace("mysql", "mysql+aiomysql", 1) + "?ssl-mode=PREFERRED"
    assert fetch(database_url, raw, "SELECT 1")[0] == 1
    with pytest.raises(database_url.DatabaseURLError, match="PREFERRED cannot be honoured by asyncmy"):
        database_url.engine_args(raw.replace("aiomysql", "asyncmy"))


@pytest.mark.parametrize("driver", MYSQL_DRIVERS)
def test_mysql_verify_modes_translate_to_a_verifying_context(
    database_url: ModuleType, driver: str, tmp_path: Path
) -> None:
    ca, _ = certificates(tmp_path)
    base = f"mariadb+{driver}://u@h/db"
    url, args = database_url.engine_args(f"{base}?ssl-mode=VERIFY_IDENTITY&ssl-ca={ca}")
    assert url.drivername == f"mysql+{driver}"
    assert args["ssl"].verify_mode == ssl.CERT_REQUIRED and args["ssl"].check_hostname
    # ssl_ca alone verifies the certificate, as the mysql client does.
    context = database_url.engine_args(f"{base}?ssl_ca={ca}")[1]["ssl"]
    assert context.verify_mode == ssl.CERT_REQUIRED and not context.check_hostname
    for query, named in [
        ("ssl-mode=SOMETIMES", "ssl-mode='SOMETIMES'"),
        ("ssl-mode=DISABLED&ssl-ca=" + str(ca), "ssl-mode=DISABLED"),
        ("ssl-ca=/nonexistent/ca.pem", "cannot load a TLS certificate"),
        ("ssl=maybe", "ssl='maybe'"),
        ("compress=true", "compress"),
    ]:
        with pytest.raises(database_url.DatabaseURLError, match="DATABASE_URL") as raised:
            database_url.engine_args(f"{base}?{query}")
        assert named in str(raised.value)


# --- through the generated project ----------------------------------------------------------------


@pytest.mark.postgresql
def test_project_migrates_and_serves_with_a_providers_url(project: Path, tmp_path: Path) -> None:
    """`postgres://...?sslmode=disable&application_name=...` reaches Alembic and the app's engine."""
    require_server("postgresql")
    name = f"urls_{os.getpid()}"
    base = server("postgresql")
    admin = create_async_engine(
        SERVER_URLS["postgresql"].replace("postgresql", "postgresql+asyncpg", 1),
        isolation_level="AUTOCOMMIT",
        poolclass=NullPool,
    )

    async def admin_sql(sql: str) -> None:
        async with admin.connect() as connection:
            await connection.execute(text(sql))

    asyncio.run(admin_sql(f"CREATE DATABASE {name}"))
    try:
        raw = make_url(base).set(database=name).render_as_string(hide_password=False)
        raw += "?sslmode=disable&application_name=shop-api&connect_timeout=5"
        check([tool("alembic"), "upgrade", "head"], cwd=project, env={"DATABASE_URL": raw})
        with serve(project, raw) as served:
            assert httpx.get(f"{served.url}/health", timeout=10).status_code == 200
        bad = raw + "&colour=blue"
        message = "DATABASE_URL option colour is not supported with asyncpg"
        # The start command says it in one line (JSON, as every line it logs).
        started = run(
            [sys.executable, "-m", f"{package_of(project)}.serve"],
            cwd=project,
            env={"DATABASE_URL": bad, "LOG_FORMAT": "json", "PORT": "1"},
        )
        assert started.returncode == 1
        assert [json.loads(line)["event"] for line in started.stderr.splitlines()] == [message]
        # Alembic ends on it. (Until database.py stops making an engine at import time, which the
        # session-first rewrite does, its traceback comes first; then env.py's check is one line.)
        refused = run([tool("alembic"), "upgrade", "head"], cwd=project, env={"DATABASE_URL": bad})
        assert refused.returncode == 1
        assert refused.stderr.strip().splitlines()[-1].endswith(message)
        assert "TypeError" not in refused.stderr
    finally:
        asyncio.run(admin_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        asyncio.run(admin.dispose())
