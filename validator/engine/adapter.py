"""The one module that imports experta, and what plancheck changes in it.

- experta 1.9.4 pins frozendict 1.2, which subclasses ``collections.Mapping`` (gone since
  Python 3.10): the alias is defined only while experta is imported, then removed.
- ``import experta`` calls ``logging.basicConfig()``; the root handlers it adds are removed
  so the user's logging is left as it was.
- experta's ``DepthStrategy`` can leave an invalidated activation on the agenda when several
  share a sort key (engine-notes); :class:`SafeStrategy` removes every equal activation.
- Each kind of fact has its own fact class (:func:`fact_type`): experta tests a fact's class
  first, so a target never walks the field tests of objective or solution patterns, and
  the network's root hands a fact only to the branches of its class (:class:`ClassRouting`).
"""

from __future__ import annotations

import bisect
import collections
import collections.abc
import inspect
import logging
from collections.abc import Callable, Iterable
from typing import Any


def _import_experta() -> Any:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    added_alias = not hasattr(collections, "Mapping")
    if added_alias:
        collections.Mapping = collections.abc.Mapping  # type: ignore[attr-defined]
    try:
        import experta
        import experta.strategies  # noqa: F401
    finally:
        if added_alias:
            del collections.Mapping  # type: ignore[attr-defined]
        for handler in list(root.handlers):
            if handler not in handlers:
                root.removeHandler(handler)
        root.setLevel(level)
    return experta


experta = _import_experta()
from experta import AS, EXISTS, MATCH, NOT, TEST, Fact, KnowledgeEngine, P, Rule  # noqa: E402, F401
from experta.abstract import Strategy  # noqa: E402
from experta.matchers import ReteMatcher  # noqa: E402
from experta.matchers.rete.nodes import BusNode  # noqa: E402
from experta.matchers.rete.token import Token  # noqa: E402
from experta.utils import unfreeze  # noqa: E402, F401

_FACT_TYPES: dict[str, type] = {}


def fact_type(kind: str) -> type:
    """The experta fact class of one kind of fact (an entity kind, ``concept``, ``summary``).

    experta routes a fact first by its class (its network tests ``type(fact)`` before any
    field), so a fact of one kind never walks the field tests of the others' patterns."""
    found = _FACT_TYPES.get(kind)
    if found is None:
        found = _FACT_TYPES[kind] = type(f"{kind.title()}Fact", (Fact,), {})
    return found


class _ClassBus(BusNode):
    """experta's bus node (the root of its network), handing a fact only to the branches
    that test the fact's class. experta's own hands every fact to every branch, and each
    copies the token before finding that the fact is of another class."""

    def __init__(self) -> None:
        super().__init__()
        self.routes: dict[type, list[Callable[[Any], None]]] = {}

    def add(self, fact: Any) -> None:
        self._send(fact, Token.valid(fact))

    def remove(self, fact: Any) -> None:
        self._send(fact, Token.invalid(fact))

    def _send(self, fact: Any, token: Any) -> None:
        found = self.routes.get(type(fact))
        if found is None:  # the network is built: its branches no longer change
            found = self.routes[type(fact)] = [
                child.callback for child in self.children
                if getattr(child.node.matcher, "fact_type", type(fact)) is type(fact)]
        for callback in found:
            callback(token)


class ClassRouting(ReteMatcher):
    """experta's Rete matcher with :class:`_ClassBus` for a root (every pattern of the
    network starts with a test of its fact's class)."""

    def __init__(self, engine: Any) -> None:
        super().__init__(engine)
        bus = _ClassBus()
        bus.children = self.root_node.children
        self.root_node = bus


class SafeStrategy(Strategy):
    """Depth-first agenda like experta's, but removal scans every activation of equal key."""

    @staticmethod
    def key(activation: Any) -> tuple[Any, ...]:
        facts = sorted((f["__factid__"] for f in activation.facts), reverse=True)
        return (activation.rule.salience, facts)

    def _update_agenda(self, agenda: Any, added: Iterable[Any], removed: Iterable[Any]) -> None:
        acts = agenda.activations
        for act in removed:
            act.key = self.key(act)
            lo, hi = bisect.bisect_left(acts, act), bisect.bisect_right(acts, act)
            acts[lo:hi] = [a for a in acts[lo:hi] if a != act]
        for act in added:
            act.key = self.key(act)
            bisect.insort(acts, act)


class Test:
    """A TEST callable whose signature names the context variables it reads."""

    def __init__(self, fn: Callable[..., bool], names: list[str]) -> None:
        self.fn = fn
        self.__signature__ = inspect.Signature(
            [inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY) for n in names])

    def __call__(self, **kwargs: Any) -> bool:
        return bool(self.fn(**kwargs))
