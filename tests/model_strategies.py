"""Hypothesis strategies that draw model SETS from design.md's model-spec grammar.

Everything drawn is something the grammar accepts: a spec the parser refuses is a bug of this module
or of the parser, and tests/test_render_property.py fails on it. The strategies are data-driven:
`TYPE_ROWS` has one row per field type (how its arguments are drawn and spelled, its defaults, which
modifiers it takes, and a value the generated API accepts for it). New grammar is a new row (or a
flag on one) guarded by a probe of the installed parser, so the same strategies serve the parser of
today and the one that has `enum(...)`, `time`, `m2m(...)`, `min=`/`max=` and `@unique(a,b)`.

A drawn field also knows a JSON value for row number `n` of its model (`payload`), distinct for
n = 1, 2, 3, so that tests can create rows through the generated API and provoke unique conflicts.
"""

from __future__ import annotations

import datetime as dt
import keyword
import shlex
import string
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from generator.errors import SpecError
from generator.naming import plural, singular_model_name, snake_case
from generator.spec import (
    AMBIGUOUS_NAMES,
    MAX_INDEXED_STR_LENGTH,
    MAX_STR_LENGTH,
    RESERVED_FIELD_NAMES,
    RESERVED_MODEL_NAMES,
    RESERVED_MODULE_NAMES,
    TYPE_NAMES,
    check_model_set,
    parse_model,
)

# --- what the installed parser accepts ---------------------------------------------------------------


def parser_accepts(*specs: str) -> bool:
    """Whether the installed parser accepts these model specs as one set (a probe for new grammar)."""
    try:
        check_model_set([parse_model(spec) for spec in specs])
    except SpecError:
        return False
    return True


HAS_ENUM = parser_accepts("Probe status:enum(draft,published):default=draft")
HAS_TIME = parser_accepts("Probe at:time:default=10:30:00")
HAS_BOUNDS = parser_accepts("Probe n:int:min=1:max=5 s:str(10):min=1")
HAS_M2M = parser_accepts("Tag label", "Probe tags:m2m(Tag)")
HAS_COMPOSITE_UNIQUE = parser_accepts("Probe a:int b:int @unique(a,b)")
FEATURES = {
    "enum": HAS_ENUM,
    "time": HAS_TIME,
    "min/max": HAS_BOUNDS,
    "m2m": HAS_M2M,
    "@unique": HAS_COMPOSITE_UNIQUE,
}

# --- the type table ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TypeArgs:
    """A field type's arguments: `str(N)` (None: plain `str`), `decimal(P,S)`, `ref(M)`/`m2m(M)`, `enum(...)`."""

    length: int | None = None
    precision: int | None = None
    scale: int | None = None
    target: str | None = None
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class Bounds:
    """`min=` / `max=` (values for numbers, lengths for strings); None: not given."""

    low: int | None = None
    high: int | None = None


NO_BOUNDS = Bounds()


@dataclass(frozen=True)
class Context:
    """Where a field is drawn: its model, and the models drawn before it (possible ref targets)."""

    model: str
    earlier: tuple[str, ...]


@dataclass(frozen=True)
class TypeRow:
    """One field type of the grammar and everything the strategies need to know about it."""

    name: str
    # The type's arguments in a context; None when the type cannot be used there.
    args: Callable[[Context], st.SearchStrategy[TypeArgs] | None]
    spell: Callable[[TypeArgs], str]
    # Default texts (`default=...`) that the type holds within the bounds; None: no default allowed.
    default: Callable[[TypeArgs, Bounds], st.SearchStrategy[str]] | None
    # The JSON value the API takes for row n (1, 2, 3: all distinct where the type allows); None:
    # the field is left out of payloads.
    value: Callable[[TypeArgs, Bounds, int], Any] | None
    # Whether `unique` and `index` apply (MySQL cannot index text, json, long strings).
    indexable: Callable[[TypeArgs], bool] = lambda args: True
    # Whether `unique` applies: not to a type of a few values (bool, enum), whose table could hold
    # only as many rows.
    uniqueable: bool = True
    # `min=`/`max=` bounds it may take (only when the parser has them).
    bounds: Callable[[TypeArgs], st.SearchStrategy[Bounds]] | None = None
    # Whether it takes optional/unique/index at all (m2m takes none).
    modifiers: bool = True
    # The field's name in the API (`author` of type ref is `author_id`).
    api_name: Callable[[str, TypeArgs], str] = lambda name, args: name
    # Plain `str` may be written without a type (`title`, `title:unique`).
    implicit: Callable[[TypeArgs], bool] = lambda args: False
    available: bool = True


