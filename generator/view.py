"""The project as the templates see it: frozen view objects computed once from validated answers.

Every name, plural, type and import a template prints is worked out here, from the spec dataclasses
(generator.spec) and the field-type table (generator.field_types); templates only print these
values. The copier extension (generator.copier_extension) hands `entities` to every template.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from generator.field_types import (
    DB_TYPE_OVERRIDES,
    FIELD_TYPES,
    ID_TYPES,
    MYSQL_TEXT_LIMIT,
    PROJECT_COLUMN_TYPES,
    FieldType,
    Import,
)
from generator.spec import DEFAULT_STR_LENGTH, FieldSpec, ModelSpec

_DEFAULT_PRECISION, _DEFAULT_SCALE = 10, 2


class Imports:
    """`from module import name` lines, collected while a view is built; ruff sorts them later."""

    def __init__(self, *imports: Import | None) -> None:
        self._names: dict[str, set[str]] = {}
        self.add(*imports)

    def add(self, *imports: Import | None) -> Imports:
        for item in imports:
            if item is not None:
                self._names.setdefault(item.module, set()).add(item.name)
        return self

    def lines(self) -> tuple[str, ...]:
        return tuple(
            f"import {module}" if names == {""} else f"from {module} import {', '.join(sorted(names))}"
            for module, names in sorted(self._names.items())
        )


def module_import(module: str) -> Import:
    """`import module`."""
    return Import(module, "")


@dataclass(frozen=True)
class RelationshipView:
    """A `relationship()` attribute: a ref field's parent, or the rows of a child that refer here."""

    name: str  # the attribute, and the name `include=` takes
    model: str  # the related model class
    module: str  # its package (`author` for pkg.author)
    many: bool  # a list of children, else one parent
    optional: bool
    args: str  # the arguments of relationship(...)

    @property
    def annotation(self) -> str:
        if self.many:
            return f"list[{self.model}]"
        return f"{self.model} | None" if self.optional else self.model

    @property
    def nested(self) -> str:
        """The annotation of the nested rows in the WithRelations response."""
        if self.many:
            return f"list[{self.model}Read]"
        return f"{self.model}Read | None"

    @property
    def nested_default(self) -> str:
        return "Field(default_factory=list)" if self.many else "None"


@dataclass(frozen=True)
class FilterView:
    """A query parameter of the list endpoint: `price`, `price__gt`, `title__contains`."""

    name: str
    annotation: str
    field_args: str  # the arguments of Field(...) after default=None, or "" for a plain `= None`


@dataclass(frozen=True)
class FieldView:
    name: str
    column: str  # the attribute, request and response name: `author_id` for `author:ref(Author)`
    db_column: str
    kind: str
    optional: bool
    unique: bool
    indexed: bool
    has_default: bool
    default: str  # the Python literal of the default value
    # models.py
    mapped: str  # the annotation inside Mapped[...]
    column_args: str  # the arguments of mapped_column(...)
    relationship: RelationshipView | None
    # schemas.py
    request_type: str
    create_annotation: str
    create_field: str  # the arguments of Field(...), or "" when the field has none
    update_field: str
    read_annotation: str
    sortable: bool
    filters: tuple[FilterView, ...]
    # migrations
    migration_column: str  # sa.Column(...)
    foreign_key: str  # sa.ForeignKeyConstraint(...), or ""
    unique_constraint: str  # sa.UniqueConstraint(...), or ""
    index: str  # op.create_index(...), or ""
    table_args: tuple[str, ...]  # named constraints of an existing database, for __table_args__
    project_column_type: str | None  # a column type of the project's column_types.py
    compare_import: Import | None
    # tests
    sample: str
    sample_imports: tuple[Import, ...]
    compare: str  # how a test compares: `{v}` stands for the value
    ref_model: str | None
    collection: str | None  # for a ref: the name of the parent's relationship to this model's rows
    ref_snake: str | None
    ref_plural: str | None
    self_ref: bool

    def compared(self, value: str) -> str:
        return self.compare.replace("{v}", value)


