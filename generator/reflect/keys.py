"""Unique constraints and indexes of a table, as the grammar's `unique` and `index` of its fields and
the model's `@unique(...)` and table keys.

In the grammar `unique` alone is a unique constraint, `unique` + `index` one unique index, and a ref
is indexed unless `ref_index` is False, as the generated models and migrations render them. Names
that are not the naming convention's are kept (`unique_name`, `index_name`). A key over several
columns keeps its own name and a partial one its condition (a TableKey); a unique one over fields is
also the model's `@unique(...)`. Keys over expressions, MySQL prefix keys and other methods than btree
over several columns are not modelled, and say so in a note.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from generator.reflect.schema import Table
from generator.spec import SERVER_DEFAULT, FieldSpec, KeptColumn, TableKey

# An index option that changes what part of a column an index holds (a MySQL prefix): a model's
# Index without it would build another index on an empty database.
_UNMODELLED_OPTIONS = ("mysql_length", "mariadb_length")
# A partial index's condition, by database.
_WHERE_OPTIONS = ("postgresql_where", "sqlite_where")


@dataclass(frozen=True)
class Composite:
    """A key over several columns, by the database's column names: `unique` alone a unique
    constraint, `unique` and `index` a unique index, `index` alone a plain index."""

    name: str
    columns: tuple[str, ...]
    unique: bool
    index: bool
    where: str | None = None  # a partial index's condition


@dataclass(frozen=True)
class ModelKeys:
    """What a table's composite keys add to its model: `@unique(...)` entries (field names), and
    every such key by its own name."""

    unique: tuple[tuple[str, ...], ...] = ()
    table_keys: tuple[TableKey, ...] = ()


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

    def of_model(self, id_column: str, fields: Sequence[FieldSpec], kept: Sequence[KeptColumn]) -> ModelKeys:
        """The composite keys as the model holds them, over its fields, kept columns and key. A
        unique one over fields that an `@unique(...)` can hold is one: the API documents it and the
        project's tests try a duplicate; any other is in the model all the same (a duplicate is a
        409 naming its fields either way)."""
        by_column = {spec.db_column: spec for spec in fields if spec.type != "m2m"}
        others = {column.name: column.key for column in kept} | {id_column: "id"}
        uniques: list[tuple[str, ...]] = []
        table_keys: list[TableKey] = []
        for key in self.composites:
            specs = [by_column.get(column) for column in key.columns]
            names = tuple(
                spec.name if spec is not None else others[column]
                for spec, column in zip(specs, key.columns, strict=True)
            )
            # Unique only where a condition holds, the key is no @unique(...): a duplicate outside it is fine.
            if (
                key.unique
                and key.where is None
                and all(spec is not None and not spec.unique for spec in specs)
            ):
                uniques.append(names)
            table_keys.append(
                TableKey(name=key.name, fields=names, unique=key.unique, index=key.index, where=key.where)
            )
        return ModelKeys(unique=tuple(uniques), table_keys=tuple(table_keys))


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
        where = next(
            (str(options[option]) for option in _WHERE_OPTIONS if options.get(option) is not None), None
        )
        if len(columns) == 1 and plain:
            if columns[0] in uniques and index.get("unique"):
                continue  # MySQL lists a unique constraint as an index too
            indexes[columns[0]] = (index["name"], bool(index.get("unique")))
        elif (
            plain
            and options.get("postgresql_using", "btree") == "btree"
            and not any(options.get(option) for option in _UNMODELLED_OPTIONS)
            and (where is None or SERVER_DEFAULT.fullmatch(where))  # the model prints it in text("...")
        ):
            if index.get("unique") and tuple(columns) in constrained:
                continue
            composites.append(
                Composite(index["name"], tuple(columns), bool(index.get("unique")), index=True, where=where)
            )
        else:
            notes.append(f"{table.name}: index {index['name']} is not modelled")
    return Keys(uniques=uniques, indexes=indexes, composites=tuple(composites), notes=tuple(notes))
