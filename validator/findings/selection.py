"""Which findings a run reports, and at what severity: ``select``/``ignore`` by rule id, id
prefix or tag, per-path ignores, and severity overrides.

A selector is a rule id (``SMART-M``), an id prefix (``SMART``, ``PH-0``), a tag (``smart``)
or ``ALL``. Selection is decided in layers, the configuration's first and then the command
line's; within a layer the most specific selector wins (an id over a prefix, a longer prefix
over a shorter one, a prefix over a tag, anything over ``ALL``; ignore on a tie). A layer
with a ``select`` decides afresh for every rule; a layer with only ``ignore`` turns rules
off. So ``--select`` on the command line replaces the configuration's selection and
``--ignore`` adds to it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from validator.core.errors import InputError, Problem
from validator.core.findings import Finding
from validator.core.hints import close_matches
from validator.core.i18n import Message, _
from validator.core.sourcemap import KeyPath
from validator.findings.meta import META_RULES

ALL = "ALL"


def specificity(selector: str, rule: str, tags: Iterable[str]) -> int | None:
    """How specifically ``selector`` names a rule (higher is more specific), or None."""
    if selector == rule:
        return 10_000
    if selector == ALL:
        return 0
    if rule.startswith(selector):
        return 10 + len(selector)
    if selector in tags:
        return 5
    return None


def best(selectors: Iterable[str], rule: str, tags: Iterable[str]) -> int | None:
    scores = [s for s in (specificity(sel, rule, tags) for sel in selectors) if s is not None]
    return max(scores, default=None)


MAX_GLOBSTARS = 4  # "**" in one path glob; the matcher's time grows exponentially with them


def glob_problem(pattern: str) -> Message | None:
    """Why a path glob of a waiver or a configuration is refused, or None: ``**/a/``
    repeated ten times took 100 s to match against a deep path."""
    if pattern.count("**") > MAX_GLOBSTARS:
        return _("the glob has {n} '**'; at most {limit} are allowed (matching costs grow "
                 "exponentially with them)", n=pattern.count("**"), limit=MAX_GLOBSTARS)
    return None


def path_matches(pattern: str, file: str, base: Path) -> bool:
    """Whether ``file`` matches the glob ``pattern`` taken relative to ``base`` (``**`` spans
    folders; a pattern without ``/`` matches the file's name in any folder)."""
    from wcmatch import glob as wcglob  # only when a path glob is matched (10 ms to import)

    flags = wcglob.GLOBSTAR | wcglob.MATCHBASE | wcglob.DOTGLOB | wcglob.BRACE
    return wcglob.globmatch(relative_posix(file, base), pattern, flags=flags)


def relative_posix(file: str, base: Path) -> str:
    """``file`` relative to ``base``, with forward slashes (absolute when on another drive)."""
    try:
        rel = os.path.relpath(os.path.abspath(file), os.path.abspath(base))
    except ValueError:
        rel = os.path.abspath(file)
    return Path(rel).as_posix()


@dataclass
class Layer:
    """One source of selection: a configuration file or the command line."""

    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    origin: str = ""  # the configuration file; "" for the command line (its option names it)
    keys: tuple[str, str] = ("--select", "--ignore")  # how to name them in messages
    indexed: bool = False  # name list items as key[i] (configuration lists)
    #: a configuration's problem at a key path, at its line and column in the file
    locate: Callable[[KeyPath, Message], Problem] | None = None


@dataclass
class Selection:
    """Selection layers, per-path ignores and severity overrides."""

    layers: list[Layer] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    severity: dict[str, str] = field(default_factory=dict)
    base: Path = field(default_factory=Path.cwd)  # folder per-file-ignores are relative to
    origin: str = ""  # the configuration file, as Layer.origin
    prefix: str = ""  # "tool.plancheck." when read from pyproject.toml
    locate: Callable[[KeyPath, Message], Problem] | None = None  # as Layer.locate

    def enabled(self, rule: str, tags: Iterable[str] = ()) -> bool:
        """Whether findings of ``rule`` (with ``tags``) are reported anywhere."""
        on = True
        for layer in self.layers:
            ignored = best(layer.ignore, rule, tags)
            if layer.select is not None:
                selected = best(layer.select, rule, tags)
                on = selected is not None and (ignored is None or selected > ignored)
            elif ignored is not None:
                on = False
        return on

    def keeps(self, finding: Finding) -> bool:
        if not self.enabled(finding.rule, finding.tags):
            return False
        for pattern, selectors in self.per_file_ignores.items():
            if (best(selectors, finding.rule, finding.tags) is not None
                    and path_matches(pattern, finding.location.file, self.base)):
                return False
        return True

    def severity_of(self, finding: Finding) -> str:
        scored = [(s, level) for sel, level in self.severity.items()
                  if (s := specificity(sel, finding.rule, finding.tags)) is not None]
        return max(scored, key=lambda pair: pair[0])[1] if scored else finding.severity

    def apply(self, findings: list[Finding]) -> list[Finding]:
        """The findings kept, with overridden severities (order preserved)."""
        out = []
        for finding in findings:
            if self.keeps(finding):
                level = self.severity_of(finding)
                out.append(finding if level == finding.severity
                           else replace(finding, severity=level))
        return out

    def check(self, known_ids: Iterable[str], known_tags: Iterable[str]) -> None:
        """Refuse selectors that name no known rule id, id prefix or tag (exit 2)."""
        ids, tags = sorted(set(known_ids)), sorted(set(known_tags))
        problems: list[Problem] = []

        def verify(selector: str, origin: str, key: str, path: KeyPath,
                   locate: Callable[[KeyPath, Message], Problem] | None) -> None:
            if selector == ALL or selector in tags or any(i.startswith(selector) for i in ids):
                return
            near = close_matches(selector, ids + tags)
            message = (_("{selector} is not a rule id, id prefix or tag of the rule set; did "
                         "you mean {near}?", selector=repr(selector), near=repr(near[0]))
                       if near else
                       _("{selector} is not a rule id, id prefix or tag of the rule set",
                         selector=repr(selector)))
            problems.append(locate(path, message) if locate is not None
                            else Problem(origin, message, place=key) if origin
                            else Problem(key, message))  # --select: ...

        for layer in self.layers:
            for key, selectors in zip(layer.keys, (layer.select or [], layer.ignore),
                                      strict=True):
                name = key.removeprefix(self.prefix) if layer.locate else key
                for i, sel in enumerate(selectors):
                    verify(sel, layer.origin, f"{key}[{i}]" if layer.indexed else key,
                           (name, i), layer.locate)
        for pattern, selectors in self.per_file_ignores.items():
            for i, sel in enumerate(selectors):
                verify(sel, self.origin, f"{self.prefix}per-file-ignores.{pattern!r}[{i}]",
                       ("per-file-ignores", pattern, i), self.locate)
        for sel in self.severity:
            verify(sel, self.origin, f"{self.prefix}severity.{sel}", ("severity", sel),
                   self.locate)
        if problems:
            raise InputError(problems)


def check_rules(selection: Selection, rules: Iterable[Any]) -> None:
    """Refuse selectors that name none of ``rules`` (validator.ruleset.Rule) nor the waiver
    rules."""

    rules = list(rules)
    selection.check([r.id for r in rules] + list(META_RULES),
                    [t for r in rules for t in r.tags] + ["waiver"])


def split_selectors(values: Iterable[str]) -> list[str]:
    """``--select A,B --select C`` as ``[A, B, C]``."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def selection_for(config: Any, select: list[str], ignore: list[str]) -> Selection:
    """The selection of a configuration (validator.config.Config) and command-line flags."""
    origin = str(config.path) if config.path else ""
    locate = config.problem if config.path else None
    layers = []
    if config.select is not None or config.ignore:
        layers.append(Layer(config.select, list(config.ignore), origin,
                            (f"{config.prefix}select", f"{config.prefix}ignore"), True,
                            locate))
    if select or ignore:
        layers.append(Layer(select or None, ignore))
    return Selection(layers, dict(config.per_file_ignores), dict(config.severity),
                     config.path.parent if config.path else Path.cwd(), origin,
                     config.prefix, locate)
