"""The ontology as Python: code lists, labels, the indicator catalogue, and IRIs.

Everything is read once per process from ``ontology/*.ttl`` (found with
:func:`validator.resources.data_path`), so the lookups below are cheap enough to call for
every target. The tables built from the Turtle (the code lists) are also kept in the user's
cache on disk (:mod:`validator.core.diskcache`), keyed by the bytes of the Turtle files and
plancheck's version: a process that finds them there neither parses the Turtle nor imports
rdflib (``PC``, :func:`code_iri` and :func:`ontology_graph` import it when used). The
Turtle stays the source of truth; a test checks the cached tables agree with it.

Codes are identified by a *scheme* name and the canonical code string (the concept's
``skos:notation``)::

    kind level objkind category sector agency frequency direction rollup unit indicator

``sector`` holds both the five fields (top concepts) and their sectors and sub-sectors.
Concept IRIs are ``CODE_BASE + scheme + "/" + local name``; the local name is the code itself,
except for units, whose IRIs use a slug (``unit/percent`` for ``%``).
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote

from validator import __version__
from validator.core import diskcache
from validator.core.resources import data_path
from validator.core.text import LOOKUP_CACHE, MARKS_BELOW, marks_table

NS = "https://w3id.org/plancheck/ns#"
CODE_BASE = "https://w3id.org/plancheck/code/"
DATA_BASE = "https://w3id.org/plancheck/data/"

if TYPE_CHECKING:
    from rdflib import Graph, Namespace, URIRef

    PC: Namespace


def __getattr__(name: str) -> Any:
    """``PC``, the ``pc:`` namespace, made on first use: rdflib only when RDF is used."""
    if name == "PC":
        from rdflib import Namespace  # rdflib costs about 0.1 s to import

        globals()["PC"] = namespace = Namespace(NS)
        return namespace
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

#: scheme name -> local name of its ``skos:ConceptScheme`` in the ``pc:`` namespace
SCHEMES: Mapping[str, str] = MappingProxyType({
    "kind": "PlanKindScheme",
    "level": "LevelScheme",
    "objkind": "ObjectiveKindScheme",
    "category": "CategoryScheme",
    "sector": "SectorScheme",
    "agency": "AgencyScheme",
    "frequency": "FrequencyScheme",
    "direction": "DirectionScheme",
    "rollup": "RollupScheme",
    "unit": "UnitScheme",
    "indicator": "IndicatorCatalogue",
})

#: schemes matched also on labels and synonyms, ignoring case, spaces and diacritics
FUZZY_SCHEMES = frozenset({"unit", "agency"})

_PUNCT_IGNORED = frozenset("-\u2010\u2011\u2012\u2013\u2014_.,'\u2019")


class OntologyError(RuntimeError):
    """The bundled ontology is missing or cannot be parsed."""


@dataclass(frozen=True)
class Code:
    """One concept of a code list."""

    scheme: str
    code: str  # canonical code (skos:notation)
    iri: str  # the concept's IRI (``code_iri`` gives it as an rdflib URIRef)
    label_vi: str
    label_en: str
    alt_labels: tuple[str, ...] = ()
    broader: str | None = None  # code of the broader concept (sectors)
    levels: tuple[str, ...] = ()  # level codes where an agency exists
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class CatalogueEntry:
    """One indicator of the catalogue (a row of ``ontology/indicators.csv``)."""

    code: str
    name_en: str
    name_vi: str
    category: str | None  # None for context indicators (CSV "none")
    unit: str | None  # the catalogue's unit text; None when the manual gives none
    field: str  # field group: macro | economic | social | environment | state
    sector: str  # the catalogue's sector text, e.g. "ARD / cultivation"
    page: str  # manual page(s), e.g. "182-183" or "32; 47; 132"
    unit_codes: tuple[str, ...] = ()  # canonical unit codes the unit text maps to
    vi_translated: bool = False  # name_vi was translated by plancheck


# --- loading ---------------------------------------------------------------------------

def ontology_dir() -> Path:
    """The folder holding the ontology's Turtle files."""
    return data_path("ontology")


