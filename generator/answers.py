"""The answers a project was generated with, as recorded in its `.copier-answers.yml`.

The answers file is the single record of what a project holds: the project options, every model
(those `remove-model` removed too, marked, for the revisions that made them), the revisions asyncrud
wrote after a model's own (`migrations`), and the asyncrud version that rendered it
(`_asyncrud_version`, written by the template itself). Every command that changes a project changes
these answers, and the project's files follow through the same template that wrote them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal, cast

from generator.errors import AsyncrudError, ProjectError, SpecError
from generator.project_options import ProjectOptions, project_options
from generator.releases import FIRST_VERSION
from generator.spec import FieldSpec, ModelSpec, check_model_name, check_revision, model_from_answer
from generator.yaml_file import read_yaml

ANSWERS_FILE = ".copier-answers.yml"
VERSION_KEY = "_asyncrud_version"
# What `asyncrud new` records beyond copier's own `_` keys; a copier project of another template lacks them.
REQUIRED_KEYS = ("project_name", "package", "database", "driver", "models")
SchemaChangeKind = Literal["add_fields", "remove_model"]
SCHEMA_CHANGE_KINDS: tuple[SchemaChangeKind, ...] = ("add_fields", "remove_model")


@dataclass(frozen=True)
class SchemaChange:
    """A revision asyncrud wrote for a model that exists already: fields added, or the model removed.

    Recorded in the `migrations` answer, which the template renders one revision file per entry
    from; the fields added are the model's fields whose `revision` is this one.
    """

    kind: SchemaChangeKind
    revision: str
    down_revision: str | None
    model: str

    def to_answer(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "revision": self.revision,
            "down_revision": self.down_revision,
            "model": self.model,
        }


@dataclass(frozen=True)
class RecordedAnswers:
    """The validated answers of one project."""

    options: ProjectOptions
    models: tuple[ModelSpec, ...]  # in the order the initial revision creates them; removed ones too
    migrations: tuple[SchemaChange, ...] = ()
    version: str = FIRST_VERSION  # the asyncrud version that rendered the project

    @property
    def current_models(self) -> tuple[ModelSpec, ...]:
        """The models the project has now (not those removed)."""
        return tuple(model for model in self.models if model.removed is None)

    def model(self, name: str) -> ModelSpec | None:
        return next((model for model in self.current_models if model.name == name), None)

    def with_model(self, model: ModelSpec) -> RecordedAnswers:
        return replace(self, models=(*self.models, model))

    def with_fields(self, name: str, fields: Sequence[FieldSpec], change: SchemaChange) -> RecordedAnswers:
        """The fields appended to model `name`, each recorded with the revision that adds them."""
        added = tuple(replace(spec, revision=change.revision) for spec in fields)
        return self._with_change(name, change, lambda m: replace(m, fields=(*m.fields, *added)))

    def without_model(self, name: str, change: SchemaChange) -> RecordedAnswers:
        """Model `name` marked removed by the revision `change`."""
        return self._with_change(name, change, lambda m: replace(m, removed=change.revision))

    def _with_change(
        self, name: str, change: SchemaChange, edit: Callable[[ModelSpec], ModelSpec]
    ) -> RecordedAnswers:
        models = tuple(edit(m) if m.name == name and m.removed is None else m for m in self.models)
        return replace(self, models=models, migrations=(*self.migrations, change))

    def to_data(self) -> dict[str, Any]:
        """The answers as copier data: what renders this project again."""
        data: dict[str, Any] = {
            **self.options.to_answers(),
            "models": [model.to_answer() for model in self.models],
        }
        if self.migrations:
            data["migrations"] = [change.to_answer() for change in self.migrations]
        return data


def load_answers(path: Path) -> Mapping[str, Any] | None:
    """The raw mapping in an answers file, or None when the file is no mapping of answers at all."""
    data = read_yaml(path, "answers file", ProjectError)
    return data if isinstance(data, Mapping) else None


def is_asyncrud_answers(data: Mapping[str, Any] | None) -> bool:
    return data is not None and all(key in data for key in REQUIRED_KEYS)


def read_answers(path: Path) -> RecordedAnswers:
    """Parse and validate an asyncrud answers file with the same checks `asyncrud new` applies."""
    data = load_answers(path)
    if data is None or not is_asyncrud_answers(data):
        missing = ", ".join(key for key in REQUIRED_KEYS if data is None or key not in data)
        raise ProjectError(f"{str(path)!r} was not written by asyncrud (it has no {missing})")
    models = _list(data, "models", path)
    try:
        options = project_options(
            str(data["project_name"]),
            str(data["database"]),
            str(data["driver"]),
            package=str(data["package"]),
            description=None if data.get("description") is None else str(data["description"]),
            # Projects made before these options existed have neither.
            cache=str(data.get("cache", "none")),
            queue=str(data.get("queue", "none")),
        )
        specs = tuple(model_from_answer(entry) for entry in models)
        changes = schema_changes(specs, _list(data, "migrations", path))
    except AsyncrudError as error:
        raise ProjectError(f"{str(path)!r} holds an invalid answer: {error}") from None
    version = data.get(VERSION_KEY, FIRST_VERSION)
    return RecordedAnswers(options, specs, changes, str(version))


def _list(data: Mapping[str, Any], key: str, path: Path) -> Sequence[Any]:
    value = data.get(key) or []
    if not isinstance(value, Sequence) or isinstance(value, str):
        raise ProjectError(f"{str(path)!r}: {key!r} must be a list")
    return value


def _schema_change(entry: object) -> SchemaChange:
    if not isinstance(entry, Mapping) or entry.get("kind") not in SCHEMA_CHANGE_KINDS:
        raise SpecError(f"a migrations entry needs a kind of {', '.join(SCHEMA_CHANGE_KINDS)}", str(entry))
    revision = check_revision(entry.get("revision"))
    if revision is None:
        raise SpecError("a migrations entry needs a revision", str(entry))
    model = str(entry.get("model"))
    check_model_name(model)
    kind = cast(SchemaChangeKind, entry["kind"])
    return SchemaChange(kind, revision, check_revision(entry.get("down_revision")), model)


def schema_changes(models: Sequence[ModelSpec], entries: Sequence[Any]) -> tuple[SchemaChange, ...]:
    """The `migrations` answer of a project with these models (removed ones too), checked."""
    changes = tuple(_schema_change(entry) for entry in entries)
    _check_history(models, changes)
    return changes


def _check_history(models: Sequence[ModelSpec], changes: Sequence[SchemaChange]) -> None:
    """Every recorded change names what it changed: fields of its revision, or a model it removed."""
    live = [model.name for model in models if model.removed is None]
    if len(set(live)) != len(live):
        raise SpecError("model is defined twice", next(name for name in live if live.count(name) > 1))
    for change in changes:
        if change.kind == "add_fields":
            found = any(
                model.name == change.model and any(spec.revision == change.revision for spec in model.fields)
                for model in models
            )
        else:
            found = any(model.name == change.model and model.removed == change.revision for model in models)
        if not found:
            what = "no field of" if change.kind == "add_fields" else "no removed"
            raise SpecError(
                f"migrations entry {change.revision} has {what} model {change.model}", change.revision
            )
