"""The pack's reference (rules list / rules doc), its catalogue built-ins and its docs."""

from __future__ import annotations

import json
import re

import pytest
import yaml
from conftest import ROOT

from validator.rulelang.builtins import BUILTINS
from validator.rulelang.cache import load_ruleset


def call(name, *args):
    return BUILTINS[name].fn(*args)


# --- rules list -------------------------------------------------------------------------

def test_rules_list_shows_the_pack_in_id_order(cli):
    code, out, _ = cli("rules", "list", "--lang", "en")
    ids = [line.split()[0] for line in out.splitlines()]
    assert code == 0 and len(ids) >= 45
    assert ids.index("F-02") < ids.index("F-10") < ids.index("FR-01")
    assert "Objective lacks an input, output or outcome target" in out
    _, out_vi, _ = cli("rules", "list", "--lang", "vi")
    assert "Mục tiêu thiếu chỉ tiêu đầu vào, đầu ra hoặc kết quả" in out_vi


def test_rules_list_by_tag_and_formats(cli):
    code, out, _ = cli("rules", "list", "--tag", "participation", "--format", "json")
    rules = json.loads(out)
    assert code == 0 and {r["id"] for r in rules} >= {"PAR-01", "PAR-07", "CAL-05"}
    assert all("participation" in r["tags"] for r in rules)
    code, out, _ = cli("rules", "list", "--tag", "calendar", "--format", "md")
    lines = out.splitlines()
    assert lines[0] == ("| Quy tắc / Rule | Mức độ / Severity | Tiêu đề (vi) | Rule title (en) "
                        "| Căn cứ / Source | Nhãn / Tags |")
    assert any(line.startswith("| CAL-04 | cảnh báo / warning | Kế hoạch tỉnh") for line in lines)
    assert "(source 003)" not in out  # the planning calendar by its title, in both languages
    code, _, err = cli("rules", "list", "--tag", "no-such-tag", "--lang", "en")
    assert code == 2 and "no rule has the tag" in err
    code, _, err = cli("rules", "list", "--tag", "no-such-tag", "--lang", "vi")
    assert code == 2 and "không quy tắc nào có nhãn 'no-such-tag'" in err


