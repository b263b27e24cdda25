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
from generator.naming import plural, snake_case
from generator.ordering import refs_first

# The grammar's types are the rows of the field-type table (generator.field_types).
FIELD_TYPES = tuple(field_types.FIELD_TYPES)
SCALAR_TYPES = tuple(name for name in FIELD_TYPES if name != "ref")

DEFAULT_STR_LENGTH = 255
# MySQL: VARCHAR holds at most 65,535 bytes, 4 per utf8mb4 character; an index key holds 3,072 bytes.
MAX_STR_LENGTH = 16_383
MAX_INDEXED_STR_LENGTH = 768
# MySQL's DECIMAL limits, the tightest of the three databases.
MAX_DECIMAL_PRECISION = 65
MAX_DECIMAL_SCALE = 30
INT_RANGES = {"int": (-(2**31), 2**31 - 1), "bigint": (-(2**63), 2**63 - 1)}

# Exact column types of an existing database that the grammar's types do not spell (`--from-database`),
# by the grammar type they refine, and the key types beside Integer.
DB_TYPES = field_types.DB_TYPE_BASES
ID_TYPES = tuple(field_types.ID_TYPES)
# Real table, column and constraint names are printed inside Python string literals.
DB_NAME = re.compile(r'[^"\\\x00-\x1f\x7f]{1,64}')
# A server default is printed as `text("...")`: one line, no quote or backslash to escape.
SERVER_DEFAULT = re.compile(r'[^"\\\x00-\x1f\x7f]{1,200}')

# Columns and attributes every generated model or schema already has, and query parameters of the
# list endpoint that a same-named filter would shadow.
TIMESTAMP_FIELD_NAMES = frozenset({"created_at", "updated_at"})
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
    {"config", "crud", "database", "errors", "health", "main", "models", "pagination", "column_types"}
)
RESERVED_MODEL_NAMES = frozenset(
    {"Any", "Base", "Decimal", "UUID", "Mapped", "Page", "Settings", "AlembicVersion"}
)

MODEL_NAME = re.compile(r"^[A-Z][A-Za-z0-9]*$")
# Alembic revision ids asyncrud records become file names (`<revision>.py`): nothing else may pass.
REVISION = re.compile(r"[A-Za-z0-9_]{1,64}")
FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
MODIFIERS = ("optional", "unique", "index")
_SIZED_TYPE = re.compile(r"^(?P<type>[a-z]+)(?:\((?P<args>[^()]*)\))?(?P<optional>\?)?$")


@dataclass(frozen=True)
class FieldSpec:
    """One field of a model: a column, or for `ref` a foreign key column plus a relationship."""

    name: str
    type: str = "str"
    length: int | None = None
    precision: int | None = None
    scale: int | None = None
    ref: str | None = None
    optional: bool = False
    unique: bool = False
    index: bool = False
    default: Any = None
    # What an existing database (`--from-database`) needs beyond the grammar; None/True keep the
    # grammar's behaviour, and `to_answer()` leaves them out then.
    db_name: str | None = None  # the real column name when it is not `column` (`class` -> `class_`)
    db_type: str | None = None  # an exact type of DB_TYPES
    server_default: str | None = None  # SQL text, as the database reports it
    unique_name: str | None = None  # the real constraint/index names when not the naming convention's
    index_name: str | None = None
    ref_index: bool = True  # False: the foreign key column has no index
    # The Alembic revision that added the field to an existing table (`add-field`); None for a field
    # created with its table.
    revision: str | None = None

    @property
    def column(self) -> str:
        """The database column: `author` of type ref(Author) is stored as `author_id`."""
        return f"{self.name}_id" if self.type == "ref" else self.name

    def to_answer(self) -> dict[str, Any]:
        answer: dict[str, Any] = {"name": self.name, "type": self.type}
        for key in ("length", "precision", "scale", "ref", "default"):
            value = getattr(self, key)
            if value is not None:
                answer[key] = value
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
            for key in ("db_name", "db_type", "server_default", "unique_name", "index_name")
            if getattr(self, key) is not None
        }
        if not self.ref_index:
            details["ref_index"] = False
        return details

    def to_spec(self) -> str:
        """The field in the grammar it was parsed from, quoted for a shell; `parse_field(f.to_spec()) == f`."""
        return shlex.quote(self.token())

    def token(self) -> str:
        """The field as one token of the grammar: `title:str(200):unique`."""
        parts = [self.name, _type_text(self)]
        parts += [flag for flag in MODIFIERS if getattr(self, flag)]
        if self.default is not None:
            parts.append(f"default={_default_text(self.default)}")
        return ":".join(parts)


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

    @property
    def snake(self) -> str:
        return snake_case(self.name)

    @property
    def plural(self) -> str:
        return plural(self.snake)

    @property
    def refs(self) -> tuple[str, ...]:
        return tuple(f.ref for f in self.fields if f.ref is not None)

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
        for key in ("table", "id_column", "id_type"):
            if getattr(self, key) is not None:
                answer[key] = getattr(self, key)
        if not self.timestamps:
            answer["timestamps"] = False
        return answer

    def to_spec(self) -> str:
        return " ".join([self.name, *(f.to_spec() for f in self.fields)])


