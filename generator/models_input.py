"""Model specs from the command line: `--model` strings and a `--models-file`."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from generator.errors import SpecError, UsageError
from generator.spec import ModelSpec, check_model_set, model_from_answer, parse_model
from generator.yaml_file import read_yaml


def read_models_file(path: Path) -> list[ModelSpec]:
    """A YAML list (or `models:` mapping) of spec strings, or of mappings as in the answers file."""
    data = read_yaml(path, "models file")
    if isinstance(data, dict) and "models" in data:
        data = data["models"]
    if not isinstance(data, list):
        raise UsageError(f"models file {str(path)!r} must hold a list of model specs")
    models = []
    for entry in data:
        if isinstance(entry, str):
            models.append(parse_model(entry))
        elif isinstance(entry, dict):
            models.append(model_from_answer(entry))
        else:
            raise SpecError(
                f"models file {str(path)!r}: an entry is neither a spec nor a mapping", str(entry)
            )
    return models


def collect_models(specs: Sequence[str], models_file: Path | None) -> tuple[ModelSpec, ...]:
    models = [parse_model(spec) for spec in specs]
    if models_file is not None:
        models += read_models_file(models_file)
    return check_model_set(models)
