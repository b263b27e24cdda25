"""The project as the templates see it: frozen view objects computed once from validated answers.

Every name, plural, type and import a template prints is worked out here, from the spec dataclasses
(generator.spec) and the field-type table (generator.field_types); templates only print these
values. The copier extension (generator.copier_extension) hands `entities` to every template.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from generator.errors import SpecError
from generator.field_types import (
    DB_TYPE_OVERRIDES,
    ENUM_LENGTH,
    FIELD_TYPES,
    ID_TYPES,
    MYSQL_TEXT_LIMIT,
    PROJECT_COLUMN_TYPES,
    FieldType,
    Import,
)
from generator.spec import (
    DEFAULT_STR_LENGTH,
    INT_RANGES,
    MAX_IDENTIFIER,
    FieldSpec,
    KeptColumn,
    ModelSpec,
    TableKey,
    enum_class_suffix,
    enum_members,
)

if TYPE_CHECKING:
    from generator.answers import SchemaChange

_DEFAULT_PRECISION, _DEFAULT_SCALE = 10, 2

# The OpenAPI examples (`examples=[...]` of a schema field) of what every model has: its id (and a
# reference's), its timestamps, the ids of an m2m field.
ID_EXAMPLES = "examples=[1]"
TIMESTAMP_EXAMPLES = 'examples=["2024-01-01T00:00:00Z"]'
IDS_EXAMPLES = "examples=[[1, 2]]"


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
class EnumView:
    """The Python enum of an `enum(a,b,...)` field: `class BookStatus(StrEnum)` in the model's package."""

    name: str
    members: tuple[tuple[str, str], ...]  # (member, value): ("DRAFT", "draft")


@dataclass(frozen=True)
class LinkView:
    """An `m2m(Model)` field: its link table, the relationship to the other model's rows, and the ids
    the API takes and returns."""

    name: str  # the relationship and `include=` name: `tags`
    ids: str  # the request and response field: `tag_ids`
    model: str  # the other model: `Tag`
    module: str
    plural: str  # the other model's collection path: `tags`
    table: str  # the link table: `book_tags`
    variable: str  # the Table's name in models.py (an existing table's may be no Python name)
    missing_id: str  # an id no row of the other model has in the tests
    cascades: bool  # the links go with either row (ON DELETE CASCADE)
    owner_column: str  # `book_id`
    target_column: str  # `tag_id`
    self_link: bool
    reverse: str  # the other model's relationship to these rows: `books`
    # models.py
    table_definition: str  # Table(...)
    relationship_args: str
    # migrations
    migration_table: str  # the arguments of op.create_table(...)
    migration_index: str
    examples: str = IDS_EXAMPLES


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
    server_generated: bool  # NOT NULL, filled in by the database when a create leaves it out
    ondelete: str | None  # a ref's ON DELETE action (None: the database refuses to delete the parent)
    missing_id: str  # a ref's: an id no row of the referred model has in the tests
    updated_by_database: bool  # the database sets it on every update (`ON UPDATE CURRENT_TIMESTAMP`)
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
    # A column added to a table that has rows (add-field): sa.Column(...) that is nullable until the
    # rows have a value, the type (for that UPDATE and the ALTER), the `batch_op` calls that create its
    # foreign key, unique constraint and index afterwards, and those that drop it again.
    added_column: str
    migration_type: str
    batch_create: tuple[str, ...]
    batch_drop: tuple[str, ...]
    default_import: Import | None  # what the default's Python literal needs (Decimal, date, ...)
    migration_default: str  # the default as a migration writes it (an enum's value, not its member)
    revision: str | None  # the revision that added the field to an existing table
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
    enum: EnumView | None = None
    # `min=`/`max=` as the tests meet them: a value below or above (None without the bound).
    below_min: str | None = None
    above_max: str | None = None
    # `examples=[...]` of the field in the schemas (create_field and update_field include it).
    examples: str = ""

    def compared(self, value: str) -> str:
        return self.compare.replace("{v}", value)


@dataclass(frozen=True)
class KeptColumnView:
    """A column the API leaves out: `key: Mapped[Any] = mapped_column(...)` and its sa.Column."""

    key: str
    column_args: str
    migration_column: str
    table_arg: str  # Index(...) of the model's __table_args__, or ""
    migration_index: str  # op.create_index(...), or ""


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
    links: tuple[LinkView, ...]  # m2m fields
    enums: tuple[EnumView, ...]
    check_constraints: tuple[str, ...]  # the migration's sa.CheckConstraint(...) of min=/max=
    unique_constraints: tuple[str, ...]  # the migration's sa.UniqueConstraint(...) of @unique(...)
    composite_uniques: tuple[tuple[str, ...], ...]  # @unique(...) as API field names
    composite_indexes: tuple[str, ...]  # the migration's op.create_index(...) over several columns
    not_null: tuple[str, ...]  # fields an update may leave out but not set to null
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
    event_test_imports: tuple[str, ...]  # what tests/test_events.py needs of this model (--queue)
    factory_imports: tuple[str, ...]
    # fields the generated tests use: one to filter by, one to change, one unique, one not null
    filter_field: FieldView | None
    patch_field: FieldView | None
    unique_fields: tuple[FieldView, ...]  # each gets a duplicate-409 test (self references aside)
    not_null_field: FieldView | None
    required: tuple[FieldView, ...]  # fields a create must send
    enum_imports: tuple[str, ...] = ()
    # Models with an m2m field to this one (`book` for Book.tags -> Tag): their rows list this one's
    # ids, and a delete here removes links there (ON DELETE CASCADE).
    linked_by: tuple[str, ...] = ()
    # An existing table's columns the API leaves out, as models.py and the migration print them.
    kept: tuple[KeptColumnView, ...] = ()
    id_supplied: bool = False  # a create sends the id: the database does not number the rows
    server_generated: tuple[str, ...] = ()  # fields a create may leave out, never set to null
    migration_imports: tuple[str, ...] = ()  # `from sqlalchemy.dialects import postgresql`

    id_examples = ID_EXAMPLES
    timestamp_examples = TIMESTAMP_EXAMPLES

    id_type: str | None = None
    id_nullable: bool = False
    missing_id: str = "2_000_000_000"  # an id no row of the generated tests has, within the key's type

    @property
    def id_max(self) -> str:
        """The largest id a create may send: the key type's, within the API's 32-bit ids."""
        return "32_767" if self.id_type == "smallint" else "2_147_483_647"

    @property
    def updated_by_database(self) -> tuple[str, ...]:
        """Fields the database sets on every update (MySQL's `ON UPDATE CURRENT_TIMESTAMP`)."""
        return tuple(f.column for f in self.fields if f.updated_by_database)

    @property
    def create_values(self) -> str:
        """The create's values: a field left out is left to its default, the database's included."""
        return "data.model_dump(exclude_unset=True)" if self.server_generated else "data.model_dump()"

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
    # `--queue`: the revision also creates the outbox tables (outbox.py) of every project with a queue.
    outbox: bool = False

    @property
    def column_types(self) -> tuple[str, ...]:
        types = {name for entity in self.tables for name in entity.column_types}
        return tuple(sorted(types | ({"UTCDateTime"} if self.outbox else set())))

    @property
    def creates_tables(self) -> bool:
        return bool(self.tables) or self.outbox

    @property
    def links(self) -> tuple[LinkView, ...]:
        """The link tables of m2m fields, created after every table of the revision."""
        return tuple(link for entity in self.tables for link in entity.links)

    @property
    def imports(self) -> tuple[str, ...]:
        """The dialect modules the exact types of existing tables come from."""
        return tuple(sorted({line for entity in self.tables for line in entity.migration_imports}))


