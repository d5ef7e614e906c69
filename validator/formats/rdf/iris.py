"""The IRIs of plans and their entities, and the project's prefixes.

Every entity gets an IRI under ``https://w3id.org/plancheck/data/<plan-id>``; nested values
(baselines, yearly values, budgets) get IRIs under their entity, so graphs are stable and
serialisations deterministic.
"""

from __future__ import annotations

from urllib.parse import quote, unquote

from rdflib import URIRef

from validator.plan.ontology import DATA_BASE, NS, code_iri

CONTEXT_IRI = "https://w3id.org/plancheck/context.jsonld"
SCHEME_PREFIXES = ("kind", "level", "objkind", "category", "sector", "agency", "frequency",
                   "direction", "rollup", "unit", "indicator")


def plan_iri(plan_id: str) -> URIRef:
    return URIRef(DATA_BASE + quote(plan_id, safe="-_.~"))


def entity_iri(plan_id: str, entity_id: str) -> URIRef:
    return URIRef(f"{plan_iri(plan_id)}/{quote(entity_id, safe='-_.~')}")


def id_from_iri(iri: URIRef) -> str:
    return unquote(str(iri).rsplit("/", 1)[-1])


def prefixes() -> dict[str, str]:
    """Prefix -> namespace: ``pc`` for the ontology and one per code scheme."""
    return {"pc": NS, **{scheme: str(code_iri(scheme, "x"))[:-1] for scheme in SCHEME_PREFIXES}}
