"""The plan header of a workbook without a plan sheet, read from its title block.

Offices send the manual's frameworks as they typed them: no key–value plan sheet, but a
title block above each framework's header — the issuing body ("ỦY BAN NHÂN DÂN HUYỆN BẢO
THẮNG"), the title ("KẾ HOẠCH PHÁT TRIỂN KINH TẾ - XÃ HỘI 5 NĂM 2026-2030"), a date line
("Bảo Thắng, ngày 15 tháng 7 năm 2025"). From these come the plan's kind, period, level,
locality and title; its id is derived from locality, kind and period (the same on every
run). What is given with ``--plan key=value`` or ``[tool.plancheck.plan]`` wins; what can
be read neither way is asked for by name; two title lines that disagree are an error at the
cell of the second, never a guess.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from validator.core.i18n import Message, _
from validator.formats.xlsx import vocab
from validator.formats.xlsx.grid import Sheet, quoted

TITLE_ROWS = 15  # rows searched on a sheet without a framework header

#: header fields a user may give (``--plan NAME=VALUE``), as plan-sheet keys
GIVEN_KEYS = {"id": "id", "title": "title", "kind": "kind", "level": "level",
              "locality": "locality", "sector": "sector", "period": "period",
              "baseline_year": "baseline_year", "parent": "parent",
              "submitted.by": "submitted_by", "submitted_by": "submitted_by",
              "submitted.on": "submitted_on", "submitted_on": "submitted_on"}
REQUIRED = ("kind", "period", "level", "locality")

_BODY = re.compile(
    r"^(?:ủy|uỷ) ban nhân dân\s+(?P<unit>tỉnh|thành phố|tp\.?|huyện|quận|thị xã|xã|phường|"
    r"thị trấn)\s+(?P<name>.+)$|^ubnd\s+(?P<unit2>tỉnh|thành phố|tp\.?|huyện|quận|thị xã|xã|"
    r"phường|thị trấn)\s+(?P<name2>.+)$", re.IGNORECASE)
_BODY_EN = re.compile(
    r"^(?:the\s+)?people'?s committee of\s+(?P<name>.+?)\s+(?P<unit>province|city|district|"
    r"town|commune|ward)$|^(?P<name2>.+?)\s+(?P<unit2>province|city|district|town|commune|"
    r"ward)\s+people'?s committee$", re.IGNORECASE)
_UNIT_LEVEL = {"tỉnh": "province", "huyện": "district", "quận": "district",
               "thị xã": "district", "xã": "commune", "phường": "commune",
               "thị trấn": "commune", "province": "province", "district": "district",
               "town": "district", "commune": "commune", "ward": "commune"}
_COMMITTEES = {"province": "PPC", "district": "DPC", "commune": "CPC"}
#: centrally-run cities: "Thành phố Hà Nội" is a province-level unit, other cities are not
_CENTRAL_CITIES = {vocab.key(n) for n in ("Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng",
                                          "Cần Thơ", "Huế", "Hanoi", "Ha Noi", "Ho Chi Minh",
                                          "Hai Phong", "Da Nang", "Can Tho", "Hue")}
_PLAN_WORD = re.compile(r"\b(kế hoạch|development plan|plan)\b", re.IGNORECASE)
_SEDP = re.compile(r"kinh tế\s*[-–—,]?\s*xã hội|kt\s*[-–]\s*xh|socio[-\s]economic",
                   re.IGNORECASE)
_SECTORAL = re.compile(r"\b(?:phát triển\s+)?ngành\s+(?P<vi>.+?)(?=\s+(?:5|năm|giai|hằng|"
                       r"hàng|\d{4})|$)|\b(?P<en>[\w\s,&-]+?)\s+sector(?:al)?\b",
                       re.IGNORECASE)
_FIVE = re.compile(r"\b(?:5|năm)\s*năm\b|five[-\s]year|5[-\s]year", re.IGNORECASE)
_ANNUAL = re.compile(r"\bhằng năm\b|\bhàng năm\b|\bannual\b", re.IGNORECASE)
_SPAN = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*(?:[-–—]|đến|to)\s*((?:19|20)\d{2})(?!\d)")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_PLACE = re.compile(r"\b(?P<unit>tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn)\s+"
                    r"(?P<name>[^,;()]+?)\s*(?:[,;(]|$)", re.IGNORECASE)
_DATE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+((?:19|20)\d{2})",
                   re.IGNORECASE)
_CITATION = re.compile(r"^(căn cứ|thực hiện|theo|pursuant|based on|in accordance)\b",
                       re.IGNORECASE)  # a line citing another plan names not this one
_FRAMEWORK = re.compile(r"^(khung|biểu|phụ lục|m&e framework|framework|appendix)\b",
                        re.IGNORECASE)


@dataclass
class Clue:
    """One header field read from one cell."""

    value: Any
    cell: str
    source: str  # "title", "body" or "date": what the cell was read as


@dataclass
class TitleBlock:
    """What the title blocks of a workbook say about its plan."""

    clues: dict[str, Clue] = field(default_factory=dict)
    problems: list[tuple[str, Message]] = field(default_factory=list)  # (cell, message)
    first_cell: str = "A1"

    def offer(self, name: str, value: Any, cell: str, source: str) -> None:
        """Record a field, or an error where it contradicts what an earlier cell said."""
        known = self.clues.get(name)
        if known is None or name == "title":  # titles are worded freely: the first wins
            self.clues.setdefault(name, Clue(value, cell, source))
        elif _same(known.value, value) is False:
            self.problem(cell, _(
                "this title says the plan's {field} is {value}, but {cell} says {first}; "
                "correct one of them, or give it with --plan {field}=...",
                field=name, value=_shown(value), cell=known.cell, first=_shown(known.value)))

    def problem(self, cell: str, message: Message) -> None:
        """An error at ``cell``, once: the same title repeated on every sheet is one error."""
        said = {m.render("en") for _c, m in self.problems}
        if message.render("en") not in said:
            self.problems.append((cell, message))


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return vocab.key(a) == vocab.key(b)
    return a == b


def _shown(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "-".join(str(v) for v in value)
    return repr(value) if isinstance(value, str) else str(value)


def title_rows(sheet: Sheet, header_row: int | None) -> list[tuple[str, str]]:
    """``(text, cell)`` for each filled cell above a sheet's framework header."""
    last = (header_row - 1) if header_row else min(sheet.max_row, TITLE_ROWS)
    out = []
    for row in sheet.rows(1, last):
        for col in sheet.columns(row):
            if sheet.anchor(row, col) != (row, col):
                continue
            value = sheet.values.get((row, col))
            if isinstance(value, str) and value.strip():
                for line in value.splitlines():
                    if line.strip() and not _CITATION.match(line.strip()):
                        out.append((" ".join(line.split()), sheet.cell(row, col)))
    return out