@dataclass(frozen=True)
class ChangeView:
    """A revision asyncrud wrote for a table that exists: `add_fields` adds the columns of `fields`
    to the table of `entity`; `remove_model` drops it (and its downgrade creates it again)."""

    kind: str
    revision: str
    down_revision: str | None
    entity: EntityView  # as the model is now, or was when it was removed
    fields: tuple[FieldView, ...]  # add_fields: the fields the revision adds

    @property
    def title(self) -> str:
        if self.kind == "add_fields":
            return f"Add {', '.join(f.name for f in self.fields)} to {self.entity.name}"
        return f"Remove {self.entity.name}"

    @property
    def required(self) -> tuple[FieldView, ...]:
        """The fields added with NOT NULL: the table's rows get their defaults first."""
        return tuple(f for f in self.fields if not f.optional)

    @property
    def batch_create(self) -> tuple[str, ...]:
        return tuple(line for f in self.fields for line in f.batch_create)

    @property
    def batch_drop(self) -> tuple[str, ...]:
        return tuple(line for f in reversed(self.fields) for line in f.batch_drop)

    @property
    def column_types(self) -> tuple[str, ...]:
        if self.kind == "remove_model":
            return self.entity.column_types
        return tuple(sorted({f.project_column_type for f in self.fields if f.project_column_type}))

    @property
    def imports(self) -> tuple[str, ...]:
        dialects = self.entity.migration_imports if self.kind == "remove_model" else ()
        return Imports(*(f.default_import for f in self.required)).lines() + dialects


@dataclass(frozen=True)
class ProjectView:
    package: str
    database: str
    entities: tuple[EntityView, ...]  # the models the project has: its code, tests and README
    # Every model as the revision that made its table created it (without the fields add-field added
    # later), removed ones included: migrations are history.
    created: tuple[EntityView, ...] = ()
    changes: tuple[ChangeView, ...] = ()
    # `--queue redis|rabbitmq`: the project has an outbox (its tables are in the initial revision).
    outbox: bool = False

    @property
    def initial_revision(self) -> RevisionView:
        """The tables of `asyncrud new`; a model added later has a revision of its own."""
        tables = tuple(e for e in self.created if not e.revision)
        return RevisionView("0001_initial", None, "Initial tables", tables, outbox=self.outbox)

    @property
    def added_revisions(self) -> tuple[RevisionView, ...]:
        return tuple(
            RevisionView(e.revision, e.down_revision, f"Add {e.name}", (e,))
            for e in self.created
            if e.revision
        )

    @property
    def column_types(self) -> tuple[str, ...]:
        return tuple(sorted({name for e in self.entities for name in e.column_types}))

    @property
    def from_database(self) -> bool:
        return any(not e.timestamps for e in self.entities)

    enum_length: int = ENUM_LENGTH

    @property
    def links(self) -> bool:
        """Whether a model has an m2m field."""
        return any(e.links for e in self.entities)

    @property
    def kept_columns(self) -> bool:
        """Whether a model keeps columns of an existing table out of the API."""
        return any(e.kept for e in self.entities)

    @property
    def supplied_ids(self) -> bool:
        """Whether a model's create sends its id (an existing table that does not number its rows)."""
        return any(e.id_supplied for e in self.entities)

    @property
    def enums(self) -> bool:
        """Whether a model has an enum field (column_types.py then has `enum_values`)."""
        return any(e.enums for e in self.entities)


def project_view(
    package: str,
    database: str,
    models: Sequence[ModelSpec],
    changes: Sequence[SchemaChange] = (),
    queue: str = "none",
) -> ProjectView:
    """The view of every model; `models` are validated and ordered (refs point backwards), removed
    ones included, and `changes` are the revisions of the `migrations` answer; a `queue` other than
    "none" gives the project an outbox."""
    current = [m for m in models if m.removed is None]
    as_created = [replace(m, fields=tuple(f for f in m.fields if f.revision is None)) for m in models]
    whole = _entities(package, database, models)
    by_name = {e.name: e for e in whole}
    return ProjectView(
        package=package,
        database=database,
        entities=_entities(package, database, current),
        created=_entities(package, database, as_created),
        changes=tuple(_change(change, by_name[change.model]) for change in changes),
        outbox=queue != "none",
    )


