"""Located input errors: what went wrong, in which file, where, and what was expected."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from validator.core.i18n import DEFAULT_LANG, Message, render
from validator.core.text import printable


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
    # the path as a reader names it (a text, a message or a tuple of them), shown instead
    place: str | Message | tuple[Message, ...] | None = None

    def location(self) -> str:
        return format_location(self.file, self.line, self.column)

    def text(self, lang: str = "en") -> str:
        """The message alone, in ``lang``."""
        return render(self.message, lang)

    def render(self, lang: str = DEFAULT_LANG) -> str:
        """``file:line:column: key.path: message``, then the excerpt with its caret."""
        where = self.location()
        key = render(self.place, lang) if self.place else format_path(self.path)
        message = self.text(lang)
        text = f"{where}: {key}: {message}" if key else f"{where}: {message}"
        if self.excerpt:
            text += "\n" + self.excerpt
        return printable(text)  # a file's text may hold terminal escapes

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
        # the problems, not their text: rendering 40,000 problems on every (re)raise cost
        # seconds, and the exception pickles back as itself
        super().__init__(self.problems)

    def __str__(self) -> str:
        return self.render("en")

    def render(self, lang: str = DEFAULT_LANG) -> str:
        """Every problem, one after the other, in ``lang``."""
        return "\n".join(p.render(lang) for p in self.problems)

    @classmethod
    def single(cls, file: str, message: str | Message, **kw: object) -> InputError:
        return cls([Problem(file, message, **kw)])  # type: ignore[arg-type]


EXCERPT_SIDE = 80  # characters shown each side of the caret on a long line
# the line breaks of str.splitlines
_BREAK = re.compile("\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


@functools.lru_cache(maxsize=16)
def line_index(text: str) -> tuple[list[int], list[int]]:
    """Where each line of ``text`` starts and ends (its break excluded), built once per text:
    a file with many problems costs one pass for all their excerpts, not one each (a str
    keeps its hash, so finding the text again here is cheap)."""
    starts, ends = [0], []
    for found in _BREAK.finditer(text):
        ends.append(found.start())
        starts.append(found.end())
    ends.append(len(text))
    if starts[-1] == len(text) and len(starts) > 1:  # a final break ends the last line
        starts.pop()
        ends.pop()
    return starts, ends


def caret_excerpt(text: str, line: int, column: int) -> str:
    """The offending line of ``text`` with a caret under ``column`` (both 1-based); control
    characters in it are shown escaped (the caret stays under its character)."""
    if not text:
        return ""
    starts, ends = line_index(text)
    if not 1 <= line <= len(starts):
        return ""
    start, end = starts[line - 1], ends[line - 1]
    at = min(start + max(column - 1, 0), end)
    before, after = "", ""
    if end - start > 2 * EXCERPT_SIDE:  # a long line (minified JSON): the part around the caret
        if at - start > EXCERPT_SIDE:
            start, before = at - EXCERPT_SIDE, "…"
        if end - at > EXCERPT_SIDE:
            end, after = at + EXCERPT_SIDE, "…"
    width = len(before) + len(printable(text[start:at]))
    return f"  {before}{printable(text[start:end])}{after}\n  {' ' * width}^"
