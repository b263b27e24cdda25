"""What `asyncrud` prints after it wrote something (Rich)."""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from generator.changeset import ChangeSet
from generator.project import Project
from generator.project_options import ProjectOptions
from generator.spec import ModelSpec

if TYPE_CHECKING:  # generator.reflect imports SQLAlchemy, which only --from-database needs
    from generator.reflect import Reflection


def print_created(
    console: Console,
    dest: Path,
    options: ProjectOptions,
    models: Sequence[ModelSpec],
    files: Sequence[Path],
    existing_database: bool = False,
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
                model.name,
                model.table or model.snake,
                f"/api/v1/{model.plural}",
                f"{options.package}/{model.snake}/",
            )
        console.print(table)
    console.print("\n[bold]Next:[/]")
    folder = shlex.quote(str(dest))
    console.print(f"  cd {folder} && pip install -e '.[dev]'", highlight=False, markup=False)
    console.print("  pytest", highlight=False)
    if existing_database:
        # The tables exist: the first revision is only recorded as applied, never run.
        console.print("  export DATABASE_URL=...   # the database the models came from", highlight=False)
        serve = f"uvicorn {options.package}.main:app --reload"
        console.print(f"  alembic stamp head && {serve}", highlight=False)
    else:
        if options.database != "sqlite":
            # The server's database may not exist yet; DATABASE_URL (or .env) says which one.
            console.print(f"  python -m {options.package}.manage create-db", highlight=False)
        console.print(
            f"  alembic upgrade head && uvicorn {options.package}.main:app --reload", highlight=False
        )


def print_reflection(console: Console, reflection: Reflection) -> None:
    """The tables `--from-database` read: a line per skipped table, the spec of every model."""
    for skipped in reflection.skipped:
        console.print(f"[yellow]skipped[/] table {skipped.table!r}: {skipped.reason}", highlight=False)
    for note in reflection.notes:
        console.print(f"[yellow]note[/] {note}", highlight=False)
    for model in reflection.models:
        line = f"{model.table or model.snake} -> {model.to_spec()}"
        console.print(line, highlight=False, markup=False, emoji=False)


def print_model_added(console: Console, project: Project, model: ModelSpec, changes: ChangeSet) -> None:
    options = project.answers.options
    console.print(
        f"[bold green]Added[/] {model.name} to {options.name} in {project.root} "
        f"({len(changes.created)} files created, {len(changes.changed)} changed)",
        highlight=False,
    )
    _print_model_changes(console, project, model, changes)
    console.print("\n[bold]Next:[/]")
    console.print("  alembic upgrade head", highlight=False)
    console.print("  pytest", highlight=False)


def print_model_plan(console: Console, project: Project, model: ModelSpec, changes: ChangeSet) -> None:
    """What `add-model --dry-run` would do: the files it would create and the diff it would apply."""
    options = project.answers.options
    console.print(f"[bold]Would add[/] {model.name} to {options.name} in {project.root}", highlight=False)
    _print_model_changes(console, project, model, changes)
    diff = list(changes.diff())
    if diff:
        console.print("\n[bold]Diff:[/]")
        styles = {"+": "green", "-": "red", "@": "cyan"}
        for line in diff:
            style = None if line.startswith(("+++", "---")) else styles.get(line[:1])
            console.print(line.rstrip("\n"), style=style, highlight=False, markup=False, soft_wrap=True)
    console.print("\nDry run: nothing was written.")


def _print_model_changes(console: Console, project: Project, model: ModelSpec, changes: ChangeSet) -> None:
    table = Table("model", "table", "endpoints", "module", "migration")
    migration = f"{model.revision} (revises {model.down_revision or 'nothing'})"
    module = f"{project.answers.options.package}/{model.snake}/"
    table.add_row(model.name, model.snake, f"/api/v1/{model.plural}", module, migration)
    console.print(table)
    for title, paths in (("create", changes.created), ("change", changes.changed)):
        for path in paths:
            console.print(f"  {title:<7}{path.as_posix()}", highlight=False, markup=False)
