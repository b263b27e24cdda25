"""`asyncrud upgrade`: carry the installed asyncrud's template into a project an older one made.

The merge base is the project as the asyncrud version that made it renders its answers (the
template of every released version travels in the wheel: generator.releases); the other side is
the same answers through the installed template. generator.plan merges the difference into the
user's files; conflicts are written with the standard markers and listed, never dropped.

Migrations are history. When the revision files of the two renders build the same schema (compared
as the SQL they emit, offline), their difference is only how they are written, and it is merged like
any file's. When they do not, the project's revision files stay as they are, since its databases were
built by them, and the upgrade says so: the schema change is the user's to write, with
`alembic revision --autogenerate` against their database (the models then tell Alembic what changed).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, replace
from pathlib import Path

from packaging.version import Version

from generator import __version__
from generator.answers import ANSWERS_FILE, load_answers
from generator.migrations import schema_statements
from generator.plan import Conflict, ConflictLabels, Plan, Rendering, merge_renders, rendered
from generator.project import Project, find_project
from generator.releases import parse_version, template_of
from generator.template import template_root

VERSIONS = Path("migrations", "versions")


@dataclass(frozen=True)
class Upgrade:
    project: Project
    version: str  # the asyncrud version that made the project
    plan: Plan | None  # None: made by this version already, nothing to do


def plan_upgrade(project_dir: Path | None) -> Upgrade:
    """Everything `upgrade` would write, merged, with the conflicts it would write; nothing written yet."""
    project = find_project(project_dir)
    version = project.answers.version
    base_template = template_of(version)  # refuses a newer or unknown version
    if parse_version(version) == Version(__version__):
        return Upgrade(project, version, None)
    before = Rendering(base_template, _recorded_data(project))
    after = Rendering(template_root(), project.answers.to_data())
    labels = ConflictLabels(ours="yours", theirs=f"asyncrud {__version__}")
    with rendered(before, after, "upgrade") as (old, new):
        notes = _keep_history_if_schema_changed(project, old, new)
        changes, conflicts = merge_renders(project, old, new, "upgrade", labels)
    answers = replace(project.answers, version=__version__)
    return Upgrade(project, version, Plan(project, answers, changes, (*conflicts, *notes)))


def _recorded_data(project: Project) -> dict[str, object]:
    """The answers as recorded, which is what the template of that version takes."""
    data = load_answers(project.root / ANSWERS_FILE) or {}
    return {key: value for key, value in data.items() if not key.startswith("_")}


def _keep_history_if_schema_changed(project: Project, old: Path, new: Path) -> tuple[Conflict, ...]:
    """When the new template's revisions build another schema, put the old ones in the new render,
    so that the project's revision files stay as its databases know them; say what to do."""
    database = project.answers.options.database
    before, after = schema_statements(old, database), schema_statements(new, database)
    if before is not None and before == after:
        return ()
    for revision in (old / VERSIONS).glob("*.py"):
        if (new / VERSIONS / revision.name).is_file():
            shutil.copyfile(revision, new / VERSIONS / revision.name)
    reason = (
        "the template's tables changed: your revision files were kept as they are; run "
        "`alembic upgrade head`, then `alembic revision --autogenerate -m 'asyncrud upgrade'` to write "
        "the change, and review it"
        if before is not None and after is not None
        else "the schemas the old and new revisions build could not be compared: your revision files were "
        "kept as they are; `alembic check` on an upgraded database shows any change to write"
    )
    return (Conflict(VERSIONS, reason),)
