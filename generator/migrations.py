"""The Alembic revisions asyncrud writes: the project's current head and a fresh revision id.

The head is read with Alembic's own script API, as `alembic heads` reads it (no database needed), so
revisions the user wrote by hand or with `alembic revision --autogenerate`, with their random ids and
any `version_locations` of alembic.ini, count like the generated ones.

Alembic reads the scripts in a child Python process, never in asyncrud's own. Listing revisions
needs no env.py, but it executes every revision script, and the generated ones import the project's
package (`from shop.column_types import UTCDateTime`), found through alembic.ini's
`prepend_sys_path = .`, which is relative to the working directory; `ScriptDirectory.from_config`
also prepends that path to `sys.path` itself. In-process that meant changing the working directory,
`sys.path` and `sys.modules` and undoing it afterwards. The child starts in the project root as the
`alembic` command would, and takes all of that with it when it exits.

The cost is small: importing Alembic and SQLAlchemy, most of the time either way, moves from
asyncrud's process to the child, which adds its own start (40 ms) and site setup. Measured on the
shared 2-core development machine, reading a new project's history from a fresh process took a
median of 1.47 s against 1.20 s in-process (9 runs each), in an `add-model` whose two copier renders
take several seconds.
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import AsyncrudError, ProjectError

# alembic_version.version_num is a VARCHAR(32): a longer revision id fails the first `upgrade`.
MAX_REVISION_LENGTH = 32
_NUMBERED = re.compile(r"^(\d{4})_")
# Importing the revision scripts runs the user's code; a script that hangs must not hang add-model.
READ_TIMEOUT_SECONDS = 120

# Run by the child in the project root, with alembic.ini's path as its argument: the last line it
# prints is a JSON object with the heads and revisions, or with the error that stopped Alembic.
_READ_SCRIPTS = """
import json, sys
from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.util import CommandError
try:
    scripts = ScriptDirectory.from_config(Config(sys.argv[1]))
    found = {"heads": list(scripts.get_heads()), "revisions": [s.revision for s in scripts.walk_revisions()]}
except CommandError as error:
    found = {"command_error": str(error)}
except Exception as error:
    found = {"error": f"{type(error).__name__}: {error}"}
print()
print(json.dumps(found))
"""


@dataclass(frozen=True)
class MigrationHistory:
    head: str | None
    revisions: frozenset[str]

    def next_revision(self, slug: str) -> str:
        """`0002_add_review`: the next number of the generated revisions, then what the revision does."""
        numbers = [int(match[1]) for rev in self.revisions if (match := _NUMBERED.match(rev))]
        number = max(numbers, default=0) + 1
        while True:
            revision = f"{number:04d}_{slug}"[:MAX_REVISION_LENGTH].rstrip("_")
            if revision not in self.revisions:
                return revision
            number += 1


def read_history(project_root: Path) -> MigrationHistory:
    """The revisions of the project's Alembic scripts and their single head."""
    if importlib.util.find_spec("alembic") is None:  # pragma: no cover - alembic is a dependency
        raise AsyncrudError(
            "asyncrud reads the project's migrations with Alembic: install it (pip install alembic), "
            "or run asyncrud in the project's environment"
        )
    ini = project_root / "alembic.ini"
    if not ini.is_file():
        raise ProjectError(f"{str(ini)!r} is missing: asyncrud needs the project's Alembic configuration")
    found = _read_scripts(project_root, ini)
    if "command_error" in found:
        raise ProjectError(
            f"cannot read the Alembic revisions of {str(project_root)!r}: {found['command_error']}"
        )
    if "error" in found:  # a revision script that fails to import is the user's code
        raise ProjectError(
            f"cannot load the Alembic revisions of {str(project_root)!r} "
            f"({found['error']}); `alembic heads` in the project shows the same problem"
        )
    heads: list[str] = found["heads"]
    if len(heads) > 1:
        raise ProjectError(
            f"the migrations have several heads ({', '.join(sorted(heads))}); "
            "join them first with `alembic merge heads`"
        )
    return MigrationHistory(head=heads[0] if heads else None, revisions=frozenset(found["revisions"]))


def _read_scripts(project_root: Path, ini: Path) -> dict[str, Any]:
    """What the child found (`_READ_SCRIPTS`); `-P` keeps the project root off `sys.path` until
    alembic.ini's `prepend_sys_path` puts it there, after Alembic itself is imported."""
    try:
        result = subprocess.run(
            [sys.executable, "-P", "-c", _READ_SCRIPTS, str(ini.absolute())],
            cwd=project_root,
            capture_output=True,
            encoding="utf-8",
            errors="replace",
            timeout=READ_TIMEOUT_SECONDS,
        )
    except subprocess.TimeoutExpired:
        raise ProjectError(
            f"loading the Alembic revisions of {str(project_root)!r} did not finish within "
            f"{READ_TIMEOUT_SECONDS} seconds; `alembic heads` in the project shows the same problem"
        ) from None
    lines = result.stdout.strip().splitlines()
    try:
        found = json.loads(lines[-1])
        if not isinstance(found, dict):
            raise ValueError(found)
    except (IndexError, ValueError):  # the child died before printing: an interpreter-level failure
        error = (result.stderr.strip().splitlines() or [f"exit status {result.returncode}"])[-1]
        found = {"error": error}
    return found


# Runs in a child Python: prints the SQL that the revisions of a rendered project emit, in order,
# as `alembic upgrade head --sql` would, without env.py (which needs the project's dependencies).
_OFFLINE_SQL = """
import io, sys
from alembic.config import Config
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

root, dialect = sys.argv[1], sys.argv[2]
sys.path.insert(0, root)
scripts = ScriptDirectory.from_config(Config(root + "/alembic.ini"))
buffer = io.StringIO()
context = MigrationContext.configure(
    dialect_name=dialect, opts={"as_sql": True, "output_buffer": buffer, "literal_binds": True}
)
with Operations.context(context):
    for script in reversed(list(scripts.walk_revisions())):
        script.module.upgrade()
sys.stdout.write(buffer.getvalue())
"""


def schema_statements(root: Path, database: str) -> list[str] | None:
    """The DDL statements the revisions of the rendered project at `root` run, sorted; None when
    they cannot be worked out (a revision that does not load outside the project's environment).

    Offline, in the SQL of the project's database (PostgreSQL's for SQLite, where Alembic's batch
    mode needs a live database to copy tables): two renders whose revisions build the same schema
    print the same statements, however differently the revision files are written.
    """
    dialect = "postgresql" if database == "sqlite" else database
    completed = subprocess.run(
        [sys.executable, "-c", _OFFLINE_SQL, str(root.absolute()), dialect],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if completed.returncode != 0:
        return None
    statements = (statement.strip() for statement in completed.stdout.split(";\n"))
    return sorted(statement for statement in statements if statement)