def _entities(package: str, database: str, models: Sequence[ModelSpec]) -> tuple[EntityView, ...]:
    by_name = {m.name: m for m in models}
    children: dict[str, list[tuple[ModelSpec, FieldSpec]]] = {}
    linked: dict[str, list[tuple[ModelSpec, FieldSpec]]] = {}
    for model in models:
        for spec in model.fields:
            if spec.type == "ref" and spec.ref is not None:
                children.setdefault(spec.ref, []).append((model, spec))
            if spec.type == "m2m" and spec.ref is not None:
                linked.setdefault(spec.ref, []).append((model, spec))
    return tuple(
        _entity(package, database, model, by_name, children.get(model.name, []), linked.get(model.name, []))
        for model in models
    )


def _change(change: SchemaChange, entity: EntityView) -> ChangeView:
    fields = tuple(f for f in entity.fields if f.revision == change.revision)
    return ChangeView(change.kind, change.revision, change.down_revision, entity, fields)


def _entity(
    package: str,
    database: str,
    model: ModelSpec,
    by_name: dict[str, ModelSpec],
    children: list[tuple[ModelSpec, FieldSpec]],
    linked: list[tuple[ModelSpec, FieldSpec]],
) -> EntityView:
    from generator.naming import plural, snake_case

    snake = snake_case(model.name)
    table = model.table or snake
    column_specs = tuple(spec for spec in model.fields if spec.type != "m2m")
    fields = tuple(_field(package, database, model, spec, by_name) for spec in column_specs)
    links = tuple(_link(model, spec, by_name[spec.ref or ""]) for spec in model.fields if spec.type == "m2m")
    taken = {f.name for f in model.fields} | {f.column for f in model.fields}
    child_relations = _children(model, children, taken)
    linked_relations = tuple(_linked_rows(model, owner, spec, by_name) for owner, spec in linked)
    parents = tuple(f for f in fields if f.kind == "ref" and not f.self_ref)
    relationships = (
        tuple(f.relationship for f in fields if f.relationship)
        + tuple(
            RelationshipView(link.name, link.model, link.module, True, False, link.relationship_args)
            for link in links
        )
        + child_relations
        + linked_relations
    )
    enums = tuple(f.enum for f in fields if f.enum is not None)

    columns = bool(fields) or bool(
        model.id_column
        or model.id_type
        or model.id_supplied
        or model.kept
        or model.id_sa_type
        or model.id_nullable
    )
    model_imports = Imports(
        Import(f"{package}.database", "Model"),
        Import("sqlalchemy.orm", "Mapped") if columns or relationships else None,
        Import("sqlalchemy.orm", "mapped_column") if columns else None,
    )
    if relationships:
        model_imports.add(Import("sqlalchemy.orm", "relationship"))
    if links:
        model_imports.add(
            Import("sqlalchemy", "Column"),
            Import("sqlalchemy", "ForeignKey"),
            Import("sqlalchemy", "Table"),
            Import(f"{package}.database", "Base"),
        )
    if any(spec.type == "m2m" and spec.ref_index and spec.index_name for spec in model.fields):
        model_imports.add(Import("sqlalchemy", "Index"))
    if enums:
        model_imports.add(
            *(Import(f"{package}.{snake}.enums", e.name) for e in enums),
        )
    if any(spec.type == "enum" and not spec.sa_type for spec in model.fields):
        model_imports.add(Import(f"{package}.column_types", "enum_values"))
    related = sorted({(r.module, r.model) for r in relationships if r.model != model.name})
    if related:
        model_imports.add(Import("typing", "TYPE_CHECKING"))
    for spec, view in zip(column_specs, fields, strict=True):
        row = _row(spec)
        model_imports.add(row.python_import if spec.type != "ref" else None)
        if spec.sa_type:
            model_imports.add(Import("sqlalchemy.dialects", _dialect(spec.sa_type)))
        if spec.type == "ref":
            model_imports.add(Import("sqlalchemy", "ForeignKey"))
        elif not spec.sa_type:
            model_imports.add(row.sqlalchemy_import)
        if view.project_column_type:
            model_imports.add(Import(f"{package}.column_types", view.project_column_type))
        if spec.server_default:
            model_imports.add(Import("sqlalchemy", "text"))
    if model.id_sa_type:
        model_imports.add(Import("sqlalchemy.dialects", _dialect(model.id_sa_type)))
    elif model.id_type:
        model_imports.add(Import("sqlalchemy", ID_TYPES[model.id_type]), Import("sqlalchemy", "Integer"))
    kept = tuple(_kept(column, table) for column in model.kept)
    for column in model.kept:
        model_imports.add(Import("typing", "Any"), Import("sqlalchemy.dialects", _dialect(column.sa_type)))
        if column.server_default:
            model_imports.add(Import("sqlalchemy", "text"))
    composite = _composite_keys(model, table, database)
    if any(key.where for key in model.table_keys):
        model_imports.add(Import("sqlalchemy", "text"))
    checks = tuple(check for spec in column_specs for check in _checks(spec, table))
    table_args = (
        tuple(column.table_arg for column in kept if column.table_arg)
        + tuple(arg for f in fields for arg in f.table_args)
        + composite.table_args
        + tuple(model_arg for model_arg, _ in checks)
    )
    if checks:
        model_imports.add(Import("sqlalchemy", "CheckConstraint"), Import("sqlalchemy", "column"))
    if any("func." in arg for arg, _ in checks):
        model_imports.add(Import("sqlalchemy", "func"))
    if any("literal_column(" in arg for arg, _ in checks):
        model_imports.add(Import("sqlalchemy", "literal_column"))
    if any(arg.startswith("UniqueConstraint") for arg in table_args):
        model_imports.add(Import("sqlalchemy", "UniqueConstraint"))
    if any(arg.startswith("Index") for arg in table_args):
        model_imports.add(Import("sqlalchemy", "Index"))

    own = f"{package}.{snake}.schemas"
    schema_imports = Imports(
        Import("pydantic", "BaseModel"),
        Import("pydantic", "ConfigDict"),
        # Field() carries every field's examples (the id's at least) and bounds, and bounds the ids
        # of the `id__in` filter.
        Import("pydantic", "Field"),
        Import("typing", "Annotated"),
        Import("typing", "Literal"),
        Import(f"{package}.pagination", "CommaList"),
        Import(f"{package}.pagination", "PageQuery"),
    )
    if model.timestamps:
        schema_imports.add(Import("datetime", "datetime"))
    for spec, view in zip(column_specs, fields, strict=True):
        schema_imports.add(_row(spec).python_import)
        if view.enum is not None:
            schema_imports.add(Import(f"{package}.{snake}.enums", view.enum.name))
        elif view.request_type != _row(spec).python:
            schema_imports.add(Import(f"{package}.validators", view.request_type))
    if links:
        schema_imports.add(Import(f"{package}.validators", "RowId"))
    if any(not f.optional for f in fields) or links:
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
    server_generated = tuple(f.column for f in fields if f.server_generated)
    if server_generated:
        schema_imports.add(
            Import("pydantic", "field_validator"), Import(f"{package}.validators", "reject_null")
        )
    return EntityView(
        kept=kept,
        id_supplied=model.id_supplied,
        id_type=model.id_type,
        id_nullable=model.id_nullable,
        missing_id=_missing_id(model),
        server_generated=server_generated,
        migration_imports=tuple(
            f"from sqlalchemy.dialects import {name}"
            for name in sorted(
                {_dialect(s.sa_type) for s in column_specs if s.sa_type}
                | {_dialect(c.sa_type) for c in model.kept}
                | ({_dialect(model.id_sa_type)} if model.id_sa_type else set())
            )
        ),
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
        links=links,
        enums=enums,
        check_constraints=tuple(migration for _, migration in checks),
        unique_constraints=composite.constraints,
        composite_indexes=composite.indexes,
        composite_uniques=tuple(
            tuple(next(f.column for f in fields if f.name == name) for name in names)
            for names in model.unique
        ),
        not_null=tuple(f.column for f in fields if not f.optional) + tuple(link.ids for link in links),
        id_column_args=_id_column_args(model),
        id_migration_type=_key_migration_type(model),
        table_args=table_args,
        missing_timestamps=()
        if model.timestamps
        else tuple(name for name in ("created_at", "updated_at") if name not in {f.column for f in fields}),
        parents=parents,
        relationships=relationships,
        children=child_relations + linked_relations,
        sortable=sortable,
        model_imports=model_imports.lines(),
        model_type_checking_imports=Imports(
            *(Import(f"{package}.{module}.models", name) for module, name in related)
        ).lines(),
        schema_imports=schema_imports.lines(),
        relation_imports=relation_imports.lines(),
        test_imports=_test_imports(package, snake, fields, parents, bool(relationships), links),
        cache_test_imports=_cache_test_imports(snake, fields),
        event_test_imports=_event_test_imports(snake, fields),
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
        unique_fields=tuple(f for f in fields if f.unique and not f.self_ref),
        not_null_field=not_null[0] if not_null else None,
        required=tuple(f for f in fields if not (f.optional or f.has_default or f.server_generated)),
        enum_imports=Imports(Import("enum", "StrEnum")).lines() if enums else (),
        linked_by=tuple(dict.fromkeys(snake_case(owner.name) for owner, _ in linked)),
    )