# --- rules doc --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def docs(tmp_path_factory):
    from click.testing import CliRunner

    from validator.cli import main

    out = tmp_path_factory.mktemp("doc")
    result = CliRunner().invoke(main, ["rules", "doc", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_rules_doc_writes_an_index_and_a_page_per_rule(docs):
    ids = {r.id for r in load_ruleset().rules}
    assert {p.stem for p in docs.glob("*.md")} == ids | {"index"}
    assert {p.stem for p in docs.glob("*.html")} == ids | {"index"}
    index = (docs / "index.md").read_text(encoding="utf-8")
    assert "[CAT-02](CAT-02.md)" in index and f"{len(ids)} rules" in index
    assert f"{len(ids)} quy tắc (" in index


def test_a_page_shows_titles_rationale_text_params_and_cases(docs):
    page = (docs / "F-13.md").read_text(encoding="utf-8")
    assert "Các khoản thu ngân sách không khớp với tổng thu" in page
    assert "Budget revenue lines do not agree with the total" in page
    assert "MPI 2013 manual p.184 item 9" in page and "Rationale" in page
    assert "`sum_tolerance`" in page
    assert 'where catalogue_code(t) is one of ["MAC-21", "MAC-23"]' in page
    assert "total revenue that is not duties plus domestic revenue" in page
    assert "findings on R, RD" in page and "phát hiện tại R, RD" in page
    assert "| Mức độ / Severity | cảnh báo / warning |" in page
    assert "| Đối tượng / Entity | chỉ tiêu / target |" in page
    assert "Sổ tay MPI 2013, tr.184 mục 9 / MPI 2013 manual, p.184 item 9" in page


def test_html_is_self_contained_escaped_and_deterministic(docs, tmp_path, cli):
    page = (docs / "F-13.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page
    for external in ("http://", "https://", "<script", "<link", " src="):
        assert external not in page
    assert "parts_sum &lt;= number(t.target)" in page
    again = tmp_path / "again"
    assert cli("rules", "doc", "--out", again)[0] == 0
    for path in sorted(docs.iterdir()):
        assert (again / path.name).read_bytes() == path.read_bytes(), path.name


# --- catalogue and unit built-ins ---------------------------------------------------------

class _Target:
    def __init__(self, indicator, code=None):
        self.indicator, self.code = indicator, code


def test_catalogue_matching_by_code_and_by_name():
    assert call("catalogue_code", _Target("anything", "soc-07")) == "SOC-07"
    assert call("catalogue_code", _Target("Ty le ho  NGHEO")) == "SOC-15"
    assert call("catalogue_code", _Target("forest   coverage")) == "ENV-01"
    assert call("catalogue_code", _Target("Unknown", "XYZ-01")) is None
    # bracketed notes count when they decide: current vs comparative prices
    assert call("catalogue_match", "Tổng giá trị tăng thêm (giá hiện hành)") == "MAC-06"
    # a name shared by entries that disagree (output vs outcome) matches nothing
    assert call("catalogue_match", "Số hộ nông thôn được tiếp cận nước sạch") is None
    assert call("catalogue_category", "MAC-28") == "input"
    assert call("catalogue_category", "SOC-01") is None
    assert call("catalogue_units", "SOC-10") == ["per mille"]
    assert call("catalogue_name", "ENV-01", "en") == "Forest coverage"


def test_unit_and_table_builtins():
    assert call("in_unit", 400000, "million VND", "billion VND") == 400
    assert call("in_unit", 1.5, "%", "‰") == pytest.approx(15)
    assert call("in_unit", 3, "km", "ha") is None
    assert call("canonical", "unit", "‰") == "per mille"
    assert call("field_of", "cultivation") == "economic"
    assert call("duplicates", ["A", "B", "A", None, None]) == ["A"]
    assert call("lookup", [["a", 1, 2], ["b", 3], ["a", 4]], "a") == [1, 2, 4]
    assert call("count_matches", "cuối tháng 6 và cuối tháng 12", r"tháng\s*[0-9]+") == 2
    import datetime as dt
    days = [dt.date(2025, 6, 1), None, dt.date(2025, 4, 2)]
    assert call("earliest", days) == dt.date(2025, 4, 2)
    assert call("latest", days) == dt.date(2025, 6, 1)


def test_every_catalogue_code_the_pack_names_exists():
    from validator.plan.ontology import catalogue

    text = "\n".join(p.read_text(encoding="utf-8")
                     for p in (ROOT / "rules" / "mpi2013").glob("*.rules"))
    named = set(re.findall(r'"((?:MAC|ECO|SOC|ENV|STA)-\d\d)"', text))
    assert named and named <= set(catalogue()), sorted(named - set(catalogue()))


# --- docs ------------------------------------------------------------------------------

CHECK_IDS = ({f"STR-{i:02d}" for i in range(1, 23)} | {f"CAT-{i:02d}" for i in range(1, 11)}
             | {f"SMART-{s}" for s in ("S", "M", "M2", "A", "R", "T", "B")}
             | {f"PH-{i:02d}" for i in range(1, 8)} | {f"F-{i:02d}" for i in range(1, 23)}
             | {f"AG-{i:02d}" for i in range(1, 7)} | {f"FR-{i:02d}" for i in range(1, 7)}
             | {f"CAL-{i:02d}" for i in range(1, 8)} | {f"PAR-{i:02d}" for i in range(1, 10)}
             | {f"RU-{i:02d}" for i in range(1, 9)} | {f"REP-{i:02d}" for i in range(1, 4)})


def test_the_pack_doc_maps_every_check_to_a_rule_or_a_reason():
    assert len(CHECK_IDS) == 107
    doc = (ROOT / "docs" / "pack-mpi2013.md").read_text(encoding="utf-8")
    table = doc.split("## CHECKS.md → rules", 1)[1].split("\n## ", 1)[0]
    rows = {m.group(1): (m.group(2), m.group(3)) for m in
            re.finditer(r"^\| ([A-Z]+-[0-9A-Z]+) \| ([^|]+) \|([^|]*)\|$", table, re.M)}
    assert set(rows) == CHECK_IDS
    pack = {r.id for r in load_ruleset().rules}
    for check, (rules, note) in rows.items():
        if rules.strip() in ("out of scope", "not implemented"):
            assert note.strip(), f"{check} needs a reason"
        else:
            named = {r.strip() for r in rules.split(",")}
            assert named <= pack, f"{check}: {named - pack} not in the pack"


def test_excerpt_is_an_optional_plan_key_that_survives_the_lift(write_plan):
    from conftest import small_plan

    from validator.formats.rdf.lower import plan_from_rdf_text
    from validator.formats.write import write_plan as convert
    from validator.load import load_plan

    plan = load_plan(write_plan(small_plan(excerpt=True))).plan
    assert plan.plan.excerpt is True
    back = plan_from_rdf_text(convert(plan, "ttl"), "x.ttl", "turtle")
    assert back.plan.excerpt is True
    assert "excerpt" not in yaml.safe_dump(load_plan(write_plan(small_plan(), "b.yaml"))
                                           .plan.dump())
