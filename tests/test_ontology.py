"""The ontology: files parse, every term is declared and labelled, codes match the spec."""

from __future__ import annotations

import csv
import functools
import importlib.util
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from validator.plan import ontology as onto
from validator.plan.ontology import CODE_BASE, PC

ONTOLOGY = Path(onto.ontology_dir())
ROOT = Path(__file__).resolve().parent.parent

# --- the term list the lift code relies on ----------------------------------------------

VALUE_CLASSES = ["NumberValue", "RangeValue", "BoundValue", "TextValue"]
CODE_CLASSES = ["PlanKind", "Level", "ObjectiveKind", "Category", "FieldOrSector", "Frequency",
                "Direction", "Rollup", "Agency", "Unit", "Indicator", "BodyKind", "Province"]
CLASSES = ["Plan", "Objective", "Solution", "Target", "Submission", "Adoption", "Consultation",
           "Amount",
           "Value", *VALUE_CLASSES, "Baseline", "YearValue", "ActualValue", "Relative",
           *CODE_CLASSES]
PROPERTIES = [
    "identifier", "order", "title", "planKind", "level", "locality", "sector", "field",
    "periodStart", "periodEnd", "baselineYear", "parentPlan", "submission", "submittedBy",
    "submittedOn", "documentKind", "adoption", "adoptedAct", "adoptedOn", "adoptedBy",
    "notEncoded", "priceBasis", "priceYear", "relativeTo", "relativeKind", "relativeYear",
    "perYear", "approximate", "orientationValue", "partOf", "namedUnits", "serves",
    "consultation", "consultedWith", "date",
    "participants", "hasObjective",
    "objectiveKind", "parentObjective", "hasSolution", "budget", "amount", "unit",
    "unitConcept", "hasTarget", "measuresSolution", "indicatorName", "indicatorCode",
    "category", "direction", "rollup", "baseline", "targetValue", "annualValue",
    "actualValue", "year", "period", "value", "number", "min", "max", "atLeast", "atMost",
    "text", "frequency", "timing", "compilingAgency", "providingAgencies", "dataSource",
    "notes", "expectedCategory", "expectedUnit", "fieldGroup", "catalogueSector",
    "sourcePage", "existsAtLevel", "periodsPerYear", "unitKind", "contextIndicator",
    "labelNote", "pluralLabel", "excerpt",
    # time (the 2025 reorganisation; tests/test_ontology_time.py checks the data)
    "validFrom", "validThrough", "mergedInto", "splitInto", "renamedTo",
    "functionsTransferredTo", "bodyKind", "approvesOnly", "adminCode",
]
SCHEME_NAMES = ["PlanKindScheme", "LevelScheme", "ObjectiveKindScheme", "CategoryScheme",
                "SectorScheme", "AgencyScheme", "FrequencyScheme", "DirectionScheme",
                "RollupScheme", "UnitScheme", "IndicatorCatalogue", "BodyKindScheme",
                "ProvinceScheme"]

# --- the canonical codes of the plan format's "Codes" section (plan-format.md) ----------

