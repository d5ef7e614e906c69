"""Fuzz the hostile inputs of the hardening issue (docs/robustness.md):

- workbooks built from their XML parts, with cells at far corners, hostile dimensions,
  merged ranges of any size, formulas that call out, and strings with control characters;
- rule files with deep expressions, long numbers and patterns in the regex module's own
  syntax;
- configuration files and ``--param`` values (deep, huge, infinite, malformed);
- output paths: the inputs themselves, links to them, folders, missing folders, devices.

Each case must finish within its time bound and either succeed or fail with exit 2 and a
message naming the file; no input is ever changed. A short run in CI, 10,000 cases each
with ``--fuzz-long``.
"""

from __future__ import annotations

import os
import time
import zipfile
from pathlib import Path

import yaml
from click.testing import CliRunner
from conftest import EXAMPLES, small_plan
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.utils import get_column_letter

from validator.cli import main
from validator.formats.xlsx import write_xlsx
from validator.load import load_plan

from .fuzz_budget import count_case, fuzz_settings
from .fuzz_checks import assert_cli_clean

SECONDS = 10  # the bound for any one input (CPU seconds)


def run(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def _timed(*args: object) -> tuple[int, str, str]:
    """Run the CLI in this process, within :data:`SECONDS` of CPU time (wall time would
    measure the other processes of a shared machine)."""
    started = time.process_time()
    result = run(*args)
    assert time.process_time() - started < SECONDS, f"took more than {SECONDS} s of CPU"
    return result


# --- workbooks from their XML parts ---------------------------------------------------------

_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20).map(
    lambda s: "".join(c for c in s if c in "\t\n\r" or ord(c) >= 0x20 and c not in "\ufffe\uffff"))
_ROWS = st.integers(1, 1_048_576)
_COLS = st.integers(1, 16_384)
_FORMULAS = st.sampled_from(['WEBSERVICE("http://127.0.0.1:9/x")', 'DDE("cmd";"/c calc";"x")',
                             "[1]Sheet1!A1", "SUM(A1:XFD1048576)", "1/0", "A1", ""])


def _ref(row: int, col: int) -> str:
    return f"{get_column_letter(col)}{row}"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@st.composite
def _hostile_sheet(draw: st.DrawFn) -> tuple[str, list[str], str]:
    """``<row>`` elements, merged ranges and a ``<dimension>`` a hostile tool could write."""
    cells: dict[int, list[str]] = {}
    for _ in range(draw(st.integers(0, 12))):
        row, col = draw(_ROWS), draw(_COLS)
        kind = draw(st.sampled_from(["text", "number", "formula", "cached", "blank"]))
        ref = _ref(row, col)
        body = {
            "text": f'<c r="{ref}" t="inlineStr"><is><t>{_escape(draw(_TEXT))}</t></is></c>',
            "number": f'<c r="{ref}"><v>{draw(st.sampled_from(["1", "1e400", "-0", "NaN"]))}'
                      "</v></c>",
            "formula": f'<c r="{ref}"><f>{_escape(draw(_FORMULAS))}</f></c>',
            "cached": f'<c r="{ref}" t="str"><f>{_escape(draw(_FORMULAS))}</f><v>x</v></c>',
            "blank": f'<c r="{ref}"/>',
        }[kind]
        cells.setdefault(row, []).append(body)
    rows = "".join(f'<row r="{r}">{"".join(cells[r])}</row>' for r in sorted(cells))
    merges = []
    for _ in range(draw(st.integers(0, 6))):
        top, left = draw(_ROWS), draw(_COLS)
        bottom = min(top + draw(st.integers(0, 10**6)), 1_048_576)
        right = min(left + draw(st.integers(0, 16_384)), 16_384)
        merges.append(f"{_ref(top, left)}:{_ref(bottom, right)}")
    dimension = _ref(draw(_ROWS), draw(_COLS))
    return rows, merges, dimension


def _book(path: Path, rows: str, merges: list[str], dimension: str) -> Path:
    from test_xlsx_helpers import patch_sheet, simple_book

    patch_sheet(simple_book(path), 2, rows, merges)
    with zipfile.ZipFile(path) as src:
        items = {i.filename: src.read(i.filename) for i in src.infolist()}
    sheet = items["xl/worksheets/sheet2.xml"].decode()
    items["xl/worksheets/sheet2.xml"] = sheet.replace(
        '<dimension ref="A1:I3" />', f'<dimension ref="A1:{dimension}" />').encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in items.items():
            dst.writestr(name, data)
    return path


