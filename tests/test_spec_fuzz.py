"""The model-spec parser under Hypothesis: any text is a parsed spec or a clean SpecError (exit 2 from
the CLI), never a traceback; and a spec survives every form it is stored in: the grammar
(`to_spec`), the answers mapping (`to_answer`, through YAML as in `.copier-answers.yml`) and a real
render, whose answers file gives the same models back."""

from __future__ import annotations

import keyword
import py_compile
import shlex
import string
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import generator.render
from generator.cli import app
from generator.errors import SpecError
from generator.naming import snake_case
from generator.spec import (
    RESERVED_FIELD_NAMES,
    RESERVED_MODEL_NAMES,
    RESERVED_MODULE_NAMES,
    SCALAR_TYPES,
    ModelSpec,
    check_model_set,
    model_from_answer,
    parse_model,
)
from tests.support import asyncrud

# --- any text ----------------------------------------------------------------------------------------

# Pieces of the grammar, so that random text often gets deep into the parser instead of failing on
# its first character.
_PIECES = st.sampled_from(
    [
        "Book",
        "Author",
        "X",
        "book",
        "title",
        "id",
        "json",
        "class",
        "_x",
        "name_id",
        " ",
        " ",
        ":",
        ":",
        "str",
        "str(",
        "str(10)",
        "str(0)",
        "str(99999999)",
        "decimal(10,2)",
        "decimal(2,3)",
        "decimal(",
        "int",
        "bigint",
        "float",
        "bool",
        "date",
        "datetime",
        "uuid",
        "json",
        "text",
        "ref(Book)",
        "ref(",
        "ref(book)",
        "optional",
        "unique",
        "index",
        "?",
        "default=",
        "default=1",
        "default=true",
        "default=2024-13-01",
        "default=nan",
        "default=1e999",
        "default=x:y",
        "'",
        '"',
        "\\",
        "(",
        ")",
        ",",
        "\x00",
        "\udcff",
        "é",
        "😀",
        "\n",
        "\t",
        "-",
        "=",
    ]
)
_GRAMMAR_LIKE = st.lists(_PIECES, max_size=24).map("".join)
_ANY_TEXT = st.one_of(st.text(max_size=80), _GRAMMAR_LIKE)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_ANY_TEXT)
def test_any_text_is_a_spec_or_a_spec_error(text: str) -> None:
    try:
        model = parse_model(text)
    except SpecError as error:
        assert str(error) and error.token is not None
        return
    # Whatever parses, prints back to the same spec.
    assert parse_model(model.to_spec()) == model
    assert model_from_answer(model.to_answer()) == model


@pytest.fixture
def cli_without_render(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """The real CLI, with the copier render replaced by a no-op: only parsing and checks run."""
    monkeypatch.setattr(generator.render, "render_new", lambda dest, data: [])
    return CliRunner()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_ANY_TEXT)
def test_the_cli_answers_any_model_text_with_exit_0_or_2_never_a_traceback(
    cli_without_render: CliRunner, tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    dest = tmp_path_factory.mktemp("cli") / "svc"
    result = cli_without_render.invoke(app, ["new", str(dest), "--defaults", "--model", text])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 2), result.output
    assert "Traceback" not in result.output
    if result.exit_code == 2:
        assert result.output.startswith("error: ")


# --- valid specs -------------------------------------------------------------------------------------

_MODEL_NAMES = st.from_regex(r"\A[A-Z][a-z]{1,8}(?:[A-Z][a-z]{1,6})?\Z").filter(
    lambda name: name not in RESERVED_MODEL_NAMES and snake_case(name) not in RESERVED_MODULE_NAMES
)
_FIELD_NAMES = st.from_regex(r"\A[a-z][a-z0-9_]{0,14}\Z").filter(
    lambda name: (
        not keyword.iskeyword(name)
        and name not in RESERVED_FIELD_NAMES
        and not name.startswith("model_")
        and not name.endswith("_id")
    )
)
# Default texts: printable, with the characters a shell and the grammar treat specially.
_DEFAULT_TEXT = st.text(alphabet=string.ascii_letters + string.digits + " :'\"\\=()-_.,é😀", max_size=12)


@st.composite
def _field_token(draw: st.DrawFn, refs: list[str]) -> str:
    name = draw(_FIELD_NAMES)
    kind = draw(st.sampled_from([*SCALAR_TYPES, *(["ref"] if refs else [])]))
    if kind == "str":
        type_text = draw(st.sampled_from(["str", f"str({draw(st.integers(1, 768))})"]))
    elif kind == "decimal":
        precision = draw(st.integers(1, 65))
        type_text = f"decimal({precision},{draw(st.integers(0, min(precision, 30)))})"
    elif kind == "ref":
        type_text = f"ref({draw(st.sampled_from(refs))})"
    else:
        type_text = kind
    parts = [name, type_text + draw(st.sampled_from(["", "?"]))]
    parts += draw(st.lists(st.sampled_from(["optional", "unique", "index"]), unique=True, max_size=2))
    if draw(st.booleans()):
        value = {
            "int": st.integers(-(2**31), 2**31 - 1).map(str),
            "bigint": st.integers(-(2**63), 2**63 - 1).map(str),
            "float": st.floats(allow_nan=False, allow_infinity=False).map(repr),
            "bool": st.sampled_from(["true", "false", "TRUE", "False"]),
            "date": st.dates().map(lambda d: d.isoformat()),
            "datetime": st.datetimes().map(lambda d: d.isoformat()),
            "uuid": st.uuids().map(str),
            "decimal": st.decimals(places=2, min_value=-9, max_value=9, allow_nan=False).map(str),
        }.get(kind, _DEFAULT_TEXT)
        parts.append("default=" + draw(value))
    return ":".join(parts)


@st.composite
def _valid_models(draw: st.DrawFn) -> tuple[ModelSpec, ...]:
    names = draw(st.lists(_MODEL_NAMES, min_size=1, max_size=3, unique_by=snake_case))
    models: list[ModelSpec] = []
    for index, name in enumerate(names):
        tokens = draw(st.lists(_field_token(names[:index]), max_size=6))
        try:
            models.append(parse_model(" ".join([name, *(shlex.quote(token) for token in tokens)])))
        except SpecError:
            assume(False)  # duplicate names, a default the type cannot hold...: not a valid spec
    return check_model_set(models)


@settings(max_examples=150, deadline=None)
@given(_valid_models())
def test_valid_specs_round_trip_through_the_grammar_and_the_answers(models: tuple[ModelSpec, ...]) -> None:
    for model in models:
        assert parse_model(model.to_spec()) == model
        assert model_from_answer(model.to_answer()) == model
        stored = yaml.safe_load(yaml.safe_dump(model.to_answer(), allow_unicode=True))
        assert model_from_answer(stored) == model


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_valid_models())
def test_a_rendered_project_records_the_same_models_and_compiles(
    tmp_path_factory: pytest.TempPathFactory, models: tuple[ModelSpec, ...]
) -> None:
    dest = tmp_path_factory.mktemp("render") / "svc"
    args = ["new", str(dest), "--defaults"]
    for model in models:
        args += ["--model", model.to_spec()]
    result = asyncrud(*args)
    assert result.returncode == 0, result.output
    answers: dict[str, Any] = yaml.safe_load((dest / ".copier-answers.yml").read_text(encoding="utf-8"))
    assert tuple(model_from_answer(entry) for entry in answers["models"]) == models
    for source in Path(dest).rglob("*.py"):
        py_compile.compile(str(source), doraise=True)
