"""The ontology through time: agencies, levels and provinces across the 2025 reorganisation.

Reads the Turtle with rdflib directly (the Python API for dates comes later) and checks what a
reviewer would notice if the data were wrong: a body without names, levels or dates, a
successor that does not exist when its predecessor ends, a district body alive in 2026, the
wrong number of provinces on either side of 1 July 2025, an old province that leads nowhere,
the 2026 indicators missing from the catalogue.

Convention (plancheck.ttl, section "Time"): pc:validFrom and pc:validThrough are inclusive;
a successor, or a body that takes over functions, is valid on the day after its predecessor's
pc:validThrough.
"""

from __future__ import annotations

import functools
from datetime import date, timedelta
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SKOS

ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology"
PC = Namespace("https://w3id.org/plancheck/ns#")
SCHEMA = Namespace("https://schema.org/")
CODE = "https://w3id.org/plancheck/code/"
AGENCY = Namespace(CODE + "agency/")
LEVEL = Namespace(CODE + "level/")
PROVINCE = Namespace(CODE + "province/")
INDICATOR = Namespace(CODE + "indicator/")

MARCH_2025 = date(2025, 3, 1)   # Resolution 176/2025/QH15, Decree 45/2025/NĐ-CP
JULY_2025 = date(2025, 7, 1)    # Law 72/2025/QH15, Resolution 202/2025/QH15


@functools.cache
def graph() -> Graph:
    g = Graph()
    for path in sorted(ONTOLOGY.glob("*.ttl")):
        g.parse(path, format="turtle")
    return g


def _date(node: URIRef, prop: URIRef) -> date | None:
    values = list(graph().objects(node, prop))
    assert len(values) <= 1, f"{node} has {len(values)} values of {prop}"
    if not values:
        return None
    value = values[0]
    assert isinstance(value, Literal) and isinstance(value.toPython(), date), \
        f"{node} {prop} {value!r} is not an xsd:date"
    return value.toPython()


def valid_on(node: URIRef, day: date) -> bool:
    start, end = _date(node, PC.validFrom), _date(node, PC.validThrough)
    return (start is None or start <= day) and (end is None or day <= end)


def members(cls: URIRef) -> list[URIRef]:
    return sorted(s for s in graph().subjects(RDF.type, cls) if isinstance(s, URIRef))


def labels(node: URIRef) -> dict[str | None, list[str]]:
    out: dict[str | None, list[str]] = {}
    for o in graph().objects(node, SKOS.prefLabel):
        out.setdefault(o.language, []).append(str(o))
    return out


def succession_properties() -> set[URIRef]:
    """The properties naming a successor: every specialisation of dcterms:isReplacedBy."""
    return set(graph().subjects(RDFS.subPropertyOf, DCTERMS.isReplacedBy))


def successors(node: URIRef) -> set[URIRef]:
    return {o for p in succession_properties() for o in graph().objects(node, p)}


def named(cls: URIRef, text: str, day: date) -> list[URIRef]:
    """Concepts of ``cls`` whose preferred or alternative label is ``text``, valid on ``day``,
    following successors from a concept that had ended by then (how an old name resolves)."""
    g = graph()
    matches = [s for s in members(cls)
               if any(str(o) == text for p in (SKOS.prefLabel, SKOS.altLabel)
                      for o in g.objects(s, p))]
    found: set[URIRef] = set()
    for node in matches:
        seen: set[URIRef] = set()
        frontier = {node}
        while frontier:
            current = frontier.pop()
            seen.add(current)
            if valid_on(current, day):
                found.add(current)
            elif (_date(current, PC.validThrough) or date.max) < day:
                frontier |= successors(current) - seen
    return sorted(found)


# --- the schema --------------------------------------------------------------------------

