"""Unique constraints and indexes of a table, as the grammar's `unique` and `index` of its fields.

In the grammar `unique` alone is a unique constraint, `unique` + `index` one unique index, and a ref
is indexed unless `ref_index` is False, as the generated models and migrations render them. Names
that are not the naming convention's are kept (`unique_name`, `index_name`); keys over several
columns or expressions are not modelled, and say so in a note.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from generator.reflect.schema import Table
from generator.spec import FieldSpec


@dataclass(frozen=True)
class Keys:
    """A table's single-column keys: unique constraints (column -> name), indexes (column -> (name,
    unique)), and notes on the keys that are not modelled."""

    uniques: dict[str, str] = field(default_factory=dict)
    indexes: dict[str, tuple[str, bool]] = field(default_factory=dict)
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


def single_column_keys(table: Table) -> Keys:
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
    for constraint in table.hidden_uniques:
        notes.append(
            f"{table.name}: UNIQUE ({', '.join(constraint['column_names'])}) is enforced but not modelled "
            "(SQLite's unnamed unique constraints are not matched by Alembic; a duplicate is still a 409)"
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
    return Keys(uniques=uniques, indexes=indexes, notes=tuple(notes))
