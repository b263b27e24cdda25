"""The new grammar (enum, time, min/max, @unique, m2m) through every way models come in: `new --model`,
`--models-file`, `add-model` and the copier `models` answer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from generator.copier_extension import models_error
from tests.served import serve
from tests.support import (
    answers_of,
    asyncrud,
    lint,
    migrate_and_check,
    new_project,
    package_of,
    run_project_tests,
    sync_engine,
    throwaway_database,
)

SPECS = [
    "Tag label:str(40):unique",
    (
        "Book title:str(200):min=1 status:enum(draft,published):index:default=draft "
        "opens:time? pages:int:min=1:max=5000 tags:m2m(Tag) @unique(title,status)"
    ),
]


def test_new_records_the_new_grammar_in_the_answers(tmp_path: Path) -> None:
    args = ["new", str(tmp_path / "shop"), "--defaults"]
    for spec in SPECS:
        args += ["--model", spec]

    result = asyncrud(*args)

    assert result.returncode == 0, result.output
    answers = yaml.safe_load((tmp_path / "shop" / ".copier-answers.yml").read_text())
    book = answers["models"][1]
    assert book["unique"] == [["title", "status"]]
    assert {"name": "tags", "type": "m2m", "ref": "Tag"} in book["fields"]
    assert {"name": "pages", "type": "int", "min": 1, "max": 5000} in book["fields"]
    assert (tmp_path / "shop" / "shop" / "book" / "enums.py").is_file()
    assert "/api/v1/books" in result.stdout


def test_models_file_takes_the_new_grammar_as_specs_and_as_mappings(tmp_path: Path) -> None:
    models_file = tmp_path / "models.yml"
    models_file.write_text(
        "- Tag label\n"
        "- name: Book\n"
        "  fields:\n"
        "    - {name: status, type: enum, choices: [draft, published], default: draft}\n"
        "    - {name: opens, type: time, default: 09:00:00}\n"
        "    - {name: pages, type: int, min: 1}\n"
        "    - {name: tags, type: m2m, ref: Tag}\n"
        "  unique: [[status, pages]]\n"
    )

    result = asyncrud("new", str(tmp_path / "shop"), "--defaults", "--models-file", str(models_file))

    assert result.returncode == 0, result.output
    schemas = (tmp_path / "shop" / "shop" / "book" / "schemas.py").read_text()
    assert "tag_ids: list[RowId]" in schemas and "status: BookStatus" in schemas


def test_models_file_refuses_a_bad_mapping_naming_it(tmp_path: Path) -> None:
    models_file = tmp_path / "models.yml"
    models_file.write_text("- name: Book\n  fields:\n    - {name: done, type: bool, min: 1}\n")

    result = asyncrud("new", str(tmp_path / "shop"), "--defaults", "--models-file", str(models_file))

    assert result.returncode == 2, result.output
    assert "done" in result.stderr and "min=" in result.stderr
    assert not (tmp_path / "shop").exists()


def test_add_model_with_the_new_grammar_migrates_cleanly(tmp_path: Path) -> None:
    project = tmp_path / "shop"
    assert asyncrud("new", str(project), "--defaults", "--model", "Tag label").returncode == 0

    added = asyncrud(
        "add-model",
        "Book title:str(100):min=2 status:enum(a,b):default=a opens:time tags:m2m(Tag) @unique(title,status)",
        "--project",
        str(project),
    )

    assert added.returncode == 0, added.output
    revision = next((project / "migrations" / "versions").glob("*book*.py")).read_text()
    assert 'op.create_table(\n        "book_tags"' in revision or '"book_tags"' in revision
    with throwaway_database("sqlite", "aiosqlite", tmp_path) as url:
        migrate_and_check(project, url)


def test_add_model_refuses_bad_new_grammar_and_writes_nothing(tmp_path: Path) -> None:
    project = tmp_path / "shop"
    assert asyncrud("new", str(project), "--defaults", "--model", "Tag label").returncode == 0
    before = sorted(p.relative_to(project) for p in project.rglob("*") if p.is_file())

    refused = asyncrud("add-model", "Book tags:m2m(Tag):unique", "--project", str(project))

    assert refused.returncode == 2, refused.output
    assert "tags" in refused.stderr
    assert sorted(p.relative_to(project) for p in project.rglob("*") if p.is_file()) == before


def test_copier_models_answer_is_validated_by_the_grammar() -> None:
    good: list[dict[str, Any]] = [
        {"name": "Tag", "fields": [{"name": "label"}]},
        {
            "name": "Book",
            "fields": [
                {"name": "status", "type": "enum", "choices": ["a", "b"]},
                {"name": "tags", "type": "m2m", "ref": "Tag"},
            ],
            "unique": [["status", "tags"]],
        },
    ]

    assert "m2m" in models_error(good)
    good[1]["unique"] = []
    assert models_error(good) == ""
    assert "singular" in models_error([{"name": "Books", "fields": []}])
    assert "min=" in models_error([{"name": "Book", "fields": [{"name": "done", "type": "bool", "min": 1}]}])


def test_add_field_takes_enum_and_time_and_refuses_m2m_and_bounds(tmp_path: Path) -> None:
    project = tmp_path / "shop"
    models = ["--model", "Tag label", "--model", "Book title"]
    assert asyncrud("new", str(project), "--defaults", *models).returncode == 0

    added = asyncrud(
        "add-field",
        "Book",
        "status:enum(draft,published):default=draft",
        "opens:time?",
        "--project",
        str(project),
    )
    m2m = asyncrud("add-field", "Book", "tags:m2m(Tag)", "--project", str(project))
    bounded = asyncrud("add-field", "Book", "pages:int?:min=1", "--project", str(project))

    assert added.returncode == 0, added.output
    assert (m2m.returncode, bounded.returncode) == (2, 2), m2m.output + bounded.output
    assert "tags:m2m(Tag)" in m2m.stderr and "pages" in bounded.stderr
    revision = next((project / "migrations" / "versions").glob("*status*.py")).read_text()
    assert '"status": "draft"' in revision
    with throwaway_database("sqlite", "aiosqlite", tmp_path) as url:
        migrate_and_check(project, url)


def test_remove_model_drops_its_link_tables_and_refuses_a_linked_target(tmp_path: Path) -> None:
    project = tmp_path / "shop"
    models = ["--model", "Tag label", "--model", "Book title tags:m2m(Tag)"]
    assert asyncrud("new", str(project), "--defaults", *models).returncode == 0

    target = asyncrud("remove-model", "Tag", "--project", str(project))
    owner = asyncrud("remove-model", "Book", "--project", str(project))

    assert target.returncode == 2 and "m2m(Tag)" in target.stderr, target.output
    assert owner.returncode == 0, owner.output
    revision = next((project / "migrations" / "versions").glob("*remove_book*.py")).read_text()
    assert 'op.drop_table("book_tags")' in revision and '"book_tags",' in revision
    with throwaway_database("sqlite", "aiosqlite", tmp_path) as url:
        migrate_and_check(project, url)


# Bounds of decimals as people write them: a scale's worth of digits, fewer, more zeros, an exponent.
DECIMALS = (
    "Item price:decimal(10,2):min=0.5:max=99.99 low:decimal(6,3)?:min=-1.50:max=1E+1 "
    "share:decimal(5,5):max=0.999990:default=0.50000"
)
DATABASES = [("sqlite", "aiosqlite"), ("postgresql", "asyncpg"), ("mysql", "asyncmy")]


@pytest.mark.parametrize(("db", "driver"), DATABASES, ids=[f"{db}-{driver}" for db, driver in DATABASES])
def test_decimal_bounds_are_plain_numbers_in_the_schema_the_check_and_the_api(
    tmp_path: Path, db: str, driver: str
) -> None:
    project = new_project(tmp_path, "shop", db, driver, [DECIMALS])
    package = package_of(project)
    # Whitespace aside: ruff wraps a long Field(...) one argument a line.
    schemas = " ".join((project / package / "item" / "schemas.py").read_text().split())
    revision = " ".join(next((project / "migrations" / "versions").glob("0001_*.py")).read_text().split())
    fields = {field["name"]: field for field in answers_of(project)["models"][0]["fields"]}

    # No exponent anywhere (MySQL reads 1E+1 as a float), no zeros past the scale.
    assert 'ge=Decimal("0.5"), le=Decimal("99.99")' in schemas
    assert 'ge=Decimal("-1.50"), le=Decimal("10")' in schemas
    assert 'le=Decimal("0.99999")' in schemas and 'default=Decimal("0.50000")' in schemas
    assert 'sa.column("low") <= sa.literal_column("10")' in revision
    assert (fields["low"]["max"], fields["share"]["max"]) == ("10", "0.99999")
    if db == "sqlite":
        lint(project)
    with throwaway_database(db, driver, tmp_path) as url:
        migrate_and_check(project, url)
        with serve(project, url) as server, httpx.Client(base_url=server.url) as client:
            statuses = {
                body: client.post("/api/v1/items", json={"price": body[0], "low": body[1]}).status_code
                for body in [
                    (0.5, None),
                    ("0.50", "-1.5"),
                    ("99.99", 10),
                    ("10.00", "10.000"),
                    (0.49, None),
                    ("100", None),
                    ("100.00", None),
                    ("1", "-1.501"),
                    ("1", "10.001"),
                ]
            }
        # The CHECK constraints hold the same bounds for writes that bypass the API (MariaDB's
        # driver calls a failed CHECK an OperationalError, the others an IntegrityError).
        engine = sync_engine(url)
        try:
            with pytest.raises(DBAPIError, match="price_min"), engine.begin() as connection:
                connection.execute(text("INSERT INTO item (price, share) VALUES (0.49, 0.5)"))
            with pytest.raises(DBAPIError, match="low_max"), engine.begin() as connection:
                connection.execute(text("INSERT INTO item (price, low, share) VALUES (1, 10.001, 0.5)"))
        finally:
            engine.dispose()

    assert [body for body, status in statuses.items() if status == 201] == list(statuses)[:4], statuses
    assert set(statuses.values()) == {201, 422}, statuses
    result = run_project_tests(project, db, driver)
    assert " passed" in result.stdout and "failed" not in result.stdout, result.stdout
