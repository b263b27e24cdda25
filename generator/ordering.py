"""Models in an order where every `ref` points backwards: the order of the answers file, which the
initial migration creates the tables in. For specs (`check_model_set`) and reflected tables alike."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol, TypeVar


class Referring(Protocol):
    """A model as ordering sees it (generator.spec.ModelSpec): its name and the names it refers to."""

    @property
    def name(self) -> str: ...

    @property
    def refs(self) -> tuple[str, ...]: ...


M = TypeVar("M", bound=Referring)


def refs_first(models: Sequence[M], placed: Iterable[str] = ()) -> tuple[list[M], list[M]]:
    """The models that can be ordered, each after the models it refers to, and those that cannot.

    `placed` are names of models that come before all of these. A model may refer to itself. The
    models that cannot be ordered are those in a ref() cycle and those referring to one, in their
    given order. Models become ready in rounds, each round in the given order, so ordering an
    ordered sequence again changes nothing.
    """
    done = set(placed)
    ordered: list[M] = []
    pending = list(models)
    while pending:
        ready = [m for m in pending if all(ref in done or ref == m.name for ref in m.refs)]
        if not ready:
            break
        ordered += ready
        done.update(model.name for model in ready)
        pending = [model for model in pending if not any(model is r for r in ready)]
    return ordered, pending