def _link(model: ModelSpec, spec: FieldSpec, target: ModelSpec) -> LinkView:
    """The link table of `model`'s m2m field `spec` to `target`: one row per pair, keyed by both ids,
    removed with either row (ON DELETE CASCADE)."""
    from generator.naming import plural, snake_case

    snake = snake_case(model.name)
    owner_table = model.table or snake
    target_table = target.table or snake_case(target.name)
    table, owner_column, target_column = _link_table(model, spec)
    owner_id = model.id_column or "id"
    target_id = target.id_column or "id"
    self_link = target.name == model.name
    reverse = _reverse_name(model, spec, target)
    variable = snake_case(table) if spec.db_name else table
    args = [f"secondary={variable}"]
    if self_link:
        args += [
            f'primaryjoin="{model.name}.id == {table}.c.{owner_column}"',
            f'secondaryjoin="{model.name}.id == {table}.c.{target_column}"',
        ]
    # The database removes the links with either row: the ORM need not load them to delete.
    args += [
        f'back_populates="{reverse}"',
        'lazy="raise"',
        "passive_deletes=True",
        f'info={{"ids": "{spec.column}"}}',
    ]
    # The grammar's link rows go with either row; an existing link table keeps its own actions.
    action = spec.ondelete or "CASCADE"
    actions = "" if action == "NO ACTION" else f', ondelete="{action}"'
    actions += f', onupdate="{spec.onupdate}"' if spec.onupdate else ""
    index = ""
    if spec.ref_index:
        index = ", index=True" if not spec.index_name else ""
    extra = f', Index("{spec.index_name}", "{target_column}")' if spec.ref_index and spec.index_name else ""
    definition = (
        f'Table("{table}", Base.metadata, '
        f'Column("{owner_column}", ForeignKey("{owner_table}.id"{actions}), primary_key=True), '
        f'Column("{target_column}", ForeignKey("{target_table}.id"{actions}), '
        f"primary_key=True{index}){extra})"
    )
    owner_type = _key_migration_type(model)
    target_type = _key_migration_type(target)
    migration = (
        f'"{table}", '
        f'sa.Column("{owner_column}", {owner_type}, nullable=False), '
        f'sa.Column("{target_column}", {target_type}, nullable=False), '
        f'sa.ForeignKeyConstraint(["{owner_column}"], ["{owner_table}.{owner_id}"], '
        f'name=op.f("{_constraint_name(f"fk_{table}_{owner_column}_{owner_table}")}"){actions}), '
        f'sa.ForeignKeyConstraint(["{target_column}"], ["{target_table}.{target_id}"], '
        f'name=op.f("{_constraint_name(f"fk_{table}_{target_column}_{target_table}")}"){actions}), '
        f'sa.PrimaryKeyConstraint("{owner_column}", "{target_column}", name=op.f("pk_{table}"))'
    )
    index_name = spec.index_name or f"ix_{table}_{target_column}"
    return LinkView(
        name=spec.name,
        ids=spec.column,
        model=target.name,
        module=snake_case(target.name),
        plural=plural(snake_case(target.name)),
        table=table,
        variable=variable,
        missing_id=_missing_id(target),
        cascades=action == "CASCADE",
        owner_column=owner_column,
        target_column=target_column,
        self_link=self_link,
        reverse=reverse,
        table_definition=definition,
        relationship_args=", ".join(args),
        migration_table=migration,
        migration_index=(
            f'op.create_index(op.f("{index_name}"), "{table}", ["{target_column}"])' if spec.ref_index else ""
        ),
    )


