"""The wheel carries the template: an installed asyncrud works from any folder, with no checkout."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import yaml

from tests.support import asyncrud, check

REPOSITORY = Path(__file__).resolve().parent.parent


def test_wheel_contains_the_template(tmp_path: Path) -> None:
    check(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(REPOSITORY),
        ]
    )
    (wheel,) = tmp_path.glob("asyncrud-*.whl")

    names = set(zipfile.ZipFile(wheel).namelist())

    assert "generator/_template/copier.yml" in names
    assert "generator/_template/template/{{package}}/main.py.jinja" in names
    # The templates of released versions, `asyncrud upgrade`'s merge bases.
    assert "generator/_releases/0.1.0/copier.yml" in names
    assert "generator/_releases/0.1.0/template/{{package}}/main.py.jinja" in names
    assert any(name.endswith("entry_points.txt") for name in names)


def test_installed_cli_renders_outside_the_checkout(tmp_path: Path) -> None:
    result = asyncrud("new", "demo", "--defaults", cwd=tmp_path)

    assert result.returncode == 0, result.output
    answers = yaml.safe_load((tmp_path / "demo" / ".copier-answers.yml").read_text())
    # Rendered from the installed package's copy of the template, not from this checkout.
    assert "site-packages" in answers["_src_path"] or "dist-packages" in answers["_src_path"]
    assert not Path(answers["_src_path"]).is_relative_to(REPOSITORY)
    for line in ("cd demo && pip install -e '.[dev]'", "pytest", "uvicorn demo.main:app --reload"):
        assert line in result.stdout
