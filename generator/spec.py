"""The model-spec grammar of design.md, parsed into frozen dataclasses.

Every validation of a spec happens here, so that `new --model`, `--models-file` entries, interactive
prompts and `add-model` reject the same input with the same message. A parsed spec is stored in
`.copier-answers.yml` as the plain mapping of `ModelSpec.to_answer()`, which is what the templates read.

The checks are on the dataclasses (`check_field`, `check_model`): the parser only turns text into a
FieldSpec and hands it to them, and a model read back from the answers file (`model_from_answer`) or
derived from a database (generator.reflect) goes through the very same checks, never through text.
"""

from __future__ import annotations

import datetime as dt
import keyword
import re
import shlex
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import Any, TypeGuard

from generator import field_types
from generator.errors import SpecError
from generator.naming import plural, singular, singular_model_name, snake_case
from generator.ordering import refs_first

# The grammar's types are the rows of the field-type table (generator.field_types).
FIELD_TYPES = tuple(field_types.FIELD_TYPES)
# Types that hold a value of their own in the model's table (not `ref` or `m2m`).
SCALAR_TYPES = tuple(name for name in FIELD_TYPES if name not in ("ref", "m2m"))
# Types that name another model: a foreign key column, or a link table.
RELATION_TYPES = ("ref", "m2m")
# Types whose values `min=`/`max=` bound, and types whose length they bound.
NUMBER_TYPES = ("int", "bigint", "float", "decimal")
LENGTH_TYPES = ("str", "text")
# Types with so few values that a unique constraint would allow only as many rows.
FEW_VALUED_TYPES = ("bool", "enum")

DEFAULT_STR_LENGTH = 255
# MySQL: VARCHAR holds at most 65,535 bytes, 4 per utf8mb4 character; an index key holds 3,072 bytes.
MAX_STR_LENGTH = 16_383
MAX_INDEXED_STR_LENGTH = 768
# MySQL's DECIMAL limits, the tightest of the three databases.
MAX_DECIMAL_PRECISION = 65
MAX_DECIMAL_SCALE = 30
INT_RANGES = {"int": (-(2**31), 2**31 - 1), "bigint": (-(2**63), 2**63 - 1)}
# An enum is stored as VARCHAR(ENUM_LENGTH), whatever its values: adding a value later needs no
# change to the table. Its values are lowercase identifiers (the Python members are their upper case).
ENUM_LENGTH = field_types.ENUM_LENGTH
ENUM_VALUE = re.compile(r"^[a-z][a-z0-9_]*$")
MAX_ENUM_VALUES = 100
DB_ENUM_VALUE = re.compile(r"[^'\"\\\x00-\x1f\x7f]{1,64}")
# Names of the classes every model's schemas module defines, `Book` + suffix: an enum field's class
# (`Book` + `Status`) must not take one of them.
SCHEMA_CLASS_SUFFIXES = frozenset(
    {"Create", "Update", "Read", "Query", "OrderBy", "Include", "WithRelations"}
)
# MySQL's limit on the bytes of one index key (InnoDB, DYNAMIC rows), and the widest a value of each
# type can be in it; a str takes 4 bytes a character (utf8mb4).
MAX_KEY_BYTES = 3072
KEY_BYTES = {"text": 0, "json": 0, "enum": 4 * ENUM_LENGTH}
# Database identifiers: PostgreSQL keeps 63 bytes of a name.
MAX_IDENTIFIER = 63

# Exact column types of an existing database that the grammar's types do not spell (`--from-database`),
# by the grammar type they refine, and the key types beside Integer.
DB_TYPES = field_types.DB_TYPE_BASES
ID_TYPES = tuple(field_types.ID_TYPES)
# Real table, column and constraint names are printed inside Python string literals.
DB_NAME = re.compile(r'[^"\\\x00-\x1f\x7f]{1,64}')
# A server default is printed as `text("...")`: one line, no quote or backslash to escape.
SERVER_DEFAULT = re.compile(r'[^"\\\x00-\x1f\x7f]{1,200}')

# An exact type of an existing database's column, printed as code: `postgresql.ARRAY(postgresql.TEXT())`.
SA_TYPE = re.compile(r"(postgresql|mysql|sqlite)\.[A-Z][A-Za-z_]*\([A-Za-z0-9_.,=' ()-]{0,400}\)")
REFERENTIAL_ACTIONS = ("CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT", "NO ACTION")

# Columns and attributes every generated model or schema already has, and query parameters of the
# list endpoint that a same-named filter would shadow.
TIMESTAMP_FIELD_NAMES = frozenset({"created_at", "updated_at"})
# Types the generated models and schemas name in annotations, and names linters refuse as ambiguous.
TYPE_NAMES = frozenset(
    {"str", "int", "float", "bool", "bytes", "dict", "list", "set", "tuple", "type", "object"}
    | {"date", "datetime", "time", "timedelta", "decimal", "uuid", "any", "enum", "annotated", "literal"}
)
AMBIGUOUS_NAMES = frozenset({"l"})
RESERVED_FIELD_NAMES = frozenset(
    {
        "id",
        *TIMESTAMP_FIELD_NAMES,
        "metadata",
        "registry",
        "limit",
        "offset",
        "order_by",
        # pydantic.BaseModel's public members
        "construct",
        "copy",
        "dict",
        "from_orm",
        "json",
        "parse_file",
        "parse_obj",
        "parse_raw",
        "schema",
        "schema_json",
        "update_forward_refs",
        "validate",
    }
)
# Modules every generated package has beside the model packages, and names the generated code imports.
RESERVED_MODULE_NAMES = frozenset(
    {
        "config",
        "crud",
        "database",
        "errors",
        "health",
        "main",
        "models",
        "pagination",
        "column_types",
        # --queue: the outbox, the user's handlers, the taskiq worker.
        "outbox",
        "events",
        "worker",
    }
)
RESERVED_MODEL_NAMES = frozenset(
    {"Any", "Base", "Decimal", "UUID", "Mapped", "Page", "Settings", "AlembicVersion"}
)

MODEL_NAME = re.compile(r"^[A-Z][A-Za-z0-9]*$")
# Alembic revision ids asyncrud records become file names (`<revision>.py`): nothing else may pass.
REVISION = re.compile(r"[A-Za-z0-9_]{1,64}")
FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
MODIFIERS = ("optional", "unique", "index")
BOUNDS = ("min", "max")
_SIZED_TYPE = re.compile(r"^(?P<type>[a-z0-9]+)(?:\((?P<args>[^()]*)\))?(?P<optional>\?)?$")
_MODEL_UNIQUE = re.compile(r"^@unique\((?P<fields>[^()]*)\)$")