def test_time_terms_specialise_the_standard_vocabularies() -> None:
    g = graph()
    assert (PC.validFrom, RDFS.subPropertyOf, SCHEMA.validFrom) in g
    assert (PC.validThrough, RDFS.subPropertyOf, SCHEMA.validThrough) in g
    assert succession_properties() == {PC.mergedInto, PC.splitInto, PC.renamedTo}
    assert (PC.functionsTransferredTo, RDFS.subPropertyOf, DCTERMS.relation) in g
    assert (PC.bodyKind, RDFS.subPropertyOf, DCTERMS.type) in g


# --- agencies ------------------------------------------------------------------------------

AGENCIES = members(PC.Agency)


@pytest.mark.parametrize("agency", AGENCIES, ids=lambda a: str(a).rsplit("/", 1)[-1])
def test_every_agency_has_names_a_level_a_kind_and_dates(agency: URIRef) -> None:
    g = graph()
    names = labels(agency)
    assert len(names.get("vi", [])) == 1 and len(names.get("en", [])) == 1
    levels = list(g.objects(agency, PC.existsAtLevel))
    assert levels and all((level, RDF.type, PC.Level) in g for level in levels)
    kinds = list(g.objects(agency, PC.bodyKind))
    assert len(kinds) == 1 and (kinds[0], SKOS.inScheme, PC.BodyKindScheme) in g
    start, end = _date(agency, PC.validFrom), _date(agency, PC.validThrough)
    assert start is not None, "every agency needs a pc:validFrom"
    assert end is None or start <= end


def test_every_successor_exists_on_the_day_after_its_predecessor_ends() -> None:
    g = graph()
    problems = []
    for cls in (PC.Agency, PC.Level, PC.Province):
        for node in members(cls):
            end = _date(node, PC.validThrough)
            heirs = successors(node) | set(g.objects(node, PC.functionsTransferredTo))
            if heirs and end is None:
                problems.append(f"{node} has successors but no pc:validThrough")
                continue
            for heir in heirs:
                if (heir, RDF.type, cls) not in g:
                    problems.append(f"{node} -> {heir}: not a {cls}")
                elif not valid_on(heir, end + timedelta(days=1)):
                    problems.append(f"{node} ends {end}; {heir} is not valid the next day")
    assert problems == []


def test_no_agency_of_the_two_level_state_exists_only_at_district_level() -> None:
    g = graph()
    alive = [a for a in AGENCIES if valid_on(a, JULY_2025)
             and set(g.objects(a, PC.existsAtLevel)) == {LEVEL.district}]
    assert alive == []


def test_district_divisions_end_with_the_district_level() -> None:
    g = graph()
    divisions = [a for a in AGENCIES if (a, PC.bodyKind, None) in g
                 and g.value(a, PC.bodyKind) == URIRef(CODE + "bodykind/division")]
    assert len(divisions) >= 15
    assert [a for a in divisions if valid_on(a, JULY_2025)] == []
    assert all(valid_on(a, date(2025, 6, 30)) or _date(a, PC.validThrough) == date(2025, 2, 28)
               for a in divisions)


def _government(day: date) -> list[URIRef]:
    g = graph()
    kinds = {URIRef(CODE + "bodykind/ministry"), URIRef(CODE + "bodykind/ministerial-agency")}
    ministries = [a for a in AGENCIES if g.value(a, PC.bodyKind) in kinds and valid_on(a, day)]
    # the Ministry of Public Security is part of 'police', which spans the levels
    return ministries + [AGENCY.police]


def test_the_government_has_22_bodies_before_and_17_after_1_march_2025() -> None:
    # Resolution 176/2025/QH15: 18 ministries + 4 ministerial-level agencies became 14 + 3
    assert len(_government(MARCH_2025 - timedelta(days=1))) == 22
    assert len(_government(MARCH_2025)) == 17


