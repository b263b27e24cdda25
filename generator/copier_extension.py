"""The copier extension of the asyncrud template: the project view and the answer checks, in Python.

copier.yml loads it with `_jinja_extensions`, so `copier copy` of the template works like `asyncrud
new` wherever asyncrud is installed beside copier (`pipx inject copier asyncrud`). It adds
- `entities`, `project`, `changes`: the view of the `models` and `migrations` answers (generator.view),
  and `asyncrud_version` (which the answers file records), to every template's context;
- filters that copier.yml's validators and defaults call, so each rule of the answers lives once, in
  generator/: `models_error`, `migrations_error`, `project_name_error`, `package_error`, `description_error`, `driver_error`, `default_driver`,
  `package_name`.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from copier_template_extensions import ContextHook
from jinja2 import Environment, FileSystemBytecodeCache

from generator import __version__
from generator.errors import AsyncrudError
from generator.view import ProjectView, project_view


class AsyncrudContext(ContextHook):
    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        # The template files compile once per version of their text, not once per project.
        if environment.bytecode_cache is None:
            environment.bytecode_cache = FileSystemBytecodeCache()
        environment.filters.update(
            models_error=models_error,
            migrations_error=migrations_error,
            project_name_error=project_name_error,
            package_error=package_error,
            description_error=description_error,
            driver_error=driver_error,
            default_driver=default_driver,
            package_name=package_name,
        )

    def hook(self, context: dict[str, Any]) -> None:
        context["asyncrud_version"] = __version__
        # copier renders questions (defaults, validators) with this context too, before every answer
        # is known and valid: the view is only there once the answers it needs are.
        try:
            view = _view(
                str(context["package"]),
                str(context["database"]),
                json.dumps(context["models"], sort_keys=True, default=str),
                json.dumps(context.get("migrations") or [], sort_keys=True, default=str),
                str(context.get("queue") or "none"),
            )
        except (KeyError, AsyncrudError, TypeError, ValueError):
            return
        context["project"] = view
        context["entities"] = view.entities
        context["changes"] = view.changes


@lru_cache(maxsize=8)
def _view(package: str, database: str, models_json: str, migrations_json: str, queue: str) -> ProjectView:
    # copier builds a context for every file and path it renders: the view is built once per answers.
    from generator.answers import schema_changes
    from generator.spec import check_model_set, model_from_answer

    models = check_model_set([model_from_answer(entry) for entry in json.loads(models_json)])
    changes = schema_changes(models, json.loads(migrations_json))
    return project_view(package, database, models, changes, queue)


def models_error(models: Any) -> str:
    """Why the `models` answer is invalid, or "" (what `asyncrud new` would say of it)."""
    from generator.spec import check_model_set, model_from_answer

    if not isinstance(models, list):
        return "models must be a YAML list"
    try:
        check_model_set([model_from_answer(entry) for entry in models])
    except AsyncrudError as error:
        return str(error)
    return ""


def migrations_error(migrations: Any, models: Any) -> str:
    """Why the `migrations` answer is invalid for these models, or ""."""
    from generator.answers import schema_changes
    from generator.spec import model_from_answer

    if not isinstance(migrations, list) or not isinstance(models, list):
        return "migrations must be a YAML list"
    return _error(lambda: schema_changes([model_from_answer(entry) for entry in models], migrations))


def project_name_error(name: Any) -> str:
    from generator.project_options import project_options

    return _error(lambda: project_options(str(name), "sqlite", None))


def description_error(description: Any) -> str:
    from generator.project_options import project_options

    return _error(lambda: project_options("x", "sqlite", None, description=str(description)))


def package_error(package: Any) -> str:
    from generator.project_options import check_package

    return _error(lambda: check_package(str(package)))


def driver_error(driver: Any, database: Any) -> str:
    from generator.project_options import check_driver

    return _error(lambda: check_driver(str(database), str(driver)))


def default_driver(database: Any) -> str:
    from generator.project_options import default_driver as default

    return default(str(database))


def package_name(project_name: Any) -> str:
    from generator.project_options import package_from_name

    return package_from_name(str(project_name))


def _error(check: Any) -> str:
    try:
        check()
    except AsyncrudError as error:
        return str(error)
    return ""
