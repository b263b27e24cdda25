"""The `asyncrud` command line: arguments, prompts and output only; the work happens elsewhere."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, Optional

import typer

from generator import __version__
from generator.errors import AsyncrudError, UsageError

if TYPE_CHECKING:  # imported when a command runs: `--help` stays fast
    from rich.table import Table

    from generator.plan import Plan

app = typer.Typer(
    name="asyncrud",
    help="Generate and grow async FastAPI + SQLAlchemy 2.0 projects.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"asyncrud {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Generate and grow async FastAPI + SQLAlchemy 2.0 projects."""


def _fail(error: AsyncrudError) -> NoReturn:
    from rich.console import Console
    from rich.markup import escape

    # Escaped: a message quotes the user's input, whose brackets are not Rich markup.
    Console(stderr=True).print(f"[bold red]error:[/] {escape(str(error))}", highlight=False)
    raise typer.Exit(error.exit_code)


DestArg = Annotated[
    Path, typer.Argument(help="Folder to create (must not exist or be empty).", show_default=False)
]
NameOpt = Annotated[Optional[str], typer.Option("--name", help="Project name (default: the folder's name).")]
DbOpt = Annotated[Optional[str], typer.Option("--db", help="sqlite | postgresql | mysql (default: sqlite)")]
DriverOpt = Annotated[
    Optional[str],
    typer.Option(
        "--driver", help="asyncpg | psycopg (postgresql); asyncmy | aiomysql (mysql); aiosqlite (sqlite)"
    ),
]
ModelOpt = Annotated[
    Optional[list[str]],
    typer.Option(
        "--model", "-m", help='A model spec, e.g. "Book title:str(200) author:ref(Author)". Repeatable.'
    ),
]
ModelsFileOpt = Annotated[
    Optional[Path], typer.Option("--models-file", help="YAML list of model specs.", dir_okay=False)
]
DefaultsOpt = Annotated[
    bool, typer.Option("--defaults", help="Use defaults for everything not given; never ask.")
]
NoInputOpt = Annotated[bool, typer.Option("--no-input", help="Never ask (same as --defaults).")]
FromDatabaseOpt = Annotated[
    Optional[str],
    typer.Option(
        "--from-database",
        help="Generate models for the tables of this existing PostgreSQL, MySQL/MariaDB or SQLite database (a URL).",
        show_default=False,
    ),
]
TablesOpt = Annotated[
    Optional[str], typer.Option("--tables", help="With --from-database: only these tables (comma-separated).")
]
CacheOpt = Annotated[
    str, typer.Option("--cache", help="none | redis: serve GET by id cache-aside from Redis (REDIS_URL).")
]
QueueOpt = Annotated[
    str,
    typer.Option(
        "--queue",
        help="none | redis | rabbitmq: every write's event goes through an outbox table to handlers in "
        "<pkg>/events.py, run by a taskiq worker.",
    ),
]
ExcludeOpt = Annotated[
    Optional[str],
    typer.Option("--exclude", help="With --from-database: leave out these tables (comma-separated)."),
]


@app.command("new")
def new(
    dest: DestArg,
    name: NameOpt = None,
    db: DbOpt = None,
    driver: DriverOpt = None,
    model: ModelOpt = None,
    models_file: ModelsFileOpt = None,
    defaults: DefaultsOpt = False,
    no_input: NoInputOpt = False,
    from_database: FromDatabaseOpt = None,
    tables: TablesOpt = None,
    exclude: ExcludeOpt = None,
    cache: CacheOpt = "none",
    queue: QueueOpt = "none",
) -> None:
    """Create a new project in DEST."""
    from rich.console import Console

    from generator.answers import RecordedAnswers
    from generator.models_input import collect_models
    from generator.project_options import project_options
    from generator.render import check_target, render_new
    from generator.report import print_created

    console = Console()
    interactive = not (defaults or no_input or from_database) and sys.stdin.isatty()
    try:
        check_target(dest)
        if from_database is not None:
            from generator.reflect import models_from_database
            from generator.report import print_reflection

            reflection = models_from_database(
                from_database, tables, exclude, db, driver, model or models_file
            )
            db, driver, models = reflection.database, reflection.driver, reflection.models
            print_reflection(console, reflection)
        elif tables is not None or exclude is not None:
            raise UsageError("--tables and --exclude select tables of --from-database; give it too")
        else:
            models = collect_models(model or [], models_file)
        if interactive:
            from generator import prompts
            from generator.spec import check_model_set

            db = db or prompts.ask_database(console)
            driver = driver or prompts.ask_driver(console, db)
            if not models:
                models = check_model_set(prompts.ask_models(console))
        options = project_options(
            name or dest.absolute().name, db or "sqlite", driver, cache=cache, queue=queue
        )
        files = render_new(dest, RecordedAnswers(options, tuple(models)).to_data())
    except AsyncrudError as error:
        _fail(error)
    print_created(console, dest, options, models, files, existing_database=from_database is not None)