@pytest.mark.parametrize("old, new", [
    ("MPI", "MOF"), ("MARD", "MAE"), ("MONRE", "MAE"), ("MOT", "MOC"), ("MIC", "MOST"),
    ("MOLISA", "MOHA"), ("CEMA", "MEMR"), ("GSO", "NSO"),
    ("DPI", "DOF"), ("DARD", "DAE"), ("DONRE", "DAE"), ("DOT", "DOC"), ("DOICT", "DOST"),
    ("DOLISA", "DOHA"), ("provincial-ethnic-committee", "DERA"),
    ("agriculture-rural-development-division", "agriculture-environment-division"),
    ("culture-information-division", "culture-science-information-division"),
    ("labour-social-affairs-division", "home-affairs-division"),
])
def test_the_march_2025_mergers(old: str, new: str) -> None:
    assert _date(AGENCY[old], PC.validThrough) == date(2025, 2, 28)
    assert AGENCY[new] in successors(AGENCY[old])
    assert valid_on(AGENCY[new], MARCH_2025)


def test_existing_codes_keep_their_meaning() -> None:
    # codes used by plans and rule files since the 2013 manual
    expected = {"DPI": "Sở Kế hoạch và Đầu tư", "DOF": "Sở Tài chính", "DARD":
                "Sở Nông nghiệp và Phát triển nông thôn", "DOLISA":
                "Sở Lao động - Thương binh và Xã hội", "MPI": "Bộ Kế hoạch và Đầu tư",
                "finance-planning-division": "Phòng Tài chính - Kế hoạch",
                "CPC": "Ủy ban nhân dân xã", "PSO": "Cục Thống kê tỉnh"}
    for code, name in expected.items():
        assert labels(AGENCY[code])["vi"] == [name]
        assert valid_on(AGENCY[code], date(2023, 6, 1)), f"{code} must be valid in 2023"


@pytest.mark.parametrize("text, day, code", [
    ("Phòng NN&PTNT", date(2023, 6, 1), "agriculture-rural-development-division"),
    ("Phòng TC-KH", date(2024, 6, 1), "finance-planning-division"),
    ("Phòng Kinh tế", date(2026, 1, 1), "commune-economic-division"),
    ("Phòng Kinh tế, Hạ tầng và Đô thị", date(2026, 1, 1),
     "ward-economic-infrastructure-urban-division"),
    ("Phòng Văn hóa - Xã hội", date(2026, 1, 1), "commune-culture-social-division"),
    ("UBND xã", date(2026, 1, 1), "CPC"),
    ("Sở NN&MT", date(2026, 1, 1), "DAE"),
    ("Sở KH&ĐT", date(2026, 1, 1), "DOF"),       # an old name leads to the successor
    ("Sở KH-ĐT", date(2024, 1, 1), "DPI"),
    ("Bộ KH&ĐT", date(2026, 1, 1), "MOF"),
    ("Công an xã", date(2026, 1, 1), "police"),
])
def test_names_officials_write_resolve_on_the_date(text: str, day: date, code: str) -> None:
    assert named(PC.Agency, text, day) == [AGENCY[code]]


def test_party_committees_approve_only() -> None:
    g = graph()
    party = URIRef(CODE + "bodykind/party-committee")
    approvers = {a for a in AGENCIES if g.value(a, PC.approvesOnly) == Literal(True)}
    committees = {a for a in AGENCIES if g.value(a, PC.bodyKind) == party}
    assert approvers == committees
    assert {g.value(a, PC.existsAtLevel) for a in committees} == {
        LEVEL.nation, LEVEL.province, LEVEL.district, LEVEL.commune}


# --- levels --------------------------------------------------------------------------------

def test_the_district_level_ends_on_30_june_2025() -> None:
    assert valid_on(LEVEL.district, date(2025, 6, 30))
    assert not valid_on(LEVEL.district, JULY_2025)
    for level in ("nation", "province", "commune", "village"):
        assert valid_on(LEVEL[level], date(2021, 1, 1)) and valid_on(LEVEL[level], JULY_2025)


# --- provinces -----------------------------------------------------------------------------

PROVINCES = members(PC.Province)


def _valid(day: date) -> list[URIRef]:
    return [p for p in PROVINCES if valid_on(p, day)]