@dataclass(frozen=True)
class FieldSpec:
    """One field of a model: a column, or for `ref` a foreign key column plus a relationship."""

    name: str
    type: str = "str"
    length: int | None = None
    precision: int | None = None
    scale: int | None = None
    ref: str | None = None  # the model of a `ref(Model)` or `m2m(Model)`
    choices: tuple[str, ...] | None = None  # the values of `enum(a,b,...)`
    optional: bool = False
    unique: bool = False
    index: bool = False
    # Bounds (`min=N`, `max=N`): of the value for numbers, of the length for str and text.
    min: Any = None
    max: Any = None
    default: Any = None
    # What an existing database (`--from-database`) needs beyond the grammar; None/True keep the
    # grammar's behaviour, and `to_answer()` leaves them out then.
    db_name: str | None = None  # the real column name when it is not `column` (`class` -> `class_`)
    db_type: str | None = None  # an exact type of DB_TYPES
    server_default: str | None = None  # SQL text, as the database reports it
    unique_name: str | None = None  # the real constraint/index names when not the naming convention's
    index_name: str | None = None
    ref_index: bool = True  # False: the foreign key column has no index
    # The exact SQLAlchemy type of the column when no grammar type spells it (`postgresql.JSONB()`,
    # `mysql.INTEGER(unsigned=True)`): the model and the migration print it, the API keeps `type`'s form.
    sa_type: str | None = None
    # A foreign key's referential actions (`ON DELETE CASCADE`), as the database has them.
    ondelete: str | None = None
    onupdate: str | None = None
    # An m2m field over an existing link table: its owner and target columns (`db_name` is the table).
    link_columns: tuple[str, str] | None = None
    # The Alembic revision that added the field to an existing table (`add-field`); None for a field
    # created with its table.
    revision: str | None = None

    @property
    def column(self) -> str:
        """The attribute, request and response name: `author` of type ref(Author) is stored as
        `author_id`; `tags` of type m2m(Tag) is sent and read as `tag_ids`."""
        if self.type == "ref":
            return f"{self.name}_id"
        if self.type == "m2m":
            return f"{singular(self.name)}_ids"
        return self.name

    @property
    def db_column(self) -> str:
        """The column's name in the database: `db_name` where an existing table names it otherwise."""
        return self.db_name or self.column

    def to_answer(self) -> dict[str, Any]:
        answer: dict[str, Any] = {"name": self.name, "type": self.type}
        for key in ("length", "precision", "scale", "ref", "min", "max", "default"):
            value = getattr(self, key)
            if value is not None:
                answer[key] = value
        if self.choices is not None:
            answer["choices"] = list(self.choices)
        for key in MODIFIERS:
            if getattr(self, key):
                answer[key] = True
        answer.update(self.database_details())
        if self.revision is not None:
            answer["revision"] = self.revision
        return answer

    def database_details(self) -> dict[str, Any]:
        """The attributes beyond the grammar that differ from their defaults."""
        details: dict[str, Any] = {
            key: getattr(self, key)
            for key in (
                "db_name",
                "db_type",
                "server_default",
                "unique_name",
                "index_name",
                "sa_type",
                "ondelete",
                "onupdate",
            )
            if getattr(self, key) is not None
        }
        if not self.ref_index:
            details["ref_index"] = False
        if self.link_columns is not None:
            details["link_columns"] = list(self.link_columns)
        return details

    def to_spec(self) -> str:
        """The field in the grammar it was parsed from, quoted for a shell; `parse_field(f.to_spec()) == f`."""
        return shlex.quote(self.token())

    def token(self) -> str:
        """The field as one token of the grammar: `title:str(200):unique`."""
        parts = [self.name, _type_text(self)]
        parts += [flag for flag in MODIFIERS if getattr(self, flag)]
        parts += [f"{key}={getattr(self, key)}" for key in BOUNDS if getattr(self, key) is not None]
        if self.default is not None:
            parts.append(f"default={_default_text(self.default)}")
        return ":".join(parts)


@dataclass(frozen=True)
class KeptColumn:
    """A column of an existing table that the API does not serve: its real name, the model's
    attribute for it, its exact SQLAlchemy type and what the table says of it."""

    name: str
    key: str
    sa_type: str
    optional: bool = True
    server_default: str | None = None
    # An index of the column alone, and its method where not the default one (`gist`).
    index_name: str | None = None
    index_using: str | None = None

    def to_answer(self) -> dict[str, Any]:
        answer: dict[str, Any] = {"name": self.name, "key": self.key, "sa_type": self.sa_type}
        for key in ("index_name", "index_using"):
            if getattr(self, key) is not None:
                answer[key] = getattr(self, key)
        if not self.optional:
            answer["optional"] = False
        if self.server_default is not None:
            answer["server_default"] = self.server_default
        return answer


@dataclass(frozen=True)
class TableKey:
    """A key over several columns of an existing table (`--from-database`), under the database's own
    name. As for a field, `index` alone is a plain index (`emp_name_ix` on last_name, first_name),
    `unique` alone a unique constraint (the name of the model's `@unique(...)` over the same fields,
    if it has one), both a unique index. `fields` are the model's field names (a ref's own:
    `author`), kept columns' keys or `id`, in the key's column order."""

    name: str
    fields: tuple[str, ...]
    unique: bool = False
    index: bool = True
    # A partial index's condition, SQL as the database reports it (`(return_date IS NULL)`).
    where: str | None = None

    def to_answer(self) -> dict[str, Any]:
        answer: dict[str, Any] = {"name": self.name, "fields": list(self.fields)}
        if self.unique:
            answer["unique"] = True
        if not self.index:
            answer["index"] = False
        if self.where is not None:
            answer["where"] = self.where
        return answer


