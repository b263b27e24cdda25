"""What `asyncrud` prints after it wrote something (Rich)."""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

from generator.answers import SchemaChange
from generator.changeset import ChangeSet
from generator.plan import Plan
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
    if options.queue != "none":
        # The events of the writes reach events.py through the worker, a process of its own.
        console.print(
            f"  taskiq worker {options.package}.worker:broker   # in another terminal", highlight=False
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


def model_table(project: Project, model: ModelSpec) -> Table:
    """The row `add-model` prints for its model."""
    table = Table("model", "table", "endpoints", "module", "migration")
    migration = f"{model.revision} (revises {model.down_revision or 'nothing'})"
    module = f"{project.answers.options.package}/{model.snake}/"
    table.add_row(model.name, model.snake, f"/api/v1/{model.plural}", module, migration)
    return table


def change_table(plan: Plan, change: SchemaChange) -> Table:
    """The rows `add-field` and `remove-model` print: the model, its fields, the revision."""
    model = next(m for m in plan.answers.models if m.name == change.model)
    table = Table("model", "table", "fields" if change.kind == "add_fields" else "removed", "migration")
    fields = [shlex.split(spec.to_spec())[0] for spec in model.fields if spec.revision == change.revision]
    what = (
        " ".join(fields) if change.kind == "add_fields" else f"{plan.answers.options.package}/{model.snake}/"
    )
    migration = f"{change.revision} (revises {change.down_revision or 'nothing'})"
    # Text: a field's `:date:` is no emoji code, its brackets no markup.
    table.add_row(model.name, model.table or model.snake, Text(what), migration)
    return table


def print_plan(
    console: Console, plan: Plan, done: str, would: str, table: Table | None, dry_run: bool
) -> None:
    """What a command that changes a project did (`done`, e.g. "Added Review to"), or with `dry_run`
    would do (`would`): the files it creates, changes and deletes, conflicts, and the diff it applies."""
    changes = plan.changes
    where = f"{plan.answers.options.name} in {plan.project.root}"
    if dry_run:
        console.print(f"[bold]{would}[/] {where}", highlight=False)
    else:
        counts = f"{len(changes.created)} files created, {len(changes.changed)} changed"
        counts += f", {len(changes.deleted)} deleted" if changes.deleted else ""
        console.print(f"[bold green]{done}[/] {where} ({counts})", highlight=False)
    if table is not None:
        console.print(table)
    for title, paths in (
        ("create", changes.created),
        ("change", changes.changed),
        ("delete", changes.deleted),
    ):
        for path in paths:
            console.print(f"  {title:<7}{path.as_posix()}", highlight=False, markup=False)
    for conflict in plan.conflicts:
        line = f"  conflict {conflict.path.as_posix()}: {conflict.reason}"
        console.print(line, style="yellow", highlight=False, markup=False)
    if dry_run:
        _print_diff(console, changes)
        console.print("\nDry run: nothing was written.")
        return
    console.print("\n[bold]Next:[/]")
    if plan.conflicts:
        console.print("  settle the conflicts above (search for '<<<<<<<')", highlight=False)
    console.print("  alembic upgrade head", highlight=False)
    console.print("  pytest", highlight=False)


def _print_diff(console: Console, changes: ChangeSet) -> None:
    diff = list(changes.diff())
    if diff:
        console.print("\n[bold]Diff:[/]")
        styles = {"+": "green", "-": "red", "@": "cyan"}
        for line in diff:
            style = None if line.startswith(("+++", "---")) else styles.get(line[:1])
            console.print(line.rstrip("\n"), style=style, highlight=False, markup=False, soft_wrap=True)
