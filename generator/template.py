"""Where the copier template lives: in the installed wheel, or at the root of a checkout."""

from __future__ import annotations

from pathlib import Path

from generator.errors import RenderError

# An installed wheel carries copier.yml and template/ here; a checkout has them at its root.
_PACKAGED = Path(__file__).parent / "_template"
_CHECKOUT = Path(__file__).parent.parent


def template_root() -> Path:
    for root in (_PACKAGED, _CHECKOUT):
        if (root / "copier.yml").is_file() and (root / "template").is_dir():
            return root
    raise RenderError("the asyncrud template (copier.yml and template/) is missing from the installation")