FIELDS = ["macro", "economic", "social", "environment", "state"]
SECTOR_TREE: dict[str, str] = {
    # child -> parent, exactly the spec's field -> sectors -> sub-sectors
    "general-economy": "macro",
    "agriculture-rural-development": "economic",
    "cultivation": "agriculture-rural-development",
    "animal-husbandry": "agriculture-rural-development",
    "aquaculture": "agriculture-rural-development",
    "forestry": "agriculture-rural-development",
    "new-rural-development": "agriculture-rural-development",
    "industry-construction": "economic",
    "services": "economic",
    "trade": "services",
    "transport": "services",
    "post-telecom": "services",
    "tourism": "services",
    "finance-banking": "services",
    "health": "social",
    "education-training": "social",
    "vocational-training-jobs": "social",
    "poverty-social-welfare": "social",
    "culture-sports-media": "social",
    "information-communication": "social",
    "gender-equality": "social",
    "child-care": "social",
    "natural-resources": "environment",
    "environment-protection": "environment",
    "climate-change-adaptation": "environment",
    "public-administration": "state",
    "inspection-anti-corruption": "state",
    "official-capacity": "state",
    "security": "state",
    "defence": "state",
}
SPEC_CODES: dict[str, list[str]] = {
    "kind": ["annual_sedp", "five_year_sedp", "annual_sectoral", "five_year_sectoral"],
    "level": ["nation", "province", "district", "commune", "village"],
    "objkind": ["general", "specific"],
    "category": ["input", "output", "outcome", "impact"],
    "direction": ["increase", "decrease", "maintain"],
    "rollup": ["sum", "last", "mean"],
    "frequency": ["monthly", "quarterly", "semiannual", "annual", "biennial", "five_yearly"],
    "sector": FIELDS + list(SECTOR_TREE),
    "agency": ["MPI", "MOF", "PPC", "DPC", "CPC", "people-council", "DPI", "DOF", "PSO", "DSO",
               "finance-planning-division", "DARD", "DOIC", "DOC", "DOT", "DOST", "DOH",
               "DOET", "DOLISA", "DOCST", "DOICT", "DONRE", "DOHA", "police",
               "military-command", "womens-union", "VFF", "district-pc", "commune-pc"],
    # units of the spec's example
    "unit": ["household", "%", "billion VND"],
}
UNIT_KINDS = {"percent", "growth", "rate", "change", "count", "currency", "measure", "index",
              "ratio", "qualitative"}


@pytest.fixture(scope="module")
def graph() -> Graph:
    return onto.ontology_graph()


def _labels(g: Graph, node: URIRef, predicate: URIRef) -> dict[str | None, list[str]]:
    out: dict[str | None, list[str]] = {}
    for o in g.objects(node, predicate):
        assert isinstance(o, Literal), f"{node} {predicate} {o!r} is not a literal"
        out.setdefault(o.language, []).append(str(o))
    return out


# --- files and terms ---------------------------------------------------------------------

@pytest.mark.parametrize("name", ["plancheck.ttl", "codes.ttl", "catalogue.ttl", "localities.ttl"])
def test_file_parses(name: str) -> None:
    g = Graph()
    g.parse(ONTOLOGY / name, format="turtle")
    assert len(g) > 0


def test_parse_error_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "broken.ttl").write_text("@prefix pc: <x#> .\npc:a pc:b ", encoding="utf-8")
    monkeypatch.setattr(onto, "ontology_dir", lambda: tmp_path)
    onto.ontology_graph.cache_clear()
    try:
        with pytest.raises(onto.OntologyError, match="broken.ttl"):
            onto.ontology_graph()
    finally:
        onto.ontology_graph.cache_clear()


@pytest.mark.parametrize("name", CLASSES)
def test_class_declared_and_labelled(graph: Graph, name: str) -> None:
    term = PC[name]
    assert (term, RDF.type, OWL.Class) in graph
    labels = _labels(graph, term, RDFS.label)
    assert labels.get("vi") and labels.get("en"), f"pc:{name} needs rdfs:label @vi and @en"
    assert _labels(graph, term, RDFS.comment).get("en"), f"pc:{name} needs rdfs:comment@en"


def test_class_hierarchy(graph: Graph) -> None:
    for name in VALUE_CLASSES:
        assert (PC[name], RDFS.subClassOf, PC.Value) in graph
    for name in CODE_CLASSES:
        assert (PC[name], RDFS.subClassOf, SKOS.Concept) in graph


@pytest.mark.parametrize("name", PROPERTIES)
def test_property_declared_and_labelled(graph: Graph, name: str) -> None:
    term = PC[name]
    kinds = set(graph.objects(term, RDF.type))
    assert kinds & {OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}, \
        f"pc:{name} is not declared as a property"
    labels = _labels(graph, term, RDFS.label)
    assert labels.get("vi") and labels.get("en"), f"pc:{name} needs rdfs:label @vi and @en"
    assert _labels(graph, term, RDFS.comment).get("en"), f"pc:{name} needs rdfs:comment@en"


def test_no_undeclared_pc_terms(graph: Graph) -> None:
    """Every pc: term used anywhere is one of the declared classes, properties or schemes."""
    declared = {PC[n] for n in CLASSES + PROPERTIES + SCHEME_NAMES}
    used = set()
    for s, p, o in graph:
        for node in (s, p, o):
            if isinstance(node, URIRef) and str(node).startswith(onto.NS):
                used.add(node)
    assert used - declared == set()


