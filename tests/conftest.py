"""Fixtures shared by our tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder outside the checkout where projects are rendered, as a user would."""
    return tmp_path_factory.mktemp("projects")