def parse_model(text: str) -> ModelSpec:
    """Parse `ModelName FIELD...` (design.md's grammar) and validate the model on its own."""
    try:
        tokens = shlex.split(text)
    except ValueError as error:
        raise SpecError(f"cannot split the spec into tokens ({error})", text) from None
    if not tokens:
        raise SpecError("empty model spec; expected 'ModelName field[:type][:modifier]...'", text)
    name, *field_tokens = tokens
    check_model_name(name)
    fields = tuple(parse_field(token) for token in field_tokens)
    return _checked_model(ModelSpec(name=name, fields=fields))


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
        if modifier not in MODIFIERS:
            raise SpecError("unknown modifier (expected optional, unique, index or default=VALUE)", modifier)
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
    if kind == "ref":
        return replace(spec, ref=args.strip())
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
    _check_type_arguments(spec)
    if spec.default is not None:
        spec = replace(spec, default=default_value(spec, spec.default))
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


def _check_type(spec: FieldSpec) -> None:
    if spec.type not in FIELD_TYPES:
        raise SpecError(f"unknown field type (expected one of {', '.join(FIELD_TYPES)})", str(spec.type))


def _check_flags(spec: FieldSpec) -> None:
    for flag in (*MODIFIERS, "ref_index"):
        if not isinstance(getattr(spec, flag), bool):
            raise SpecError(f"{flag} must be true or false", str(getattr(spec, flag)))


# The attributes that are a type's arguments in the grammar: `str(N)`, `decimal(P,S)`, `ref(Model)`.
_TYPE_ARGUMENTS = {"str": ("length",), "decimal": ("precision", "scale"), "ref": ("ref",)}


def _check_type_arguments(spec: FieldSpec) -> None:
    for key in ("length", "precision", "scale", "ref"):
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
    if spec.type == "ref":
        if not (isinstance(spec.ref, str) and MODEL_NAME.match(spec.ref)):
            raise SpecError("ref needs a PascalCase model name: ref(Model)", text)
        if spec.name.endswith("_id"):
            raise SpecError(
                f"name a ref field after the relationship ('{spec.name[:-3]}'); its column gets the _id suffix",
                f"{spec.name}:{text}",
            )


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _type_text(spec: FieldSpec) -> str:
    """The type as the grammar spells it: `str(200)`, `decimal(10,2)`, `ref(Author)`; `str` for 255."""
    if spec.type == "ref" and spec.ref is not None:
        return f"ref({spec.ref})"
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
    if kind in ("ref", "json"):
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
    if -exponent > spec.scale or integer_digits > spec.precision - spec.scale:
        raise ValueError(f"does not fit decimal({spec.precision},{spec.scale})")
    return str(value)


def _default_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _check_keys(spec: FieldSpec) -> None:
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
    if not spec.ref_index and spec.type != "ref":
        raise SpecError("ref_index applies to ref fields only", spec.name)


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
        db_column = spec.db_name or spec.column
        if db_column in db_columns:
            raise SpecError(f"duplicate column in model {model.name}", db_column)
        db_columns.add(db_column)
        if spec.ref == model.name and not spec.optional:
            raise SpecError("a reference to the model itself must be optional", spec.token())
    _check_table_details(model)
    return model


def _check_table_details(model: ModelSpec) -> None:
    for key in ("table", "id_column"):
        _check_db_name(key, getattr(model, key))
    if model.id_type is not None and model.id_type not in ID_TYPES:
        raise SpecError(f"id_type must be one of: {', '.join(ID_TYPES)}", str(model.id_type))


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
        for ref in model.refs:
            if ref not in known:
                raise SpecError(f"ref() to an unknown model in {model.name}", f"ref({ref})")
    ordered, cyclic = refs_first(models, placed=set(known) - {m.name for m in models})
    if cyclic:
        raise SpecError(
            "ref() cycle between models; break it by moving one side to a later add-model",
            ", ".join(m.name for m in cyclic),
        )
    return tuple(ordered)


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
        )
    except (KeyError, TypeError, AttributeError) as error:
        raise SpecError(f"malformed model entry ({error})", str(answer)) from None
    return check_model(model)


def check_revision(revision: object) -> str | None:
    """A recorded Alembic revision id: None, or letters, digits and '_' (it names a file)."""
    if revision is None or (isinstance(revision, str) and REVISION.fullmatch(revision)):
        return revision
    raise SpecError("a revision id must be 1-64 letters, digits or '_'", str(revision))
