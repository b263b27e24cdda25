"""`copier copy` of this repository, without our CLI, gives the very project `asyncrud new` gives."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.support import BIN, check, new_project

REPOSITORY = Path(__file__).resolve().parent.parent


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.name != ".copier-answers.yml"
    }


def _copier_copy(*data: str, destination: Path) -> None:
    """copier's own CLI on this repository; `--trust` lets the template's ruff task run."""
    check(
        [
            str(BIN / "copier"),
            "copy",
            "--trust",
            "--defaults",
            "--quiet",
            *data,
            str(REPOSITORY),
            str(destination),
        ]
    )


def _answers(root: Path) -> dict[str, object]:
    answers = yaml.safe_load((root / ".copier-answers.yml").read_text())
    return {key: value for key, value in answers.items() if not key.startswith("_")}


def test_copier_copy_without_the_cli_gives_the_same_project(tmp_path: Path) -> None:
    by_cli = new_project(
        tmp_path,
        "shop",
        "postgresql",
        "psycopg",
        [
            "Author name:str(100) email:str(200):unique",
            "Book title:str(200) price:decimal(8,2)? author:ref(Author)",
        ],
    )
    data_file = tmp_path / "data.yml"
    data_file.write_text(yaml.safe_dump(_answers(by_cli)))
    by_copier = tmp_path / "by-copier"

    _copier_copy("--data-file", str(data_file), destination=by_copier)

    assert _files(by_copier) == _files(by_cli)
    assert _answers(by_copier) == _answers(by_cli)


def test_copier_copy_with_data_flags_and_defaults(tmp_path: Path) -> None:
    dest = tmp_path / "plain"

    _copier_copy(
        "--data",
        "project_name=Plain",
        "--data",
        "database=mysql",
        destination=dest,
    )

    answers = _answers(dest)
    assert (answers["package"], answers["driver"], answers["models"]) == ("plain", "asyncmy", [])
    assert (dest / "plain" / "main.py").is_file()
