"""The `asyncrud` command line: arguments, prompts and output only; the work happens elsewhere."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, NoReturn, Optional

import typer

from generator import __version__
from generator.errors import AsyncrudError, UsageError

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
        help="Generate models for the tables of this existing PostgreSQL or MySQL/MariaDB database (a URL).",
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
        "--queue", help="none | redis | rabbitmq: deliver an event of every write to handlers in events.py."
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

    from rich.console import Console

    from generator.add_model import plan_add_model
    from generator.render import signals_as_exceptions
    from generator.report import print_model_added, print_model_plan

    console = Console()
    try:
        plan = plan_add_model(spec[0] if len(spec) == 1 else shlex.join(spec), project)
        if dry_run:
            print_model_plan(console, plan.project, plan.model, plan.changes)
            return
        with signals_as_exceptions():  # `kill` part-way unwinds through the rollback
            plan.changes.apply()
    except AsyncrudError as error:
        _fail(error)
    print_model_added(console, plan.project, plan.model, plan.changes)


def main() -> None:
    app()
