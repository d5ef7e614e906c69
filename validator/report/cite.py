"""A rule's source as a citation a reviewer can follow, in Vietnamese or English.

Rules cite in a compact English form (``MPI 2013 manual p.31, p.117–118 (derived)``,
``SEDP planning calendar (source 003)``, ``Law 72/2025/QH15``); reports show it as the
reviewer looks it up: ``Sổ tay MPI 2013, tr.31, tr.117–118 (suy ra)`` / ``MPI 2013 manual,
p.31, p.117–118 (derived)``, the bundled documents by their titles, never by their internal
numbers, and laws and dates as the language writes them. Every word of it comes from the
catalogue; JSON and SARIF keep the rule's text as written.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from validator.core.i18n import Message, _, render

# the documents behind the bundled rules (the project's sources/), by their titles
_DOCUMENTS = {
    "000": _("Chia Se II study tour on socio-economic development planning (Sida)"),
    "001": _("Steering the LRED process: the Local Coordination Board model (MPI–GTZ SMED)"),
    "002": _("Best practice Lang Son: public institutional innovation (DELGOSEA)"),
    "003": _("SEDP planning: the top-down and bottom-up processes (chart of the planning "
             "calendar by level, SMNR-CV project)"),
}
_CALENDAR = re.compile(r"SEDP planning calendar\s*\(source (\d{3})\)")
_SOURCES = re.compile(r"\bsources? (\d{3}(?:,\s*\d{3})*)")
_MANUAL = re.compile(r"\bMPI 2013 manual\b\s*")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def _date(day: str, month: str, year: str) -> dt.date:
    return dt.date(int(year), _MONTHS.index(month) + 1, int(day))


# the terms of a citation, as the rules write them (in English): each becomes the
# catalogue's text in another language, with what the pattern captured
_TERMS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], Message]]] = [
    (re.compile(r"\bpp?\.\s?(\d+(?:[–-]\d+)?)"), lambda m: _("p.{page}", page=m[1])),
    (re.compile(r"\bfn\.\s?(\d+)"), lambda m: _("fn.{n}", n=m[1])),
    (re.compile(r"\bFig\.?\s(\d+(?:\.\d+)*)"), lambda m: _("Fig. {n}", n=m[1])),
    (re.compile(r"\bitems? (\d+(?:[–-]\d+)?(?:, \d+(?:[–-]\d+)?)*)"),
     lambda m: _("items {n}", n=m[1])),
    (re.compile(r"\bprinciple (\d+)"), lambda m: _("principle {n}", n=m[1])),
    (re.compile(r"\(derived\)"), lambda m: _("(derived)")),
    (re.compile(r"\bderived from\b"), lambda m: _("derived from")),
    (re.compile(r"\b(\S+ \S+) DPI guidance on public investment\b"),
     lambda m: _("{province} DPI guidance on public investment", province=m[1])),
    (re.compile(r"\b(\S+ \S+) DPI guidance on M&E frameworks\b"),
     lambda m: _("{province} DPI guidance on M&E frameworks", province=m[1])),
    (re.compile(r"\bLaw (\d+/\d{4}/\S+?)(?=[;,)]|\s|$)"),
     lambda m: _("Law {number}", number=m[1])),
    (re.compile(r"\bDecree (\d+/\d{4}/\S+?)(?=[;,)]|\s|$)"),
     lambda m: _("Decree {number}", number=m[1])),
    (re.compile(r"\bResolution (\d+/\d{4}/\S+?)(?=[;,)]|\s|$)"),
     lambda m: _("Resolution {number}", number=m[1])),
    (re.compile(r"\b(\d+) provinces\b"), lambda m: _("{n} provinces", n=m[1])),
    (re.compile(r"\blocal government in two levels\b"),
     lambda m: _("local government in two levels")),
    (re.compile(rf"\bfrom (\d{{1,2}}) ({'|'.join(_MONTHS)}) (\d{{4}})\b"),
     lambda m: _("from {date}", date=_date(m[1], m[2], m[3]))),
    (re.compile(r"^plancheck waivers$"), lambda m: _("plancheck waivers")),
    # the workbook reader's own findings (validator/formats/xlsx)
    (re.compile(r"^plancheck workbook intake\b"), lambda m: _("plancheck workbook intake")),
]


def citation(source: str, lang: str) -> str:
    """``source`` as a reviewer reads it in ``lang`` (empty stays empty)."""
    if not source:
        return ""
    text = _CALENDAR.sub(lambda m: _document(m.group(1), lang), source)
    text = _SOURCES.sub(lambda m: "; ".join(_document(n.strip(), lang)
                                            for n in m.group(1).split(",")), text)
    manual = render(_("MPI 2013 manual"), lang)
    text = _MANUAL.sub(manual + ", ", text).replace(", ,", ",").rstrip(", ")
    if lang != "en":  # the rules cite in English: other languages translate the terms
        for pattern, term in _TERMS:
            text = pattern.sub(_rendered(term, lang), text)
    return text


def _rendered(term: Callable[[re.Match[str]], Message], lang: str
              ) -> Callable[[re.Match[str]], str]:
    return lambda match: render(term(match), lang)


def _document(number: str, lang: str) -> str:
    title = _DOCUMENTS.get(number)
    return render(title if title is not None else _("document {number}", number=number), lang)
