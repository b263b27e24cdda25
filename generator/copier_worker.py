"""copier's Worker without the work that cannot change what a render into a fresh folder writes.

`render` always renders into a folder it has just created. For the ten-model project of
benchmarks/speed.py copier's own Worker spent over 40% of the CPU of `asyncrud new` on
- a `git config` subprocess per written file (117), to keep the executable bit of files the
  destination's git index tracks: no file of a folder made a moment ago is tracked;
- compiling each part of each path as a Jinja template, again for every file and model (807
  compiles of 110 strings; 603 of plain text such as `models.py`, 334 of them the answers file's
  name): text without Jinja syntax renders as itself, and a string is compiled once;
- three git processes (one a `git init` in a temporary folder) asking whether the template folder
  is a repository's root or a bundle: a folder without `.git` is neither.
copier has no public switch for any of these, so this subclass of its Worker (`copier._main`,
internal to copier; `run_copy` is a thin wrapper of it) overrides the methods concerned. The output
is unchanged: `copier copy` of the template, which runs copier's own Worker, writes the same files.

copier's `yield` tag keeps state in the environment: compiling resets it (in the extension's
`preprocess`), rendering sets it, and copier reads it after rendering each path part. A cached
template therefore still runs `preprocess` before it renders (caching `Environment.compile` alone
broke the tag: the second render of a yield part found the state of the first).
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any

from copier._main import Worker
from copier._template import Template
from copier._types import VCSTypes
from jinja2 import Template as JinjaTemplate
from jinja2.ext import Extension


class _TemplateFolder(Template):
    @cached_property
    def vcs(self) -> VCSTypes | None:
        # A checkout (an editable install) is still a git template: its answers record the commit.
        return super().vcs if (Path(self.url) / ".git").exists() else None


class FreshFolderWorker(Worker):
    @cached_property
    def template(self) -> Template:
        """copier's, less the git probes of a plain folder: `render` passes a folder, no git ref."""
        template = _TemplateFolder(url=str(self.src_path))
        self._cleanup_hooks.append(template._cleanup)  # removes copier's clone of a git template
        return template

    def _sync_git_index_executable_bit(self, dst_relpath: Path, src_mode: int) -> None:
        """Nothing to do: copier only updates the index entry of a file git already tracks."""

    def _render_string(self, string: str, extra_context: dict[str, Any] | None = None) -> str:
        plain = self._as_plain_text(string)
        if plain is not None:
            return plain
        if not isinstance(string, str):  # copier renders answers of any type: it handles the error
            return super()._render_string(string, extra_context)
        template = self._compiled.get(string)
        if template is None:
            template = self._compiled[string] = self.jinja_env.from_string(string)
        else:
            self.jinja_env.preprocess(string)  # what compiling it again would do: see the module's doc
        return template.render(**self._render_context(), **(extra_context or {}))

    @property
    def answers_relpath(self) -> Path:
        path = str(self.answers_file or self.template.answers_relpath)
        plain = self._as_plain_text(path)
        return super().answers_relpath if plain is None else Path(plain)

    def _as_plain_text(self, source: object) -> str | None:
        """What `source` renders as, if it is text without Jinja syntax; None if it must be rendered.

        It still runs the extensions' `preprocess`, as compiling it would (see the module's doc):
        a plain path part after a `{% yield %}` one would otherwise repeat the yield.
        """
        if not isinstance(source, str) or not self._plain_text_is_literal or not _is_literal(source, self):
            return None
        preprocessed = self.jinja_env.preprocess(source)
        return preprocessed if _is_literal(preprocessed, self) else None

    @cached_property
    def _compiled(self) -> dict[str, JinjaTemplate]:
        """The templates of the strings rendered so far, by their text: a path part such as
        `{{package}}` or `{% yield entity from entities %}...` is rendered once per file, and per model."""
        return {}

    @cached_property
    def _plain_text_is_literal(self) -> bool:
        """Whether this environment renders text without delimiters as itself: no line statements
        or comments (which need no delimiter), no extension that rewrites the token stream."""
        env = self.jinja_env
        return (
            not env.line_statement_prefix
            and not env.line_comment_prefix
            and all(type(ext).filter_stream is Extension.filter_stream for ext in env.iter_extensions())
        )


def _is_literal(text: str, worker: Worker) -> bool:
    env = worker.jinja_env
    # Jinja rewrites newlines (newline_sequence, keep_trailing_newline): a path part has none.
    marks = (env.block_start_string, env.variable_start_string, env.comment_start_string, "\n", "\r")
    return not any(mark in text for mark in marks)
