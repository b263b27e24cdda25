"""Mapping database types to the grammar's: a reflected column's type becomes a grammar type with its
arguments and exact `db_type`, and its server default, where it is a plain literal, the field's
default too. A column no grammar type holds makes its table unmappable."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from sqlalchemy import types as sqltypes
from sqlalchemy.dialects import mysql, postgresql

from generator.errors import SpecError
from generator.reflect.schema import Table
from generator.spec import FieldSpec, check_field, default_value

# The API's ids are 32-bit integers (crud.ResourceId); wider or narrower keys still hold them.
ID_TYPES = {"int": None, "bigint": "bigint", "smallint": "smallint"}

# PostgreSQL reports a literal default with its cast: 'draft'::character varying, '0'::numeric.
_CAST = re.compile(r"^\(?(?P<value>'(?:[^']|'')*'|-?\d+(?:\.\d+)?)\)?::[a-z ]+(?:\(\d+(?:,\d+)?\))?$")
_NOW = re.compile(r"^(now\(\)|current_timestamp(\(\d?\))?)$", re.IGNORECASE)


class Unmappable(Exception):
    """A table the generated API cannot serve; the message says why."""


def integer_kind(type_: Any) -> str | None:
    """`int`, `bigint` or `smallint` for a signed integer type; None for any other type."""
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


def column_type(column: dict[str, Any], table: Table, database: str) -> tuple[str, dict[str, Any]]:
    """The grammar type (and length, precision, scale, db_type) of a reflected column."""
    type_ = column["type"]
    name = column["name"]
    if getattr(type_, "unsigned", False) or getattr(type_, "zerofill", False):
        raise Unmappable(f"column {name!r} has type {type_} (unsigned), which asyncrud cannot map")
    if isinstance(type_, mysql.TINYINT) and getattr(type_, "display_width", None) == 1:
        return "bool", {}
    if isinstance(type_, sqltypes.Boolean):
        return "bool", {}
    integer = integer_kind(type_)
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
    raise Unmappable(f"column {name!r} has type {type_}, which asyncrud cannot map")


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


def _is_json_check(column: str, table: Table) -> bool:
    return any(
        re.fullmatch(rf"json_valid\(`?{re.escape(column)}`?\)", str(check.get("sqltext", "")).strip())
        for check in table.checks
    )


def with_server_default(spec: FieldSpec, default: str | None, reserved: frozenset[str]) -> FieldSpec:
    """The column's server default, and where it is a plain literal the same Python default.

    A default the grammar's checks refuse (`check_field`, with the model's `reserved` names) is left
    to the server: the field gets neither.
    """
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
        return check_field(replace(spec, server_default=text), reserved)
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
