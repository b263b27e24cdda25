"""Planning a change to a generated project: what add-model, add-field, remove-model and upgrade write.

Each of these commands changes what renders the project: its answers (a model more, fields more, a
model less) or its template (a newer asyncrud). The project's files follow by the same steps:

1. The project is rendered twice into a temporary folder: before the change (the recorded answers
   through the template of the asyncrud version that made the project) and after it (the new answers
   through the installed template).
2. A file only in the second render is created; a file only in the first is deleted (unless the
   user edited it); for every other file the change touches, the difference between the two renders
   is merged into the user's version of it (generator.merge), so that the user's edits stay. The
   answers file is the record of the change: it is written as the second render has it.
3. Every write is collected into one ChangeSet, applied all at once or not at all, once every check
   has passed (generator.changeset).

What a conflict does is the command's choice: the model commands refuse the whole change (exit 2,
nothing written, the user's edit named); `upgrade` writes conflicts with the standard markers and
lists them (exit 1).
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging.version import Version

from generator import __version__
from generator.answers import ANSWERS_FILE, RecordedAnswers
from generator.changeset import Change, ChangeSet
from generator.errors import ProjectError
from generator.merge import merge_file, merge_with_markers
from generator.project import Project
from generator.releases import parse_version
from generator.render import render
from generator.template import template_root

# How many missing files an error message names before it says "and N more".
_NAMED_FILES = 5


@dataclass(frozen=True)
class Rendering:
    """What renders a project: a template root (copier.yml and template/) and the answers as data."""

    template: Path
    data: Mapping[str, Any]


@dataclass(frozen=True)
class Conflict:
    """A file `upgrade` could not carry the template's change into by itself."""

    path: Path
    reason: str


@dataclass(frozen=True)
class Plan:
    """Everything a command would write, checked and merged, with nothing written yet."""

    project: Project
    answers: RecordedAnswers  # what the answers file records once the change is applied
    changes: ChangeSet
    conflicts: tuple[Conflict, ...] = ()


@dataclass(frozen=True)
class ConflictLabels:
    """With these, conflicts are written between markers labelled `ours` and `theirs`, not refused."""

    ours: str
    theirs: str


def plan_answers_change(project: Project, answers: RecordedAnswers, command: str) -> Plan:
    """The project's answers changed to `answers` (add-model, add-field, remove-model): both renders
    through the installed template, which must be the one that made the project; refuses conflicts."""
    check_made_by_this_version(project, command)
    before = Rendering(template_root(), project.answers.to_data())
    after = Rendering(template_root(), answers.to_data())
    with rendered(before, after, command) as (old, new):
        changes, _ = merge_renders(project, old, new, command)
    return Plan(project, answers, changes)


def check_made_by_this_version(project: Project, command: str) -> None:
    recorded = parse_version(project.answers.version)
    if recorded < Version(__version__):
        raise ProjectError(
            f"the project was made by asyncrud {project.answers.version}; this is asyncrud {__version__}: "
            f"run `asyncrud upgrade` first, then {command} again"
        )
    if recorded > Version(__version__):
        raise ProjectError(
            f"the project was made by asyncrud {project.answers.version}, newer than this asyncrud "
            f"({__version__}): upgrade asyncrud (pip install -U asyncrud)"
        )


@contextlib.contextmanager
def rendered(before: Rendering, after: Rendering, command: str) -> Iterator[tuple[Path, Path]]:
    """The two renders in a temporary folder, removed on exit."""
    with tempfile.TemporaryDirectory(prefix=f"asyncrud-{command}-") as folder:
        old, new = Path(folder, "before"), Path(folder, "after")
        render(dict(before.data), old, before.template)
        render(dict(after.data), new, after.template)
        yield old, new


def merge_renders(
    project: Project, old: Path, new: Path, command: str, labels: ConflictLabels | None = None
) -> tuple[ChangeSet, tuple[Conflict, ...]]:
    """The writes that carry the difference between the renders `old` and `new` into the project.

    Without `labels` a conflict is a ProjectError; with them it is written with conflict markers
    (or, for a file deleted on one side and changed on the other, left as the user has it) and
    returned.
    """
    before, after = _files(old), _files(new)
    if labels is None:
        _check_nothing_missing(project, before, command)
    changes: list[Change] = []
    conflicts: list[Conflict] = []
    for path in sorted(before | after):
        target = project.root / path
        current = target.read_bytes() if target.is_file() else None
        base = (old / path).read_bytes() if path in before else None
        other = (new / path).read_bytes() if path in after else None
        if path == Path(ANSWERS_FILE):  # the record of the change, never merged
            assert other is not None
            base = current
        change, conflict = _file_change(path, current, base, other, command, labels)
        if change is not None and change.before != change.after:
            changes.append(change)
        if conflict is not None:
            conflicts.append(conflict)
    return ChangeSet(project.root, tuple(changes)), tuple(conflicts)


def _file_change(
    path: Path,
    current: bytes | None,
    base: bytes | None,
    other: bytes | None,
    command: str,
    labels: ConflictLabels | None,
) -> tuple[Change | None, Conflict | None]:
    name = path.as_posix()
    if base == other:
        return None, None
    if current is None:
        if base is not None and labels is not None:  # deleted by the user, changed by the template
            reason = "deleted here and changed by the template: not created again"
            return None, (Conflict(path, reason) if other is not None else None)
        if other is None:
            return None, None
        return Change(path, None, other), None
    if base is None:  # created by the template where the user has a file
        if current == other:
            return None, None
        if labels is None:
            raise ProjectError(f"{command} would create {name!r}, which already exists")
        both = b"".join([f"<<<<<<< {labels.ours}\n".encode(), _ended(current), b"=======\n"])
        both += _ended(other or b"") + f">>>>>>> {labels.theirs}\n".encode()
        return Change(path, current, both), Conflict(path, "created by both: conflict markers written")
    if other is None:  # deleted by the template
        if current == base:
            return Change(path, current, None), None
        if labels is None:
            raise ProjectError(
                f"{command} would delete {name!r}, which was edited by hand. Nothing was written: move "
                "your edit elsewhere or undo it (e.g. `git checkout -- FILE`), then run it again"
            )
        return None, Conflict(path, "edited here and deleted by the template: kept as it is")
    if labels is None:
        return Change(path, current, merge_file(current, base, other, name, command)), None
    merged = merge_with_markers(current, base, other, labels.ours, labels.theirs)
    conflict = Conflict(path, f"{merged.conflicts} conflict(s) marked") if merged.conflicts else None
    return Change(path, current, merged.content), conflict


def _check_nothing_missing(project: Project, before: set[Path], command: str) -> None:
    missing = sorted(path for path in before if not (project.root / path).is_file())
    if missing:
        names = ", ".join(path.as_posix() for path in missing[:_NAMED_FILES])
        more = f" and {len(missing) - _NAMED_FILES} more" if len(missing) > _NAMED_FILES else ""
        raise ProjectError(
            f"generated files are missing from {str(project.root)!r}: {names}{more}; {command} works on the "
            "project as asyncrud generated it: restore them (e.g. `git checkout -- FILE`)"
        )


def _ended(content: bytes) -> bytes:
    return content if not content or content.endswith(b"\n") else content + b"\n"


def _files(root: Path) -> set[Path]:
    return {path.relative_to(root) for path in root.rglob("*") if path.is_file()}
