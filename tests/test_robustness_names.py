"""Odd targets and names through the installed `asyncrud` script: refused with exit 2 and a message
naming the bad token, or handled cleanly; never a traceback, never a file written outside the target."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.support import asyncrud, package_of


def _everything(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*"))


def _text(output: str) -> str:
    return " ".join(output.split())  # Rich wraps long messages


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--name", "../x"], "invalid project name '../x'"),
        (["--name", "/etc/passwd"], "invalid project name '/etc/passwd'"),
        (["--name", "café"], "invalid project name 'café'"),
        (["--name", "über uns"], "invalid project name 'über uns'"),
        (["--name", "1st"], "invalid project name '1st'"),
        (["--name", "x" * 65], "invalid project name"),
        (["--name", "json"], "package name 'json' would shadow"),
        (["--name", "fastapi"], "package name 'fastapi' would shadow"),
        (["--name", "test"], "package name 'test' would shadow"),
        (
            ["--name", "Secrets"],
            "package name 'secrets' would shadow",
        ),  # stdlib, from sys.stdlib_module_names
        (["--name", "typing-extensions"], "package name 'typing_extensions' would shadow"),  # a dependency's
        (["--name", "Class"], "package name 'class' would shadow"),
        (["--name", "con"], "package name 'con' would shadow"),  # a Windows device name
        (["--model", "../X name"], "'../X'"),
        (["--model", "/abs/Path name"], "'/abs/Path'"),
        (["--model", "Über name"], "'Über'"),
        (["--model", "Book ../title"], "'../title'"),
        (["--model", "Book tïtle"], "'tïtle'"),
        # A byte that is not UTF-8 on the command line (Python hands it over as a lone surrogate).
        (["--model", "Book title:str(10):default=\udcff"], "not UTF-8"),
        (["--model", "Book author:ref(../Author)"], "ref(../Author)"),
        (["--model", "Book 'title name'"], "'title name'"),
        (["--model", "Json name", "--model", "Json other"], "model is defined twice: 'Json'"),
    ],
    ids=lambda value: repr(value)[:40] if isinstance(value, list) else None,
)
def test_bad_names_exit_2_and_write_nothing(tmp_path: Path, args: list[str], message: str) -> None:
    before = _everything(tmp_path)
    result = asyncrud("new", str(tmp_path / "svc"), "--defaults", *args)
    assert result.returncode == 2, result.output
    assert message in _text(result.output), result.output
    assert "Traceback" not in result.output
    assert _everything(tmp_path) == before


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("café", "invalid project name 'café'"),
        ("json", "package name 'json' would shadow"),
        ("test", "'test'"),
    ],
)
def test_a_folder_name_that_cannot_be_a_package_asks_for_name(
    tmp_path: Path, target: str, message: str
) -> None:
    result = asyncrud("new", str(tmp_path / target), "--defaults")
    assert result.returncode == 2
    assert message in _text(result.output) and "--name" in _text(result.output)
    assert not (tmp_path / target).exists()


def test_a_nul_default_from_a_models_file_exits_2(tmp_path: Path) -> None:
    models = tmp_path / "models.yml"
    models.write_text('- "Book title:str(10):default=a\\0b"\n', encoding="utf-8")
    result = asyncrud("new", str(tmp_path / "svc"), "--defaults", "--models-file", str(models))
    assert result.returncode == 2, result.output
    assert "NUL" in _text(result.output) and "Traceback" not in result.output
    assert not (tmp_path / "svc").exists()


def test_target_that_is_a_file_exits_2(tmp_path: Path) -> None:
    (tmp_path / "svc").write_text("mine")
    result = asyncrud("new", str(tmp_path / "svc"), "--defaults")
    assert result.returncode == 2 and "is not a folder" in _text(result.output)
    assert (tmp_path / "svc").read_text() == "mine"


def test_relative_path_with_dot_dot_is_created_where_it_points(tmp_path: Path) -> None:
    (tmp_path / "work").mkdir()
    result = asyncrud("new", "../sibling", "--defaults", cwd=tmp_path / "work")
    assert result.returncode == 0, result.output
    assert package_of(tmp_path / "sibling") == "sibling"
    assert _everything(tmp_path / "work") == []


def test_spaces_and_unicode_in_the_path_with_a_name_given(tmp_path: Path) -> None:
    target = tmp_path / "my projects ü 😀" / "order service"
    result = asyncrud("new", str(target), "--defaults", "--model", "Order key:str(20):unique")
    assert result.returncode == 0, result.output
    assert package_of(target) == "order_service"
    answers = yaml.safe_load((target / ".copier-answers.yml").read_text(encoding="utf-8"))
    assert answers["project_name"] == "order service"
    assert (target / "order_service" / "order" / "router.py").is_file()


@pytest.mark.parametrize("model", ["Json", "Fastapi", "Test", "Typing", "Sqlalchemy", "Conftest"])
def test_models_named_like_modules_live_inside_the_package(tmp_path: Path, model: str) -> None:
    """A model package is `<pkg>.<model>`, so it cannot shadow a top-level module of the same name."""
    target = tmp_path / "svc"
    result = asyncrud("new", str(target), "--defaults", "--model", f"{model} label")
    assert result.returncode == 0, result.output
    module = model.lower()
    assert (target / "svc" / module / "models.py").is_file()
    assert (target / "svc" / module / "__init__.py").is_file()
