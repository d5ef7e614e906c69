"""The words of the workbook layout: column headers, plan keys, section titles and code labels.

Headers and keys are matched after :func:`key` (case, spaces, diacritics and ``- . , ' _``
ignored, text in parentheses dropped), in Vietnamese or English. The first synonym of each
entry in :data:`COLUMNS` and :data:`PLAN_KEYS` is what the writer prints in that language,
so every header the writer prints is one the reader knows.
"""

from __future__ import annotations

import functools
import re

from validator.core.i18n import LANGS
from validator.plan.ontology import canonical_code, codes, label_index, normalize_label

OTHER = {"vi": "en", "en": "vi"}

_PAREN = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_LANG_SUFFIX = re.compile(
    r"\(\s*(tiếng anh|english|en|tiếng việt|vietnamese|vi)\s*\)\s*$", re.IGNORECASE)


def key(text: object) -> str:
    """A matching key for a header, key or label (see the module docstring)."""
    value = _PAREN.sub(" ", str(text)).replace("&", " và ").strip().rstrip(":*").strip()
    return normalize_label(value)


def lang_suffix(text: str) -> tuple[str, str | None]:
    """Split ``"Chỉ tiêu (tiếng Anh)"`` into ``("Chỉ tiêu", "en")``."""
    match = _LANG_SUFFIX.search(text)
    if not match:
        return text, None
    word = match.group(1).casefold()
    lang = "en" if word in {"tiếng anh", "english", "en"} else "vi"
    return text[: match.start()].strip(), lang


# --- column headers -----------------------------------------------------------------
# role -> {lang: [synonyms]}; the first synonym in each language is the written header.

