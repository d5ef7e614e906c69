"""What a reviewer reads, in the language asked for: the text output, the HTML report, the
annotated workbook (as LibreOffice prints it) and the monitoring tables, for the flawed
examples, the broken examples and an Excel submission.

In ``--lang vi`` no English word of plancheck's own vocabulary may show, and numbers and
dates are written the Vietnamese way; in ``--lang en`` none of its Vietnamese words may
show. File names, sheet names and the plans' own texts are the submitter's and are left out
of the check (a plan written only in Vietnamese stays Vietnamese in an English report).
"""

from __future__ import annotations

import html
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import EXAMPLES

from validator.load import load_plan
from validator.plan.model import text_variants

WORKBOOK = EXAMPLES / "xlsx" / "province-five-year-manual-layout.xlsx"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

# plancheck's own English words a Vietnamese reviewer must not meet
ENGLISH = ["quarterly", "annual", "province", "district", "commune", "decrease", "increase",
           "sum", "rollup", "roll-up", "target", "targets", "rule", "rules", "error", "errors",
           "warning", "warnings", "finding", "findings", "objective", "baseline", "source",
           "sources", "unit", "missing", "expected", "line", "sheet", "cell", "household",
           "billion", "evidence", "manual", "plan", "parent", "none", "true", "false",
           "looked", "given", "value", "values", "invalid", "duplicate", "key"]
# plancheck's own Vietnamese words an English reviewer must not meet
VIETNAMESE = ["lỗi", "cảnh báo", "thông tin", "phát hiện", "chỉ tiêu", "mục tiêu", "kế hoạch",
              "tệp", "dòng", "căn cứ", "sổ tay", "hằng quý", "hằng năm", "tỉnh", "cộng dồn",
              "chưa có", "đơn vị", "giá trị", "dữ liệu đã xét", "quy tắc", "mức", "trang",
              "không hợp lệ", "thiếu", "cần", "tr."]


def _run(cli, *args: object) -> str:
    _code, out, err = cli(*(str(a) for a in args))
    return out + err


def _own_words(text: str, plans: list[Path]) -> str:
    """``text`` without what the submitter wrote: file paths, sheet names, the plans' texts
    and ids, and the excerpts of the files under an error (whitespace made single spaces
    first, so a text wrapped across lines is found too)."""
    for plan in plans:
        text = text.replace(str(plan), " ")
    text = re.sub(r"\S*(/|\\)\S*|\S+\.(yaml|yml|json|xlsx|ttl)\b", " ", text)
    text = re.sub(r"^\s+(\^|.*#.*|- .*|\w+:.*)$", " ", text, flags=re.M)  # excerpts
    for plan in plans:
        try:
            loaded = load_plan(plan).plan
        except Exception:  # noqa: BLE001 (a broken example: its own text is its excerpt)
            continue
        own = [loaded.plan.id, *(text_variants(loaded.plan.title) or [])]
        for objective in loaded.objectives:
            own += [objective.id, *(text_variants(objective.title) or [])]
            for solution in objective.solutions:
                own += [solution.id, *(text_variants(solution.title) or [])]
            for target in objective.targets:
                own += [target.id, target.unit or "", target.compiling_agency or "",
                        *(text_variants(target.indicator) or []),
                        *(text_variants(target.timing) or [])]
                # a qualitative target's values are the plan's words too
                for value in (target.target, *target.annual.values()):
                    if not isinstance(value, int | float):
                        own += text_variants(value) or []
        if plan.suffix == ".xlsx":
            from openpyxl import load_workbook

            own += load_workbook(plan, read_only=True).sheetnames
        flat = re.sub(r"\s+", " ", text)
        for item in sorted(filter(None, own), key=len, reverse=True):
            shown = re.escape(re.sub(r"\s+", " ", item)).replace("\\ ", r"\s+")
            flat = re.sub(rf"(?<!\w){shown}(?!\w)", " ", flat)
        text = flat
    # sheets and quoted texts (a quoted name cut at the end of a cell's line too), after the
    # plans' own texts, which may quote
    return re.sub(r"'[^'\n]*'!|\"[^\"\n]*(\"|$)|'[^'\n]*'", " ", text, flags=re.M)


