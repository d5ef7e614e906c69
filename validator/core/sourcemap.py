"""Source maps: where each key path of a plan file stands, so problems and findings can
point at ``line:column`` (YAML, JSON, rule cases) or a cell (workbooks)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

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


_COLUMN = 32  # a position is stored as one int: line << 32 | column
_COLUMNS = (1 << _COLUMN) - 1


class Positions(MutableMapping[KeyPath, tuple[int, int]]):
    """``(line, column)`` by key path, kept by container: for each mapping or list, its
    keys (or indexes) and their positions packed in one int each.

    A plan of 100,000 targets has about three million positions: as a dict of full key
    paths to ``(line, column)`` tuples they took about 750 MB (a tuple of five or six keys
    and a tuple of two ints for each); by container, each key path is a container's path
    (shared by its keys) and one small int."""

    __slots__ = ("by_container",)

    def __init__(self, items: Mapping[KeyPath, tuple[int, int]] | None = None) -> None:
        self.by_container: dict[KeyPath | None, dict[Any, int]] = {}
        if items:
            self.update(items)

    def container(self, path: KeyPath) -> dict[Any, int]:
        """The packed positions of the keys or items of the container at ``path``, to add
        to (:meth:`pack`); the readers record positions this way, a container at a time."""
        found = self.by_container.get(path)
        if found is None:
            found = self.by_container[path] = {}
        return found

    @staticmethod
    def pack(line: int, column: int) -> int:
        return line << _COLUMN | column

    def __setitem__(self, path: KeyPath, where: tuple[int, int]) -> None:
        path = tuple(path)
        parent, key = (path[:-1], path[-1]) if path else (None, None)
        self.container(parent)[key] = self.pack(*where)  # type: ignore[arg-type]

    def _split(self, path: KeyPath) -> tuple[dict[Any, int] | None, Any]:
        path = tuple(path)
        if not path:
            return self.by_container.get(None), None
        return self.by_container.get(path[:-1]), path[-1]

    def __getitem__(self, path: KeyPath) -> tuple[int, int]:
        places, key = self._split(path)
        if places is None or key not in places:
            raise KeyError(path)
        packed = places[key]
        return packed >> _COLUMN, packed & _COLUMNS

    def __contains__(self, path: object) -> bool:
        if not isinstance(path, tuple):
            return False
        places, key = self._split(path)
        return places is not None and key in places

    def __delitem__(self, path: KeyPath) -> None:
        places, key = self._split(path)
        if places is None or key not in places:
            raise KeyError(path)
        del places[key]

    def __iter__(self) -> Iterator[KeyPath]:
        for parent, places in self.by_container.items():
            for key in places:
                yield () if parent is None else (*parent, key)

    def __len__(self) -> int:
        return sum(len(places) for places in self.by_container.values())

    def clear(self) -> None:
        self.by_container.clear()


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
    positions: MutableMapping[KeyPath, tuple[int, int]] = field(default_factory=Positions)
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