@functools.cache
def ontology_graph() -> Graph:
    """All ``ontology/*.ttl`` files parsed into one graph (cached; do not modify it)."""
    from rdflib import Graph  # only when the graph itself is needed (RDF, a cache miss)

    folder = ontology_dir()
    files = sorted(folder.glob("*.ttl"))
    if not files:
        raise OntologyError(f"no ontology files (*.ttl) in {folder}")
    graph = Graph()
    for path in files:
        try:
            graph.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises many kinds; all mean "unreadable"
            raise OntologyError(f"cannot parse ontology file {path}: {exc}") from exc
    graph.bind("pc", NS)
    return graph


def scheme_iri(scheme: str) -> URIRef:
    """The ``skos:ConceptScheme`` IRI of ``scheme`` (e.g. ``pc:AgencyScheme``)."""
    from rdflib import URIRef  # RDF only

    _check_scheme(scheme)
    return URIRef(NS + SCHEMES[scheme])


def scheme_base(scheme: str) -> str:
    """The IRI prefix of the concepts of ``scheme``, e.g. ``.../code/agency/``."""
    return f"{CODE_BASE}{scheme}/"


def _check_scheme(scheme: str) -> None:
    if scheme not in SCHEMES:
        raise ValueError(f"unknown code scheme {scheme!r}; expected one of "
                         f"{', '.join(SCHEMES)}")


def _extra_readers() -> dict[Any, tuple[str, Any]]:
    """predicate -> (key in Code.extra, how its object is read; None: the concept's
    notation)."""
    from rdflib import Literal, Namespace
    from rdflib.namespace import SKOS

    pc = Namespace(NS)

    def py(node: Any) -> Any:
        return node.toPython() if isinstance(node, Literal) else node

    return {
        pc.order: ("order", py),
        pc.periodsPerYear: ("periods_per_year", lambda o: float(py(o))),
        pc.unitKind: ("unit_kind", str),
        pc.pluralLabel: ("plural_en", str),
        SKOS.scopeNote: ("scope_note", str),
        SKOS.definition: ("definition", str),
        pc.expectedCategory: ("category", None),
        pc.expectedUnit: ("unit", str),
        pc.fieldGroup: ("field", None),
        pc.catalogueSector: ("sector", str),
        pc.sourcePage: ("page", str),
        pc.contextIndicator: ("context", lambda o: bool(py(o))),
        pc.labelNote: ("label_note", str),
    }


#: one concept as plain data: code, IRI, labels vi and en, synonyms, broader, levels, extra
Row = tuple[str, str, str, str, tuple[str, ...], str | None, tuple[str, ...], dict[str, Any]]


def tables_from_turtle() -> dict[str, list[Row]]:
    """Every scheme's concepts read from the Turtle, in code-list order (plain data, so the
    cache on disk can keep them)."""
    from rdflib import Literal, Namespace, URIRef
    from rdflib.namespace import SKOS

    g = ontology_graph()
    pc = Namespace(NS)
    readers = _extra_readers()

    def notation(node: Any) -> str | None:
        value = g.value(node, SKOS.notation)
        return None if value is None else str(value)

    def py(node: Any) -> Any:
        return node.toPython() if isinstance(node, Literal) else node

    out: dict[str, list[Row]] = {}
    for scheme in SCHEMES:
        found: list[tuple[int, str, Row]] = []
        for concept in set(g.subjects(SKOS.inScheme, pc[SCHEMES[scheme]])):
            if not isinstance(concept, URIRef):
                continue
            code = notation(concept) or unquote(str(concept).rsplit("/", 1)[-1])
            labels: dict[str | None, str] = {}
            alts: list[str] = []
            alts_vi: list[str] = []  # how a reviewer writes it in Vietnamese ("%/năm")
            broader = None
            levels: list[tuple[int, str]] = []
            units: list[str] = []
            extra: dict[str, Any] = {}
            for p, o in g.predicate_objects(concept):
                if p == SKOS.prefLabel and isinstance(o, Literal):
                    labels[o.language] = str(o)
                elif p == SKOS.altLabel:
                    alts.append(str(o))
                    if isinstance(o, Literal) and o.language == "vi":
                        alts_vi.append(str(o))
                elif p == SKOS.broader:
                    broader = notation(o)
                elif p == pc.existsAtLevel:
                    level_order = py(g.value(o, pc.order))
                    levels.append((level_order if isinstance(level_order, int) else 99,
                                   notation(o) or str(o)))
                elif p == pc.unitConcept:
                    units.append(notation(o) or str(o))
                elif p in readers:
                    key, read = readers[p]
                    extra[key] = notation(o) if read is None else read(o)
            if units:
                extra["unit_codes"] = tuple(sorted(units))
            if alts_vi:
                extra["alt_vi"] = tuple(sorted(alts_vi))
            label_en = labels.get("en") or labels.get(None) or code
            label_vi = labels.get("vi") or label_en
            row: Row = (code, str(concept), label_vi, label_en, tuple(sorted(set(alts))),
                        broader, tuple(c for _, c in sorted(levels)), extra)
            order = extra.get("order")
            found.append((order if isinstance(order, int) else 1 << 30, code, row))
        out[scheme] = [row for _, _, row in sorted(found, key=lambda t: (t[0], t[1]))]
    return out