COLUMNS: dict[str, dict[str, list[str]]] = {
    "seq": {"vi": ["STT", "TT", "Số thứ tự"], "en": ["No", "Seq", "No."]},
    "objective_id": {"vi": ["Mã mục tiêu"], "en": ["Objective ID", "Objective code"]},
    "objective_kind": {"vi": ["Loại mục tiêu"], "en": ["Objective kind", "Objective type"]},
    "objective_parent": {"vi": ["Mục tiêu cha", "Thuộc mục tiêu"],
                         "en": ["Parent objective", "Parent"]},
    "objective": {"vi": ["Mục tiêu", "Các mục tiêu", "Mục tiêu/Nhiệm vụ chủ yếu",
                         "Mục tiêu theo ngành, lĩnh vực"],
                  "en": ["Objective", "Objectives", "General objectives/key tasks",
                         "Objectives by sector"]},
    "solution_id": {"vi": ["Mã giải pháp"], "en": ["Solution ID", "Solution code"]},
    "solution": {"vi": ["Giải pháp", "Các giải pháp", "Giải pháp cụ thể"],
                 "en": ["Solution", "Solutions", "Concrete solutions"]},
    "budget": {"vi": ["Kinh phí", "Dự toán kinh phí"], "en": ["Budget", "Budget plan"]},
    "budget_unit": {"vi": ["Đơn vị kinh phí"], "en": ["Budget unit"]},
    "target_id": {"vi": ["Mã chỉ tiêu"], "en": ["Target ID", "Target code", "Indicator ID"]},
    "indicator": {"vi": ["Chỉ tiêu", "Tên chỉ tiêu", "Chỉ số", "Chỉ tiêu/Chỉ số"],
                  "en": ["Indicator", "Target", "Targets", "Indicators", "Indicators/targets",
                         "Targets/indicators"]},
    "indicator:input": {"vi": ["Chỉ tiêu đầu vào", "Đầu vào"],
                        "en": ["Input targets", "Input target", "Input", "Inputs",
                               "Input indicators"]},
    "indicator:output": {"vi": ["Chỉ tiêu đầu ra", "Đầu ra"],
                         "en": ["Output targets", "Output target", "Output", "Outputs",
                                "Output indicators", "Output M&E targets"]},
    "indicator:outcome": {"vi": ["Chỉ tiêu kết quả", "Kết quả", "Chỉ tiêu kết quả/tác động"],
                          "en": ["Outcome targets", "Outcome target", "Outcome", "Outcomes",
                                 "Result targets", "Result", "Outcome indicators",
                                 "Result/impact targets", "Result-impact M&E targets"]},
    "indicator:impact": {"vi": ["Chỉ tiêu tác động", "Tác động"],
                         "en": ["Impact targets", "Impact target", "Impact", "Impacts",
                                "Impact indicators"]},
    "code": {"vi": ["Mã danh mục", "Mã chỉ tiêu thống kê"],
             "en": ["Catalogue code", "Indicator code"]},
    "category": {"vi": ["Loại chỉ tiêu", "Phân loại"],
                 "en": ["Category", "Target type", "Indicator type"]},
    "unit": {"vi": ["Đơn vị tính", "ĐVT", "Đơn vị"],
             "en": ["Unit", "Units", "Unit of calculation", "Units of calculation"]},
    "direction": {"vi": ["Xu hướng", "Chiều hướng"], "en": ["Direction"]},
    "rollup": {"vi": ["Cách tổng hợp", "Cách tính cả kỳ"], "en": ["Roll-up", "Rollup"]},
    "baseline": {"vi": ["Giá trị cơ sở", "Giá trị gốc", "Cơ sở", "Số liệu cơ sở",
                        "Chỉ tiêu cơ sở"],
                 "en": ["Baseline", "Baseline value", "Baseline targets"]},
    "baseline_year": {"vi": ["Năm cơ sở", "Năm gốc"], "en": ["Baseline year"]},
    "plan": {"vi": ["Kế hoạch", "Chỉ tiêu kế hoạch", "Chỉ tiêu theo kế hoạch",
                    "Chỉ tiêu kế hoạch ban đầu", "Mục tiêu kế hoạch"],
             "en": ["Plan", "Planned targets", "Planned target", "Targets of the original plan",
                    "Original plan target", "Plan target"]},
    "actual": {"vi": ["Thực hiện", "Kết quả thực hiện", "Chỉ tiêu thực hiện", "Ước thực hiện"],
               "en": ["Implementation", "Implemented", "Implemented targets", "Actual",
                      "Actuals", "Achieved"]},
    "compare": {"vi": ["So sánh", "So sánh thực hiện với kế hoạch", "Tỷ lệ hoàn thành"],
                "en": ["Comparison", "Completion rate", "Baseline/implemented targets",
                       "Planned/implemented"]},
    "frequency": {"vi": ["Tần suất", "Tần suất thu thập", "Tần suất báo cáo"],
                  "en": ["Frequency", "Frequency of collection", "Frequency of",
                         "Reporting frequency"]},
    "timing": {"vi": ["Thời điểm", "Thời điểm thu thập"],
               "en": ["Timing", "Timing for collection", "Timing for", "Time of collection"]},
    "compiling_agency": {"vi": ["Cơ quan tổng hợp", "Tổng hợp", "Cơ quan báo cáo"],
                         "en": ["Compiling agency", "Compiling", "Synthesis agencies",
                                "Synthesis agency", "Synthesizing agency", "Synthesizing",
                                "Compilation", "Reporting agency"]},
    "providing_agencies": {"vi": ["Cơ quan cung cấp thông tin", "Cung cấp thông tin",
                                  "Cơ quan cung cấp", "Cơ quan phối hợp"],
                           "en": ["Information-providing agencies", "Providing information",
                                  "Info providing agencies", "Information provision",
                                  "Information-providing agency", "Providing info",
                                  "Informationproviding agency"]},
    "data_source": {"vi": ["Nguồn số liệu", "Phương pháp thu thập", "Phương pháp thu thập số liệu"],
                    "en": ["Data source", "Data collection method"]},
    "notes": {"vi": ["Ghi chú"], "en": ["Notes", "Note", "Remarks"]},
    "price_basis": {"vi": ["Giá tính"], "en": ["Price basis", "Prices"]},
    "price_year": {"vi": ["Năm gốc giá so sánh"], "en": ["Price year", "Base year of prices"]},
    # what real plans say beyond a level (docs/plan-format.md, "What real plans say")
    "relative_kind": {"vi": ["Kiểu so sánh"], "en": ["Change kind", "Kind of change"]},
    "relative_year": {"vi": ["So với năm"], "en": ["Compared with year", "Base year of change"]},
    "approximate": {"vi": ["Giá trị ước chừng"], "en": ["Approximate values", "Approximate"]},
    # "2030: 15000" in one cell; or one year's values under "Định hướng đến năm 2030"
    "orientation": {"vi": ["Định hướng sau kỳ", "Định hướng", "Định hướng đến"],
                    "en": ["Orientation after the period", "Orientation", "Orientation to",
                           "Orientation for"]},
    "part_of": {"vi": ["Thuộc chỉ tiêu"], "en": ["Part of target", "Part of"]},
    "named": {"vi": ["Đơn vị được nêu tên"], "en": ["Named units"]},
    # group headers that only gather the columns under them
    "group": {"vi": ["Cơ quan chịu trách nhiệm", "Chỉ tiêu theo kỳ kế hoạch",
                     "Chỉ tiêu kế hoạch phân kỳ", "Cơ quan"],
              "en": ["Responsible agencies", "Responsible agency", "Phased planning targets",
                     "Targets for the planning period"]},
}

