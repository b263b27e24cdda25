"""Interactive questions for what the flags of `asyncrud new` left open (only on a terminal)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from rich.console import Console
from rich.markup import escape
from rich.prompt import Confirm, Prompt
from rich.table import Table

from generator.errors import SpecError
from generator.project_options import DRIVERS
from generator.spec import (
    FIELD_TYPES,
    RELATION_TYPES,
    FieldSpec,
    ModelSpec,
    check_model,
    check_model_name,
    check_model_set,
    parse_field,
    parse_model_unique,
)

FIELD_HELP = (
    "Field syntax: [bold]name[:type][:modifier]...[/]  "
    f"types: {', '.join(FIELD_TYPES)} (str(N), decimal(P,S), enum(a,b,...), ref(Model), m2m(Model)); "
    "modifiers: optional, unique, index, min=N, max=N, default=VALUE (last).\n"
    "[bold]@unique(a,b)[/] makes fields unique together; [bold]-name[/] removes a field; "
    "typing a model's name again goes back to it."
)


def ask_database(console: Console) -> str:
    return Prompt.ask("Database", choices=list(DRIVERS), default="sqlite", console=console)


def ask_driver(console: Console, database: str) -> str:
    choices = list(DRIVERS[database])
    return Prompt.ask("Async driver", choices=choices, default=choices[0], console=console)


def ask_models(console: Console, existing: Sequence[ModelSpec] = ()) -> list[ModelSpec]:
    """Models one by one: a name, then its fields one by one; an empty answer ends each list.

    Each field is checked as it is typed, with the model's other fields: a bad one is asked again and
    nothing typed before it is lost. A ref()/m2m() target that is not a model yet is noted, and asked
    for before the end. The models are shown in a table to confirm before anything is written; saying
    no goes back to editing them.
    """
    models: dict[str, ModelSpec] = {}
    if not Confirm.ask("Add a model now?", default=True, console=console):
        return []
    console.print(FIELD_HELP)
    known = {model.name for model in existing}
    while True:
        missing = _undefined_targets(models, known)
        if missing:
            console.print(
                f"[yellow]Still to define: {', '.join(missing)} (named by ref() or m2m() fields)[/]"
            )
        prompt = "Model name (PascalCase, empty to finish)"
        name = Prompt.ask(prompt, default=missing[0] if missing else "", console=console)
        if name:
            _ask_model(console, models, known, name)
            continue
        try:
            ordered = check_model_set(list(models.values()), existing)
        except SpecError as error:
            console.print(f"[red]{escape(str(error))}[/]; type a model's name to change it")
            continue
        if not ordered:
            return []
        console.print(summary_table(ordered))
        if Confirm.ask("Create the project with these models?", default=True, console=console):
            return list(ordered)
        console.print("Type a model's name to change it, or a new name to add one.")


def _ask_model(console: Console, models: dict[str, ModelSpec], known: set[str], name: str) -> None:
    try:
        check_model_name(name)
    except SpecError as error:
        console.print(f"[red]{escape(str(error))}[/]")
        return
    if name in known:
        console.print(f"[red]{name} is a model of the project already[/]")
        return
    model = models.get(name, ModelSpec(name=name))
    if model.fields or model.unique:
        console.print(f"{name}: {escape(' '.join(f.token() for f in model.fields))}")
    while token := Prompt.ask(f"  {name} field (empty to finish)", default="", console=console):
        try:
            model = _with_token(model, token)
        except SpecError as error:
            console.print(f"[red]{escape(str(error))}[/]")
            continue
        if not token.startswith(("-", "@")):
            _note_target(console, model.fields[-1], set(models) | known | {name})
    models[name] = model


def _with_token(model: ModelSpec, token: str) -> ModelSpec:
    """The model with one more field (or `@unique(...)`), or without the one `-name` names, checked as
    a whole: a clash with another field is refused here, not after every model is typed."""
    if token.startswith("-"):
        name = token[1:]
        if name not in {f.name for f in model.fields}:
            raise SpecError(f"{model.name} has no field to remove", name)
        fields = tuple(f for f in model.fields if f.name != name)
        unique = tuple(names for names in model.unique if name not in names)
        return replace(model, fields=fields, unique=unique)
    if token.startswith("@"):
        return check_model(replace(model, unique=(*model.unique, parse_model_unique(token))))
    return check_model(replace(model, fields=(*model.fields, parse_field(token))))


def _note_target(console: Console, spec: FieldSpec, defined: set[str]) -> None:
    if spec.type in RELATION_TYPES and spec.ref not in defined:
        console.print(
            f"[yellow]{spec.ref} is not a model yet: you will be asked for it before the project is made[/]"
        )


def _undefined_targets(models: dict[str, ModelSpec], known: set[str]) -> list[str]:
    """The models that ref()/m2m() fields name and nobody has typed yet, in the order named."""
    defined = set(models) | known
    missing = [
        spec.ref
        for model in models.values()
        for spec in model.fields
        if spec.type in RELATION_TYPES and spec.ref is not None and spec.ref not in defined
    ]
    return list(dict.fromkeys(missing))


def summary_table(models: Sequence[ModelSpec]) -> Table:
    """The models as a table: each field's type and modifiers, and each model's collection path."""
    table = Table(title="Models to create", show_lines=False)
    for column in ("Model", "Path", "Field", "Type and modifiers"):
        table.add_column(column)
    for model in models:
        path = f"/api/v1/{model.plural}"
        rows = [(f.name, f.token().partition(":")[2]) for f in model.fields] or [("", "")]
        rows += [("", f"@unique({','.join(names)})") for names in model.unique]
        for index, (field, spec) in enumerate(rows):
            table.add_row(model.name if index == 0 else "", path if index == 0 else "", field, escape(spec))
    return table