@dataclass(frozen=True)
class ModelSpec:
    """A model: its name and fields. `revision` is set for models that `add-model` added; `removed`
    is the revision that dropped the table of a model `remove-model` removed. A removed model stays
    in the answers, for the revisions that created it and added its fields: the migrations are
    history, and `copier recopy` renders them again."""

    name: str
    fields: tuple[FieldSpec, ...] = field(default=())
    revision: str | None = None
    down_revision: str | None = None
    removed: str | None = None
    # For a table of an existing database (`--from-database`): its real name when it is not `snake`,
    # its primary key column and type when not an integer `id`, and no created_at/updated_at.
    table: str | None = None
    id_column: str | None = None
    id_type: str | None = None
    timestamps: bool = True
    # Composite unique constraints (`@unique(a,b)`): each a tuple of field names.
    unique: tuple[tuple[str, ...], ...] = ()
    # A key the database does not number (no sequence, no auto-increment): a create sends the id.
    id_supplied: bool = False
    # The key's exact type when the grammar's integers do not spell it (`mysql.INTEGER(unsigned=True)`).
    id_sa_type: str | None = None
    # SQLite reports an INTEGER PRIMARY KEY column as nullable; the model says so too.
    id_nullable: bool = False
    # Columns of an existing table that the API leaves out (a type with no API form): kept in the
    # model, so that Alembic sees the table as it is.
    kept: tuple[KeptColumn, ...] = ()
    # Keys of an existing table over several columns, by their own names: its composite indexes, and
    # the name and form (constraint or unique index) of each `@unique(...)` it came with.
    table_keys: tuple[TableKey, ...] = ()

    @property
    def snake(self) -> str:
        return snake_case(self.name)

    @property
    def plural(self) -> str:
        return plural(self.snake)

    @property
    def refs(self) -> tuple[str, ...]:
        """The models this model's foreign keys point to (which must be created first)."""
        return tuple(f.ref for f in self.fields if f.type == "ref" and f.ref is not None)

    @property
    def related(self) -> tuple[str, ...]:
        """Every model a `ref()` or `m2m()` field names."""
        return tuple(f.ref for f in self.fields if f.type in RELATION_TYPES and f.ref is not None)

    def to_answer(self) -> dict[str, Any]:
        answer: dict[str, Any] = {
            "name": self.name,
            "fields": [f.to_answer() for f in self.fields],
        }
        if self.revision is not None:
            answer["revision"] = self.revision
            answer["down_revision"] = self.down_revision
        if self.removed is not None:
            answer["removed"] = self.removed
        for key in ("table", "id_column", "id_type", "id_sa_type"):
            if getattr(self, key) is not None:
                answer[key] = getattr(self, key)
        if not self.timestamps:
            answer["timestamps"] = False
        if self.unique:
            answer["unique"] = [list(names) for names in self.unique]
        if self.id_supplied:
            answer["id_supplied"] = True
        if self.id_nullable:
            answer["id_nullable"] = True
        if self.kept:
            answer["kept"] = [column.to_answer() for column in self.kept]
        if self.table_keys:
            answer["table_keys"] = [key.to_answer() for key in self.table_keys]
        return answer

    def to_spec(self) -> str:
        uniques = [f"@unique({','.join(names)})" for names in self.unique]
        return " ".join([self.name, *(f.to_spec() for f in self.fields), *uniques])


def parse_model(text: str) -> ModelSpec:
    """Parse `ModelName FIELD...` (design.md's grammar) and validate the model on its own."""
    try:
        tokens = shlex.split(text)
    except ValueError as error:
        raise SpecError(f"cannot split the spec into tokens ({error})", text) from None
    if not tokens:
        raise SpecError("empty model spec; expected 'ModelName field[:type][:modifier]...'", text)
    name, *field_tokens = _join_parentheses(tokens)
    check_model_name(name)
    fields: list[FieldSpec] = []
    uniques: list[tuple[str, ...]] = []
    for token in field_tokens:
        if token.startswith("@"):
            uniques.append(parse_model_unique(token))
        else:
            fields.append(parse_field(token))
    return _checked_model(ModelSpec(name=name, fields=tuple(fields), unique=tuple(uniques)))


def parse_model_unique(token: str) -> tuple[str, ...]:
    """`@unique(title,author)`: the names of a composite unique constraint (checked with the model)."""
    match = _MODEL_UNIQUE.match(token)
    if match is None:
        raise SpecError("unknown model option (expected @unique(field,field,...))", token)
    return tuple(name.strip() for name in match["fields"].split(","))


def _join_parentheses(tokens: list[str]) -> list[str]:
    """`enum(a, b)` and `@unique(a, b)` typed with spaces are one token each."""
    joined: list[str] = []
    for token in tokens:
        # A default's text is the user's own: its parentheses open nothing.
        typed = joined[-1].partition("default=")[0] if joined else ""
        if joined and typed.count("(") > typed.count(")"):
            joined[-1] += token
        else:
            joined.append(token)
    return joined


def parse_new_fields(
    model: ModelSpec, tokens: Sequence[str], models: Iterable[ModelSpec]
) -> tuple[FieldSpec, ...]:
    """Fields to add to the table of `model` (`add-field`), in a project whose models are `models`.

    Each token is parsed as `new` parses it; none may name a field the model has, a `ref()` must
    name a model of the project, and the table's existing rows must be able to take every field: a
    required field needs a default, and a unique one must be optional (rows would share a default).
    """
    if not tokens:
        raise SpecError("give the fields to add: name[:type][:modifier]...", model.name)
    fields = tuple(parse_field(token, _reserved_names(model)) for token in tokens)
    names = {m.name for m in models}
    has = {member for spec in model.fields for member in (spec.name, spec.column)}
    for spec, token in zip(fields, tokens, strict=True):
        if {spec.name, spec.column} & has:
            raise SpecError(f"model {model.name} has this field already", token)
        if spec.type == "m2m":
            raise SpecError(
                "add-field adds columns; an m2m field is a link table of its own: add it with the model "
                "(add-model) or write its revision by hand",
                token,
            )
        if spec.min is not None or spec.max is not None:
            raise SpecError(
                "add-field cannot add the CHECK constraint of min=/max= to a table that has rows: "
                "add the field without bounds",
                token,
            )
        if spec.ref is not None and spec.ref not in names:
            raise SpecError(f"ref() to an unknown model in {model.name}", f"ref({spec.ref})")
        if not spec.optional and spec.default is None:
            raise SpecError(
                f"{model.name} may have rows already, which need a value for a new field: "
                "make it optional (`type?` or `:optional`) or give it a default (`:default=VALUE`)",
                token,
            )
        if spec.unique and not spec.optional:
            raise SpecError(
                f"{model.name} may have rows already, which would all get the same default: "
                "make a new unique field optional",
                token,
            )
    _checked_model(replace(model, fields=(*model.fields, *fields)))
    return fields