#: roles that hold plan, actual and comparison values, with periods under them
VALUE_GROUPS = ("plan", "actual", "compare")


@functools.cache
def _column_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for role, words in COLUMNS.items():
        for lang in LANGS:
            for word in words[lang]:
                index.setdefault(key(word), role)
    return index


def column_role(text: str) -> str | None:
    """The role of a header cell, or None."""
    return _column_index().get(key(text))


def header(role: str, lang: str) -> str:
    """The header the writer prints for ``role``."""
    return COLUMNS[role][lang][0]


def companion_header(role: str, lang: str) -> str:
    """The header of the other-language column of a text role, e.g. "Chỉ tiêu (tiếng Anh)"."""
    other = {"vi": "(tiếng Anh)", "en": "(Vietnamese)"}[lang]
    return f"{header(role, lang)} {other}"


# --- value periods under Kế hoạch / Thực hiện ---------------------------------------

WHOLE_PERIOD = {key(w) for w in (
    "Cả kỳ", "Cả giai đoạn", "Giai đoạn", "5 năm", "Cả 5 năm", "Tổng", "Cả năm", "Kế hoạch năm",
    "Whole period", "Period", "Five years", "5 years", "Total", "Plan for period",
    "For the period", "Full year")}

_YEAR = r"(19|20)\d{2}"
_SPAN = re.compile(rf"^(?:.*?\D)?(?P<a>{_YEAR})\s*[-–—/]\s*(?P<b>{_YEAR})$")
_ONE_YEAR = re.compile(
    rf"^(?:năm|year|kh|kế hoạch|plan|plan for|th|thực hiện|actual|ước|ước thực hiện|"
    rf"estimate|estimate for)?\s*(?P<y>{_YEAR})$", re.IGNORECASE)
_HALF = re.compile(
    rf"^(?:(?P<y1>{_YEAR})\s*-\s*H(?P<h1>[12])|H(?P<h2>[12])\s*/?\s*(?P<y2>{_YEAR})|"
    rf"6 tháng (?P<w>đầu|cuối)(?: năm)?\s*(?P<y3>{_YEAR})|"
    rf"(?P<e>first|second) half(?: of)?\s*(?P<y4>{_YEAR}))$", re.IGNORECASE)
