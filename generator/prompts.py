"""Interactive questions for what the flags of `asyncrud new` left open (only on a terminal)."""

from __future__ import annotations

from rich.console import Console
from rich.prompt import Confirm, Prompt

from generator.errors import SpecError
from generator.project_options import DRIVERS
from generator.spec import FIELD_TYPES, FieldSpec, ModelSpec, check_model_name, parse_field


def ask_database(console: Console) -> str:
    return Prompt.ask("Database", choices=list(DRIVERS), default="sqlite", console=console)


def ask_driver(console: Console, database: str) -> str:
    choices = list(DRIVERS[database])
    return Prompt.ask("Async driver", choices=choices, default=choices[0], console=console)


def ask_models(console: Console) -> list[ModelSpec]:
    """Models one by one: a name, then its fields one by one; an empty answer ends each list."""
    models: list[ModelSpec] = []
    if not Confirm.ask("Add a model now?", default=True, console=console):
        return models
    console.print(
        "Field syntax: [bold]name[:type][:modifier]...[/]  "
        f"types: {', '.join(FIELD_TYPES)} (str(N), decimal(P,S), ref(Model)); "
        "modifiers: optional, unique, index, default=VALUE"
    )
    while name := Prompt.ask("Model name (PascalCase, empty to finish)", default="", console=console):
        try:
            check_model_name(name)
        except SpecError as error:
            console.print(f"[red]{error}[/]")
            continue
        fields: list[FieldSpec] = []
        while token := Prompt.ask(f"  {name} field (empty to finish)", default="", console=console):
            try:
                fields.append(parse_field(token))
            except SpecError as error:
                console.print(f"[red]{error}[/]")
        models.append(ModelSpec(name=name, fields=tuple(fields)))
    return models
