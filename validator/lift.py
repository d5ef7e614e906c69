"""The lift: a :class:`~validator.model.Plan` as an RDF graph in the ontology's terms, and back.

Every entity gets an IRI under ``https://w3id.org/plancheck/data/<plan-id>``; nested values
(baselines, yearly values, budgets) get IRIs under their entity, so graphs are stable and
serialisations deterministic. Lists keep their order with ``pc:order`` (providing agencies
as an ``rdf:List``). Lowering reads exactly what lifting writes, so the round trip is
lossless; Turtle and JSON-LD plan files are lowered the same way.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Iterator
from decimal import Decimal
from typing import Any
from urllib.parse import quote, unquote

from pydantic import ValidationError
from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.collection import Collection

from validator.errors import InputError, Problem
from validator.model import AtLeast, AtMost, LocalText, Objective, Plan, Range, Target
from validator.ontology import DATA_BASE, NS, PC, code_from_iri, code_iri

CONTEXT_IRI = "https://w3id.org/plancheck/context.jsonld"


def plan_iri(plan_id: str) -> URIRef:
    return URIRef(DATA_BASE + quote(plan_id, safe="-_.~"))


def entity_iri(plan_id: str, entity_id: str) -> URIRef:
    return URIRef(f"{plan_iri(plan_id)}/{quote(entity_id, safe='-_.~')}")


def _id_from_iri(iri: URIRef) -> str:
    return unquote(str(iri).rsplit("/", 1)[-1])


# --- lifting -------------------------------------------------------------------------

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
        for lang in ("vi", "en"):
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
            sn = entity_iri(plan_id, s.id)
            self.add(node, PC.hasSolution, sn)
            self.add(sn, RDF.type, PC.Solution)
            self.add(sn, PC.identifier, Literal(s.id))
            self.add(sn, PC.order, _lit(i))
            self.text(sn, PC.title, s.title)
            if s.budget is not None:
                b = URIRef(f"{sn}/budget")
                self.add(sn, PC.budget, b)
                self.add(b, RDF.type, PC.Amount)
                self.add(b, PC.amount, _lit(s.budget.value))
                self.add(b, PC.unit, Literal(s.budget.unit))
        for i, t in enumerate(o.targets):
            self.target(plan_id, node, i, t)

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
            from validator.ontology import canonical_code

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


def new_graph() -> Graph:
    """An empty graph with the project's prefixes bound."""
    g = Graph(bind_namespaces="core")
    g.bind("pc", NS)
    for scheme in ("kind", "level", "objkind", "category", "sector", "agency", "frequency",
                   "direction", "rollup", "unit", "indicator"):
        g.bind(scheme, str(code_iri(scheme, "x"))[:-1])
    return g


def plan_to_graph(plan: Plan, graph: Graph | None = None) -> Graph:
    """Lift ``plan`` into ``graph`` (a new one by default) and return it."""
    g = graph if graph is not None else new_graph()
    _Lifter(g).plan(plan)
    return g


# --- lowering ------------------------------------------------------------------------

