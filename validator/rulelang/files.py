"""Rule files read and parsed, with their imports, each file once."""

from __future__ import annotations

from pathlib import Path

from validator.core.errors import InputError, Problem, caret_excerpt
from validator.core.files import read_text
from validator.core.i18n import _
from validator.rulelang import ast

MAX_RULE_FILE_BYTES = 1024 * 1024  # the bundled pack's largest file is about 35 KB


#: resolved path -> text of an editor's unsaved buffer, read instead of the file on disk
#: (``plancheck lsp`` checks what the author is typing, with the pack around it)
OVERLAY: dict[Path, str] = {}


def _read(path: Path) -> str:
    found = OVERLAY.get(path.resolve()) if OVERLAY else None
    return found if found is not None else read_text(path, MAX_RULE_FILE_BYTES, _("rule files"))


MAX_EXPR_DEPTH = 100  # expressions inside expressions; every later stage recurses on them


def too_deep(rule_file: ast.RuleFile) -> ast.Pos | None:
    """Where an expression of ``rule_file`` nests deeper than :data:`MAX_EXPR_DEPTH` (300
    ``not``, unary minus signs or terms of a sum would exhaust Python's recursion in the
    resolver, the evaluator and the generated code), found without recursing."""
    stack: list[tuple[object, int]] = [(rule_file, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, tuple | list):
            stack.extend((item, depth) for item in node)
            continue
        if not hasattr(node, "__dataclass_fields__"):
            continue
        if isinstance(node, ast.Expr):
            depth += 1
            if depth > MAX_EXPR_DEPTH:
                return node.pos
        stack.extend((value, depth) for value in vars(node).values())
    return None


def _inside(path: Path, roots: list[Path]) -> bool:
    return any(path == root or root in path.parents for root in roots)


def parse_files(paths: list[Path], roots: list[Path] | None = None
                ) -> tuple[list[ast.RuleFile], dict[str, str]]:
    """Parse files and, transitively, their imports (each file once). An import must stay
    inside ``roots`` (the pack folders and the folders given; by default the folders of
    ``paths``), however it is written (``../``, an absolute path, a symlink)."""
    roots = [r.resolve() for r in (roots if roots is not None else [p.parent for p in paths])]
    parsed: list[ast.RuleFile] = []
    texts: dict[str, str] = {}
    seen: set[Path] = set()
    queue = [(p, None) for p in paths]
    problems: list[Problem] = []
    while queue:
        path, importer = queue.pop(0)
        resolved = path.resolve()
        if resolved in seen:
            continue
        seen.add(resolved)
        if importer is not None and not _inside(resolved, roots):
            file, pos = importer
            problems.append(Problem(file, _(
                "the import {path} reaches outside the pack and the folders given on the "
                "command line", path=repr(str(path))), line=pos.line, column=pos.column,
                excerpt=caret_excerpt(texts[file], pos.line, pos.column)))
            continue
        if importer is not None and not path.is_file() and resolved not in OVERLAY:
            file, pos = importer
            problems.append(Problem(file, _("imported file {path} does not exist or is not a "
                                            "file", path=repr(str(path))),
                                    line=pos.line, column=pos.column,
                                    excerpt=caret_excerpt(texts[file], pos.line, pos.column)))
            continue
        text = _read(path)
        texts[str(path)] = text
        try:
            rule_file = _parse_cached(text, str(path))
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        except RecursionError:  # thousands of levels: too deep for the parser's own tree
            problems.append(Problem(str(path), _(
                "an expression nests deeper than {limit} levels (operators inside "
                "operators); split it with let", limit=MAX_EXPR_DEPTH)))
            continue
        deep = too_deep(rule_file)
        if deep is not None:
            problems.append(Problem(deep.file, _(
                "the expression nests deeper than {limit} levels (operators inside operators); "
                "split it with let", limit=MAX_EXPR_DEPTH), line=deep.line, column=deep.column,
                excerpt=caret_excerpt(text, deep.line, deep.column) or None))
            continue
        parsed.append(rule_file)
        for imp in rule_file.imports:
            queue.append((path.parent / imp.path, (str(path), imp.pos)))
    if problems:
        raise InputError(problems)
    return parsed, texts


_PARSED: dict[tuple[str, str], ast.RuleFile] = {}


def _parse_cached(text: str, file: str) -> ast.RuleFile:
    """Parse a rule file, reusing the AST of the same file and text (ASTs are immutable)."""
    found = _PARSED.get((file, text))
    if found is None:
        from validator.rulelang.parser import parse_rules  # lark: only when a file is parsed


        if len(_PARSED) >= 256:
            _PARSED.pop(next(iter(_PARSED)))
        found = _PARSED[(file, text)] = parse_rules(text, file)
    return found
