"""Mapping database types to the grammar's: a reflected column's type becomes a grammar type (the
API's form of its values) with its arguments, and, where the grammar's column type is not the
column's, the exact type (`db_type`, or `sa_type` printed as SQLAlchemy code) that keeps Alembic
quiet. Its server default, where it is a plain literal, becomes the field's default too.

A column whose values have no API form (arrays, tsvector, interval, bytea, MySQL SET and BLOBs...)
is `Kept`: the model keeps it, the API leaves it out.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from sqlalchemy import types as sqltypes
from sqlalchemy.dialects import mysql, postgresql, sqlite

from generator.errors import SpecError
from generator.reflect.schema import Table
from generator.spec import SA_TYPE, FieldSpec, check_field, default_value

# The API's ids are 32-bit integers (crud.ResourceId); wider or narrower keys still hold them.
ID_TYPES = {"int": None, "bigint": "bigint", "smallint": "smallint"}

# PostgreSQL reports a literal default with its cast: 'draft'::character varying, '0'::numeric.
_CAST = re.compile(r"^\(?(?P<value>'(?:[^']|'')*'|-?\d+(?:\.\d+)?)\)?::[a-z_ ]+(?:\(\d+(?:,\d+)?\))?$")
_NOW = re.compile(r"^(now\(\)|current_timestamp(\(\d?\))?)$", re.IGNORECASE)
_DIALECTS = {"postgresql": postgresql, "mysql": mysql, "sqlite": sqlite}
# Integer ranges of MySQL's integer types, signed and unsigned: the API's bounds (`min=`/`max=`).
_MYSQL_RANGES = {
    "TINYINT": ((-128, 127), (0, 255)),
    "SMALLINT": ((-32_768, 32_767), (0, 65_535)),
    "MEDIUMINT": ((-8_388_608, 8_388_607), (0, 16_777_215)),
    "INTEGER": ((-(2**31), 2**31 - 1), (0, 2**32 - 1)),
    "BIGINT": ((-(2**63), 2**63 - 1), (0, 2**63 - 1)),  # the API's bigint stops at 2**63 - 1
}
# Unbounded decimals (PostgreSQL `numeric`) as the API bounds them.
_NUMERIC = {"precision": 38, "scale": 10}


class Unmappable(Exception):
    """A table the generated API cannot serve; the message says why."""


class Kept(Exception):
    """A column the API leaves out: `sa_type` is its exact type as code, `reason` why."""

    def __init__(self, sa_type: str, reason: str) -> None:
        super().__init__(reason)
        self.sa_type = sa_type
        self.reason = reason


def integer_kind(type_: Any) -> str | None:
    """`int`, `bigint` or `smallint` for an integer type the API's 32-bit ids hold; None otherwise."""
    if isinstance(type_, (sqltypes.Boolean, mysql.TINYINT, mysql.MEDIUMINT, mysql.YEAR)):
        return None
    if isinstance(type_, sqltypes.SmallInteger):
        return "smallint"
    if isinstance(type_, sqltypes.BigInteger):
        return "bigint"
    if isinstance(type_, sqltypes.Integer):
        return "int"
    return None


def key_kind(type_: Any) -> str | None:
    """The id type of a key or foreign key column: a MySQL TINYINT key is a smallint, a MEDIUMINT
    one an int (their exact types ride along); None for a key that is no integer."""
    if isinstance(type_, mysql.TINYINT):
        return "smallint"
    if isinstance(type_, mysql.MEDIUMINT):
        return "int"
    return integer_kind(type_)


def sa_code(type_: Any, database: str) -> str | None:
    """The reflected type as SQLAlchemy code of its dialect (`postgresql.ARRAY(postgresql.TEXT())`),
    or None when the code would not rebuild the same type."""
    module = _DIALECTS[database]
    text = re.sub(r"\b([A-Z][A-Za-z_]*)\(", rf"{database}.\1(", repr(type_))
    if not SA_TYPE.fullmatch(text):
        return None
    try:
        rebuilt = eval(text, {database: module})
    except Exception:  # a repr that is no call of the dialect's types
        return None
    return text if repr(rebuilt) == repr(type_) else None


