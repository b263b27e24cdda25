"""Finding and inspecting a project that asyncrud generated."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.answers import ANSWERS_FILE, RecordedAnswers, is_asyncrud_answers, load_answers, read_answers
from generator.errors import ProjectError
from generator.spec import FieldSpec, ModelSpec, check_model_name


@dataclass(frozen=True)
class Project:
    root: Path
    answers: RecordedAnswers

    @property
    def package_dir(self) -> Path:
        return self.root / self.answers.options.package

    def model_named(self, name: str) -> ModelSpec:
        """The project's model `name`; an invalid, unknown or removed name is a UsageError naming it."""
        check_model_name(name)
        model = self.answers.model(name)
        if model is not None:
            return model
        removed = next((m for m in self.answers.models if m.name == name), None)
        if removed is not None:
            raise ProjectError(f"model {name!r} was removed already (revision {removed.removed})")
        names = ", ".join(m.name for m in self.answers.current_models) or "none"
        raise ProjectError(f"unknown model {name!r}; the project's models are: {names}")

    def check_fields_are_new(self, model: ModelSpec, fields: Iterable[FieldSpec]) -> None:
        """Refuse a field whose attribute the user already wrote by hand in the model's class."""
        path = self.package_dir / model.snake / "models.py"
        written = set(_class_attributes(path, model.name))
        for spec in fields:
            for name in {spec.name, spec.column} & written:
                raise ProjectError(
                    f"field {name!r} of model {model.name!r} is defined already in {self.relative(path)!r}"
                )

    def check_model_is_new(self, model: ModelSpec) -> None:
        """Refuse a model whose module or table the user already made by hand (not in the answers)."""
        for module in (self.package_dir / model.snake, self.package_dir / f"{model.snake}.py"):
            if module.exists():
                where = self.relative(module)
                raise ProjectError(f"model {model.name!r} would be module {where!r}, which exists already")
        for path in self.table_definitions(model.snake):
            raise ProjectError(
                f"table {model.snake!r} of model {model.name!r} is defined already in {self.relative(path)!r}"
            )

    def table_definitions(self, table: str) -> Iterator[Path]:
        """The project's Python files that define or create the table `table`.

        Looks where tables are made: `__tablename__ = "..."`, `Table("...", ...)` and Alembic's
        `op.create_table("...", ...)`, in the package and the migrations. Names compare without case,
        as MySQL on some systems and SQLite do.
        """
        wanted = table.lower()
        for folder in (self.package_dir, self.root / "migrations"):
            for path in sorted(folder.rglob("*.py")):
                if wanted in (name.lower() for name in _defined_tables(path)):
                    yield path

    def relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()


def find_project(folder: Path | None) -> Project:
    """The project at `folder` (`--project`), or the one holding the current folder."""
    if folder is not None:
        if not (folder / ANSWERS_FILE).is_file():
            raise ProjectError(f"{str(folder)!r} is not an asyncrud project: it has no {ANSWERS_FILE}")
        return _project_at(folder.resolve())
    start = Path.cwd().resolve()
    for candidate in (start, *start.parents):
        answers = candidate / ANSWERS_FILE
        # A copier project of another template nested in an asyncrud project is skipped, not an error.
        if answers.is_file() and is_asyncrud_answers(load_answers(answers)):
            return _project_at(candidate)
    raise ProjectError(
        f"not inside an asyncrud project: no {ANSWERS_FILE} written by asyncrud in {str(start)!r} "
        "or its parents; run it in the project or pass --project DIR"
    )


def _project_at(root: Path) -> Project:
    return Project(root=root, answers=read_answers(root / ANSWERS_FILE))


def _defined_tables(path: Path) -> Iterator[str]:
    try:
        tree = ast.parse(path.read_bytes(), filename=str(path))
    except (OSError, SyntaxError, ValueError):
        return  # a file Python cannot read defines no table Alembic or SQLAlchemy could use
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == "__tablename__" for t in targets):
                yield from _string(node.value)
        elif isinstance(node, ast.Call) and node.args and _callee(node.func) in ("Table", "create_table"):
            yield from _string(node.args[0])


def _callee(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _string(node: ast.expr | None) -> Iterator[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value


def _class_attributes(path: Path, name: str) -> Iterator[str]:
    """The names the class `name` in `path` assigns in its body."""
    try:
        tree = ast.parse(path.read_bytes(), filename=str(path))
    except (OSError, SyntaxError, ValueError):
        return
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == name:
            for statement in node.body:
                targets = statement.targets if isinstance(statement, ast.Assign) else []
                if isinstance(statement, ast.AnnAssign):
                    targets = [statement.target]
                yield from (target.id for target in targets if isinstance(target, ast.Name))
