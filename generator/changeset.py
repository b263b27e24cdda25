"""A set of file writes and deletions inside a project, applied all at once or not at all."""

from __future__ import annotations

import difflib
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import RenderError

# What tools leave beside the files of a package; a folder holding nothing else is empty to us.
_TOOL_FOLDERS = frozenset({"__pycache__"})


@dataclass(frozen=True)
class Change:
    """One file: `before` is None for a file to create, `after` None for a file to delete."""

    path: Path  # relative to the project root
    before: bytes | None
    after: bytes | None

    def diff(self) -> Iterator[str]:
        """The unified diff of the change, as `git diff` prints it (`/dev/null` for a created or
        deleted file)."""
        name = self.path.as_posix()
        yield from difflib.unified_diff(
            _lines(self.before),
            _lines(self.after),
            fromfile=f"a/{name}" if self.before is not None else "/dev/null",
            tofile=f"b/{name}" if self.after is not None else "/dev/null",
        )


def _lines(content: bytes | None) -> list[str]:
    return [] if content is None else content.decode(errors="replace").splitlines(keepends=True)


@dataclass(frozen=True)
class ChangeSet:
    root: Path
    changes: tuple[Change, ...] = field(default=())

    @property
    def created(self) -> list[Path]:
        return [c.path for c in self.changes if c.before is None]

    @property
    def changed(self) -> list[Path]:
        return [c.path for c in self.changes if c.before is not None and c.after is not None]

    @property
    def deleted(self) -> list[Path]:
        return [c.path for c in self.changes if c.after is None]

    def diff(self) -> Iterator[str]:
        """The diff of the changed files (created and deleted ones are listed, not shown)."""
        for change in self.changes:
            if change.before is not None and change.after is not None:
                yield from change.diff()

    def apply(self) -> None:
        """Write every change, or on any failure (interrupt included) leave the project as it was.

        New contents are staged in a folder inside the project (same file system), then each file is
        swapped in with an atomic rename after a backup of the file it replaces; a deleted file is
        renamed into the staging folder, and so is a folder that deleting files left empty (but for
        `__pycache__`). A failure part-way puts every backup back and removes every created file
        and folder.
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

    def _stage(self, change: Change, staged: Path) -> tuple[Change, Path | None]:
        if change.after is None:
            return change, None
        staged.write_bytes(change.after)
        target = self.root / change.path
        if change.before is not None:
            shutil.copymode(target, staged)
        return change, staged

    def _swap_in(self, staged: list[tuple[Change, Path | None]], staging: Path) -> None:
        # What was done, to undo in reverse: (target, backup) where the backup is None for a
        # created file or folder; a folder moved away has a backup that is a folder.
        done: list[tuple[Path, Path | None]] = []
        try:
            for index, (change, source) in enumerate(staged):
                target = self.root / change.path
                backup = None
                if change.before is not None:
                    backup = staging / f"{index}.backup"
                    if source is None:  # deleted: moved away whole, put back by the rollback
                        os.replace(target, backup)
                        done.append((target, backup))
                        continue
                    shutil.copy2(target, backup)
                elif target.exists():  # appeared since the plan was made: never overwrite it
                    raise FileExistsError(f"{change.path.as_posix()} was created meanwhile")
                for folder in _make_parents(target.parent):
                    done.append((folder, None))
                assert source is not None
                os.replace(source, target)
                done.append((target, backup))
            for index, folder in enumerate(self._emptied_folders()):
                backup = staging / f"folder-{index}"
                os.replace(folder, backup)
                done.append((folder, backup))
        except BaseException:
            for target, backup in reversed(done):
                if backup is not None:
                    os.replace(backup, target)
                elif target.is_dir():
                    target.rmdir()
                else:
                    target.unlink(missing_ok=True)
            raise

    def _emptied_folders(self) -> list[Path]:
        """The folders that held deleted files and now hold nothing but tool output, deepest first."""
        candidates = {parent for path in self.deleted for parent in (self.root / path).parents}
        emptied: list[Path] = []
        for folder in sorted(candidates, key=lambda p: len(p.parts), reverse=True):
            if folder == self.root or not folder.is_relative_to(self.root) or not folder.is_dir():
                continue
            inside = [entry for entry in folder.iterdir() if entry not in emptied]
            if all(entry.name in _TOOL_FOLDERS and entry.is_dir() for entry in inside):
                emptied.append(folder)
        # A parent moved away takes its emptied children with it.
        return [f for f in emptied if not any(f != other and f.is_relative_to(other) for other in emptied)]


def _make_parents(folder: Path) -> list[Path]:
    """Create `folder` and its missing parents, outermost first; returns those created."""
    created = []
    for missing in reversed([p for p in (folder, *folder.parents) if not p.exists()]):
        missing.mkdir()
        created.append(missing)
    return created
