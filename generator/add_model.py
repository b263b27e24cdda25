"""`asyncrud add-model`: grow a generated project by one model, keeping the user's edits.

The model goes through the same copier template as `asyncrud new`. The project is rendered twice
into a temporary folder, with the answers as recorded and with the new model appended; files only in
the second render are created, and the difference between the two renders of every other file is
merged into the user's version of it (generator.merge). Every check runs before anything is written,
and the writes are applied all at once or not at all (generator.changeset).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from generator.answers import ANSWERS_FILE
from generator.changeset import Change, ChangeSet
from generator.errors import ProjectError
from generator.merge import merge_file
from generator.migrations import read_history
from generator.project import Project, find_project
from generator.render import render
from generator.spec import ModelSpec, check_model_set, parse_model

# How many missing files an error message names before it says "and N more".
_NAMED_FILES = 5


@dataclass(frozen=True)
class AddModelPlan:
    project: Project
    model: ModelSpec  # with its Alembic `revision` and `down_revision`
    changes: ChangeSet


def plan_add_model(spec: str, project_dir: Path | None) -> AddModelPlan:
    """Everything `add-model` would write, checked and merged, with nothing written yet."""
    model = parse_model(spec)
    project = find_project(project_dir)
    if any(existing.name == model.name for existing in project.answers.models):
        raise ProjectError(f"model {model.name!r} exists already (recorded in {ANSWERS_FILE})")
    check_model_set([model], existing=project.answers.models)
    project.check_model_is_new(model)
    history = read_history(project.root)
    model = replace(model, revision=history.next_revision(model.snake), down_revision=history.head)
    with tempfile.TemporaryDirectory(prefix="asyncrud-add-model-") as folder:
        recorded, grown = Path(folder, "recorded"), Path(folder, "grown")
        render(project.answers.to_data(), recorded)
        render(project.answers.with_model(model).to_data(), grown)
        changes = _changes(project, recorded, grown)
    return AddModelPlan(project=project, model=model, changes=changes)


def _changes(project: Project, recorded: Path, grown: Path) -> ChangeSet:
    before, after = _files(recorded), _files(grown)
    missing = sorted(path for path in before if not (project.root / path).is_file())
    if missing:
        names = ", ".join(path.as_posix() for path in missing[:_NAMED_FILES])
        more = f" and {len(missing) - _NAMED_FILES} more" if len(missing) > _NAMED_FILES else ""
        raise ProjectError(
            f"generated files are missing from {str(project.root)!r}: {names}{more}; add-model works on the "
            "project as asyncrud generated it: restore them (e.g. `git checkout -- FILE`)"
        )
    changes: list[Change] = []
    for path in sorted(after):
        new = (grown / path).read_bytes()
        target = project.root / path
        if path not in before:
            if target.exists():
                raise ProjectError(f"add-model would create {path.as_posix()!r}, which already exists")
            changes.append(Change(path, None, new))
            continue
        old = (recorded / path).read_bytes()
        if old == new:
            continue
        current = target.read_bytes()
        merged = merge_file(current, old, new, path.as_posix())
        if merged != current:
            changes.append(Change(path, current, merged))
    return ChangeSet(project.root, tuple(changes))


def _files(root: Path) -> set[Path]:
    return {path.relative_to(root) for path in root.rglob("*") if path.is_file()}