def _link_table(model: ModelSpec, spec: FieldSpec) -> tuple[str, str, str]:
    """The link table of an m2m field and its owner and target columns: `book_tags`, `book_id`,
    `tag_id`, or those of an existing link table."""
    from generator.naming import singular, snake_case

    if spec.db_name and spec.link_columns:
        return spec.db_name, spec.link_columns[0], spec.link_columns[1]
    snake = snake_case(model.name)
    return f"{snake}_{spec.name}", f"{snake}_id", f"{singular(spec.name)}_id"


def _reverse_name(owner: ModelSpec, spec: FieldSpec, target: ModelSpec) -> str:
    """The target's relationship to the owner's rows that link to it: `Tag.books` for `Book.tags`;
    `books_by_tags` when that name is taken or would be ambiguous."""
    from generator.naming import plural, snake_case

    rows = plural(snake_case(owner.name))
    several = sum(1 for f in owner.fields if f.type == "m2m" and f.ref == target.name) > 1
    refers = any(f.type == "ref" and f.ref == target.name for f in owner.fields)
    names = {f.name for f in target.fields} | {f.column for f in target.fields}
    ambiguous = several or refers or owner.name == target.name or rows in names
    return f"{rows}_by_{spec.name}" if ambiguous else rows


def _linked_rows(
    model: ModelSpec, owner: ModelSpec, spec: FieldSpec, by_name: dict[str, ModelSpec]
) -> RelationshipView:
    """`model`'s side of another model's m2m field: the owner's rows that link to a row here."""
    from generator.naming import snake_case

    owner_snake = snake_case(owner.name)
    table, owner_column, target_column = _link_table(owner, spec)
    args = [f'secondary="{table}"']
    if owner.name == model.name:
        args += [
            f'primaryjoin="{model.name}.id == {table}.c.{target_column}"',
            f'secondaryjoin="{model.name}.id == {table}.c.{owner_column}"',
        ]
    args += [f'back_populates="{spec.name}"', 'lazy="raise"', "passive_deletes=True"]
    return RelationshipView(
        name=_reverse_name(owner, spec, model),
        model=owner.name,
        module=owner_snake,
        many=True,
        optional=False,
        args=", ".join(args),
    )


def _constraint_name(name: str) -> str:
    """A constraint name that fits every database (63 characters): a long one keeps its start and a
    hash of the whole."""
    if len(name) <= MAX_IDENTIFIER:
        return name
    digest = hashlib.md5(name.encode(), usedforsecurity=False).hexdigest()[:8]
    return f"{name[: MAX_IDENTIFIER - 9]}_{digest}"


@dataclass(frozen=True)
class _CompositeKeys:
    """The model's keys over several columns: its `__table_args__` entries, and the migration's
    constraints inside `op.create_table` and `op.create_index(...)` calls after it."""

    table_args: tuple[str, ...]
    constraints: tuple[str, ...]
    indexes: tuple[str, ...]


# The keyword of a partial index's condition, by database (MySQL has no partial indexes).
_WHERE_KEYWORDS = {"postgresql": "postgresql_where", "sqlite": "sqlite_where"}


def _composite_keys(model: ModelSpec, table: str, database: str) -> _CompositeKeys:
    """`@unique(a,b)` and an existing table's keys over several columns (TableKey). A `@unique(...)`
    gets one explicit name (the naming convention's `uq` names a constraint by its first column
    only), unless a table key over its fields names it and says whether it is a constraint or a
    unique index."""
    columns = {f.name: (f.column, f.db_column) for f in model.fields}
    columns |= {column.key: (column.key, column.name) for column in model.kept}
    columns["id"] = ("id", model.id_column or "id")
    table_args, constraints, indexes = [], [], []
    named = {key.fields for key in model.table_keys if key.unique and key.where is None}
    keys = [
        TableKey(
            name=_constraint_name(f"uq_{table}_{'_'.join(columns[name][1] for name in names)}"),
            fields=names,
            unique=True,
            index=False,
        )
        for names in model.unique
        if names not in named
    ] + list(model.table_keys)
    for key in keys:
        attributes = ", ".join(f'"{columns[name][0]}"' for name in key.fields)
        db_columns = ", ".join(f'"{columns[name][1]}"' for name in key.fields)
        if not key.index:
            table_args.append(f'UniqueConstraint({attributes}, name="{key.name}")')
            constraints.append(f'sa.UniqueConstraint({db_columns}, name=op.f("{key.name}"))')
            continue
        options = ", unique=True" if key.unique else ""
        migration_options = options
        if key.where:
            keyword = _WHERE_KEYWORDS.get(database)
            if keyword is None:  # an answers file edited by hand: reflection never gives MySQL one
                raise SpecError(
                    f"a partial index (where) needs PostgreSQL or SQLite, not {database}", key.name
                )
            options += f', {keyword}=text("{key.where}")'
            migration_options += f', {keyword}=sa.text("{key.where}")'
        table_args.append(f'Index("{key.name}", {attributes}{options})')
        indexes.append(f'op.create_index(op.f("{key.name}"), "{table}", [{db_columns}]{migration_options})')
    return _CompositeKeys(tuple(table_args), tuple(constraints), tuple(indexes))


