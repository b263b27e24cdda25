"""Compile each distinct Jinja source once per render."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any


@contextlib.contextmanager
def compile_once() -> Iterator[None]:
    """While rendering, Jinja compiles each distinct template source once.

    copier renders every path part, every computed answer and every `{% yield %}` path through
    `Environment.from_string`, which compiles its source again on every call: about 940 compiles
    for a ten-model project, of only about 240 distinct sources, a third of the time of `asyncrud
    new`. The code Jinja compiles depends only on the environment and the source, so it is reused
    (the rendered project is byte for byte the same; measured 10-15% faster).
    """

    import jinja2

    original: Any = jinja2.Environment.compile
    compiled: dict[tuple[Any, ...], Any] = {}

    def compile(
        self: jinja2.Environment,
        source: Any,
        name: str | None = None,
        filename: str | None = None,
        raw: bool = False,
        defer_init: bool = False,
    ) -> Any:
        if not isinstance(source, str):  # an already parsed template: nothing to share
            return original(self, source, name, filename, raw, defer_init)
        key = (self, source, name, filename, raw, defer_init)
        if key not in compiled:
            compiled[key] = original(self, source, name, filename, raw, defer_init)
        else:
            # Extensions' preprocess hooks still run for every render: copier's `yield` tag resets
            # its per-path state in one.
            self.preprocess(source, name, filename)
        return compiled[key]

    jinja2.Environment.compile = compile  # type: ignore[method-assign]
    try:
        yield
    finally:
        jinja2.Environment.compile = original  # type: ignore[method-assign]
