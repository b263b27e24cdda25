"""Three-way merge of a generated file: the template's change applied to the user's version.

`base` is the file as the template renders it for the project's recorded answers, `other` as it
renders it after the change (a new model or field, a removed model, a newer asyncrud), `current` what
is in the project now. `git merge-file` (the merge that `copier update` relies on too) carries the
template's change into `current`, keeping the user's edits. Two kinds of conflict are settled here,
both where the user only added lines:
- the user and the template both only added lines at the same place (a route appended to main.py
  after the last `include_router`): both additions are kept, the template's first, so that they
  continue the generated block they extend;
- the user added lines right before or after lines the template rewrote (a route appended to a
  main.py whose ending a newer template rewrites): the template's version of those lines, with the
  user's lines on the same side of them.
Any other conflict is either refused (`merge_file`), or written with the standard conflict markers
for the user to settle (`merge_with_markers`, for `upgrade`).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from generator.errors import AsyncrudError, ProjectError

# Longer than any run of '<', '|', '=' or '>' a source file holds, so only git's markers match.
_MARKER_SIZE = 31
_OURS, _BASE, _SPLIT, _THEIRS = (char * _MARKER_SIZE for char in "<|=>")


@dataclass(frozen=True)
class Merged:
    content: bytes
    conflicts: int  # how many conflicts are written in `content` with conflict markers


def merge_file(current: bytes, base: bytes, other: bytes, name: str, command: str) -> bytes:
    """`current` with the change from `base` to `other`; a conflicting change is a ProjectError."""
    merged = _merge(current, base, other, labels=None)
    if merged.conflicts:
        raise ProjectError(
            f"cannot merge the change into {name!r}: lines it changes, or lines right next to them, were "
            f"edited by hand. Nothing was written: undo that edit, run {command} again, then redo the edit"
        )
    return merged.content


def merge_with_markers(current: bytes, base: bytes, other: bytes, ours: str, theirs: str) -> Merged:
    """`current` with the change from `base` to `other`; each conflict is written between the
    standard markers `<<<<<<< ours`, `=======` and `>>>>>>> theirs`."""
    return _merge(current, base, other, labels=(ours, theirs))


def _merge(current: bytes, base: bytes, other: bytes, labels: tuple[str, str] | None) -> Merged:
    if current == base:
        return Merged(other, 0)
    if base == other or current == other:
        return Merged(current, 0)
    return _resolve_insertions(_git_merge_file(current, base, other), labels)


def _git_merge_file(current: bytes, base: bytes, other: bytes) -> bytes:
    git = shutil.which("git")
    if git is None:
        raise AsyncrudError("asyncrud merges changes into existing files with git: install git")
    with tempfile.TemporaryDirectory(prefix="asyncrud-merge-") as folder:
        paths = []
        for label, content in (("current", current), ("base", base), ("other", other)):
            path = Path(folder) / label
            path.write_bytes(content)
            paths.append(str(path))
        completed = subprocess.run(
            [git, "merge-file", "-p", "--diff3", f"--marker-size={_MARKER_SIZE}", *paths],
            capture_output=True,
            check=False,
        )
    # The exit status is the number of conflicts (0 to 127); anything above is git failing.
    if completed.returncode >= 128 or completed.returncode < 0:
        message = completed.stderr.decode(errors="replace").strip()
        raise AsyncrudError(f"git merge-file failed: {message}")
    return completed.stdout


def _resolve_insertions(merged: bytes, labels: tuple[str, str] | None) -> Merged:
    """Settle conflicts where both sides only inserted lines; write any other one with standard
    markers (labelled `labels`), and count it."""
    out: list[bytes] = []
    conflicts = 0
    lines = iter(merged.splitlines(keepends=True))
    for line in lines:
        if not _is_marker(line, _OURS):
            out.append(line)
            continue
        sections: dict[str, list[bytes]] = {"ours": [], "base": [], "theirs": []}
        section = "ours"
        for inner in lines:
            if _is_marker(inner, _BASE):
                section = "base"
            elif _is_marker(inner, _SPLIT):
                section = "theirs"
            elif _is_marker(inner, _THEIRS):
                break
            else:
                sections[section].append(inner)
        else:  # markers cut off: not a conflict this function understands
            return Merged(merged, conflicts + 1)
        ours, base, theirs = sections["ours"], sections["base"], sections["theirs"]
        if not base:
            out += _ended(theirs) + ours
            continue
        if len(ours) > len(base) and ours[: len(base)] == base:  # the user added lines after
            out += _ended(theirs) + ours[len(base) :]
            continue
        if len(ours) > len(base) and ours[-len(base) :] == base:  # the user added lines before
            out += _ended(ours[: -len(base)]) + theirs
            continue
        conflicts += 1
        mine, template = labels or ("", "")
        out += [f"<<<<<<< {mine}\n".encode(), *_ended(ours), b"=======\n"]
        out += [*_ended(theirs), f">>>>>>> {template}\n".encode()]
    return Merged(b"".join(out), conflicts)


def _is_marker(line: bytes, marker: str) -> bool:
    text = line.rstrip(b"\r\n")
    return text == marker.encode() or text.startswith(marker.encode() + b" ")


def _ended(lines: list[bytes]) -> list[bytes]:
    # The inserted block is followed by more lines now, so its last line needs a line end.
    if lines and not lines[-1].endswith(b"\n"):
        return [*lines[:-1], lines[-1] + b"\n"]
    return lines
