"""Our own code meets the bar we set for the projects we generate."""

from __future__ import annotations

from pathlib import Path

from tests.support import check, tool

REPOSITORY = Path(__file__).resolve().parent.parent
CODE = ["generator", "tests", "benchmarks"]


def test_ruff_check_and_format() -> None:
    check([tool("ruff"), "check", "--no-cache", *CODE], cwd=REPOSITORY)
    check([tool("ruff"), "format", "--check", "--no-cache", *CODE], cwd=REPOSITORY)


def test_generator_and_benchmarks_are_mypy_strict_clean() -> None:
    check([tool("mypy"), "--strict", "--cache-dir", "/dev/null", "generator", "benchmarks"], cwd=REPOSITORY)
