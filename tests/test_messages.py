"""plancheck's own messages exist in both languages: the catalogue matches the code, every
msgid has its Vietnamese, and both say the same things (the same placeholders)."""

from __future__ import annotations

import ast
import datetime as dt
import re
import sys

from babel.messages.pofile import read_po
from conftest import ROOT

from validator.core.errors import InputError, Problem
from validator.core.i18n import N_, Number, _, render

sys.path.insert(0, str(ROOT / "tools"))
from messages import CATALOGUE, updated  # noqa: E402

_FIELD = re.compile(r"\{(\w+)[^{}]*\}")


def _entries():
    with CATALOGUE.open("rb") as handle:
        return [m for m in read_po(handle, locale="vi") if m.id]


def test_the_catalogue_holds_exactly_the_messages_of_the_code():
    assert updated() == CATALOGUE.read_bytes(), "run python tools/messages.py"


def test_every_message_has_its_vietnamese_with_the_same_placeholders():
    missing, different = [], []
    for entry in _entries():
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        texts = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if entry.fuzzy or not all(texts):
            missing.append(ids[0])
            continue
        # one Vietnamese form serves every count: it names what the plural form names
        wanted = set(_FIELD.findall(ids[-1]))
        if any(set(_FIELD.findall(text)) != wanted for text in texts):
            different.append(ids[0])
    assert not missing, f"translate these in {CATALOGUE.name}: {missing}"
    assert not different, f"the Vietnamese names other placeholders: {different}"


def test_a_message_is_shown_in_the_language_asked_for():
    message = _("no such file or folder")
    assert message.render("en") == "no such file or folder"
    assert message.render("vi") == "không có tệp hay thư mục này"
    error = InputError([Problem("plan.yaml", message, line=3, column=5)])
    assert error.render("vi") == "plan.yaml:3:5: không có tệp hay thư mục này"
    assert str(error) == "plan.yaml:3:5: no such file or folder"


def test_counts_numbers_and_dates_follow_the_language():
    assert N_("{n} finding", "{n} findings", 1).render("en") == "1 finding"
    assert N_("{n} finding", "{n} findings", 3).render("en") == "3 findings"
    assert render(Number(30000), "vi") == "30.000" and render(Number(30000), "en") == "30,000"
    assert render(Number(103.91), "vi") == "103,91" and render(Number(103.91), "en") == "103.91"
    assert render(dt.date(2025, 8, 15), "vi") == "15/08/2025"
    assert render(dt.date(2025, 8, 15), "en") == "2025-08-15"
    inner = _("no such file or folder")
    assert _("{file}: {why}", file="a.yaml", why=inner).render("vi") == (
        "a.yaml: không có tệp hay thư mục này")


def test_the_merge_driver_merges_entries_by_msgid():
    from babel.messages.catalog import Catalog
    from po_merge import merged  # tools/po_merge.py, the catalogue's git merge driver

    def catalogue(**entries: str) -> Catalog:
        found = Catalog(locale="vi")
        for msgid, msgstr in entries.items():
            found.add(msgid, msgstr)
        return found

    base = catalogue(kept="giữ", dropped="bỏ", changed="cũ")
    ours = catalogue(kept="giữ", dropped="bỏ", changed="cũ", mine="của tôi")
    theirs = catalogue(kept="giữ", changed="mới", yours="của bạn")
    result, clashes = merged(base, ours, theirs)
    assert {m.id: m.string for m in result if m.id} == {
        "kept": "giữ", "changed": "mới", "mine": "của tôi", "yours": "của bạn"}
    assert clashes == []
    _, clashes = merged(base, catalogue(changed="khác"), theirs)
    assert clashes == ["changed"]  # both translated it anew: ours kept, and said so


# --- the reporters keep no words of their own ---

# the modules that write what a reviewer reads: their words come from the catalogue (the
# command line, the review desk and the authors' tools too); a new rule's skeleton is left
# out: it is a rule file, which holds both languages' texts by design
_LEFT_OUT = {ROOT / "validator" / "authoring" / "scaffold.py"}
REPORTERS = sorted(path for folder in ("report", "findings", "authoring", "cli", "desk")
                   for path in (ROOT / "validator" / folder).rglob("*.py")
                   if path not in _LEFT_OUT)
_VIETNAMESE = re.compile(r"[ăâđêôơưĂÂĐÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụ"
                         r"ừứửữựỳýỷỹỵ]")


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the docstring constants of a module, its classes and functions."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                out.add(id(body[0].value))
    return out


def language_tables(source: str) -> list[str]:
    """What in ``source`` keeps words per language instead of in the catalogue: a dict keyed
    by a language ({"vi": ..., "en": ...}), a Vietnamese text outside a docstring, a choice
    made on ``lang == "vi"``."""
    tree = ast.parse(source)
    docs = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
            if keys & {"vi", "en"}:
                found.append(f"line {node.lineno}: a table keyed by language")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) not in docs and _VIETNAMESE.search(node.value):
                found.append(f"line {node.lineno}: Vietnamese text {node.value[:30]!r}")
        elif isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(isinstance(s, ast.Constant) and s.value == "vi" for s in sides):
                found.append(f"line {node.lineno}: a choice made on the language")
    return found