def _checks(spec: FieldSpec, table: str) -> list[tuple[str, str]]:
    """The CHECK constraints of `min=`/`max=`: (the model's, the migration's), named by the naming
    convention's `ck` (`ck_book_pages_min`). Expressions, not SQL text: each database quotes the column
    as it must (`order`, `key`) and spells the length of a string its own way."""
    column = spec.db_column
    checks = []
    for key, op in (("min", ">="), ("max", "<=")):
        bound = getattr(spec, key)
        if bound is None:
            continue
        if spec.type in ("str", "text"):
            model_side = f'func.char_length(column("{column}"))'
            migration_side = f'sa.func.char_length(sa.column("{column}"))'
            value = migration_value = str(bound)
        else:
            model_side, migration_side = f'column("{column}")', f'sa.column("{column}")'
            value = f'literal_column("{bound}")' if spec.type == "decimal" else repr(bound)
            migration_value = f"sa.{value}" if spec.type == "decimal" else value
        name = f"{spec.column}_{key}"
        full = _constraint_name(f"ck_{table}_{name}")
        if full != f"ck_{table}_{name}":
            name = full.removeprefix(f"ck_{table}_")
        checks.append(
            (
                f'CheckConstraint({model_side} {op} {value}, name="{name}")',
                f'sa.CheckConstraint({migration_side} {op} {migration_value}, name=op.f("{full}"))',
            )
        )
    return checks


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
    enum = None
    if spec.type == "enum":
        assert spec.choices is not None
        enum_name = model.name + enum_class_suffix(spec)
        enum = EnumView(enum_name, enum_members(spec.choices))
        values |= {
            "enum": enum_name,
            "choices": json.dumps(list(spec.choices)),
            "choice_count": len(spec.choices),
            "member": dict((value, member) for member, value in enum.members).get(str(spec.default), ""),
        }
        row = replace(row, python=row.python.format(**values))
    column = spec.column
    db_column = spec.db_column
    indexed = (spec.index or spec.type == "ref") and spec.ref_index
    self_ref = spec.ref == model.name
    target = by_name.get(spec.ref or "") if spec.ref else None
    has_default = spec.default is not None
    default = (
        row.literal.format(
            **(values | {"value": spec.default, "json": json.dumps(spec.default, ensure_ascii=False)})
        )
        if has_default
        else ""
    )

    if spec.type == "ref":
        assert spec.ref is not None
        target_table = (target.table if target else None) or snake_case(spec.ref)
        target_id = (target.id_column if target else None) or "id"
        # The model refers to the key by its attribute (`id`); the migration by the real column.
        actions = "".join(
            f', {key}="{getattr(spec, key)}"' for key in ("ondelete", "onupdate") if getattr(spec, key)
        )
        sa_type = f'ForeignKey("{target_table}.id"{actions})'
        target_id_type = target.id_type if target else None
        migration_type = f"sa.{ID_TYPES[target_id_type]}()" if target_id_type else "sa.Integer()"
        if spec.sa_type:
            sa_type = f"{spec.sa_type}, {sa_type}"
            migration_type = spec.sa_type
    else:
        sa_type = row.sqlalchemy.format(**values)
        target_table = target_id = ""
        migration_type = sa_type + "()" if sa_type in PROJECT_COLUMN_TYPES else _sa(sa_type)
        if row.migration:
            migration_type = _sa(row.migration.format(**values))
        if spec.sa_type:
            sa_type = migration_type = spec.sa_type

    if spec.type != "ref":
        actions = ""
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
    # A column the database fills in (`DEFAULT now()`) may be left out of a create.
    server_generated = spec.server_default is not None and not has_default and not spec.optional
    create_args = (["default=None"] if (spec.optional or server_generated) and not has_default else []) + (
        [f"default={default}"] if has_default else []
    )
    # Requests meet the bounds too; filters take any value of the type (`pages__gt=0` with min=1).
    bounded = _bounded_constraints(spec, constraints)
    sample = _sample(spec, row, values, column)
    examples = _examples(spec, sample)
    create_field = ", ".join(create_args + strict + ([bounded] if bounded else []) + [examples])
    update_field = ", ".join(["default=None", *strict, *([bounded] if bounded else []), examples])

    filters = _filters(spec, row, column, request_type, constraints)
    below_min, above_max = _out_of_bounds(spec)
    unique_name = spec.unique_name or f"uq_{table}_{db_column}"
    index_name = spec.index_name or f"ix_{table}_{db_column}"
    server_default = [f'server_default=sa.text("{spec.server_default}")'] if spec.server_default else []
    fk_name = f"fk_{table}_{db_column}_{target_table}"
    batch_create, batch_drop = [], []
    if spec.type == "ref":
        batch_create.append(
            f'batch_op.create_foreign_key(op.f("{fk_name}"), "{target_table}", ["{db_column}"], ["{target_id}"])'
        )
        # MySQL refuses to drop a foreign key's index before the foreign key.
        batch_drop.append(f'batch_op.drop_constraint(op.f("{fk_name}"), type_="foreignkey")')
    if spec.unique and not unique_index:
        batch_create.append(f'batch_op.create_unique_constraint(op.f("{unique_name}"), ["{db_column}"])')
        batch_drop.append(f'batch_op.drop_constraint(op.f("{unique_name}"), type_="unique")')
    if indexed:
        unique = ", unique=True" if unique_index else ""
        batch_create.append(f'batch_op.create_index(op.f("{index_name}"), ["{db_column}"]{unique})')
        batch_drop.append(f'batch_op.drop_index(op.f("{index_name}"))')
    batch_drop.append(f'batch_op.drop_column("{db_column}")')
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
        create_annotation=request_type + (" | None" if spec.optional or server_generated else ""),
        server_generated=server_generated,
        ondelete=spec.ondelete if spec.type == "ref" else None,
        updated_by_database=" on update " in f" {(spec.server_default or '').lower()} ",
        missing_id=_missing_id(target),
        create_field=create_field,
        update_field=update_field,
        read_annotation=row.python + (" | None" if spec.optional else ""),
        sortable=row.sortable,
        filters=filters,
        migration_column=", ".join(
            [f'sa.Column("{db_column}"', migration_type, *server_default, f"nullable={spec.optional})"]
        ),
        added_column=", ".join(
            [f'sa.Column("{db_column}"', migration_type, *server_default, "nullable=True)"]
        ),
        migration_type=migration_type,
        batch_create=tuple(batch_create),
        batch_drop=tuple(batch_drop),
        default_import=row.python_import if has_default and spec.type != "enum" else None,
        migration_default=json.dumps(spec.default) if spec.type == "enum" else default,
        revision=spec.revision,
        foreign_key=(
            f'sa.ForeignKeyConstraint(["{db_column}"], ["{target_table}.{target_id}"], '
            f'name=op.f("{fk_name}"){actions})'
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
        enum=enum,
        below_min=below_min,
        above_max=above_max,
        examples=examples,
    )