@dataclass(frozen=True)
class EntityView:
    name: str
    snake: str
    plural: str
    words: str  # "order item": the model in prose
    plural_words: str
    table: str
    id_column: str  # the primary key column
    url: str
    revision: str | None
    down_revision: str | None
    timestamps: bool
    fields: tuple[FieldView, ...]
    id_column_args: str  # arguments of the `id` mapped_column when the table's key is not the default
    id_migration_type: str
    table_args: tuple[str, ...]
    missing_timestamps: tuple[str, ...]
    parents: tuple[FieldView, ...]  # ref fields to other models (not to itself)
    relationships: tuple[RelationshipView, ...]  # every relationship, parents then children
    children: tuple[RelationshipView, ...]
    sortable: tuple[str, ...]
    model_imports: tuple[str, ...]
    model_type_checking_imports: tuple[str, ...]
    schema_imports: tuple[str, ...]
    relation_imports: tuple[str, ...]
    test_imports: tuple[str, ...]
    cache_test_imports: tuple[str, ...]  # what tests/test_cache.py needs of this model (--cache redis)
    factory_imports: tuple[str, ...]
    # fields the generated tests use: one to filter by, one to change, one unique, one not null
    filter_field: FieldView | None
    patch_field: FieldView | None
    unique_field: FieldView | None
    not_null_field: FieldView | None
    required: tuple[FieldView, ...]  # fields a create must send

    @property
    def response(self) -> str:
        """The schema GET returns: with the `include=` relations when the model has any."""
        return f"{self.name}WithRelations" if self.relationships else f"{self.name}Read"

    @property
    def column_types(self) -> tuple[str, ...]:
        """The project's own column types (column_types.py) this model's table uses."""
        types = {f.project_column_type for f in self.fields if f.project_column_type}
        return tuple(sorted(types | ({"UTCDateTime"} if self.timestamps else set())))


@dataclass(frozen=True)
class RevisionView:
    """An Alembic revision that creates the tables of `tables`."""

    id: str
    down_revision: str | None
    title: str
    tables: tuple[EntityView, ...]

    @property
    def column_types(self) -> tuple[str, ...]:
        return tuple(sorted({name for entity in self.tables for name in entity.column_types}))


@dataclass(frozen=True)
class ProjectView:
    package: str
    database: str
    entities: tuple[EntityView, ...]

    @property
    def initial_revision(self) -> RevisionView:
        """The tables of `asyncrud new`; a model added later has a revision of its own."""
        tables = tuple(e for e in self.entities if not e.revision)
        return RevisionView("0001_initial", None, "Initial tables", tables)

    @property
    def added_revisions(self) -> tuple[RevisionView, ...]:
        return tuple(
            RevisionView(e.revision, e.down_revision, f"Add {e.name}", (e,))
            for e in self.entities
            if e.revision
        )

    @property
    def column_types(self) -> tuple[str, ...]:
        return tuple(sorted({name for e in self.entities for name in e.column_types}))

    @property
    def from_database(self) -> bool:
        return any(not e.timestamps for e in self.entities)


def project_view(package: str, database: str, models: Sequence[ModelSpec]) -> ProjectView:
    """The view of every model; `models` are validated and ordered (refs point backwards)."""
    by_name = {m.name: m for m in models}
    children: dict[str, list[tuple[ModelSpec, FieldSpec]]] = {}
    for model in models:
        for spec in model.fields:
            if spec.ref is not None:
                children.setdefault(spec.ref, []).append((model, spec))
    entities = tuple(
        _entity(package, database, model, by_name, children.get(model.name, [])) for model in models
    )
    return ProjectView(package=package, database=database, entities=entities)


