"""Lifting: a :class:`~validator.plan.model.Plan` as an RDF graph, and as Turtle or JSON-LD.

Lists keep their order with ``pc:order`` (providing agencies as an ``rdf:List``); numbers
are written as exact ``xsd:decimal`` so nothing is rounded on the way.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.collection import Collection

from validator.core.i18n import LANGS
from validator.formats.rdf.iris import entity_iri, plan_iri, prefixes
from validator.plan.model import (
    AtLeast,
    AtMost,
    LocalText,
    Objective,
    Plan,
    Range,
    Solution,
    Target,
)
from validator.plan.ontology import PC, canonical_code, code_iri


def _lit(value: Any) -> Literal:
    if isinstance(value, bool):
        raise TypeError("booleans are not plan values")
    if isinstance(value, float):
        # xsd:decimal with the shortest exact digits: rdflib writes xsd:double in Turtle
        # with six significant digits, which would lose precision
        return Literal(format(Decimal(repr(value)), "f"), datatype=XSD.decimal, normalize=False)
    return Literal(value)


class _Lifter:
    def __init__(self, graph: Graph) -> None:
        self.g = graph

    def add(self, s: URIRef, p: URIRef, o: Any) -> None:
        self.g.add((s, p, o))

    def text(self, s: URIRef, p: URIRef, text: str | LocalText | None) -> None:
        if text is None:
            return
        if isinstance(text, str):
            self.add(s, p, Literal(text))
            return
        for lang in LANGS:
            value = getattr(text, lang)
            if value is not None:
                self.add(s, p, Literal(value, lang=lang))

    def code(self, s: URIRef, p: URIRef, scheme: str, code: str | None) -> None:
        if code is not None:
            self.add(s, p, code_iri(scheme, code))

    def value(self, node: URIRef, v: Any) -> URIRef:
        if isinstance(v, Range):
            self.add(node, RDF.type, PC.RangeValue)
            self.add(node, PC.min, _lit(v.min))
            self.add(node, PC.max, _lit(v.max))
        elif isinstance(v, AtLeast):
            self.add(node, RDF.type, PC.BoundValue)
            self.add(node, PC.atLeast, _lit(v.at_least))
        elif isinstance(v, AtMost):
            self.add(node, RDF.type, PC.BoundValue)
            self.add(node, PC.atMost, _lit(v.at_most))
        elif isinstance(v, str):
            self.add(node, RDF.type, PC.TextValue)
            self.add(node, PC.text, Literal(v))
        else:
            self.add(node, RDF.type, PC.NumberValue)
            self.add(node, PC.number, _lit(v))
        return node

    def plan(self, plan: Plan) -> None:
        h = plan.plan
        p = plan_iri(h.id)
        self.add(p, RDF.type, PC.Plan)
        self.add(p, PC.identifier, Literal(h.id))
        self.text(p, PC.title, h.title)
        self.code(p, PC.planKind, "kind", h.kind)
        self.code(p, PC.level, "level", h.level)
        self.add(p, PC.locality, Literal(h.locality))
        self.code(p, PC.sector, "sector", h.sector)
        self.add(p, PC.periodStart, _lit(h.period[0]))
        self.add(p, PC.periodEnd, _lit(h.period[1]))
        if h.baseline_year is not None:
            self.add(p, PC.baselineYear, _lit(h.baseline_year))
        if h.parent is not None:
            self.add(p, PC.parentPlan, plan_iri(h.parent))
        if h.excerpt is not None:
            self.add(p, PC.excerpt, Literal(h.excerpt))
        if h.submitted is not None:
            s = URIRef(f"{p}/submission")
            self.add(p, PC.submission, s)
            self.add(s, RDF.type, PC.Submission)
            self.code(s, PC.submittedBy, "agency", h.submitted.by)
            self.add(s, PC.submittedOn, Literal(h.submitted.on))
        if h.document is not None:
            self.add(p, PC.documentKind, Literal(h.document))
        if h.adopted is not None:
            a = URIRef(f"{p}/adoption")
            self.add(p, PC.adoption, a)
            self.add(a, RDF.type, PC.Adoption)
            for prop, value in ((PC.adoptedAct, h.adopted.act), (PC.adoptedOn, h.adopted.on),
                                (PC.adoptedBy, h.adopted.body)):
                if value is not None:
                    self.add(a, prop, Literal(value))
        for field_name in h.not_encoded:
            self.add(p, PC.notEncoded, Literal(field_name))
        for i, c in enumerate(h.consultations):
            node = URIRef(f"{p}/consultation/{i + 1}")
            self.add(p, PC.consultation, node)
            self.add(node, RDF.type, PC.Consultation)
            self.add(node, PC.order, _lit(i))
            self.add(node, PC.consultedWith, Literal(c.with_))
            self.add(node, PC.date, Literal(c.on))
            if c.participants is not None:
                self.add(node, PC.participants, _lit(c.participants))
        for i, objective in enumerate(plan.objectives):
            self.objective(h.id, p, i, objective)
        for i, shared in enumerate(plan.solutions):
            sn = self.solution(h.id, p, i, shared)
            head = URIRef(f"{sn}/serves")
            Collection(self.g, head, [entity_iri(h.id, o) for o in shared.serves])
            self.add(sn, PC.serves, head)

    def objective(self, plan_id: str, p: URIRef, order: int, o: Objective) -> None:
        node = entity_iri(plan_id, o.id)
        self.add(p, PC.hasObjective, node)
        self.add(node, RDF.type, PC.Objective)
        self.add(node, PC.identifier, Literal(o.id))
        self.add(node, PC.order, _lit(order))
        self.code(node, PC.objectiveKind, "objkind", o.kind)
        self.text(node, PC.title, o.title)
        self.code(node, PC.field, "sector", o.field)
        self.code(node, PC.sector, "sector", o.sector)
        if o.parent is not None:
            self.add(node, PC.parentObjective, entity_iri(plan_id, o.parent))
        for i, s in enumerate(o.solutions):
            self.solution(plan_id, node, i, s)
        for i, t in enumerate(o.targets):
            self.target(plan_id, node, i, t)

    def solution(self, plan_id: str, owner: URIRef, order: int, s: Solution) -> URIRef:
        """A solution of an objective, or (owner the plan) a plan-level one."""
        sn = entity_iri(plan_id, s.id)
        self.add(owner, PC.hasSolution, sn)
        self.add(sn, RDF.type, PC.Solution)
        self.add(sn, PC.identifier, Literal(s.id))
        self.add(sn, PC.order, _lit(order))
        self.text(sn, PC.title, s.title)
        if s.budget is not None:
            b = URIRef(f"{sn}/budget")
            self.add(sn, PC.budget, b)
            self.add(b, RDF.type, PC.Amount)
            self.add(b, PC.amount, _lit(s.budget.value))
            self.add(b, PC.unit, Literal(s.budget.unit))
        return sn

    def target(self, plan_id: str, o: URIRef, order: int, t: Target) -> None:
        node = entity_iri(plan_id, t.id)
        self.add(o, PC.hasTarget, node)
        self.add(node, RDF.type, PC.Target)
        self.add(node, PC.identifier, Literal(t.id))
        self.add(node, PC.order, _lit(order))
        if t.solution is not None:
            self.add(node, PC.measuresSolution, entity_iri(plan_id, t.solution))
        self.text(node, PC.indicatorName, t.indicator)
        self.code(node, PC.indicatorCode, "indicator", t.code)
        self.code(node, PC.category, "category", t.category)
        if t.unit is not None:
            self.add(node, PC.unit, Literal(t.unit))
            unit = canonical_code("unit", t.unit)
            if unit is not None:
                self.add(node, PC.unitConcept, code_iri("unit", unit))
        self.code(node, PC.direction, "direction", t.direction)
        self.code(node, PC.rollup, "rollup", t.rollup)
        if t.baseline is not None:
            b = URIRef(f"{node}/baseline")
            self.add(node, PC.baseline, b)
            self.add(b, RDF.type, PC.Baseline)
            if t.baseline.year is not None:
                self.add(b, PC.year, _lit(t.baseline.year))
            self.add(b, PC.value, self.value(URIRef(f"{b}/value"), t.baseline.value))
        if t.target is not None:
            self.add(node, PC.targetValue, self.value(URIRef(f"{node}/target"), t.target))
        for year, v in t.annual.items():
            y = URIRef(f"{node}/annual/{year}")
            self.add(node, PC.annualValue, y)
            self.add(y, RDF.type, PC.YearValue)
            self.add(y, PC.year, _lit(year))
            self.add(y, PC.value, self.value(URIRef(f"{y}/value"), v))
        for period, v in t.actual.items():
            a = URIRef(f"{node}/actual/{period}")
            self.add(node, PC.actualValue, a)
            self.add(a, RDF.type, PC.ActualValue)
            self.add(a, PC.period, Literal(period))
            self.add(a, PC.value, self.value(URIRef(f"{a}/value"), v))
        self.code(node, PC.frequency, "frequency", t.frequency)
        self.text(node, PC.timing, t.timing)
        self.code(node, PC.compilingAgency, "agency", t.compiling_agency)
        if t.providing_agencies:
            head = URIRef(f"{node}/providers")
            Collection(self.g, head, [code_iri("agency", a) for a in t.providing_agencies])
            self.add(node, PC.providingAgencies, head)
        self.text(node, PC.dataSource, t.data_source)
        self.text(node, PC.notes, t.notes)
        if t.price_basis is not None:
            self.add(node, PC.priceBasis, Literal(t.price_basis))
        if t.price_year is not None:
            self.add(node, PC.priceYear, _lit(t.price_year))
        self.extensions(plan_id, node, t)

    def extensions(self, plan_id: str, node: URIRef, t: Target) -> None:
        """What real plans say beyond a level: a change against a base, approximate values,
        a later horizon, "of which" parts and the units counted by name."""
        if t.relative_to is not None:
            r = URIRef(f"{node}/relative")
            self.add(node, PC.relativeTo, r)
            self.add(r, RDF.type, PC.Relative)
            self.add(r, PC.relativeKind, Literal(t.relative_to.kind))
            if t.relative_to.year is not None:
                self.add(r, PC.relativeYear, _lit(t.relative_to.year))
            if t.relative_to.per_year:
                self.add(r, PC.perYear, Literal(True))
        for key in t.approximate:
            self.add(node, PC.approximate, Literal(key))
        for year, v in t.orientation.items():
            y = URIRef(f"{node}/orientation/{year}")
            self.add(node, PC.orientationValue, y)
            self.add(y, RDF.type, PC.YearValue)
            self.add(y, PC.year, _lit(year))
            self.add(y, PC.value, self.value(URIRef(f"{y}/value"), v))
        if t.part_of is not None:
            self.add(node, PC.partOf, entity_iri(plan_id, t.part_of))
        if t.named:
            head = URIRef(f"{node}/named")
            Collection(self.g, head, [Literal(name) for name in t.named])
            self.add(node, PC.namedUnits, head)


def new_graph() -> Graph:
    """An empty graph with the project's prefixes bound."""
    g = Graph(bind_namespaces="core")
    for prefix, namespace in prefixes().items():
        g.bind(prefix, namespace)
    return g


def plan_to_graph(plan: Plan, graph: Graph | None = None) -> Graph:
    """Lift ``plan`` into ``graph`` (a new one by default) and return it."""
    g = graph if graph is not None else new_graph()
    _Lifter(g).plan(plan)
    return g


def serialise(plan: Plan, fmt: str) -> str:
    """Write ``plan`` as Turtle (``ttl``) or JSON-LD (``jsonld``), the same bytes every run:
    rdflib writes Turtle sorted, but a JSON-LD graph's nodes in the order of a set (which
    changes with the hash seed), so they are sorted by ``@id``."""
    graph = plan_to_graph(plan)
    if fmt == "ttl":
        return graph.serialize(format="turtle")
    data = json.loads(graph.serialize(format="json-ld", context=prefixes(), auto_compact=True))
    if isinstance(data.get("@graph"), list):
        data["@graph"].sort(key=lambda node: str(node.get("@id", "")))
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