def check_model_name(name: str) -> None:
    if not (isinstance(name, str) and MODEL_NAME.match(name)):
        raise SpecError(
            "model name must be PascalCase (a capital letter, then letters and digits)", str(name)
        )
    if name in RESERVED_MODEL_NAMES or snake_case(name) in RESERVED_MODULE_NAMES:
        raise SpecError("model name clashes with a name the generated project already uses", name)
    if keyword.iskeyword(name) or keyword.iskeyword(snake_case(name)):
        # `None` cannot name a class, nor `from` (the module of `From`) a module.
        raise SpecError("model name is a Python keyword, or its module name is", name)
    one = singular_model_name(name)
    if one is not None:
        raise SpecError(
            f"model name must be singular (its collection path is the plural): name it {one}", name
        )


def parse_field(token: str, reserved: frozenset[str] = RESERVED_FIELD_NAMES) -> FieldSpec:
    """Parse `name[:type][:modifier]...`; `default=VALUE` is last and takes the rest of the token.

    Only the text is checked here: the FieldSpec it spells goes through `check_field`, as a field of
    the answers file does. `reserved` are the names the model already has (a model without
    timestamps frees two).
    """
    name, _, rest = token.partition(":")
    parts: list[str] = []
    default_text: str | None = None
    while rest:
        if rest.startswith("default="):
            default_text = rest[len("default=") :]
            break
        part, _, rest = rest.partition(":")
        parts.append(part)
    type_text = "str"
    if parts and parts[0] not in MODIFIERS:
        type_text = parts.pop(0)
    spec = _parse_type(name, type_text)
    for modifier in parts:
        key, equals, value = modifier.partition("=")
        if equals and key in BOUNDS:
            if getattr(spec, key) is not None:
                raise SpecError("modifier given twice", f"{name}:{key}=")
            bound: dict[str, Any] = {key: value}
            spec = replace(spec, **bound)
            continue
        if modifier not in MODIFIERS:
            raise SpecError(
                "unknown modifier (expected optional, unique, index, min=N, max=N or default=VALUE)", modifier
            )
        if getattr(spec, modifier):
            raise SpecError("modifier given twice", f"{name}:{modifier}")
        flag: dict[str, Any] = {modifier: True}
        spec = replace(spec, **flag)
    return check_field(replace(spec, default=default_text), reserved)


def _parse_type(name: str, text: str) -> FieldSpec:
    """The type of a field token: `str(200)`, `decimal(10,2)?`, `ref(Author)`; its values are checked
    by `check_field`."""
    match = _SIZED_TYPE.match(text)
    if match is None:
        raise SpecError(f"unknown field type (expected one of {', '.join(FIELD_TYPES)})", text)
    kind, args = match["type"], match["args"]
    spec = FieldSpec(name=name, type=kind, optional=bool(match["optional"]))
    if args is None:
        return spec
    if kind == "str":
        return replace(spec, length=_int_arg(args, text))
    if kind == "decimal":
        numbers = args.split(",")
        if len(numbers) != 2:
            raise SpecError("decimal needs a precision and a scale: decimal(P,S)", text)
        precision, scale = (_int_arg(number, text) for number in numbers)
        return replace(spec, precision=precision, scale=scale)
    if kind in RELATION_TYPES:
        return replace(spec, ref=args.strip())
    if kind == "enum":
        return replace(
            spec, choices=tuple(value.strip() for value in args.split(",")) if args.strip() else ()
        )
    if kind in SCALAR_TYPES:
        raise SpecError(f"type {kind} takes no arguments", text)
    return spec  # an unknown type, which check_field names


def _int_arg(text: str, token: str) -> int:
    if not re.fullmatch(r"\s*\d{1,6}\s*", text):
        raise SpecError("expected a whole number", token)
    return int(text)


def check_field(spec: FieldSpec, reserved: frozenset[str] = RESERVED_FIELD_NAMES) -> FieldSpec:
    """Every check of one field, whether it was parsed from the grammar or read from the answers file.

    Returns the field in the form the answers file stores: a str field's length filled in, the
    default as a value of the field's type (the grammar gives it as text, YAML as what YAML read).
    """
    _check_field_name(spec.name, reserved)
    _check_type(spec)
    _check_flags(spec)
    if spec.type == "str" and spec.length is None:
        spec = replace(spec, length=DEFAULT_STR_LENGTH)
    if isinstance(spec.choices, list):  # as YAML reads it
        spec = replace(spec, choices=tuple(spec.choices))
    if isinstance(spec.link_columns, list):
        spec = replace(spec, link_columns=tuple(spec.link_columns))
    _check_type_arguments(spec)
    _check_relation_modifiers(spec)
    spec = _checked_bounds(spec)
    if spec.default is not None:
        spec = replace(spec, default=default_value(spec, spec.default))
        _check_default_in_bounds(spec)
    _check_keys(spec)
    _check_database_details(spec)
    check_revision(spec.revision)
    return spec


def _check_field_name(name: str, reserved: frozenset[str]) -> None:
    if not (isinstance(name, str) and FIELD_NAME.match(name)):
        raise SpecError("field name must be snake_case (lowercase letters, digits, '_')", str(name))
    if keyword.iskeyword(name):
        raise SpecError("field name is a Python keyword", name)
    if name in reserved or name.startswith("model_"):
        raise SpecError("field name clashes with a member every generated model has", name)
    if name in TYPE_NAMES:
        # `float: Mapped[float]` in a class body makes the later `float` annotations mean the field.
        raise SpecError("field name shadows a type the generated code annotates with", name)
    if name in AMBIGUOUS_NAMES:
        raise SpecError("field name is ambiguous in code (l looks like 1); choose another", name)


def _check_type(spec: FieldSpec) -> None:
    if spec.type not in FIELD_TYPES:
        raise SpecError(f"unknown field type (expected one of {', '.join(FIELD_TYPES)})", str(spec.type))


def _check_flags(spec: FieldSpec) -> None:
    for flag in (*MODIFIERS, "ref_index"):
        if not isinstance(getattr(spec, flag), bool):
            raise SpecError(f"{flag} must be true or false", str(getattr(spec, flag)))


# The attributes that are a type's arguments in the grammar: `str(N)`, `decimal(P,S)`, `ref(Model)`,
# `m2m(Model)`, `enum(a,b)`.
_TYPE_ARGUMENTS = {
    "str": ("length",),
    "decimal": ("precision", "scale"),
    "ref": ("ref",),
    "m2m": ("ref",),
    "enum": ("choices",),
}


