"""The cache on disk: invisible in output, safe against corrupt, foreign and edited entries,
and the reason a warm command neither parses rule files nor the ontology's Turtle."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLES, GOOD_EXAMPLES, ROOT

from validator.core import diskcache

EVERY_EXAMPLE = sorted([*GOOD_EXAMPLES, *(EXAMPLES / "flawed").glob("*.yaml"),
                        *(EXAMPLES / "xlsx").glob("*.xlsx")])


def _run(args: list[str], cache: Path, *extra_env: tuple[str, str]) -> subprocess.CompletedProcess:
    env = {**os.environ, "PLANCHECK_CACHE_DIR": str(cache), "PYTHONHASHSEED": "0"}
    env.pop("PLANCHECK_NO_CACHE", None)
    env.update(dict(extra_env))
    return subprocess.run([sys.executable, "-c", "from validator.cli import main; main()",
                           *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600)


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANCHECK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setitem(diskcache._state, "enabled", True)
    return tmp_path / "cache"


def test_round_trip_and_atomic_layout(store):
    diskcache.put("t", "k1", {"a": (1, 2.5, "x")})
    assert diskcache.get("t", "k1") == {"a": (1, 2.5, "x")}
    assert diskcache.get("t", "other") is None
    assert not [p for p in store.iterdir() if p.name.startswith(".tmp-")]
    assert (store / "key").stat().st_mode & 0o077 == 0  # the key is the owner's only


@pytest.mark.parametrize("damage", ["truncate", "flip", "foreign", "rename", "garbage"])
def test_damaged_entries_are_ignored_never_loaded(store, damage, tmp_path):
    canary = tmp_path / "ran"
    diskcache.put("t", "k1", [1, 2, 3])
    entry = store / "t-k1.bin"
    data = entry.read_bytes()
    if damage == "truncate":
        entry.write_bytes(data[:-5])
    elif damage == "flip":
        entry.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    elif damage == "foreign":  # a well-formed entry signed with another user's key
        import hashlib
        import hmac
        import pickle

        class Evil:
            def __reduce__(self):
                return (canary.write_text, ("boom",))

        payload = pickle.dumps(Evil())
        mac = hmac.new(b"another key" * 3, b"\0".join([b"t", b"k1", payload]),
                       hashlib.sha256).digest()
        entry.write_bytes(diskcache.FORMAT + mac + payload)
    elif damage == "rename":  # a valid entry moved under another key
        entry.rename(store / "t-k2.bin")
        assert diskcache.get("t", "k2") is None
        return
    else:
        entry.write_bytes(b"\x00" * 100)
    assert diskcache.get("t", "k1") is None
    assert not canary.exists()
    assert diskcache.cached("t", "k1", lambda: "rebuilt") == "rebuilt"
    assert diskcache.get("t", "k1") == "rebuilt"


def test_unwritable_cache_is_only_slower(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("PLANCHECK_CACHE_DIR", str(blocker / "cache"))
    monkeypatch.setitem(diskcache._state, "enabled", True)
    diskcache.put("t", "k", 1)
    assert diskcache.get("t", "k") is None
    assert diskcache.cached("t", "k", lambda: 7) == 7


def test_disabled_cache_writes_nothing(store):
    diskcache.set_enabled(False)
    try:
        diskcache.put("t", "k", 1)
        assert diskcache.get("t", "k") is None
    finally:
        diskcache.set_enabled(True)
    assert not store.exists()


def test_ontology_tables_in_the_cache_agree_with_the_turtle(store):
    from validator.plan import ontology

    ontology.tables.cache_clear()
    try:
        built = ontology.tables()  # a miss: built from the Turtle and stored
        ontology.tables.cache_clear()
        assert [p.name.split("-")[0] for p in store.glob("ontology-*.bin")] == ["ontology"]
        stored = ontology.tables()  # a hit
        assert stored == built == ontology.tables_from_turtle()
    finally:
        ontology.tables.cache_clear()


def test_the_unicode_tables_in_the_cache_agree_with_unicodedata(store):
    from validator.core import text
    from validator.plan import ontology

    for cached_fn, build, namespace in ((text.marks_table, text.marks_from_unicode, "marks"),
                                        (ontology._label_drop, ontology.label_drop_from_unicode,
                                         "labels")):
        cached_fn.cache_clear()
        try:
            made = cached_fn()  # a miss: worked out and stored
            assert len(list(store.glob(f"{namespace}-*.bin"))) == 1
            cached_fn.cache_clear()
            assert cached_fn() == made == build() and len(made) > 500  # a hit
        finally:
            cached_fn.cache_clear()


def test_the_catalogue_in_the_cache_agrees_with_the_po_file(store):
    from validator.core import i18n

    i18n._catalogue.cache_clear()
    try:
        read = i18n._catalogue("vi")  # a miss: parsed with Babel and stored
        assert [p.name.split("-")[0] for p in store.glob("messages-*.bin")] == ["messages"]
        i18n._catalogue.cache_clear()
        stored = i18n._catalogue("vi")  # a hit
        po = i18n.LOCALE_DIR / "vi" / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"
        assert stored == read == i18n._read_catalogue(po.read_bytes(), "vi") and len(read) > 100
    finally:
        i18n._catalogue.cache_clear()


def test_every_example_is_byte_identical_with_and_without_the_cache(tmp_path):
    files = [str(p.relative_to(ROOT)) for p in EVERY_EXAMPLE]
    outputs = {}
    for label, env in (("none", ("PLANCHECK_NO_CACHE", "1")), ("cold", ("X", "")),
                       ("warm", ("X", ""))):
        for fmt in ("json", "sarif", "text"):
            found = _run(["validate", "--format", fmt, "--lang", "en", *files],
                         tmp_path / "cache", env)
            assert found.returncode in (0, 1), found.stderr
            outputs[label, fmt] = found.stdout
        if label == "none":
            assert not (tmp_path / "cache").exists()
    for fmt in ("json", "sarif", "text"):
        assert outputs["none", fmt] == outputs["cold", fmt] == outputs["warm", fmt]
    kinds = sorted(p.name.split("-")[0] for p in (tmp_path / "cache").glob("*.bin"))
    # one entry each: rules, code, ontology, timeline (validator/plan/timeline.py), grammar
    assert len(kinds) == len(set(kinds)) and {"ontology", "timeline"} <= set(kinds)


# what a warm validate of one YAML plan imports beyond the standard library: the command
# line, the plan model, the engine, the rules' text matching and the YAML reader; not
# lark, rdflib, openpyxl, wcmatch, rich (colours, on a terminal only) nor Babel (numbers
# and the Vietnamese catalogue are read without it)
WARM_THIRD_PARTY = ["annotated_types", "click", "experta", "frozendict", "pydantic",
                    "pydantic_core", "regex", "schema", "typing_extensions",
                    "typing_inspection", "yaml"]
WARM_REPORTERS = {"json": ["validator.report.json_report"],
                  "text": ["validator.report.cite", "validator.report.reading",
                           "validator.report.text_report", "validator.report.trace_text"]}


def _imported(fmt: str, cache: Path) -> tuple[list[str], list[str]]:
    probe = ("import sys\n"
             "sys.argv = ['plancheck', 'validate', 'examples/district-five-year-sedp.yaml', "
             f"'--format', '{fmt}']\n"
             "try:\n    from validator.cli import main; main()\n"
             "except SystemExit:\n    pass\n"
             "tops = {m.split('.')[0] for m in sys.modules} - set(sys.stdlib_module_names)\n"
             "third = sorted(t for t in tops if not t.startswith('_') and t not in "
             "('validator', 'cython_runtime'))\n"
             "ours = sorted(m for m in sys.modules if m.startswith(('validator.report.', "
             "'validator.authoring')))\n"
             "print('MODULES', third, ours, sep='|', file=sys.stderr)\n")
    env = {**os.environ, "PLANCHECK_CACHE_DIR": str(cache)}
    env.pop("PLANCHECK_NO_CACHE", None)
    run = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, text=True,
                         capture_output=True, timeout=300)
    third, ours = run.stderr.rsplit("MODULES|", 1)[1].strip().split("|")
    return eval(third), eval(ours)  # noqa: S307 - our own probe's output


def test_warm_command_imports_only_what_it_needs(tmp_path):
    cold, _ = _imported("text", tmp_path / "cache")
    assert "lark" in cold and "rdflib" in cold  # a miss parses rule files and Turtle
    assert "babel" in cold  # and the catalogue
    for fmt in ("json", "text"):
        third, reporters = _imported(fmt, tmp_path / "cache")
        assert third == WARM_THIRD_PARTY, fmt
        assert reporters == WARM_REPORTERS[fmt]


def test_edited_rule_file_is_seen_through_the_cache(tmp_path):
    pack = tmp_path / "pack"
    pack.mkdir()
    rule = pack / "a.rules"
    body = ('rule T-01\n  title en "{t}" vi "{t}"\n  severity warning\n'
            '  for each target t\n  require {cond}\n  message en "m" vi "m"\n')
    rule.write_text(body.format(t="first", cond="true"), encoding="utf-8")
    plan = EXAMPLES / "district-five-year-sedp.yaml"
    args = ["validate", "--rules", str(pack), "--format", "json", "--lang", "en", str(plan)]
    assert _run(args, tmp_path / "cache").returncode == 0
    assert _run(args, tmp_path / "cache").returncode == 0
    rule.write_text(body.format(t="second", cond="false"), encoding="utf-8")
    found = _run(args, tmp_path / "cache")
    assert found.returncode == 1 and '"second"' in found.stdout


def test_cache_clear_command(tmp_path):
    cache = tmp_path / "cache"
    assert _run(["validate", "examples/district-five-year-sedp.yaml"], cache).returncode in (0, 1)
    count = len(list(cache.iterdir()))
    done = _run(["cache", "clear", "--lang", "en"], cache)
    assert done.returncode == 0 and f"removed {count} files" in done.stderr
    assert not cache.exists()
    assert _run(["cache", "dir"], cache).stdout.strip() == str(cache)


def test_lark_parser_from_the_cache_parses_alike(store):
    from validator.rulelang import parser

    texts = {str(p): p.read_text(encoding="utf-8")
             for p in sorted((ROOT / "rules").rglob("*.rules"))}
    parser.grammar_parser.cache_clear()
    try:
        fresh = {f: parser.parse_rules(t, f) for f, t in texts.items()}  # a miss: stored
        assert list(store.glob("grammar-*.bin"))
        parser.grammar_parser.cache_clear()
        loaded = {f: parser.parse_rules(t, f) for f, t in texts.items()}  # a hit
    finally:
        parser.grammar_parser.cache_clear()
    assert loaded == fresh and len(fresh) > 10


def test_entries_of_other_code_are_not_used(monkeypatch):
    # a checkout whose grammar or code generator changed keeps its version number: the
    # keys carry a stamp of the code, so its old parse trees and generated code are unused
    key = diskcache.fingerprint("rules", version="1")
    monkeypatch.setitem(diskcache._state, "stamp", "other code")
    assert diskcache.fingerprint("rules", version="1") != key


def test_closures_and_generated_functions_are_stored_by_value(store):
    from validator.core.text import fold
    from validator.rulelang import ast, codegen
    from validator.rulelang.evaluate import Closures

    at = ast.Pos("t.rules", 1, 1)
    closures = Closures(params={"limit": 3})
    looped: list = []  # a closure's cell holds a list that holds the closure: a cycle
    literal = ast.Literal(at, looped)
    closure = closures.compiled(literal)
    looped.append(closure)
    sum_ = ast.BinOp(at, "+", ast.Name(at, "x"), ast.Name(at, "limit"))
    generated = codegen.expression(closures, sum_)
    assert hasattr(generated, "source")  # generated, not the closure
    value = {"closure": closure, "module_level": fold, "generated": generated,
             "reference": closures.compiled(sum_)}
    diskcache.put("t", "fns", value, functions=True)
    loaded = diskcache.get("t", "fns")
    assert loaded["closure"]({})[0] is loaded["closure"]
    assert loaded["module_level"] is fold  # by name, as pickle does
    assert loaded["reference"]({"x": 2}) == 5 == loaded["generated"]({"x": 2})
    gen = loaded["generated"]
    assert gen.source == generated.source and gen.__qualname__ == generated.__qualname__
    # the built-ins it was given, no more: not the interpreter's
    assert gen.__builtins__ == generated.__builtins__ and "open" not in gen.__builtins__
    assert gen.__globals__["_UNSET"] is codegen.UNSET


def test_functions_of_other_modules_are_not_stored_by_value(store):
    from validator.rulelang import ast
    from validator.rulelang.evaluate import Closures

    closure = Closures().compiled(ast.Literal(ast.Pos("t.rules", 1, 1), 1))
    diskcache.put("t", "plain", [closure])  # without functions=True: refused
    assert diskcache.get("t", "plain") is None
    foreign = lambda: 1  # noqa: E731 - a closure of another module (this test's)
    diskcache.put("t", "foreign", [closure, foreign], functions=True)
    assert diskcache.get("t", "foreign") is None  # refused, nothing stored


def _kinds_reachable(root: object) -> set[str]:
    """The type names of the objects reachable from ``root`` (not through classes, modules
    or module globals)."""
    import gc
    import types

    module_globals = {id(vars(m)) for m in list(sys.modules.values()) if m is not None}
    seen, kinds, todo = set(), set(), [root]
    while todo:
        obj = todo.pop()
        if id(obj) in seen or isinstance(obj, type | types.ModuleType) or id(
                obj) in module_globals:
            continue
        seen.add(id(obj))
        kinds.add(type(obj).__name__)
        todo.extend(gc.get_referents(obj))
    return kinds


def test_the_compiled_rule_set_comes_from_the_cache(store, monkeypatch):
    from validator.load import load_plan
    from validator.pipeline.check import check
    from validator.rulelang import build, cache, evaluate, variants

    monkeypatch.setattr(cache, "_CACHE", {})
    built = cache.load_ruleset(())
    entry = list(store.glob("ruleset-*.bin"))
    assert len(entry) == 1
    # nothing of the run's packs, nor what is keyed by id() while a rule set is built
    kinds = _kinds_reachable(diskcache.get("ruleset", entry[0].stem.split("-", 1)[1]))
    assert {"RuleSet", "Variant", "Rule", "function", "Closures", "WordList"} <= kinds
    assert not kinds & {"Layer", "Pack", "VariantBuilder", "Resolver", "Types"}

    def no_build(*args, **kwargs):
        raise AssertionError("built again")
    monkeypatch.setattr(cache, "_CACHE", {})
    monkeypatch.setattr(cache, "build_ruleset", no_build)
    monkeypatch.setattr(build, "build_ruleset", no_build)
    stored = cache.load_ruleset(())
    assert stored is not built and [r.id for r in stored.rules] == [r.id for r in built.rules]
    assert stored.packs and stored.packs[0].name == "mpi2013" and stored.layers
    assert isinstance(stored.variants[0], variants.Variant)
    closures = stored.variants[0].closures
    assert isinstance(closures, evaluate.Closures) and not closures._cache
    for plan in [*GOOD_EXAMPLES, *sorted((EXAMPLES / "flawed").glob("*.yaml"))[:8]]:
        loaded = load_plan(plan)
        assert check([loaded], stored) == check([loaded], built), plan.name


def test_an_edited_import_is_seen_through_the_cache(tmp_path):
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "a.rules").write_text(
        'import "b.rules"\nrule T-01\n  title en "t" vi "t"\n  severity warning\n'
        '  for each target t\n  require t.id is present and limit > 0\n'
        '  message en "m" vi "m"\n', encoding="utf-8")
    imported = pack / "b.rules"
    imported.write_text('parameter limit = 1\n', encoding="utf-8")
    plan = EXAMPLES / "district-five-year-sedp.yaml"
    args = ["validate", "--rules", str(pack / "a.rules"), "--format", "json", "--lang", "en",
            str(plan)]
    first = _run(args, tmp_path / "cache")
    assert first.returncode == 0, first.stderr
    assert _run(args, tmp_path / "cache").returncode == 0  # from the cache
    imported.write_text('parameter limit = 0\n', encoding="utf-8")  # only the import changes
    found = _run(args, tmp_path / "cache")
    assert found.returncode == 1 and '"T-01"' in found.stdout


def test_patterns_from_the_cache_keep_their_place_and_bound(store, monkeypatch, tmp_path):
    from validator.rulelang import cache, matching, resolver

    sites: dict = {}  # the process's own, left as they were (first use wins there)
    monkeypatch.setattr(matching, "PATTERN_SITES", sites)
    monkeypatch.setattr(resolver, "PATTERN_SITES", sites)

    rule = tmp_path / "a.rules"
    rule.write_text('rule T-01\n  title en "t" vi "t"\n  severity warning\n'
                    '  for each target t\n  require not matches(t.indicator, "a*b")\n'
                    '  message en "m" vi "m"\n', encoding="utf-8")
    monkeypatch.setattr(cache, "_CACHE", {})
    cache.load_ruleset((str(rule),))
    site = matching.PATTERN_SITES["a*b"]
    bound = matching.untimed_length("a*b", True)
    # a new process: nothing resolved, nothing worked out
    monkeypatch.setattr(cache, "_CACHE", {})
    monkeypatch.setattr(matching, "PATTERN_SITES", {})
    monkeypatch.setattr(matching, "_UNTIMED", {})

    def not_again(pattern, bare):
        raise AssertionError("worked out again")
    monkeypatch.setattr(matching, "_untimed_length", not_again)
    cache.load_ruleset((str(rule),))
    assert matching.PATTERN_SITES["a*b"] == site and (site.file, site.line) == (str(rule), 5)
    assert matching.untimed_length("a*b", True) == bound > 0