_QUARTER = re.compile(
    rf"^(?:(?P<y1>{_YEAR})\s*-\s*Q(?P<q1>[1-4])|Q(?P<q2>[1-4])\s*/?\s*(?P<y2>{_YEAR})|"
    rf"quý\s*(?P<q3>[1-4]|I{{1,3}}|IV)\s*(?:/|năm)?\s*(?P<y3>{_YEAR}))$", re.IGNORECASE)
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}


def period_label(raw: object) -> str | None:
    """A period header: ``"whole"``, a year ``"2026"``, ``"2026-H1"``, ``"2026-Q3"`` or a
    span ``"2026-2030"``; None if the text is not one."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float) and float(raw).is_integer() and 1900 <= raw < 2100:
        return str(int(raw))
    text = " ".join(str(raw).split()).strip()
    if not text:
        return None
    if key(text) in WHOLE_PERIOD:
        return "whole"
    if m := _ONE_YEAR.match(text):
        return m.group("y")
    if m := _HALF.match(text):
        year = m.group("y1") or m.group("y2") or m.group("y3") or m.group("y4")
        half = m.group("h1") or m.group("h2")
        if half is None:
            half = "1" if (m.group("w") or m.group("e")).casefold() in {"đầu", "first"} else "2"
        return f"{year}-H{half}"
    if m := _QUARTER.match(text):
        year = m.group("y1") or m.group("y2") or m.group("y3")
        quarter = m.group("q1") or m.group("q2") or m.group("q3")
        return f"{year}-Q{_ROMAN.get(quarter.upper(), quarter)}"
    if m := _SPAN.match(text):
        return f"{m.group('a')}-{m.group('b')}"
    return None


def split_group(text: str) -> tuple[str, str] | None:
    """Split a one-cell value header like "Plan for 2026" or "Ước thực hiện 2025" into
    ``(role, period)`` with role plan, actual or baseline."""
    flat = " ".join(text.split())
    tail = rf"{_YEAR}(?:\s*[-–—/]\s*{_YEAR}|-H[12]|-Q[1-4])?"
    match = re.match(rf"^(?P<word>.*?\D)\s*(?P<rest>{tail})$", flat)
    if not match:
        return None
    word = key(match.group("word").removesuffix("for").removesuffix("năm"))
    period = period_label(match.group("rest"))
    if period is None:
        return None
    if word in {key(w) for w in ("Ước", "Ước thực hiện", "Estimate", "Estimate for",
                                 "Ước tính")}:
        return "baseline", period
    role = _column_index().get(word)
    if role in VALUE_GROUPS or (role == "orientation" and period.isdigit()):
        return role, period
    if word in {key(w) for w in ("KH", "Plan for", "Kế hoạch năm")}:
        return "plan", period
    if word in {key(w) for w in ("TH", "Actual for")}:
        return "actual", period
    return None


def whole_label(lang: str) -> str:
    return {"vi": "Cả kỳ", "en": "Whole period"}[lang]


# --- the plan sheet -------------------------------------------------------------------

PLAN_SHEETS = {key(w) for w in ("Kế hoạch", "Plan", "Thông tin kế hoạch", "Thông tin chung",
                                 "Plan information", "Header")}
# a parent cell saying "no parent" (a blank one, in a column blank throughout, means "infer")
NO_PARENT = "—"
NO_PARENT_MARKS = {"-", "–", "—"}
TOTAL_ROWS = {key(w) for w in ("Tổng số", "Tổng cộng", "Cộng", "Tổng", "Total", "Grand total",
                                "Sum")}
CONSULTATION_SHEETS = {key(w) for w in ("Tham vấn", "Consultations")}
# plan-level solutions serving several objectives (validator.formats.xlsx.shared)
SHARED_SOLUTION_SHEETS = {key(w) for w in ("Giải pháp chung", "Shared solutions",
                                           "Nhiệm vụ chung", "Task groups")}
SKIPPED_SHEETS = {key(w) for w in ("Danh mục", "Lists", "Phát hiện", "Findings",
                                    "Hướng dẫn", "Instructions")}

PLAN_KEYS: dict[str, dict[str, list[str]]] = {
    "id": {"vi": ["Mã kế hoạch"], "en": ["Plan ID", "Plan code", "ID"]},
    "title": {"vi": ["Tên kế hoạch"], "en": ["Title", "Plan title"]},
    "kind": {"vi": ["Loại kế hoạch"], "en": ["Plan kind", "Kind", "Type of plan"]},
    "level": {"vi": ["Cấp", "Cấp kế hoạch", "Cấp hành chính"], "en": ["Level"]},
    "locality": {"vi": ["Địa phương", "Địa bàn", "Tỉnh/huyện/xã"], "en": ["Locality"]},
    "sector": {"vi": ["Ngành", "Ngành, lĩnh vực"], "en": ["Sector"]},
    "first_year": {"vi": ["Năm đầu", "Năm bắt đầu", "Từ năm"], "en": ["First year", "From"]},
    "last_year": {"vi": ["Năm cuối", "Năm kết thúc", "Đến năm"], "en": ["Last year", "To"]},
    "period": {"vi": ["Giai đoạn", "Kỳ kế hoạch", "Năm kế hoạch"],
               "en": ["Period", "Plan period", "Plan year"]},
    "baseline_year": {"vi": ["Năm cơ sở", "Năm gốc"], "en": ["Baseline year"]},
    "parent": {"vi": ["Kế hoạch cấp trên", "Kế hoạch cha"], "en": ["Parent plan", "Parent"]},
    "excerpt": {"vi": ["Trích một phần khung"], "en": ["Excerpt", "Part of the framework"]},
    "submitted_by": {"vi": ["Cơ quan trình"], "en": ["Submitted by"]},
    "submitted_on": {"vi": ["Ngày trình"], "en": ["Submitted on", "Date submitted"]},
    "document": {"vi": ["Loại văn bản"], "en": ["Document kind", "Document"]},
    "adopted_act": {"vi": ["Văn bản phê duyệt", "Số nghị quyết"], "en": ["Adopting act"]},
    "adopted_on": {"vi": ["Ngày phê duyệt", "Ngày thông qua"], "en": ["Adopted on"]},
    "adopted_by": {"vi": ["Cơ quan phê duyệt"], "en": ["Adopted by"]},
    "not_encoded": {"vi": ["Phần không công bố", "Không công bố hoặc chưa ghi"],
                    "en": ["Not encoded", "Not published or not encoded"]},
    "ignore": {"vi": ["Mục", "Giá trị", "Nội dung", "Thông tin kế hoạch"],
               "en": ["Field", "Value", "Item", "Plan information"]},
}

CONSULTATION_COLUMNS: dict[str, dict[str, list[str]]] = {
    "with": {"vi": ["Đối tượng tham vấn", "Tham vấn với", "Hình thức tham vấn"],
             "en": ["Consulted", "With", "Consultation with"]},
    "on": {"vi": ["Ngày", "Ngày tham vấn"], "en": ["Date", "On"]},
    "participants": {"vi": ["Số người tham gia", "Số người"], "en": ["Participants"]},
    "seq": {"vi": ["STT", "TT"], "en": ["No", "No."]},
}


@functools.cache
def _plan_key_index() -> dict[str, str]:
    index = {}
    for name, words in PLAN_KEYS.items():
        for lang in LANGS:
            for word in words[lang]:
                index.setdefault(key(word), name)
    return index


def plan_key(text: str) -> tuple[str, str | None] | None:
    """``(key, companion language)`` of a plan-sheet key cell, or None."""
    base, lang = lang_suffix(text)
    name = _plan_key_index().get(key(base))
    return None if name is None else (name, lang)


@functools.cache
def _consultation_index() -> dict[str, str]:
    return {key(w): name for name, words in CONSULTATION_COLUMNS.items()
            for lang in LANGS for w in words[lang]}


def consultation_role(text: str) -> str | None:
    return _consultation_index().get(key(text))


# --- codes: labels <-> codes ------------------------------------------------------------

@functools.cache
def _label_index(scheme: str) -> dict[str, str]:
    """The ontology's label index, with the words offices write in workbooks besides."""
    index = dict(label_index(scheme))
    for word, code in _EXTRA_LABELS.get(scheme, {}).items():
        index.setdefault(normalize_label(word), code)
    return index


