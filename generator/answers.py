"""The answers a project was generated with, as recorded in its `.copier-answers.yml`.

The answers file is the single record of what a project holds: `add-model` reads the project options
and models from it, and the new model reaches it again through the same template that wrote it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import AsyncrudError, ProjectError
from generator.project_options import ProjectOptions, project_options
from generator.spec import ModelSpec, model_from_answer
from generator.yaml_file import read_yaml

ANSWERS_FILE = ".copier-answers.yml"
# What `asyncrud new` records beyond copier's own `_` keys; a copier project of another template lacks them.
REQUIRED_KEYS = ("project_name", "package", "database", "driver", "models")


@dataclass(frozen=True)
class RecordedAnswers:
    """The validated answers of one project."""

    options: ProjectOptions
    models: tuple[ModelSpec, ...]

    def with_model(self, model: ModelSpec) -> RecordedAnswers:
        return RecordedAnswers(self.options, (*self.models, model))

    def to_data(self) -> dict[str, Any]:
        """The answers as copier data: what renders this project again."""
        return {**self.options.to_answers(), "models": [model.to_answer() for model in self.models]}


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
    models = data["models"]
    if not isinstance(models, Sequence) or isinstance(models, str):
        raise ProjectError(f"{str(path)!r}: 'models' must be a list")
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
    except AsyncrudError as error:
        raise ProjectError(f"{str(path)!r} holds an invalid answer: {error}") from None
    return RecordedAnswers(options, specs)