def _letters(n: int, size: int) -> str:
    return string.ascii_lowercase[n % 26] + "x" * (size - 1)


# Default texts: printable, with what a shell, the grammar, Python literals and SQL treat specially.
_TEXT_ALPHABET = string.ascii_letters + string.digits + " :'\"\\=()-_.,%é😀"


def _text_default(args: TypeArgs, bounds: Bounds) -> st.SearchStrategy[str]:
    high = min(x for x in (args.length, bounds.high, 16) if x is not None)
    return st.text(alphabet=_TEXT_ALPHABET, min_size=min(bounds.low or 0, high), max_size=high)


def _text_value(args: TypeArgs, bounds: Bounds, n: int) -> str:
    return _letters(n, max(bounds.low or 1, 1))


def _length_bounds(args: TypeArgs) -> st.SearchStrategy[Bounds]:
    top = args.length or 255

    @st.composite
    def draw(draw: st.DrawFn) -> Bounds:
        low = draw(st.none() | st.integers(0, min(top, 8)))
        high = draw(st.none() | st.integers(max(low or 1, 1), top))
        return Bounds(low, high)

    return draw()


def _int_range(kind: str) -> tuple[int, int]:
    return (-(2**31), 2**31 - 1) if kind == "int" else (-(2**63), 2**63 - 1)


def _number_start(bounds: Bounds) -> int:
    """Values n = 1, 2, 3 are start + n: inside the bounds, which are drawn at least 4 apart."""
    if bounds.low is not None:
        return bounds.low
    if bounds.high is not None:
        return min(0, bounds.high - 4)
    return 0


def _number_bounds(low: int, high: int) -> st.SearchStrategy[Bounds]:
    @st.composite
    def draw(draw: st.DrawFn) -> Bounds:
        start = draw(st.none() | st.integers(low, high - 4))
        end = draw(st.none() | st.integers((start if start is not None else low) + 4, high))
        return Bounds(start, end)

    return draw()


def _int_row(kind: str) -> TypeRow:
    low, high = _int_range(kind)
    return TypeRow(
        name=kind,
        args=lambda ctx: st.just(TypeArgs()),
        spell=lambda args: kind,
        default=lambda args, b: st.integers(
            low if b.low is None else b.low, high if b.high is None else b.high
        ).map(str),
        value=lambda args, b, n: _number_start(b) + n,
        bounds=lambda args: _number_bounds(-1000, 1000),
    )


def _float_default(args: TypeArgs, bounds: Bounds) -> st.SearchStrategy[str]:
    return st.floats(min_value=bounds.low, max_value=bounds.high, allow_nan=False, allow_infinity=False).map(
        repr
    )


def _decimal_args(ctx: Context) -> st.SearchStrategy[TypeArgs]:
    @st.composite
    def draw(draw: st.DrawFn) -> TypeArgs:
        precision = draw(st.integers(1, 65))
        return TypeArgs(precision=precision, scale=draw(st.integers(0, min(precision, 30))))

    return draw()


def _scaled(unscaled: int, scale: int) -> str:
    """The decimal text of unscaled * 10**-scale, exactly (Decimal arithmetic, and so st.decimals,
    round to 28 digits; decimal(P,S) has up to 65)."""
    sign = "-" if unscaled < 0 else ""
    digits = str(abs(unscaled)).rjust(scale + 1, "0")
    return sign + (f"{digits[:-scale]}.{digits[-scale:]}" if scale else digits)


def _decimal_default(args: TypeArgs, bounds: Bounds) -> st.SearchStrategy[str]:
    assert args.precision is not None and args.scale is not None
    unit = 10**args.scale
    limit = 10**args.precision - 1  # the largest unscaled value: all P digits nines
    low = -limit if bounds.low is None else bounds.low * unit
    high = limit if bounds.high is None else bounds.high * unit
    scale = args.scale
    return st.integers(low, high).map(lambda unscaled: _scaled(unscaled, scale))


