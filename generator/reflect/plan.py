"""The tables of a schema as ModelSpecs, the very objects `--model` produces, checked by the spec
code's own data-level checks (`check_model`, `check_model_set`) and ordered as it orders them; the
tables the generated API cannot serve are skipped with the reason why."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy.dialects import mysql

from generator.errors import SpecError, UsageError
from generator.naming import snake_case
from generator.ordering import refs_first
from generator.reflect.keys import table_keys
from generator.reflect.names import attribute_name, model_names, relation_name
from generator.reflect.schema import Schema, Table
from generator.reflect.type_mapping import (
    ID_TYPES,
    Kept,
    Unmappable,
    column_type,
    key_kind,
    sa_code,
    server_default_text,
    with_server_default,
)
from generator.spec import (
    RESERVED_FIELD_NAMES,
    TIMESTAMP_FIELD_NAMES,
    FieldSpec,
    KeptColumn,
    ModelSpec,
    TableKey,
    check_model,
    check_model_set,
)

# A reflected model has no created_at/updated_at of its own, so its columns may take those names.
_RESERVED = RESERVED_FIELD_NAMES - TIMESTAMP_FIELD_NAMES


@dataclass(frozen=True)
class Skipped:
    table: str
    reason: str


@dataclass(frozen=True)
class Reflection:
    """What `--from-database` found: the project's database and driver, models and skipped tables."""

    database: str
    driver: str
    models: tuple[ModelSpec, ...]
    skipped: tuple[Skipped, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass
class _Draft:
    """A table on its way to a ModelSpec: its model name and its fields without refs resolved."""

    table: Table
    model: str
    id_column: str
    id_type: str | None
    id_supplied: bool = False
    id_sa_type: str | None = None
    id_nullable: bool = False
    fields: list[FieldSpec] = field(default_factory=list)
    kept: list[KeptColumn] = field(default_factory=list)
    # the table's keys over several columns: `@unique(...)` entries and the keys by their own names
    unique: tuple[tuple[str, ...], ...] = ()
    table_keys: tuple[TableKey, ...] = ()
    # field name -> referred (table, column) and the foreign key column's integer type, for ref fields
    refs: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def plan(
    schema: Schema,
    database: str,
    driver: str,
    only: Sequence[str] = (),
    exclude: Sequence[str] = (),
) -> Reflection:
    """Turn the tables of a schema into validated, ordered ModelSpecs, and the reasons for the rest."""
    found, views = schema.tables, schema.views
    known = set(found) | set(views)
    for name in [*only, *exclude]:
        if name not in known:
            raise UsageError(f"no table or view named {name!r} in the database")
    selected = [name for name in sorted(found) if (not only or name in only) and name not in exclude]
    skipped = [
        Skipped(view, "a view, not a table")
        for view in sorted(views)
        if (not only or view in only) and view not in exclude
    ]
    if not selected and not skipped:
        raise UsageError("the database has no tables to generate models for")

    drafts: dict[str, _Draft] = {}
    # A pure link table (two foreign keys, together the primary key) is an m2m field, not a model.
    links = [name for name in selected if _is_link_table(found[name])]
    selected = [name for name in selected if name not in links]
    names = model_names(selected)
    for table_name in selected:
        try:
            drafts[table_name] = _draft(found[table_name], names[table_name], database)
        except Unmappable as error:
            skipped.append(Skipped(table_name, str(error)))

    # A foreign key needs its table generated too; dropping one table can strand another.
    models: dict[str, ModelSpec] = {}
    while True:
        models, dropped = _resolve(drafts, set(found) - set(only or found) | set(exclude))
        if not dropped:
            break
        for table_name, reason in dropped.items():
            skipped.append(Skipped(table_name, reason))
            del drafts[table_name]
    for table_name in links:
        why_not = _add_link(found[table_name], drafts, models, set(found) - set(only or found) | set(exclude))
        if why_not is not None:
            skipped.append(Skipped(table_name, why_not))
    ordered = _ordered(models, skipped)
    notes = tuple(
        note for table_name, draft in drafts.items() if table_name in models for note in draft.notes
    )
    return Reflection(
        database=database,
        driver=driver,
        models=ordered,
        skipped=tuple(sorted(skipped, key=lambda s: s.table)),
        notes=notes,
    )


def _resolve(
    drafts: dict[str, _Draft], not_selected: set[str]
) -> tuple[dict[str, ModelSpec], dict[str, str]]:
    """ModelSpecs of every draft whose references resolve; the others with the reason why not."""
    models: dict[str, ModelSpec] = {}
    dropped: dict[str, str] = {}
    for table_name, draft in drafts.items():
        fields = []
        for spec in draft.fields:
            if spec.name in draft.refs:
                target, target_column, kind = draft.refs[spec.name]
                column = spec.db_column
                if target not in drafts:
                    why = "is not selected" if target in not_selected else "is skipped"
                    dropped[table_name] = (
                        f"its foreign key {column!r} refers to table {target!r}, which {why}"
                    )
                    break
                if target_column != drafts[target].id_column:
                    dropped[table_name] = (
                        f"its foreign key {column!r} refers to {target}.{target_column}, not a primary key"
                    )
                    break
                target_kind = drafts[target].id_type or "int"
                if kind != target_kind:
                    # The model's foreign key column takes the type of the key it refers to.
                    dropped[table_name] = (
                        f"its foreign key {column!r} is {kind}, the key it refers to {target_kind}"
                    )
                    break
                spec = replace(spec, ref=drafts[target].model)
            fields.append(spec)
        if table_name in dropped:
            continue
        model = ModelSpec(
            name=draft.model,
            fields=tuple(fields),
            table=None if draft.table.name == snake_case(draft.model) else draft.table.name,
            id_column=None if draft.id_column == "id" else draft.id_column,
            id_type=draft.id_type,
            id_supplied=draft.id_supplied,
            id_sa_type=draft.id_sa_type,
            id_nullable=draft.id_nullable,
            timestamps=False,
            kept=tuple(draft.kept),
            unique=draft.unique,
            table_keys=draft.table_keys,
        )
        try:
            # The checks of a hand-written model, on the data: a reflected model passes every one.
            models[table_name] = check_model(model)
        except SpecError as error:
            dropped[table_name] = f"cannot be generated: {error}"
    return models, dropped


def _ordered(models: dict[str, ModelSpec], skipped: list[Skipped]) -> tuple[ModelSpec, ...]:
    """Models with every ref pointing backwards; tables in a foreign-key cycle are skipped."""
    tables = {model.name: table for table, model in models.items()}
    ordered, cyclic = refs_first(list(models.values()))
    for model in cyclic:
        skipped.append(Skipped(tables[model.name], "its foreign keys form a cycle with other tables"))
    return check_model_set(ordered)


def _draft(table: Table, model: str, database: str) -> _Draft:
    if not table.primary_key:
        raise Unmappable("no primary key")
    if len(table.primary_key) > 1:
        raise Unmappable(f"composite primary key ({', '.join(table.primary_key)}), not a link table")
    columns = {column["name"]: column for column in table.columns}
    pk = columns[table.primary_key[0]]
    pk_kind = key_kind(pk["type"])
    if pk_kind is None:
        raise Unmappable(f"primary key {pk['name']!r} ({pk['type']}) is not an integer (the API's ids are)")
    draft = _Draft(
        table=table,
        model=model,
        id_column=pk["name"],
        id_type=ID_TYPES[pk_kind],
        # No sequence, identity or auto-increment: the client chooses the id of a new row.
        id_supplied=not _numbered(pk, database),
        id_sa_type=_exact_key_type(pk["type"], database),
        id_nullable=bool(pk.get("nullable")),
    )

    foreign_keys: dict[str, dict[str, Any]] = {}
    for fk in table.foreign_keys:
        if len(fk["constrained_columns"]) != 1 or fk.get("referred_schema"):
            raise Unmappable(
                f"foreign key {fk.get('name') or fk['constrained_columns']} is composite or crosses schemas"
            )
        foreign_keys[fk["constrained_columns"][0]] = fk
    keys = table_keys(table)
    draft.notes.extend(keys.notes)

    taken = {"id"}
    for column in table.columns:
        if column["name"] == pk["name"]:
            continue
        column_fk = foreign_keys.get(column["name"])
        try:
            spec = keys.of(_field(column, column_fk, taken, table, database), column["name"], table.name)
        except Kept as kept:
            default = server_default_text(column.get("default"))
            if not column["nullable"] and default is None:
                raise Unmappable(
                    f"column {column['name']!r} ({column['type']}) has no API form, and a create "
                    "cannot leave it out (NOT NULL without a default)"
                ) from None
            key = attribute_name(column["name"], RESERVED_FIELD_NAMES | taken)
            index = _single_index(table, column["name"])
            draft.kept.append(
                KeptColumn(
                    name=column["name"],
                    key=key,
                    sa_type=kept.sa_type,
                    optional=bool(column["nullable"]),
                    server_default=default if default and _SQL_TEXT.fullmatch(default) else None,
                    index_name=index["name"] if index else None,
                    index_using=(index.get("dialect_options") or {}).get("postgresql_using")
                    if index
                    else None,
                )
            )
            draft.notes.append(
                f"{table.name}: column {column['name']!r} is left out of the API ({kept.reason})"
            )
            taken |= {key}
            continue
        if spec.type == "text" and (spec.unique or spec.index) and not spec.sa_type:
            # A key on text is the database's own (PostgreSQL has no MySQL key limit): kept exactly.
            spec = replace(spec, sa_type=sa_code(column["type"], database))
        if column_fk is not None:
            kind = key_kind(column["type"]) or "int"
            draft.refs[spec.name] = (column_fk["referred_table"], column_fk["referred_columns"][0], kind)
        draft.fields.append(spec)
        taken |= {spec.name, spec.column}
    model_keys = keys.of_model(draft.id_column, draft.fields, draft.kept)
    draft.unique, draft.table_keys = model_keys.unique, model_keys.table_keys
    return draft


def _field(
    column: dict[str, Any], fk: dict[str, Any] | None, taken: Iterable[str], table: Table, database: str
) -> FieldSpec:
    """The field of a column; a foreign key column's is a ref, whose model `_resolve` fills in."""
    name = column["name"]
    if fk is not None:
        if key_kind(column["type"]) is None:
            raise Unmappable(f"foreign key column {name!r} is not an integer")
        relation = relation_name(name, _RESERVED | set(taken))
        options = fk.get("options") or {}
        spec = FieldSpec(
            name=relation,
            type="ref",
            ref="?",
            optional=bool(column["nullable"]),
            sa_type=_exact_key_type(column["type"], database),
            ondelete=_action(options.get("ondelete")),
            onupdate=_action(options.get("onupdate")),
        )
        return replace(spec, db_name=None if spec.column == name else name)
    kind, details = column_type(column, table, database)
    # Only a column of the very type the generated Model's timestamps have may take their name.
    reserved = _RESERVED if kind == "datetime" and not column["nullable"] else RESERVED_FIELD_NAMES
    attribute = attribute_name(name, reserved | set(taken))
    spec = FieldSpec(name=attribute, type=kind, optional=bool(column["nullable"]), **details)
    spec = replace(spec, db_name=None if attribute == name else name)
    return with_server_default(spec, column.get("default"), _RESERVED)


# SQL text a model prints inside `text("...")`.
_SQL_TEXT = re.compile(r'[^"\\\x00-\x1f\x7f]{1,200}')


def _action(action: str | None) -> str | None:
    """A referential action as the model spells it; NO ACTION is what a foreign key does unasked."""
    if action is None:
        return None
    action = action.upper()
    return None if action == "NO ACTION" else action


def _exact_key_type(type_: Any, database: str) -> str | None:
    """The exact type of a key or foreign key column that the grammar's integers do not spell (a MySQL
    unsigned INT); None for a plain integer."""
    if database == "mysql" and (
        getattr(type_, "unsigned", False) or isinstance(type_, (mysql.TINYINT, mysql.MEDIUMINT))
    ):
        return sa_code(type_, database)
    return None


def _is_link_table(table: Table) -> bool:
    """Two columns, each a single-column foreign key, together the primary key."""
    columns = [column["name"] for column in table.columns]
    keys = [fk for fk in table.foreign_keys if len(fk["constrained_columns"]) == 1]
    return (
        len(columns) == 2
        and sorted(table.primary_key) == sorted(columns)
        and sorted(fk["constrained_columns"][0] for fk in keys) == sorted(columns)
        and len(keys) == 2
        and not any(fk.get("referred_schema") for fk in keys)
    )


def _add_link(
    table: Table, drafts: dict[str, _Draft], models: dict[str, ModelSpec], not_selected: set[str]
) -> str | None:
    """Add the m2m field of link table `table` to the model of its first key column's table; the
    reason why not, if it cannot be."""
    by_column = {fk["constrained_columns"][0]: fk for fk in table.foreign_keys}
    owner_fk, target_fk = (by_column[column] for column in table.primary_key)
    for fk in (owner_fk, target_fk):
        target = fk["referred_table"]
        column = fk["constrained_columns"][0]
        if target not in models:
            why = "is not selected" if target in not_selected else "is skipped"
            return f"a link table whose foreign key {column!r} refers to table {target!r}, which {why}"
        if fk["referred_columns"] != [drafts[target].id_column]:
            return f"its foreign key {column!r} refers to {target}.{fk['referred_columns'][0]}, not a primary key"
    actions = {
        _action((fk.get("options") or {}).get("ondelete")) or "NO ACTION" for fk in (owner_fk, target_fk)
    }
    updates = {_action((fk.get("options") or {}).get("onupdate")) for fk in (owner_fk, target_fk)}
    if len(actions) > 1 or len(updates) > 1:
        return "a link table whose two foreign keys have different ON DELETE/ON UPDATE actions"
    owner = models[owner_fk["referred_table"]]
    target = models[target_fk["referred_table"]]
    owner_column, target_column = table.primary_key
    index = next(
        (i for i in table.indexes if i["column_names"] == [target_column] and not i.get("unique")), None
    )
    name = _link_name(owner, target, table.name)
    spec = FieldSpec(
        name=name,
        type="m2m",
        ref=target.name,
        db_name=table.name,
        link_columns=(owner_column, target_column),
        ondelete=actions.pop(),
        onupdate=updates.pop(),
        ref_index=index is not None,
        index_name=(
            None if index is None or index["name"] == f"ix_{table.name}_{target_column}" else index["name"]
        ),
    )
    try:
        models[owner_fk["referred_table"]] = check_model(replace(owner, fields=(*owner.fields, spec)))
    except SpecError as error:
        return f"a link table that cannot be generated: {error}"
    return None


def _link_name(owner: ModelSpec, target: ModelSpec, table: str) -> str:
    """The m2m field of a link table: the target's rows (`tracks`), or the link table's name when
    that is taken."""
    from generator.naming import plural, singular

    taken = {f.name for f in owner.fields} | {f.column for f in owner.fields} | _RESERVED | {"id"}
    taken |= {column.key for column in owner.kept}
    name = plural(snake_case(target.name))
    if target.name == owner.name or name in taken or f"{singular(name)}_ids" in taken:
        name = attribute_name(table, taken)
    return name


def _numbered(pk: dict[str, Any], database: str) -> bool:
    """Whether the database numbers new rows: a sequence, an identity, AUTO_INCREMENT, or SQLite's
    INTEGER PRIMARY KEY (the rowid)."""
    if database == "sqlite":
        return type(pk["type"]).__name__ == "INTEGER"
    return pk.get("autoincrement") is True


def _single_index(table: Table, column: str) -> dict[str, Any] | None:
    """The plain index of `column` alone, if the table has one."""
    return next(
        (
            index
            for index in table.indexes
            if index["column_names"] == [column] and not index.get("unique") and not index.get("expressions")
        ),
        None,
    )