def _type_range(spec: FieldSpec) -> tuple[Any, Any]:
    if spec.type in INT_RANGES:
        return INT_RANGES[spec.type]
    if spec.type == "decimal":
        assert spec.precision is not None and spec.scale is not None
        largest = Decimal(10) ** (spec.precision - spec.scale) - Decimal(1).scaleb(-spec.scale)
        return -largest, largest
    return None, None


def _bounded_constraints(spec: FieldSpec, constraints: str) -> str:
    """The pydantic constraints of a request value, narrowed by `min=`/`max=`."""
    if spec.min is None and spec.max is None:
        return constraints
    parts = [part for part in constraints.split(", ") if part]
    if spec.type in ("str", "text"):
        parts = [part for part in parts if not (spec.max is not None and part.startswith("max_length="))]
        if spec.min is not None:
            parts.append(f"min_length={spec.min}")
        if spec.max is not None:
            parts.append(f"max_length={spec.max}")
        return ", ".join(parts)
    parts = [part for part in parts if not part.startswith(("ge=", "le="))]
    low, high = _type_range(spec)
    if spec.min is not None:
        low = spec.min
    if spec.max is not None:
        high = spec.max
    for key, bound in (("ge", low), ("le", high)):
        if bound is None:
            continue
        text = (
            f'Decimal("{bound}")'
            if spec.type == "decimal"
            else f"{bound:_}"
            if isinstance(bound, int)
            else repr(bound)
        )
        parts.append(f"{key}={text}")
    return ", ".join(parts)


def _out_of_bounds(spec: FieldSpec) -> tuple[str | None, str | None]:
    """JSON values just outside `min=` and `max=`, as Python literals for the generated tests."""
    results: list[str | None] = []
    for key, step in (("min", -1), ("max", 1)):
        bound = getattr(spec, key)
        if bound is None:
            results.append(None)
        elif spec.type in ("str", "text"):
            length = int(bound) + step
            results.append(json.dumps("x" * length) if length >= 0 else None)
        elif spec.type == "float":
            results.append(repr(float(bound) + step * max(1.0, abs(float(bound)))))
        elif spec.type == "decimal":
            assert spec.scale is not None
            results.append(json.dumps(str(Decimal(str(bound)) + step * Decimal(1).scaleb(-spec.scale))))
        else:
            results.append(repr(int(bound) + step))
    return results[0], results[1]


def _child_collection_name(model: ModelSpec, spec: FieldSpec, by_name: dict[str, ModelSpec]) -> str:
    """The name of the collection on the parent that this ref's relationship pairs with."""
    from generator.naming import plural, snake_case

    rows = plural(snake_case(model.name))
    # As the parent names its collections (_children): an m2m field to it is no ref.
    same_target = [f for f in model.fields if f.type == "ref" and f.ref == spec.ref]
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
        "integer_limit": 10 ** min(precision - scale, 4),
        # Test values are exact in binary too: SQLite, where every project's tests can run, stores
        # decimals as floating point (15 significant digits).
        "fraction": "0.25" if scale >= 2 else ("0.5" if scale == 1 else "0"),
        "modulus": 10 ** min(length, 9),
        "enum_length": ENUM_LENGTH,
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
                # Each value is checked like the field: an out-of-range id is a 422, not a driver error.
                item = f"Annotated[{request_type}, Field({constraints})]" if constraints else request_type
                filters.append(FilterView(f"{column}__in", f"CommaList[{item}] | None", ""))
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
    if spec.min is not None or spec.max is not None:
        return _bounded_sample(spec)
    return row.sample.format(**values)


# The names a sample expression uses (the sample imports of the field types).
_SAMPLE_NAMES: dict[str, Any] = {
    "Decimal": Decimal,
    "date": dt.date,
    "datetime": dt.datetime,
    "time": dt.time,
    "timedelta": dt.timedelta,
    "UTC": dt.UTC,
    "UUID": uuid.UUID,
    "str": str,
}