def test_34_provinces_from_1_july_2025_and_63_before() -> None:
    assert len(_valid(JULY_2025)) == 34
    assert len(_valid(date(2025, 6, 30))) == 63
    assert len(_valid(date(2024, 12, 31))) == 63   # Thừa Thiên Huế before Huế city


def test_official_codes_are_unique_on_each_side() -> None:
    g = graph()
    for day in (date(2025, 6, 30), JULY_2025):
        codes = [str(g.value(p, PC.adminCode)) for p in _valid(day)]
        assert len(set(codes)) == len(codes)
        assert all(len(c) == 2 and c.isdigit() for c in codes)


def test_every_pre_merger_province_leads_to_a_province_of_1_july_2025() -> None:
    ended = [p for p in PROVINCES if _date(p, PC.validThrough) == date(2025, 6, 30)]
    assert len(ended) == 52
    for province in ended:
        heirs = [h for h in successors(province) if valid_on(h, JULY_2025)]
        assert len(heirs) == 1, province
    for province in PROVINCES:
        names = labels(province)
        assert names.get("vi") and names.get("en")


@pytest.mark.parametrize("text, day, code", [
    ("Yên Bái", date(2026, 1, 1), "15"),       # merged into the new Lào Cai
    ("Lào Cai", date(2023, 1, 1), "10"),       # the old Lào Cai
    ("Lào Cai", date(2026, 1, 1), "15"),       # the new one, governed from Yên Bái
    ("Hải Dương", date(2026, 1, 1), "31"),
    ("Thừa Thiên Huế", date(2026, 1, 1), "46"),
    ("Bà Rịa - Vũng Tàu", date(2026, 1, 1), "79"),
    ("Kiên Giang", date(2026, 1, 1), "91"),
    ("Hà Nội", date(2023, 1, 1), "01"),
])
def test_a_province_name_resolves_on_the_date(text: str, day: date, code: str) -> None:
    found = named(PC.Province, text, day)
    assert [str(graph().value(p, PC.adminCode)) for p in found] == [code]


# --- the 2026-2030 catalogue ----------------------------------------------------------------

# the 2026 plan's 15 main indicators (National Assembly, 13 Nov 2025), in its order
PLAN_2026 = ["NAT-01", "NAT-03", "NAT-04", "NAT-06", "NAT-07", "NAT-08", "NAT-09", "NAT-10",
             "NAT-11", "NAT-12", "NAT-13", "NAT-14", "NAT-15", "NAT-16", "NAT-17"]
# the key 2026-2030 targets (14th Party Congress)
TARGETS_2030 = ["NAT-02", "NAT-03", "NAT-04", "NAT-05", "NAT-08", "NAT-18", "NAT-19",
                "NAT-20", "NAT-21", "NAT-22", "NAT-23", "NAT-24", "NAT-25"]


@pytest.mark.parametrize("code", sorted(set(PLAN_2026 + TARGETS_2030)))
def test_key_indicators_are_in_the_catalogue_with_category_and_unit(code: str) -> None:
    g = graph()
    node = INDICATOR[code]
    assert (node, SKOS.inScheme, PC.IndicatorCatalogue) in g
    names = labels(node)
    assert names.get("vi") and names.get("en")
    category = g.value(node, PC.expectedCategory)
    assert category is not None and (category, SKOS.inScheme, PC.CategoryScheme) in g
    units = list(g.objects(node, PC.unitConcept))
    assert units and all(g.value(u, PC.unitKind) is not None for u in units)


def test_the_2026_plan_has_15_indicators_and_the_poverty_fall_is_in_percentage_points() -> None:
    assert len(set(PLAN_2026)) == 15
    g = graph()
    unit = g.value(INDICATOR["NAT-11"], PC.unitConcept)
    assert str(g.value(unit, SKOS.notation)) == "percentage point"
    assert str(g.value(unit, PC.unitKind)) == "change"
    labels_vi = labels(unit)["vi"]
    assert labels_vi == ["điểm phần trăm"]
