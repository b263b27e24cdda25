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
        (
            "Book title:str(200):min=1:max=100 pages:int?:min=1 price:decimal(10,2):min=0:max=999.99 "
            "status:enum(draft,published):index:default=draft at:time:default=10:30 ratio:float:min=0.5 "
            "body:text?:min=2:max=500 tags:m2m(Tag) author:ref(Author) @unique(title,author)"
        ),
        "Person name friends:m2m(Person) at:time?:index @unique(name,at)",
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
    "enum-no-values": ("status:enum()", {"name": "status", "type": "enum", "choices": []}),
    "enum-bad-value": ("status:enum(Draft)", {"name": "status", "type": "enum", "choices": ["Draft"]}),
    "enum-twice": ("status:enum(a,a)", {"name": "status", "type": "enum", "choices": ["a", "a"]}),
    "enum-default": (
        "status:enum(a,b):default=c",
        {"name": "status", "type": "enum", "choices": ["a", "b"], "default": "c"},
    ),
    "enum-unique": (
        "status:enum(a,b):unique",
        {"name": "status", "type": "enum", "choices": ["a", "b"], "unique": True},
    ),
    "bool-unique": ("done:bool:unique", {"name": "done", "type": "bool", "unique": True}),
    "time-offset": ("at:time:default=10:30+02:00", {"name": "at", "type": "time", "default": "10:30+02:00"}),
    "bound-on-bool": ("done:bool:min=1", {"name": "done", "type": "bool", "min": 1}),
    "bound-on-json": ("data:json:max=3", {"name": "data", "type": "json", "max": 3}),
    "bound-on-uuid": ("code:uuid:min=1", {"name": "code", "type": "uuid", "min": 1}),
    "bound-on-date": ("day:date:max=2024-01-01", {"name": "day", "type": "date", "max": "2024-01-01"}),
    "min-above-max": ("pages:int:min=5:max=1", {"name": "pages", "type": "int", "min": 5, "max": 1}),
    "max-over-length": ("title:str(10):max=20", {"name": "title", "length": 10, "max": 20}),
    "bound-not-a-number": ("pages:int:min=many", {"name": "pages", "type": "int", "min": "many"}),
    "default-below-min": (
        "pages:int:min=5:default=1",
        {"name": "pages", "type": "int", "min": 5, "default": 1},
    ),
    "default-too-short": ("title:str:min=3:default=ab", {"name": "title", "min": 3, "default": "ab"}),
    "m2m-unique": ("tags:m2m(Tag):unique", {"name": "tags", "type": "m2m", "ref": "Tag", "unique": True}),
    "m2m-optional": ("tags:m2m(Tag)?", {"name": "tags", "type": "m2m", "ref": "Tag", "optional": True}),
    "m2m-index": ("tags:m2m(Tag):index", {"name": "tags", "type": "m2m", "ref": "Tag", "index": True}),
    "m2m-default": ("tags:m2m(Tag):default=1", {"name": "tags", "type": "m2m", "ref": "Tag", "default": "1"}),
    "m2m-bound": ("tags:m2m(Tag):max=3", {"name": "tags", "type": "m2m", "ref": "Tag", "max": 3}),
    "m2m-ids-name": ("tag_ids:m2m(Tag)", {"name": "tag_ids", "type": "m2m", "ref": "Tag"}),
    "m2m-model": ("tags:m2m(tag)", {"name": "tags", "type": "m2m", "ref": "tag"}),
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


def test_new_types_store_what_the_templates_need() -> None:
    book = parse_model(
        "Book status:enum(draft, published):default=draft at:time:default=10:30 "
        "pages:int:min=1:max=1000 price:decimal(10,2):min=0.5 title:str(20):min=1 tags:m2m(Tag) "
        "author:ref(Author) @unique(title, author)"
    )
    status, at, pages, price, title, tags, _ = book.fields

    assert (status.choices, status.default) == (("draft", "published"), "draft")
    assert at.default == "10:30:00"
    assert (pages.min, pages.max, price.min, title.min) == (1, 1000, "0.5", 1)
    assert (tags.type, tags.ref, tags.column) == ("m2m", "Tag", "tag_ids")
    assert book.unique == (("title", "author"),)
    assert book.refs == ("Author",) and book.related == ("Tag", "Author")
    assert book.to_answer()["unique"] == [["title", "author"]]
    assert book.to_answer()["fields"][0]["choices"] == ["draft", "published"]


def test_m2m_names_its_ids_by_the_fields_singular() -> None:
    model = parse_model("Post categories:m2m(Category) people:m2m(Person) related_books:m2m(Book)")

    assert [f.column for f in model.fields] == ["category_ids", "person_ids", "related_book_ids"]


def test_yaml_reads_a_time_default_as_seconds_and_it_is_taken_back() -> None:
    answer = yaml.safe_load("name: Shift\nfields:\n- {name: start, type: time, default: 10:30:00}\n")

    assert model_from_answer(answer) == parse_model("Shift start:time:default=10:30:00")


def test_m2m_does_not_order_models_and_may_link_both_ways() -> None:
    models = [parse_model("Book tags:m2m(Tag)"), parse_model("Tag books_read:m2m(Book)")]

    assert [m.name for m in check_model_set(models)] == ["Book", "Tag"]


@pytest.mark.parametrize(
    ("specs", "message", "token"),
    [
        (["Book tags:m2m(Tag)"], "m2m() to an unknown model", "m2m(Tag)"),
        (["Person people:m2m(Person)"], "name the field after the relation", "people"),
        (["Book a:int @unique(a)"], "two fields or more", "@unique(a)"),
        (["Book a:int b:int @unique(a,c)"], "does not have", "c"),
        (["Book a:int @unique(a,a)"], "twice", "@unique(a,a)"),
        (["Book a:int b:text @unique(a,b)"], "text", "@unique(a,b)"),
        (["Tag label", "Book a:int t:m2m(Tag) @unique(a,t)"], "m2m", "@unique(a,t)"),
        (["Book a:int:unique b:int @unique(a,b)"], "unique on its own", "@unique(a,b)"),
        (["Book a:int b:int @unique(a,b) @unique(b,a)"], "twice", "@unique(b,a)"),
        (["Book a:str(500) b:str(500) @unique(a,b)"], "3072", "@unique(a,b)"),
        (["Book read:enum(a,b)"], "BookRead", "read"),
        (["Book cover:enum(a,b)", "BookCover name"], "BookCover", "cover"),
        (["Book title @nope(title)"], "unknown model option", "@nope(title)"),
    ],
)
def test_model_level_refusals_name_the_token(specs: list[str], message: str, token: str) -> None:
    with pytest.raises(SpecError) as refused:
        check_model_set([parse_model(spec) for spec in specs])

    assert message in str(refused.value) and token in str(refused.value)