def _entity(
    package: str,
    database: str,
    model: ModelSpec,
    by_name: dict[str, ModelSpec],
    children: list[tuple[ModelSpec, FieldSpec]],
) -> EntityView:
    from generator.naming import plural, snake_case

    snake = snake_case(model.name)
    table = model.table or snake
    fields = tuple(_field(package, database, model, spec, by_name) for spec in model.fields)
    taken = {f.name for f in fields} | {f.column for f in fields}
    child_relations = _children(model, children, taken)
    parents = tuple(f for f in fields if f.kind == "ref" and not f.self_ref)
    relationships = tuple(f.relationship for f in fields if f.relationship) + child_relations

    model_imports = Imports(
        Import("sqlalchemy.orm", "Mapped"),
        Import("sqlalchemy.orm", "mapped_column"),
        Import(f"{package}.database", "Model"),
    )
    if relationships:
        model_imports.add(Import("sqlalchemy.orm", "relationship"))
    related = sorted({(r.module, r.model) for r in relationships if r.model != model.name})
    if related:
        model_imports.add(Import("typing", "TYPE_CHECKING"))
    for spec, view in zip(model.fields, fields, strict=True):
        row = _row(spec)
        model_imports.add(row.python_import if spec.type != "ref" else None)
        if spec.type == "ref":
            model_imports.add(Import("sqlalchemy", "ForeignKey"))
            target = by_name.get(spec.ref or "")
            if target is not None and target.id_type:
                model_imports.add(Import("sqlalchemy", ID_TYPES[target.id_type]))
        else:
            model_imports.add(row.sqlalchemy_import)
        if view.project_column_type:
            model_imports.add(Import(f"{package}.column_types", view.project_column_type))
        if spec.server_default:
            model_imports.add(Import("sqlalchemy", "text"))
    if model.id_type:
        model_imports.add(Import("sqlalchemy", ID_TYPES[model.id_type]), Import("sqlalchemy", "Integer"))
    table_args = tuple(arg for f in fields for arg in f.table_args)
    if any(arg.startswith("UniqueConstraint") for arg in table_args):
        model_imports.add(Import("sqlalchemy", "UniqueConstraint"))
    if any(arg.startswith("Index") for arg in table_args):
        model_imports.add(Import("sqlalchemy", "Index"))

    own = f"{package}.{snake}.schemas"
    schema_imports = Imports(
        Import("pydantic", "BaseModel"),
        Import("pydantic", "ConfigDict"),
        Import("pydantic", "Field"),
        Import("typing", "Literal"),
        Import(f"{package}.pagination", "CommaList"),
        Import(f"{package}.pagination", "PageQuery"),
    )
    if model.timestamps:
        schema_imports.add(Import("datetime", "datetime"))
    for spec, view in zip(model.fields, fields, strict=True):
        schema_imports.add(_row(spec).python_import)
        if view.request_type != _row(spec).python:
            schema_imports.add(Import(f"{package}.validators", view.request_type))
    if any(not f.optional for f in fields):
        schema_imports.add(
            Import("pydantic", "field_validator"), Import(f"{package}.validators", "reject_null")
        )

    relation_imports = Imports(Import(own, f"{model.name}Read"))
    if any(r.many for r in relationships):
        relation_imports.add(Import("pydantic", "Field"))
    for relation in relationships:
        relation_imports.add(Import(f"{package}.{relation.module}.schemas", f"{relation.model}Read"))

    sortable = (
        "id",
        *(f.column for f in fields if f.sortable),
        *(("created_at", "updated_at") if model.timestamps else ()),
    )
    not_null = [f for f in fields if not f.optional]
    return EntityView(
        name=model.name,
        snake=snake,
        plural=plural(snake),
        words=snake.replace("_", " "),
        plural_words=plural(snake).replace("_", " "),
        table=table,
        id_column=model.id_column or "id",
        url=f"/api/v1/{plural(snake)}",
        revision=model.revision,
        down_revision=model.down_revision,
        timestamps=model.timestamps,
        fields=fields,
        id_column_args=_id_column_args(model),
        id_migration_type=f"sa.{ID_TYPES[model.id_type]}()" if model.id_type else "sa.Integer()",
        table_args=table_args,
        missing_timestamps=()
        if model.timestamps
        else tuple(name for name in ("created_at", "updated_at") if name not in {f.column for f in fields}),
        parents=parents,
        relationships=relationships,
        children=child_relations,
        sortable=sortable,
        model_imports=model_imports.lines(),
        model_type_checking_imports=Imports(
            *(Import(f"{package}.{module}.models", name) for module, name in related)
        ).lines(),
        schema_imports=schema_imports.lines(),
        relation_imports=relation_imports.lines(),
        test_imports=_test_imports(package, snake, fields, parents, bool(relationships)),
        cache_test_imports=_cache_test_imports(snake, fields),
        factory_imports=_factory_imports(fields, parents),
        filter_field=next(
            (
                f
                for f in fields
                if f.kind in ("str", "int", "bigint", "uuid", "date", "datetime", "ref") and not f.self_ref
            ),
            None,
        ),
        patch_field=next((f for f in fields if f.kind != "ref"), None),
        unique_field=next((f for f in fields if f.unique and not f.self_ref), None),
        not_null_field=not_null[0] if not_null else None,
        required=tuple(f for f in fields if not f.optional and not f.has_default),
    )