def column_type(column: dict[str, Any], table: Table, database: str) -> tuple[str, dict[str, Any]]:
    """The grammar type (and length, precision, scale, db_type, sa_type, bounds) of a column.

    Raises Kept for a column the API leaves out, Unmappable for one not even the model can hold.
    """
    type_ = column["type"]
    name = column["name"]
    if isinstance(type_, postgresql.DOMAIN):
        return _domain(column, table, database)
    mapped = _mapped(type_, name, table, database)
    if mapped is not None:
        return mapped
    code = sa_code(type_, database)
    if code is None:
        raise Unmappable(f"column {name!r} has type {type_!r}, which asyncrud cannot map")
    raise Kept(code, f"type {type_} has no API form")


def _mapped(type_: Any, name: str, table: Table, database: str) -> tuple[str, dict[str, Any]] | None:
    if isinstance(type_, (mysql.SET, postgresql.TSVECTOR, sqltypes.ARRAY)):
        return None  # a set of values, a search document, an array: no API type of the grammar
    if database == "mysql":
        found = _mysql(type_, name, table)
        if found is not None:
            return found
    if isinstance(type_, sqltypes.Boolean):
        return "bool", {}
    integer = integer_kind(type_)
    if integer == "smallint":
        return "int", {"db_type": "smallint"}
    if integer is not None:
        return integer, {}
    if isinstance(type_, postgresql.REAL):
        return "float", {"sa_type": "postgresql.REAL()"}
    if isinstance(type_, sqltypes.Float) and database == "sqlite":
        return "float", {"sa_type": f"sqlite.{type(type_).__name__}()"}
    if isinstance(type_, sqltypes.Double) or (isinstance(type_, sqltypes.Float) and database == "postgresql"):
        return "float", {} if isinstance(type_, sqltypes.Double) else {"sa_type": _code(type_, database)}
    if isinstance(type_, sqltypes.Numeric) and not isinstance(type_, sqltypes.Float):
        if type_.precision is not None and type_.scale is not None:
            return "decimal", {"precision": type_.precision, "scale": type_.scale}
        if isinstance(type_, postgresql.MONEY):
            return None
        return "decimal", {**_NUMERIC, "sa_type": _code(type_, database)}
    if isinstance(type_, postgresql.JSONB):
        return "json", {"sa_type": "postgresql.JSONB()"}
    if isinstance(type_, sqltypes.JSON):
        return "json", {}
    if isinstance(type_, sqltypes.Uuid):
        return "uuid", {}
    if isinstance(type_, sqltypes.DateTime):
        return _datetime(type_, database)
    if isinstance(type_, sqltypes.Date):
        return "date", {}
    if isinstance(type_, sqltypes.Time):
        if getattr(type_, "timezone", False):
            return None
        return "time", {}
    if isinstance(type_, sqltypes.Enum):
        return _enum(type_, database)
    if isinstance(type_, sqltypes.CHAR) and type_.length:
        return "str", {"length": type_.length, "db_type": "char"}
    if isinstance(type_, sqltypes.String) and type_.length and not isinstance(type_, sqltypes.Text):
        return "str", {"length": type_.length}
    if isinstance(type_, sqltypes.String):
        # text, an unbounded varchar (PostgreSQL), SQLite's TEXT and VARCHAR without a length
        exact = type(type_).__name__ != "TEXT" or database == "sqlite"
        return "text", {"sa_type": _code(type_, database)} if exact else {}
    return None


def _mysql(type_: Any, name: str, table: Table) -> tuple[str, dict[str, Any]] | None:
    if isinstance(type_, mysql.TINYINT) and getattr(type_, "display_width", None) == 1:
        return "bool", {}
    kind = type(type_).__name__
    if kind == "INT":
        kind = "INTEGER"
    if isinstance(type_, sqltypes.Integer) and kind in _MYSQL_RANGES:
        unsigned = bool(getattr(type_, "unsigned", False))
        signed = not unsigned and not getattr(type_, "zerofill", False)
        if signed and kind in ("SMALLINT", "INTEGER", "BIGINT"):
            return None  # the grammar's own
        low, high = _MYSQL_RANGES[kind][unsigned]
        grammar = "bigint" if high > 2**31 - 1 else "int"
        return grammar, {"sa_type": _code(type_, "mysql"), "min": low, "max": high}
    if isinstance(type_, mysql.YEAR):
        return "int", {"sa_type": "mysql.YEAR()", "min": 1901, "max": 2155}
    if isinstance(type_, mysql.FLOAT):
        return "float", {"sa_type": _code(type_, "mysql")}
    if isinstance(type_, mysql.LONGTEXT) and _is_json_check(name, table):
        return "json", {}  # MariaDB's JSON is LONGTEXT with a json_valid() check
    if isinstance(type_, (mysql.TINYTEXT, mysql.MEDIUMTEXT, mysql.LONGTEXT)):
        return "text", {"sa_type": _code(type_, "mysql")}
    return None