_EXTRA_LABELS: dict[str, dict[str, str]] = {
    "objkind": {"chung": "general", "tổng quát": "general", "cụ thể": "specific",
                "general": "general", "specific": "specific"},
    "frequency": {"Hàng quý": "quarterly", "Quý": "quarterly", "Hàng tháng": "monthly",
                  "Tháng": "monthly", "6 tháng": "semiannual", "Hàng năm": "annual",
                  "Năm": "annual", "5 năm": "five_yearly", "2 năm": "biennial",
                  "Half yearly": "semiannual", "6 months": "semiannual"},
    "category": {"Result": "outcome", "Kết quả/tác động": "outcome"},
}


def code_of(scheme: str, text: str) -> str:
    """The code a cell's text names in ``scheme`` (notation, label or synonym, in either
    language); the text itself, trimmed, when the ontology knows none."""
    text = " ".join(text.split())
    if scheme in {"unit", "agency"}:
        found = canonical_code(scheme, text)
        if found:
            return found
    return _label_index(scheme).get(normalize_label(text), text)


def code_label(scheme: str, code: str, lang: str) -> str:
    """What the writer prints for ``code``: its label in ``lang`` when the label reads back
    as the same code, else the code itself."""
    entry = codes(scheme).get(code)
    if entry is None:
        return code
    text = entry.label_vi if lang == "vi" else entry.label_en
    return text if code_of(scheme, text) == code else code