def _decimal_value(args: TypeArgs, bounds: Bounds, n: int) -> str:
    assert args.scale is not None
    return _scaled(_number_start(bounds) * 10**args.scale + n, args.scale)


def _decimal_bounds(args: TypeArgs) -> st.SearchStrategy[Bounds]:
    assert args.precision is not None and args.scale is not None
    digits = args.precision - args.scale
    if digits < 2:  # too narrow for bounds four apart and three values inside
        return st.just(NO_BOUNDS)
    top = min(10**digits - 1, 10**6)
    return _number_bounds(-top, top)


def _str_args(ctx: Context) -> st.SearchStrategy[TypeArgs]:
    lengths = st.none() | st.integers(1, 64) | st.sampled_from([255, 768, 769, MAX_STR_LENGTH])
    return st.builds(TypeArgs, length=lengths)


def _str_indexable(args: TypeArgs) -> bool:
    return (args.length or 255) <= MAX_INDEXED_STR_LENGTH


def _relation_args(ctx: Context, self_allowed: bool) -> st.SearchStrategy[TypeArgs] | None:
    targets = (*ctx.earlier, *([ctx.model] if self_allowed else []))
    if not targets:
        return None
    return st.builds(TypeArgs, target=st.sampled_from(targets))


_ENUM_VALUES = st.from_regex(r"[a-z][a-z0-9_]{0,9}", fullmatch=True).filter(
    lambda v: not keyword.iskeyword(v)
)


def _enum_args(ctx: Context) -> st.SearchStrategy[TypeArgs]:
    return st.builds(TypeArgs, values=st.lists(_ENUM_VALUES, min_size=2, max_size=4, unique=True).map(tuple))


_DATES = st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31))
_OFFSETS = (
    st.none() | st.just(dt.UTC) | st.integers(-12, 14).map(lambda h: dt.timezone(dt.timedelta(hours=h)))
)

TYPE_ROWS: tuple[TypeRow, ...] = (
    TypeRow(
        name="str",
        args=_str_args,
        spell=lambda args: "str" if args.length is None else f"str({args.length})",
        default=_text_default,
        value=_text_value,
        indexable=_str_indexable,
        bounds=_length_bounds,
        implicit=lambda args: args.length is None,
    ),
    TypeRow(
        name="text",
        args=lambda ctx: st.just(TypeArgs()),
        spell=lambda args: "text",
        default=_text_default,
        value=_text_value,
        indexable=lambda args: False,
    ),
    _int_row("int"),
    _int_row("bigint"),
    TypeRow(
        name="float",
        args=lambda ctx: st.just(TypeArgs()),
        spell=lambda args: "float",
        default=_float_default,
        value=lambda args, b, n: _number_start(b) + n + 0.5,
        bounds=lambda args: _number_bounds(-1000, 1000),
    ),
    TypeRow(
        name="decimal",
        args=_decimal_args,
        spell=lambda args: f"decimal({args.precision},{args.scale})",
        default=_decimal_default,
        value=_decimal_value,
        bounds=_decimal_bounds,
    ),
    TypeRow(
        name="bool",
        args=lambda ctx: st.just(TypeArgs()),
        spell=lambda args: "bool",
        default=lambda args, b: st.sampled_from(["true", "false", "TRUE", "False"]),
        value=lambda args, b, n: n % 2 == 1,
        uniqueable=False,
    ),
    TypeRow(
        name="date",
        args=lambda ctx: st.just(TypeArgs()),
        spell=lambda args: "date",
        default=lambda args, b: _DATES.map(lambda d: d.isoformat()),
        value=lambda args, b, n: f"2024-01-{n:02d}",
    ),
    TypeRow(
        name="datetime",
        args=lambda ctx: st.just(TypeArgs()),
        spell=lambda args: "datetime",
        default=lambda args, b: st.datetimes(timezones=_OFFSETS).map(lambda d: d.isoformat()),
        value=lambda args, b, n: f"2024-01-01T00:00:{n:02d}+00:00",
    ),
    TypeRow(
        name="uuid",
        args=lambda ctx: st.just(TypeArgs()),
        spell=lambda args: "uuid",
        default=lambda args, b: st.uuids().map(str),
        value=lambda args, b, n: str(uuid.UUID(int=n)),
    ),
    TypeRow(
        name="json",
        args=lambda ctx: st.just(TypeArgs()),
        spell=lambda args: "json",
        default=None,
        value=lambda args, b, n: {"n": n},
        indexable=lambda args: False,
    ),
    TypeRow(
        name="ref",
        args=lambda ctx: _relation_args(ctx, self_allowed=True),
        spell=lambda args: f"ref({args.target})",
        default=None,
        value=None,  # the id of a parent row: filled in by `payload`
        api_name=lambda name, args: f"{name}_id",
    ),
    # New grammar (design.md, issue 13): used once the installed parser accepts it.
    TypeRow(
        name="time",
        args=lambda ctx: st.just(TypeArgs()),
        spell=lambda args: "time",
        default=lambda args, b: st.times().map(lambda t: t.isoformat()),
        value=lambda args, b, n: f"10:00:{n:02d}",
        available=HAS_TIME,
    ),
    TypeRow(
        name="enum",
        args=_enum_args,
        spell=lambda args: f"enum({','.join(args.values)})",
        default=lambda args, b: st.sampled_from(args.values),
        value=lambda args, b, n: args.values[n % len(args.values)],
        uniqueable=False,
        available=HAS_ENUM,
    ),
    TypeRow(
        name="m2m",
        args=lambda ctx: _relation_args(ctx, self_allowed=False),
        spell=lambda args: f"m2m({args.target})",
        default=None,
        value=None,  # a set of ids: left out of payloads (an empty set)
        modifiers=False,
        available=HAS_M2M,
    ),
)
ROWS = {row.name: row for row in TYPE_ROWS if row.available}