@functools.cache
def tables() -> dict[str, list[Row]]:
    """:func:`tables_from_turtle`, once per process, through the cache on disk."""
    files = sorted(ontology_dir().glob("*"))
    # the layout of the rows is part of the key: "alt_vi" (Vietnamese synonyms) was added
    key = diskcache.fingerprint(*diskcache.file_parts(files), "rows: alt_vi",
                                version=__version__)
    return diskcache.cached("ontology", key, tables_from_turtle,
                            lambda found: isinstance(found, dict) and set(found) == set(SCHEMES))


@functools.cache
def codes(scheme: str) -> dict[str, Code]:
    """The concepts of ``scheme`` keyed by canonical code (cached: treat as read-only)."""
    _check_scheme(scheme)
    return {code: Code(scheme, code, iri, label_vi, label_en, alts, broader, levels,
                       MappingProxyType(extra))
            for code, iri, label_vi, label_en, alts, broader, levels, extra
            in tables()[scheme]}


# --- lookups ---------------------------------------------------------------------------

# lookups are keyed by texts from plans and sized like the text caches (LOOKUP_CACHE)

LABEL_DROP_BELOW = MARKS_BELOW  # every combining mark and space lies below (tests check)


@functools.cache
def _label_drop() -> dict[int, None]:
    """The code points a matching key leaves out: combining marks, white space and the
    ignored punctuation (a ``str.translate`` table; through the cache on disk, as
    :func:`~validator.core.text.marks_table`)."""
    key = diskcache.fingerprint(unicodedata.unidata_version, str(LABEL_DROP_BELOW),
                                "".join(sorted(_PUNCT_IGNORED)))
    return diskcache.cached("labels", key, label_drop_from_unicode,
                            lambda found: isinstance(found, dict))


def label_drop_from_unicode() -> dict[int, None]:
    table = dict(marks_table())
    table.update(dict.fromkeys(c for c in range(LABEL_DROP_BELOW) if chr(c).isspace()))
    table.update({ord(c): None for c in _PUNCT_IGNORED})
    return table


