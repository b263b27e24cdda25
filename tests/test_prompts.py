"""On a terminal, `asyncrud new` asks for what the flags left open; without one it never asks."""

from __future__ import annotations

import os
from pathlib import Path

import pexpect
import yaml

from tests.support import ASYNCRUD, asyncrud


def test_prompts_for_database_driver_and_models_field_by_field(tmp_path: Path) -> None:
    child = pexpect.spawn(
        ASYNCRUD,
        ["new", "shop"],
        cwd=str(tmp_path),
        env={**os.environ, "NO_COLOR": "1", "TERM": "dumb"},
        encoding="utf-8",
        timeout=30,
    )
    child.expect(r"Database\W+sqlite/postgresql/mysql")
    child.sendline("postgresql")
    child.expect(r"Async driver\W+asyncpg/psycopg")
    child.sendline("psycopg")
    child.expect(r"Add a model now\?")
    child.sendline("y")
    child.expect(r"Model name")
    child.sendline("author")  # not PascalCase: refused, asked again
    child.expect(r"PascalCase.*Model name")
    child.sendline("Author")
    child.expect(r"Author field")
    child.sendline("name:str(100):unique")
    child.expect(r"Author field")
    child.sendline("born:date?")
    child.expect(r"Author field")
    child.sendline("")
    child.expect(r"Model name")
    child.sendline("")
    child.expect(r"Create the project with these models\?")
    child.sendline("y")
    child.expect(pexpect.EOF)
    child.close()

    assert child.exitstatus == 0, child.before
    answers = yaml.safe_load((tmp_path / "shop" / ".copier-answers.yml").read_text())
    assert (answers["database"], answers["driver"]) == ("postgresql", "psycopg")
    assert answers["models"] == [
        {
            "name": "Author",
            "fields": [
                {"name": "name", "type": "str", "length": 100, "unique": True},
                {"name": "born", "type": "date", "optional": True},
            ],
        }
    ]


def _spawn(tmp_path: Path) -> pexpect.spawn:
    child = pexpect.spawn(
        ASYNCRUD,
        ["new", "shop", "--db", "sqlite", "--driver", "aiosqlite"],
        cwd=str(tmp_path),
        env={**os.environ, "NO_COLOR": "1", "TERM": "dumb", "COLUMNS": "160"},
        encoding="utf-8",
        timeout=30,
    )
    child.expect(r"Add a model now\?")
    child.sendline("y")
    return child


def test_prompts_check_fields_as_typed_keep_what_was_typed_and_ask_for_missing_targets(
    tmp_path: Path,
) -> None:
    child = _spawn(tmp_path)
    child.expect(r"Model name")
    child.sendline("Books")  # plural: refused, naming the singular
    child.expect(r"name it Book.*Model name")
    child.sendline("Book")
    child.expect(r"Book field")
    child.sendline("title:str(200):min=1")
    child.expect(r"Book field")
    child.sendline("tags:m2m(Tag)")  # Tag is not a model yet: noted, kept
    child.expect(r"Tag is not a model yet.*Book field")
    child.sendline("done:bool:min=1")  # refused with its reason, asked again; title and tags kept
    child.expect(r"min= bounds numbers.*Book field")
    child.sendline("title:text")  # a second title: refused
    child.expect(r"duplicate field.*Book field")
    child.sendline("status:enum(draft,published):default=draft")
    child.expect(r"Book field")
    child.sendline("@unique(title,status)")
    child.expect(r"Book field")
    child.sendline("")
    child.expect(r"Still to define: Tag.*Model name.*\(Tag\)")
    child.sendline("")  # the default: the missing model
    child.expect(r"Tag field")
    child.sendline("label:str(40):unique")
    child.expect(r"Tag field")
    child.sendline("")
    child.expect(r"Model name")
    child.sendline("")
    child.expect(r"Models to create")
    child.expect(r"/api/v1/books")
    child.expect(r"Create the project with these models\?")
    child.sendline("n")  # back to editing: Book again, one field removed
    child.expect(r"Model name")
    child.sendline("Book")
    child.expect(r"title:str\(200\):min=1 tags:m2m\(Tag\).*Book field")
    child.sendline("-status")
    child.expect(r"Book field")
    child.sendline("")
    child.expect(r"Model name")
    child.sendline("")
    child.expect(r"Create the project with these models\?")
    child.sendline("y")
    child.expect(pexpect.EOF)
    child.close()

    assert child.exitstatus == 0, child.before
    answers = yaml.safe_load((tmp_path / "shop" / ".copier-answers.yml").read_text())
    assert answers["models"] == [
        {
            "name": "Book",
            "fields": [
                {"name": "title", "type": "str", "length": 200, "min": 1},
                {"name": "tags", "type": "m2m", "ref": "Tag"},
            ],
        },
        {"name": "Tag", "fields": [{"name": "label", "type": "str", "length": 40, "unique": True}]},
    ]


def test_never_prompts_without_a_terminal(tmp_path: Path) -> None:
    # stdin is not a TTY here (captured by subprocess): defaults apply and nothing waits for input.
    result = asyncrud("new", str(tmp_path / "quiet"))

    assert result.returncode == 0, result.output
    answers = yaml.safe_load((tmp_path / "quiet" / ".copier-answers.yml").read_text())
    assert (answers["database"], answers["driver"], answers["models"]) == ("sqlite", "aiosqlite", [])