def _examples(spec: FieldSpec, sample: str) -> str:
    """`examples=[...]` of the field in the OpenAPI document: the value the generated tests send for
    their first row (within the bounds, dates and times in ISO format), every value of an enum, an
    id for a reference."""
    if spec.type == "enum":
        assert spec.choices is not None
        values: list[Any] = list(spec.choices)
    elif spec.type == "ref":
        return ID_EXAMPLES
    else:
        # The expression is the field-type table's own (or a bounded one of _bounded_sample), with
        # names and numbers of the spec in it: no builtins, only the names the table imports.
        values = [eval(sample, {"__builtins__": {}}, {**_SAMPLE_NAMES, "n": 1})]
    return f"examples={values!r}"


# How many distinct values a bounded sample cycles through (rows of a test run are fewer).
_SAMPLE_SPAN = 1_000_000


def _bounded_sample(spec: FieldSpec) -> str:
    """A test value of row `n` within `min=`/`max=`, distinct for consecutive rows where the bounds
    leave room."""
    if spec.type in ("str", "text"):
        limit = spec.length or DEFAULT_STR_LENGTH if spec.type == "str" else MYSQL_TEXT_LIMIT
        longest = int(spec.max) if spec.max is not None else limit
        shortest = int(spec.min) if spec.min is not None else 1
        length = max(shortest, min(longest, 12))
        if length <= 9:
            return f'f"{{n % {10**length}:0{length}d}}"'
        return f'"x" * {length - 9} + f"{{n % 1_000_000_000:09d}}"'
    low: Any
    high: Any
    low, high = _type_range(spec)
    if spec.type == "decimal":
        assert spec.scale is not None
        unit = Decimal(1).scaleb(-spec.scale)
        low = (
            Decimal(str(spec.min))
            if spec.min is not None
            else max(low, Decimal(str(spec.max)) - unit * _SAMPLE_SPAN)
        )
        high = Decimal(str(spec.max)) if spec.max is not None else min(high, low + unit * _SAMPLE_SPAN)
        steps = min(int((high - low) / unit) + 1, _SAMPLE_SPAN)
        return f'str(Decimal("{low}") + Decimal(n % {steps}) * Decimal("{unit}"))'
    if spec.type == "float":
        low = float(spec.min) if spec.min is not None else float(spec.max) - _SAMPLE_SPAN
        high = float(spec.max) if spec.max is not None else low + _SAMPLE_SPAN
        return f"{low!r} + ({high!r} - {low!r}) * (n % 1000) / 1000"
    low = spec.min if spec.min is not None else max(low, spec.max - _SAMPLE_SPAN)
    high = spec.max if spec.max is not None else min(high, low + _SAMPLE_SPAN)
    return f"{low} + n % {min(high - low + 1, _SAMPLE_SPAN)}"


def _dialect(sa_type: str) -> str:
    """The dialect module an exact type comes from: `postgresql` of `postgresql.JSONB()`."""
    return sa_type.partition(".")[0]


def _kept(column: KeptColumn, table: str) -> KeptColumnView:
    # Deferred: the ORM does not load what the API does not show.
    using = f', postgresql_using="{column.index_using}"' if column.index_using else ""
    default = [f'server_default=text("{column.server_default}")'] if column.server_default else []
    migration_default = (
        [f'server_default=sa.text("{column.server_default}")'] if column.server_default else []
    )
    return KeptColumnView(
        key=column.key,
        column_args=", ".join(
            [f'"{column.name}"', column.sa_type, *default, f"nullable={column.optional}", "deferred=True"]
            + ['info={"api": False}']
            + ([f'key="{column.key}"'] if column.key != column.name else [])
        ),
        migration_column=", ".join(
            [f'sa.Column("{column.name}"', column.sa_type, *migration_default, f"nullable={column.optional})"]
        ),
        table_arg=f'Index("{column.index_name}", "{column.key}"{using})' if column.index_name else "",
        migration_index=(
            f'op.create_index("{column.index_name}", "{table}", ["{column.name}"]{using})'
            if column.index_name
            else ""
        ),
    )


def _missing_id(model: ModelSpec | None) -> str:
    """An id no test row has, that the key's type holds (a MySQL TINYINT key holds 255)."""
    exact = (model.id_sa_type or "") if model else ""
    if "TINYINT" in exact:
        return "250"
    if "MEDIUMINT" in exact:
        return "8_000_000"
    return "32_000" if model is not None and model.id_type == "smallint" else "2_000_000_000"


def _key_migration_type(model: ModelSpec) -> str:
    if model.id_sa_type:
        return model.id_sa_type
    return f"sa.{ID_TYPES[model.id_type]}()" if model.id_type else "sa.Integer()"


def _id_column_args(model: ModelSpec) -> str:
    if not (model.id_column or model.id_type or model.id_supplied or model.id_sa_type or model.id_nullable):
        return ""
    args = [f'"{model.id_column}"'] if model.id_column else []
    if model.id_sa_type:
        args.append(model.id_sa_type)
    elif model.id_type:
        # SQLite (the tests' default database) numbers new rows only for an INTEGER primary key.
        args.append(f'{ID_TYPES[model.id_type]}().with_variant(Integer, "sqlite")')
    args.append("primary_key=True")
    if model.id_supplied:
        args.append("autoincrement=False")
    if model.id_nullable:
        args.append("nullable=True")
    if model.id_column:
        args.append('key="id"')
    return ", ".join(args)


def _test_imports(
    package: str,
    snake: str,
    fields: Sequence[FieldView],
    parents: Sequence[FieldView],
    relations: bool,
    links: Sequence[LinkView] = (),
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
    for link in links:
        imports.add(Import(f"tests.factories.{link.module}", f"create_{link.module}"))
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


def _event_test_imports(snake: str, fields: Sequence[FieldView]) -> tuple[str, ...]:
    """The factory of the model tests/test_events.py writes, and the imports of its PATCH value."""
    imports = Imports(Import(f"tests.factories.{snake}", f"create_{snake}"))
    patch = next((f for f in fields if f.kind != "ref"), None)
    if patch is not None:
        imports.add(Import("tests.factories", "sequence"), *patch.sample_imports)
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