class _Lowerer:
    def __init__(self, graph: Graph, file: str) -> None:
        self.g = graph
        self.file = file
        self.problems: list[Problem] = []

    def fail(self, node: Any, message: str) -> None:
        self.problems.append(Problem(self.file, f"<{node}>: {message}"))

    def one(self, s: Any, p: URIRef, required: bool = False) -> Any:
        values = list(self.g.objects(s, p))
        if len(values) > 1:
            self.fail(s, f"has {len(values)} values for {p.n3(self.g.namespace_manager)}; "
                      "expected one")
        if not values:
            if required:
                self.fail(s, f"missing {p.n3(self.g.namespace_manager)}")
            return None
        return values[0]

    def py(self, s: Any, p: URIRef, required: bool = False) -> Any:
        node = self.one(s, p, required)
        if node is None:
            return None
        if not isinstance(node, Literal):
            self.fail(s, f"{p.n3(self.g.namespace_manager)} must be a literal")
            return None
        value = node.toPython()
        if isinstance(value, Decimal):
            return float(value)
        if isinstance(value, Literal):  # ill-typed literal
            self.fail(s, f"{p.n3(self.g.namespace_manager)} {node!r} is not a valid "
                      f"{node.datatype}")
            return None
        return value

    def text(self, s: Any, p: URIRef) -> str | dict[str, str] | None:
        lits = [o for o in self.g.objects(s, p) if isinstance(o, Literal)]
        if not lits:
            return None
        plain = [str(o) for o in lits if not o.language]
        tagged = {o.language: str(o) for o in lits if o.language in ("vi", "en")}
        if plain and not tagged and len(plain) == 1:
            return plain[0]
        if tagged and not plain:
            return tagged
        self.fail(s, f"{p.n3(self.g.namespace_manager)}: expected one plain text or "
                  "texts tagged @vi/@en")
        return None

    def code(self, s: Any, p: URIRef, required: bool = False) -> str | None:
        node = self.one(s, p, required)
        if node is None:
            return None
        if isinstance(node, Literal):
            return str(node)
        return code_from_iri(node)[1]

    def ordered(self, s: Any, p: URIRef) -> list[Any]:
        nodes = list(self.g.objects(s, p))
        keyed = []
        for n in nodes:
            order = self.py(n, PC.order)
            keyed.append((order if isinstance(order, int) else 1 << 60, str(n), n))
        return [n for _, _, n in sorted(keyed)]

    def value(self, node: Any) -> Any:
        if node is None:
            return None
        types = set(self.g.objects(node, RDF.type))
        if PC.RangeValue in types:
            return {"min": self.py(node, PC.min, True), "max": self.py(node, PC.max, True)}
        if PC.BoundValue in types:
            if (node, PC.atLeast, None) in self.g:
                return {"at_least": self.py(node, PC.atLeast)}
            return {"at_most": self.py(node, PC.atMost, True)}
        if PC.TextValue in types:
            return self.py(node, PC.text, True)
        if isinstance(node, Literal):  # a bare literal is accepted as a number or text
            value = node.toPython()
            return float(value) if isinstance(value, Decimal) else value
        return self.py(node, PC.number, True)

    def plan(self) -> dict[str, Any]:
        plans = sorted(self.g.subjects(RDF.type, PC.Plan), key=str)
        if len(plans) != 1:
            raise InputError.single(self.file, f"expected exactly one pc:Plan in the graph, "
                                    f"found {len(plans)}")
        p = plans[0]
        header: dict[str, Any] = {
            "id": self.py(p, PC.identifier, True),
            "title": self.text(p, PC.title),
            "kind": self.code(p, PC.planKind, True),
            "level": self.code(p, PC.level, True),
            "locality": self.py(p, PC.locality, True),
            "sector": self.code(p, PC.sector),
            "period": [self.py(p, PC.periodStart, True), self.py(p, PC.periodEnd, True)],
            "baseline_year": self.py(p, PC.baselineYear),
            "excerpt": self.py(p, PC.excerpt),
        }
        parent = self.one(p, PC.parentPlan)
        if parent is not None:
            header["parent"] = _id_from_iri(parent)
        sub = self.one(p, PC.submission)
        if sub is not None:
            header["submitted"] = {"by": self.code(sub, PC.submittedBy, True),
                                   "on": self.py(sub, PC.submittedOn, True)}
        header["consultations"] = [
            {"with": self.py(c, PC.consultedWith, True), "on": self.py(c, PC.date, True),
             "participants": self.py(c, PC.participants)}
            for c in self.ordered(p, PC.consultation)
        ]
        objectives = [self.objective(o) for o in self.ordered(p, PC.hasObjective)]
        return {"format": "plan/1", "plan": header, "objectives": objectives}

    def objective(self, o: Any) -> dict[str, Any]:
        parent = self.one(o, PC.parentObjective)
        solutions = []
        for s in self.ordered(o, PC.hasSolution):
            budget = self.one(s, PC.budget)
            solutions.append({
                "id": self.py(s, PC.identifier, True), "title": self.text(s, PC.title),
                "budget": None if budget is None else {
                    "value": self.py(budget, PC.amount, True),
                    "unit": self.py(budget, PC.unit, True)},
            })
        return {
            "id": self.py(o, PC.identifier, True),
            "kind": self.code(o, PC.objectiveKind, True),
            "title": self.text(o, PC.title),
            "field": self.code(o, PC.field),
            "sector": self.code(o, PC.sector),
            "parent": None if parent is None else _id_from_iri(parent),
            "solutions": solutions,
            "targets": [self.target(t) for t in self.ordered(o, PC.hasTarget)],
        }

    def target(self, t: Any) -> dict[str, Any]:
        solution = self.one(t, PC.measuresSolution)
        baseline = self.one(t, PC.baseline)
        providers = self.one(t, PC.providingAgencies)
        annual = {}
        for y in self.g.objects(t, PC.annualValue):
            annual[self.py(y, PC.year, True)] = self.value(self.one(y, PC.value, True))
        actual = {}
        for a in self.g.objects(t, PC.actualValue):
            actual[self.py(a, PC.period, True)] = self.value(self.one(a, PC.value, True))
        return {
            "id": self.py(t, PC.identifier, True),
            "indicator": self.text(t, PC.indicatorName),
            "solution": None if solution is None else _id_from_iri(solution),
            "code": self.code(t, PC.indicatorCode),
            "category": self.code(t, PC.category),
            "unit": self.py(t, PC.unit),
            "direction": self.code(t, PC.direction),
            "rollup": self.code(t, PC.rollup),
            "baseline": None if baseline is None else {
                "year": self.py(baseline, PC.year),
                "value": self.value(self.one(baseline, PC.value, True))},
            "target": self.value(self.one(t, PC.targetValue)),
            "annual": dict(sorted(annual.items(), key=lambda kv: str(kv[0]))),
            "actual": dict(sorted(actual.items(), key=lambda kv: str(kv[0]))),
            "frequency": self.code(t, PC.frequency),
            "timing": self.text(t, PC.timing),
            "compiling_agency": self.code(t, PC.compilingAgency),
            "providing_agencies": [] if providers is None else [
                code_from_iri(a)[1] if isinstance(a, URIRef) else str(a)
                for a in Collection(self.g, providers)],
            "data_source": self.text(t, PC.dataSource),
            "notes": self.text(t, PC.notes),
        }