@fuzz_settings(12)
@given(sheet=_hostile_sheet())
def test_hostile_workbooks_are_bounded(sheet: tuple[str, list[str], str],
                                       tmp_path_factory) -> None:
    count_case()
    folder = tmp_path_factory.mktemp("book")
    path = _book(folder / "book.xlsx", *sheet)
    before = path.read_bytes()
    code, out, err = _timed("validate", path, "--lang", "en", "--annotate",
                            folder / "copy.xlsx")
    assert_cli_clean(code, out, err, str(path))
    assert path.read_bytes() == before
    if (folder / "copy.xlsx").exists():
        with zipfile.ZipFile(folder / "copy.xlsx") as copy:
            assert not any(b"<f>" in copy.read(n) for n in copy.namelist()
                           if n.startswith("xl/worksheets/"))


# --- rule files -------------------------------------------------------------------------

_PATTERNS = st.sampled_from(["(?:ab){e<=3}", "x{1,2}", "[[:alpha:]]", "(a+)+", "\\\\p{L}",
                             "tháng\\\\s*[0-9]{1,2}", "a{", "(?r)a", "[a&&b]", "ok"])


@st.composite
def _expression(draw: st.DrawFn) -> str:
    depth = draw(st.integers(0, 400))
    kind = draw(st.sampled_from(["not", "minus", "sum", "parens", "number", "pattern"]))
    if kind == "not":
        return "not " * depth + "t.target > 1"
    if kind == "minus":
        return "t.target > " + "-" * depth + "1"
    if kind == "sum":
        return "t.target > " + " + ".join(["1"] * max(depth, 1))
    if kind == "parens":
        return "t.target > " + "(" * depth + "1" + ")" * depth
    if kind == "number":
        return "t.target > " + "9" * draw(st.integers(1, 20_000))
    return f'not matches(t.indicator, "{draw(_PATTERNS)}")'


@fuzz_settings(25)
@given(require=_expression())
def test_hostile_rule_files_are_located_errors(require: str, tmp_path_factory) -> None:
    count_case()
    path = tmp_path_factory.mktemp("rules") / "r.rules"
    path.write_text(f'rule R-1\n  title vi "t" en "t"\n  severity warning\n'
                    f'  for each target t\n  require {require}\n  message vi "x" en "x"\n',
                    encoding="utf-8")
    code, out, err = _timed("rules", "check", path)
    assert_cli_clean(code, out, err, str(path))


# --- configuration and --param ------------------------------------------------------------

_TOML = st.one_of(
    st.integers(1, 20_000).map(lambda n: "a = " + "[" * n + "]" * n),
    st.integers(1, 3_000).map(lambda n: "a = " + "{b = " * n + "1" + "}" * n),
    st.integers(1, 20_000).map(lambda n: "[params]\nphasing_tolerance = " + "9" * n),
    st.sampled_from(["[params]\nphasing_tolerance = inf", "[params]\nphasing_tolerance = nan",
                     '[per-file-ignores]\n"' + "**/a/" * 10 + '" = ["PAR-01"]',
                     "lang = 1", "[params]\nvague_words = 3", "= =", "fail_on = 'x'"]),
    st.text(max_size=200))
_PARAMS = st.one_of(
    st.integers(1, 20_000).map(lambda n: "phasing_tolerance=" + "9" * n),
    st.integers(1, 20_000).map(lambda n: "vague_words=" + "[" * n),
    st.sampled_from(["phasing_tolerance=inf", "phasing_tolerance=1e400", "phasing_tolerance=",
                     "vague_words=[1, {}]", "month_pattern=(?:x){e<=9}", "nope=1", "=", "x"]),
    st.text(max_size=60).map(lambda s: "phasing_tolerance=" + s))


@fuzz_settings(25)
@given(config=_TOML, param=_PARAMS)
def test_hostile_configuration_and_params_are_located_errors(config: str, param: str,
                                                             tmp_path_factory) -> None:
    count_case()
    folder = tmp_path_factory.mktemp("config")
    plan = folder / "plan.yaml"
    plan.write_text(yaml.safe_dump(small_plan()), encoding="utf-8")
    toml = folder / "plancheck.toml"
    toml.write_text(config, encoding="utf-8", errors="surrogatepass")
    code, out, err = _timed("validate", plan, "--config", toml, "--lang", "en")
    assert code in (0, 1, 2) and "Traceback" not in err, err[-500:]
    code, out, err = _timed("validate", plan, "--param", param, "--lang", "en")
    assert code in (0, 1, 2) and "Traceback" not in err, err[-500:]


# --- output paths ---------------------------------------------------------------------------

_TARGETS = st.sampled_from(["plan", "book", "symlink", "chain", "dangling", "hardlink",
                            "folder", "linked-folder", "missing", "new", "devfull", "devnull",
                            "plans-folder-file", "plans-subfolder-file", "rules"])
_OPTIONS = st.sampled_from(["-o", "--write-baseline", "--annotate", "convert", "report",
                            "-o and --write-baseline"])
