"""Unique constraints and indexes of a table, as the grammar's `unique` and `index` of its fields and
the model's `@unique(...)` and table keys.

In the grammar `unique` alone is a unique constraint, `unique` + `index` one unique index, and a ref
is indexed unless `ref_index` is False, as the generated models and migrations render them. Names
that are not the naming convention's are kept (`unique_name`, `index_name`). A key over several
columns keeps its own name (a TableKey): a unique one is also the model's `@unique(...)`, so that a
duplicate is a 409 naming its fields. Keys over expressions, partial ones (WHERE), and keys the model
cannot hold are not modelled, and say so in a note.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from generator.reflect.schema import Table
from generator.spec import FieldSpec, KeptColumn, TableKey

# Index options that change what an index holds or which rows: the model would print a different
# index, so Alembic would see drift (a PostgreSQL partial index, a MySQL prefix of a column).
_UNMODELLED_OPTIONS = ("postgresql_where", "sqlite_where", "mysql_length")


@dataclass(frozen=True)
class Composite:
    """A key over several columns, by the database's column names: `unique` alone a unique
    constraint, `unique` and `index` a unique index, `index` alone a plain index."""

    name: str
    columns: tuple[str, ...]
    unique: bool
    index: bool


@dataclass(frozen=True)
class ModelKeys:
    """What a table's composite keys add to its model: `@unique(...)` entries (field names), the
    table keys that name them or index several columns, and notes on the keys it cannot hold."""

    unique: tuple[tuple[str, ...], ...] = ()
    table_keys: tuple[TableKey, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Keys:
    """A table's keys: single-column unique constraints (column -> name) and indexes (column ->
    (name, unique)), keys over several columns, and notes on the keys that are not modelled."""

    uniques: dict[str, str] = field(default_factory=dict)
    indexes: dict[str, tuple[str, bool]] = field(default_factory=dict)
    composites: tuple[Composite, ...] = ()
    notes: tuple[str, ...] = ()

    def of(self, spec: FieldSpec, column: str, table: str) -> FieldSpec:
        """The field of `column` with its unique constraint and index."""
        index = self.indexes.get(column)
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
        if column in self.uniques and not spec.unique:
            name = self.uniques[column]
            spec = replace(spec, unique=True, unique_name=None if name == f"uq_{table}_{column}" else name)
        return spec

    def of_model(self, fields: Sequence[FieldSpec], kept: Sequence[KeptColumn], table: str) -> ModelKeys:
        """The composite keys as the model holds them, over its fields and kept columns."""
        by_column = {spec.db_name or spec.column: spec for spec in fields if spec.type != "m2m"}
        kept_keys = {column.name: column.key for column in kept}
        uniques: list[tuple[str, ...]] = []
        table_keys: list[TableKey] = []
        notes: list[str] = []
        for key in self.composites:
            specs = [by_column.get(column) for column in key.columns]
            if key.unique:
                why_not = _why_not_unique(key, specs)
                if why_not is not None:
                    notes.append(f"{table}: {_kind(key)} {key.name} on ({', '.join(key.columns)}) {why_not}")
                    continue
                names = tuple(spec.name for spec in specs if spec is not None)
                uniques.append(names)
            else:
                if not all(spec is not None or column in kept_keys for spec, column in zip(specs, key.columns)):
                    notes.append(f"{table}: index {key.name} is not modelled (a column the model lacks)")
                    continue
                names = tuple(
                    spec.name if spec is not None else kept_keys[column]
                    for spec, column in zip(specs, key.columns)
                )
            table_keys.append(TableKey(name=key.name, fields=names, unique=key.unique, index=key.index))
        return ModelKeys(unique=tuple(uniques), table_keys=tuple(table_keys), notes=tuple(notes))


def _kind(key: Composite) -> str:
    return "unique index" if key.index else "unique constraint"


def _why_not_unique(key: Composite, specs: Sequence[FieldSpec | None]) -> str | None:
    """Why a composite unique key cannot be an `@unique(...)` of the model, if it cannot."""
    if any(spec is None for spec in specs):
        return "is not modelled (a column the API leaves out)"
    if any(spec is not None and spec.unique for spec in specs):
        return "is not modelled (a column of it is unique on its own)"
    return None


def table_keys(table: Table) -> Keys:
    notes = []
    uniques: dict[str, str] = {}
    composites: list[Composite] = []
    for constraint in table.unique_constraints:
        columns = constraint["column_names"]
        if len(columns) == 1:
            uniques[columns[0]] = constraint["name"]
        else:
            composites.append(Composite(constraint["name"], tuple(columns), unique=True, index=False))
    for constraint in table.hidden_uniques:
        notes.append(
            f"{table.name}: UNIQUE ({', '.join(constraint['column_names'])}) is enforced but not modelled "
            "(SQLite's unnamed unique constraints are not matched by Alembic; a duplicate is still a 409)"
        )
    indexes: dict[str, tuple[str, bool]] = {}
    constrained = {key.columns for key in composites}
    for index in table.indexes:
        columns = index["column_names"]
        if index.get("duplicates_constraint") or columns == table.primary_key:
            continue
        options = index.get("dialect_options") or {}
        plain = None not in columns and not index.get("expressions")
        if len(columns) == 1 and plain:
            if columns[0] in uniques and index.get("unique"):
                continue  # MySQL lists a unique constraint as an index too
            indexes[columns[0]] = (index["name"], bool(index.get("unique")))
        elif (
            plain
            and options.get("postgresql_using", "btree") == "btree"
            and not any(options.get(option) for option in _UNMODELLED_OPTIONS)
        ):
            if index.get("unique") and tuple(columns) in constrained:
                continue
            composites.append(Composite(index["name"], tuple(columns), bool(index.get("unique")), index=True))
        else:
            notes.append(f"{table.name}: index {index['name']} is not modelled")
    return Keys(uniques=uniques, indexes=indexes, composites=tuple(composites), notes=tuple(notes))
