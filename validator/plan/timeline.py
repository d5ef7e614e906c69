"""The ontology through time: which agencies, levels and provinces exist on a date.

The 2025 reorganisation (ministries and departments merged on 1 March 2025, the district
level and 29 provinces ended on 30 June 2025) means a name is right or wrong by date: "DPI"
is the province's planning body for a 2021-2025 plan and a body that no longer exists for a
2026-2030 one. The Turtle (``ontology/*.ttl``, plancheck.ttl section "Time") gives each
concept ``pc:validFrom`` / ``pc:validThrough`` (inclusive days) and its successors; this
module reads them once and answers the questions the rules, templates and the command line
ask: valid on a day, valid some time in a window, what replaced a body, which agencies a
level has on a day, which province a name means on a day.

Codes are the canonical codes of :mod:`validator.plan.ontology` (``codes("agency")``);
provinces, which are not one of its schemes, are handled here.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass

from validator import __version__
from validator.core import diskcache
from validator.core.i18n import _, render
from validator.plan.ontology import (
    canonical_code,
    codes,
    normalize_label,
    ontology_dir,
    ontology_graph,
)


@dataclass(frozen=True)
class Span:
    """When a concept is valid, and what follows it; both bounds inclusive, None is open."""

    code: str
    valid_from: dt.date | None
    valid_through: dt.date | None
    successors: tuple[str, ...] = ()  # merged into, renamed to, split into
    transfers: tuple[str, ...] = ()  # functions transferred to (not successors)
    history_vi: str = ""
    history_en: str = ""

    def valid_on(self, day: dt.date) -> bool:
        """True when the concept is valid on ``day``."""
        return ((self.valid_from is None or self.valid_from <= day)
                and (self.valid_through is None or day <= self.valid_through))

    def overlaps(self, first: dt.date, last: dt.date) -> bool:
        """True when the concept is valid on some day from ``first`` through ``last``."""
        return ((self.valid_from is None or self.valid_from <= last)
                and (self.valid_through is None or first <= self.valid_through))


@dataclass(frozen=True)
class Province:
    """A province or centrally-run city of ``ontology/localities.ttl`` with its validity."""

    span: Span
    label_vi: str
    label_en: str
    admin_code: str
    alt_labels: tuple[str, ...] = ()

    @property
    def code(self) -> str:
        return self.span.code


@dataclass(frozen=True)
class ProvinceMatch:
    """What a province name means on a day: the province then, and, when the name was a
    province that had ended (merged) by that day, the former province it named."""

    province: Province
    former: Province | None = None

    def note(self, lang: str = "en") -> str | None:
        """The note for a merged name ("Yên Bái ... is part of Lào Cai ..."), else None."""
        if self.former is None:
            return None
        when = self.former.span.valid_through
        day = None if when is None else when + dt.timedelta(days=1)
        former, now = ((self.former.label_vi, self.province.label_vi) if lang == "vi"
                       else (self.former.label_en, self.province.label_en))
        return render(_("{former} was merged into {province} on {day}", former=former,
                        province=now, day=day), lang)


#: (valid_from, valid_through, successors, transfers, history_vi, history_en, approves_only)
_Row = tuple[dt.date | None, dt.date | None, tuple[str, ...], tuple[str, ...], str, str, bool]


def tables_from_turtle() -> dict[str, dict[str, tuple[object, ...]]]:
    """The dates, successors and notes of every agency, level and province, as plain data
    read from the Turtle (rdflib imported here only, so the cache on disk can keep them)."""
    from rdflib import Literal, Namespace, URIRef
    from rdflib.namespace import SKOS

    pc = Namespace("https://w3id.org/plancheck/ns#")
    g = ontology_graph()
    notation_of = {s: str(o) for s, o in g.subject_objects(SKOS.notation)
                   if isinstance(s, URIRef)}

    def day(value: object) -> dt.date | None:
        value = value.toPython() if isinstance(value, Literal) else value
        return value if isinstance(value, dt.date) else None

    def row(node: URIRef) -> tuple[object, ...]:
        def targets(*props: URIRef) -> tuple[str, ...]:
            return tuple(sorted({notation_of.get(o, str(o)) for p in props
                                 for o in g.objects(node, p) if isinstance(o, URIRef)}))
        notes = {o.language: str(o) for o in g.objects(node, SKOS.historyNote)
                 if isinstance(o, Literal)}
        approves = g.value(node, pc.approvesOnly)
        return (day(g.value(node, pc.validFrom)), day(g.value(node, pc.validThrough)),
                targets(pc.mergedInto, pc.renamedTo, pc.splitInto),
                targets(pc.functionsTransferredTo), notes.get("vi", ""), notes.get("en", ""),
                bool(approves.toPython()) if isinstance(approves, Literal) else False)

    out: dict[str, dict[str, tuple[object, ...]]] = {}
    for scheme in ("agency", "level"):
        out[scheme] = {code: row(URIRef(entry.iri)) for code, entry in codes(scheme).items()}
    provinces: dict[str, tuple[object, ...]] = {}
    for node in sorted(set(g.subjects(SKOS.inScheme, pc.ProvinceScheme)), key=str):
        if not isinstance(node, URIRef):
            continue
        code = notation_of.get(node, str(node).rsplit("/", 1)[-1])
        labels = {o.language: str(o) for o in g.objects(node, SKOS.prefLabel)
                  if isinstance(o, Literal)}
        alts = tuple(sorted(str(o) for o in g.objects(node, SKOS.altLabel)))
        provinces[code] = (*row(node), labels.get("vi", code),
                           labels.get("en", labels.get("vi", code)),
                           str(g.value(node, pc.adminCode) or ""), alts)
    out["province"] = provinces
    return out


@functools.cache
def _tables() -> dict[str, dict[str, tuple[object, ...]]]:
    """:func:`tables_from_turtle`, once per process, through the cache on disk (the same
    key as the ontology's own tables: the bytes of the Turtle files and the version)."""
    files = sorted(ontology_dir().glob("*"))
    key = diskcache.fingerprint(*diskcache.file_parts(files), version=__version__)
    return diskcache.cached("timeline", key, tables_from_turtle,
                            lambda found: isinstance(found, dict)
                            and set(found) == {"agency", "level", "province"})


def _span(code: str, row: tuple[object, ...]) -> Span:
    return Span(code, *row[:6])  # type: ignore[arg-type]


@functools.cache
def spans(scheme: str) -> dict[str, Span]:
    """The validity of every concept of ``scheme`` ("agency" or "level") by code."""
    return {code: _span(code, row) for code, row in _tables()[scheme].items()}


def span(scheme: str, code: str) -> Span | None:
    """The validity of one code (any spelling :func:`canonical_code` accepts), or None."""
    found = canonical_code(scheme, code)
    return None if found is None else spans(scheme).get(found)


def valid_on(scheme: str, code: str, day: dt.date) -> bool:
    """True when the code is known in ``scheme`` and valid on ``day``."""
    found = span(scheme, code)
    return found is not None and found.valid_on(day)


# --- levels ------------------------------------------------------------------------------

def level_valid_on(level: str, day: dt.date) -> bool:
    """True when the administrative level exists on ``day`` (the district not after
    30 June 2025)."""
    return valid_on("level", level, day)


def levels_on(day: dt.date) -> tuple[str, ...]:
    """The levels that exist on ``day``, from the nation down."""
    return tuple(code for code, s in spans("level").items() if s.valid_on(day))


def levels_for_period(first_year: int, last_year: int | None = None) -> tuple[str, ...]:
    """The levels a plan for ``first_year``-``last_year`` can be made at: those that exist
    on the first day of the period (a 2021-2025 district plan, not a 2026-2030 one)."""
    return levels_on(dt.date(first_year, 1, 1))


def parent_level(level: str, day: dt.date) -> str | None:
    """The nearest level above ``level`` that exists on ``day``: a commune's parent is the
    district until 30 June 2025 and the province from 1 July 2025."""
    order = list(codes("level"))
    found = canonical_code("level", level)
    if found is None or found not in order:
        return None
    above = [c for c in order[:order.index(found)] if spans("level")[c].valid_on(day)]
    return above[-1] if above else None


# --- agencies ----------------------------------------------------------------------------

def agency_exists(agency: str, level: str | None, first: dt.date,
                  last: dt.date | None = None) -> bool:
    """True when the agency exists (at ``level``, if given) on some day from ``first``
    through ``last`` (default: that one day), the level itself existing on that day too."""
    last = first if last is None else last
    code = canonical_code("agency", agency)
    if code is None:
        return False
    own = spans("agency")[code]
    if level is None:
        return own.overlaps(first, last)
    lvl = canonical_code("level", level)
    if lvl is None or lvl not in codes("agency")[code].levels:
        return False
    where = spans("level")[lvl]
    start = max(d for d in (first, own.valid_from, where.valid_from) if d is not None)
    ends = [d for d in (last, own.valid_through, where.valid_through) if d is not None]
    return start <= min(ends)


def agencies_on(level: str | None, day: dt.date, *, approvers: bool = True) -> list[str]:
    """The agency codes that exist (at ``level``) on ``day``, in the ontology's order.
    ``approvers=False`` leaves out the bodies that only approve plans (Party committees)."""
    entries = codes("agency")
    out = [code for code in entries if agency_exists(code, level, day)]
    if not approvers:
        out = [c for c in out if not approves_only(c)]
    return out


def approves_only(agency: str) -> bool:
    """True for a body that approves plans and never compiles, provides or submits them."""
    code = canonical_code("agency", agency)
    return code is not None and bool(_tables()["agency"][code][6])


def successors(agency: str, day: dt.date, *, transfers: bool = True) -> list[str]:
    """What to name instead of an agency that no longer exists on ``day``: its successors
    (merged into, renamed to, split into) valid on ``day``, following a chain of changes;
    when it has none, and ``transfers``, the bodies its functions went to. Empty for an
    agency still valid on ``day``, one not yet created, or one with nothing after it."""
    code = canonical_code("agency", agency)
    table = spans("agency")
    if code is None or table[code].valid_on(day):
        return []
    out: list[str] = []
    seen = {code}
    frontier = [code]
    while frontier:
        current = table[frontier.pop(0)]
        nxt = list(current.successors) or (list(current.transfers) if transfers else [])
        for follower in nxt:
            if follower in seen or follower not in table:
                continue
            seen.add(follower)
            if table[follower].valid_on(day):
                out.append(follower)
            else:
                frontier.append(follower)
    return out


def current_agencies(agencies: Iterable[str], level: str | None, first: dt.date,
                     last: dt.date) -> list[str]:
    """The agencies as they are during ``first``-``last``: each one that exists then (at
    ``level``) kept, each one that had ended replaced by what it became on ``last`` (its
    successors first, then the bodies valid then that took part of its functions: DOLISA
    is Home Affairs, and Health, Education and Agriculture and Environment too); order
    kept, no repeats. An unknown name is kept as it is."""
    out: list[str] = []
    table = spans("agency")
    for agency in agencies:
        code = canonical_code("agency", agency)
        if code is None:
            found = [agency]
        elif agency_exists(code, level, first, last):
            found = [code]
        else:
            found = successors(code, last) + [
                t for t in table[code].transfers if t in table and table[t].valid_on(last)]
        for item in found:
            if item not in out:
                out.append(item)
    return out


# --- provinces -----------------------------------------------------------------------------

@functools.cache
def provinces() -> dict[str, Province]:
    """Every province and centrally-run city of ``localities.ttl`` by code, in the order of
    their official codes (a code shared by an earlier and a later unit: earlier first)."""
    out = {code: Province(_span(code, row), *row[7:])  # type: ignore[arg-type]
           for code, row in _tables()["province"].items()}
    return dict(sorted(out.items(), key=lambda kv: (
        kv[1].admin_code, kv[1].span.valid_from or dt.date.min, kv[0])))


def provinces_on(day: dt.date) -> list[Province]:
    """The provinces valid on ``day``: 63 on 30 June 2025, 34 from 1 July 2025."""
    return [p for p in provinces().values() if p.span.valid_on(day)]


@functools.cache
def _province_names() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for code, p in provinces().items():
        for name in (code, p.label_vi, p.label_en, *p.alt_labels):
            key = normalize_label(name)
            for prefix in ("tinh", "thanhpho", "tp"):  # "Tỉnh Lào Cai" is "Lào Cai"
                if key.startswith(prefix) and len(key) > len(prefix) + 2:
                    index.setdefault(key[len(prefix):], []).append(code)
            index.setdefault(key, []).append(code)
    return {k: tuple(dict.fromkeys(v)) for k, v in index.items()}


def province_on(name: str, day: dt.date) -> ProvinceMatch | None:
    """The province ``name`` means on ``day``: the unit of that name valid then, else the
    successor of the unit of that name that had ended (with a note); None if unknown.

    "Lào Cai" in 2023 is the old Lào Cai (code 10), in 2026 the new one (code 15);
    "Yên Bái" in 2026 is the new Lào Cai, with the note that Yên Bái was merged into it.
    """
    table = provinces()
    found = _province_names().get(normalize_label(name.strip()), ())
    for code in found:
        if table[code].span.valid_on(day):
            return ProvinceMatch(table[code])
    for code in found:
        former = table[code]
        chain = list(former.span.successors)
        seen = {code}
        while chain:
            nxt = chain.pop(0)
            if nxt in seen or nxt not in table:
                continue
            seen.add(nxt)
            if table[nxt].span.valid_on(day):
                return ProvinceMatch(table[nxt], former)
            chain.extend(table[nxt].span.successors)
    return None


def _candidates(text: str) -> list[str]:
    """The parts of a locality that may name its province: the whole text, the text in
    brackets ("Bắc Hà (Lào Cai)"), and the last part after a comma ("xã Bắc Hà, Lào Cai")."""
    out = [text]
    if "(" in text and ")" in text:
        out.append(text[text.rindex("(") + 1:text.rindex(")")])
        out.append(text[:text.index("(")])
    if "," in text:
        out.append(text.rsplit(",", 1)[1])
    return [c.strip() for c in out if c.strip()]


def province_in(locality: str, day: dt.date) -> ProvinceMatch | None:
    """The province a plan's locality names on ``day`` (see :func:`province_on`), reading
    the whole text, then its bracketed part, then its last comma-separated part."""
    for text in _candidates(locality):
        found = province_on(text, day)
        if found is not None:
            return found
    return None
