"""The plan sheet (one key and value per row) and the consultations sheet."""

from __future__ import annotations

import re
from typing import Any

from validator.core.i18n import _
from validator.formats.xlsx import vocab
from validator.formats.xlsx.grid import Sheet, no_value, own, quoted
from validator.formats.xlsx.values import (
    CellValueError,
    date_value,
    text_value,
    whole_number,
    yes_no,
)

_SPAN = re.compile(r"^\s*(\d{4})\s*(?:[-–—/]|đến|to)\s*(\d{4})\s*$")


class PlanSheetReader:
    """Mixin of :class:`~validator.xlsx.reader.Reader`: the plan and consultations sheets."""

    # --- the plan sheet --------------------------------------------------------------

    def read_plan_sheet(self, sheet: Sheet) -> None:
        raw: dict[tuple[str, str | None], tuple[Any, str]] = {}
        for row in sheet.rows():
            first = self.first_cell(sheet, row)
            if first is None:
                continue
            label = sheet.text(*first)
            found = vocab.plan_key(label)
            value_at = self.first_cell(sheet, row, first[1] + 1)
            if found is None:
                if value_at is not None:
                    keys = ", ".join(w["vi"][0] for n, w in vocab.PLAN_KEYS.items()
                                     if n != "ignore")
                    self.error(sheet.cell(*first), _("unknown plan key {label}; expected one "
                                                     "of: {keys} (or the English keys)",
                                                     label=repr(label), keys=keys))
                continue
            if found[0] == "ignore" or value_at is None:
                continue
            cell = sheet.cell(*value_at)
            formula = sheet.uncached(*value_at)
            if formula is not None:
                self.error(cell, no_value(formula))
                continue
            if found in raw:
                self.error(cell, _("plan key {label} given twice (first at {cell})",
                                   label=repr(label), cell=raw[found][1]))
                continue
            raw[found] = (sheet.value(*value_at), cell)
        for entry, given in self.given_raw(f"{quoted(sheet.name)}!A1").items():
            raw.setdefault(entry, given)  # --plan fills in what the sheet does not say
        self.header = self.plan_header(raw)
        self.map.put(("plan",), f"{quoted(sheet.name)}!A1")
        self.complete_header(raw, f"{quoted(sheet.name)}!A1")  # a blank ID, placeholders

    def plan_header(self, raw: dict[tuple[str, str | None], tuple[Any, str]]) -> dict[str, Any]:
        header: dict[str, Any] = {}

        def put(name: str, convert: Any, lang: str | None = None, target: str | None = None
                ) -> Any:
            if (name, lang) not in raw:
                return None
            value, cell = raw[(name, lang)]
            self.map.put(("plan", target or name), cell)
            try:
                return convert(value)
            except CellValueError as exc:
                self.error(cell, exc.args[0])
                return None

        for name in ("id", "locality", "parent"):
            value = put(name, text_value)
            if value is not None:
                header[name] = value
        if ("id", None) in raw:
            self.map.put(("plan",), raw[("id", None)][1])  # plan findings point at the ID
        title = self.bilingual(put("title", text_value),
                               *[(lang, put("title", text_value, lang)) for lang in vocab.LANGS])
        if title is not None:
            header["title"] = title
        for name, scheme in (("kind", "kind"), ("level", "level"), ("sector", "sector")):
            value = put(name, text_value)
            if value is not None:
                header[name] = vocab.code_of(scheme, value)
        first, last = put("first_year", whole_number), put("last_year", whole_number)
        span = put("period", self.period_text)
        if span is not None:
            if first is not None or last is not None:
                self.error(raw[("period", None)][1], _("give either the period or the first "
                                                       "and last years, not both"))
            first, last = span
        if first is not None or last is not None:
            header["period"] = [first, last if last is not None else first]
            for name in ("first_year", "last_year", "period"):
                if (name, None) in raw:
                    self.map.put(("plan", "period"), raw[(name, None)][1])
        excerpt = put("excerpt", yes_no)
        if excerpt is not None:
            header["excerpt"] = excerpt
        baseline = put("baseline_year", whole_number)
        if baseline is not None:
            header["baseline_year"] = baseline
        by = put("submitted_by", text_value, target="submitted")
        on = put("submitted_on", date_value, target="submitted")
        if by is not None or on is not None:
            header["submitted"] = {k: v for k, v in (("by", by), ("on", on)) if v is not None}
            if by is not None:
                header["submitted"]["by"] = vocab.code_of("agency", by)
        document = put("document", text_value)
        if document is not None:
            header["document"] = document
        adopted = {key: put(name, convert, target="adopted") for key, name, convert in (
            ("act", "adopted_act", text_value), ("on", "adopted_on", date_value),
            ("body", "adopted_by", text_value))}
        if any(v is not None for v in adopted.values()):
            header["adopted"] = {k: v for k, v in adopted.items() if v is not None}
        not_encoded = put("not_encoded", text_value)
        if not_encoded is not None:  # "solutions, agencies": the model checks each name
            header["not_encoded"] = [p.strip() for p in re.split(r"[,;\n]", not_encoded)
                                     if p.strip()]
        return header

    @staticmethod
    def period_text(value: Any) -> tuple[int, int]:
        if isinstance(value, int | float) and not isinstance(value, bool):
            year = whole_number(value, _("a year"))
            return year, year
        text = str(value).strip()
        if m := _SPAN.match(text):
            return int(m.group(1)), int(m.group(2))
        year = whole_number(text, _("a period like 2026-2030 or a year like 2027"))
        return year, year

    @staticmethod
    def bilingual(main: str | None, *others: tuple[str, str | None]) -> Any:
        """A text from a main column and its companion columns: a plain text, or vi/en."""
        tagged = {lang: text for lang, text in others if text}
        if not tagged:
            return main
        if main:
            main_lang = vocab.OTHER[next(iter(tagged))]
            tagged.setdefault(main_lang, main)
        return {lang: tagged[lang] for lang in vocab.LANGS if lang in tagged}

    # --- consultations ---------------------------------------------------------------

    def read_consultations(self, sheet: Sheet) -> list[dict[str, Any]]:
        header_row, columns = sheet.header(_consultation_role, {"with", "on"})
        if header_row is None:
            self.error(f"{quoted(sheet.name)}!A1", _(
                "the consultations sheet needs a header row with 'Đối tượng tham vấn' (With) "
                "and 'Ngày' (Date) columns"))
            return []
        out: list[dict[str, Any]] = []
        for row in sheet.filled_rows(header_row + 1, columns.values()):
            index = len(out)
            item: dict[str, Any] = {}
            self.map.put(("plan", "consultations", index), sheet.cell(row, columns["with"]))
            for role, convert in (("with", text_value), ("on", date_value),
                                  ("participants", whole_number)):
                if role not in columns:
                    continue
                cell = sheet.cell(row, columns[role])
                if sheet.uncached(row, columns[role]) is not None:
                    self.error(cell, no_value(sheet.uncached(row, columns[role])))
                if own(sheet, row, columns[role]) is None:
                    continue
                self.map.put(("plan", "consultations", index, role), cell)
                try:
                    item[role] = convert(own(sheet, row, columns[role]))
                except CellValueError as exc:
                    self.error(cell, exc.args[0])
            out.append(item)
        return out


def _consultation_role(text: str) -> str | None:
    """A consultations header's role; the running number column is none."""
    role = vocab.consultation_role(text)
    return role if role and role != "seq" else None
