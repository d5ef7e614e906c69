"""The lift: plan -> RDF graph -> plan is lossless; Turtle and JSON-LD plans load like YAML."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from conftest import GOOD_EXAMPLES, small_plan
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from plan_strategies import shared_solutions, target_extensions
from rdflib import RDF, Graph, URIRef

from validator.core.errors import InputError
from validator.formats.rdf.lift import plan_to_graph
from validator.formats.rdf.lower import graph_to_plan, plan_from_rdf_text
from validator.formats.write import write_plan
from validator.load import load_plan
from validator.plan.model import Plan
from validator.plan.ontology import NS, ontology_graph


@pytest.mark.parametrize("path", GOOD_EXAMPLES, ids=lambda p: p.name)
@pytest.mark.parametrize("fmt", ["ttl", "jsonld", "yaml", "json"])
def test_examples_round_trip_through_every_format(path, fmt, tmp_path):
    plan = load_plan(path).plan
    out = tmp_path / f"plan.{fmt}"
    out.write_text(write_plan(plan, fmt), encoding="utf-8")
    assert load_plan(out).plan == plan


def test_every_term_the_lift_writes_is_declared():
    declared = set(ontology_graph().subjects())
    graph = Graph()
    for path in GOOD_EXAMPLES:
        plan_to_graph(load_plan(path).plan, graph)
    used = {p for p in graph.predicates() if str(p).startswith(NS)}
    used |= {o for o in graph.objects(None, RDF.type) if str(o).startswith(NS)}
    assert used, "the lift wrote no pc: terms"
    assert used <= declared, sorted(str(t) for t in used - declared)
    codes = {o for o in graph.objects() if isinstance(o, URIRef)
             and "/code/" in str(o)}
    assert codes <= declared, sorted(str(c) for c in codes - declared)


def test_the_graph_uses_stable_iris():
    graph = plan_to_graph(Plan.model_validate(small_plan()))
    target = URIRef("https://w3id.org/plancheck/data/p/O1.T1")
    assert (target, RDF.type, URIRef(NS + "Target")) in graph
    assert (URIRef("https://w3id.org/plancheck/data/p"), URIRef(NS + "hasObjective"),
            URIRef("https://w3id.org/plancheck/data/p/O1")) in graph


def test_remote_jsonld_context_is_refused():
    text = json.dumps({"@context": "https://example.org/context.jsonld", "@id": "x"})
    with pytest.raises(InputError) as info:
        plan_from_rdf_text(text, "plan.jsonld", "json-ld")
    assert "never fetches remote contexts" in str(info.value)


def test_bad_turtle_is_located():
    with pytest.raises(InputError) as info:
        plan_from_rdf_text("@prefix pc: <x> .\npc:a pc:b", "plan.ttl", "turtle")
    assert str(info.value).startswith("plan.ttl")
    assert "invalid Turtle" in str(info.value)


def test_a_graph_without_a_plan_is_refused():
    with pytest.raises(InputError) as info:
        graph_to_plan(Graph(), "empty.ttl")
    assert "expected exactly one pc:Plan" in str(info.value)


# --- property test over generated plans --------------------------------------------------

ids = st.from_regex(r"[A-Za-z][A-Za-z0-9._-]{0,8}", fullmatch=True)
words = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20)
texts = st.one_of(words, st.fixed_dictionaries({"vi": words}, optional={"en": words}))
numbers = st.one_of(st.integers(-10**9, 10**9),
                    # below the plan cap of 10^18 (validator.plan.data.MAX_MAGNITUDE) with room
                    # for a float that comes back from Turtle one step larger
                    st.floats(-1e17, 1e17, allow_nan=False, allow_infinity=False, width=64))
values = st.one_of(
    numbers, words,
    st.builds(lambda a, b: {"min": min(a, b), "max": max(a, b)}, numbers, numbers),
    st.builds(lambda a: {"at_least": a}, numbers), st.builds(lambda a: {"at_most": a}, numbers))
years = st.integers(2000, 2040)
codes = st.sampled_from(["DPI", "DOF", "PSO", "DARD", "my-agency", "Sở X"])


@st.composite
def plans(draw):
    n_obj = draw(st.integers(0, 3))
    objective_ids = draw(st.lists(ids, min_size=n_obj, max_size=n_obj, unique=True))
    used = set(objective_ids)
    first = draw(years)
    last = first + draw(st.integers(0, 4))
    shared = shared_solutions(draw, ids, texts, objective_ids, used)  # task groups
    earlier: list[str] = []  # targets drawn so far: "of which" parts name one of them
    objectives = []
    for oid in objective_ids:
        sol_ids = [i for i in draw(st.lists(ids, max_size=2, unique=True)) if i not in used]
        used |= set(sol_ids)
        sol_ids += [s["id"] for s in shared if oid in s["serves"]]
        tgt_ids = [i for i in draw(st.lists(ids, max_size=3, unique=True)) if i not in used]
        used |= set(tgt_ids)
        targets = []
        for tid in tgt_ids:
            t = {"id": tid, "indicator": draw(texts)}
            if sol_ids and draw(st.booleans()):
                t["solution"] = draw(st.sampled_from(sol_ids))
            for key, strat in (("category", st.sampled_from(["input", "output", "outcome"])),
                               ("unit", st.sampled_from(["%", "household", "tấn", "ha"])),
                               ("direction", st.sampled_from(["increase", "decrease"])),
                               ("rollup", st.sampled_from(["sum", "last", "mean"])),
                               ("target", values), ("compiling_agency", codes),
                               ("notes", texts), ("timing", texts),
                               ("price_basis", st.sampled_from(["current", "comparative"])),
                               ("price_year", st.sampled_from([2010, 2020]))):
                if draw(st.booleans()):
                    t[key] = draw(strat)
            if draw(st.booleans()):
                t["baseline"] = {"year": draw(years), "value": draw(values)}
            t["annual"] = draw(st.dictionaries(years, values, max_size=3))
            t["actual"] = draw(st.dictionaries(
                st.builds(lambda y, s: f"{y}{s}", years, st.sampled_from(["", "-H1", "-Q3"])),
                values, max_size=2))
            t["providing_agencies"] = draw(st.lists(codes, max_size=3))
            target_extensions(draw, t, values=values, names=words, last=last,
                              earlier=earlier,
                              approximate=["target", "annual", "actual", "orientation"])
            earlier.append(tid)
            targets.append(t)
        objectives.append({
            "id": oid, "kind": draw(st.sampled_from(["general", "specific"])),
            "title": draw(texts),
            "parent": draw(st.sampled_from([None, *objective_ids])),
            "solutions": [{"id": s, "title": draw(texts),
                           "budget": draw(st.one_of(st.none(), st.builds(
                               lambda v: {"value": v, "unit": "billion VND"}, numbers)))}
                          for s in sol_ids if s not in {x["id"] for x in shared}],
            "targets": targets,
        })
    for o in objectives:
        if o["parent"] == o["id"] or o["parent"] is None:
            o.pop("parent")
    return {
        "format": "plan/1",
        "plan": {"id": draw(ids), "title": draw(texts),
                 "kind": draw(st.sampled_from(["five_year_sedp", "annual_sedp", "own-kind"])),
                 "level": draw(st.sampled_from(["province", "district"])),
                 "locality": draw(words), "period": [first, last],
                 "submitted": draw(st.one_of(st.none(), st.builds(
                     lambda d: {"by": "DPI", "on": d}, st.dates(dt.date(2000, 1, 1))))),
                 "document": draw(st.one_of(st.none(), st.sampled_from(
                     ["adopted_plan", "dossier"]))),
                 "adopted": draw(st.one_of(st.none(), st.builds(
                     lambda d: {"act": "39/2020/NQ-HĐND", "on": d, "body": "peoples_council"},
                     st.dates(dt.date(2000, 1, 1))))),
                 "not_encoded": draw(st.lists(st.sampled_from(
                     ["solutions", "agencies", "frequency"]), unique=True, max_size=2)),
                 "consultations": draw(st.lists(st.builds(
                     lambda w, d, n: {"with": w, "on": d, "participants": n}, words,
                     st.dates(dt.date(2000, 1, 1)), st.one_of(st.none(), st.integers(0, 999))),
                     max_size=2))},
        "objectives": objectives,
        "solutions": shared,
    }


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_lift_round_trip_is_lossless(data):
    data["plan"] = {k: v for k, v in data["plan"].items() if v is not None}
    plan = Plan.model_validate(data)
    assert graph_to_plan(plan_to_graph(plan)) == plan
    for fmt, parser in (("ttl", "turtle"), ("jsonld", "json-ld")):
        assert plan_from_rdf_text(write_plan(plan, fmt), f"x.{fmt}", parser) == plan
