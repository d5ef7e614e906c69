"""Fuzz the type checker: change the type of one expression in a bundled rule (a number put
in quotes, a text made a number, an attribute swapped for one of another type, a value
wrapped in a list) and load the pack. The change must be refused (a located error, or a
lint note that the condition is now constant) or leave every finding on the example plans
as it was: a type change never silently changes what the rules report."""

from __future__ import annotations

import functools
import re
import shutil
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from validator.core.errors import InputError
from validator.load import load_plan
from validator.pipeline.check import check
from validator.plan.loaded import LoadedPlan
from validator.rulelang import ast
from validator.rulelang.build import build_ruleset
from validator.rulelang.parser import parse_rules
from validator.rulelang.schema import KINDS
from validator.rulelang.variants import walk

from .fuzz_budget import fuzz_settings
from .fuzz_checks import assert_located
from .fuzz_inputs import ROOT

PACK = ROOT / "rules" / "mpi2013"
_TEXTUAL = {"str", "text"}
_TOKEN = re.compile(r'-?[0-9]+(\.[0-9]+)?|"([^"\\\n]|\\.)*"|true|false')


def _offset(text: str, line: int, column: int) -> int:
    lines = text.splitlines(keepends=True)
    return sum(len(x) for x in lines[:line - 1]) + column - 1


@functools.cache
def mutations() -> tuple[tuple[str, int, int, str], ...]:
    """(file name, start, end, replacement) for every type change of the bundled rules."""
    out = []
    for path in sorted(PACK.glob("*.rules")):
        text = path.read_text(encoding="utf-8")
        parsed = parse_rules(text, str(path))
        exprs = [c.expr for d in (*parsed.rules, *parsed.concepts) for c in d.clauses]
        exprs += [r.require for r in parsed.rules]
        for node in (n for e in exprs for n in walk(e)):
            start = _offset(text, node.pos.line, node.pos.column)
            if isinstance(node, ast.Literal):
                token = _TOKEN.match(text, start)
                if token is None:
                    continue
                end, value = token.end(), node.value
                if isinstance(value, bool):
                    out.append((path.name, start, end, "1"))
                elif isinstance(value, int | float):
                    out.append((path.name, start, end, f'"{token.group(0)}"'))
                    out.append((path.name, start, end, "true"))
                else:
                    out.append((path.name, start, end, "7"))
            elif isinstance(node, ast.Attr):
                types = {"text" if attrs[node.name].type.startswith("code:")  # codes are texts
                         else attrs[node.name].type
                         for attrs in KINDS.values() if node.name in attrs}
                if text[start:start + len(node.name)] != node.name:
                    continue
                if not types <= _TEXTUAL:
                    out.append((path.name, start, start + len(node.name), "id"))
                if types <= _TEXTUAL:
                    out.append((path.name, start, start + len(node.name), "period_start"
                                if "plan" in _kinds(node.name) else "participants"))
    return tuple(out)


def _kinds(name: str) -> set[str]:
    return {kind for kind, attrs in KINDS.items() if name in attrs}


@functools.cache
def _plans() -> tuple[LoadedPlan, ...]:
    folder = ROOT / "examples"
    return tuple(load_plan(p) for p in [*sorted(folder.glob("*.yaml")),
                                        *sorted((folder / "flawed").glob("*.yaml"))[:6]])


def _findings(ruleset) -> list[tuple[str, str, str, str]]:
    return sorted((f.rule, f.entity, f.plan, f.message_in("en"))
                  for f in check(list(_plans()), ruleset))


@functools.cache
def _baseline() -> tuple[tuple[str, str, str, str], ...]:
    return tuple(_findings(build_ruleset([str(PACK)])))


def test_there_are_mutations_of_every_kind():
    found = mutations()
    assert len(found) > 300
    assert {m[3] for m in found} >= {"7", "true", "id", "period_start", "participants"}


@fuzz_settings(12)
@given(index=st.integers(min_value=0, max_value=len(mutations()) - 1), wrap=st.booleans())
def test_a_type_change_is_refused_or_changes_nothing(index: int, wrap: bool,
                                                     tmp_path: Path) -> None:
    name, start, end, replacement = mutations()[index]
    pack = tmp_path / "mpi2013"
    shutil.copytree(PACK, pack, dirs_exist_ok=True)
    path = pack / name
    text = path.read_text(encoding="utf-8")
    if wrap and replacement in ("id", "period_start", "participants"):
        # the attribute's whole path made a one-item list: [t.unit]
        begin = start
        while begin > 0 and (text[begin - 1].isalnum() or text[begin - 1] in "._"):
            begin -= 1
        replacement, start = f"[{text[begin:end]}]", begin
    mutated = text[:start] + replacement + text[end:]
    path.write_text(mutated, encoding="utf-8")
    where = f"{name}: {text[start:end]!r} -> {replacement!r}"
    try:
        ruleset = build_ruleset([str(pack)])
    except InputError as exc:
        assert_located(exc, str(path)) if all(p.file == str(path) for p in exc.problems) \
            else None
        return
    if any(note.file == str(path) for note in ruleset.type_notes):
        return  # the lint reports the condition the change made constant
    assert _findings(ruleset) == list(_baseline()), f"a silent change: {where}"
