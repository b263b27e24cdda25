"""Bad input to `asyncrud new`: exit code 2, a message naming the bad token, and nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import asyncrud

CASES = {
    "unknown-database": (["--db", "oracle"], "oracle"),
    "driver-of-another-database": (["--db", "postgresql", "--driver", "asyncmy"], "asyncmy"),
    "unknown-driver": (["--db", "mysql", "--driver", "mysqlclient"], "mysqlclient"),
    "invalid-project-name": (["--name", "9 lives!"], "9 lives!"),
    "package-shadowing-stdlib": (["--name", "json"], "json"),
    "model-not-pascal-case": (["--model", "book title"], "book"),
    "duplicate-model": (["--model", "Book title", "--model", "Book name"], "Book"),
    "python-keyword-field": (["--model", "Book class:str"], "class"),
    "reserved-member-id": (["--model", "Book id:int"], "id"),
    "reserved-member-metadata": (["--model", "Book metadata:json"], "metadata"),
    "duplicate-field": (["--model", "Book title title:text"], "title"),
    "unknown-type": (["--model", "Book title:varchar"], "varchar"),
    "brackets-are-not-markup": (["--model", "Book title:str[5]"], "str[5]"),
    "bad-str-length": (["--model", "Book title:str(0)"], "str(0)"),
    "str-length-not-a-number": (["--model", "Book title:str(abc)"], "str(abc)"),
    "bad-decimal-scale": (["--model", "Book price:decimal(3,5)"], "decimal(3,5)"),
    "decimal-without-scale": (["--model", "Book price:decimal(10)"], "decimal(10)"),
    "bad-int-default": (["--model", "Book pages:int:default=many"], "default=many"),
    "bad-bool-default": (["--model", "Book done:bool:default=maybe"], "default=maybe"),
    "bad-date-default": (["--model", "Book due:date:default=2024-13-01"], "default=2024-13-01"),
    "unknown-modifier": (["--model", "Book title:str:required"], "required"),
    "ref-to-unknown-model": (["--model", "Book author:ref(Author)"], "ref(Author)"),
    "required-self-reference": (["--model", "Node parent:ref(Node)"], "parent"),
    "unique-text": (["--model", "Book body:text:unique"], "body"),
    "plural-model-name": (["--model", "Books title"], "Books"),
    "enum-without-values": (["--model", "Book status:enum()"], "enum()"),
    "enum-value-not-an-identifier": (["--model", "Book status:enum(in-print,sold)"], "in-print"),
    "enum-default-not-a-value": (["--model", "Book status:enum(a,b):default=c"], "default=c"),
    "enum-unique": (["--model", "Book status:enum(a,b):unique"], "status"),
    "time-with-offset": (["--model", "Book at:time:default=10:00+01:00"], "default=10:00+01:00"),
    "min-on-bool": (["--model", "Book done:bool:min=1"], "done"),
    "max-on-json": (["--model", "Book data:json:max=2"], "data"),
    "min-on-uuid": (["--model", "Book code:uuid:min=0"], "code"),
    "min-above-max": (["--model", "Book pages:int:min=9:max=1"], "min=9"),
    "max-longer-than-str": (["--model", "Book title:str(10):max=11"], "max=11"),
    "bound-not-a-number": (["--model", "Book pages:int:max=lots"], "max=lots"),
    "default-outside-bounds": (["--model", "Book pages:int:max=3:default=4"], "default=4"),
    "unique-of-one-field": (["--model", "Book title @unique(title)"], "@unique(title)"),
    "unique-of-unknown-field": (["--model", "Book title @unique(title,isbn)"], "isbn"),
    "unique-with-text": (["--model", "Book title body:text @unique(title,body)"], "@unique(title,body)"),
    "m2m-to-unknown-model": (["--model", "Book tags:m2m(Tag)"], "m2m(Tag)"),
    "m2m-unique": (["--model", "Tag label", "--model", "Book tags:m2m(Tag):unique"], "tags"),
    "m2m-optional": (["--model", "Tag label", "--model", "Book tags:m2m(Tag)?"], "tags"),
    "m2m-named-as-ids": (["--model", "Tag label", "--model", "Book tag_ids:m2m(Tag)"], "tag_ids"),
    "m2m-self-named-after-the-model": (["--model", "Person people:m2m(Person)"], "people"),
    "unique-on-m2m": (
        ["--model", "Tag label", "--model", "Book a:int tags:m2m(Tag) @unique(a,tags)"],
        "tags",
    ),
    "enum-class-clash": (["--model", "Book read:enum(a,b)"], "BookRead"),
}


@pytest.mark.parametrize(("args", "token"), CASES.values(), ids=CASES.keys())
def test_bad_input_exits_2_naming_the_token_and_writes_nothing(
    tmp_path: Path, args: list[str], token: str
) -> None:
    dest = tmp_path / "project"

    result = asyncrud("new", str(dest), "--defaults", *args)

    assert result.returncode == 2, result.output
    assert token in result.stderr, result.stderr
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_non_empty_target_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    dest = tmp_path / "project"
    dest.mkdir()
    (dest / "keep.txt").write_text("mine")

    result = asyncrud("new", str(dest), "--defaults")

    assert result.returncode == 2
    assert "not empty" in result.stderr and str(dest) in result.stderr
    assert [p.name for p in dest.iterdir()] == ["keep.txt"]
    assert (dest / "keep.txt").read_text() == "mine"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("models: [unclosed", "not valid YAML"),
        ("just a string", "must hold a list"),
        ("- Book title:str(0)", "str(0)"),
        ("- 42", "42"),
    ],
    ids=["invalid-yaml", "not-a-list", "bad-spec", "not-a-spec"],
)
def test_malformed_models_file_is_refused(tmp_path: Path, content: str, message: str) -> None:
    models_file = tmp_path / "models.yml"
    models_file.write_text(content)
    dest = tmp_path / "project"

    result = asyncrud("new", str(dest), "--defaults", "--models-file", str(models_file))

    assert result.returncode == 2, result.output
    assert message in result.stderr
    assert not dest.exists()


def test_models_file_takes_specs_and_answer_mappings(tmp_path: Path) -> None:
    models_file = tmp_path / "models.yml"
    models_file.write_text(
        "models:\n"
        "  - Author name:str(100)\n"
        "  - name: Book\n"
        "    fields:\n"
        "      - {name: title, type: str, length: 200}\n"
        "      - {name: author, type: ref, ref: Author}\n"
    )

    result = asyncrud("new", str(tmp_path / "shop"), "--defaults", "--models-file", str(models_file))

    assert result.returncode == 0, result.output
    assert (tmp_path / "shop" / "shop" / "book" / "router.py").is_file()
    assert "/api/v1/authors" in result.stdout and "/api/v1/books" in result.stdout