def normalize_label(text: str) -> str:
    """A matching key: case, spaces, diacritics and ``- . , ' _`` ignored (đ counts as d)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFKD", text).casefold().translate(_label_drop())


@functools.cache
def _notation_index(scheme: str) -> dict[str, str]:
    return {code.casefold(): code for code in codes(scheme)}


@functools.cache
def label_index(scheme: str) -> dict[str, str]:
    """Matching key (:func:`normalize_label`) -> code, for every notation, preferred label
    and synonym of ``scheme`` (cached: treat as read-only)."""
    index: dict[str, str] = {}
    entries = codes(scheme).values()
    # notations first, then preferred labels, then synonyms: earlier keys win on a clash
    for keys in ((lambda c: (c.code,)), (lambda c: (c.label_en, c.label_vi)),
                 (lambda c: c.alt_labels)):
        for entry in entries:
            for key in keys(entry):
                index.setdefault(normalize_label(key), entry.code)
    index.pop("", None)
    return index


@functools.lru_cache(maxsize=LOOKUP_CACHE)
def canonical_code(scheme: str, text: str) -> str | None:
    """The canonical code ``text`` names in ``scheme``, or None if the ontology has none.

    Codes match by notation, ignoring case; units and agencies also by their labels and
    synonyms, ignoring case, spaces, diacritics and ``- . , ' _`` ("dpi" -> "DPI",
    "Sở KH-ĐT" -> "DPI", "households" -> "household", "tỷ đồng" -> "billion VND").
    """
    _check_scheme(scheme)
    key = text.strip()
    found = _notation_index(scheme).get(key.casefold())
    if found is None and scheme in FUZZY_SCHEMES:
        found = label_index(scheme).get(normalize_label(key))
    return found


def get_code(scheme: str, text: str) -> Code | None:
    """The :class:`Code` ``text`` names in ``scheme`` (see :func:`canonical_code`), or None."""
    found = canonical_code(scheme, text)
    return None if found is None else codes(scheme)[found]


@functools.lru_cache(maxsize=LOOKUP_CACHE)
def code_iri(scheme: str, code: str) -> URIRef:
    """The concept IRI for ``code``: the known concept's, else one minted from the text.

    A minted IRI is ``CODE_BASE + scheme + "/" + quote(code, safe="-_.~")``;
    :func:`code_from_iri` inverts it.
    """
    from rdflib import URIRef  # RDF only

    found = canonical_code(scheme, code)
    if found is not None:
        return URIRef(codes(scheme)[found].iri)
    return URIRef(scheme_base(scheme) + quote(code, safe="-_.~"))


@functools.cache
def _iri_index() -> dict[str, tuple[str, str]]:
    return {str(entry.iri): (scheme, code)
            for scheme in SCHEMES for code, entry in codes(scheme).items()}


@functools.lru_cache(maxsize=LOOKUP_CACHE)
def code_from_iri(iri: str) -> tuple[str, str]:
    """``(scheme, code)`` for a concept IRI; the inverse of :func:`code_iri`.

    A known concept gives its canonical code (``unit/percent`` -> ``("unit", "%")``); an
    unknown IRI under :data:`CODE_BASE` gives its unquoted last part; any other IRI gives
    ``("", iri)`` so that it can be reported as an unknown code rather than crash.
    """
    text = str(iri)
    known = _iri_index().get(text)
    if known is not None:
        return known
    if text.startswith(CODE_BASE):
        scheme, _, code = text[len(CODE_BASE):].partition("/")
        if code:
            return scheme, unquote(code)
    return "", text


def label(scheme: str, code: str, lang: str = "en") -> str:
    """The preferred label of ``code`` in ``lang`` ("vi" or "en"); the code if unknown."""
    entry = get_code(scheme, code)
    if entry is None:
        return code
    if lang == "vi":
        return entry.label_vi
    return entry.label_en


def broader_chain(scheme: str, code: str) -> tuple[str, ...]:
    """The codes above ``code`` (nearest first), e.g. cultivation -> (ARD, economic)."""
    entries = codes(scheme)
    chain: list[str] = []
    current = canonical_code(scheme, code)
    while current is not None and current in entries:
        current = entries[current].broader
        if current is None or current in chain:
            break
        chain.append(current)
    return tuple(chain)


def field_of(sector: str) -> str | None:
    """The field (top concept of the sector scheme) a field or sector code belongs to."""
    found = canonical_code("sector", sector)
    if found is None:
        return None
    chain = broader_chain("sector", found)
    return chain[-1] if chain else found


def periods_per_year(frequency: str) -> float | None:
    """Reporting periods per year of a frequency code (monthly 12, biennial 0.5)."""
    entry = get_code("frequency", frequency)
    return None if entry is None else entry.extra.get("periods_per_year")


def unit_kind(unit: str) -> str | None:
    """The kind of a unit ("percent", "growth" (%/year), "rate", "count", "currency",
    "measure", "index", "ratio", "qualitative"), or None if the unit is unknown."""
    entry = get_code("unit", unit)
    return None if entry is None else entry.extra.get("unit_kind")


@functools.cache
def catalogue() -> dict[str, CatalogueEntry]:
    """The indicator catalogue keyed by indicator code (cached: treat as read-only)."""
    out: dict[str, CatalogueEntry] = {}
    for code, entry in codes("indicator").items():
        x = entry.extra
        out[code] = CatalogueEntry(
            code=code,
            name_en=entry.label_en,
            name_vi=entry.label_vi,
            category=x.get("category"),
            unit=x.get("unit") or None,
            field=x.get("field") or "",
            sector=x.get("sector", ""),
            page=x.get("page", ""),
            unit_codes=x.get("unit_codes", ()),
            vi_translated="label_note" in x,
        )
    return out
