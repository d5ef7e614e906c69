"""Plans as entity views and engine facts.

A view is a plan entity (plan, objective, solution, target, consultation) with the
attributes and relations of :mod:`validator.rulelang.schema`, navigable in both directions.
The rule engine declares one fact per view carrying its kind, id and the ids of its owners,
which is all its patterns join on; conditions read the view itself.

Facts are built from the validated model using the lift's vocabulary rather than by walking
the rdflib graph: rdflib costs about 30 µs per triple, so a 10,000-target plan (about
300,000 triples) would take ~10 s to lift before any rule ran (see README, Performance).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from validator.core.collector import paused_gc
from validator.core.sourcemap import KeyPath
from validator.plan.loaded import LoadedPlan
from validator.plan.model import Objective, Plan, Solution, Target


class View:
    """Base of entity views: ``kind``-independent plumbing."""

    KIND = ""
    id: str
    path: KeyPath
    source: LoadedPlan

    def get(self, name: str) -> Any:
        return getattr(self, name, None)

    def locate(self) -> tuple[int, int] | None:
        return self.source.locate(self.path)

    def key(self) -> tuple[str, str, str, str]:
        """The entity's identity: file, plan id, kind, id. The plan id tells apart entities
        of two plans read from one file (a rule case's ``plans:`` fragments) that share ids."""
        plan = self.id if self.KIND == "plan" else self.plan.id  # type: ignore[attr-defined]
        return (self.source.file, plan, self.KIND, self.id)

    def __repr__(self) -> str:
        return f"<{self.KIND} {self.id}>"


class PlanView(View):
    KIND = "plan"

    def __init__(self, loaded: LoadedPlan) -> None:
        h = loaded.plan.plan
        self.source, self.path, self.model = loaded, ("plan",), h
        self.id, self.title, self.kind, self.level = h.id, h.title, h.kind, h.level
        self.locality, self.sector = h.locality, h.sector
        self.period_start, self.period_end = h.period
        self.years = list(range(h.period[0], h.period[1] + 1))
        self.baseline_year, self.parent_id = h.baseline_year, h.parent
        self.excerpt = bool(h.excerpt)
        self.parent: PlanView | None = None  # resolved across loaded plans (linking.py)
        self.children: list[PlanView] = []
        self.submitted_by = h.submitted.by if h.submitted else None
        self.submitted_on = h.submitted.on if h.submitted else None
        self.objectives: list[ObjectiveView] = []
        self.solutions: list[SolutionView] = []
        self.targets: list[TargetView] = []
        self.consultations = [ConsultationView(self, i, c.with_, c.on, c.participants)
                              for i, c in enumerate(h.consultations)]
        self.document = h.document
        self.adopted_act = h.adopted.act if h.adopted else None
        self.adopted_on = h.adopted.on if h.adopted else None
        self.adopted_by = h.adopted.body if h.adopted else None
        self.not_encoded = list(h.not_encoded)


class ConsultationView(View):
    KIND = "consultation"

    def __init__(self, plan: PlanView, index: int, with_: str, on: Any, participants: Any):
        self.source, self.path, self.plan = plan.source, ("plan", "consultations", index), plan
        self.id = f"consultation-{index + 1}"
        setattr(self, "with", with_)
        self.on, self.participants = on, participants


class ObjectiveView(View):
    KIND = "objective"

    def __init__(self, plan: PlanView, index: int, o: Objective) -> None:
        self.source, self.path, self.model, self.plan = plan.source, ("objectives", index), o, plan
        self.id, self.kind, self.title = o.id, o.kind, o.title
        self.field, self.sector = o.field, o.sector
        self.parent: ObjectiveView | None = None
        self.children: list[ObjectiveView] = []
        self.solutions: list[SolutionView] = []
        # plan-level solutions (task groups) that serve this objective among others
        self.shared_solutions: list[SolutionView] = []
        self.targets: list[TargetView] = []


class SolutionView(View):
    KIND = "solution"

    def __init__(self, objective: ObjectiveView | None, index: int, s: Solution,
                 plan: PlanView | None = None) -> None:
        """A solution of ``objective``, or (``objective`` None) a plan-level one of ``plan``."""
        owner = plan if objective is None else objective.plan
        assert owner is not None
        self.source, self.model, self.plan = owner.source, s, owner
        self.path = ((*objective.path, "solutions", index) if objective is not None
                     else ("solutions", index))
        self.objective = objective
        self.serves: list[ObjectiveView] = [] if objective is None else [objective]
        self.shared = objective is None
        self.id, self.title = s.id, s.title
        self.budget = s.budget.value if s.budget else None
        self.budget_unit = s.budget.unit if s.budget else None
        self.targets: list[TargetView] = []


class TargetView(View):
    KIND = "target"

    def __init__(self, objective: ObjectiveView, index: int, t: Target) -> None:
        self.source, self.model = objective.source, t
        self.path = (*objective.path, "targets", index)
        self.objective, self.plan = objective, objective.plan
        self.solution: SolutionView | None = None
        self.id, self.indicator, self.code = t.id, t.indicator, t.code
        self.category, self.unit, self.direction, self.rollup = (
            t.category, t.unit, t.direction, t.rollup)
        self.baseline = t.baseline.value if t.baseline else None
        self.baseline_year = t.baseline.year if t.baseline else None
        self.target = t.target
        self.annual = dict(sorted(t.annual.items()))
        self.actual = dict(sorted(t.actual.items()))
        self.frequency, self.timing = t.frequency, t.timing
        self.compiling_agency = t.compiling_agency
        self.providing_agencies = list(t.providing_agencies)
        self.data_source, self.notes = t.data_source, t.notes
        self.price_basis, self.price_year = t.price_basis, t.price_year
        relative = t.relative_to
        self.relative_kind = relative.kind if relative else None
        self.relative_year = relative.year if relative else None
        self.per_year = relative.per_year if relative else None
        self.approximate = list(t.approximate)
        self.orientation = dict(sorted(t.orientation.items()))
        self.named = list(t.named)
        self.part_of: TargetView | None = None  # "trong đó": resolved in build_views
        self.parts: list[TargetView] = []
        # the same indicator in the parent plan and in child plans (linking.py)
        self.parent_target: TargetView | None = None
        self.child_targets: list[TargetView] = []


def build_views(loaded: LoadedPlan) -> PlanView:
    """The views of one loaded plan, linked both ways."""
    # tens of thousands of new objects: with the collector on, its passes over the whole
    # plan (made of as many objects again) cost more than building the views
    with paused_gc():
        return _build_views(loaded)


def _build_views(loaded: LoadedPlan) -> PlanView:
    plan = PlanView(loaded)
    model: Plan = loaded.plan
    by_id: dict[str, ObjectiveView] = {o.id: ObjectiveView(plan, i, o)
                                       for i, o in enumerate(model.objectives)}
    shared: list[SolutionView] = []
    for j, s in enumerate(model.solutions):
        sv = SolutionView(None, j, s, plan)
        sv.serves = [by_id[o] for o in dict.fromkeys(s.serves) if o in by_id]
        for ov in sv.serves:
            ov.shared_solutions.append(sv)
        shared.append(sv)
    for o in model.objectives:
        ov = by_id[o.id]
        plan.objectives.append(ov)
        solutions = {sv.id: sv for sv in ov.shared_solutions}
        for j, s in enumerate(o.solutions):
            sv = SolutionView(ov, j, s)
            solutions[s.id] = sv
            ov.solutions.append(sv)
            plan.solutions.append(sv)
        for j, t in enumerate(o.targets):
            tv = TargetView(ov, j, t)
            if t.solution is not None:
                tv.solution = solutions.get(t.solution)
                if tv.solution is not None:
                    tv.solution.targets.append(tv)
            ov.targets.append(tv)
            plan.targets.append(tv)
    plan.solutions.extend(shared)
    targets = {tv.id: tv for tv in plan.targets}
    for tv in plan.targets:
        if tv.model.part_of is not None:
            tv.part_of = targets.get(tv.model.part_of)
            if tv.part_of is not None:
                tv.part_of.parts.append(tv)
    for ov in plan.objectives:
        if ov.model.parent is not None:
            ov.parent = by_id.get(ov.model.parent)
            if ov.parent is not None:
                ov.parent.children.append(ov)
    return plan


def entities(plan: PlanView) -> Iterator[View]:
    """Every entity of a plan, in file order: plan, consultations, then each objective with
    its solutions and targets, then the plan-level solutions."""
    yield plan
    yield from plan.consultations
    for o in plan.objectives:
        yield o
        yield from o.solutions
        yield from o.targets
    yield from (s for s in plan.solutions if s.shared)