def _words_found(text: str, words: list[str]) -> list[str]:
    lowered = text.lower()
    return sorted({w for w in words if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", lowered)})


def _html_text(page: str) -> str:
    body = page[page.index("<body"):]
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "\n", body))


def _pdf_text(workbook: Path, tmp_path: Path) -> str:
    pypdf = pytest.importorskip("pypdf")
    result = subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
         "--norestore", "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"),
         str(workbook)], capture_output=True, text=True, timeout=240)
    made = tmp_path / "pdf" / f"{workbook.stem}.pdf"
    assert made.exists(), result.stdout + result.stderr
    return "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(made).pages)


FLAWED = sorted((EXAMPLES / "flawed").glob("*.yaml"))
BROKEN = sorted((EXAMPLES / "broken").glob("*.yaml"))


def _outputs(cli, lang: str, tmp_path: Path) -> dict[str, tuple[str, list[Path]]]:
    page = tmp_path / f"flawed.{lang}.html"
    _run(cli, "validate", *FLAWED, "--lang", lang, "--format", "html", "-o", page)
    book = tmp_path / f"book.{lang}.html"
    _run(cli, "validate", WORKBOOK, "--lang", lang, "--format", "html", "-o", book)
    broken = "\n".join(_run(cli, "validate", plan, "--lang", lang) for plan in BROKEN)
    return {
        "text (flawed)": (_run(cli, "validate", *FLAWED, "--lang", lang), FLAWED),
        "html (flawed)": (_html_text(page.read_text(encoding="utf-8")), FLAWED),
        "text (workbook)": (_run(cli, "validate", WORKBOOK, "--lang", lang), [WORKBOOK]),
        "html (workbook)": (_html_text(book.read_text(encoding="utf-8")), [WORKBOOK]),
        "text (broken)": (broken, BROKEN),
        "monitoring": (_run(cli, "report", "--form", "annual", "--lang", lang, ANNUAL),
                       [ANNUAL]),
        "monitoring (five-year)": (_run(cli, "report", "--form", "five_year", "--lang", lang,
                                        FIVE_YEAR), [FIVE_YEAR]),
        **_ci_outputs(cli, lang),
        **_explained(cli, lang),
        **_authoring(cli, lang, tmp_path),
    }


FIVE_YEAR = EXAMPLES / "province-five-year-sedp.yaml"
ANNUAL = EXAMPLES / "district-annual-sedp-2022.yaml"
SAMPLE_PACK = EXAMPLES / "packs" / "lao-cai"


def _authoring(cli, lang: str, tmp_path: Path) -> dict[str, tuple[str, list[Path]]]:
    """What the rule tools print (their --lang is the language of errors and summaries):
    the cases' run with its coverage, a new rule's stub failing its cases, the lint."""
    pack = tmp_path / f"pack-{lang}"
    shutil.copytree(SAMPLE_PACK, pack)
    new = re.sub(r"plancheck rules \w+", " ",  # the command to run next, as typed
                 _run(cli, "rules", "new", "LC-09", "--pack", pack, "--lang", lang))
    failing = _run(cli, "rules", "test", pack, "--select", "LC-09", "-v", "--lang", lang)
    case_names = r"^\s+\S+\s+(TODO .*|outcome target .*)$"  # the cases' names are the pack's
    return {"rules test": (_run(cli, "rules", "test", SAMPLE_PACK, "--lang", lang), []),
            "rules new, failing cases": (re.sub(case_names, " ", new + failing, flags=re.M),
                                         []),
            "rules check, lint": (_run(cli, "rules", "check", SAMPLE_PACK, "--lang", lang)
                                  + _run(cli, "rules", "lint", SAMPLE_PACK, "--lang", lang),
                                  [])}


