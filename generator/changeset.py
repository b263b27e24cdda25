"""A set of file writes inside a project, applied all at once or not at all."""

from __future__ import annotations

import difflib
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import RenderError


@dataclass(frozen=True)
class Change:
    """One file: `before` is None for a file to create."""

    path: Path  # relative to the project root
    before: bytes | None
    after: bytes

    def diff(self) -> Iterator[str]:
        """The unified diff of a changed file, as `git diff` prints it."""
        assert self.before is not None
        name = self.path.as_posix()
        yield from difflib.unified_diff(
            self.before.decode(errors="replace").splitlines(keepends=True),
            self.after.decode(errors="replace").splitlines(keepends=True),
            fromfile=f"a/{name}",
            tofile=f"b/{name}",
        )


@dataclass(frozen=True)
class ChangeSet:
    root: Path
    changes: tuple[Change, ...] = field(default=())

    @property
    def created(self) -> list[Path]:
        return [c.path for c in self.changes if c.before is None]

    @property
    def changed(self) -> list[Path]:
        return [c.path for c in self.changes if c.before is not None]

    def diff(self) -> Iterator[str]:
        for change in self.changes:
            if change.before is not None:
                yield from change.diff()

    def apply(self) -> None:
        """Write every change, or on any failure (interrupt included) leave the project as it was.

        New contents are staged in a folder inside the project (same file system), then each file is
        swapped in with an atomic rename after a backup of the file it replaces; a failure part-way
        puts every backup back and removes every created file and folder.
        """
        try:
            staging = Path(tempfile.mkdtemp(prefix=".asyncrud-staging-", dir=self.root))
        except OSError as error:
            raise RenderError(f"cannot write in {str(self.root)!r}: {error.strerror}") from None
        try:
            staged = [self._stage(change, staging / f"{i}.new") for i, change in enumerate(self.changes)]
            self._swap_in(staged, staging)
        except OSError as error:
            raise RenderError(f"writing the project failed, nothing was changed: {error}") from None
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def _stage(self, change: Change, staged: Path) -> tuple[Change, Path]:
        staged.write_bytes(change.after)
        target = self.root / change.path
        if change.before is not None:
            shutil.copymode(target, staged)
        return change, staged

    def _swap_in(self, staged: list[tuple[Change, Path]], staging: Path) -> None:
        done: list[tuple[Path, Path | None]] = []  # (target, backup or None for a created file)
        folders: list[Path] = []
        try:
            for index, (change, source) in enumerate(staged):
                target = self.root / change.path
                _make_parents(target.parent, folders)
                backup = None
                if change.before is not None:
                    backup = staging / f"{index}.backup"
                    shutil.copy2(target, backup)
                elif target.exists():  # appeared since the plan was made: never overwrite it
                    raise FileExistsError(f"{change.path.as_posix()} was created meanwhile")
                os.replace(source, target)
                done.append((target, backup))
        except BaseException:
            for target, backup in reversed(done):
                if backup is None:
                    target.unlink(missing_ok=True)
                else:
                    os.replace(backup, target)
            for folder in reversed(folders):
                folder.rmdir()
            raise


def _make_parents(folder: Path, created: list[Path]) -> None:
    """Create `folder` and its missing parents, outermost first, recording each one created."""
    for missing in reversed([p for p in (folder, *folder.parents) if not p.exists()]):
        missing.mkdir()
        created.append(missing)
