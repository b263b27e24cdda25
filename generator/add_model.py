"""`asyncrud add-model`: grow a generated project by one model, keeping the user's edits.

The model is appended to the recorded answers, with the Alembic revision that creates its table
(after the project's current head), and the project follows through generator.plan: rendered
before and after, the difference merged into the user's files, all written at once or not at all.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from generator.answers import ANSWERS_FILE
from generator.errors import ProjectError
from generator.migrations import read_history
from generator.plan import Plan, plan_answers_change
from generator.project import find_project
from generator.spec import ModelSpec, check_model_set, parse_model


def plan_add_model(spec: str, project_dir: Path | None) -> tuple[Plan, ModelSpec]:
    """Everything `add-model` would write, checked and merged, and the model with its revision."""
    model = parse_model(spec)
    project = find_project(project_dir)
    answers = project.answers
    if any(existing.name == model.name for existing in answers.current_models):
        raise ProjectError(f"model {model.name!r} exists already (recorded in {ANSWERS_FILE})")
    removed = next((m for m in answers.models if m.name == model.name), None)
    if removed is not None:
        raise ProjectError(
            f"model {model.name!r} was removed by revision {removed.removed}, whose history keeps its "
            "table's name: give the new model another name"
        )
    check_model_set([model], existing=answers.current_models)
    project.check_model_is_new(model)
    history = read_history(project.root)
    model = replace(model, revision=history.next_revision(f"add_{model.snake}"), down_revision=history.head)
    return plan_answers_change(project, answers.with_model(model), "add-model"), model