def _children(
    model: ModelSpec, children: list[tuple[ModelSpec, FieldSpec]], taken: set[str]
) -> tuple[RelationshipView, ...]:
    """The collections of rows that refer to `model`: `Author.books` for `Book.author`."""
    from generator.naming import plural, snake_case

    per_child: dict[str, int] = {}
    for child, _ in children:
        per_child[child.name] = per_child.get(child.name, 0) + 1
    views = []
    for child, spec in children:
        rows = plural(snake_case(child.name))
        # Two refs from one model (sender, recipient) or a ref to itself need the field in the name.
        ambiguous = per_child[child.name] > 1 or child.name == model.name or rows in taken
        name = f"{rows}_by_{spec.name}" if ambiguous else rows
        taken.add(name)
        views.append(
            RelationshipView(
                name=name,
                model=child.name,
                module=snake_case(child.name),
                many=True,
                optional=False,
                # The database refuses to delete a row that others refer to: the ORM must not
                # null out the children first, nor load them to find out (lazy="raise").
                args=(
                    f'foreign_keys="{child.name}.{spec.column}", back_populates="{spec.name}", '
                    'lazy="raise", passive_deletes="all"'
                ),
            )
        )
    return tuple(views)


def _field(
    package: str, database: str, model: ModelSpec, spec: FieldSpec, by_name: dict[str, ModelSpec]
) -> FieldView:
    from generator.naming import plural, snake_case

    row = _row(spec)
    values = _format_values(spec, database)
    column = spec.column
    db_column = spec.db_name or column
    indexed = (spec.index or spec.type == "ref") and spec.ref_index
    self_ref = spec.ref == model.name
    target = by_name.get(spec.ref or "") if spec.ref else None
    has_default = spec.default is not None
    default = row.literal.format(value=spec.default, json=json.dumps(spec.default)) if has_default else ""

    if spec.type == "ref":
        assert spec.ref is not None
        target_table = (target.table if target else None) or snake_case(spec.ref)
        target_id = (target.id_column if target else None) or "id"
        sa_type = f'ForeignKey("{target_table}.{target_id}")'
        target_id_type = target.id_type if target else None
        migration_type = f"sa.{ID_TYPES[target_id_type]}()" if target_id_type else "sa.Integer()"
    else:
        sa_type = row.sqlalchemy.format(**values)
        target_table = target_id = ""
        migration_type = sa_type + "()" if sa_type in PROJECT_COLUMN_TYPES else _sa(sa_type)

    table = model.table or snake_case(model.name)
    # A unique field that is also indexed is one unique index (named by `index_name` or by the naming
    # convention); a unique constraint of its own only where the database named one.
    unique_index = spec.unique and indexed and not spec.unique_name
    args = [sa_type]
    if db_column != column:
        args.insert(0, f'"{db_column}"')
    if spec.unique and not (spec.unique_name or spec.index_name):
        args.append("unique=True")
    if indexed and not spec.index_name:
        args.append("index=True")
    if has_default:
        args.append(f"default={default}")
    if spec.server_default:
        args.append(f'server_default=text("{spec.server_default}")')
    if db_column != column:
        args.append(f'key="{column}"')
    table_args = []
    if spec.unique and spec.unique_name:
        table_args.append(f'UniqueConstraint("{column}", name="{spec.unique_name}")')
    if indexed and spec.index_name:
        unique = ", unique=True" if unique_index else ""
        table_args.append(f'Index("{spec.index_name}", "{column}"{unique})')

    relationship = None
    if spec.type == "ref":
        assert spec.ref is not None
        rel_args = [f"foreign_keys=[{column}]"]
        if self_ref:
            rel_args.append(f'remote_side="{model.name}.id"')
        rel_args += [f'back_populates="{_child_collection_name(model, spec, by_name)}"', 'lazy="raise"']
        relationship = RelationshipView(
            name=spec.name,
            model=spec.ref,
            module=snake_case(spec.ref),
            many=False,
            optional=spec.optional,
            args=", ".join(rel_args),
        )

    request_type = row.request or row.python
    constraints = row.constraints.format(**values)
    if spec.type == "text" and database == "mysql":
        constraints = f"max_length={MYSQL_TEXT_LIMIT}"
    strict = ["strict=True"] if row.strict else []
    create_args = (["default=None"] if spec.optional and not has_default else []) + (
        [f"default={default}"] if has_default else []
    )
    create_field = ", ".join(create_args + strict + ([constraints] if constraints else []))
    update_field = ", ".join(["default=None", *strict, *([constraints] if constraints else [])])

    filters = _filters(spec, row, column, request_type, constraints)
    sample = _sample(spec, row, values, column)
    unique_name = spec.unique_name or f"uq_{table}_{db_column}"
    index_name = spec.index_name or f"ix_{table}_{db_column}"
    server_default = [f'server_default=sa.text("{spec.server_default}")'] if spec.server_default else []
    return FieldView(
        name=spec.name,
        column=column,
        db_column=db_column,
        kind=spec.type,
        optional=spec.optional,
        unique=spec.unique,
        indexed=indexed,
        has_default=has_default,
        default=default,
        mapped=row.python + (" | None" if spec.optional else ""),
        column_args=", ".join(args),
        relationship=relationship,
        request_type=request_type,
        create_annotation=request_type + (" | None" if spec.optional else ""),
        create_field=create_field,
        update_field=update_field,
        read_annotation=row.python + (" | None" if spec.optional else ""),
        sortable=row.sortable,
        filters=filters,
        migration_column=", ".join(
            [f'sa.Column("{db_column}"', migration_type, *server_default, f"nullable={spec.optional})"]
        ),
        foreign_key=(
            f'sa.ForeignKeyConstraint(["{db_column}"], ["{target_table}.{target_id}"], '
            f'name=op.f("fk_{table}_{db_column}_{target_table}"))'
            if spec.type == "ref"
            else ""
        ),
        unique_constraint=(
            f'sa.UniqueConstraint("{db_column}", name=op.f("{unique_name}"))'
            if spec.unique and not unique_index
            else ""
        ),
        index=(
            f'op.create_index(op.f("{index_name}"), "{table}", ["{db_column}"]'
            + (", unique=True" if unique_index else "")
            + ")"
            if indexed
            else ""
        ),
        table_args=tuple(table_args),
        project_column_type=sa_type if sa_type in PROJECT_COLUMN_TYPES else None,
        compare_import=row.compare_import,
        sample=sample,
        sample_imports=row.sample_imports,
        compare=row.compare,
        ref_model=spec.ref,
        collection=_child_collection_name(model, spec, by_name) if spec.ref else None,
        ref_snake=snake_case(spec.ref) if spec.ref else None,
        ref_plural=plural(snake_case(spec.ref)) if spec.ref else None,
        self_ref=self_ref,
    )


