"""Declarative rule cases: plan fragments with the findings a rule must (not) report, in
``cases/ID.yaml`` beside the rule's file (its format: :class:`CaseFile`).

Only the named rule's findings are compared; the whole rule set runs, so concepts and
imports behave as in a real validation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from pydantic import BeforeValidator, TypeAdapter, ValidationError, model_validator

from validator.core.errors import InputError, Problem
from validator.core.files import read_text
from validator.core.i18n import Message, Shown, _
from validator.core.schemas import StrictModel, Worded, Wording, located_problems, worded
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
    detail: str | Message | Shown = ""  # why it failed, shown in the user's language
    case: Case | None = None  # set by run_cases

    def where(self) -> str:
        """``file:line`` of the case (its ``- name:`` entry)."""
        if self.case is None:
            return ""
        at = self.case.source.locate(("cases", self.case.index))
        return f"{self.case.file}:{at[0]}" if at else self.case.file


@dataclass(frozen=True)
class _LoadError(Shown):
    """A case's plan that cannot load: its problems, in the language they are shown in."""

    error: InputError

    def render(self, lang: str) -> str:
        return self.error.render(lang)

    def __str__(self) -> str:
        return self.render("en")


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


def _scalar_text(value: Any) -> Any:
    """A name or an expected entity as written: ``1`` reads as ``"1"``."""
    return str(value) if isinstance(value, int | float | bool) else value


_Scalar = Annotated[str, BeforeValidator(_scalar_text)]
_Fragment = dict[str, Any]


class CaseEntry(StrictModel):
    """One case (:class:`CaseFile`): ``name``, ``expect`` and either ``plan`` or ``plans``;
    ``params`` is optional, its values typed by the rule set's declarations."""

    name: _Scalar
    expect: Annotated[list[_Scalar], Worded(_("expected a list of entity ids ([] for a "
                                              "passing case)"))]
    plan: Annotated[_Fragment | None, Worded(_("expected a plan fragment"))] = None
    plans: Annotated[list[_Fragment] | None,
                     Worded(_("expected a list of plan fragments"))] = None
    params: Annotated[dict[str, Any] | None, Worded(_("expected a mapping of parameter names "
                                                      "to values"))] = None

    @model_validator(mode="after")
    def _one_way(self) -> CaseEntry:
        if (self.plan is None) == (self.plans is None):
            raise worded(_("a case gives either 'plan' (one plan fragment) or 'plans' (a list "
                           "of them)"))
        return self


class CaseFile(StrictModel):
    """``cases/ID.yaml``, the cases of rule ``ID``::

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
    ``plan:``; its ``expect`` entries are then ``PLAN-ID/ENTITY-ID``. A name or an entity
    written as a number is read as its text. Every problem of the file is reported at once,
    at its line and column (a fragment's own problems when the case runs).
    """

    rule: str
    cases: list[Annotated[CaseEntry, Worded(_("a case is a mapping with name, expect and plan"),
                                            depth=0)]]


_CASE_FILE = TypeAdapter(Annotated[CaseFile, Worded(
    _("expected a mapping with 'rule' and a list 'cases'"), depth=1, keep={"extra_forbidden"})])
_WORDING = Wording.of(CaseFile)


def read_cases(path: Path) -> list[Case]:
    """Read one case file, refusing a malformed one with every problem located."""
    data, source = load_yaml(read_text(path), str(path))
    try:
        read = _CASE_FILE.validate_python(data)
    except ValidationError as exc:
        raise InputError(located_problems(exc, _WORDING, source)) from None
    return [Case(read.rule, case.name, case.expect,
                 [case.plan] if case.plan is not None else case.plans or [],
                 dict(case.params or {}), str(path), i, source, case.plans is not None)
            for i, case in enumerate(read.cases)]


def case_plans(case: Case) -> list[Any]:
    """The full plans of a case: defaults, then each fragment's header and objectives."""
    loaded = []
    for number, fragment in enumerate(case.plans):
        header = {**CASE_DEFAULTS, **(fragment.get("plan") or {})}
        data = {"format": "plan/1", "plan": header, "objectives": fragment.get("objectives", []),
                # plan-level solutions (task groups), when the fragment gives them
                **({"solutions": fragment["solutions"]} if "solutions" in fragment else {})}
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
        return Outcome(case.rule, case.name, False,
                       detail=_("no rule {rule} in the rule set", rule=case.rule))
    findings = check(case_plans(case), ruleset)
    found = sorted(f"{f.plan}/{f.entity}" if case.several else f.entity
                   for f in findings if f.rule == case.rule)
    expected = sorted(case.expect)
    ok = found == expected
    detail = "" if ok else _("expected findings on {expected}, got {found}",
                             expected=", ".join(expected) or _("nothing"),
                             found=", ".join(found) or _("none"))
    return Outcome(case.rule, case.name, ok, expected, found, detail)


def collect_cases(paths: tuple[str, ...] | list[str] = (),
                  only: set[str] | None = None) -> list[Case]:
    """Every case of every rule of the rule set at ``paths`` (default: the bundled pack), or
    of the rules ``only`` names."""
    ruleset = load_ruleset(tuple(paths))
    cases: list[Case] = []
    problems: list[Problem] = []
    for rule in ruleset.rules:
        if only is not None and rule.id not in only:
            continue
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
                problems.append(case.source.problem(("rule",), _(
                    "this file is for {rule}, not {other}", rule=rule.id, other=case.rule)))
                break
            cases.append(case)
    if problems:
        raise InputError(problems)
    return cases


def run_cases(paths: tuple[str, ...] | list[str] = (),
              only: set[str] | None = None) -> list[Outcome]:
    """Run every case of the rule set (or of the rules ``only`` names); a case whose plan
    cannot load is a failed case."""
    outcomes = []
    for case in collect_cases(paths, only):
        try:
            outcome = run_case(case, tuple(paths))
        except InputError as exc:
            outcome = Outcome(case.rule, case.name, False, detail=_LoadError(exc))
        outcome.case = case
        outcomes.append(outcome)
    return outcomes