def test_properties_have_sensible_ranges(graph: Graph) -> None:
    assert (PC.providingAgencies, RDFS.range, RDF.List) in graph
    assert (PC.indicatorCode, RDFS.range, PC.Indicator) in graph
    assert (PC.existsAtLevel, RDFS.domain, PC.Agency) in graph
    assert (PC.order, RDFS.range, URIRef("http://www.w3.org/2001/XMLSchema#integer")) in graph


# --- schemes and concepts ----------------------------------------------------------------

@pytest.mark.parametrize("name", SCHEME_NAMES)
def test_scheme_declared_and_labelled(graph: Graph, name: str) -> None:
    assert (PC[name], RDF.type, SKOS.ConceptScheme) in graph
    labels = _labels(graph, PC[name], SKOS.prefLabel)
    assert labels.get("vi") and labels.get("en")


def test_every_concept_is_labelled_in_both_languages(graph: Graph) -> None:
    missing = []
    for concept in set(graph.subjects(RDF.type, SKOS.Concept)):
        labels = _labels(graph, concept, SKOS.prefLabel)
        if len(labels.get("vi", [])) != 1 or len(labels.get("en", [])) != 1:
            missing.append(str(concept))
        assert graph.value(concept, SKOS.notation) is not None, f"{concept} has no notation"
        assert graph.value(concept, SKOS.inScheme) is not None, f"{concept} has no scheme"
    assert missing == [], "concepts without exactly one prefLabel @vi and one @en"


def test_concepts_are_typed_with_their_code_class(graph: Graph) -> None:
    classes = {"kind": PC.PlanKind, "level": PC.Level, "objkind": PC.ObjectiveKind,
               "category": PC.Category, "sector": PC.FieldOrSector, "agency": PC.Agency,
               "frequency": PC.Frequency, "direction": PC.Direction, "rollup": PC.Rollup,
               "unit": PC.Unit, "indicator": PC.Indicator}
    for scheme, cls in classes.items():
        for code, entry in onto.codes(scheme).items():
            assert (URIRef(entry.iri), RDF.type, cls) in graph, f"{scheme}/{code} is not a {cls}"
            assert (URIRef(entry.iri), RDF.type, SKOS.Concept) in graph


@pytest.mark.parametrize("scheme", sorted(SPEC_CODES))
def test_spec_codes_exist(scheme: str) -> None:
    known = onto.codes(scheme)
    for code in SPEC_CODES[scheme]:
        assert code in known, f"{scheme} code {code!r} missing"
        entry = known[code]
        assert entry.label_vi and entry.label_en
        assert onto.canonical_code(scheme, code.upper()) == code
        assert onto.canonical_code(scheme, code.lower()) == code


def test_concept_iris_follow_the_code(graph: Graph) -> None:
    for scheme in onto.SCHEMES:
        for code, entry in onto.codes(scheme).items():
            assert str(entry.iri).startswith(f"{CODE_BASE}{scheme}/")
            if scheme != "unit":
                assert str(entry.iri) == f"{CODE_BASE}{scheme}/{code}"


def test_sector_tree_matches_the_spec(graph: Graph) -> None:
    sectors = onto.codes("sector")
    assert set(sectors) == set(FIELDS) | set(SECTOR_TREE)
    for field in FIELDS:
        assert sectors[field].broader is None
        assert (URIRef(sectors[field].iri), SKOS.topConceptOf, PC.SectorScheme) in graph
    for child, parent in SECTOR_TREE.items():
        assert sectors[child].broader == parent, child
        assert (URIRef(sectors[parent].iri), SKOS.narrower, URIRef(sectors[child].iri)) in graph
        assert (URIRef(sectors[child].iri), SKOS.topConceptOf, PC.SectorScheme) not in graph
    narrower = {(str(s), str(o)) for s, o in graph.subject_objects(SKOS.narrower)}
    broader = {(str(o), str(s)) for s, o in graph.subject_objects(SKOS.broader)}
    assert narrower == broader
    assert onto.field_of("cultivation") == "economic"
    assert onto.field_of("macro") == "macro"


