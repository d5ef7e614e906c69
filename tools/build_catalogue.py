#!/usr/bin/env python3
"""Build ontology/catalogue.ttl (the indicator catalogue) from ontology/indicators.csv.

The rows are the manual's Appendix 5 and examples (source_page: the manual's pages) and the
national key indicators of the 2026-2030 cycle, NAT-* (source_page: the act). Each CSV row
becomes one ``pc:Indicator`` concept of ``pc:IndicatorCatalogue``. Units are
mapped to the unit concepts of ontology/codes.ttl (a unit written as two, such as
"households / %", maps to both). Rows without a Vietnamese name get the translation below,
marked with ``pc:labelNote``. The output is sorted and byte-for-byte reproducible.

    python tools/build_catalogue.py            # rewrite ontology/catalogue.ttl
    python tools/build_catalogue.py --check    # exit 1 if the file is out of date
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology"
CSV_PATH = ONTOLOGY / "indicators.csv"
CODES_PATH = ONTOLOGY / "codes.ttl"
OUT_PATH = ONTOLOGY / "catalogue.ttl"

CODE_BASE = "https://w3id.org/plancheck/code/"
CATEGORIES = ("input", "output", "outcome", "impact")
FIELDS = ("macro", "economic", "social", "environment", "state")
LABEL_NOTE = "vi label translated by plancheck"

# Vietnamese names for the rows whose CSV has none. Editorial remarks about the manual in
# the English name (e.g. "type lost in transcription") are not part of the indicator's name
# and are left out; "(of which)" is rendered "(trong đó)".
VI_TRANSLATIONS: dict[str, str] = {
    "ECO-05": "Kim ngạch xuất khẩu rau quả đông lạnh",
    "ECO-07": "Kim ngạch xuất khẩu các mặt hàng khác",
    "ECO-11": "Số công trình hạ tầng được đầu tư từ ngân sách địa phương",
    "ECO-14": "Tổng giá trị sản xuất nông, lâm nghiệp và thủy sản của địa phương",
    "ECO-16": "Năng lực cạnh tranh của nền kinh tế địa phương",
    "ECO-17": "Năng suất (ví dụ về kết quả thể hiện bằng mức tăng)",
    "ECO-18": "Số doanh nghiệp/cơ sở sản xuất đạt tiêu chuẩn an toàn môi trường",
    "ECO-19": "Tỷ lệ doanh nghiệp áp dụng các biện pháp sản xuất an toàn/sạch",
    "ECO-20": "Mức độ sử dụng hóa chất trong nông nghiệp",
    "ECO-21": "Cây cầu mới được xây dựng (ví dụ chuỗi kết quả)",
    "ECO-22": "Cải thiện việc đi lại của người dân và vận chuyển hàng hóa giữa hai bờ sông",
    "ECO-25": "Tổng số ki-lô-mét đường làm mới",
    "ECO-26": "Tốc độ tăng trưởng hằng năm ngành nông, lâm nghiệp và thủy sản",
    "ECO-27": "Tỷ lệ hộ nông nghiệp áp dụng giống lúa lai mới",
    "ECO-29": "Tổng doanh thu lương thực (do Sở Nông nghiệp và Phát triển nông thôn cung cấp)",
    "ECO-30": "Tổng vốn đầu tư cho các mô hình ứng dụng công nghệ mới trong sản xuất nông nghiệp",
    "ECO-31": "Số xã ứng dụng công nghệ mới trong sản xuất nông nghiệp",
    "ECO-32": "Giá trị sản xuất nông, lâm nghiệp và thủy sản của các hộ ứng dụng công nghệ mới",
    "ECO-33": "Diện tích lúa và cây màu cần quy hoạch vào vùng chuyên canh",
    "ECO-34": "Tổng diện tích vùng chuyên canh được quy hoạch",
    "ECO-35": "Tỷ lệ diện tích chuyên canh trong tổng diện tích canh tác",
    "ECO-36": "Số ki-lô-mét đường giao thông nông thôn cần nâng cấp",
    "ECO-37": "Số ki-lô-mét đường giao thông nông thôn được nâng cấp trong kỳ kế hoạch",
    "ECO-38": "Tỷ lệ đường giao thông nông thôn được nâng cấp",
    "ECO-39": "Số doanh nghiệp sản xuất vật liệu xây dựng",
    "ECO-40": "Sản lượng các sản phẩm xây dựng chủ yếu (gạch, ngói, xi măng)",
    "ECO-41": "Giá trị sản xuất vật liệu xây dựng",
    "ECO-42": "Số doanh nghiệp thương mại cung ứng hàng bình ổn giá về nông thôn",
    "ECO-43": "Số xã có hàng bình ổn giá",
    "ECO-44": "Doanh thu bán lẻ hàng bình ổn giá ở nông thôn",
    "ECO-47": "Tổng doanh số bán hàng bình ổn giá",
    "ECO-50": "Giá trị sản phẩm thu được trên 1 ha đất trồng cây hằng năm",
    "ECO-51": "Giá trị sản phẩm thu được trên 1 ha đất trồng cây lâu năm",
    "ECO-53": "Số xã/phường đăng ký xây dựng xã, phường phù hợp với trẻ em",
    "ECO-54": "Số xã/phường thực hiện chương trình xã, phường phù hợp với trẻ em",
    "ECO-55": "Số xã/phường đạt tiêu chuẩn xã, phường phù hợp với trẻ em",
    "ENV-03": "Tỷ lệ hộ gia đình sử dụng nước hợp vệ sinh (nước sạch)",
    "ENV-04": "Tỷ lệ hộ gia đình thành thị sử dụng nước hợp vệ sinh",
    "ENV-05": "Tỷ lệ hộ gia đình nông thôn sử dụng nước hợp vệ sinh",
    "ENV-06": "Mức độ ô nhiễm không khí tại địa phương",
    "ENV-07": "Chất lượng không khí đô thị",
    "ENV-08": "Tỷ lệ diện tích rừng bị phá",
    "ENV-09": "Tỷ lệ diện tích đất nông nghiệp bị mất hằng năm",
    "ENV-10": "Chất lượng môi trường tại các khu công nghiệp và khu dân cư",
    "ENV-11": "Tỷ lệ dân số đô thị được tiếp cận nước sạch (do Sở Xây dựng cung cấp)",
    "ENV-12": "Số hộ chưa được tiếp cận nước sạch",
    "ENV-13": "Số hộ được cấp nước sạch mới",
    "ENV-14": "Tỷ lệ hộ sử dụng nước sạch",
    "ENV-15": "Số hộ chưa được cấp giấy chứng nhận quyền sử dụng đất",
    "ENV-16": "Số hộ được cấp mới giấy chứng nhận quyền sử dụng đất",
    "ENV-18": "Số hộ nông thôn chưa có nước sạch",
    "ENV-19": "Số hộ nông thôn (tại các vùng xây dựng nông thôn mới) được tiếp cận nước sạch",
    "ENV-20": "Số hộ (tỷ lệ hộ) nông thôn được tiếp cận nước sạch",
    "MAC-07": "Giá trị tăng thêm ngành nông, lâm nghiệp và thủy sản (giá hiện hành)",
    "MAC-08": "Giá trị tăng thêm ngành công nghiệp và xây dựng (giá hiện hành)",
    "MAC-09": "Giá trị tăng thêm ngành dịch vụ (giá hiện hành)",
    "MAC-30": "Chi đầu tư phát triển từ nguồn ngân sách địa phương",
    "MAC-45": "Vốn cân đối ngân sách địa phương",
    "MAC-47": "Tỷ trọng đóng góp của ngành vào GDP của tỉnh",
    "MAC-49": "Tổng sản lượng/doanh thu các sản phẩm chủ lực của địa phương",
    "MAC-50": "Tỷ trọng đóng góp của các khu vực 1, 2, 3 vào GDP của tỉnh "
              "(cấp huyện/xã: giá trị tăng thêm)",
    "MAC-65": "Tổng sản lượng cây lương thực",
    "MAC-66": "Tổng sản lượng xi măng",
    "SOC-02": "Dân số dân tộc thiểu số (trong đó)",
    "SOC-06": "Số lao động nữ được tạo việc làm mới trong năm (trong đó)",
    "SOC-17": "Mức độ cải thiện mức sống (định tính)",
    "SOC-20": "Số học viên được đào tạo tại các trung tâm dạy nghề",
    "SOC-21": "Tỷ lệ trẻ em hoàn thành chương trình trung học cơ sở",
    "SOC-24": "Số thanh niên được đào tạo nghề (ví dụ chuỗi kết quả)",
    "SOC-25": "Số thanh niên có việc làm tại doanh nghiệp hoặc tự tạo việc làm sau đào tạo",
    "SOC-26": "Cải thiện thu nhập của người dân địa phương",
    "SOC-29": "Tổng số học sinh giáo dục phổ thông",
    "SOC-30": "Tỷ lệ học sinh hoàn thành cấp học",
    "SOC-32": "Số lao động cần việc làm",
    "SOC-33": "Số lao động được hỗ trợ giới thiệu việc làm",
    "SOC-34": "Số lao động được bố trí việc làm mới trong năm",
    "SOC-38": "Số trạm y tế xã chưa có bác sĩ",
    "SOC-39": "Số trạm y tế xã được bổ sung bác sĩ",
    "SOC-40": "Số người cần được đào tạo nghề",
    "SOC-41": "Số người được đào tạo nghề trong kỳ kế hoạch",
    "SOC-44": "Số trẻ em có hoàn cảnh đặc biệt được chăm sóc tại các trung tâm bảo trợ xã hội",
    "SOC-45": "Tỷ lệ trẻ em có hoàn cảnh đặc biệt được chăm sóc",
    "SOC-48": "Chỉ số nghèo của con người (HPI)",
    "STA-02": "Năng lực của các cơ quan nhà nước",
    "STA-03": "Tỷ lệ vụ vi phạm pháp luật",
    "STA-04": "Số cán bộ, công chức cần nâng cao năng lực về hành chính công",
    "STA-05": "Số cán bộ, công chức được đào tạo",
    "STA-06": "Tỷ lệ cán bộ, công chức đáp ứng yêu cầu về hành chính công",
}

_PUNCT_IGNORED = frozenset("-\u2010\u2011\u2012\u2013\u2014_.,'\u2019")
_LOCAL_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]*$")


def normalize(text: str) -> str:
    """The matching key of validator.ontology.normalize_label (kept identical)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed.casefold()
                   if not unicodedata.combining(ch) and not ch.isspace()
                   and ch not in _PUNCT_IGNORED)