def _child_collection_name(model: ModelSpec, spec: FieldSpec, by_name: dict[str, ModelSpec]) -> str:
    """The name of the collection on the parent that this ref's relationship pairs with."""
    from generator.naming import plural, snake_case

    rows = plural(snake_case(model.name))
    same_target = [f for f in model.fields if f.ref == spec.ref]
    parent = by_name.get(spec.ref or "")
    parent_names = {f.name for f in parent.fields} | {f.column for f in parent.fields} if parent else set()
    ambiguous = len(same_target) > 1 or spec.ref == model.name or rows in parent_names
    return f"{rows}_by_{spec.name}" if ambiguous else rows


def _row(spec: FieldSpec) -> FieldType:
    row = FIELD_TYPES[spec.type]
    if spec.db_type:
        row = replace(row, **DB_TYPE_OVERRIDES[spec.db_type])  # type: ignore[arg-type]
    return row


def _format_values(spec: FieldSpec, database: str) -> dict[str, Any]:
    length = spec.length or DEFAULT_STR_LENGTH
    precision = spec.precision or _DEFAULT_PRECISION
    scale = spec.scale if spec.scale is not None else _DEFAULT_SCALE
    return {
        "length": length,
        "precision": precision,
        "scale": scale,
        "prefix": spec.name[: length - 4] if length > 4 else "",
        "name": spec.name,
        "integer_limit": 10 ** (precision - scale),
        "fraction": ("0." + "0" * (scale - 1) + "1") if scale > 0 else "0",
        "modulus": 10 ** min(length, 9),
    }