def _datetime(type_: Any, database: str) -> tuple[str, dict[str, Any]] | None:
    if database == "postgresql":
        # The project's UTCDateTime is timestamptz there; a timestamp without time zone is naive UTC.
        return ("datetime", {}) if type_.timezone else ("datetime", {"db_type": "timestamp"})
    if database == "sqlite":
        return "datetime", {"db_type": "timestamp"}
    if isinstance(type_, mysql.TIMESTAMP):
        # MySQL's TIMESTAMP converts to and from the session's time zone, which the project sets to
        # UTC: naive UTC values, as a DATETIME.
        return "datetime", {"db_type": "mysql_timestamp"}
    # The project's UTCDateTime is DATETIME(6) on MySQL/MariaDB; another precision is kept exactly.
    if getattr(type_, "fsp", None) == 6:
        return "datetime", {}
    if not getattr(type_, "fsp", None):
        return "datetime", {"db_type": "timestamp"}
    return "datetime", {"db_type": "timestamp", "sa_type": _code(type_, "mysql")}


def _enum(type_: Any, database: str) -> tuple[str, dict[str, Any]] | None:
    choices = tuple(type_.enums)
    if not choices:
        return None
    if database == "postgresql":
        values = ", ".join(_quoted(value) for value in choices)
        code = f"postgresql.ENUM({values}, name={_quoted(type_.name)})"
    else:
        code = _code(type_, database)
    return "enum", {"choices": choices, "sa_type": code}


def _quoted(value: str) -> str:
    return "'" + value.replace("'", "\\'") + "'"


def _domain(column: dict[str, Any], table: Table, database: str) -> tuple[str, dict[str, Any]]:
    """A PostgreSQL domain: the API type of the type it is over; the model keeps the domain's name."""
    type_ = column["type"]
    inner = dict(column, type=type_.data_type)
    kind, details = column_type(inner, table, database)
    return kind, {
        **details,
        "sa_type": f"postgresql.DOMAIN({_quoted(type_.name)}, {_code(type_.data_type, database)})",
    }


def _code(type_: Any, database: str) -> str:
    code = sa_code(type_, database)
    if code is None:
        raise Unmappable(f"type {type_!r} cannot be written as code")
    return code


def _is_json_check(column: str, table: Table) -> bool:
    return any(
        re.fullmatch(rf"json_valid\(`?{re.escape(column)}`?\)", str(check.get("sqltext", "")).strip())
        for check in table.checks
    )


def with_server_default(spec: FieldSpec, default: str | None, reserved: frozenset[str]) -> FieldSpec:
    """The column's server default, and where it is a plain literal the same Python default.

    A default the grammar's checks refuse (`check_field`, with the model's `reserved` names) is left
    to the server: the field gets no Python default, but a create may leave it out all the same.
    """
    text = server_default_text(default)
    if text is None:
        return spec
    literal = _literal(text, spec.type)
    if literal is not None and spec.type not in ("json", "ref", "datetime", "uuid"):
        try:
            spec = replace(spec, default=default_value(spec, literal))
        except SpecError:
            pass  # the server keeps its default; the API just does not repeat it
    try:
        return check_field(replace(spec, server_default=text), reserved)
    except SpecError:
        return spec


def server_default_text(default: str | None) -> str | None:
    """A reflected server default as the model writes it, or None for none at all."""
    if default is None or default.upper() == "NULL":
        return None
    text = default.strip()
    if match := _CAST.match(text):
        text = match["value"]
    if _NOW.match(text):
        text = "CURRENT_TIMESTAMP"
    return text


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
