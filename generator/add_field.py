"""`asyncrud add-field MODEL FIELD...`: new columns for a model's table, in its code and tests too.

The fields are appended to the model in the recorded answers, each marked with the Alembic revision
that adds its column (recorded in the `migrations` answer, after the project's current head); the
template renders the model, schemas, filters, tests and factory with them, and that revision with
`add_column` (in a batch, which SQLite needs). The project follows through generator.plan.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from pathlib import Path

from generator.answers import SchemaChange
from generator.migrations import MAX_REVISION_LENGTH, read_history
from generator.plan import Plan, plan_answers_change
from generator.project import find_project
from generator.spec import FieldSpec, parse_new_fields


def plan_add_field(
    model_name: str, tokens: Sequence[str], project_dir: Path | None
) -> tuple[Plan, SchemaChange]:
    """Everything `add-field` would write, checked and merged, and the revision it records."""
    project = find_project(project_dir)
    model = project.model_named(model_name)
    if len(tokens) == 1:  # one quoted argument holding every field
        tokens = shlex.split(tokens[0])
    fields = parse_new_fields(model, tokens, project.answers.current_models)
    project.check_fields_are_new(model, fields)
    history = read_history(project.root)
    change = SchemaChange(
        "add_fields", history.next_revision(_slug(model.snake, fields)), history.head, model.name
    )
    answers = project.answers.with_fields(model.name, fields, change)
    return plan_answers_change(project, answers, "add-field"), change


def _slug(snake: str, fields: Sequence[FieldSpec]) -> str:
    """`add_isbn_pages_to_book`, or `add_fields_to_book` when the names make it too long."""
    slug = f"add_{'_'.join(spec.name for spec in fields)}_to_{snake}"
    return slug if len(slug) <= MAX_REVISION_LENGTH - len("0000_") else f"add_fields_to_{snake}"
