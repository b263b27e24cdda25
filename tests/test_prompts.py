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


def test_never_prompts_without_a_terminal(tmp_path: Path) -> None:
    # stdin is not a TTY here (captured by subprocess): defaults apply and nothing waits for input.
    result = asyncrud("new", str(tmp_path / "quiet"))

    assert result.returncode == 0, result.output
    answers = yaml.safe_load((tmp_path / "quiet" / ".copier-answers.yml").read_text())
    assert (answers["database"], answers["driver"], answers["models"]) == ("sqlite", "aiosqlite", [])