def _check_type_arguments(spec: FieldSpec) -> None:
    for key in ("length", "precision", "scale", "ref", "choices"):
        if getattr(spec, key) is not None and key not in _TYPE_ARGUMENTS.get(spec.type, ()):
            raise SpecError(f"type {spec.type} takes no {key}", f"{spec.name}:{key}={getattr(spec, key)}")
    text = _type_text(spec)
    if spec.type == "str" and not (_is_int(spec.length) and 1 <= spec.length <= MAX_STR_LENGTH):
        raise SpecError(f"str(N) needs 1 <= N <= {MAX_STR_LENGTH}", text)
    if spec.type == "decimal":
        precision, scale = spec.precision, spec.scale
        if precision is None or scale is None:
            raise SpecError("decimal needs a precision and a scale: decimal(P,S)", text)
        if not (
            _is_int(precision)
            and _is_int(scale)
            and 1 <= precision <= MAX_DECIMAL_PRECISION
            and 0 <= scale <= min(precision, MAX_DECIMAL_SCALE)
        ):
            raise SpecError(
                f"decimal(P,S) needs 1 <= P <= {MAX_DECIMAL_PRECISION} and 0 <= S <= min(P, {MAX_DECIMAL_SCALE})",
                text,
            )
    if spec.type == "enum":
        _check_choices(spec)
    if spec.type == "m2m":
        if not (isinstance(spec.ref, str) and MODEL_NAME.match(spec.ref)):
            raise SpecError("m2m needs a PascalCase model name: m2m(Model)", text)
        if spec.name.endswith(("_id", "_ids")):
            raise SpecError(
                f"name an m2m field after the related rows ('tags'); the API takes their ids as {spec.column}",
                f"{spec.name}:{text}",
            )
    if spec.type == "ref":
        if not (isinstance(spec.ref, str) and MODEL_NAME.match(spec.ref)):
            raise SpecError("ref needs a PascalCase model name: ref(Model)", text)
        if spec.name.endswith("_id"):
            raise SpecError(
                f"name a ref field after the relationship ('{spec.name[:-3]}'); its column gets the _id suffix",
                f"{spec.name}:{text}",
            )


def _check_choices(spec: FieldSpec) -> None:
    text = _type_text(spec)
    choices = spec.choices
    if not isinstance(choices, tuple) or not choices or not all(isinstance(c, str) for c in choices):
        raise SpecError("enum needs its values: enum(a,b,...)", text)
    for value in choices:
        if spec.sa_type is not None:  # an existing database's enum type: its own values
            if not DB_ENUM_VALUE.fullmatch(value):
                raise SpecError(
                    "an enum value of a database is 1-64 characters, no quote or backslash", value
                )
            continue
        if not ENUM_VALUE.match(value) or len(value) > ENUM_LENGTH:
            raise SpecError(
                f"an enum value is a lowercase identifier of at most {ENUM_LENGTH} characters "
                "(a letter, then letters, digits, '_')",
                value or text,
            )
    if len(set(choices)) != len(choices):
        raise SpecError("an enum value is given twice", text)
    if len(choices) > MAX_ENUM_VALUES:
        raise SpecError(f"an enum has at most {MAX_ENUM_VALUES} values", f"{spec.name}:enum(...)")


def _check_relation_modifiers(spec: FieldSpec) -> None:
    """What cannot go with the type: bounds on what has no size, unique on what has few values,
    anything on a set of links."""
    token = spec.token()
    if spec.type == "m2m":
        for key in (*MODIFIERS, *BOUNDS, "default"):
            if getattr(spec, key) not in (None, False):
                raise SpecError(
                    f"an m2m field takes no {key}: it is a set of links, empty when none, "
                    "each link unique, in a table keyed by both ids",
                    token,
                )
    for key in BOUNDS:
        if getattr(spec, key) is not None and spec.type not in (*NUMBER_TYPES, *LENGTH_TYPES):
            raise SpecError(
                f"{key}= bounds numbers (int, bigint, float, decimal) and the length of str and text; "
                f"not a {spec.type}",
                token,
            )
    if spec.unique and spec.type in FEW_VALUED_TYPES:
        raise SpecError(
            f"{_article(spec.type)} {spec.type} field cannot be unique: the table could hold only as many rows as it has "
            "values (a composite @unique(...) with another field can)",
            token,
        )


def _checked_bounds(spec: FieldSpec) -> FieldSpec:
    """`min`/`max` as values of the field's type (lengths for str and text), within what it holds."""
    for key in BOUNDS:
        value = getattr(spec, key)
        if value is None:
            continue
        token = f"{spec.name}:{key}={_default_text(value)}"
        try:
            if spec.type in LENGTH_TYPES:
                bound: Any = value if _is_int(value) else int(_text(value))
                if bound < (1 if key == "max" else 0):
                    raise ValueError("a length is at least 0, and max= at least 1")
            else:
                bound = _typed_default(spec, value)
        except (ValueError, TypeError) as error:
            raise SpecError(f"bad {key} for type {spec.type} ({error})", token) from None
        limit = spec.length if spec.type == "str" else field_types.MYSQL_TEXT_LIMIT
        if spec.type in LENGTH_TYPES and limit is not None and bound > limit:
            what = f"str({limit})" if spec.type == "str" else f"text on MySQL ({limit} characters)"
            raise SpecError(f"{key}= is longer than a {what} holds", token)
        spec = replace(spec, **{key: bound})
    low, high = spec.min, spec.max
    if low is not None and high is not None and _number(low) > _number(high):
        raise SpecError("min= is greater than max=", f"{spec.name}:min={low}:max={high}")
    return spec


def _number(value: Any) -> Decimal:
    return Decimal(str(value))


