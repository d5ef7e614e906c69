"""The plan header of a workbook without a plan sheet (the title block, what the user gave,
and what is derived), and the finding that says which fields were not typed in a plan sheet.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from validator.core.errors import InputError
from validator.core.findings import Finding, Location
from validator.core.i18n import LANGS, Shown, _
from validator.formats.xlsx import vocab
from validator.formats.xlsx.layout import find_layout
from validator.formats.xlsx.titleblock import GIVEN_KEYS, REQUIRED, derived_id, read_title_block
from validator.plan.ontology import label

HEADER_RULE = "XLSX-02"
EMPTY_RULE = "XLSX-03"
_SOURCES = {"title": _("the title"), "body": _("the issuing body"), "date": _("the date line")}


@dataclass(frozen=True)
class _Field(Shown):
    """A plan header field as the finding names it: in Vietnamese by the plan sheet's key,
    with the name --plan takes after it ("tên kế hoạch (title)"); in English by that name."""

    name: str

    def render(self, lang: str) -> str:
        words = vocab.PLAN_KEYS.get(self.name)
        if lang == "en" or not words:
            return self.name
        shown = words[lang][0]
        return f"{shown[:1].lower()}{shown[1:]} ({self.name})"


class InferredHeaderReader:
    """Mixin of :class:`~validator.formats.xlsx.reader.Reader`: the header of a workbook
    without a plan sheet, and what the user gave (``--plan``) for any workbook."""

    given: Mapping[str, Any]

    def given_raw(self, cell: str) -> dict[tuple[str, str | None], tuple[Any, str]]:
        """The given header fields as plan-sheet entries (at ``cell``)."""
        return {(GIVEN_KEYS[name], None): (value, cell) for name, value in self.given.items()
                if name in GIVEN_KEYS}

    def read_inferred_header(self) -> None:
        """Fill :attr:`header` from the title blocks; ask for what they do not say."""
        sheets = []
        for sheet in self.sheets:  # type: ignore[attr-defined]
            k = vocab.key(sheet.name)
            if k in vocab.SKIPPED_SHEETS or k in vocab.CONSULTATION_SHEETS or (
                    k in vocab.SHARED_SOLUTION_SHEETS):
                continue
            try:
                layout = find_layout(sheet, self.file)  # type: ignore[attr-defined]
            except InputError:
                layout = None  # reported when the sheet is read
            sheets.append((sheet, layout.header_row if layout else None))
        block = read_title_block(sheets)
        for cell, message in block.problems:
            self.error(cell, message)  # type: ignore[attr-defined]
        given = self.given_raw(block.first_cell)
        raw = {(name, None): (clue.value if name != "period" else
                              f"{clue.value[0]}-{clue.value[1]}", clue.cell)
               for name, clue in block.clues.items()}
        for entry in given:
            raw.pop(entry, None)
        raw.update(given)
        if (("submitted_by", None) in raw) != (("submitted_on", None) in raw):
            raw.pop(("submitted_by", None), None)  # a submission needs both who and when
            raw.pop(("submitted_on", None), None)
        if ("title", None) in raw:
            self.map.put(("plan",), raw[("title", None)][1])  # type: ignore[attr-defined]
        elif ("id", None) not in raw:
            self.map.put(("plan",), block.first_cell)  # type: ignore[attr-defined]
        header = self.plan_header(raw)  # type: ignore[attr-defined]
        missing = [name for name in REQUIRED if name not in header]
        if missing and not block.problems:  # else the title's own error says it all
            self.error(block.first_cell, _(  # type: ignore[attr-defined]
                "the file has no plan sheet and its title block does not say the plan's "
                "{fields}; give them with --plan (e.g. {example}) or in plancheck.toml under "
                "[tool.plancheck.plan], or add a plan sheet (see docs/xlsx.md)",
                fields=", ".join(missing),
                example=" ".join(f"--plan {name}={_EXAMPLES[name]}" for name in missing)))
        derived = []
        if "id" not in header and not missing:
            header["id"] = derived_id(header)
            derived.append("id")
            self.map.put(("plan", "id"), self.map.cell(("plan",)))  # type: ignore
        if "title" not in header and not missing:
            header["title"] = _default_title(header)
            derived.append("title")
        header = {k: header[k] for k in sorted(header, key=_ORDER.index)}
        self.header = header
        self.inferred = [(name, block.clues[name].source, block.clues[name].cell)
                         for name in _fields(header) if name in block.clues
                         and (name, None) not in given] + [(n, "derived", None) for n in derived]

    def complete_header(self, raw: Mapping[tuple[str, str | None], tuple[Any, str]],
                        where: str) -> None:
        """A plan sheet's header: a blank plan ID derived; a template's placeholders left
        in place refused at their cells."""
        header = self.header  # type: ignore[has-type]
        for name in ("locality", "id"):
            value = header.get(name)
            if value is not None and is_placeholder(name, value, header):
                self.error(raw[(name, None)][1], _(  # type: ignore[attr-defined]
                    "'{value}' is the template's placeholder: type the plan's {field}",
                    value=value, field=_FIELDS[name]) if name == "locality" else _(
                    "'{value}' is the template's placeholder ID: type the plan's own ID, or "
                    "leave the cell blank to have one made from locality, kind and period",
                    value=value))
        if "id" not in header and all(n in header for n in REQUIRED):
            header["id"] = derived_id(header)
            self.map.put(("plan", "id"), where)  # type: ignore[attr-defined]
            self.inferred = [("id", "derived", None)]
            self.header = {k: header[k] for k in sorted(header, key=_ORDER.index)}


_FIELDS = {"locality": _("locality")}
_PLACEHOLDERS = {vocab.key(p) for p in ("(tên địa phương)", "(locality)", "tên địa phương",
                                        "locality")}


def is_placeholder(name: str, value: Any, header: Mapping[str, Any]) -> bool:
    """Whether a header value is what ``plancheck template`` wrote for the officer to
    overwrite (the locality placeholder, or the ID made of kind and years only)."""
    if name == "locality":
        return vocab.key(value) in _PLACEHOLDERS
    kind, period = header.get("kind"), header.get("period")
    if not kind or not period:
        return False
    years = f"{period[0]}" + (f"-{period[1]}" if period[1] != period[0] else "")
    return str(value) == f"{str(kind).replace('_', '-')}-{years}"


_ORDER = ["id", "title", "kind", "level", "locality", "sector", "period", "baseline_year",
          "parent", "excerpt", "submitted", "consultations"]
_EXAMPLES = {"kind": "five_year_sedp", "period": "2026-2030", "level": "district",
             "locality": "'Bảo Thắng'"}


def _fields(header: Mapping[str, Any]) -> list[str]:
    return [n for n in ("title", "kind", "level", "locality", "sector", "period",
                        "submitted_by", "submitted_on") if n in header or (
        n.startswith("submitted") and "submitted" in header)]


def _default_title(header: Mapping[str, Any]) -> dict[str, str]:
    period = header["period"]
    years = str(period[0]) if period[0] == period[1] else f"{period[0]}-{period[1]}"
    return {lang: f"{label('kind', header['kind'], lang)} {years} {header['locality']}"
            for lang in LANGS}


def header_finding(reader: Any, plan_id: str) -> list[Finding]:
    """An info finding naming the header fields read from the title block (and derived),
    so that a reviewer sees what was not typed in a plan sheet."""
    inferred = getattr(reader, "inferred", None)
    if not inferred:
        return []
    groups: dict[tuple[str, str | None], list[str]] = {}
    for name, source, cell in inferred:
        groups.setdefault((source, cell), []).append(name)
    parts = []
    for (source, cell), names in groups.items():
        if source == "derived":
            parts.append(_("{fields} (derived)", fields=tuple(map(_Field, names))))
        else:
            parts.append(_("{fields} (from {source} at {cell})", fields=tuple(map(_Field, names)),
                           cell=cell, source=_SOURCES[source]))
    message = {lang: _("these plan header fields were not typed in a plan sheet but read "
                       "from the title block or made: {fields}. Check them; give them with "
                       "--plan or in a plan sheet to change them",
                       fields="; ".join(p.render(lang) for p in parts)
                       ).render(lang) for lang in LANGS}
    title = _("Plan header inferred from the title block")
    cell = reader.map.cell(("plan",))
    return [Finding(
        rule=HEADER_RULE, severity="info",
        title={lang: title.render(lang) for lang in LANGS},
        message=message,
        entity_kind="plan", entity=plan_id, plan=plan_id, objective=None,
        location=Location(reader.file, None, None, "plan", cell=cell),
        source="plancheck workbook intake (docs/xlsx.md)", tags=("xlsx", "header"),
        evidence={"inferred": [name for name, _source, _cell in inferred]})]



def empty_finding(reader: Any, plan_id: str, objectives: int) -> list[Finding]:
    """An error finding for a workbook or document with no objectives: an untouched
    template, or frameworks the reader did not recognise, must not pass as a clean plan."""
    if objectives:
        return []
    title = _("The file holds no objectives")
    message = _("no objectives were read from this file: fill in the general framework and "
                "the targets sheet (an untouched template?), or check that each framework "
                "has a header row with 'Mục tiêu' and 'Chỉ tiêu' columns (docs/xlsx.md)")
    return [Finding(
        rule=EMPTY_RULE, severity="error",
        title={lang: title.render(lang) for lang in LANGS},
        message={lang: message.render(lang) for lang in LANGS},
        entity_kind="plan", entity=plan_id, plan=plan_id, objective=None,
        location=Location(reader.file, None, None, "objectives",
                          cell=reader.map.cell(("plan",))),
        source="plancheck workbook intake (docs/xlsx.md)", tags=("xlsx", "header"),
        evidence={"objectives": 0})]