def unit_index(codes_path: Path = CODES_PATH) -> dict[str, str]:
    """Normalized notation / label / synonym -> local name of the unit concept."""
    from rdflib import Graph, URIRef
    from rdflib.namespace import SKOS

    g = Graph()
    g.parse(codes_path, format="turtle")
    scheme = URIRef("https://w3id.org/plancheck/ns#UnitScheme")
    base = CODE_BASE + "unit/"
    index: dict[str, str] = {}
    concepts = sorted(c for c in g.subjects(SKOS.inScheme, scheme) if str(c).startswith(base))
    for predicates in ((SKOS.notation,), (SKOS.prefLabel,), (SKOS.altLabel,)):
        for concept in concepts:
            for p in predicates:
                for value in sorted(g.objects(concept, p)):
                    index.setdefault(normalize(str(value)), str(concept)[len(base):])
    return index


def map_unit(text: str, index: dict[str, str]) -> list[str]:
    """Unit concept slugs for a catalogue unit; a compound ("households / %") gives several."""
    text = text.strip()
    if not text:
        return []
    if normalize(text) in index:
        return [index[normalize(text)]]
    for sep in (";", " / ", "/"):
        if sep in text:
            parts = [map_unit(part, index) for part in text.split(sep)]
            if all(parts):
                return [slug for part in parts for slug in part]
    return []


