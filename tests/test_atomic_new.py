"""`asyncrud new` never half-writes: whatever fails part-way, the target is as it was before.

Faults are injected in-process (the CLI run by Typer's runner, with generator internals or the file
system calls that copier makes patched to fail), and as signals sent to the real console script.
"""

from __future__ import annotations

import errno
import os
import pathlib
import signal
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import generator.render
from generator.cli import app
from tests.support import ASYNCRUD, asyncrud

MODEL = "Book title:str(100) pages:int?"


def _snapshot(folder: Path) -> list[str]:
    """Every path under `folder` (hidden ones included): what "as before" is compared with."""
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*"))


def _new(dest: Path) -> Any:
    return CliRunner().invoke(app, ["new", str(dest), "--defaults", "--model", MODEL])


def _text(result: Any) -> str:
    """The CLI's output with Rich's line wrapping undone."""
    return " ".join(result.output.split())


@pytest.fixture(params=["absent", "nested-absent", "empty-folder"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """A target that does not exist, one whose parents do not exist either, or an empty folder."""
    if request.param == "absent":
        return tmp_path / "svc"
    if request.param == "nested-absent":
        return tmp_path / "a" / "b" / "svc"
    (tmp_path / "svc").mkdir()
    return tmp_path / "svc"


def _fail_after(real: Callable[..., Any], calls: int, error: BaseException) -> Callable[..., Any]:
    """`real`, except that call number `calls` (1-based) raises `error` instead."""
    count = 0

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        nonlocal count
        count += 1
        if count == calls:
            raise error
        return real(*args, **kwargs)

    return wrapper


def test_exception_after_copier_wrote_everything_leaves_target_as_before(
    target: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _snapshot(tmp_path)
    real_render = generator.render.render

    def render_then_fail(data: dict[str, Any], dest: Path) -> None:
        real_render(data, dest)
        assert (dest / "pyproject.toml").is_file()  # the project really was written
        raise RuntimeError("injected failure in a post-step")

    monkeypatch.setattr(generator.render, "render", render_then_fail)
    result = _new(target)
    assert result.exit_code != 0
    assert isinstance(result.exception, RuntimeError)
    assert _snapshot(tmp_path) == before


def test_failure_while_moving_files_into_place_leaves_target_as_before(
    target: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _snapshot(tmp_path)
    real_rename = os.rename
    # The last move fails: a new folder is one rename; an empty folder gets each top-level entry
    # moved in, and by the third one two are already in place.
    fail_at = 3 if target.is_dir() else 1
    moves = 0

    def rename(source: Any, destination: Any) -> None:
        nonlocal moves
        if generator.render.STAGING_PREFIX in str(source):
            moves += 1
            if moves == fail_at:
                raise OSError(errno.EXDEV, "Invalid cross-device link")
        real_rename(source, destination)

    monkeypatch.setattr(os, "rename", rename)
    result = _new(target)
    assert result.exit_code == 1, result.output
    assert moves == fail_at
    assert "nothing was written" in _text(result)
    assert _snapshot(tmp_path) == before


def test_full_disk_during_copier_writes_exits_1_and_leaves_target_as_before(
    target: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _snapshot(tmp_path)
    full = OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(pathlib.Path, "write_bytes", _fail_after(pathlib.Path.write_bytes, 10, full))
    result = _new(target)
    assert result.exit_code == 1, result.output
    assert "(No space left on device); nothing was written" in _text(result)
    assert "Traceback" not in result.output
    assert _snapshot(tmp_path) == before


def test_read_only_target_exits_1_with_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parent = tmp_path / "read-only"
    parent.mkdir()
    if os.geteuid() == 0:
        # root writes through file modes; simulate what a read-only mount answers.
        def refuse(*_args: Any, **_kwargs: Any) -> str:
            raise PermissionError(errno.EROFS, "Read-only file system")

        monkeypatch.setattr(tempfile, "mkdtemp", refuse)
    else:
        parent.chmod(0o555)
    try:
        result = _new(parent / "svc")
    finally:
        parent.chmod(0o755)
    assert result.exit_code == 1, result.output
    assert "cannot write the project" in _text(result) and "nothing was written" in _text(result)
    assert list(parent.iterdir()) == []


# A script that runs the real CLI with a slow render, so that a signal lands while copier's output
# sits in the staging folder. It prints READY once the staging folder holds the rendered project.
_SLOW_NEW = textwrap.dedent(
    """
    import sys, time
    import generator.render
    from generator.cli import main
    real = generator.render.render
    def slow(data, dest):
        real(data, dest)
        print("READY", flush=True)
        time.sleep(60)
    generator.render.render = slow
    sys.argv = ["asyncrud", "new", sys.argv[1], "--defaults", "--model", "Book title"]
    main()
    """
)


def _start_slow_new(target: Path) -> subprocess.Popen[str]:
    """`new` into `target`, paused part-way (it printed READY) so that a signal lands mid-render."""
    process = subprocess.Popen(
        [sys.executable, "-c", _SLOW_NEW, str(target)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "READY"
    return process


@pytest.mark.parametrize(
    "signal_number", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP], ids=lambda s: s.name
)
def test_signal_part_way_leaves_target_as_before(target: Path, tmp_path: Path, signal_number: int) -> None:
    before = _snapshot(tmp_path)
    process = _start_slow_new(target)
    process.send_signal(signal_number)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode != 0
    assert _snapshot(tmp_path) == before, stderr


def test_after_sigkill_the_target_is_unchanged_and_the_next_run_succeeds(tmp_path: Path) -> None:
    target = tmp_path / "svc"
    target.mkdir()
    process = _start_slow_new(target)
    process.kill()
    process.wait(timeout=30)
    # SIGKILL runs no cleanup: only a hidden staging folder may remain, never project files.
    leftovers = list(target.iterdir())
    assert all(path.name.startswith(generator.render.STAGING_PREFIX) for path in leftovers)
    result = asyncrud("new", str(target), "--defaults", "--model", MODEL)
    assert result.returncode == 0, result.output
    assert not [p for p in target.iterdir() if p.name.startswith(generator.render.STAGING_PREFIX)]
    assert (target / "pyproject.toml").is_file()


def test_new_into_the_current_folder_keeps_the_folder(tmp_path: Path) -> None:
    """`asyncrud new .` fills the folder the shell is in, instead of replacing it by another one."""
    folder = tmp_path / "here"
    folder.mkdir()
    inode = folder.stat().st_ino
    result = subprocess.run(
        [ASYNCRUD, "new", ".", "--defaults"], cwd=folder, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert folder.stat().st_ino == inode
    assert (folder / "here" / "main.py").is_file()
