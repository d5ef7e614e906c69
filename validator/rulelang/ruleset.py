"""A rule set: its rules with their metadata, parameters, concepts and packs, resolved and
compiled into variants (:mod:`validator.rulelang.build` makes one)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from validator.rulelang import ast
from validator.rulelang.variants import Variant

DEFAULT_PACK = "mpi2013"


@dataclass
class Param:
    name: str
    default: Any
    doc: ast.Texts | None
    file: str
    line: int


@dataclass
class Rule:
    """A rule's metadata and declaration."""

    id: str
    decl: ast.RuleDecl
    file: str
    pack: str = ""  # the pack whose files declare it ("" for plain rule files)
    severity_override: str | None = None  # set by a pack's ``severity:``
    shadows: Rule | None = None  # the inherited rule of the same id it replaces

    @property
    def severity(self) -> str:
        return self.severity_override or self.decl.severity or "warning"

    @property
    def title(self) -> ast.Texts:
        return self.decl.title  # type: ignore[return-value]

    @property
    def message(self) -> ast.Texts:
        return self.decl.message

    @property
    def tags(self) -> tuple[str, ...]:
        return self.decl.tags

    @property
    def source(self) -> str:
        return self.decl.source or ""

    @property
    def kind(self) -> str:
        return self.decl.scope.kind

    def summary(self) -> dict[str, Any]:
        return {
            "id": self.id, "severity": self.severity, "title": self.title.as_dict(),
            "source": self.source, "tags": list(self.tags), "entity": self.kind,
            "rationale": self.decl.rationale.as_dict() if self.decl.rationale else {},
            "file": self.file, "line": self.decl.pos.line, "text": self.decl.text,
            "pack": self.pack,
        }


@dataclass(eq=False)
class RuleSet:
    """Resolved and compiled rules, ready to run."""

    files: list[str]
    params: dict[str, Param]
    concepts: dict[str, ast.ConceptDecl]
    rules: list[Rule]
    values: dict[str, Any] = field(default_factory=dict)  # effective parameter values
    variants: list[Variant] = field(default_factory=list)
    concept_sets: dict[str, set[int]] = field(default_factory=dict)
    packs: list[Any] = field(default_factory=list)  # validator.packs.Pack, ancestors first
    layers: list[Any] = field(default_factory=list)  # validator.packs.Layer
    disabled: list[Rule] = field(default_factory=list)  # rules a pack's ``disable:`` removed
    # conditions whose truth the types decide (validator.core.errors.Problem), for the lint
    type_notes: list[Any] = field(default_factory=list)
    # the rules' regular expressions, each where first used (matching.PATTERN_SITES)
    patterns: dict[str, Any] = field(default_factory=dict)

    def rule(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)
