"""What the reader gathers about objectives, solutions and targets before they become
plan/1 data: values, the cell of each value, and how they were matched across sheets."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from validator.core.sourcemap import KeyPath


@dataclass
class Target:
    id: str | None = None
    name_key: str = ""
    category: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    cells: dict[KeyPath, str] = field(default_factory=dict)
    cell: str = ""
    detail_order: int | None = None
    mention_order: int = 0
    detail_cell: str | None = None


@dataclass
class Solution:
    id: str | None
    name_key: str
    data: dict[str, Any] = field(default_factory=dict)
    cells: dict[KeyPath, str] = field(default_factory=dict)
    cell: str = ""


@dataclass
class Objective:
    id: str | None
    name_key: str
    cell: str
    data: dict[str, Any] = field(default_factory=dict)
    cells: dict[KeyPath, str] = field(default_factory=dict)
    kind_explicit: bool = False
    parent_explicit: bool = False
    inferred_parent: Objective | None = None
    section_set: bool = False
    solutions: list[Solution] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