def _drop_none(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _drop_none(v) for k, v in data.items() if v is not None}
    if isinstance(data, list):
        return [_drop_none(v) for v in data]
    return data


def graph_to_plan(graph: Graph, file: str = "<graph>") -> Plan:
    """Lower a graph written in the ontology's terms back to a plan."""
    lowerer = _Lowerer(graph, file)
    data = _drop_none(lowerer.plan())
    if lowerer.problems:
        raise InputError(lowerer.problems)
    from validator.loader import validation_problems
    from validator.model import reference_problems
    from validator.sourcemap import SourceMap

    source = SourceMap(file, "")
    try:
        plan = Plan.model_validate(data)
    except ValidationError as exc:
        raise InputError(validation_problems(exc, source)) from None
    problems = [source.problem(path, msg) for path, msg in reference_problems(plan)]
    if problems:
        raise InputError(problems)
    return plan


# --- files ---------------------------------------------------------------------------

def _context() -> dict[str, Any]:
    ctx: dict[str, Any] = {"pc": NS}
    for scheme in ("kind", "level", "objkind", "category", "sector", "agency", "frequency",
                   "direction", "rollup", "unit", "indicator"):
        ctx[scheme] = str(code_iri(scheme, "x"))[:-1]
    return ctx


def _check_contexts(data: Any, file: str, depth: int = 0) -> Iterator[None]:
    """Refuse JSON-LD that would make the parser fetch a remote ``@context`` (or ``@import``
    one), or that nests deeper than the plan loaders allow."""
    from validator.sourcemap import MAX_DEPTH

    if depth > MAX_DEPTH:
        raise InputError.single(file, f"invalid JSON-LD: nesting deeper than {MAX_DEPTH} levels")
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "@import":
                raise InputError.single(
                    file, f"@import {value!r} would be fetched; plancheck never fetches "
                    "remote contexts: put the context inline")
            if key == "@context":
                items = value if isinstance(value, list) else [value]
                for item in items:
                    if isinstance(item, str) and item != CONTEXT_IRI:
                        raise InputError.single(
                            file, f"@context {item!r} is remote; plancheck never fetches "
                            "remote contexts: put the context inline")
            yield from _check_contexts(value, file, depth + 1)
    elif isinstance(data, list):
        for item in data:
            yield from _check_contexts(item, file, depth + 1)


def _inline_our_context(data: Any) -> Any:
    if isinstance(data, dict):
        out = {}
        for key, value in data.items():
            if key == "@context":
                items = value if isinstance(value, list) else [value]
                value = [_context() if item == CONTEXT_IRI else item for item in items]
            out[key] = _inline_our_context(value)
        return out
    if isinstance(data, list):
        return [_inline_our_context(item) for item in data]
    return data


def plan_from_rdf_text(text: str, file: str, fmt: str) -> Plan:
    """Parse Turtle or JSON-LD text and lower it to a plan."""
    graph = Graph()
    if fmt == "json-ld":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError([Problem(file, f"invalid JSON-LD: {exc.msg}", line=exc.lineno,
                                      column=exc.colno)]) from None
        except (RecursionError, ValueError) as exc:  # nesting, or a number too long
            from validator.sourcemap import MAX_DEPTH

            reason = (f"nesting deeper than {MAX_DEPTH} levels"
                      if isinstance(exc, RecursionError) else str(exc))
            raise InputError.single(file, f"invalid JSON-LD: {reason}") from None
        list(_check_contexts(data, file))
        text = json.dumps(_inline_our_context(data))
    try:
        with _quiet("rdflib"):
            graph.parse(data=text, format=fmt)
    except Exception as exc:  # rdflib raises many kinds; all mean "not readable"
        raise InputError([_rdf_problem(file, fmt, exc)]) from None
    return graph_to_plan(graph, file)


@contextlib.contextmanager
def _quiet(name: str) -> Iterator[None]:
    """Silence a library's log while it parses: rdflib logs ill-typed literals and odd IRIs
    with tracebacks, which the lowering reports as located problems instead."""
    logger = logging.getLogger(name)
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        logger.setLevel(level)


def _rdf_problem(file: str, fmt: str, exc: Exception) -> Problem:
    import re

    message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    found = re.search(r"at line (\d+)", str(exc))
    line = int(found.group(1)) if found else None
    name = "Turtle" if fmt == "turtle" else "JSON-LD"
    return Problem(file, f"invalid {name}: {message}", line=line)


def serialise(plan: Plan, fmt: str) -> str:
    """Write ``plan`` as Turtle (``ttl``) or JSON-LD (``jsonld``)."""
    graph = plan_to_graph(plan)
    if fmt == "ttl":
        return graph.serialize(format="turtle")
    out = graph.serialize(format="json-ld", context=_context(), auto_compact=True, indent=2,
                          sort_keys=True)
    return out if out.endswith("\n") else out + "\n"