def read_title_block(sheets: list[tuple[Sheet, int | None]]) -> TitleBlock:
    """The header fields the title rows of ``sheets`` (each with its framework's header
    row, or None) say, with their cells."""
    block = TitleBlock()
    if sheets:
        block.first_cell = f"{quoted(sheets[0][0].name)}!A1"
    for sheet, header_row in sheets:
        lines = title_rows(sheet, header_row)
        for i, (text, cell) in enumerate(lines):
            if _body(block, text, cell):
                continue
            if m := _DATE.search(text):
                block.offer("submitted_on", f"{m.group(3)}-{int(m.group(2)):02d}-"
                            f"{int(m.group(1)):02d}", cell, "date")
                continue
            if not _PLAN_WORD.search(text):
                continue
            if vocab.key(text) in {vocab.key("Kế hoạch"), vocab.key("Plan")} and \
                    i + 1 < len(lines):  # "KẾ HOẠCH" alone, the rest on the next line
                text = f"{text} {lines[i + 1][0]}"
            _title(block, text, cell)
    return block


def _body(block: TitleBlock, text: str, cell: str) -> bool:
    """An issuing body line: the plan's level and locality."""
    m = _BODY.match(text) or _BODY_EN.match(text)
    if not m:
        return False
    unit = (m.group("unit") or m.group("unit2")).casefold().rstrip(".")
    name = (m.group("name") or m.group("name2")).strip()
    level = _level(unit, name)
    block.offer("level", level, cell, "body")
    block.offer("locality", _name(name), cell, "body")
    if level in _COMMITTEES:  # the people's committee issues (submits) the plan
        block.offer("submitted_by", _COMMITTEES[level], cell, "body")
    return True


