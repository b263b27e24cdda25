"""The one call into copier: render a project into a staging folder, then move it into place."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from generator.errors import RenderError, UsageError
from generator.project_options import ProjectOptions
from generator.spec import ModelSpec
from generator.template import template_root


def answers_for(options: ProjectOptions, models: Sequence[ModelSpec]) -> dict[str, Any]:
    return {**options.to_answers(), "models": [model.to_answer() for model in models]}


def check_target(dest: Path) -> None:
    if dest.exists() and not dest.is_dir():
        raise UsageError(f"target {str(dest)!r} exists and is not a folder")
    if dest.is_dir() and any(dest.iterdir()):
        raise UsageError(f"target folder {str(dest)!r} is not empty")


def render(data: dict[str, Any], dest: Path) -> None:
    """Render the template with `data` as the answers into `dest`, which must not exist yet."""
    from copier import run_copy  # imported here: copier is slow to import and `--help` needs none of it
    from copier.errors import CopierError

    try:
        run_copy(
            str(template_root()),
            dest,
            data=data,
            defaults=True,
            quiet=True,
            # Our own template's tasks: they run ruff format on the rendered files.
            unsafe=True,
        )
    except ValueError as error:  # copier's answer validators
        raise UsageError(str(error)) from None
    except CopierError as error:
        raise RenderError(f"copier failed: {error}") from error


def render_new(dest: Path, data: dict[str, Any]) -> list[Path]:
    """Render a new project at `dest` all at once: on any failure nothing is left behind.

    Copier writes into a staging folder beside `dest` (same file system), which is then renamed into
    place, so `dest` is either the complete project or unchanged.
    """
    check_target(dest)
    created_parents = [parent for parent in reversed(dest.absolute().parents) if not parent.exists()]
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{dest.name}.asyncrud-", dir=dest.parent))
    try:
        render(data, staging / "project")
        files = sorted(p.relative_to(staging / "project") for p in (staging / "project").rglob("*") if p.is_file())
        os.replace(staging / "project", dest)  # POSIX renames a folder onto an empty one
        return files
    except BaseException:
        if created_parents:
            shutil.rmtree(created_parents[0], ignore_errors=True)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
