"""The Alembic revision of an added model: the project's current head and a fresh revision id.

The head is read with Alembic's own script API, as `alembic heads` reads it (no database needed), so
revisions the user wrote by hand or with `alembic revision --autogenerate`, with their random ids and
any `version_locations` of alembic.ini, count like the generated ones.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from generator.errors import AsyncrudError, ProjectError

# alembic_version.version_num is a VARCHAR(32): a longer revision id fails the first `upgrade`.
MAX_REVISION_LENGTH = 32
_NUMBERED = re.compile(r"^(\d{4})_")


@dataclass(frozen=True)
class MigrationHistory:
    head: str | None
    revisions: frozenset[str]

    def next_revision(self, model_snake: str) -> str:
        """`0002_add_review`: the next number of the generated revisions, then what the revision does."""
        numbers = [int(match[1]) for rev in self.revisions if (match := _NUMBERED.match(rev))]
        number = max(numbers, default=0) + 1
        while True:
            revision = f"{number:04d}_add_{model_snake}"[:MAX_REVISION_LENGTH].rstrip("_")
            if revision not in self.revisions:
                return revision
            number += 1


def read_history(project_root: Path) -> MigrationHistory:
    """The revisions of the project's Alembic scripts and their single head."""
    try:
        from alembic.config import Config
        from alembic.script import ScriptDirectory
        from alembic.util import CommandError
    except ImportError:  # pragma: no cover - alembic comes with every environment a project runs in
        raise AsyncrudError(
            "add-model reads the project's migrations with Alembic: install it (pip install alembic), "
            "or run asyncrud in the project's environment"
        ) from None
    ini = project_root / "alembic.ini"
    if not ini.is_file():
        raise ProjectError(f"{str(ini)!r} is missing: add-model needs the project's Alembic configuration")
    try:
        with _as_alembic_command_in(project_root):
            scripts = ScriptDirectory.from_config(Config(str(ini)))
            heads = scripts.get_heads()
            revisions = frozenset(script.revision for script in scripts.walk_revisions())
    except CommandError as error:
        raise ProjectError(f"cannot read the Alembic revisions of {str(project_root)!r}: {error}") from None
    except Exception as error:  # a revision script that fails to import is the user's code
        raise ProjectError(
            f"cannot load the Alembic revisions of {str(project_root)!r} "
            f"({type(error).__name__}: {error}); `alembic heads` in the project shows the same problem"
        ) from None
    if len(heads) > 1:
        raise ProjectError(
            f"the migrations have several heads ({', '.join(sorted(heads))}); "
            "join them first with `alembic merge heads`"
        )
    return MigrationHistory(head=heads[0] if heads else None, revisions=revisions)


@contextlib.contextmanager
def _as_alembic_command_in(root: Path) -> Iterator[None]:
    """Run in `root` as the `alembic` command would, and leave no trace of the project behind.

    Alembic imports every revision script, and those import the project's package through
    alembic.ini's `prepend_sys_path = .`, which is relative to the current folder: so work from the
    project root, then restore the folder, `sys.path` and `sys.modules` (nothing of the project's
    code stays imported in asyncrud).
    """
    cwd, path, modules = Path.cwd(), list(sys.path), set(sys.modules)
    os.chdir(root)
    try:
        yield
    finally:
        os.chdir(cwd)
        sys.path[:] = path
        for name in set(sys.modules) - modules:
            # Only the project's modules: a library module imported meanwhile stays, as unloading
            # part of a library breaks it.
            if any(Path(place).resolve().is_relative_to(root) for place in _places(sys.modules[name])):
                del sys.modules[name]


def _places(module: ModuleType) -> list[str]:
    """Where a module was loaded from: its file, or the folders of a namespace package."""
    file = getattr(module, "__file__", None)
    return [file] if file else list(getattr(module, "__path__", []))
