"""The errors that stop a run, in the language asked for: a workbook's, an RDF file's, a
rule pack's and a parameter's, the rule checker's, click's own usage errors and the "did you
mean" of each. With ``--lang vi`` no English word of plancheck's own vocabulary may show
(the words of tests/test_reader.py), with ``--lang en`` none of its Vietnamese ones; the
place (file, line:column, cell, key path) is kept in both."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from conftest import EXAMPLES, small_plan
from test_reader import ENGLISH, VIETNAMESE, _own_words, _words_found
from test_xlsx_helpers import HEADER, PLAN_ROWS, ROW, make_book, simple_book

PLAN = EXAMPLES / "flawed" / "smartr-smartt-growth-25-year-2032.yaml"
RULE = '''rule X-01
  title vi "Tiêu đề" en "Title"
  severity warning
  for each target t
  require {require}
  message vi "{{t.id}}" en "{{t.id}}"
'''


def _refused(cli, lang: str, *args: object, files: list[Path]) -> str:
    """The error output of a run that exits 2, checked for the other language's words."""
    code, out, err = cli(*args, "--lang", lang)
    assert code == 2 and "Traceback" not in err, (code, out, err)
    said = re.sub(r"^(Cách dùng|Usage): .*$", " ", err, flags=re.M)  # the command's syntax
    said = re.sub(r"^\s+.*$", " ", said, flags=re.M)  # the excerpt of the file, its caret
    said = re.sub(r"\b[a-z]+:[A-Z]\w*", " ", said)  # the ontology's terms (pc:Plan)
    words = ENGLISH if lang == "vi" else VIETNAMESE
    assert _words_found(_own_words(said, files), words) == [], err
    return err


def _both(cli, *args: object, files: list[Path]) -> tuple[str, str]:
    return (_refused(cli, "vi", *args, files=files), _refused(cli, "en", *args, files=files))


def test_workbook_errors(cli, tmp_path):
    book = make_book(tmp_path / "bad.xlsx", {"Kế hoạch": PLAN_ROWS, "Đầu ra": [
        HEADER + ["Người nhập"], ROW + ["Lan"]]})
    vi, en = _both(cli, "validate", book, files=[book])
    assert f"{book}:'Đầu ra'!J1: tiêu đề cột 'Người nhập' không xác định" in vi
    assert f"{book}:'Đầu ra'!J1: unknown column header 'Người nhập'" in en
    rows = [r for r in PLAN_ROWS if r[0] != "Năm cơ sở"] + [["Năm cơ sở", "hai nghìn"]]
    book = make_book(tmp_path / "year.xlsx", {"Kế hoạch": rows, "Đầu ra": [HEADER, ROW]})
    vi, en = _both(cli, "validate", book, files=[book])
    assert f"{book}:'Kế hoạch'!B7: cần một số nguyên, nhưng có 'hai nghìn'" in vi
    assert f"{book}:'Kế hoạch'!B7: expected a whole number, got 'hai nghìn'" in en
    book = simple_book(tmp_path / "twice.xlsx", [ROW, ROW])
    vi, en = _both(cli, "validate", book, files=[book])
    assert "xuất hiện hai lần (lần đầu ở 'Đầu ra'!B3)" in vi and "appears twice" in en
    macro = tmp_path / "plan.xlsm"
    macro.write_bytes(b"PK")
    vi, en = _both(cli, "validate", macro, files=[macro])
    assert "không nhận bảng tính có macro (.xlsm)" in vi
    assert "a macro-enabled workbook (.xlsm) is refused" in en


def test_a_target_category_reads_as_its_label(cli, tmp_path):
    book = make_book(tmp_path / "cat.xlsx", {"Kế hoạch": PLAN_ROWS, "Đầu ra": [
        HEADER + ["Loại chỉ tiêu"], ROW + ["Kết quả"]]})
    vi, en = _both(cli, "validate", book, files=[book])
    assert "loại kết quả không khớp với tiêu đề cột 'Đầu ra'!B1 (đầu ra)" in vi, vi
    assert "category outcome disagrees with the column header 'Đầu ra'!B1 (output)" in en