def _ci_outputs(cli, lang: str) -> dict[str, tuple[str, list[Path]]]:
    """The pull-request comment and the workflow annotations, for the flawed and the
    broken examples (the annotations' command and property names are GitHub's)."""
    out = {}
    for fmt in ("markdown", "github"):
        flawed = _run(cli, "validate", *FLAWED, "--lang", lang, "--format", fmt)
        if fmt == "github":
            flawed = re.sub(r"^::\w+ file=[^,]*(,line=\d+)?(,col=\d+)?,title=", "", flawed,
                            flags=re.M)
        else:  # the rule ids' links and the severities' emoji (:warning:)
            flawed = re.sub(r"\]\([^)]*\)|:[a-z_]+:", " ", flawed)
        broken = "\n".join(_run(cli, "validate", plan, "--lang", lang, "--format", fmt)
                           for plan in BROKEN)
        out[f"{fmt} (flawed)"] = (flawed, FLAWED)
        out[f"{fmt} (broken)"] = (broken, BROKEN)
    return out


def _explained(cli, lang: str) -> dict[str, tuple[str, list[Path]]]:
    """``validate --explain`` (text and HTML) and ``explain`` for a reviewer, for every rule
    that fires on a flawed example (the rules' own rationales are the pack's texts, checked
    with the pack; they are left out here)."""
    import json

    traced = _run(cli, "validate", *FLAWED, "--lang", lang, "--explain")
    explained = []
    for plan in FLAWED:
        _code, out, _err = cli("validate", str(plan), "--format", "json")
        for rule in sorted({f["rule"] for f in json.loads(out)["findings"]}):
            text = _run(cli, "explain", rule, plan, "--lang", lang)
            _code, out, _err = cli("explain", rule, str(plan), "--lang", lang, "--format",
                                   "json")
            rationale = json.loads(out)["rule"].get("rationale") or {}
            explained.append(text.replace(rationale.get(lang, "\0"), " "))
    return {"text (validate --explain)": (traced, FLAWED),
            "explain": ("\n".join(explained), FLAWED)}


@pytest.mark.parametrize("lang, words", [("vi", ENGLISH), ("en", VIETNAMESE)])
def test_no_word_of_the_other_language_in_what_a_reviewer_reads(cli, tmp_path, lang, words):
    leaks = {}
    for name, (text, plans) in _outputs(cli, lang, tmp_path).items():
        found = _words_found(_own_words(text, plans), words)
        if found:
            leaks[name] = found
    assert not leaks, leaks


def test_vietnamese_numbers_and_dates(cli):
    text = _run(cli, "validate", *FLAWED, "--lang", "vi")
    assert "30.000 tỷ đồng" in text and "13,8" in text  # grouped thousands, decimal comma
    assert "15/08/2025" in text and "2025-08-15" not in text
    english = _run(cli, "validate", *FLAWED, "--lang", "en")
    assert "30,000 billion VND" in english and "13.8" in english
    assert "2025-08-15" in english


def test_summaries_count_right_in_both_languages(cli):
    one = EXAMPLES / "flawed" / "cat05-outcome-heavy.yaml"
    assert "1 finding (0 errors, 1 warning, 0 info) in 1 file" in _run(
        cli, "validate", one, "--lang", "en")
    assert "1 phát hiện (0 lỗi, 1 cảnh báo, 0 thông tin) trong 1 tệp" in _run(
        cli, "validate", one, "--lang", "vi")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.parametrize("lang, words", [("vi", ENGLISH), ("en", VIETNAMESE)])
def test_the_annotated_workbook_as_printed_by_libreoffice(cli, tmp_path, lang, words):
    out = tmp_path / f"annotated-{lang}.xlsx"
    _run(cli, "validate", WORKBOOK, "--lang", lang, "--annotate", out)
    from openpyxl import load_workbook

    book = load_workbook(out)
    findings = book.worksheets[0]
    keep = findings.title
    for sheet in list(book.worksheets):
        if sheet.title != keep:
            del book[sheet.title]  # the findings sheet is plancheck's; the rest is the plan's
    for row in findings.iter_rows(min_row=4, min_col=4, max_col=4):
        if isinstance(row[0].value, str):  # the entity's name is the plan's own text, and
            row[0].value = row[0].value.split('"')[0]  # a wrapped cell cuts it in the PDF
    only = tmp_path / f"findings-{lang}.xlsx"
    book.save(only)
    printed = _pdf_text(only, tmp_path)
    assert ("PH-04" in printed or "SMART-B" in printed), printed[:500]
    found = _words_found(_own_words(printed, [WORKBOOK]), words)
    assert not found, (found, printed[:2000])
    if lang == "vi":
        assert "Sổ tay MPI 2013, tr." in printed and "Phát hiện" in keep


