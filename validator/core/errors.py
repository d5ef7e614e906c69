"""Located input errors: what went wrong, in which file, where, and what was expected."""

from __future__ import annotations

from dataclasses import dataclass, field

from validator.core.i18n import DEFAULT_LANG, Message, render


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
    message: str | Message  # a Message is shown in the user's language
    line: int | None = None
    column: int | None = None
    path: tuple[str | int, ...] = ()
    excerpt: str | None = None

    def location(self) -> str:
        return format_location(self.file, self.line, self.column)

    def text(self, lang: str = "en") -> str:
        """The message alone, in ``lang``."""
        return render(self.message, lang)

    def render(self, lang: str = DEFAULT_LANG) -> str:
        """``file:line:column: key.path: message``, then the excerpt with its caret."""
        where = self.location()
        key = format_path(self.path)
        message = self.text(lang)
        text = f"{where}: {key}: {message}" if key else f"{where}: {message}"
        if self.excerpt:
            text += "\n" + self.excerpt
        return text

    def __str__(self) -> str:
        return self.render("en")

    def to_dict(self, lang: str = "en") -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": format_path(self.path),
            "message": self.text(lang),
        }


@dataclass
class InputError(Exception):
    """An input (plan, workbook, RDF or rule file) that cannot be used; exit code 2."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        return self.render("en")

    def render(self, lang: str = DEFAULT_LANG) -> str:
        """Every problem, one after the other, in ``lang``."""
        return "\n".join(p.render(lang) for p in self.problems)

    @classmethod
    def single(cls, file: str, message: str | Message, **kw: object) -> InputError:
        return cls([Problem(file, message, **kw)])  # type: ignore[arg-type]


def caret_excerpt(text: str, line: int, column: int) -> str:
    """The offending line of ``text`` with a caret under ``column`` (both 1-based)."""
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return ""
    src = lines[line - 1].rstrip("\n")
    return f"  {src}\n  {' ' * max(column - 1, 0)}^"