def test_rdf_errors(cli, tmp_path):
    empty = tmp_path / "plan.ttl"
    empty.write_text("@prefix pc: <https://w3id.org/plancheck/ns#> .\n", encoding="utf-8")
    vi, en = _both(cli, "validate", empty, files=[empty])
    assert "đồ thị cần có đúng một pc:Plan, nhưng có 0" in vi
    assert "expected exactly one pc:Plan in the graph, found 0" in en
    remote = tmp_path / "plan.jsonld"
    remote.write_text(json.dumps({"@context": "https://example.org/ctx.jsonld"}),
                      encoding="utf-8")
    vi, en = _both(cli, "validate", remote, files=[remote])
    assert "plancheck không bao giờ tải ngữ cảnh từ xa" in vi
    assert "plancheck never fetches remote contexts" in en
    broken = tmp_path / "broken.jsonld"
    broken.write_text('{"@context": {}, "a": }', encoding="utf-8")
    vi, en = _both(cli, "validate", broken, files=[broken])
    assert f"{broken}:1:23: JSON-LD không hợp lệ: cần một giá trị" in vi
    assert f"{broken}:1:23: invalid JSON-LD: expected a value" in en


def test_pack_and_parameter_errors(cli, tmp_path):
    vi, en = _both(cli, "validate", PLAN, "--param", "growth_mx=30", files=[PLAN])
    assert "tham số 'growth_mx' không xác định; có phải ý bạn là 'growth_max'?" in vi
    assert "unknown parameter 'growth_mx'; did you mean 'growth_max'?" in en
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "pack.yaml").write_text(yaml.safe_dump({
        "name": "p", "version": "1", "title": {"vi": "Gói", "en": "Pack"},
        "authority": {"vi": "Sở", "en": "Department"}, "extends": ["mpi2013"],
        "disable": ["SMART-SS"], "params": {"growth_max": "lots"}}), encoding="utf-8")
    vi, en = _both(cli, "rules", "list", "--rules", pack, files=[pack / "pack.yaml"])
    assert "disable[0]: bộ quy tắc không có quy tắc SMART-SS; có phải ý bạn là" in vi
    assert "disable[0]: no rule SMART-SS in the rule set; did you mean" in en
    assert "params.growth_max: tham số growth_max cần một số, nhưng có 'lots'" in vi
    assert "params.growth_max: parameter growth_max expects a number, got 'lots'" in en
    vi, en = _both(cli, "validate", PLAN, "--rules", tmp_path / "none", files=[PLAN])
    assert "không có tệp quy tắc, thư mục hay gói quy tắc có sẵn nào như vậy" in vi
    assert "no such rule file, folder or bundled pack" in en


def test_rule_file_errors(cli, tmp_path):
    rules = tmp_path / "x.rules"
    rules.write_text(RULE.format(require="lenn(t.annual) = 0"), encoding="utf-8")
    vi, en = _both(cli, "rules", "check", rules, files=[rules])
    assert f"{rules}:5:11: hàm 'lenn' không xác định; có phải ý bạn là 'len'?" in vi
    assert f"{rules}:5:11: unknown function 'lenn'; did you mean 'len'?" in en
    rules.write_text(RULE.format(require="t.untt is present"), encoding="utf-8")
    _, _, vi = cli("rules", "check", rules, "--lang", "vi")  # the kind: its name, its keyword
    assert f"{rules}:5:13: chỉ tiêu (target) không có thuộc tính 'untt'; có phải" in vi
    _, _, en = cli("rules", "check", rules, "--lang", "en")
    assert f"{rules}:5:13: unknown attribute 'untt' of target; did you mean 'unit'?" in en
    rules.write_text(RULE.format(require="t.unit is"), encoding="utf-8")
    vi, en = _both(cli, "rules", "check", rules, files=[rules])
    assert f"{rules}:6:3: không mong đợi 'message'; cần " in vi
    assert f"{rules}:6:3: unexpected 'message'; expected " in en
    rules.write_text(RULE.format(require='matches(t.indicator, "(a+)+")'), encoding="utf-8")
    vi, en = _both(cli, "rules", "check", rules, files=[rules])
    assert "có thể tốn thời gian theo hàm mũ" in vi and "can take exponential time" in en


