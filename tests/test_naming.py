"""English plurals of model names (collection paths), singulars of table names, and plural model names
refused with the singular to use."""

from __future__ import annotations

import pytest

from generator.errors import SpecError
from generator.naming import (
    IE_NOUNS,
    IRREGULAR,
    IS_NOUNS,
    SINGULAR_S,
    UNCOUNTABLE,
    US_NOUNS,
    plural,
    plural_of_singular,
    singular,
    singular_model_name,
)
from generator.spec import parse_model

PLURALS = {
    "person": "people",
    "child": "children",
    "mouse": "mice",
    "category": "categories",
    "status": "statuses",
    "address": "addresses",
    "box": "boxes",
    "batch": "batches",
    "wish": "wishes",
    "key": "keys",
    "day": "days",
    "analysis": "analyses",
    "bus": "buses",
    "alias": "aliases",
    "campus": "campuses",
    "movie": "movies",
    "leaf": "leaves",
    "hero": "heroes",
    "photo": "photos",
    "quiz": "quizzes",
    "news": "news",
    "series": "series",
    "order_item": "order_items",
    "sales_person": "sales_people",
    "book": "books",
}


@pytest.mark.parametrize(("word", "expected"), PLURALS.items())
def test_plural_of_english_nouns(word: str, expected: str) -> None:
    assert plural(word) == expected
    assert singular(expected) == word


@pytest.mark.parametrize(
    "word",
    sorted(
        {
            *IRREGULAR,
            *SINGULAR_S,
            *IE_NOUNS,
            *IS_NOUNS,
            *US_NOUNS,
            *UNCOUNTABLE,
            "city",
            "glass",
            "code",
            "case",
            "house",
        }
    ),
)
def test_singular_undoes_plural_for_every_table_entry(word: str) -> None:
    assert singular(plural(word)) == word
    assert plural_of_singular(word) is None  # every entry is a singular (or uncountable) noun


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Books", "Book"),
        ("People", "Person"),
        ("Children", "Child"),
        ("Categories", "Category"),
        ("Statuses", "Status"),
        ("OrderItems", "OrderItem"),
        ("HTTPLogs", "HTTPLog"),
        ("Status", None),
        ("News", None),
        ("Address", None),
        ("Bus", None),
        ("Analysis", None),
        ("Book", None),
    ],
)
def test_a_plural_model_name_is_told_apart_from_a_singular_one(name: str, expected: str | None) -> None:
    assert singular_model_name(name) == expected


def test_a_plural_model_name_is_refused_naming_the_singular() -> None:
    with pytest.raises(SpecError, match=r"singular.*name it Book") as refused:
        parse_model("Books title")

    assert "'Books'" in str(refused.value)
    assert parse_model("Person name").plural == "people"
