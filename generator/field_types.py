"""The field types of the model grammar as the generated code spells them: the one table of them.

Each row says, for one grammar type, how a column of that type is written in a model (SQLAlchemy),
in a migration (Alembic), in the API (Python and pydantic), and in the generated tests. Sized types
(`str(N)`, `decimal(P,S)`) format their arguments into the row's text with `str.format`: `{length}`,
`{precision}`, `{scale}`; an enum its class (`{enum}`) and values (`{choices}`).
generator.view turns a field and its row into what the templates print. An `m2m` field has no column:
its row says how its ids are sent and read, and generator.view writes its link table.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Import:
    """`from module import name`."""

    module: str
    name: str


@dataclass(frozen=True)
class FieldType:
    # The SQLAlchemy type in a model and in a migration (the migration prefixes `sa.` to what it
    # imports from sqlalchemy), and where the model imports it from.
    sqlalchemy: str
    sqlalchemy_import: Import | None
    # The Python type of the attribute, the response and the filters.
    python: str
    python_import: Import | None = None
    # The request-side annotation when it is stricter than `python` (a type of validators.py).
    request: str | None = None
    # Request bodies take only JSON's own type: no "1" for an int, no 1 for a bool.
    strict: bool = False
    # pydantic Field() constraints of request values.
    constraints: str = ""
    # The Python literal of a default value (`{value}` is the value as the answers file stores it).
    literal: str = "{value}"
    # An expression of the row number `n` that makes a valid, distinct request value in the tests,
    # the imports it needs, and how a test compares a sent value with the value read back (`{v}`).
    sample: str = "n"
    sample_imports: tuple[Import, ...] = ()
    compare: str = "{v}"
    compare_import: Import | None = None
    # Whether lists can be ordered by the field and filtered by equality, and its operator filters.
    sortable: bool = True
    operators: tuple[str, ...] = ()
    # Whether the field can carry a unique constraint or an index on every database.
    indexable: bool = True
    # The migration's column type when it is not the model's (an enum is a plain VARCHAR there).
    migration: str | None = None


_DECIMAL = Import("decimal", "Decimal")
_DATE = Import("datetime", "date")
_DATETIME = Import("datetime", "datetime")
_TIMEDELTA = Import("datetime", "timedelta")
_UTC = Import("datetime", "UTC")
_UUID = Import("uuid", "UUID")
_TIME = Import("datetime", "time")
_ANY = Import("typing", "Any")
_RANGE = ("gt", "gte", "lt", "lte", "in")
_TEXT = ("in", "contains")

# MySQL's TEXT holds 65,535 bytes: at most 16,383 four-byte characters.
MYSQL_TEXT_LIMIT = 16_383
# The VARCHAR length of every enum column: a value added later fits without changing the table.
ENUM_LENGTH = 64

FIELD_TYPES: dict[str, FieldType] = {
    "str": FieldType(
        sqlalchemy="String({length})",
        sqlalchemy_import=Import("sqlalchemy", "String"),
        python="str",
        request="CleanStr",
        constraints="max_length={length}",
        literal="{json}",
        sample='f"{prefix}{{n}}"',
        operators=_TEXT,
    ),
    "text": FieldType(
        sqlalchemy="Text",
        sqlalchemy_import=Import("sqlalchemy", "Text"),
        python="str",
        request="CleanStr",
        literal="{json}",
        sample='f"{name} number {{n}}"',
        operators=("contains",),
        indexable=False,
    ),
    "int": FieldType(
        sqlalchemy="Integer",
        sqlalchemy_import=Import("sqlalchemy", "Integer"),
        python="int",
        strict=True,
        constraints="ge=-2_147_483_648, le=2_147_483_647",
        operators=_RANGE,
    ),
    "bigint": FieldType(
        sqlalchemy="BigInteger",
        sqlalchemy_import=Import("sqlalchemy", "BigInteger"),
        python="int",
        strict=True,
        constraints="ge=-9_223_372_036_854_775_808, le=9_223_372_036_854_775_807",
        sample="n * 10_000_000_000",
        operators=_RANGE,
    ),
    "float": FieldType(
        sqlalchemy="Double",
        sqlalchemy_import=Import("sqlalchemy", "Double"),
        python="float",
        strict=True,
        constraints="allow_inf_nan=False",
        sample="n + 0.25",
        operators=_RANGE,
    ),
    "decimal": FieldType(
        sqlalchemy="Numeric({precision}, {scale})",
        sqlalchemy_import=Import("sqlalchemy", "Numeric"),
        python="Decimal",
        python_import=_DECIMAL,
        constraints="max_digits={precision}, decimal_places={scale}",
        literal='Decimal("{value}")',
        sample='str(Decimal(n % {integer_limit}) + Decimal("{fraction}"))',
        sample_imports=(_DECIMAL,),
        compare="Decimal({v})",
        compare_import=_DECIMAL,
        operators=_RANGE,
    ),
    "bool": FieldType(
        sqlalchemy="Boolean",
        sqlalchemy_import=Import("sqlalchemy", "Boolean"),
        python="bool",
        strict=True,
        sample="n % 2 == 0",
    ),
    "date": FieldType(
        sqlalchemy="Date",
        sqlalchemy_import=Import("sqlalchemy", "Date"),
        python="date",
        python_import=_DATE,
        request="StorableDate",
        literal='date.fromisoformat("{value}")',
        sample="(date(2024, 1, 1) + timedelta(days=n)).isoformat()",
        sample_imports=(_DATE, _TIMEDELTA),
        compare="date.fromisoformat({v})",
        compare_import=_DATE,
        operators=_RANGE,
    ),
    "datetime": FieldType(
        sqlalchemy="UTCDateTime",
        sqlalchemy_import=None,  # the project's own column type (column_types.py)
        python="datetime",
        python_import=_DATETIME,
        request="StorableDatetime",
        literal='datetime.fromisoformat("{value}")',
        sample="(datetime(2024, 1, 1, tzinfo=UTC) + timedelta(hours=n)).isoformat()",
        sample_imports=(_DATETIME, _TIMEDELTA, _UTC),
        compare="datetime.fromisoformat({v})",
        compare_import=_DATETIME,
        operators=_RANGE,
    ),
    "uuid": FieldType(
        sqlalchemy="Uuid",
        sqlalchemy_import=Import("sqlalchemy", "Uuid"),
        python="UUID",
        python_import=_UUID,
        literal='UUID("{value}")',
        sample="str(UUID(int=n))",
        sample_imports=(_UUID,),
        compare="UUID({v})",
        compare_import=_UUID,
        operators=("in",),
    ),
    "time": FieldType(
        sqlalchemy="TimeOfDay",
        sqlalchemy_import=None,  # the project's own column type (column_types.py)
        python="time",
        python_import=_TIME,
        request="StorableTime",
        literal='time.fromisoformat("{value}")',
        sample="time(n // 3600 % 24, n // 60 % 60, n % 60).isoformat()",
        sample_imports=(_TIME,),
        compare="time.fromisoformat({v})",
        compare_import=_TIME,
        operators=_RANGE,
    ),
    "enum": FieldType(
        # Stored as VARCHAR, not as a database enum type: a new value is a change to the Python
        # class only. values_callable stores the values ("draft"), not the member names.
        sqlalchemy=(
            "Enum({enum}, native_enum=False, create_constraint=False, length={enum_length}, "
            "values_callable=enum_values)"
        ),
        sqlalchemy_import=Import("sqlalchemy", "Enum"),
        migration="String({enum_length})",
        python="{enum}",
        literal="{enum}.{member}",
        sample="{choices}[n % {choice_count}]",
        operators=("in",),
    ),
    "json": FieldType(
        sqlalchemy="JSON",
        sqlalchemy_import=Import("sqlalchemy", "JSON"),
        python="dict[str, Any]",
        python_import=_ANY,
        request="JSONObject",
        literal="",
        sample='{{"n": n, "tags": ["a", "b"]}}',
        sortable=False,
        indexable=False,
    ),
    "ref": FieldType(
        sqlalchemy="ForeignKey",
        sqlalchemy_import=Import("sqlalchemy", "ForeignKey"),
        python="int",
        strict=True,
        constraints="ge=1, le=2_147_483_647",
        literal="",
        operators=("in",),
    ),
    "m2m": FieldType(
        # No column: a link table holds the pairs; the API sends and reads the related ids.
        sqlalchemy="",
        sqlalchemy_import=None,
        python="list[int]",
        literal="",
        sortable=False,
        indexable=False,
    ),
}

# Exact column types of an existing database (`asyncrud new --from-database`) that refine a grammar
# type: the named attributes replace those of the grammar type's row.
DB_TYPE_OVERRIDES: dict[str, dict[str, object]] = {
    "smallint": {
        "sqlalchemy": "SmallInteger",
        "sqlalchemy_import": Import("sqlalchemy", "SmallInteger"),
        "constraints": "ge=-32_768, le=32_767",
    },
    "char": {
        "sqlalchemy": "CHAR({length})",
        "sqlalchemy_import": Import("sqlalchemy", "CHAR"),
        # Fixed width: PostgreSQL pads a shorter value with spaces when it reads it back.
        "sample": 'f"{{n % {modulus}:0{length}d}}"',
    },
    "timestamp": {
        # A datetime column without time zone (PostgreSQL timestamp, MySQL DATETIME): UTC, stored naive.
        "sqlalchemy": "NaiveUTCDateTime",
    },
    "mysql_timestamp": {
        # MySQL's TIMESTAMP: UTC, stored naive in a UTC session.
        "sqlalchemy": "NaiveUTCTimestamp",
    },
}

# The project's own column types (column_types.py), by the SQLAlchemy text that names them.
PROJECT_COLUMN_TYPES = frozenset({"UTCDateTime", "NaiveUTCDateTime", "NaiveUTCTimestamp", "TimeOfDay"})

# Key types of an existing database's primary keys, beside the default Integer.
ID_TYPES: dict[str, str] = {"bigint": "BigInteger", "smallint": "SmallInteger"}

# Which grammar types may refine to which exact database types.
DB_TYPE_BASES: dict[str, str] = {
    "smallint": "int",
    "char": "str",
    "timestamp": "datetime",
    "mysql_timestamp": "datetime",
}

__all__ = [
    "DB_TYPE_BASES",
    "DB_TYPE_OVERRIDES",
    "ENUM_LENGTH",
    "FIELD_TYPES",
    "ID_TYPES",
    "MYSQL_TEXT_LIMIT",
    "PROJECT_COLUMN_TYPES",
    "FieldType",
    "Import",
]
