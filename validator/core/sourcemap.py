"""Source maps: where each key path of a plan file stands, so problems and findings can
point at ``line:column`` (YAML, JSON, rule cases) or a cell (workbooks)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from validator.core.errors import Problem, caret_excerpt
from validator.core.i18n import Message

KeyPath = tuple[str | int, ...]
T = TypeVar("T")


def nearest(places: Mapping[KeyPath, T], path: KeyPath) -> T | None:
    """What ``places`` holds for ``path``, or for its nearest ancestor that is there."""
    path = tuple(path)
    while path not in places:
        if not path:
            return None
        path = path[:-1]
    return places[path]


class Locator(Protocol):
    """What a loaded plan's source can say about a key path (a text file's lines and
    columns, or a workbook's cells)."""

    file: str

    def locate(self, path: KeyPath) -> tuple[int, int] | None: ...

    def cell(self, path: KeyPath) -> str | None: ...

    def problem(self, path: KeyPath, message: str | Message) -> Problem: ...


@dataclass
class SourceMap:
    """Positions of the keys and items of one file, by key path (1-based line and column)."""

    file: str
    text: str
    positions: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    #: fills ``positions`` when a position is first asked for (JSON: a plan that nothing
    #: points into is parsed once); a module-level function, so the map still pickles
    fill: Callable[[SourceMap], None] | None = field(default=None, repr=False, compare=False)

    def locate(self, path: KeyPath) -> tuple[int, int] | None:
        """The position of ``path``, or of its nearest ancestor that has one."""
        if self.fill is not None:
            fill, self.fill = self.fill, None
            fill(self)
        return nearest(self.positions, path)

    def cell(self, path: KeyPath) -> str | None:
        return None  # text files have lines, not cells

    def problem(self, path: KeyPath, message: str | Message) -> Problem:
        where = self.locate(path)
        if where is None:
            return Problem(self.file, message, path=tuple(path))
        line, column = where
        return Problem(self.file, message, line=line, column=column, path=tuple(path),
                       excerpt=caret_excerpt(self.text, line, column) or None)
