"""`asyncrud new --from-database URL`: model specs for the tables of an existing database.

The schema is read with SQLAlchemy's inspector through the async engine (`run_sync(inspect)`), then
every table the generated API can serve becomes a ModelSpec, the very objects `--model` produces: the
templates have no second code path for reflected tables. Details the grammar cannot spell (real table
and column names, smallint, char(n), server defaults, constraint names) ride on the specs' optional
attributes, so that `alembic check` against the live database finds no drift.

Tables the API cannot serve are skipped with a reason, never a crash: views, tables without a primary
key or with a composite one, a primary key that is not an autoincrementing integer, a column type
with no mapping, a foreign key to a table that is not generated.
"""

from __future__ import annotations

import asyncio
import keyword
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from generator.errors import SpecError, UsageError

try:
    from sqlalchemy import types as sqltypes
    from sqlalchemy.dialects import mysql, postgresql
    from sqlalchemy.engine import URL, Connection, make_url
except ImportError:  # pragma: no cover - the test environment has SQLAlchemy
    raise UsageError(
        "--from-database needs SQLAlchemy and an async driver: "
        "pip install 'sqlalchemy[asyncio]' asyncpg asyncmy"
    ) from None
from generator.naming import snake_case
from generator.spec import (
    FIELD_NAME,
    RESERVED_FIELD_NAMES,
    RESERVED_MODEL_NAMES,
    RESERVED_MODULE_NAMES,
    TIMESTAMP_FIELD_NAMES,
    FieldSpec,
    ModelSpec,
    check_model_name,
    check_model_set,
    default_value,
    model_from_answer,
)
from generator.template import DRIVERS

CONNECT_TIMEOUT_SECONDS = 10
# Backends of SQLAlchemy URLs, by the `--db` of the project they lead to.
_DATABASES = {"postgresql": "postgresql", "postgres": "postgresql", "mysql": "mysql", "mariadb": "mysql"}
_CONNECT_ARGS = {
    "asyncpg": {"timeout": CONNECT_TIMEOUT_SECONDS},
    "psycopg": {"connect_timeout": CONNECT_TIMEOUT_SECONDS},
    "asyncmy": {"connect_timeout": CONNECT_TIMEOUT_SECONDS},
    "aiomysql": {"connect_timeout": CONNECT_TIMEOUT_SECONDS},
}
# The API's ids are 32-bit integers (crud.ResourceId); wider or narrower keys still hold them.
_ID_TYPES = {"int": None, "bigint": "bigint", "smallint": "smallint"}


@dataclass(frozen=True)
class Skipped:
    table: str
    reason: str