# --- sections --------------------------------------------------------------------------

SECTION = re.compile(
    r"^\s*(?:Phần\s+|Part\s+)?(?P<num>[IVXLCDM]+(?:\.\d+)*|\d+(?:\.\d+)+)\s*[.:)]?\s+(?P<title>\S.*)$")
_BRACKET = re.compile(r"\[\s*(?P<code>[^\[\]]*?)\s*\]\s*$")
_SUB_PREFIX = re.compile(r"^(tiểu ngành|lĩnh vực|sub-sector|sub sector|subsector)\s*\d*\s*[:.]?\s*",
                         re.IGNORECASE)

GENERAL_PART = {key(w) for w in (
    "Phần chung", "Tổng hợp chung", "Tổng hợp vĩ mô", "Phần tổng hợp chung",
    "Tổng hợp chung của địa phương", "Phần chung của ngành", "General part",
    "General/macro section", "General/macro section of the locality", "General section",
    "Macro compilation", "Comprehensive macro compilation",
    "Comprehensive macro compilation of a locality", "General section for the sector",
    "General part of the sector", "General summary of the industry")}
CROSS_SECTOR = {key(w) for w in ("Liên ngành", "Phần liên ngành", "Inter-sectoral part",
                                  "Cross-sector", "Cross-sectoral section")}

