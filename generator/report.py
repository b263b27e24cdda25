"""What `asyncrud` prints after it wrote something (Rich)."""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.table import Table

from generator.project_options import ProjectOptions
from generator.spec import ModelSpec


def print_created(
    console: Console, dest: Path, options: ProjectOptions, models: Sequence[ModelSpec], files: Sequence[Path]
) -> None:
    console.print(
        f"[bold green]Created[/] {options.name} in {dest} "
        f"({options.database} + {options.driver}, {len(files)} files)",
        highlight=False,
    )
    if models:
        table = Table("model", "table", "endpoints", "module")
        for model in models:
            table.add_row(
                model.name, model.snake, f"/api/v1/{model.plural}", f"{options.package}/{model.snake}/"
            )
        console.print(table)
    console.print("\n[bold]Next:[/]")
    folder = shlex.quote(str(dest))
    console.print(f"  cd {folder} && pip install -e '.[dev]'", highlight=False, markup=False)
    console.print("  pytest", highlight=False)
    console.print(f"  alembic upgrade head && uvicorn {options.package}.main:app --reload", highlight=False)
