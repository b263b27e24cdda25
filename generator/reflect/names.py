"""Naming: table names become model names, column names attribute names, foreign key columns the
names of relationships, each clear of the names the generated project uses. The words of a name are
split as generator.naming splits a model name, and made singular as it makes them plural."""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterable, Sequence

from generator.errors import SpecError
from generator.naming import singular, snake_case
from generator.spec import (
    AMBIGUOUS_NAMES,
    FIELD_NAME,
    RESERVED_MODEL_NAMES,
    RESERVED_MODULE_NAMES,
    TYPE_NAMES,
    check_model_name,
)

# Functions a model's class body calls: a column attribute of that name would shadow them there.
CLASS_BODY_NAMES = frozenset({"relationship", "mapped_column", "text", "column", "func", "literal_column"})
# A model name longer than this is cut (a table name may have 64 characters, then "Record" follows).
_MAX_MODEL_NAME = 60


def model_names(tables: Sequence[str]) -> dict[str, str]:
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
    words = [word for word in re.split(r"[^a-z0-9]+", snake_case(table)) if word]
    if words:
        words[-1] = singular(words[-1])
    name = "".join(word.capitalize() for word in words) or "Table"
    if not name[0].isalpha():
        name = "T" + name
    name = name[:_MAX_MODEL_NAME]
    try:
        check_model_name(name)
    except SpecError:
        name += "Record"
    if name in RESERVED_MODEL_NAMES or snake_case(name) in RESERVED_MODULE_NAMES or name == "Model":
        name += "Record"
    return name


def attribute_name(column: str, taken: Iterable[str]) -> str:
    """A snake_case Python name for a column: `class` -> `class_`, `Unit Price` -> `unit_price`."""
    name = re.sub(r"_+", "_", re.sub(r"[^a-z0-9_]+", "_", snake_case(column))).strip("_") or "column"
    if not name[0].isalpha():
        name = "c_" + name
    if name.startswith("model_"):  # pydantic reserves the model_ prefix
        name = "col_" + name
    taken = set(taken) | TYPE_NAMES | AMBIGUOUS_NAMES | CLASS_BODY_NAMES
    while keyword.iskeyword(name) or name in taken or not FIELD_NAME.match(name):
        name += "_"
    return name


def relation_name(column: str, taken: Iterable[str]) -> str:
    """The relationship of a foreign key column, `author_id` -> `author`, whose own column (`author` +
    `_id`) is a name of `taken` neither; `taken` holds the model's names and the reserved ones."""
    taken = set(taken) | TYPE_NAMES | AMBIGUOUS_NAMES | CLASS_BODY_NAMES
    base = attribute_name(column, taken)
    relation = base[:-3] if base.endswith("_id") and len(base) > 3 else base
    while relation in taken or f"{relation}_id" in taken or keyword.iskeyword(relation):
        relation += "_"
    return relation
