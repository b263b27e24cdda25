"""The one call into copier: render a project into a staging folder, then move it into place."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

from generator.errors import RenderError, UsageError
from generator.template import template_root

# Hidden folders copier renders into before the project is moved into place.
STAGING_PREFIX = ".asyncrud-staging-"


def check_target(dest: Path) -> None:
    if dest.exists() and not dest.is_dir():
        raise UsageError(f"target {str(dest)!r} exists and is not a folder")
    try:
        entries = list(dest.iterdir()) if dest.is_dir() else []
    except OSError as error:
        raise UsageError(f"cannot read target folder {str(dest)!r}: {error.strerror}") from None
    if any(not entry.name.startswith(STAGING_PREFIX) for entry in entries):
        raise UsageError(f"target folder {str(dest)!r} is not empty")


def render(data: dict[str, Any], dest: Path, template: Path | None = None) -> None:
    """Render `template` (by default the installed one) with `data` as the answers into `dest`,
    which must not exist yet."""
    # Imported here: copier is slow to import and `--help` needs none of it.
    from copier.errors import CopierError

    from generator.copier_worker import FreshFolderWorker

    try:
        # What copier's `run_copy` does, with a Worker that skips what a fresh folder does not need.
        with FreshFolderWorker(
            src_path=str(template or template_root()),
            dst_path=dest,
            data=data,
            defaults=True,
            quiet=True,
            # Our own template's tasks (ruff format) and extension (generator.copier_extension).
            unsafe=True,
        ) as worker:
            worker.run_copy()
    except ValueError as error:  # copier's answer validators
        raise UsageError(str(error)) from None
    except CopierError as error:
        raise RenderError(f"copier failed: {error}") from error


def render_new(dest: Path, data: dict[str, Any]) -> list[Path]:
    """Render a new project at `dest` all at once: on any failure nothing is left behind.

    Copier writes into a staging folder on the same file system as `dest`, whose content is then
    renamed into place, so `dest` is either the complete project or as it was: absent, or an empty
    folder that keeps its identity (a mount point, the shell's current folder). Errors, Ctrl-C and
    `kill` (SIGTERM, SIGHUP) all unwind through the cleanup; only SIGKILL can leave a hidden
    `.asyncrud-staging-*` folder, which the next run into the same target removes.
    """
    dest = Path(os.path.abspath(dest))  # "a/../b" and "." resolved; symbolic links kept
    check_target(dest)
    try:
        with signals_as_exceptions():
            if dest.is_dir():
                return _render_into_folder(dest, data)
            return _render_as_new_folder(dest, data)
    except OSError as error:
        reason = error.strerror or str(error)
        message = f"cannot write the project to {str(dest)!r} ({reason}); nothing was written"
        raise RenderError(message) from error


def _render_as_new_folder(dest: Path, data: dict[str, Any]) -> list[Path]:
    created_parents = [parent for parent in reversed(dest.parents) if not parent.exists()]
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{dest.name}-", dir=dest.parent))
        try:
            render(data, staging / "project")
            files = _files(staging / "project")
            os.rename(staging / "project", dest)
            return files
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    except BaseException:
        if created_parents:
            shutil.rmtree(created_parents[0], ignore_errors=True)
        raise


def _render_into_folder(dest: Path, data: dict[str, Any]) -> list[Path]:
    for stale in dest.glob(f"{STAGING_PREFIX}*"):
        shutil.rmtree(stale, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=dest))
    moved: list[Path] = []
    try:
        render(data, staging / "project")
        files = _files(staging / "project")
        for entry in sorted((staging / "project").iterdir()):
            os.rename(entry, dest / entry.name)
            moved.append(dest / entry.name)
        return files
    except BaseException:
        for path in moved:  # the folder was empty: whatever is in it now is ours
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _files(root: Path) -> list[Path]:
    return sorted(path.relative_to(root) for path in root.rglob("*") if path.is_file())


@contextlib.contextmanager
def signals_as_exceptions() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into SystemExit while writing, so that cleanup code runs (Ctrl-C's
    KeyboardInterrupt already does): for `new`, and for `add-model`'s all-or-nothing writes."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, _frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    previous = {number: signal.signal(number, stop) for number in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
