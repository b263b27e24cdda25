"""Reading the YAML files asyncrud takes (models files, answers files) with one kind of error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from generator.errors import UsageError


def read_yaml(path: Path, what: str, error: type[UsageError] = UsageError) -> Any:
    """The parsed content of `path`; an unreadable file or invalid YAML is `error` naming `what`."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as problem:
        raise error(f"cannot read {what} {str(path)!r}: {problem.strerror}") from None
    except yaml.YAMLError as problem:
        raise error(f"{what} {str(path)!r} is not valid YAML: {problem}") from None