@dataclass(frozen=True)
class Reflection:
    """What `--from-database` found: the project's database and driver, models and skipped tables."""

    database: str
    driver: str
    models: tuple[ModelSpec, ...]
    skipped: tuple[Skipped, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Table:
    """One table as the inspector describes it (plain dicts, as SQLAlchemy returns them)."""

    name: str
    columns: list[dict[str, Any]]
    primary_key: list[str]
    foreign_keys: list[dict[str, Any]]
    unique_constraints: list[dict[str, Any]]
    indexes: list[dict[str, Any]]
    checks: list[dict[str, Any]]


@dataclass
class _Draft:
    """A table on its way to a ModelSpec: its model name and its fields without refs resolved."""

    table: _Table
    model: str
    id_column: str
    id_type: str | None
    fields: list[FieldSpec] = field(default_factory=list)
    # field name -> referred (table, column) and the foreign key column's integer type, for ref fields
    refs: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


class _Unmappable(Exception):
    """A table the generated API cannot serve; the message says why."""


def database_url(text: str) -> URL:
    """Parse a URL without ever echoing it: SQLAlchemy's own message would print the password."""
    try:
        url = make_url(text)
    except Exception:  # ArgumentError, ValueError: any malformed URL is the same usage error
        raise UsageError(
            "invalid --from-database URL; expected e.g. postgresql://user:password@host:5432/dbname"
        ) from None
    if url.get_backend_name() not in _DATABASES:
        raise UsageError(
            f"--from-database supports PostgreSQL and MySQL/MariaDB URLs, not {url.get_backend_name()!r}"
        )
    return url


def project_database(url: URL, db: str | None, driver: str | None) -> tuple[str, str]:
    """The project's database and async driver: from the URL, unless --db/--driver say otherwise."""
    database = _DATABASES[url.get_backend_name()]
    if db is not None and db != database:
        raise UsageError(f"--db {db} does not fit the {database} database of --from-database")
    # Only a driver the URL names explicitly (postgresql+psycopg://) is taken from it.
    url_driver = url.get_driver_name() if "+" in url.drivername else None
    chosen = driver or (url_driver if url_driver in DRIVERS[database] else DRIVERS[database][0])
    if chosen not in DRIVERS[database]:
        raise UsageError(
            f"driver {chosen!r} does not fit database {database!r}; "
            f"choose one of {', '.join(DRIVERS[database])}"
        )
    return database, chosen


def models_from_database(
    url_text: str,
    tables: str | None,
    exclude: str | None,
    db: str | None,
    driver: str | None,
    other_models: object = None,
) -> Reflection:
    """What `new --from-database URL [--tables a,b] [--exclude c]` generates; usage errors exit 2."""
    if other_models:
        raise UsageError(
            "--from-database derives the models; it cannot be combined with --model or --models-file"
        )
    reflection = reflect(url_text, _names(tables), _names(exclude), db, driver)
    if not reflection.models:
        reasons = "; ".join(f"{s.table}: {s.reason}" for s in reflection.skipped)
        raise UsageError(f"no table of the database can be generated ({reasons})")
    return reflection


def _names(text: str | None) -> list[str]:
    return [name.strip() for name in (text or "").split(",") if name.strip()]


def reflect(
    url_text: str,
    tables: Sequence[str] = (),
    exclude: Sequence[str] = (),
    db: str | None = None,
    driver: str | None = None,
) -> Reflection:
    url = database_url(url_text)
    database, chosen = project_database(url, db, driver)
    async_url = url.set(drivername=f"{database}+{chosen}")
    found, views = asyncio.run(_read_schema(async_url, chosen))
    return plan(found, views, database, chosen, tables, exclude)


async def _read_schema(url: URL, driver: str) -> tuple[dict[str, _Table], list[str]]:
    from sqlalchemy import exc
    from sqlalchemy.ext.asyncio import create_async_engine
    from sqlalchemy.pool import NullPool

    engine = create_async_engine(url, poolclass=NullPool, connect_args=_CONNECT_ARGS.get(driver, {}))
    try:
        async with asyncio.timeout(CONNECT_TIMEOUT_SECONDS * 6):
            async with engine.connect() as connection:
                return await connection.run_sync(_inspect)
    except ImportError as error:
        raise UsageError(
            f"the {driver} driver is not installed ({error.name}): pip install {driver}"
        ) from None
    except (exc.DBAPIError, exc.NoSuchModuleError, OSError, TimeoutError) as error:
        raise UsageError(
            f"cannot read the database at {url.render_as_string()}: {_reason(error, url)}"
        ) from None
    finally:
        await engine.dispose()


def _reason(error: BaseException, url: URL) -> str:
    """The driver's first line, with the password blanked should a driver ever echo it."""
    if isinstance(error, TimeoutError):
        return f"no answer within {CONNECT_TIMEOUT_SECONDS * 6} seconds"
    original = getattr(error, "orig", None) or error
    lines = str(original).strip().splitlines()
    text = lines[0] if lines else type(original).__name__
    if url.password:
        text = text.replace(str(url.password), "***")
    return text


def _inspect(connection: Connection) -> tuple[dict[str, _Table], list[str]]:
    from sqlalchemy import inspect

    inspector = inspect(connection)
    json_checks = _mariadb_json_checks(connection)
    tables = {}
    for name in inspector.get_table_names():
        if name == "alembic_version":  # Alembic's bookkeeping, should the database have it already
            continue
        tables[name] = _Table(
            name=name,
            columns=[dict(column) for column in inspector.get_columns(name)],
            primary_key=list(inspector.get_pk_constraint(name).get("constrained_columns") or []),
            foreign_keys=[dict(fk) for fk in inspector.get_foreign_keys(name)],
            unique_constraints=[dict(uq) for uq in inspector.get_unique_constraints(name)],
            indexes=[dict(index) for index in inspector.get_indexes(name)],
            checks=_checks(inspector, name) + json_checks.get(name, []),
        )
    return tables, list(inspector.get_view_names())


def _mariadb_json_checks(connection: Connection) -> dict[str, list[dict[str, Any]]]:
    """MariaDB's JSON columns: LONGTEXT with a column CHECK (json_valid(col)), which SQLAlchemy's
    inspector does not report; information_schema does."""
    if connection.dialect.name != "mysql" or not getattr(connection.dialect, "is_mariadb", False):
        return {}
    rows = connection.exec_driver_sql(
        "SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS "
        "WHERE CONSTRAINT_SCHEMA = DATABASE()"
    )
    checks: dict[str, list[dict[str, Any]]] = {}
    for table, name, clause in rows:
        checks.setdefault(str(table), []).append({"name": name, "sqltext": str(clause)})
    return checks


def _checks(inspector: Any, name: str) -> list[dict[str, Any]]:
    try:
        return list(inspector.get_check_constraints(name))
    except NotImplementedError:  # pragma: no cover - every supported dialect implements it
        return []


def plan(
    found: dict[str, _Table],
    views: Iterable[str],
    database: str,
    driver: str,
    only: Sequence[str] = (),
    exclude: Sequence[str] = (),
) -> Reflection:
    """Turn the tables of a schema into validated, ordered ModelSpecs, and the reasons for the rest."""
    views = list(views)
    known = set(found) | set(views)
    for name in [*only, *exclude]:
        if name not in known:
            raise UsageError(f"no table or view named {name!r} in the database")
    selected = [name for name in sorted(found) if (not only or name in only) and name not in exclude]
    skipped = [
        Skipped(view, "a view, not a table")
        for view in sorted(views)
        if (not only or view in only) and view not in exclude
    ]
    if not selected and not skipped:
        raise UsageError("the database has no tables to generate models for")

    drafts: dict[str, _Draft] = {}
    names = _model_names(selected)
    for table_name in selected:
        try:
            drafts[table_name] = _draft(found[table_name], names[table_name], database)
        except _Unmappable as error:
            skipped.append(Skipped(table_name, str(error)))

    # A foreign key needs its table generated too; dropping one table can strand another.
    models: dict[str, ModelSpec] = {}
    while True:
        models, dropped = _resolve(drafts, set(found) - set(only or found) | set(exclude))
        if not dropped:
            break
        for table_name, reason in dropped.items():
            skipped.append(Skipped(table_name, reason))
            del drafts[table_name]
    ordered = _ordered(models, skipped)
    notes = tuple(
        note for table_name, draft in drafts.items() if table_name in models for note in draft.notes
    )
    return Reflection(
        database=database,
        driver=driver,
        models=ordered,
        skipped=tuple(sorted(skipped, key=lambda s: s.table)),
        notes=notes,
    )


def _resolve(
    drafts: dict[str, _Draft], not_selected: set[str]
) -> tuple[dict[str, ModelSpec], dict[str, str]]:
    """ModelSpecs of every draft whose references resolve; the others with the reason why not."""
    models: dict[str, ModelSpec] = {}
    dropped: dict[str, str] = {}
    for table_name, draft in drafts.items():
        fields = []
        for spec in draft.fields:
            if spec.name in draft.refs:
                target, target_column, kind = draft.refs[spec.name]
                column = spec.db_name or spec.column
                if target not in drafts:
                    why = "is not selected" if target in not_selected else "is skipped"
                    dropped[table_name] = (
                        f"its foreign key {column!r} refers to table {target!r}, which {why}"
                    )
                    break
                if target_column != drafts[target].id_column:
                    dropped[table_name] = (
                        f"its foreign key {column!r} refers to {target}.{target_column}, not a primary key"
                    )
                    break
                target_kind = drafts[target].id_type or "int"
                if kind != target_kind:
                    # The model's foreign key column takes the type of the key it refers to.
                    dropped[table_name] = (
                        f"its foreign key {column!r} is {kind}, the key it refers to {target_kind}"
                    )
                    break
                spec = replace(spec, ref=drafts[target].model)
            fields.append(spec)
        if table_name in dropped:
            continue
        model = ModelSpec(
            name=draft.model,
            fields=tuple(fields),
            table=None if draft.table.name == snake_case(draft.model) else draft.table.name,
            id_column=None if draft.id_column == "id" else draft.id_column,
            id_type=draft.id_type,
            timestamps=False,
        )
        try:
            # Through the answers path, so a reflected model passes every check a hand-written one does.
            models[table_name] = model_from_answer(model.to_answer())
        except SpecError as error:
            dropped[table_name] = f"cannot be generated: {error}"
    return models, dropped


def _ordered(models: dict[str, ModelSpec], skipped: list[Skipped]) -> tuple[ModelSpec, ...]:
    """Models with every ref pointing backwards; tables in a foreign-key cycle are skipped."""
    placed: set[str] = set()
    pending = dict(models)
    ordered: list[ModelSpec] = []
    while pending:
        ready = [t for t, m in pending.items() if all(r in placed or r == m.name for r in m.refs)]
        if not ready:
            for table in pending:
                skipped.append(Skipped(table, "its foreign keys form a cycle with other tables"))
            break
        for table in ready:
            ordered.append(pending.pop(table))
            placed.add(models[table].name)
    return check_model_set(ordered)


def _model_names(tables: Sequence[str]) -> dict[str, str]:
    """Singular PascalCase model names, unique and clear of the names the project uses."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for table in tables:
        base = model_name(table)
        name, number = base, 2
        while name in taken:
            name, number = f"{base}{number}", number + 1
        taken.add(name)
        names[table] = name
    return names


def model_name(table: str) -> str:
    """`order_items` -> `OrderItem`, `Category` -> `Category`, `2fa codes` -> `T2faCode`."""
    words = [w for w in re.split(r"[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])", table) if w]
    if words:
        words[-1] = singular(words[-1])
    name = "".join(word[:1].upper() + word[1:].lower() for word in words) or "Table"
    if not name[0].isalpha():
        name = "T" + name
    name = name[:60]
    try:
        check_model_name(name)
    except SpecError:
        name += "Record"
    if name in RESERVED_MODEL_NAMES or snake_case(name) in RESERVED_MODULE_NAMES or name == "Model":
        name += "Record"
    return name


def singular(word: str) -> str:
    lower = word.lower()
    if lower.endswith("ies") and len(word) > 3:
        return word[:-3] + ("Y" if word[-1].isupper() else "y")
    if re.search(r"(ss|us|x|z|ch|sh)es$", lower):
        return word[:-2]
    if lower.endswith("s") and not re.search(r"(ss|us|is)$", lower):
        return word[:-1]
    return word


def _draft(table: _Table, model: str, database: str) -> _Draft:
    if not table.primary_key:
        raise _Unmappable("no primary key")
    if len(table.primary_key) > 1:
        raise _Unmappable(f"composite primary key ({', '.join(table.primary_key)})")
    columns = {column["name"]: column for column in table.columns}
    pk = columns[table.primary_key[0]]
    pk_kind = _integer_kind(pk["type"])
    if pk_kind is None or not pk.get("autoincrement"):
        raise _Unmappable(
            f"primary key {pk['name']!r} ({pk['type']}) is not an autoincrementing signed integer"
        )
    draft = _Draft(table=table, model=model, id_column=pk["name"], id_type=_ID_TYPES[pk_kind])

    foreign_keys: dict[str, dict[str, Any]] = {}
    for fk in table.foreign_keys:
        if len(fk["constrained_columns"]) != 1 or fk.get("referred_schema"):
            raise _Unmappable(
                f"foreign key {fk.get('name') or fk['constrained_columns']} is composite or crosses schemas"
            )
        foreign_keys[fk["constrained_columns"][0]] = fk
    uniques, indexes, notes = _single_column_keys(table, database)
    draft.notes.extend(notes)

    taken = {"id"}
    for column in table.columns:
        if column["name"] == pk["name"]:
            continue
        column_fk = foreign_keys.get(column["name"])
        spec = _with_keys(
            _field(column, column_fk, taken, table, database), column["name"], table.name, uniques, indexes
        )
        if column_fk is not None:
            kind = _integer_kind(column["type"]) or "int"
            draft.refs[spec.name] = (column_fk["referred_table"], column_fk["referred_columns"][0], kind)
        draft.fields.append(spec)
        taken |= {spec.name, spec.column}
    return draft


def _with_keys(
    spec: FieldSpec, column: str, table: str, uniques: dict[str, str], indexes: dict[str, tuple[str, bool]]
) -> FieldSpec:
    """Unique constraint and index of a column; names that are not the naming convention's are kept.

    In the grammar `unique` alone is a unique constraint, `unique` + `index` one unique index, and a
    ref is indexed unless `ref_index` is False, as the generated models and migrations render them.
    """
    index = indexes.get(column)
    if index is not None:
        name, unique = index
        spec = replace(
            spec,
            index=spec.type != "ref",
            unique=unique,
            index_name=None if name == f"ix_{table}_{column}" else name,
        )
    elif spec.type == "ref":
        spec = replace(spec, ref_index=False)
    if column in uniques and not spec.unique:
        name = uniques[column]
        spec = replace(spec, unique=True, unique_name=None if name == f"uq_{table}_{column}" else name)
    return spec


def _single_column_keys(
    table: _Table, database: str
) -> tuple[dict[str, str], dict[str, tuple[str, bool]], list[str]]:
    """Single-column unique constraints (column -> name) and indexes (column -> (name, unique))."""
    notes = []
    uniques: dict[str, str] = {}
    for constraint in table.unique_constraints:
        columns = constraint["column_names"]
        if len(columns) == 1:
            uniques[columns[0]] = constraint["name"]
        else:
            notes.append(
                f"{table.name}: unique constraint {constraint['name']} on "
                f"({', '.join(columns)}) is not modelled"
            )
    indexes: dict[str, tuple[str, bool]] = {}
    for index in table.indexes:
        columns = index["column_names"]
        if index.get("duplicates_constraint") or columns == table.primary_key:
            continue
        if len(columns) == 1 and columns[0] is not None and not index.get("expressions"):
            if columns[0] in uniques and index.get("unique"):
                continue  # MySQL lists a unique constraint as an index too
            indexes[columns[0]] = (index["name"], bool(index.get("unique")))
        else:
            notes.append(f"{table.name}: index {index['name']} is not modelled")
    return uniques, indexes, notes


def _field(
    column: dict[str, Any], fk: dict[str, Any] | None, taken: set[str], table: _Table, database: str
) -> FieldSpec:
    name = column["name"]
    reserved = RESERVED_FIELD_NAMES - TIMESTAMP_FIELD_NAMES
    if fk is not None:
        if _integer_kind(column["type"]) is None:
            raise _Unmappable(f"foreign key column {name!r} is not an integer")
        base = attribute_name(name, reserved | taken)
        relation = base[:-3] if base.endswith("_id") and len(base) > 3 else base
        while (
            relation in taken
            or f"{relation}_id" in taken
            or relation in reserved
            or keyword.iskeyword(relation)
        ):
            relation += "_"
        spec = FieldSpec(name=relation, type="ref", ref="?", optional=bool(column["nullable"]))
        return replace(spec, db_name=None if spec.column == name else name)
    kind, details = _column_type(column, table, database)
    if kind != "datetime" or column["nullable"]:
        # Only a column of the very type the generated Model's timestamps have may take their name.
        reserved = RESERVED_FIELD_NAMES
    attribute = attribute_name(name, reserved | taken)
    spec = FieldSpec(name=attribute, type=kind, optional=bool(column["nullable"]), **details)
    spec = replace(spec, db_name=None if attribute == name else name)
    return _with_server_default(spec, column.get("default"))


def attribute_name(column: str, taken: set[str] | frozenset[str]) -> str:
    """A snake_case Python name for a column: `class` -> `class_`, `Unit Price` -> `unit_price`."""
    name = re.sub(r"[^a-z0-9_]+", "_", re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", column).lower()).strip("_")
    name = re.sub(r"_+", "_", name) or "column"
    if not name[0].isalpha():
        name = "c_" + name
    if name.startswith("model_"):  # pydantic reserves the model_ prefix
        name = "col_" + name
    while keyword.iskeyword(name) or name in taken or not FIELD_NAME.match(name):
        name += "_"
    return name


def _integer_kind(type_: Any) -> str | None:
    if getattr(type_, "unsigned", False) or isinstance(
        type_, (sqltypes.Boolean, mysql.TINYINT, mysql.MEDIUMINT)
    ):
        return None
    if isinstance(type_, sqltypes.SmallInteger):
        return "smallint"
    if isinstance(type_, sqltypes.BigInteger):
        return "bigint"
    if isinstance(type_, sqltypes.Integer):
        return "int"
    return None


def _column_type(column: dict[str, Any], table: _Table, database: str) -> tuple[str, dict[str, Any]]:
    """The grammar type (and length, precision, scale, db_type) of a reflected column."""
    type_ = column["type"]
    name = column["name"]
    if getattr(type_, "unsigned", False) or getattr(type_, "zerofill", False):
        raise _Unmappable(f"column {name!r} has type {type_} (unsigned), which asyncrud cannot map")
    if isinstance(type_, mysql.TINYINT) and getattr(type_, "display_width", None) == 1:
        return "bool", {}
    if isinstance(type_, sqltypes.Boolean):
        return "bool", {}
    integer = _integer_kind(type_)
    if integer == "smallint":
        return "int", {"db_type": "smallint"}
    if integer is not None:
        return integer, {}
    if isinstance(type_, sqltypes.Double) and not isinstance(type_, mysql.FLOAT):
        return "float", {}
    if isinstance(type_, sqltypes.Numeric) and not isinstance(type_, sqltypes.Float):
        if type_.precision is not None and type_.scale is not None:
            return "decimal", {"precision": type_.precision, "scale": type_.scale}
    if isinstance(type_, sqltypes.JSON) and not isinstance(type_, postgresql.JSONB):
        return "json", {}
    if isinstance(type_, mysql.LONGTEXT) and _is_json_check(name, table):
        return "json", {}  # MariaDB's JSON is LONGTEXT with a json_valid() check
    if isinstance(type_, sqltypes.Uuid):
        return "uuid", {}
    if isinstance(type_, sqltypes.DateTime) and _is_utc_datetime(type_, database):
        return "datetime", {}
    if isinstance(type_, sqltypes.DateTime) and _is_naive_datetime(type_, database):
        return "datetime", {"db_type": "timestamp"}
    if isinstance(type_, sqltypes.Date) and not isinstance(type_, sqltypes.DateTime):
        return "date", {}
    if type(type_).__name__ == "TEXT" and not getattr(type_, "length", None):
        return "text", {}
    if isinstance(type_, sqltypes.CHAR) and not isinstance(type_, sqltypes.Enum):
        return "str", {"length": type_.length or 1, "db_type": "char"}
    if isinstance(type_, sqltypes.VARCHAR) and not isinstance(type_, sqltypes.Enum) and type_.length:
        return "str", {"length": type_.length}
    raise _Unmappable(f"column {name!r} has type {type_}, which asyncrud cannot map")


def _is_utc_datetime(type_: Any, database: str) -> bool:
    # The project's UTCDateTime is timestamptz on PostgreSQL and DATETIME(6) on MySQL/MariaDB.
    if database == "postgresql":
        return bool(getattr(type_, "timezone", False))
    return isinstance(type_, mysql.DATETIME) and getattr(type_, "fsp", None) == 6


def _is_naive_datetime(type_: Any, database: str) -> bool:
    # MySQL's TIMESTAMP converts to and from the session's time zone: not a plain naive value.
    if database == "postgresql":
        return not getattr(type_, "timezone", False) and not getattr(type_, "precision", None)
    return isinstance(type_, mysql.DATETIME) and not getattr(type_, "fsp", None)


def _is_json_check(column: str, table: _Table) -> bool:
    return any(
        re.fullmatch(rf"json_valid\(`?{re.escape(column)}`?\)", str(check.get("sqltext", "")).strip())
        for check in table.checks
    )


# PostgreSQL reports a literal default with its cast: 'draft'::character varying, '0'::numeric.
_CAST = re.compile(r"^\(?(?P<value>'(?:[^']|'')*'|-?\d+(?:\.\d+)?)\)?::[a-z ]+(?:\(\d+(?:,\d+)?\))?$")
_NOW = re.compile(r"^(now\(\)|current_timestamp(\(\d?\))?)$", re.IGNORECASE)


def _with_server_default(spec: FieldSpec, default: str | None) -> FieldSpec:
    """The column's server default, and where it is a plain literal the same Python default."""
    if default is None or default.upper() == "NULL":
        return spec
    text = default.strip()
    if match := _CAST.match(text):
        text = match["value"]
    literal = _literal(text, spec.type)
    if literal is not None and spec.type not in ("json", "ref", "datetime", "uuid"):
        try:
            spec = replace(spec, default=default_value(spec, literal))
        except SpecError:
            pass  # the server keeps its default; the API just does not repeat it
    if _NOW.match(text):
        text = "CURRENT_TIMESTAMP"
    try:
        return model_field_checked(replace(spec, server_default=text))
    except SpecError:
        return spec


def _literal(text: str, kind: str) -> str | None:
    if re.fullmatch(r"'(?:[^']|'')*'", text):
        return text[1:-1].replace("''", "'")
    if re.fullmatch(r"-?\d+(?:\.\d+)?", text):
        if kind == "bool":
            return {"1": "true", "0": "false"}.get(text)
        return text
    if text.lower() in ("true", "false"):
        return text.lower()
    return None


def model_field_checked(spec: FieldSpec) -> FieldSpec:
    """A field's database details, checked as the answers file will check them."""
    answer = ModelSpec(name="Check", fields=(spec,), timestamps=False).to_answer()
    model_from_answer(answer)
    return spec