def test_agencies_exist_at_levels() -> None:
    agencies = onto.codes("agency")
    levels = set(onto.codes("level"))
    for code, entry in agencies.items():
        assert entry.levels, f"agency {code} has no pc:existsAtLevel"
        assert set(entry.levels) <= levels
    assert agencies["DPI"].levels == ("province",)
    assert agencies["MPI"].levels == ("nation",)
    assert agencies["DSO"].levels == ("district",)
    assert agencies["finance-planning-division"].levels == ("district",)
    assert agencies["commune-pc"].levels == ("commune",)
    assert agencies["people-council"].levels == ("province", "district", "commune")
    assert {"province", "district", "commune"} <= set(agencies["police"].levels)
    assert agencies["DPI"].label_vi == "Sở Kế hoạch và Đầu tư"


def test_frequencies_have_periods_per_year() -> None:
    expected = {"monthly": 12, "quarterly": 4, "semiannual": 2, "annual": 1,
                "biennial": 0.5, "five_yearly": 0.2}
    for code, n in expected.items():
        assert onto.periods_per_year(code) == pytest.approx(n)
    assert onto.periods_per_year("fortnightly") is None


def test_units_have_kinds() -> None:
    for code, entry in onto.codes("unit").items():
        assert entry.extra.get("unit_kind") in UNIT_KINDS, code
    assert onto.unit_kind("%") == "percent"
    assert onto.unit_kind("‰") == "rate"
    assert onto.unit_kind("households") == "count"
    assert onto.unit_kind("tỷ đồng") == "currency"


@pytest.mark.parametrize("scheme", sorted(onto.FUZZY_SCHEMES))
def test_fuzzy_matching_is_unambiguous(scheme: str) -> None:
    owners: dict[str, set[str]] = {}
    for entry in onto.codes(scheme).values():
        for text in (entry.code, entry.label_en, entry.label_vi, *entry.alt_labels):
            owners.setdefault(onto.normalize_label(text), set()).add(entry.code)
    clashes = {key: codes for key, codes in owners.items() if len(codes) > 1}
    assert clashes == {}


# --- the catalogue -----------------------------------------------------------------------