SECTION_TITLES: dict[str, str] = {
    "Kinh tế": "economic", "Phát triển kinh tế": "economic", "Economic development": "economic",
    "Economic targets": "economic", "Chỉ tiêu kinh tế": "economic",
    "Xã hội": "social", "Phát triển xã hội": "social", "Văn hóa - xã hội": "social",
    "Phát triển văn hóa - xã hội": "social", "Social development": "social",
    "Social targets": "social", "Chỉ tiêu xã hội": "social",
    "Môi trường": "environment", "Tài nguyên và môi trường": "environment",
    "Quản lý tài nguyên và bảo vệ môi trường": "environment",
    "Management of natural resource and environment": "environment",
    "Management of natural resources and environment": "environment",
    "Natural resource management and environmental protection": "environment",
    "Environmental targets": "environment", "Chỉ tiêu môi trường": "environment",
    "Quản lý nhà nước": "state", "Quản lý nhà nước, an ninh, quốc phòng": "state",
    "State management, security and national defense": "state",
    "State management, security and national defence": "state",
    "State governance - national security and defense": "state",
    "Nông nghiệp": "agriculture-rural-development",
    "Nông nghiệp, nông thôn": "agriculture-rural-development",
    "Agriculture and rural development": "agriculture-rural-development",
    "Công nghiệp - xây dựng": "industry-construction",
    "Công nghiệp, xây dựng": "industry-construction",
    "Industry - construction": "industry-construction",
    "Industry - small industry - construction": "industry-construction",
    "Y tế": "health", "Healthcare, population and family planning": "health",
    "Health care for people, population and family planning": "health",
    "Giáo dục": "education-training", "Giáo dục - đào tạo": "education-training",
    "Lao động, việc làm": "vocational-training-jobs",
    "Dạy nghề, giải quyết việc làm": "vocational-training-jobs",
    "Vocational training and job settlement": "vocational-training-jobs",
    "Giảm nghèo": "poverty-social-welfare",
    "Poverty reduction and social security": "poverty-social-welfare",
    "Văn hóa, thể thao": "culture-sports-media",
    "Culture, communication, radio and television": "culture-sports-media",
    "Culture - gymnastics and sports - radio and television": "culture-sports-media",
    "Thông tin - truyền thông": "information-communication",
    "Information - communication": "information-communication",
    "Information - communications": "information-communication",
    "Bình đẳng giới": "gender-equality",
    "Fulfillment of the right to gender equality and women's empowerment": "gender-equality",
    "Gender equality and women's empowerment": "gender-equality",
    "Trẻ em": "child-care", "Cause of child care, protection and education": "child-care",
    "Child protection, care and education": "child-care",
    "Quản lý tài nguyên": "natural-resources",
    "Management of natural resources": "natural-resources",
    "Bảo vệ môi trường": "environment-protection",
    "Cải cách hành chính": "public-administration",
    "Administrative procedure reform": "public-administration",
    "Public administration": "public-administration",
    "Thanh tra, phòng chống tham nhũng": "inspection-anti-corruption",
    "Inspection and corruption control": "inspection-anti-corruption",
    "Capacity development": "official-capacity",
    "Capacity building for public employees": "official-capacity",
    "An ninh": "security", "National security": "security",
    "Quốc phòng": "defence", "National defense": "defence",
    "Commerce": "trade", "Transportation": "transport",
    "Post and telecommunications": "post-telecom",
    "Financial and banking services": "finance-banking",
    "Finance/banking service": "finance-banking",
}


@functools.cache
def _section_index() -> dict[str, str]:
    index = dict(_label_index("sector"))
    for word, code in SECTION_TITLES.items():
        index.setdefault(normalize_label(word), code)
    return index


def section_code(title: str) -> tuple[str, str | None] | None:
    """What a section title names: ``("bracket", code)`` for an explicit ``[code]`` (``[-]``
    names none), ``("code", code)`` for a field or sector named by its label,
    ``("general", None)`` for the general part, ``("cross", None)`` for the inter-sectoral
    part; None if not understood."""
    if m := _BRACKET.search(title):
        code = m.group("code")
        if code in {"", "-"}:
            return "bracket", None
        return "bracket", canonical_code("sector", code) or code
    text = _PAREN.sub(" ", title)
    text = _SUB_PREFIX.sub("", text.strip()).strip().rstrip(":").strip()
    k = key(text)
    if k in GENERAL_PART:
        return "general", None
    if k in CROSS_SECTOR:
        return "cross", None
    found = _section_index().get(k)
    return None if found is None else ("code", found)


def is_field(code: str) -> bool:
    entry = codes("sector").get(code)
    return entry is not None and entry.broader is None


