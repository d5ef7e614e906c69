"""Declarative rule cases: plan fragments with the findings a rule must (not) report.

Each rule ``ID`` may have ``cases/ID.yaml`` beside its rule file::

    rule: CAT-04
    cases:
      - name: objective with input, output and outcome targets
        expect: []            # this rule reports nothing
        plan:                 # a plan/1 fragment: header keys override the case defaults
          objectives: [...]
      - name: objective without an input target
        expect: [O1]          # exactly these entities are reported by this rule
        params: {tolerance: 2}  # optional parameter overrides
        plan: ...

A case about several plans (an annual plan and its five-year parent, a province and its
districts) gives ``plans:``, a list of fragments with distinct plan ids, instead of
``plan:``; its ``expect`` entries are then ``PLAN-ID/ENTITY-ID``.

Only the named rule's findings are compared; the whole rule set runs, so concepts and
imports behave as in a real validation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from validator.core.errors import InputError, Problem
from validator.core.files import read_text
from validator.core.sourcemap import SourceMap
from validator.formats.yaml_json import load_yaml
from validator.pipeline.check import check
from validator.plan.data import plan_from_data
from validator.plan.loaded import LoadedPlan
from validator.rulelang.cache import load_ruleset

CASE_DEFAULTS: dict[str, Any] = {
    "id": "case", "title": "Case", "kind": "five_year_sedp", "level": "province",
    "locality": "Case", "period": [2026, 2030], "baseline_year": 2025,
}


@dataclass
class Case:
    rule: str
    name: str
    expect: list[str]
    plans: list[dict[str, Any]]  # one fragment, or several (``plans:``)
    params: dict[str, Any]
    file: str
    index: int
    source: SourceMap
    several: bool = False  # given as ``plans:``

    @property
    def passing(self) -> bool:
        """A passing case expects no finding; a failing case expects some."""
        return not self.expect


@dataclass
class Outcome:
    rule: str
    name: str
    ok: bool
    expected: list[str] = field(default_factory=list)
    found: list[str] = field(default_factory=list)
    detail: str = ""
    case: Case | None = None  # set by run_cases

    def where(self) -> str:
        """``file:line`` of the case (its ``- name:`` entry)."""
        if self.case is None:
            return ""
        at = self.case.source.locate(("cases", self.case.index))
        return f"{self.case.file}:{at[0]}" if at else self.case.file


def case_file(rule_file: str, rule_id: str) -> Path:
    return Path(rule_file).parent / "cases" / f"{rule_id}.yaml"


def rule_case_file(ruleset: Any, rule: Any) -> Path:
    """The case file of a rule: ``cases/ID.yaml`` of the most derived pack that has one (a
    pack can so replace an inherited rule's cases), else the one beside the rule's file."""
    for pack in reversed(ruleset.packs):
        candidate = pack.folder / "cases" / f"{rule.id}.yaml"
        if candidate.is_file():
            return candidate
    return case_file(rule.file, rule.id)


def read_cases(path: Path) -> list[Case]:
    """Read one case file, refusing a malformed one with located problems."""
    data, source = load_yaml(read_text(path), str(path))
    if not isinstance(data, dict) or not isinstance(data.get("cases"), list) or not isinstance(
            data.get("rule"), str):
        raise InputError([source.problem((), "expected a mapping with 'rule' and a list "
                                         "'cases'")])
    cases = []
    for i, raw in enumerate(data["cases"]):
        where = ("cases", i)
        if not isinstance(raw, dict):
            raise InputError([source.problem(where, "a case is a mapping with name, expect "
                                             "and plan")])
        for key in ("name", "expect"):
            if key not in raw:
                raise InputError([source.problem(where, f"missing required key {key!r}")])
        if ("plan" in raw) == ("plans" in raw):
            raise InputError([source.problem(where, "a case gives either 'plan' (one plan "
                                             "fragment) or 'plans' (a list of them)")])
        if not isinstance(raw["expect"], list):
            raise InputError([source.problem((*where, "expect"), "expected a list of entity "
                                             "ids ([] for a passing case)")])
        fragments = [raw["plan"]] if "plan" in raw else raw["plans"]
        if not isinstance(fragments, list) or not all(isinstance(f, dict) for f in fragments):
            key = "plan" if "plan" in raw else "plans"
            raise InputError([source.problem((*where, key), "expected a plan fragment"
                                             + ("" if key == "plan" else "s in a list"))])
        cases.append(Case(data["rule"], str(raw["name"]), [str(e) for e in raw["expect"]],
                          fragments, dict(raw.get("params") or {}), str(path), i, source,
                          "plans" in raw))
    return cases


def case_plans(case: Case) -> list[Any]:
    """The full plans of a case: defaults, then each fragment's header and objectives."""
    loaded = []
    for number, fragment in enumerate(case.plans):
        header = {**CASE_DEFAULTS, **(fragment.get("plan") or {})}
        data = {"format": "plan/1", "plan": header, "objectives": fragment.get("objectives", [])}
        prefix: tuple[str | int, ...] = (("cases", case.index, "plans", number) if case.several
                                         else ("cases", case.index, "plan"))
        shifted = SourceMap(case.file, case.source.text, {
            path[len(prefix):]: pos for path, pos in case.source.positions.items()
            if path[:len(prefix)] == prefix})
        loaded.append(LoadedPlan(plan_from_data(data, shifted), case.file, shifted))
    return loaded


def run_case(case: Case, rule_paths: tuple[str, ...]) -> Outcome:
    ruleset = load_ruleset(rule_paths, case.params or None)
    if ruleset.rule(case.rule) is None:
        return Outcome(case.rule, case.name, False, detail=f"no rule {case.rule} in the rule set")
    findings = check(case_plans(case), ruleset)
    found = sorted(f"{f.plan}/{f.entity}" if case.several else f.entity
                   for f in findings if f.rule == case.rule)
    expected = sorted(case.expect)
    ok = found == expected
    detail = "" if ok else f"expected findings on {expected or 'nothing'}, got {found or 'none'}"
    return Outcome(case.rule, case.name, ok, expected, found, detail)


def collect_cases(paths: tuple[str, ...] | list[str] = ()) -> list[Case]:
    """Every case of every rule of the rule set at ``paths`` (default: the bundled pack)."""
    ruleset = load_ruleset(tuple(paths))
    cases: list[Case] = []
    problems: list[Problem] = []
    for rule in ruleset.rules:
        path = rule_case_file(ruleset, rule)
        if not path.exists():
            continue
        try:
            found = read_cases(path)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        for case in found:
            if case.rule != rule.id:
                problems.append(case.source.problem(("rule",), f"this file is for {rule.id}, "
                                                    f"not {case.rule}"))
                break
            cases.append(case)
    if problems:
        raise InputError(problems)
    return cases


def run_cases(paths: tuple[str, ...] | list[str] = ()) -> list[Outcome]:
    """Run every case of the rule set; a case whose plan cannot load is a failed case."""
    outcomes = []
    for case in collect_cases(paths):
        try:
            outcome = run_case(case, tuple(paths))
        except InputError as exc:
            outcome = Outcome(case.rule, case.name, False, detail=str(exc))
        outcome.case = case
        outcomes.append(outcome)
    return outcomes
