"""A SHACL validation report in Turtle (``--format shacl``).

``sh:ValidationReport`` with ``sh:conforms`` and one ``sh:ValidationResult`` per finding:
``sh:focusNode`` is the entity's IRI in the lifted graph (:mod:`validator.lift`),
``sh:sourceShape`` the rule's IRI (``https://w3id.org/plancheck/rules/<id>``, labelled with
its title), ``sh:resultSeverity`` ``sh:Violation``/``sh:Warning``/``sh:Info``,
``sh:resultMessage`` the message in Vietnamese and English, and
``sh:sourceConstraintComponent`` (which SHACL requires) ``rule:RuleConstraintComponent``.
Waived findings are left out; blank nodes are numbered in finding order, so the Turtle is
the same from run to run.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from validator.core.findings import Finding
from validator.core.i18n import LANGS
from validator.report.sarif_report import RULE_BASE, rule_summaries

SEVERITY = {"error": "Violation", "warning": "Warning", "info": "Info"}
# every result's sh:sourceConstraintComponent: "a plancheck rule", declared in the report
COMPONENT = RULE_BASE + "RuleConstraintComponent"


def focus_node(finding: Finding) -> Any:
    """The IRI :mod:`validator.formats.rdf` gives the finding's entity."""
    from rdflib import URIRef  # rdflib only for this format (see render)

    from validator.formats.rdf.iris import entity_iri, plan_iri
    if not finding.plan:  # a finding about a waiver: the waiver file's entry
        return URIRef(f"urn:plancheck:waiver:{quote(finding.location.file)}:"
                      f"{finding.location.line or 0}")
    if finding.entity_kind == "plan":
        return plan_iri(finding.plan)
    if finding.entity_kind == "consultation":
        number = finding.entity.rsplit("-", 1)[-1]
        return URIRef(f"{plan_iri(finding.plan)}/consultation/{number}")
    return entity_iri(finding.plan, finding.entity)


def render(result: Any, options: Any) -> str:
    # rdflib (95 ms with what it pulls in) is imported by the reporter that writes RDF
    from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
    from rdflib.namespace import SH

    component = URIRef(COMPONENT)
    g = Graph()
    g.bind("sh", SH)
    g.bind("rule", RULE_BASE)
    report = BNode("report")
    g.add((report, RDF.type, SH.ValidationReport))
    g.add((report, SH.conforms, Literal(not result.findings)))
    if result.findings:
        g.add((component, RDF.type, SH.ConstraintComponent))
        g.add((component, RDFS.label, Literal("plancheck rule", lang="en")))
    rules = rule_summaries(result)
    for i, f in enumerate(result.findings, start=1):
        node = BNode(f"r{i:06d}")
        shape = URIRef(RULE_BASE + f.rule)
        g.add((report, SH.result, node))
        g.add((node, RDF.type, SH.ValidationResult))
        g.add((node, SH.focusNode, focus_node(f)))
        g.add((node, SH.sourceShape, shape))
        g.add((node, SH.sourceConstraintComponent, component))
        g.add((node, SH.resultSeverity, SH[SEVERITY[f.severity]]))
        for lang in LANGS:
            if f.message.get(lang):
                g.add((node, SH.resultMessage, Literal(f.message[lang], lang=lang)))
        for lang, title in rules.get(f.rule, {}).get("title", f.title).items():
            g.add((shape, RDFS.label, Literal(title, lang=lang)))
    return g.serialize(format="turtle")