@pytest.mark.parametrize("args, vi_words, en_words", [
    (("validate", PLAN, "--fail-on", "bogus"),
     "Lỗi: Giá trị không hợp lệ cho '--fail-on': 'bogus' không phải một trong",
     "Error: Invalid value for '--fail-on': 'bogus' is not one of"),
    (("convert",), "Lỗi: Thiếu đối số 'PLAN'.", "Error: Missing argument 'PLAN'."),
    (("validate", PLAN, "--bogus"), "Lỗi: Không có tùy chọn '--bogus'.",
     "Error: No such option '--bogus'."),
    (("validate", PLAN, "--plan", "levl=district"),
     "Giá trị không hợp lệ cho --plan: trường 'levl' không có trong phần đầu kế hoạch; có "
     "phải ý bạn là 'level'?", "Invalid value for --plan: unknown plan header field 'levl'; "
     "did you mean 'level'?"),
    (("validate", PLAN, "--param", "growth"),
     "Giá trị không hợp lệ cho --param: 'growth' không có dạng TÊN=GIÁ_TRỊ",
     "Invalid value for --param: 'growth' is not NAME=VALUE"),
    (("validate", PLAN, "-o", EXAMPLES), f"'--output': Tệp '{EXAMPLES}' là một thư mục.",
     f"'--output': File '{EXAMPLES}' is a directory."),
    (("valdate", PLAN), "Lỗi: Không có lệnh 'valdate'. Có phải ý bạn là 'validate'?",
     "Error: No such command 'valdate'. Did you mean 'validate'?"),
])
def test_usage_errors(cli, args, vi_words, en_words):
    vi, en = _both(cli, *args, files=[PLAN])
    assert vi_words in vi and vi.startswith("Cách dùng: ") and "Xem hướng dẫn: '" in vi
    assert en_words in en and en.startswith("Usage: ") and "for help." in en


def test_a_usage_error_before_lang_is_read_is_worded_in_it(cli):
    """click refuses an unknown option before it reads --lang: the run's language is read
    from the arguments first."""
    code, _, err = cli("validate", "--bogus", PLAN, "--lang", "en")
    assert code == 2 and "Error: No such option '--bogus'." in err
    code, _, err = cli("validate", "--bogus", PLAN)  # the default: Vietnamese
    assert code == 2 and "Lỗi: Không có tùy chọn '--bogus'." in err


def test_did_you_mean_in_both_languages():
    from validator.core.hints import did_you_mean
    from validator.core.i18n import render

    two = did_you_mean("agencie", {"agency", "agencies2", "unit"}, 2)
    assert render(two, "vi") == "; có phải ý bạn là 'agencies2' hoặc 'agency'?"
    assert render(two, "en") == "; did you mean 'agencies2' or 'agency'?"
    assert did_you_mean("zzz", {"agency"}) == ""


def test_a_plan_loader_error_keeps_its_key_path(cli, tmp_path):
    data = small_plan()
    data["objectives"][0]["targets"][0]["rollup"] = "summ"
    plan = tmp_path / "plan.yaml"
    plan.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    vi, en = _both(cli, "validate", plan, files=[plan])
    assert re.search(rf"{re.escape(str(plan))}:\d+:\d+: ", vi) and "summ" in vi and "summ" in en