_SPELLINGS = st.sampled_from(["absolute", "relative", "dot", "dotdot", "double-slash",
                              "through-linked-folder"])
_INPUTS = st.sampled_from(["file", "folder", "glob"])
_NAMES = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="/\0"),
                 min_size=1, max_size=12).filter(lambda n: n not in (".", "..")
                                                 and not n.startswith("-"))


def _spelled(path: Path, spelling: str, folder: Path) -> str:
    """``path`` as a user could write it: relative, with ``.`` or ``..`` steps, doubled
    slashes, or through a symlinked alias of the test's folder."""
    text = str(path)
    if not text.startswith(str(folder)):
        return text  # a device
    inside = text[len(str(folder)):].lstrip("/")
    return {"absolute": text, "relative": os.path.relpath(text),
            "dot": f"{folder}/./{inside}", "dotdot": f"{folder}/plans/../{inside}",
            "double-slash": f"{folder}//{inside}",
            "through-linked-folder": f"{folder}/alias/{inside}"}[spelling]


@fuzz_settings(15)
@given(target=_TARGETS, option=_OPTIONS, spelling=_SPELLINGS, given_as=_INPUTS, name=_NAMES)
def test_outputs_never_destroy_an_input(target: str, option: str, spelling: str,
                                        given_as: str, name: str, tmp_path_factory) -> None:
    count_case()
    folder = tmp_path_factory.mktemp("out")
    (folder / "alias").symlink_to(folder)
    plans = folder / "plans"
    (plans / "sub").mkdir(parents=True)
    plan = plans / "plan.yaml"
    plan.write_text(yaml.safe_dump(small_plan()), encoding="utf-8")
    book = folder / "book.xlsx"
    book.write_bytes(_BOOK)
    rules = folder / "r.rules"
    rules.write_text(_RULE, encoding="utf-8")
    read = book if option in ("--annotate", "report") else plan
    out = {"plan": plan, "book": book, "symlink": folder / name, "chain": folder / "c1",
           "dangling": folder / name, "hardlink": folder / name, "folder": plans,
           "linked-folder": folder / "plans-link", "missing": folder / "no" / name,
           "new": folder / name, "devfull": Path("/dev/full"), "devnull": Path("/dev/null"),
           "plans-folder-file": plans / f"{name}.yaml",
           "plans-subfolder-file": plans / "sub" / f"{name}.yaml", "rules": rules}[target]
    if out.exists() and target in ("symlink", "dangling", "hardlink", "new"):
        out = folder / "fresh"  # the drawn name is one of the fixture's files
    if target == "symlink":
        out.symlink_to(read)
    elif target == "chain":
        (folder / "c2").symlink_to(read)
        out.symlink_to(folder / "c2")
    elif target == "dangling":
        out.symlink_to(folder / "nowhere" / "x")
    elif target == "hardlink":
        os.link(read, out)
    elif target == "linked-folder":
        out.symlink_to(plans)
    reads = ((read,) if option in ("--annotate", "report", "convert")
             else (read, rules))  # what the command reads: only those are its inputs
    inputs = {p: p.read_bytes() for p in reads}
    listing = _listing(folder)
    where = _spelled(out, spelling, folder)
    source = {"file": _spelled(read, spelling, folder), "folder": str(read.parent),
              "glob": f"{read.parent}/*{read.suffix}"}[given_as]
    if option == "convert":
        args: list[object] = ["convert", _spelled(plan, spelling, folder), "--to", "json",
                              "-o", where]
    elif option == "report":
        args = ["report", _spelled(book, spelling, folder), "--form", "five_year", "-o", where]
    elif option == "--annotate":
        args = ["validate", source, "--annotate", where]
    elif option == "-o and --write-baseline":
        args = ["validate", source, "--rules", rules, "-o", where, "--write-baseline", where]
    else:
        args = ["validate", source, "--rules", rules, option, where]
    code, _, err = _timed(*args, "--lang", "en")
    assert code in (0, 1, 2) and "Traceback" not in err, err[-500:]
    assert {p: p.read_bytes() for p in inputs} == inputs
    assert listing <= _listing(folder), "a file of the folder was removed"


def _listing(folder: Path) -> set[str]:
    """Every file, folder and link under ``folder`` (links not followed)."""
    return {os.path.relpath(os.path.join(top, name), folder)
            for top, dirs, files in os.walk(folder) for name in dirs + files}


_BOOK = write_xlsx(load_plan(EXAMPLES / "province-five-year-sedp.yaml").plan)
_RULE = ('rule R-1\n  title vi "t" en "t"\n  severity warning\n  for each target t\n'
         '  require t.unit != ""\n  message vi "x" en "x"\n')