# --- names -------------------------------------------------------------------------------------------

# SQL reserved words (PostgreSQL, MySQL/MariaDB, SQLite) and words the grammar itself uses.
SQL_WORDS = (
    "order",
    "key",
    "user",
    "group",
    "select",
    "table",
    "where",
    "index",
    "check",
    "default",
    "column",
    "values",
    "primary",
    "references",
    "desc",
    "having",
    "union",
    "distinct",
    "unique",
    "optional",
    "range",
    "rank",
    "interval",
    "current_date",
)
# Names of types and of things the generated code has in scope.
CODE_WORDS = ("type", "date", "datetime", "str", "int", "float", "uuid", "decimal", "text", "time", "session")
FIELD_NAMES = st.one_of(
    st.sampled_from(SQL_WORDS),
    st.sampled_from(CODE_WORDS),
    st.from_regex(r"[a-z][a-z0-9_]{0,11}", fullmatch=True),
).filter(
    lambda name: (
        not keyword.iskeyword(name)
        and name not in RESERVED_FIELD_NAMES | TYPE_NAMES | AMBIGUOUS_NAMES
        and not name.startswith("model_")
    )
)

# SQL reserved words as model names (`From` is drawn and filtered out: `from` is a Python keyword).
SQL_MODEL_WORDS = ("Order", "Key", "User", "Group", "Select", "From", "Table", "Index", "Where", "Check")
_WORDS = (
    "Order",
    "Line",
    "Item",
    "Book",
    "Author",
    "Warehouse",
    "Inventory",
    "Snapshot",
    "Http",
    "Api",
    "Tag",
)
MODEL_NAMES = st.one_of(
    st.sampled_from(SQL_MODEL_WORDS),
    st.lists(st.sampled_from(_WORDS), min_size=2, max_size=3).map("".join),
    st.sampled_from(["HTTPLog", "APIKey", "V2Item", "X"]),
    st.from_regex(r"[A-Z][a-z]{1,7}(?:[A-Z][a-z0-9]{1,5})?", fullmatch=True),
).filter(
    lambda name: (
        name not in RESERVED_MODEL_NAMES
        and snake_case(name) not in RESERVED_MODULE_NAMES
        and not keyword.iskeyword(name)
        and not keyword.iskeyword(snake_case(name))
        and singular_model_name(name) is None  # a model name is singular: `Books` is refused
    )
)

# --- drawn fields, models and sets -------------------------------------------------------------------


