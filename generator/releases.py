"""The templates of released asyncrud versions: the merge bases of `asyncrud upgrade`.

Every project records the asyncrud version that rendered it (`_asyncrud_version` in its answers
file; a project without it was made by 0.1.0). `upgrade` renders the project's answers with the
template of that version, with the installed template, and merges the difference into the user's
files; so the wheel carries the template of every released version, offline:

    releases/<version>/copier.yml      in a checkout; generator/_releases/<version>/ in the wheel
    releases/<version>/template/...    (pyproject.toml's hatch force-include)

A release folder is the template exactly as released (`git archive v<version> copier.yml
template | tar -x -C releases/<version>`), and it is self-contained: copier renders the folder as
a template root, and what renders it must come from the folder, never from the installed asyncrud.
From 0.2.0 on, copier.yml loads Python code through `_jinja_extensions`
(`generator.copier_extension.AsyncrudContext`: the view model, generator.view, and what it imports).
That dotted name would import the installed generator, a newer version whose view renders the old
templates with new values. So the snapshot of such a version also carries that code, and its copier.yml
names it by path, which copier-template-extensions' loader supports:

    releases/0.2.0/copier.yml      _jinja_extensions: [copier_template_extensions.TemplateExtensionLoader,
                                                       extension/copier_extension.py:AsyncrudContext]
    releases/0.2.0/extension/      generator's modules of 0.2.0 that the extension imports, with
                                   `generator.` imports rewritten to the folder's own package name
                                   (`asyncrud_0_2_0`), which copier_extension.py registers in
                                   sys.modules from its folder before importing the rest
    releases/0.2.0/template/

0.1.0 computed its view in Jinja (template/_lib/entities.jinja), so its folder is the archive alone.

The installed version's own template is not in releases/: it is `generator.template.template_root()`.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from packaging.version import InvalidVersion, Version

from generator import __version__
from generator.errors import ProjectError
from generator.template import template_root

# The version of a project whose answers file records none: the first release recorded nothing.
FIRST_VERSION = "0.1.0"

_PACKAGED = Path(__file__).parent / "_releases"
_CHECKOUT = Path(__file__).parent.parent / "releases"


@cache
def released_versions() -> dict[str, Path]:
    """The packaged release templates by version, oldest first."""
    folder = _PACKAGED if _PACKAGED.is_dir() else _CHECKOUT
    found = {p.name: p for p in folder.iterdir() if (p / "copier.yml").is_file()} if folder.is_dir() else {}
    return dict(sorted(found.items(), key=lambda item: Version(item[0])))


def parse_version(text: str) -> Version:
    try:
        return Version(text)
    except InvalidVersion:
        raise ProjectError(f"the answers file records an invalid asyncrud version: {text!r}") from None


def template_of(version: str) -> Path:
    """The template root (copier.yml and template/) that asyncrud `version` rendered projects with."""
    if parse_version(version) == Version(__version__):
        return template_root()
    if parse_version(version) > Version(__version__):
        raise ProjectError(
            f"the project was made by asyncrud {version}, newer than this asyncrud ({__version__}): "
            f"upgrade asyncrud (pip install -U asyncrud)"
        )
    releases = released_versions()
    if version not in releases:
        known = ", ".join(releases) or "none"
        raise ProjectError(
            f"the project was made by asyncrud {version}, whose template this asyncrud ({__version__}) does "
            f"not carry (it carries: {known}); a development version leaves no template to upgrade from"
        )
    return releases[version]