def _rule_texts(lang: str) -> dict[str, str]:
    """``rule part`` -> the rule's text in ``lang`` (title, message, group message and
    rationale) for every rule of the bundled packs, placeholders and quotes left out (a
    placeholder is filled in for the reader; a quoted text is a plan's words, cited)."""
    from validator.rulelang.cache import load_ruleset
    from validator.rulelang.packs import bundled_packs

    out = {}
    for pack in bundled_packs():
        for rule in load_ruleset((pack,)).rules:
            for part in ("title", "message", "group", "rationale"):
                texts = getattr(rule.decl, part)
                text = texts.as_dict().get(lang, "") if texts is not None else ""
                text = re.sub(r"\{[^{}]*\}|'[^']*'|\"[^\"]*\"", " ", text)
                out[f"{pack} {rule.id} {part}"] = text
    return out


@pytest.mark.parametrize("lang, words", [("vi", ENGLISH), ("en", VIETNAMESE)])
def test_the_bundled_rules_speak_one_language(lang, words):
    """The pack's texts are what a reviewer reads most (titles, messages, and the rationale
    of HTML, explain and SARIF): no code such as (sum) in the Vietnamese, no Vietnamese
    word outside a quotation in the English."""
    leaks = {part: found for part, text in _rule_texts(lang).items()
             if (found := _words_found(text, words))}
    assert not leaks, leaks


def test_the_review_desk_pages_and_letter(tmp_path):
    """The desk's submission and cycle pages and its remarks letter, for a flawed plan and
    its workbook: places as sheet and cell or line (no key path), sources as citations,
    levels by name."""
    pytest.importorskip("fastapi")
    from desk_plans import FLAWED_YAML, workbooks
    from docx import Document
    from fastapi.testclient import TestClient

    from validator.desk.app import create_app
    from validator.desk.settings import MB, Settings

    (tmp_path / "books").mkdir()
    book, _fixed = workbooks(tmp_path / "books")
    settings = Settings(data=tmp_path / "desk", workers=1, max_upload=2 * MB)
    leaks, pages = {}, {}
    with TestClient(create_app(settings)) as client:
        subs = []
        for path in (FLAWED_YAML, book):
            client.cookies.clear()
            subs.append(client.post("/api/submissions", files={
                "file": (path.name, path.read_bytes())}).json())
        for lang, words in (("vi", ENGLISH), ("en", VIETNAMESE)):
            client.get(f"/lang/{lang}")
            for sub, path in zip(subs, (FLAWED_YAML, book), strict=True):
                page = client.get(f"/submissions/{sub['id']}").text
                cycle = client.get(f"/cycles/{sub['plan_id']}").text
                letter = client.get(f"/api/submissions/{sub['id']}/letter.docx",
                                    params={"lang": lang})
                text = "\n".join(p.text for p in Document(io.BytesIO(letter.content)).paragraphs)
                for name, shown in (("page", _html_text(page)), ("cycle", _html_text(cycle)),
                                    ("letter", text)):
                    pages[f"{lang} {name} {path.suffix}"] = shown
                    # the workbook's sheet names are the submitter's (a Vietnamese workbook)
                    own = re.sub(r"(sheet|trang) [^,]*,", " ", shown)
                    if found := _words_found(_own_words(own, [FLAWED_YAML]), words):
                        leaks[f"{lang} {name} {path.suffix}"] = found
    assert not leaks, leaks
    assert not [name for name, text in pages.items() if "objectives[" in text]
    assert "Sổ tay MPI 2013, tr." in pages["vi page .yaml"]
    assert "dòng " in pages["vi letter .yaml"] and ", ô D" in pages["vi letter .xlsx"]
