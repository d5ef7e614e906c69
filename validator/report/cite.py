"""A rule's source as a citation a reviewer can follow, in Vietnamese or English.

Rules cite in a compact English form (``MPI 2013 manual p.31, p.117–118 (derived)``,
``SEDP planning calendar (source 003)``); reports show it as the reviewer looks it up:
``Sổ tay MPI 2013, tr.31, tr.117–118 (suy ra)`` / ``MPI 2013 manual, p.31, p.117–118
(derived)``, and the bundled documents by their titles, never by their internal numbers.
JSON and SARIF keep the rule's text as written.
"""

from __future__ import annotations

import re

# the documents behind the bundled rules (the project's sources/), by their titles
_DOCUMENTS = {
    "000": ("Chia Sẻ II: khảo sát về lập kế hoạch phát triển kinh tế - xã hội (Sida)",
            "Chia Se II study tour on socio-economic development planning (Sida)"),
    "001": ("Điều phối phát triển kinh tế địa phương: mô hình Ban điều phối (MPI–GTZ SMED)",
            "Steering the LRED process: the Local Coordination Board model (MPI–GTZ SMED)"),
    "002": ("Đổi mới thể chế công ở Lạng Sơn (DELGOSEA)",
            "Best practice Lang Son: public institutional innovation (DELGOSEA)"),
    "003": ("Lập kế hoạch phát triển KT-XH: các quy trình từ trên xuống và từ dưới lên (sơ "
            "đồ lịch lập kế hoạch theo cấp, Dự án SMNR-CV)",
            "SEDP planning: the top-down and bottom-up processes (chart of the planning "
            "calendar by level, SMNR-CV project)"),
}
_CALENDAR = re.compile(r"SEDP planning calendar\s*\(source (\d{3})\)")
_SOURCES = re.compile(r"\bsources? (\d{3}(?:,\s*\d{3})*)")
_MANUAL = re.compile(r"\bMPI 2013 manual\b\s*")
_WORDS_VI = [(re.compile(r"\bpp?\.\s?(?=\d)"), "tr."), (re.compile(r"\bfn\.\s?"), "chú thích "),
             (re.compile(r"\bFig\.?\s"), "Hình "), (re.compile(r"\bitems? (?=\d)"), "mục "),
             (re.compile(r"\bprinciple (?=\d)"), "nguyên tắc "),
             (re.compile(r"\(derived\)"), "(suy ra)"),
             (re.compile(r"\bderived from\b"), "suy ra từ"),
             (re.compile(r"\b(\S+ \S+) DPI guidance on public investment\b"),
              r"Hướng dẫn của Sở KH&ĐT \1 về đầu tư công"),
             (re.compile(r"\b(\S+ \S+) DPI guidance on M&E frameworks\b"),
              r"Hướng dẫn của Sở KH&ĐT \1 về khung theo dõi, đánh giá")]


def citation(source: str, lang: str) -> str:
    """``source`` as a reviewer reads it in ``lang`` (empty stays empty)."""
    if not source:
        return ""
    pick = 0 if lang == "vi" else 1
    text = _CALENDAR.sub(lambda m: _document(m.group(1), pick), source)
    text = _SOURCES.sub(lambda m: "; ".join(_document(n.strip(), pick)
                                            for n in m.group(1).split(",")), text)
    manual = "Sổ tay MPI 2013, " if lang == "vi" else "MPI 2013 manual, "
    text = _MANUAL.sub(manual, text).replace(", ,", ",").rstrip(", ")
    if lang == "vi":
        for pattern, words in _WORDS_VI:
            text = pattern.sub(words, text)
    return text


def _document(number: str, pick: int) -> str:
    titles = _DOCUMENTS.get(number)
    return titles[pick] if titles else ("tài liệu " if pick == 0 else "document ") + number