@dataclass(frozen=True)
class DrawnField:
    name: str
    row: TypeRow
    args: TypeArgs
    optional: str = ""  # "", "?" (on the type) or "optional" (a modifier)
    unique: bool = False
    index: bool = False
    bounds: Bounds = NO_BOUNDS
    default: str | None = None
    # Order of the modifiers as written, and whether plain `str` is written at all.
    modifier_order: tuple[int, ...] = ()
    type_written: bool = True

    @property
    def api(self) -> str:
        return self.row.api_name(self.name, self.args)

    @property
    def is_optional(self) -> bool:
        return self.optional != ""

    def token(self) -> str:
        parts = [self.name]
        modifiers = [
            flag
            for flag, on in (
                ("optional", self.optional == "optional"),
                ("unique", self.unique),
                ("index", self.index),
            )
            if on
        ]
        modifiers += [
            f"{key}={value}"
            for key, value in (("min", self.bounds.low), ("max", self.bounds.high))
            if value is not None
        ]
        if self.modifier_order:
            modifiers = [modifiers[i] for i in self.modifier_order if i < len(modifiers)]
        if self.type_written or self.optional == "?":
            parts.append(self.row.spell(self.args) + ("?" if self.optional == "?" else ""))
        parts += modifiers
        if self.default is not None:
            parts.append(f"default={self.default}")
        return ":".join(parts)

    def value(self, n: int) -> Any:
        assert self.row.value is not None
        return self.row.value(self.args, self.bounds, n)


@dataclass(frozen=True)
class DrawnModel:
    name: str
    fields: tuple[DrawnField, ...]
    composite_uniques: tuple[tuple[str, ...], ...] = ()

    @property
    def path(self) -> str:
        """The collection path of its API."""
        return f"/api/v1/{plural(snake_case(self.name))}"

    def spec(self) -> str:
        tokens = [_quoted(f.token()) for f in self.fields]
        tokens += [f"@unique({','.join(names)})" for names in self.composite_uniques]
        return " ".join([self.name, *tokens])

    def unique_keys(self) -> list[tuple[DrawnField, ...]]:
        """Each set of fields whose values must be unique together."""
        by_name = {f.name: f for f in self.fields}
        keys: list[tuple[DrawnField, ...]] = [(f,) for f in self.fields if f.unique]
        keys += [tuple(by_name[name] for name in names) for names in self.composite_uniques]
        return keys

    def payload(self, n: int, parents: dict[str, list[int]]) -> dict[str, Any]:
        """A create body for this model's row n, with references to the n-th row of each parent
        (`parents` maps a model name to the ids of its rows created so far); a reference to the model
        itself points to its first row, for rows after the first."""
        body: dict[str, Any] = {}
        for f in self.fields:
            if f.row.name == "ref":
                assert f.args.target is not None
                ids = parents.get(f.args.target, [])
                if f.args.target == self.name:
                    if ids:
                        body[f.api] = ids[0]
                else:
                    body[f.api] = ids[min(n, len(ids)) - 1]
            elif f.row.value is not None:
                body[f.api] = f.value(n)
        return body


def _quoted(token: str) -> str:
    """The token as the grammar splits it (shlex): quoted only when it holds a space, quote or backslash."""
    return shlex.quote(token) if any(c in token for c in " \t\n'\"\\") else token


class ModelSet:
    """Models in an order where every ref points to an earlier model (or to itself), and the order
    they are given on the command line; printed as the command that renders them."""

    def __init__(self, models: Sequence[DrawnModel], cli_order: Sequence[int]) -> None:
        self.models = tuple(models)
        self.cli_order = tuple(cli_order)

    def specs(self) -> list[str]:
        return [self.models[i].spec() for i in self.cli_order]

    def cli_args(self) -> list[str]:
        args: list[str] = []
        for spec in self.specs():
            args += ["--model", spec]
        return args

    def __repr__(self) -> str:
        return "asyncrud new svc --defaults " + " ".join(shlex.quote(arg) for arg in self.cli_args())