app.command("new-project", hidden=True, help="Alias of `new`.")(new)


SpecArg = Annotated[
    list[str],
    typer.Argument(
        help='The model spec, e.g. "Review stars:int book:ref(Book)": quoted, or as separate words.',
        show_default=False,
    ),
]
ProjectOpt = Annotated[
    Optional[Path],
    typer.Option(
        "--project", help="Project folder (default: found from the current folder up).", file_okay=False
    ),
]
DryRunOpt = Annotated[bool, typer.Option("--dry-run", help="Show the new files and the diff; write nothing.")]


@app.command("add-model")
def add_model(spec: SpecArg, project: ProjectOpt = None, dry_run: DryRunOpt = False) -> None:
    """Add a model to a generated project: its package, router, migration and tests."""
    import shlex

    from generator.add_model import plan_add_model
    from generator.report import model_table

    try:
        plan, model = plan_add_model(spec[0] if len(spec) == 1 else shlex.join(spec), project)
        table = model_table(plan.project, model)
    except AsyncrudError as error:
        _fail(error)
    _apply(plan, f"Added {model.name} to", f"Would add {model.name} to", table, dry_run)


ModelArg = Annotated[str, typer.Argument(help="The model, e.g. Book.", show_default=False)]
FieldsArg = Annotated[
    list[str],
    typer.Argument(
        help='Fields to add, e.g. "isbn:str(13):unique?" "pages:int:default=0": as separate words, or quoted.',
        show_default=False,
    ),
]


@app.command("add-field")
def add_field(
    model: ModelArg, fields: FieldsArg, project: ProjectOpt = None, dry_run: DryRunOpt = False
) -> None:
    """Add fields to a model: its code, tests and factory, and a migration that adds the columns."""
    from generator.add_field import plan_add_field
    from generator.report import change_table

    try:
        plan, change = plan_add_field(model, fields, project)
        table = change_table(plan, change)
    except AsyncrudError as error:
        _fail(error)
    names = ", ".join(
        spec.name for m in plan.answers.models for spec in m.fields if spec.revision == change.revision
    )
    _apply(
        plan, f"Added {names} to {change.model} of", f"Would add {names} to {change.model} of", table, dry_run
    )


@app.command("remove-model")
def remove_model(model: ModelArg, project: ProjectOpt = None, dry_run: DryRunOpt = False) -> None:
    """Remove a model: its package, router, tests and factory, and a migration that drops its table."""
    from generator.remove_model import plan_remove_model
    from generator.report import change_table

    try:
        plan, change = plan_remove_model(model, project)
        table = change_table(plan, change)
    except AsyncrudError as error:
        _fail(error)
    _apply(plan, f"Removed {change.model} from", f"Would remove {change.model} from", table, dry_run)


@app.command("upgrade")
def upgrade(project: ProjectOpt = None, dry_run: DryRunOpt = False) -> None:
    """Carry this asyncrud's template into a project an older one made, keeping your edits."""
    from rich.console import Console

    from generator.upgrade import plan_upgrade

    try:
        upgrade = plan_upgrade(project)
    except AsyncrudError as error:
        _fail(error)
    if upgrade.plan is None:
        name = upgrade.project.answers.options.name
        Console().print(f"{name} was made by asyncrud {__version__}: nothing to upgrade", highlight=False)
        return
    done, would = (
        f"{verb} {upgrade.version} to {__version__}:" for verb in ("Upgraded from", "Would upgrade from")
    )
    _apply(upgrade.plan, done, would, None, dry_run)
    if upgrade.plan.conflicts and not dry_run:
        raise typer.Exit(1)


def _apply(plan: Plan, done: str, would: str, table: Table | None, dry_run: bool) -> None:
    """Print what `plan` does; unless `dry_run`, write it first (all of it or nothing)."""
    from rich.console import Console

    from generator.render import signals_as_exceptions
    from generator.report import print_plan

    if not dry_run:
        try:
            with signals_as_exceptions():  # `kill` part-way unwinds through the rollback
                plan.changes.apply()
        except AsyncrudError as error:
            _fail(error)
    print_plan(Console(), plan, done, would, table, dry_run)


def main() -> None:
    app()
