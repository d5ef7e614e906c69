"""What an editor asks about a rule file, answered without an editor: the diagnostics of the
text being typed (parse, resolve, type and lint, the messages of ``rules check`` and ``rules
lint``), hover texts, completions and definitions. ``plancheck lsp`` (validator/cli/lsp.py)
serves them over the Language Server Protocol.

A document is checked with the pack around it (the nearest folder with ``pack.yaml``, else
the file alone), its unsaved text read instead of the file (``rulelang.files.OVERLAY``).
Positions are 0-based (line, character), as the protocol counts them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from validator.authoring.lint import lint
from validator.core.errors import InputError, Problem
from validator.plan.ontology import SCHEMES, codes
from validator.rulelang.build import build_ruleset
from validator.rulelang.builtins import BUILTINS
from validator.rulelang.files import OVERLAY
from validator.rulelang.packs import PACK_FILE
from validator.rulelang.parser import KEYWORDS
from validator.rulelang.schema import KINDS
from validator.rulelang.types import attribute_type

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_PATH = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*\.?$")


@dataclass(frozen=True)
class Diagnostic:
    line: int  # 0-based
    character: int
    message: str
    severity: str  # "error" | "warning"
    code: str  # "rules" (parse, resolve, type) or a lint code


@dataclass(frozen=True)
class Location:
    path: str
    line: int  # 0-based
    character: int


@dataclass(frozen=True)
class Completion:
    label: str
    kind: str  # "attribute" | "function" | "parameter" | "keyword" | "code" | "variable"
    detail: str = ""


def pack_paths(path: Path) -> list[str]:
    """The rule set a file belongs to: its pack (nearest folder with pack.yaml), else itself."""
    for folder in path.resolve().parents:
        if (folder / PACK_FILE).is_file():
            return [str(folder)]
    return [str(path)]


class Document:
    """One rule file as the editor has it, with the rule set it belongs to (when it loads)."""

    def __init__(self, path: str | Path, text: str) -> None:
        self.path = Path(path)
        self.text = text
        self.lines = text.splitlines() or [""]
        self.ruleset: Any = None
        self.problems: list[Problem] = []

    def check(self, lang: str = "en", with_lint: bool = True) -> list[Diagnostic]:
        """Parse, resolve, type and (when those pass) lint errors of this file."""
        OVERLAY[self.path.resolve()] = self.text
        try:
            try:
                self.ruleset = build_ruleset(pack_paths(self.path))
            except InputError as exc:
                self.ruleset = None
                return [self._diagnostic(p, lang, "error", "rules") for p in exc.problems
                        if self._mine(p.file)]
            if not with_lint:
                return []
            try:
                found = lint(pack_paths(self.path))
            except InputError as exc:
                return [self._diagnostic(p, lang, "error", "rules") for p in exc.problems
                        if self._mine(p.file)]
            return [self._diagnostic(f.problem, lang, "warning", f.code) for f in found
                    if self._mine(f.problem.file)]
        finally:
            OVERLAY.pop(self.path.resolve(), None)

    def _mine(self, file: str) -> bool:
        try:
            return Path(file).resolve() == self.path.resolve()
        except OSError:
            return False

    def _diagnostic(self, problem: Problem, lang: str, severity: str, code: str) -> Diagnostic:
        return Diagnostic(max(0, (problem.line or 1) - 1), max(0, (problem.column or 1) - 1),
                          problem.text(lang), severity, code)

    # --- what is under the cursor -----------------------------------------------------
    def word_at(self, line: int, character: int) -> tuple[str, int, int]:
        """The word at a position (letters, digits, _ and - for rule ids) and its span."""
        text = self.lines[line] if line < len(self.lines) else ""
        for match in _WORD.finditer(text):
            if match.start() <= character <= match.end():
                return match.group(0), match.start(), match.end()
        return "", character, character

    def variables(self, line: int) -> dict[str, str]:
        """Variable -> entity kind, for the declaration around ``line`` (``for each`` and
        quantifiers over relations)."""
        first = line
        while first > 0 and not re.match(r"(rule|concept)\b", self.lines[first]):
            first -= 1
        last = line
        while last + 1 < len(self.lines) and not re.match(r"(rule|concept|parameter|import)\b",
                                                          self.lines[last + 1]):
            last += 1
        text = "\n".join(self.lines[first:last + 1])
        found: dict[str, str] = {}
        for kind, var in re.findall(r"for\s+each\s+([a-z_]+)\s+([a-z_][a-z0-9_]*)", text):
            found[var] = kind
        for _ in range(3):  # quantifiers over paths from variables already known
            for var, path in re.findall(r"\b(?:exists|no|every|for)\s+([a-z_][a-z0-9_]*)\s+in"
                                        r"\s+([a-z_][a-z0-9_.]*)", text):
                kind = self.kind_of(path, found)
                if kind is not None:
                    found.setdefault(var, kind)
        return found

    def kind_of(self, path: str, variables: dict[str, str]) -> str | None:
        """The entity kind a dotted path leads to (a relation's member kind), or None."""
        parts = path.split(".")
        kind = variables.get(parts[0])
        for part in parts[1:]:
            attr = KINDS.get(kind or "", {}).get(part)
            if attr is None or attr.target_kind is None:
                return None
            kind = attr.target_kind
        return kind

    def _path_before(self, line: int, character: int) -> str:
        text = self.lines[line][:character] if line < len(self.lines) else ""
        match = _PATH.search(text)
        return match.group(0) if match else ""

    # --- hover --------------------------------------------------------------------------
    def hover(self, line: int, character: int) -> str | None:
        """Markdown for the word at a position: a built-in's signature and doc, an
        attribute's meaning and type, a parameter's value and where it is set, a concept's
        definition, a rule's title in both languages."""
        word, start, end = self.word_at(line, character)
        if not word:
            return None
        text = self.lines[line]
        before = text[:start]
        if before.endswith("."):
            kind = self.kind_of(self._path_before(line, start).rstrip("."),
                                self.variables(line))
            attr = KINDS.get(kind or "", {}).get(word)
            if attr is not None:
                typed = attribute_type(kind, word, attr.type)  # type: ignore[arg-type]
                return (f"**{kind}.{word}**: `{typed}`\n\n{attr.doc} (ontology term "
                        f"`{attr.term}`)")
            return None
        if word in BUILTINS and text[end:].lstrip().startswith("("):
            fn = BUILTINS[word]
            return f"```\n{fn.types.describe(word)}\n```\n`{fn.signature}`: {fn.doc}"
        ruleset = self.ruleset
        if ruleset is not None:
            if word in ruleset.params:
                param = ruleset.params[word]
                value = ruleset.values.get(word, param.default)
                doc = (f"\n\n{param.doc.get('en')}\n\n{param.doc.get('vi')}" if param.doc
                       else "")
                setters = [pack.file for pack in ruleset.packs if word in pack.params]
                set_by = f" (set in {setters[-1]})" if setters else ""
                return (f"**parameter {word}** = `{value!r}`{set_by}\n\ndeclared at "
                        f"{param.file}:{param.line}, default `{param.default!r}`{doc}")
            if word in ruleset.concepts:
                concept = ruleset.concepts[word]
                title = (f"\n\n{concept.title.get('en')} / {concept.title.get('vi')}"
                         if concept.title else "")
                return (f"**concept {word}** (about a {concept.scope.kind}){title}\n\n"
                        f"```\n{self._source(concept.pos)}\n```")
            rule = ruleset.rule(word)
            if rule is not None:
                return (f"**{rule.id}** ({rule.severity})\n\n- vi: {rule.title.get('vi')}\n"
                        f"- en: {rule.title.get('en')}")
        if word in KINDS:
            return f"**{word}**: attributes {', '.join(KINDS[word])}"
        return None

    def _source(self, pos: Any) -> str:
        """The declaration starting at ``pos``, as written (up to the next one)."""
        try:
            lines = Path(pos.file).read_text(encoding="utf-8").splitlines() if not self._mine(
                pos.file) else self.lines
        except OSError:
            return ""
        out = [lines[pos.line - 1]]
        for text in lines[pos.line:]:
            if re.match(r"(rule|concept|parameter|import)\b", text) or not text.strip():
                break
            out.append(text)
        return "\n".join(out)

    # --- completion ---------------------------------------------------------------------
    def complete(self, line: int, character: int) -> list[Completion]:
        """Attributes after ``x.``, codes of a scheme inside a text compared with a coded
        attribute, else built-ins, parameters, variables and keywords."""
        text = self.lines[line][:character] if line < len(self.lines) else ""
        scheme = _scheme_of_text(text, self, line)
        if scheme is not None:
            return [Completion(code, "code", f"{entry.label_en} / {entry.label_vi}")
                    for code, entry in sorted(codes(scheme).items())]
        path = self._path_before(line, character)
        if "." in path:
            kind = self.kind_of(path.rsplit(".", 1)[0], self.variables(line))
            return [Completion(name, "attribute", f"{attribute_type(kind, name, a.type)}: "
                               f"{a.doc}") for name, a in KINDS.get(kind or "", {}).items()]
        out = [Completion(name, "function", fn.types.describe(name))
               for name, fn in sorted(BUILTINS.items())]
        if self.ruleset is not None:
            out += [Completion(name, "parameter", f"= {self.ruleset.values.get(name)!r}")
                    for name in sorted(self.ruleset.params)]
            out += [Completion(name, "variable", f"concept about a {c.scope.kind}")
                    for name, c in sorted(self.ruleset.concepts.items())]
        out += [Completion(name, "variable", f"a {kind}")
                for name, kind in sorted(self.variables(line).items())]
        out += [Completion(word, "keyword") for word in sorted(KEYWORDS)]
        return out

    # --- definition ---------------------------------------------------------------------
    def definition(self, line: int, character: int) -> Location | None:
        """Where a concept, parameter, ``let`` name or imported file is declared."""
        text = self.lines[line] if line < len(self.lines) else ""
        imported = re.match(r'\s*import\s+"([^"]+)"', text)
        if imported:
            target = (self.path.parent / imported.group(1)).resolve()
            return Location(str(target), 0, 0) if target.is_file() else None
        word, _start, _end = self.word_at(line, character)
        ruleset = self.ruleset
        if ruleset is not None and word in ruleset.params:
            param = ruleset.params[word]
            return Location(param.file, param.line - 1, 0)
        if ruleset is not None and word in ruleset.concepts:
            pos = ruleset.concepts[word].pos
            return Location(pos.file, pos.line - 1, pos.column - 1)
        for number in range(line, -1, -1):
            found = re.match(rf"(\s*)let\s+{re.escape(word)}\s*=", self.lines[number])
            if found:
                return Location(str(self.path), number, len(found.group(1)))
            if re.match(r"(rule|concept)\b", self.lines[number]):
                break
        return None

    def rule_lines(self) -> list[tuple[int, str]]:
        """(0-based line, rule id) of each rule declared in the document (its code lens)."""
        return [(i, m.group(1)) for i, text in enumerate(self.lines)
                if (m := re.match(r"rule\s+([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*)", text))]


_CODED = re.compile(r"([a-z_][a-z0-9_]*)\.([a-z_]+)\s*(?:=|!=|is\s+(?:not\s+)?one\s+of\s*\[[^\]]*)"
                    r'\s*(?:"[^"]*"\s*,\s*)*"[^"]*$')
_SCHEME_CALL = re.compile(r'(?:known|label|canonical)\(\s*"([a-z]+)"\s*,\s*"[^"]*$')


def _scheme_of_text(text: str, doc: Document, line: int) -> str | None:
    """The code scheme of the text being typed: ``t.category = "…``, ``known("agency", "…``."""
    call = _SCHEME_CALL.search(text)
    if call is not None and call.group(1) in SCHEMES:
        return call.group(1)
    coded = _CODED.search(text)
    if coded is None:
        return None
    var, name = coded.groups()
    kind = doc.variables(line).get(var)
    attr = KINDS.get(kind or "", {}).get(name)
    if attr is None:
        return None
    if attr.scheme is not None:
        return attr.scheme
    return "unit" if name in ("unit", "budget_unit") else None
