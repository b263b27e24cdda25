"""Every field type with every combination of modifiers the grammar accepts renders, migrates, passes
`alembic check` and round-trips through the project's own tests, on SQLite, PostgreSQL and MariaDB.

The cells are generated, not picked: for each type, each subset of the modifiers is written as a
token and given to the parser. The accepted tokens are packed into one model per type (so three
projects hold them all: one per database); the refused ones must be refused with a reason. Every
model also has a composite `@unique(...)` over a field of its type where the grammar takes one.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.errors import SpecError
from generator.field_types import FIELD_TYPES
from generator.spec import ModelSpec, check_model_set, parse_field, parse_model
from tests.support import lint, migrate_and_check, new_project, run_project_tests, throwaway_database

MODIFIERS = ("optional", "unique", "index", "min", "max", "default")

# How each type is spelled in a token, and values of each modifier for it: one that fits the type
# where it has one, and something for the parser to refuse where it has none.
TYPE_TEXT = {
    "str": "str(20)",
    "decimal": "decimal(10,2)",
    "enum": "enum(draft,published,archived)",
    "ref": "ref(Target)",
    "m2m": "m2m(Target)",
}
DEFAULTS = {
    "str": "abc",
    "text": "hello",
    "int": "5",
    "bigint": "5",
    "float": "1.5",
    "decimal": "2.50",
    "bool": "true",
    "date": "2024-01-31",
    "datetime": "2024-01-31T10:00:00",
    "uuid": "12345678-1234-5678-1234-567812345678",
    "time": "10:30:00",
    "enum": "draft",
}
MINIMA = {"str": "1", "text": "1", "int": "1", "bigint": "1", "float": "0.5", "decimal": "0.50"}
MAXIMA = {"str": "18", "text": "1000", "int": "1000000", "bigint": "1000000000000", "float": "1e6"}
MAXIMA["decimal"] = "99999.99"


@dataclass(frozen=True)
class Cell:
    type: str
    modifiers: tuple[str, ...]
    token: str
    refusal: str | None  # the parser's reason, when it refuses the combination


def _token(kind: str, modifiers: tuple[str, ...]) -> str:
    name = "_".join((kind, *modifiers)) if modifiers else f"{kind}_plain"
    if kind == "m2m":
        name = "targets_" + "_".join(modifiers) if modifiers else "targets"
    parts = [name, TYPE_TEXT.get(kind, kind)]
    parts += [flag for flag in ("optional", "unique", "index") if flag in modifiers]
    for bound, values in (("min", MINIMA), ("max", MAXIMA)):
        if bound in modifiers:
            parts.append(f"{bound}={values.get(kind, '1')}")
    if "default" in modifiers:
        parts.append(f"default={DEFAULTS.get(kind, '1')}")
    return ":".join(parts)


def cells() -> list[Cell]:
    """Every type with every subset of the modifiers, and what the parser says of it."""
    found = []
    for kind in FIELD_TYPES:
        for size in range(len(MODIFIERS) + 1):
            for modifiers in itertools.combinations(MODIFIERS, size):
                token = _token(kind, modifiers)
                try:
                    parse_field(token)
                    refusal = None
                except SpecError as error:
                    refusal = str(error)
                found.append(Cell(kind, modifiers, token, refusal))
    return found


CELLS = cells()
ACCEPTED = [cell for cell in CELLS if cell.refusal is None]


def _model_name(kind: str) -> str:
    return kind.capitalize() + "Case"


def combination_models() -> tuple[ModelSpec, ...]:
    """The accepted cells packed into one model per type, beside the Target of ref() and m2m()."""
    specs = ["Target label:str(20)"]
    for kind in FIELD_TYPES:
        tokens = [cell.token for cell in ACCEPTED if cell.type == kind]
        if kind == "ref":
            tokens.append(f"parent:ref({_model_name(kind)})?")  # a reference to its own model
        if kind == "m2m":
            tokens.append(f"peers:m2m({_model_name(kind)})")  # links between its own rows
        # A field of every model, and a composite unique with the type's plain field where one can be.
        tokens.append("k:int")
        pair = f"@unique({kind}_plain,k)"
        try:
            parse_model(" ".join([_model_name(kind), *tokens, pair]))
            tokens.append(pair)
        except SpecError:
            pass
        specs.append(" ".join([_model_name(kind), *tokens]))
    return check_model_set([parse_model(spec) for spec in specs])


def test_every_cell_is_accepted_or_refused_with_a_reason(capsys: pytest.CaptureFixture[str]) -> None:
    refused = [cell for cell in CELLS if cell.refusal is not None]
    with capsys.disabled():
        print(
            f"\n{len(CELLS)} type x modifier cells: {len(ACCEPTED)} accepted (rendered, migrated and "
            f"tested on 3 databases), {len(refused)} refused by the parser"
        )
    assert ACCEPTED and refused
    for cell in refused:
        # The reason names the field (the token the user typed).
        assert cell.refusal is not None and cell.token.split(":")[0] in cell.refusal, cell
    # Every type is usable: its plain field is accepted.
    for kind in FIELD_TYPES:
        assert any(c.type == kind and not c.modifiers for c in ACCEPTED), kind


def test_refused_cells_are_the_combinations_that_cannot_work() -> None:
    reasons = {(cell.type, cell.modifiers): cell.refusal for cell in CELLS}
    # Bounds only on numbers and on the length of strings.
    for kind in ("bool", "json", "uuid", "date", "datetime", "time", "enum", "ref", "m2m"):
        assert reasons[(kind, ("min",))], kind
    for kind in ("str", "text", "int", "bigint", "float", "decimal"):
        assert reasons[(kind, ("min", "max"))] is None, kind
    assert reasons[("bool", ("unique",))] and reasons[("enum", ("unique",))]
    assert reasons[("text", ("index",))] and reasons[("json", ("unique",))]
    for modifiers in (("optional",), ("unique",), ("index",), ("default",)):
        assert reasons[("m2m", modifiers)], modifiers
    assert reasons[("ref", ("default",))] and reasons[("json", ("default",))]


@pytest.fixture(scope="module")
def models() -> tuple[str, ...]:
    return tuple(model.to_spec() for model in combination_models())


@pytest.mark.parametrize(
    ("db", "driver"), [("sqlite", "aiosqlite"), ("postgresql", "asyncpg"), ("mysql", "asyncmy")]
)
def test_every_accepted_cell_migrates_checks_and_round_trips(
    db: str, driver: str, models: tuple[str, ...], workspace: Path, tmp_path: Path
) -> None:
    project = new_project(workspace, f"cells_{db}", db, driver, models)
    if db == "sqlite":
        lint(project)
    with throwaway_database(db, driver, tmp_path) as url:
        migrate_and_check(project, url)

    result = run_project_tests(project, db, driver)

    assert " passed" in result.stdout and "failed" not in result.stdout, result.stdout[-3000:]