def _csv_rows() -> list[dict[str, str]]:
    with (ONTOLOGY / "indicators.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@functools.cache
def _plain_normalize():
    return _build_module().normalize


def _build_module():
    spec = importlib.util.spec_from_file_location("build_catalogue",
                                                  ROOT / "tools" / "build_catalogue.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_catalogue_has_one_concept_per_csv_row(graph: Graph) -> None:
    rows = _csv_rows()
    # the manual's 190 (Appendix 5 and examples) and the 25 national indicators 2026-2030
    assert len(rows) == 215
    assert sum(r["code"].startswith("NAT-") for r in rows) == 25
    concepts = set(graph.subjects(SKOS.inScheme, PC.IndicatorCatalogue))
    assert len(concepts) == len(rows)
    catalogue = onto.catalogue()
    assert set(catalogue) == {r["code"] for r in rows}
    for row in rows:
        entry = catalogue[row["code"]]
        iri = onto.code_iri("indicator", row["code"])
        assert (iri, RDF.type, PC.Indicator) in graph
        assert graph.value(iri, PC.expectedUnit) is not None, row["code"]
        assert str(graph.value(iri, PC.expectedUnit)) == row["unit"]
        assert entry.name_en == row["name_en"]
        assert entry.name_vi == (row["name_vi"] or entry.name_vi) and entry.name_vi
        assert entry.vi_translated == (not row["name_vi"])
        assert entry.field == row["field_group"]
        assert entry.sector == row["sector"]
        assert entry.page == row["source_page"]
        if row["category"] == "none":
            assert entry.category is None
            assert graph.value(iri, PC.contextIndicator).toPython() is True
        else:
            assert entry.category == row["category"]
        if row["unit"]:
            assert entry.unit_codes, f"{row['code']}: unit {row['unit']!r} maps to no concept"
        else:
            assert entry.unit is None


def test_catalogue_units_map_sensibly() -> None:
    catalogue = onto.catalogue()
    assert catalogue["MAC-01"].unit_codes == ("billion VND",)
    assert set(catalogue["ENV-20"].unit_codes) == {"household", "%"}
    assert set(catalogue["MAC-56"].unit_codes) == {"VND/person", "USD"}
    assert catalogue["SOC-13"].unit_codes == ("per 100,000",)
    assert catalogue["SOC-18"].unit_codes == ("per 10,000",)


def test_catalogue_file_is_up_to_date() -> None:
    module = _build_module()
    assert module.build() == (ONTOLOGY / "catalogue.ttl").read_text(encoding="utf-8"), \
        "ontology/catalogue.ttl is stale: run python tools/build_catalogue.py"


def test_build_script_normalizes_like_the_accessor() -> None:
    module = _build_module()
    for text in ("Sở KH-ĐT", "per 100,000", "Women's Union", "  tỷ  đồng ", "‰", "İstanbul",
                 "Tỷ lệ hộ nghèo\u00a0(%)", "a\u3000b\u2028c", "x\u0f71y", "ǅ"):
        assert module.normalize(text) == onto.normalize_label(text)


@settings(max_examples=300, deadline=None)
@given(text=st.text())
def test_the_matching_key_drops_what_the_per_character_definition_drops(text: str) -> None:
    # the build script keeps the plain definition; the accessor uses a translate table
    assert _plain_normalize()(text) == onto.normalize_label(text)


def test_no_combining_mark_or_space_lies_beyond_the_table() -> None:
    import sys
    import unicodedata

    assert not [c for c in range(onto.LABEL_DROP_BELOW, sys.maxunicode + 1)
                if unicodedata.combining(chr(c)) or chr(c).isspace()]


# --- the accessor ------------------------------------------------------------------------

def test_canonical_code() -> None:
    assert onto.canonical_code("agency", "dpi") == "DPI"
    assert onto.canonical_code("agency", "DoST") == "DOST"
    assert onto.canonical_code("agency", "DIC") == "DOIC"
    assert onto.canonical_code("agency", "Sở Kế hoạch và Đầu tư") == "DPI"
    assert onto.canonical_code("agency", "so ke hoach va dau tu") == "DPI"
    assert onto.canonical_code("unit", "households") == "household"
    assert onto.canonical_code("unit", "hộ") == "household"
    assert onto.canonical_code("unit", "người") == "person"
    assert onto.canonical_code("unit", "triệu đồng") == "million VND"
    assert onto.canonical_code("unit", "phần trăm") == "%"
    assert onto.canonical_code("unit", "‰") == "per mille"
    assert onto.canonical_code("unit", "per 100.000") == "per 100,000"
    assert onto.canonical_code("sector", "Economic") == "economic"
    assert onto.canonical_code("frequency", "Semiannual") == "semiannual"
    # only units and agencies match on labels
    assert onto.canonical_code("frequency", "half-yearly") is None
    assert onto.canonical_code("agency", "Ban quản lý dự án") is None
    assert onto.canonical_code("indicator", "mac-01") == "MAC-01"
    with pytest.raises(ValueError):
        onto.canonical_code("colour", "red")


def test_code_iri_round_trip() -> None:
    for scheme, code in [("agency", "DPI"), ("unit", "%"), ("sector", "cultivation"),
                         ("indicator", "ENV-20"), ("kind", "annual_sedp")]:
        iri = onto.code_iri(scheme, code)
        assert onto.code_from_iri(iri) == (scheme, code)
    assert onto.code_iri("agency", "dpi") == URIRef(CODE_BASE + "agency/DPI")
    assert onto.code_iri("unit", "tỷ đồng") == URIRef(CODE_BASE + "unit/billion-VND")
    unknown = "Ban quản lý dự án / huyện"
    iri = onto.code_iri("agency", unknown)
    assert " " not in iri and str(iri).startswith(CODE_BASE + "agency/")
    assert onto.code_from_iri(iri) == ("agency", unknown)
    assert onto.code_from_iri(URIRef("http://example.org/x")) == ("", "http://example.org/x")


def test_label() -> None:
    assert onto.label("agency", "DPI", "vi") == "Sở Kế hoạch và Đầu tư"
    assert onto.label("agency", "dpi", "en") == "Department of Planning and Investment"
    assert onto.label("unit", "%", "vi") == "phần trăm"
    assert onto.label("agency", "XYZ", "vi") == "XYZ"


def test_codes_are_cached() -> None:
    assert onto.codes("agency") is onto.codes("agency")
    assert onto.catalogue() is onto.catalogue()