def test_the_reporters_take_every_word_from_the_catalogue():
    found = {path.relative_to(ROOT).as_posix(): language_tables(path.read_text("utf-8"))
             for path in REPORTERS}
    tables = {name: where for name, where in found.items() if where}
    assert not tables, f"move these words into the catalogue (tools/messages.py): {tables}"


def test_a_language_table_is_found():
    assert language_tables('WORDS = {"vi": {"rule": "quy tắc"}, "en": {"rule": "rule"}}\n')
    assert language_tables('x = "Tổng số"\n')
    assert language_tables('pick = 0 if lang == "vi" else 1\n')
    assert not language_tables('"""Tổng số: a docstring."""\nx = _("Total")\n')


def test_every_message_made_in_the_code_is_in_the_catalogue():
    """A ``_()`` the extractor cannot see (inside an f-string) would stay English."""
    known = {m.id[0] if isinstance(m.id, tuple) else m.id for m in _entries()}
    unseen = []
    for path in sorted((ROOT / "validator").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ("_", "N_") and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)
                    and node.args[0].value not in known):
                unseen.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.args[0].value}")
    assert not unseen, unseen


# --- no message of the loaders, the rule language or the batch is English-only ------------

# where load, rule-file and usage errors are worded: each message goes through _() / N_()
WORDED_IN = ["validator/formats", "validator/rulelang", "validator/facts", "validator/pipeline",
             "validator/core/hints.py", "validator/authoring", "validator/cli",
             "validator/desk", "validator/findings", "validator/report", "validator/load.py"]
# calls that carry a message to a user (the error types, and the helpers that report one)
_CARRIERS = {"Problem", "CellProblem", "PlaceProblem", "InputError", "ParamError", "single",
             "worded", "Worded", "errors_at", "error", "fail", "problem", "err", "note",
             "mismatch", "CellValueError", "BadParameter", "UsageError",
             # the lint's findings (validator/authoring/lint.py)
             "add", "add_pack", "never", "languages"}
# exceptions that never reach a user: a programming error, or the compiler's own fallback
_INTERNAL = {"ValueError", "TypeError", "KeyError", "NotImplementedError", "AssertionError",
             "RuntimeError", "Unsupported"}
_WORDS = re.compile(r"[A-Za-z]{2,}\s+[A-Za-z]{2,}|[A-Za-z]{2,}\s*$|^\s*[A-Za-z]{2,}\s")


def _english(node) -> bool:
    """A text written in the call: an f-string or literal with words, or words joined
    to one with ``+``."""
    import ast

    if isinstance(node, ast.JoinedStr):
        literal = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
        return bool(_WORDS.search(literal))
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(re.search(r"[A-Za-z]{2,}\s+[A-Za-z]{2,}", node.value))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
        return _english(node.left) or _english(node.right)
    if isinstance(node, ast.IfExp):
        return _english(node.body) or _english(node.orelse)
    return False


def english_messages(paths: list[str]) -> list[str]:
    """``file:line: call`` for each message written in English only in ``paths``."""
    import ast

    def name(func) -> str:
        return func.id if isinstance(func, ast.Name) else (
            func.attr if isinstance(func, ast.Attribute) else "")

    found = []
    for top in paths:
        root = ROOT / top
        for file in sorted(root.rglob("*.py")) if root.is_dir() else [root]:
            tree = ast.parse(file.read_text(encoding="utf-8"))
            raised = {id(n.exc) for n in ast.walk(tree) if isinstance(n, ast.Raise) and n.exc}
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call) or name(node.func) in ("_", "N_"):
                    continue
                called = name(node.func)
                if called in _INTERNAL or (called not in _CARRIERS and id(node) not in raised):
                    continue
                args = [*node.args, *(k.value for k in node.keywords)]
                if any(_english(arg) for arg in args):
                    found.append(f"{file.relative_to(ROOT)}:{node.lineno}: {called}")
    return found


def test_loaders_rules_and_batch_word_every_message_through_the_catalogue():
    assert english_messages(WORDED_IN) == []


def test_the_scan_finds_an_english_only_message(tmp_path, monkeypatch):
    module = tmp_path / "m.py"
    module.write_text('def f(file, x):\n'
                      '    raise InputError.single(file, f"no such thing {x!r}")\n'
                      'def g(self, cell):\n'
                      '    self.error(f"{cell}!A1", _("fine {x}", x=1))\n'
                      '    self.error(cell, "a plain " + "English text")\n', encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert english_messages(["m.py"]) == ["m.py:2: single", "m.py:5: error"]