def _level(unit: str, name: str) -> str:
    if unit in {"thành phố", "tp", "city"}:
        return "province" if vocab.key(name) in _CENTRAL_CITIES else "district"
    return _UNIT_LEVEL[unit]


def _name(text: str) -> str:
    """A place name as written in running text: "BẢO THẮNG" -> "Bảo Thắng"."""
    text = " ".join(text.split()).strip(" .,:;")
    return text.title() if text.isupper() else text


def _title(block: TitleBlock, text: str, cell: str) -> None:
    """A title line: the plan's kind, period, title (and locality, if it names one)."""
    start = _PLAN_WORD.search(text)
    framework = bool(_FRAMEWORK.match(text))
    title = text[start.start():] if start and framework else text
    spans = {(int(a), int(b)) for a, b in _SPAN.findall(title)}
    years = {int(y) for y in _YEAR.findall(_SPAN.sub(" ", title))}
    five, annual = bool(_FIVE.search(title)), bool(_ANNUAL.search(title))
    if len(spans) > 1 or (spans and years) or (not spans and len(years) > 1):
        block.problem(cell, _(
            "the title names more than one period ({periods}); give the plan's period with "
            "--plan period=YEAR-YEAR", periods=", ".join(
                sorted([f"{a}-{b}" for a, b in spans] + [str(y) for y in years]))))
        return
    period: list[int] | None = None
    if spans:
        a, b = next(iter(spans))
        period = [a, b]
    elif years:
        year = next(iter(years))
        period = [year, year]
    length = None if period is None else period[1] - period[0] + 1
    if five and annual or (five and length not in (None, 5)) or (
            annual and length not in (None, 1)):
        block.problem(cell, _(
            "the title is ambiguous: it reads as both a five-year and an annual plan; give "
            "the kind with --plan kind=... (five_year_sedp, annual_sedp, five_year_sectoral, "
            "annual_sectoral)"))
        return
    if period is not None:
        block.offer("period", period, cell, "title")
    span = "five_year" if five or length == 5 else "annual" if annual or length == 1 else None
    sedp = bool(_SEDP.search(title))
    sector = _SECTORAL.search(title)
    topic = "sedp" if sedp else "sectoral" if sector else None
    if span and topic:
        block.offer("kind", f"{span}_{topic}", cell, "title")
    if topic == "sectoral" and not sedp and sector:
        found = vocab.code_of("sector", (sector.group("vi") or sector.group("en")).strip())
        from validator.plan.ontology import codes

        if found in codes("sector"):
            block.offer("sector", found, cell, "title")
    if framework and not sedp and not sector:
        return  # a framework's own title ("KHUNG ... (GIAI ĐOẠN 5 NĂM)") names no plan
    block.offer("title", title, cell, "title")
    # the first place named after the period is the plan's ("... 2026-2030 huyện Bảo Thắng,
    # tỉnh Lào Cai" is Bảo Thắng's plan)
    ends = [m.end() for m in (*_YEAR.finditer(title), *_FIVE.finditer(title),
                              *_ANNUAL.finditer(title))]
    place = _PLACE.search(title, max(ends)) if ends else None
    if place is not None and not re.search(r"\d", place.group("name")):
        name = place.group("name").strip()
        block.offer("locality", _name(name), cell, "title")
        block.offer("level", _level(place.group("unit").casefold(), name), cell, "title")

def slug(text: str) -> str:
    """An ASCII id part: "Bảo Thắng" -> "bao-thang"."""
    flat = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_text = "".join(ch for ch in flat if not unicodedata.combining(ch)).casefold()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def derived_id(header: Mapping[str, Any]) -> str | None:
    """The plan id of a workbook without one: locality, kind and period, e.g.
    ``bao-thang-five-year-sedp-2026-2030`` (the same on every run)."""
    locality, kind, period = header.get("locality"), header.get("kind"), header.get("period")
    if not (locality and kind and period):
        return None
    years = str(period[0]) if period[0] == period[1] else f"{period[0]}-{period[1]}"
    kind_part = str(kind).replace("_", "-")
    if str(kind).endswith("sectoral") and header.get("sector"):
        kind_part = f"{kind_part}-{header['sector']}"
    return f"{slug(str(locality))}-{kind_part}-{years}"