def turtle_string(text: str) -> str:
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"')
               .replace("\n", "\\n").replace("\r", "\\r"))
    return f'"{escaped}"'


def _sort_key(code: str) -> tuple[str, int, str]:
    prefix, _, number = code.partition("-")
    return (prefix, int(number) if number.isdigit() else -1, code)


def read_rows(csv_path: Path = CSV_PATH) -> list[dict[str, str]]:
    with csv_path.open(encoding="utf-8", newline="") as f:
        rows = [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(f)]
    seen: set[str] = set()
    for row in rows:
        if row["code"] in seen:
            raise SystemExit(f"{csv_path}: duplicate indicator code {row['code']!r}")
        seen.add(row["code"])
    return sorted(rows, key=lambda r: _sort_key(r["code"]))


def build(csv_path: Path = CSV_PATH, codes_path: Path = CODES_PATH) -> str:
    """The text of catalogue.ttl for the CSV."""
    rows = read_rows(csv_path)
    units = unit_index(codes_path)
    problems: list[str] = []
    out = [
        "# plancheck indicator catalogue: the manual's Appendix 5 and the indicators of its",
        "# examples, and the national key indicators of the 2026-2030 cycle (NAT-*), one",
        "# pc:Indicator per row of ontology/indicators.csv.",
        "#",
        "# GENERATED by tools/build_catalogue.py from ontology/indicators.csv: do not edit by",
        "# hand; change the CSV (or the translations in the script) and rerun the script.",
        "# Vietnamese names the CSV lacks are plancheck's translations, marked pc:labelNote.",
        "",
        "@prefix pc:        <https://w3id.org/plancheck/ns#> .",
        "@prefix skos:      <http://www.w3.org/2004/02/skos/core#> .",
        f"@prefix indicator: <{CODE_BASE}indicator/> .",
        f"@prefix category:  <{CODE_BASE}category/> .",
        f"@prefix sector:    <{CODE_BASE}sector/> .",
        f"@prefix unit:      <{CODE_BASE}unit/> .",
        "",
    ]
    for row in rows:
        code = row["code"]
        subject = (f"indicator:{code}" if _LOCAL_NAME.match(code)
                   else f"<{CODE_BASE}indicator/{code}>")
        name_vi = row["name_vi"] or VI_TRANSLATIONS.get(code, "")
        if not name_vi:
            problems.append(f"{code}: no Vietnamese name in the CSV and no translation")
        if not row["name_en"]:
            problems.append(f"{code}: no English name")
        category = row["category"].lower()
        if category not in (*CATEGORIES, "none"):
            problems.append(f"{code}: unknown category {row['category']!r}")
        field = row["field_group"].lower()
        if field not in FIELDS:
            problems.append(f"{code}: unknown field group {row['field_group']!r}")
        slugs = map_unit(row["unit"], units)
        if row["unit"] and not slugs:
            problems.append(f"{code}: unit {row['unit']!r} maps to no unit concept")

        source = row["source_page"]
        where = f"manual p. {source}" if source[:1].isdigit() else source
        lines = [f"# {code} ({where})",
                 f"{subject} a pc:Indicator , skos:Concept ;",
                 "    skos:inScheme pc:IndicatorCatalogue ;",
                 f"    skos:notation {turtle_string(code)} ;",
                 f"    skos:prefLabel {turtle_string(row['name_en'])}@en ,",
                 f"        {turtle_string(name_vi)}@vi ;"]
        if not row["name_vi"]:
            lines.append(f"    pc:labelNote {turtle_string(LABEL_NOTE)}@en ;")
        if category == "none":
            lines.append("    pc:contextIndicator true ;")
        else:
            lines.append(f"    pc:expectedCategory category:{category} ;")
        lines.append(f"    pc:expectedUnit {turtle_string(row['unit'])} ;")
        if slugs:
            unique = list(dict.fromkeys(slugs))
            lines.append("    pc:unitConcept " + " , ".join(f"unit:{s}" for s in unique) + " ;")
        lines += [f"    pc:fieldGroup sector:{field} ;",
                  f"    pc:catalogueSector {turtle_string(row['sector'])} ;",
                  f"    pc:sourcePage {turtle_string(row['source_page'])} .",
                  ""]
        out += lines

    by_code = {r["code"]: r for r in rows}
    stale = sorted(c for c in VI_TRANSLATIONS if c not in by_code or by_code[c]["name_vi"])
    for code in stale:
        print(f"note: translation for {code} is unused (the CSV has a Vietnamese name "
              "or no such row)", file=sys.stderr)
    if problems:
        raise SystemExit("cannot build the catalogue:\n  " + "\n  ".join(problems))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 if the catalogue is out of date")
    parser.add_argument("--output", type=Path, default=OUT_PATH, help="file to write")
    args = parser.parse_args(argv)
    text = build()
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else None
        if current != text:
            print(f"{args.output} is out of date: run python tools/build_catalogue.py",
                  file=sys.stderr)
            return 1
        return 0
    args.output.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {args.output} ({text.count(' a pc:Indicator')} indicators)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
