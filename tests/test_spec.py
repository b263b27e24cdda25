"""The model-spec grammar, and the names the templates derive from a model name."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import field_types
from generator.errors import SpecError
from generator.naming import plural, singular, snake_case
from generator.spec import FIELD_TYPES, check_model_set, model_from_answer, parse_model
from tests.support import new_project

DESIGN_EXAMPLE = (
    "Book title:str(200) isbn:str(13):unique pages:int? price:decimal(10,2)? "
    "published:bool:default=false author:ref(Author)"
)


def test_design_example_parses_to_its_fields() -> None:
    book = parse_model(DESIGN_EXAMPLE)

    assert book.name == "Book"
    assert [(f.name, f.type, f.column) for f in book.fields] == [
        ("title", "str", "title"),
        ("isbn", "str", "isbn"),
        ("pages", "int", "pages"),
        ("price", "decimal", "price"),
        ("published", "bool", "published"),
        ("author", "ref", "author_id"),
    ]
    assert book.fields[0].length == 200 and book.fields[1].unique
    assert book.fields[2].optional and (book.fields[3].precision, book.fields[3].scale) == (10, 2)
    assert book.fields[4].default is False and book.fields[5].ref == "Author"


def test_default_type_is_str_255_and_question_mark_means_optional() -> None:
    (field, optional) = parse_model("Tag label note:text?").fields

    assert (field.type, field.length, field.optional) == ("str", 255, False)
    assert (optional.type, optional.optional) == ("text", True)


@pytest.mark.parametrize(
    "spec",
    [
        DESIGN_EXAMPLE,
        "Event at:datetime:default=2024-01-31T10:00:00 day:date:default=2024-01-31 code:uuid:index",
        "Note body:text:default='hello: world' ratio:float:default=0.5 big:bigint:unique data:json?",
    ],
)
def test_parse_to_spec_and_answer_round_trip(spec: str) -> None:
    model = parse_model(spec)

    assert parse_model(model.to_spec()) == model
    assert model_from_answer(model.to_answer()) == model


def test_grammar_types_are_the_template_field_types() -> None:
    assert set(FIELD_TYPES) == set(field_types.FIELD_TYPES)


def test_models_are_ordered_so_refs_point_backwards() -> None:
    models = [parse_model("Book author:ref(Author)"), parse_model("Author name")]

    assert [m.name for m in check_model_set(models)] == ["Author", "Book"]


def test_ref_cycle_is_refused() -> None:
    models = [parse_model("A b:ref(B)?"), parse_model("B a:ref(A)?")]

    with pytest.raises(SpecError, match="cycle"):
        check_model_set(models)


@pytest.mark.parametrize(
    ("name", "snake", "plural_name"),
    [
        ("Book", "book", "books"),
        ("OrderItem", "order_item", "order_items"),
        ("HTTPLog", "http_log", "http_logs"),
        ("Category", "category", "categories"),
        ("Key", "key", "keys"),
        ("Address", "address", "addresses"),
        ("Box", "box", "boxes"),
        ("Batch", "batch", "batches"),
        ("Model3D", "model3_d", "model3_ds"),
    ],
)
def test_names_derived_from_a_model_name(name: str, snake: str, plural_name: str) -> None:
    assert (snake_case(name), plural(snake_case(name))) == (snake, plural_name)


def test_templates_derive_the_same_names_as_the_generator(workspace: Path) -> None:
    names = ["HTTPLog", "Category", "Address", "Key", "OrderItem"]
    project = new_project(workspace, "naming", "sqlite", "aiosqlite", [f"{name} label" for name in names])

    main = (project / "naming" / "main.py").read_text()
    for name in names:
        snake = snake_case(name)
        assert (project / "naming" / snake / "router.py").is_file()
        assert f'prefix="/{plural(snake)}"' in (project / "naming" / snake / "router.py").read_text()
        assert f"{snake}_router" in main


@pytest.mark.parametrize(
    "word", ["book", "category", "address", "status", "box", "batch", "wish", "key", "day"]
)
def test_singular_undoes_plural(word: str) -> None:
    assert singular(plural(word)) == word


def test_ordering_ordered_models_again_changes_nothing() -> None:
    models = [parse_model(spec) for spec in ("C a:ref(A) b:ref(B)", "B a:ref(A)", "A name", "D name")]

    ordered = check_model_set(models)

    assert [m.name for m in ordered] == ["A", "D", "B", "C"]
    assert check_model_set(ordered) == ordered


# A field that breaks a rule, as a token of the grammar and as the mapping of the answers file.
BAD_FIELDS = {
    "str-length": ("title:str(0)", {"name": "title", "type": "str", "length": 0}),
    "decimal-scale": ("score:decimal(2,5)", {"name": "score", "type": "decimal", "precision": 2, "scale": 5}),
    "unknown-type": ("pages:integer", {"name": "pages", "type": "integer"}),
    "keyword-name": ("class:int", {"name": "class", "type": "int"}),
    "reserved-name": ("metadata:json", {"name": "metadata", "type": "json"}),
    "ref-name": ("author_id:ref(Author)", {"name": "author_id", "type": "ref", "ref": "Author"}),
    "ref-model": ("author:ref(author)", {"name": "author", "type": "ref", "ref": "author"}),
    "bad-default": ("pages:int:default=many", {"name": "pages", "type": "int", "default": "many"}),
    "json-default": ("data:json:default=1", {"name": "data", "type": "json", "default": "1"}),
    "indexed-text": ("body:text:index", {"name": "body", "type": "text", "index": True}),
    "long-unique": ("code:str(800):unique", {"name": "code", "length": 800, "unique": True}),
}


@pytest.mark.parametrize(("token", "answer"), BAD_FIELDS.values(), ids=BAD_FIELDS.keys())
def test_answers_file_fields_get_the_grammars_checks_and_messages(token: str, answer: dict[str, Any]) -> None:
    with pytest.raises(SpecError) as from_spec:
        parse_model(f"Book {token}")
    with pytest.raises(SpecError) as from_answer:
        model_from_answer({"name": "Book", "fields": [answer]})

    assert str(from_answer.value) == str(from_spec.value)


def test_answers_file_values_are_taken_as_yaml_reads_them() -> None:
    answer = yaml.safe_load(
        "name: Event\n"
        "fields:\n"
        "- {name: day, type: date, default: 2024-01-31}\n"
        "- {name: at, type: datetime, default: 2024-01-31 10:00:00}\n"
        "- {name: price, type: decimal, precision: 10, scale: 2, default: 9.5}\n"
        "- {name: label}\n"
    )

    assert model_from_answer(answer) == parse_model(
        "Event day:date:default=2024-01-31 at:datetime:default=2024-01-31T10:00:00 "
        "price:decimal(10,2):default=9.5 label"
    )


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ({"name": "pages", "type": "int", "length": 5}, "type int takes no length"),
        ({"name": "pages", "type": "int", "ref": "Book"}, "type int takes no ref"),
        ({"name": "pages", "type": "int", "optional": "yes"}, "optional must be true or false"),
        ({"name": "label", "default": 5}, "bad default for type str (expected text, not int)"),
    ],
)
def test_answers_file_attributes_the_grammar_cannot_spell_are_refused(
    field: dict[str, Any], message: str
) -> None:
    with pytest.raises(SpecError, match=re.escape(message)):
        model_from_answer({"name": "Book", "fields": [field]})