@st.composite
def drawn_fields(
    draw: st.DrawFn, context: Context, min_fields: int = 0, max_fields: int = 5
) -> tuple[DrawnField, ...]:
    fields: list[DrawnField] = []
    taken: set[str] = set()
    # Half of the draws are rich sets (few examples run in CI); shrinking still goes to the fewest.
    size = st.integers(min_fields, max_fields) | st.integers(max(min_fields, max_fields - 2), max_fields)
    for _ in range(draw(size)):
        usable = {name: row for name, row in ROWS.items() if row.args(context) is not None}
        row = usable[draw(st.sampled_from(sorted(usable)))]
        args_strategy = row.args(context)
        assert args_strategy is not None
        args = draw(args_strategy)
        name = draw(FIELD_NAMES)
        if row.name == "m2m":
            assert args.target is not None
            name = plural(snake_case(args.target))
        if row.name == "ref" and name.endswith("_id"):
            name = name[:-3]
        drawn = _modifiers(draw, row, args, name, self_ref=args.target == context.model and row.name == "ref")
        members = {drawn.name, drawn.api}
        if members & taken or drawn.name in RESERVED_FIELD_NAMES or keyword.iskeyword(drawn.name):
            continue  # a duplicate name or column: drop the field
        taken |= members
        fields.append(drawn)
    return tuple(fields)


def _modifiers(draw: st.DrawFn, row: TypeRow, args: TypeArgs, name: str, self_ref: bool) -> DrawnField:
    if not row.modifiers:
        return DrawnField(name=name, row=row, args=args)
    optional = draw(st.sampled_from(["?", "optional"] if self_ref else ["", "", "?", "optional"]))
    indexable = row.indexable(args)
    unique = indexable and row.uniqueable and draw(st.booleans())
    index = indexable and draw(st.booleans())
    bounds = NO_BOUNDS
    if HAS_BOUNDS and row.bounds is not None and draw(st.booleans()):
        bounds = draw(row.bounds(args))
    default = None
    if row.default is not None and draw(st.booleans()):
        default = draw(row.default(args, bounds))
    modifier_order = tuple(draw(st.permutations(range(5))))
    type_written = not row.implicit(args) or draw(st.booleans())
    return DrawnField(name, row, args, optional, unique, index, bounds, default, modifier_order, type_written)


_COMPOSITE_TYPES = {"int", "bigint", "bool", "date", "datetime", "uuid", "str", "decimal", "time", "enum"}


_SCHEMA_CLASSES = ("Create", "Update", "Read", "Query", "OrderBy", "Include", "WithRelations")


def _enum_class_free(model: str, field: str, models: Sequence[str]) -> bool:
    suffix = "".join(word.capitalize() for word in field.split("_") if word)
    return suffix not in _SCHEMA_CLASSES and model + suffix not in models


@st.composite
def drawn_models(draw: st.DrawFn, min_models: int = 1, max_models: int = 3, min_fields: int = 0) -> ModelSet:
    """1-3 models (refs only to earlier ones or to themselves), given on the command line in any order."""
    size = draw(
        st.integers(min_models, max_models) | st.integers(max(min_models, max_models - 1), max_models)
    )
    names = draw(st.lists(MODEL_NAMES, min_size=size, max_size=size, unique_by=snake_case))
    models: list[DrawnModel] = []
    for index, name in enumerate(names):
        fields = draw(drawn_fields(Context(name, tuple(names[:index])), min_fields=min_fields))
        # An enum's class is the model's name and the field's (`BookStatus`): not another model's
        # name, nor one of the classes of the model's schemas.
        fields = tuple(f for f in fields if f.row.name != "enum" or _enum_class_free(name, f.name, names))
        composite: tuple[tuple[str, ...], ...] = ()
        # Composite keys of short columns only: MySQL's index key holds 3,072 bytes. A field unique on
        # its own adds nothing to one.
        candidates = [
            f.name
            for f in fields
            if f.row.name in _COMPOSITE_TYPES and (f.args.length or 255) <= 255 and not f.unique
        ]
        if HAS_COMPOSITE_UNIQUE and len(candidates) >= 2 and draw(st.booleans()):
            key = draw(
                st.lists(
                    st.sampled_from(candidates), min_size=2, max_size=min(3, len(candidates)), unique=True
                )
            )
            composite = (tuple(key),)
        models.append(DrawnModel(name, fields, composite))
    cli_order = draw(st.permutations(range(len(models))))
    return ModelSet(models, cli_order)