def _check_default_in_bounds(spec: FieldSpec) -> None:
    value = spec.default
    size = len(value) if spec.type in LENGTH_TYPES else value
    if spec.type not in (*NUMBER_TYPES, *LENGTH_TYPES):
        return
    token = f"{spec.name}:default={_default_text(value)}"
    if spec.min is not None and _number(size) < _number(spec.min):
        raise SpecError(f"the default is below min={spec.min}", token)
    if spec.max is not None and _number(size) > _number(spec.max):
        raise SpecError(f"the default is above max={spec.max}", token)


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _type_text(spec: FieldSpec) -> str:
    """The type as the grammar spells it: `str(200)`, `decimal(10,2)`, `ref(Author)`; `str` for 255."""
    if spec.type in RELATION_TYPES and spec.ref is not None:
        return f"{spec.type}({spec.ref})"
    if spec.type == "enum" and isinstance(spec.choices, tuple):
        return f"enum({','.join(spec.choices)})"
    if spec.type == "decimal" and spec.precision is not None and spec.scale is not None:
        return f"decimal({spec.precision},{spec.scale})"
    if spec.type == "str" and spec.length not in (None, DEFAULT_STR_LENGTH):
        return f"str({spec.length})"
    return str(spec.type)


def default_value(spec: FieldSpec, value: object) -> Any:
    """The default as the typed value the answers file stores, from the grammar's text or from a value
    as YAML read it (`2024-01-31` is a date there); a value the type cannot hold is an error."""
    kind = spec.type
    token = f"{spec.name}:default={_default_text(value)}"
    if kind in ("ref", "m2m", "json"):
        raise SpecError(f"a {kind} field cannot have a default", token)
    try:
        return _typed_default(spec, value)
    except (ValueError, TypeError) as error:
        raise SpecError(f"bad default for type {kind} ({error})", token) from None


def _typed_default(spec: FieldSpec, value: object) -> Any:
    kind = spec.type
    if kind in ("str", "text"):
        text = _text(value)
        if spec.length is not None and len(text) > spec.length:
            raise ValueError(f"longer than {spec.length} characters")
        # What the generated schemas refuse (PostgreSQL stores no NUL; undecodable bytes of the
        # command line arrive as lone surrogates, which no database stores) is no default either.
        if "\x00" in text or not _encodes(text):
            raise ValueError("holds a NUL character or bytes that are not UTF-8")
        return text
    if kind in INT_RANGES:
        number = value if _is_int(value) else int(_text(value))
        low, high = INT_RANGES[kind]
        if not low <= number <= high:
            raise ValueError(f"outside the {kind} range")
        return number
    if kind == "float":
        real = float(value) if _is_int(value) or isinstance(value, float) else float(_text(value))
        if real != real or real in (float("inf"), float("-inf")):
            raise ValueError("not a finite number")
        return real
    if kind == "decimal":
        return _decimal_default(
            spec, str(value) if _is_int(value) or isinstance(value, float) else _text(value)
        )
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if _text(value).lower() not in ("true", "false"):
            raise ValueError("expected true or false")
        return _text(value).lower() == "true"
    if kind == "date":
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value.isoformat()
        return dt.date.fromisoformat(_text(value)).isoformat()
    if kind == "datetime":
        if isinstance(value, dt.datetime):
            return value.isoformat()
        return dt.datetime.fromisoformat(_text(value)).isoformat()
    if kind == "uuid":
        return str(value if isinstance(value, uuid.UUID) else uuid.UUID(_text(value)))
    if kind == "time":
        if isinstance(value, dt.time):
            parsed = value
        elif _is_int(value):  # YAML 1.1 reads 10:30:00 as a number of seconds
            parsed = (dt.datetime.min + dt.timedelta(seconds=value)).time()
        else:
            parsed = dt.time.fromisoformat(_text(value))
        if parsed.tzinfo is not None:
            raise ValueError("a time of day has no UTC offset")
        return parsed.isoformat()
    if kind == "enum":
        assert spec.choices is not None
        if _text(value) not in spec.choices:
            raise ValueError(f"not one of {', '.join(spec.choices)}")
        return value
    raise AssertionError(kind)  # pragma: no cover - every type is handled above


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, not {type(value).__name__}")
    return value


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _decimal_default(spec: FieldSpec, text: str) -> str:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError("not a decimal number") from None
    assert spec.precision is not None and spec.scale is not None
    if not value.is_finite():
        raise ValueError("not a finite number")
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    integer_digits = len(str(abs(int(value)))) if int(value) else 0
    fits = integer_digits <= spec.precision - spec.scale
    if fits and -exponent > spec.scale:
        # Zeros past the scale (99.990 in decimal(10,2)) change nothing; other digits do not fit.
        scaled = value.quantize(Decimal(1).scaleb(-spec.scale))
        fits, value = scaled == value, scaled
    if not fits:
        raise ValueError(f"does not fit decimal({spec.precision},{spec.scale})")
    # Plain notation, as the schemas, CHECK constraints and answers print it (1E+1 is 10, -0 is 0):
    # MySQL reads a literal with an exponent as a float, and compares the column as one.
    return f"{value + 0:f}"


def _default_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _check_keys(spec: FieldSpec) -> None:
    if spec.sa_type is not None:
        return  # an existing database's own column: its database's rules hold, and held already
    token = spec.token()
    if (spec.unique or spec.index) and spec.type in ("text", "json"):
        raise SpecError(f"a {spec.type} field cannot be unique or indexed (MySQL cannot index it)", token)
    if (spec.unique or spec.index) and spec.type == "str":
        assert spec.length is not None
        if spec.length > MAX_INDEXED_STR_LENGTH:
            raise SpecError(
                f"a unique or indexed str field holds at most {MAX_INDEXED_STR_LENGTH} characters (MySQL's key limit)",
                token,
            )


def _check_database_details(spec: FieldSpec) -> None:
    for key in ("db_name", "unique_name", "index_name"):
        _check_db_name(key, getattr(spec, key))
    if spec.db_type is not None and DB_TYPES.get(spec.db_type) != spec.type:
        refines = ", ".join(name for name, base in DB_TYPES.items() if base == spec.type) or "none"
        raise SpecError(f"db_type of a {spec.type} field must be one of: {refines}", str(spec.db_type))
    default = spec.server_default
    if default is not None and not (isinstance(default, str) and SERVER_DEFAULT.fullmatch(default)):
        raise SpecError("server_default must be one line of SQL without '\"' or backslashes", str(default))
    if not spec.ref_index and spec.type not in RELATION_TYPES:
        raise SpecError("ref_index applies to ref and m2m fields only", spec.name)
    if spec.link_columns is not None:
        columns = spec.link_columns
        if spec.type != "m2m" or len(columns) != 2 or spec.db_name is None:
            raise SpecError("link_columns name the two columns of an m2m field's link table", str(columns))
        for column in columns:
            _check_db_name("link column", column)
    if spec.sa_type is not None:
        check_sa_type(spec.sa_type)
    for key in ("ondelete", "onupdate"):
        action = getattr(spec, key)
        if action is not None and (spec.type not in RELATION_TYPES or action not in REFERENTIAL_ACTIONS):
            raise SpecError(
                f"{key} applies to ref fields and is one of: {', '.join(REFERENTIAL_ACTIONS)}", str(action)
            )


