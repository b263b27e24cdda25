"""`asyncrud add-model`, `add-field` and `remove-model` never half-write: a fault part-way leaves every
file of the project as it was (remove-model's deleted files and folders included).

Faults: a failing swap of a file into place, a full disk while staging, a read-only project, and
SIGTERM/SIGINT/SIGHUP in the middle of the writes. Each runs the installed CLI in a child Python
whose file-system calls are patched first (from a folder outside the checkout, so that the child
imports the installed package, as a user runs it).
"""

from __future__ import annotations

import hashlib
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.support import asyncrud

# Each command's arguments, on a project with the one model Book.
COMMANDS = {
    "add-model": ["add-model", "Review stars:int book:ref(Book)"],
    "add-field": ["add-field", "Book", "pages:int?", "isbn:str(13)?:unique"],
    "remove-model": ["remove-model", "Book"],
}


@pytest.fixture(params=list(COMMANDS.values()), ids=list(COMMANDS))
def command(request: pytest.FixtureRequest) -> list[str]:
    arguments: list[str] = request.param
    return arguments


@pytest.fixture(scope="module")
def template_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("add-model") / "shop"
    result = asyncrud("new", str(dest), "--defaults", "--model", "Book title:str(100)")
    assert result.returncode == 0, result.output
    return dest


@pytest.fixture
def project(template_project: Path, tmp_path: Path) -> Path:
    """A fresh copy of the rendered project for each test."""
    copy = tmp_path / "shop"
    subprocess.run(["cp", "-a", str(template_project), str(copy)], check=True)
    return copy


def _state(folder: Path) -> dict[str, str]:
    """Every path and the hash of every file: what "as before" is compared with."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        if path.is_file()
        else "dir"
        for path in sorted(folder.rglob("*"))
    }


def _run_with(project: Path, command: list[str], patch: str) -> subprocess.Popen[str]:
    """`asyncrud COMMAND... --project PROJECT` in a child Python that first runs `patch`."""
    script = textwrap.dedent(patch) + textwrap.dedent(
        """
        import sys
        from generator.cli import main
        sys.argv = ["asyncrud", *sys.argv[2:], "--project", sys.argv[1]]
        main()
        """
    )
    return subprocess.Popen(
        [sys.executable, "-c", script, str(project), *command],
        cwd=project.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _on_swap(number: int, action: str) -> str:
    """Code for `_run_with` that runs `action` when the command moves its `number`th file into place."""
    return f"""
        import errno, os, sys, time
        import generator.changeset
        real, count, project = os.replace, 0, sys.argv[1]
        def replace(source, target):
            global count
            # Only the project's files: rendering renames files too (Jinja's bytecode cache).
            count += str(target).startswith(project)
            if count == {number} and str(target).startswith(project):
                {action}
            real(source, target)
        generator.changeset.os.replace = replace
        """


def _finish(process: subprocess.Popen[str]) -> tuple[int, str]:
    stdout, stderr = process.communicate(timeout=120)
    return process.returncode, " ".join((stdout + stderr).split())


def test_a_failing_swap_part_way_restores_every_file(project: Path, command: list[str]) -> None:
    before = _state(project)
    # The fourth file fails to go into place: three were already swapped in (created, changed, deleted).
    process = _run_with(
        project,
        command,
        _on_swap(4, 'raise OSError(errno.EIO, "Input/output error")'),
    )
    code, output = _finish(process)
    assert code == 1, output
    assert "nothing was changed" in output and "Traceback" not in output
    assert _state(project) == before


def test_a_full_disk_while_staging_changes_nothing(project: Path, command: list[str]) -> None:
    before = _state(project)
    process = _run_with(
        project,
        command,
        """
        import errno, pathlib
        real, count = pathlib.Path.write_bytes, 0
        def write_bytes(self, data):
            global count
            count += ".asyncrud-staging-" in str(self)
            if count == 2:  # the second file staged: the first one is written
                raise OSError(errno.ENOSPC, "No space left on device")
            return real(self, data)
        pathlib.Path.write_bytes = write_bytes
        """,
    )
    code, output = _finish(process)
    assert code == 1, output
    assert "No space left on device" in output and "Traceback" not in output
    assert _state(project) == before


def test_a_read_only_project_changes_nothing(project: Path, command: list[str]) -> None:
    before = _state(project)
    process = _run_with(
        project,
        command,
        f"""
        import errno, tempfile
        real = tempfile.mkdtemp
        def mkdtemp(*args, **kwargs):
            if str(kwargs.get("dir")) == {str(project)!r}:  # only writes into the project fail
                raise PermissionError(errno.EROFS, "Read-only file system")
            return real(*args, **kwargs)
        tempfile.mkdtemp = mkdtemp
        """,
    )
    code, output = _finish(process)
    assert code == 1, output
    assert "Read-only file system" in output and "Traceback" not in output
    assert _state(project) == before


@pytest.mark.parametrize(
    "signal_number", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP], ids=lambda s: s.name
)
def test_a_signal_in_the_middle_of_the_writes_restores_every_file(
    project: Path, command: list[str], signal_number: int
) -> None:
    before = _state(project)
    # Paused once two files went into place, so that the signal lands between two writes.
    process = _run_with(
        project,
        command,
        _on_swap(3, 'print("READY", flush=True); time.sleep(60)'),
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "READY"
    process.send_signal(signal_number)
    code, output = _finish(process)
    assert code != 0
    assert _state(project) == before, output
