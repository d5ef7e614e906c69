"""Located input errors: what went wrong, in which file, where, and what was expected."""

from __future__ import annotations

from dataclasses import dataclass, field


def format_path(path: tuple[str | int, ...]) -> str:
    """Render a key path like ``objectives[1].targets[0].unit``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def format_location(file: str, line: int | None, column: int | None) -> str:
    """``file``, ``file:line`` or ``file:line:column``."""
    if line is None:
        return file
    return f"{file}:{line}" if column is None else f"{file}:{line}:{column}"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file."""

    file: str
    message: str
    line: int | None = None
    column: int | None = None
    path: tuple[str | int, ...] = ()
    excerpt: str | None = None

    def location(self) -> str:
        return format_location(self.file, self.line, self.column)

    def __str__(self) -> str:
        where = self.location()
        key = format_path(self.path)
        text = f"{where}: {key}: {self.message}" if key else f"{where}: {self.message}"
        if self.excerpt:
            text += "\n" + self.excerpt
        return text

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": format_path(self.path),
            "message": self.message,
        }


@dataclass
class InputError(Exception):
    """An input (plan, workbook, RDF or rule file) that cannot be used; exit code 2."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    @classmethod
    def single(cls, file: str, message: str, **kw: object) -> InputError:
        return cls([Problem(file, message, **kw)])  # type: ignore[arg-type]


def caret_excerpt(text: str, line: int, column: int) -> str:
    """The offending line of ``text`` with a caret under ``column`` (both 1-based)."""
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return ""
    src = lines[line - 1].rstrip("\n")
    return f"  {src}\n  {' ' * max(column - 1, 0)}^"
