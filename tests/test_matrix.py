"""Every database/driver pair renders a project that lints, type-checks, migrates without drift and
passes its own tests on its own database."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import (
    COMBINATION_IDS,
    COMBINATIONS,
    lint,
    migrate_and_check,
    new_project,
    run_project_tests,
    throwaway_database,
)

# Every field type and modifier of the grammar, a ref() chain (Order -> Group -> User), a self
# reference, SQL reserved words as table names (user, group, order) and column names (order, key),
# and a long model name whose generated lines need wrapping.
MATRIX_MODELS = [
    "User name:str(100) email:str(200):unique key:str(40):index",
    "Group title order:int:default=0 owner:ref(User) parent:ref(Group)?",
    (
        "Order key:uuid:unique total:decimal(12,2) discount:decimal(5,2):default=0.50 "
        "placed:datetime due:date? note:text? paid:bool:default=false weight:float? "
        "quantity:bigint:index data:json? label:str(20):optional:unique:default=none "
        "group:ref(Group) user:ref(User)?"
    ),
    (
        "WarehouseInventorySnapshot counted_quantity_of_items_on_the_shelf:bigint:index "
        "reference_number_for_the_accounting_department:str(120):unique "
        "recorded:date:default=2024-01-31 stamped:datetime:default=2024-01-31T10:00:00 "
        "ratio:float:default=1.5 token:uuid:default=12345678-1234-5678-1234-567812345678 "
        "order:ref(Order)"
    ),
]


@pytest.fixture(scope="module", params=COMBINATIONS, ids=COMBINATION_IDS)
def matrix_project(request: pytest.FixtureRequest, workspace: Path) -> tuple[Path, str, str]:
    db, driver = request.param
    project = new_project(workspace, f"matrix_{db}_{driver}", db, driver, MATRIX_MODELS)
    return project, db, driver


def test_rendered_project_lints_and_type_checks(matrix_project: tuple[Path, str, str]) -> None:
    project, _, _ = matrix_project
    lint(project)


def test_migrations_upgrade_check_and_downgrade(
    matrix_project: tuple[Path, str, str], tmp_path: Path
) -> None:
    project, db, driver = matrix_project
    with throwaway_database(db, driver, tmp_path) as url:
        migrate_and_check(project, url)


def test_own_tests_pass_on_its_database_and_on_sqlite(matrix_project: tuple[Path, str, str]) -> None:
    """On the chosen server, and on SQLite, where a user without a server runs them."""
    project, db, driver = matrix_project
    for target_db, target_driver in {(db, driver), ("sqlite", "aiosqlite")}:
        result = run_project_tests(project, target_db, target_driver)
        assert " passed" in result.stdout, result.stdout
        assert "failed" not in result.stdout and "skipped" not in result.stdout, result.stdout