def check_sa_type(text: object) -> str:
    """An exact SQLAlchemy type as the answers file records it: a call of a dialect's type."""
    if not (isinstance(text, str) and SA_TYPE.fullmatch(text)):
        raise SpecError("sa_type must be a dialect type such as postgresql.JSONB()", str(text))
    return text


def check_model(model: ModelSpec) -> ModelSpec:
    """Every check of one model as data: its name, each field (`check_field`), the fields together.

    `parse_model` applies the same checks to a spec; returns the model with its fields as stored.
    """
    check_model_name(model.name)
    reserved = _reserved_names(model)
    return _checked_model(replace(model, fields=tuple(check_field(spec, reserved) for spec in model.fields)))


def _reserved_names(model: ModelSpec) -> frozenset[str]:
    # A table of an existing database without timestamps may have its own created_at/updated_at.
    return RESERVED_FIELD_NAMES if model.timestamps else RESERVED_FIELD_NAMES - TIMESTAMP_FIELD_NAMES


def _checked_model(model: ModelSpec) -> ModelSpec:
    """The checks of a model's fields together: distinct names and columns, self references, and the
    table's database details."""
    columns: set[str] = set()
    # Real column names must be distinct too, and clear of the columns the generated Model adds.
    db_columns = {model.id_column or "id"} | (set(TIMESTAMP_FIELD_NAMES) if model.timestamps else set())
    for spec in model.fields:
        for member in {spec.name, spec.column}:
            if member in columns:
                raise SpecError(f"duplicate field in model {model.name}", member)
            columns.add(member)
        db_column = spec.db_column
        if db_column in db_columns:
            raise SpecError(f"duplicate column in model {model.name}", db_column)
        db_columns.add(db_column)
        if spec.type == "ref" and spec.ref == model.name and not spec.optional:
            raise SpecError("a reference to the model itself must be optional", spec.token())
        if spec.type == "m2m" and singular(spec.name) == model.snake:
            raise SpecError(
                f"the link table of an m2m field has a {model.snake}_id column for {model.name}: "
                "name the field after the relation (friends, parents)",
                spec.token(),
            )
        if spec.type == "enum" and model.name + enum_class_suffix(spec) in {
            model.name + suffix for suffix in SCHEMA_CLASS_SUFFIXES
        }:
            raise SpecError(
                f"the enum class of this field would be {model.name}{enum_class_suffix(spec)}, "
                "a class the model's schemas define: rename the field",
                spec.token(),
            )
    _check_model_uniques(model)
    _check_table_details(model)
    return model


