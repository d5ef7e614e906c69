"""Lowering: an RDF graph in the ontology's terms (a Turtle or JSON-LD plan file) back to a
:class:`~validator.plan.model.Plan`, with every problem of the graph reported at once."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from rdflib import RDF, Graph, Literal, URIRef

from validator.core.errors import InputError, Problem
from validator.core.i18n import LANGS, Message, _
from validator.core.sourcemap import SourceMap
from validator.formats.rdf.iris import id_from_iri
from validator.formats.rdf.jsonld import safe_jsonld
from validator.plan.data import plan_from_data
from validator.plan.model import Plan
from validator.plan.ontology import PC, code_from_iri


class _Lowerer:
    def __init__(self, graph: Graph, file: str) -> None:
        self.g = graph
        self.file = file
        self.problems: list[Problem] = []

    def fail(self, node: Any, message: Message) -> None:
        self.problems.append(Problem(self.file, _("<{node}>: {message}", node=str(node),
                                                  message=message)))

    def term(self, p: URIRef) -> str:
        """A predicate as the file would write it (``pc:unit``)."""
        return p.n3(self.g.namespace_manager)

    def one(self, s: Any, p: URIRef, required: bool = False) -> Any:
        values = list(self.g.objects(s, p))
        if len(values) > 1:
            self.fail(s, _("has {n} values for {term}; expected one", n=len(values),
                           term=self.term(p)))
        if not values:
            if required:
                self.fail(s, _("missing {term}", term=self.term(p)))
            return None
        return values[0]

    def py(self, s: Any, p: URIRef, required: bool = False) -> Any:
        node = self.one(s, p, required)
        if node is None:
            return None
        if not isinstance(node, Literal):
            self.fail(s, _("{term} must be a literal", term=self.term(p)))
            return None
        value = node.toPython()
        if isinstance(value, Decimal):
            return float(value)
        if isinstance(value, Literal):  # ill-typed literal
            self.fail(s, _("{term} {value} is not a valid {datatype}", term=self.term(p),
                           value=repr(node), datatype=str(node.datatype)))
            return None
        return self.plain(s, node, value)

    def plain(self, s: Any, node: Literal, value: Any) -> Any:
        """A literal's value when it is plain data; an XML or HTML literal (a DOM object,
        whose text names a memory address) is refused by its datatype."""
        if value is None or isinstance(value, str | int | float | bool | dt.date):
            return value
        self.fail(s, _("a {datatype} literal cannot be a plan value; expected a number, "
                       "a text or a date", datatype=str(node.datatype)))
        return None

    def items(self, s: Any, head: Any) -> list[Any]:
        """The members of an RDF list, refusing a list whose rdf:rest comes back round."""
        out, seen, node = [], set(), head
        while node is not None and node != RDF.nil:
            if node in seen:
                self.fail(s, _("the list's rdf:rest links back to itself"))
                return out
            seen.add(node)
            first = self.g.value(node, RDF.first)
            if first is not None:
                out.append(first)
            node = self.g.value(node, RDF.rest)
        return out

    def text(self, s: Any, p: URIRef) -> str | dict[str, str] | None:
        lits = [o for o in self.g.objects(s, p) if isinstance(o, Literal)]
        if not lits:
            return None
        plain = [str(o) for o in lits if not o.language]
        tagged = {o.language: str(o) for o in lits if o.language in LANGS}
        if plain and not tagged and len(plain) == 1:
            return plain[0]
        if tagged and not plain:
            return tagged
        self.fail(s, _("{term}: expected one plain text or texts tagged @vi/@en",
                       term=self.term(p)))
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
            return float(value) if isinstance(value, Decimal) else self.plain(node, node, value)
        return self.py(node, PC.number, True)

    def plan(self) -> dict[str, Any]:
        plans = sorted(self.g.subjects(RDF.type, PC.Plan), key=str)
        if len(plans) != 1:
            raise InputError.single(self.file, _("expected exactly one pc:Plan in the graph, "
                                                 "found {n}", n=len(plans)))
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
            header["parent"] = id_from_iri(parent)
        sub = self.one(p, PC.submission)
        if sub is not None:
            header["submitted"] = {"by": self.code(sub, PC.submittedBy, True),
                                   "on": self.py(sub, PC.submittedOn, True)}
        header["document"] = self.py(p, PC.documentKind)
        adoption = self.one(p, PC.adoption)
        if adoption is not None:
            header["adopted"] = {"act": self.py(adoption, PC.adoptedAct),
                                 "on": self.py(adoption, PC.adoptedOn),
                                 "body": self.py(adoption, PC.adoptedBy)}
        header["not_encoded"] = [str(o) for o in self.g.objects(p, PC.notEncoded)]
        header["consultations"] = [
            {"with": self.py(c, PC.consultedWith, True), "on": self.py(c, PC.date, True),
             "participants": self.py(c, PC.participants)}
            for c in self.ordered(p, PC.consultation)
        ]
        objectives = [self.objective(o) for o in self.ordered(p, PC.hasObjective)]
        shared = []
        for s in self.ordered(p, PC.hasSolution):
            serves = self.one(s, PC.serves)
            shared.append({**self.solution(s), "serves": [] if serves is None else [
                id_from_iri(o) if isinstance(o, URIRef) else str(o)
                for o in self.items(s, serves)]})
        return {"format": "plan/1", "plan": header, "objectives": objectives,
                **({"solutions": shared} if shared else {})}

    def solution(self, s: Any) -> dict[str, Any]:
        budget = self.one(s, PC.budget)
        return {"id": self.py(s, PC.identifier, True), "title": self.text(s, PC.title),
                "budget": None if budget is None else {
                    "value": self.py(budget, PC.amount, True),
                    "unit": self.py(budget, PC.unit, True)}}

    def objective(self, o: Any) -> dict[str, Any]:
        parent = self.one(o, PC.parentObjective)
        solutions = [self.solution(s) for s in self.ordered(o, PC.hasSolution)]
        return {
            "id": self.py(o, PC.identifier, True),
            "kind": self.code(o, PC.objectiveKind, True),
            "title": self.text(o, PC.title),
            "field": self.code(o, PC.field),
            "sector": self.code(o, PC.sector),
            "parent": None if parent is None else id_from_iri(parent),
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
            "solution": None if solution is None else id_from_iri(solution),
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
                for a in self.items(t, providers)],
            "data_source": self.text(t, PC.dataSource),
            "notes": self.text(t, PC.notes),
            "price_basis": self.py(t, PC.priceBasis),
            "price_year": self.py(t, PC.priceYear),
            **self.extensions(t),
        }

    def extensions(self, t: Any) -> dict[str, Any]:
        """The target keys of :meth:`_Lifter.extensions`, those the graph gives."""
        out: dict[str, Any] = {}
        relative = self.one(t, PC.relativeTo)
        if relative is not None:
            out["relative_to"] = {"kind": self.py(relative, PC.relativeKind, True),
                                  "year": self.py(relative, PC.relativeYear),
                                  "per_year": self.py(relative, PC.perYear)}
        approximate = [str(o) for o in self.g.objects(t, PC.approximate)]
        if approximate:
            out["approximate"] = approximate
        orientation = {}
        for y in self.g.objects(t, PC.orientationValue):
            orientation[self.py(y, PC.year, True)] = self.value(self.one(y, PC.value, True))
        if orientation:
            out["orientation"] = dict(sorted(orientation.items(), key=lambda kv: str(kv[0])))
        part_of = self.one(t, PC.partOf)
        if part_of is not None:
            out["part_of"] = id_from_iri(part_of)
        named = self.one(t, PC.namedUnits)
        if named is not None:
            out["named"] = [str(n) for n in self.items(t, named)]
        return out


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
    return plan_from_data(data, SourceMap(file, ""))


def plan_from_rdf_text(text: str, file: str, fmt: str) -> Plan:
    """Parse Turtle or JSON-LD text and lower it to a plan."""
    graph = Graph()
    if fmt == "json-ld":
        text = safe_jsonld(text, file)
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
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    found = re.search(r"at line (\d+)", str(exc))
    line = int(found.group(1)) if found else None
    name = "Turtle" if fmt == "turtle" else "JSON-LD"
    return Problem(file, _("invalid {format}: {why}", format=name, why=message), line=line)