def section_title(code: str | None, lang: str) -> str:
    """What the writer prints for a section: the label with the code in brackets."""
    if code is None:
        return {"vi": "Chưa phân loại", "en": "Not classified"}[lang] + " [-]"
    entry = codes("sector").get(code)
    label = (entry.label_vi if lang == "vi" else entry.label_en) if entry else code
    return f"{label} [{code}]"


# --- sheet roles by name or title ------------------------------------------------------

CATEGORY_WORDS = {
    "input": ("đầu vào", "input"), "output": ("đầu ra", "output"),
    "outcome": ("kết quả", "outcome", "result"), "impact": ("tác động", "impact"),
}


_TITLE_WORDS = {
    "input": ("chỉ tiêu đầu vào", "input target", "input targets", "(đầu vào)", "(input)"),
    "output": ("chỉ tiêu đầu ra", "output target", "output targets", "(đầu ra)", "(output)"),
    "outcome": ("chỉ tiêu kết quả", "outcome target", "outcome targets", "result target",
                "result targets", "(kết quả)", "(outcome)"),
    "impact": ("chỉ tiêu tác động", "impact target", "impact targets", "(tác động)",
               "(impact)"),
}


def category_in(text: str, title: bool = False) -> str | None:
    """The single category a sheet name ("Đầu ra") or, with ``title``, a title row
    ("… (CHỈ TIÊU ĐẦU RA) …", "(OUTPUT TARGETS)") names; None if none or several."""
    low = " ".join(text.casefold().split())
    table = _TITLE_WORDS if title else CATEGORY_WORDS
    found = {cat for cat, words in table.items()
             if any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", low) for w in words)}
    return found.pop() if len(found) == 1 else None


_NUMERALS = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
             (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def roman(n: int) -> str:
    """``n`` (1 or more) in Roman numerals, as section numbers are written; a plan can have
    thousands of sections, so no upper bound (4,000 is MMMM)."""
    out = []
    for value, letters in _NUMERALS:
        count, n = divmod(n, value)
        out.append(letters * count)
    return "".join(out)


# price_basis as written in a cell: the code, or its name (compared normalised)
PRICE_BASES = {normalize_label(name): code for code, names in (
    ("current", ("current", "current prices", "giá hiện hành")),
    ("comparative", ("comparative", "comparative prices", "constant prices", "giá so sánh")))
    for name in names}


# relative_to's kind as written in a cell: the code, or its name (compared normalised); the
# first name in each language is what the writer prints
RELATIVE_KIND_NAMES = {
    "percent_change": {"vi": ["% thay đổi", "phần trăm thay đổi"],
                       "en": ["percent change", "% change"]},
    "times": {"vi": ["lần"], "en": ["times"]},
    "points": {"vi": ["điểm %", "điểm phần trăm"], "en": ["percentage points", "points"]},
}
RELATIVE_KINDS = {normalize_label(name): code for code, names in RELATIVE_KIND_NAMES.items()
                  for name in (code, *names["vi"], *names["en"])}
# a relative_year cell that says "each year on the one before" instead of a year
PER_YEAR = {normalize_label(w) for w in ("mỗi năm", "hằng năm", "năm trước", "so với năm trước",
                                         "each year", "per year", "previous year", "a year")}
PER_YEAR_WORD = {"vi": "mỗi năm", "en": "each year"}
# the value keys of 'approximate' as written in a cell
APPROXIMATE_NAMES = {
    "target": {"vi": ["cả kỳ", "kế hoạch"], "en": ["whole period", "target"]},
    "baseline": {"vi": ["cơ sở"], "en": ["baseline"]},
    "annual": {"vi": ["các năm", "hằng năm"], "en": ["yearly", "annual"]},
    "actual": {"vi": ["thực hiện"], "en": ["actual", "implementation"]},
    "orientation": {"vi": ["định hướng"], "en": ["orientation"]},
}
APPROXIMATE_KEYS = {normalize_label(name): code for code, names in APPROXIMATE_NAMES.items()
                    for name in (code, *names["vi"], *names["en"])}