def _sa(text: str) -> str:
    """A SQLAlchemy type as a migration spells it: `sa.String(200)`, `sa.Integer()`."""
    return f"sa.{text}" if "(" in text else f"sa.{text}()"


def _filters(
    spec: FieldSpec, row: FieldType, column: str, request_type: str, constraints: str
) -> tuple[FilterView, ...]:
    if not row.sortable and not spec.optional:
        return ()
    filters: list[FilterView] = []
    # Equality and range filters take values checked like the field's own; `contains` takes any text.
    if row.sortable:
        filters.append(FilterView(column, f"{request_type} | None", constraints))
        for op in row.operators:
            if op == "in":
                filters.append(FilterView(f"{column}__in", f"CommaList[{request_type}] | None", ""))
            elif op == "contains":
                filters.append(FilterView(f"{column}__contains", "str | None", constraints))
            else:
                filters.append(FilterView(f"{column}__{op}", f"{request_type} | None", constraints))
    if spec.optional:
        filters.append(FilterView(f"{column}__isnull", "bool | None", ""))
    return tuple(filters)


def _sample(spec: FieldSpec, row: FieldType, values: dict[str, Any], column: str) -> str:
    if spec.type == "ref":
        return column
    return row.sample.format(**values)


def _id_column_args(model: ModelSpec) -> str:
    if not (model.id_column or model.id_type):
        return ""
    args = [f'"{model.id_column}"'] if model.id_column else []
    if model.id_type:
        # SQLite (the tests' default database) numbers new rows only for an INTEGER primary key.
        args.append(f'{ID_TYPES[model.id_type]}().with_variant(Integer, "sqlite")')
    args.append("primary_key=True")
    if model.id_column:
        args.append('key="id"')
    return ", ".join(args)


def _test_imports(
    package: str, snake: str, fields: Sequence[FieldView], parents: Sequence[FieldView], relations: bool
) -> tuple[str, ...]:
    imports = Imports(
        Import("httpx", "AsyncClient"),
        Import("tests.factories", "sequence"),
        Import(f"tests.factories.{snake}", f"{snake}_payload"),
        Import(f"tests.factories.{snake}", f"create_{snake}"),
    )
    patch = next((f for f in fields if f.kind != "ref"), None)
    if patch is None:
        imports.add(Import("typing", "Any"))
    else:
        imports.add(*patch.sample_imports)
    imports.add(*(f.compare_import for f in fields if not f.self_ref))
    for parent in parents:
        imports.add(Import(f"tests.factories.{parent.ref_snake}", f"create_{parent.ref_snake}"))
    if relations:
        imports.add(
            module_import("pytest"),
            Import("typing", "Any"),
            Import("sqlalchemy", "event"),
            Import("sqlalchemy.exc", "InvalidRequestError"),
            Import("sqlalchemy.ext.asyncio", "AsyncEngine"),
            Import("sqlalchemy.ext.asyncio", "AsyncSession"),
            Import("sqlalchemy.ext.asyncio", "async_sessionmaker"),
        )
    return imports.lines()


def _cache_test_imports(snake: str, fields: Sequence[FieldView]) -> tuple[str, ...]:
    """The factories of the model tests/test_cache.py writes, and the imports of its PATCH value."""
    imports = Imports(
        Import("tests.factories", "sequence"),
        Import(f"tests.factories.{snake}", f"{snake}_payload"),
        Import(f"tests.factories.{snake}", f"create_{snake}"),
    )
    patch = next((f for f in fields if f.kind != "ref"), None)
    if patch is not None:
        imports.add(*patch.sample_imports)
    return imports.lines()


def _factory_imports(fields: Sequence[FieldView], parents: Sequence[FieldView]) -> tuple[str, ...]:
    imports = Imports(
        Import("typing", "Any"),
        Import("httpx", "AsyncClient"),
        Import("tests.factories", "sequence"),
    )
    for f in fields:
        if not f.self_ref:
            imports.add(*f.sample_imports)
    for parent in parents:
        imports.add(Import(f"tests.factories.{parent.ref_snake}", f"create_{parent.ref_snake}"))
    return imports.lines()