def enum_members(choices: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """(member, value) of an enum's values: `draft` -> `DRAFT`; a database's own values are made
    names too (`PG-13` -> `PG_13`, `1st` -> `V_1ST`)."""
    members: list[tuple[str, str]] = []
    taken: set[str] = set()
    for value in choices:
        base = re.sub(r"[^A-Za-z0-9]+", "_", value).strip("_").upper() or "EMPTY"
        base = f"V_{base}" if base[0].isdigit() else base
        name, number = base, 2
        while name in taken:
            name, number = f"{base}_{number}", number + 1
        taken.add(name)
        members.append((name, value))
    return tuple(members)


def enum_class_suffix(spec: FieldSpec) -> str:
    """`status` -> `Status`: the enum class of a field is the model's name and this (`BookStatus`)."""
    return "".join(word.capitalize() for word in spec.name.split("_") if word)


def _check_model_uniques(model: ModelSpec) -> None:
    """`@unique(a,b)`: two or more of the model's own column fields, each once, that one index key holds
    on every database."""
    by_name = {f.name: f for f in model.fields}
    seen: set[tuple[str, ...]] = set()
    if not isinstance(model.unique, tuple):
        raise SpecError("unique must be a list of field lists", str(model.unique))
    for names in model.unique:
        token = f"@unique({','.join(map(str, names))})"
        # An existing table's own key: its database's rules hold, and held already.
        own = any(
            isinstance(key, TableKey) and key.unique and key.where is None and key.fields == names
            for key in model.table_keys
        )
        if not isinstance(names, tuple) or len(names) < 2:
            raise SpecError("@unique(...) names two fields or more (one field takes :unique)", token)
        fields = []
        for name in names:
            spec = by_name.get(name) if isinstance(name, str) else None
            if spec is None:
                raise SpecError(f"@unique(...) names a field {model.name} does not have", str(name))
            if spec.type == "m2m" or (spec.type in ("text", "json") and not own):
                raise SpecError(
                    f"@unique(...) cannot hold a {spec.type} field (no index key holds it on every database)",
                    f"{token}: {name}",
                )
            if spec.unique:
                raise SpecError(
                    f"@unique(...) holds {name}, which is unique on its own: the pair adds nothing", token
                )
            fields.append(spec)
        if len({f.name for f in fields}) != len(fields):
            raise SpecError("@unique(...) names a field twice", token)
        key = frozenset(names)
        if tuple(sorted(key)) in seen:
            raise SpecError("the same @unique(...) is given twice", token)
        seen.add(tuple(sorted(key)))
        size = sum(_key_bytes(f) for f in fields)
        if size > MAX_KEY_BYTES and not own:
            raise SpecError(
                f"@unique(...) needs an index key of {size} bytes; MySQL holds {MAX_KEY_BYTES} "
                "(a str takes 4 bytes a character)",
                token,
            )


def _key_bytes(spec: FieldSpec) -> int:
    if spec.type == "str":
        return 4 * int(spec.length or DEFAULT_STR_LENGTH)
    return KEY_BYTES.get(spec.type, 16)


def _check_table_details(model: ModelSpec) -> None:
    for key in ("table", "id_column"):
        _check_db_name(key, getattr(model, key))
    _check_table_keys(model)
    if model.id_type is not None and model.id_type not in ID_TYPES:
        raise SpecError(f"id_type must be one of: {', '.join(ID_TYPES)}", str(model.id_type))
    if model.id_sa_type is not None:
        check_sa_type(model.id_sa_type)
    for column in model.kept:
        _check_db_name("kept column", column.name)
        _check_db_name("index_name", column.index_name)
        if column.index_using is not None and not re.fullmatch(r"[a-z_]{1,20}", str(column.index_using)):
            raise SpecError("index_using is an index method such as gist", str(column.index_using))
        if not (isinstance(column.key, str) and FIELD_NAME.match(column.key)):
            raise SpecError("a kept column's key must be a snake_case name", str(column.key))
        check_sa_type(column.sa_type)
        default = column.server_default
        if default is not None and not (isinstance(default, str) and SERVER_DEFAULT.fullmatch(default)):
            raise SpecError(
                "server_default must be one line of SQL without '\"' or backslashes", str(default)
            )


def _check_table_keys(model: ModelSpec) -> None:
    """Each key of an existing table names two or more of the model's columns, each once, under a
    name of its own; an `@unique(...)` has one key at most."""
    columns = {f.name for f in model.fields if f.type != "m2m"}
    kept = {column.key for column in model.kept} | {"id"}
    names: set[str] = set()
    uniques: set[tuple[str, ...]] = set()
    for key in model.table_keys:
        if not isinstance(key, TableKey):
            raise SpecError("table_keys must be a list of keys", str(key))
        _check_db_name("table key name", key.name)
        fields = key.fields
        token = f"{key.name}({', '.join(map(str, fields))})"
        if not (isinstance(fields, tuple) and len(fields) >= 2 and all(isinstance(n, str) for n in fields)):
            raise SpecError("a table key names two fields or more", token)
        if len(set(fields)) != len(fields):
            raise SpecError("a table key names a field twice", token)
        flags = (key.unique, key.index)
        if not all(isinstance(flag, bool) for flag in flags) or not any(flags):
            raise SpecError("a table key is unique, an index, or both", token)
        if key.name in names:
            raise SpecError("two table keys have the same name", token)
        names.add(key.name)
        if key.where is not None and not (
            key.index and isinstance(key.where, str) and SERVER_DEFAULT.fullmatch(key.where)
        ):
            raise SpecError(
                "where is the condition of a partial index: one line of SQL without '\"' or backslashes",
                token,
            )
        if key.unique and fields in model.unique and key.where is None:
            if fields in uniques:
                raise SpecError("an @unique(...) has one table key at most", token)
            uniques.add(fields)
        if not set(fields) <= columns | kept:
            raise SpecError(f"a table key names a column {model.name} does not have", token)


def _check_db_name(key: str, value: object) -> None:
    if value is not None and not (isinstance(value, str) and DB_NAME.fullmatch(value)):
        raise SpecError(f"{key} must be 1-64 characters, no quote, backslash or control", str(value))


def check_model_set(models: Sequence[ModelSpec], existing: Iterable[ModelSpec] = ()) -> tuple[ModelSpec, ...]:
    """Validate models together and order them so that every `ref` points to an earlier model.

    `existing` are the models a project already has (for `add-model`); they come first and keep
    their order. The answers store models in this order, which the initial migration relies on.
    """
    known = {m.name: m for m in existing}
    tables = {name: m.name for m in known.values() for name in {m.snake, m.table or m.snake}}
    for model in models:
        if model.name in known:
            raise SpecError("model is defined twice", model.name)
        for name in {model.snake, model.table or model.snake}:
            if name in tables:
                raise SpecError(f"model has the same table or module name as {tables[name]}", model.name)
            tables[name] = model.name
        known[model.name] = model
    for model in models:
        for spec in model.fields:
            if spec.type in RELATION_TYPES and spec.ref not in known:
                raise SpecError(
                    f"{spec.type}() to an unknown model in {model.name}", f"{spec.type}({spec.ref})"
                )
    _check_enum_classes([*known.values()])
    ordered, cyclic = refs_first(models, placed=set(known) - {m.name for m in models})
    if cyclic:
        raise SpecError(
            "ref() cycle between models; break it by moving one side to a later add-model",
            ", ".join(m.name for m in cyclic),
        )
    return tuple(ordered)


def _check_enum_classes(models: Sequence[ModelSpec]) -> None:
    """An enum's class (`BookStatus`) is a name in the OpenAPI document beside the models' own."""
    names = {m.name: f"model {m.name}" for m in models}
    for model in models:
        for spec in model.fields:
            if spec.type != "enum":
                continue
            name = model.name + enum_class_suffix(spec)
            if name in names:
                raise SpecError(
                    f"the enum class of {model.name}.{spec.name} would be {name}, the name of {names[name]}: "
                    "rename the field",
                    spec.token(),
                )
            names[name] = f"the enum of {model.name}.{spec.name}"


def model_from_answer(answer: Mapping[str, Any]) -> ModelSpec:
    """Rebuild a ModelSpec from its mapping in `.copier-answers.yml` and check it as data (`check_model`),
    so that an answers file edited by hand gets the checks of the CLI."""
    try:
        name = str(answer["name"])
        model = ModelSpec(
            name=name,
            fields=tuple(FieldSpec(**item) for item in answer.get("fields") or ()),
            revision=check_revision(answer.get("revision")),
            down_revision=check_revision(answer.get("down_revision")),
            removed=check_revision(answer.get("removed")),
            table=answer.get("table"),
            id_column=answer.get("id_column"),
            id_type=answer.get("id_type"),
            timestamps=answer.get("timestamps", True) is not False,
            unique=tuple(
                tuple(names) if isinstance(names, list | tuple) else names
                for names in answer.get("unique") or ()
            ),
            id_supplied=answer.get("id_supplied", False) is True,
            id_sa_type=answer.get("id_sa_type"),
            id_nullable=answer.get("id_nullable", False) is True,
            kept=tuple(KeptColumn(**item) for item in answer.get("kept") or ()),
            table_keys=tuple(
                TableKey(**{**item, "fields": tuple(item.get("fields") or ())})
                for item in answer.get("table_keys") or ()
            ),
        )
    except (KeyError, TypeError, AttributeError) as error:
        raise SpecError(f"malformed model entry ({error})", str(answer)) from None
    return check_model(model)


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def check_revision(revision: object) -> str | None:
    """A recorded Alembic revision id: None, or letters, digits and '_' (it names a file)."""
    if revision is None or (isinstance(revision, str) and REVISION.fullmatch(revision)):
        return revision
    raise SpecError("a revision id must be 1-64 letters, digits or '_'", str(revision))
