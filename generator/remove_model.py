"""`asyncrud remove-model MODEL`: take a model out of a project, with a revision that drops its table.

The model stays in the recorded answers, marked with the revision that drops its table (recorded in
the `migrations` answer, after the project's current head): the revisions that created it are
history, which `copier recopy` renders again. Everything else of the model (its package, router
registration and import, tests, factory, README line) is no longer rendered, so generator.plan
deletes it, unless the user edited it: then nothing is written and the file is named.
"""

from __future__ import annotations

from pathlib import Path

from generator.answers import SchemaChange
from generator.errors import ProjectError
from generator.migrations import read_history
from generator.plan import Plan, plan_answers_change
from generator.project import find_project


def plan_remove_model(model_name: str, project_dir: Path | None) -> tuple[Plan, SchemaChange]:
    """Everything `remove-model` would write and delete, checked, and the revision it records."""
    project = find_project(project_dir)
    model = project.model_named(model_name)
    referrers = [
        m.name for m in project.answers.current_models if m.name != model.name and model.name in m.related
    ]
    if referrers:
        raise ProjectError(
            f"cannot remove {model.name!r}: {', '.join(referrers)} refer{'s' if len(referrers) == 1 else ''} "
            f"to it (ref({model.name}) or m2m({model.name})); remove them first"
        )
    history = read_history(project.root)
    change = SchemaChange(
        "remove_model", history.next_revision(f"remove_{model.snake}"), history.head, model.name
    )
    answers = project.answers.without_model(model.name, change)
    return plan_answers_change(project, answers, "remove-model"), change
