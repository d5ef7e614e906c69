"""Seeds and hypothesis strategies for the fuzzers: valid inputs of every kind, mutated.

Each strategy starts from a valid file (a small plan in YAML, JSON, Turtle, JSON-LD or
XLSX; the bundled rule files) and applies a few drawn mutations: structural ones (replace,
drop or add a value in the document, a triple in the graph, a part in the archive) and
textual ones (insert a hostile token, delete or duplicate a span, truncate). Structural
mutations reach the model and lowering code; textual ones reach the parsers.
"""

from __future__ import annotations

import copy
import functools
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]

# --- seeds -----------------------------------------------------------------------------------


def seed_plan() -> dict[str, Any]:
    """A valid plan/1 document touching most keys (ranges, bounds, texts, actuals)."""
    return {
        "format": "plan/1",
        "plan": {"id": "p-1", "title": {"vi": "Kế hoạch", "en": "Plan"},
                 "kind": "five_year_sedp", "level": "province", "locality": "Lào Cai",
                 "period": [2026, 2030], "baseline_year": 2025,
                 "submitted": {"by": "DPI", "on": "2025-07-10"},
                 "consultations": [{"with": "communes", "on": "2025-05-02",
                                    "participants": 40}]},
        "objectives": [
            {"id": "G1", "kind": "general", "title": "Growth", "field": "economic",
             "solutions": [{"id": "G1.S1", "title": "Roads",
                            "budget": {"value": 420, "unit": "billion VND"}}],
             "targets": [
                 {"id": "G1.T1", "solution": "G1.S1", "indicator": "Km of road built",
                  "category": "output", "unit": "km", "rollup": "sum", "target": 100,
                  "annual": {2026: 10, 2027: 20, 2028: 20, 2029: 25, 2030: 25},
                  "actual": {"2026-H1": 4, "2026": 11},
                  "compiling_agency": "DOT", "providing_agencies": ["DPI", "PSO"]},
                 {"id": "G1.T2", "indicator": {"vi": "Tỷ lệ hộ nghèo", "en": "Poverty rate"},
                  "category": "outcome", "unit": "%", "rollup": "last", "direction": "decrease",
                  "baseline": {"year": 2025, "value": 9.5}, "target": {"at_most": 5},
                  "annual": {2026: {"min": 8, "max": 9}, 2027: {"at_most": 8}, 2028: 7,
                             2029: 6, 2030: 5},
                  "frequency": "annual", "compiling_agency": "DOLISA"},
                 {"id": "G1.T3", "indicator": "Investment", "category": "input",
                  "unit": "billion VND", "target": {"at_least": 400}, "notes": "qualitative",
                  "timing": "Q4"},
             ]},
            {"id": "O1", "kind": "specific", "parent": "G1", "title": "Schools",
             "field": "social", "sector": "education-training",
             "targets": [{"id": "O1.T1", "indicator": "Schools meeting standard",
                          "category": "output", "unit": "school", "target": "all communes"}]},
        ],
    }


@functools.cache
def seed_texts() -> dict[str, str]:
    """The seed plan written in every text format plancheck reads."""
    from validator.core.sourcemap import SourceMap
    from validator.formats.write import write_plan
    from validator.plan.data import plan_from_data

    plan = plan_from_data(seed_plan(), SourceMap("<seed>", ""))
    return {fmt: write_plan(plan, fmt) for fmt in ("yaml", "json", "ttl", "jsonld")}


@functools.cache
def seed_workbook() -> bytes | None:
    """The seed plan as an XLSX workbook, or None when workbooks are not supported."""
    try:
        from validator.core.sourcemap import SourceMap
        from validator.formats.write import write_plan_bytes
        from validator.plan.data import plan_from_data
    except ImportError:
        return None
    plan = plan_from_data(seed_plan(), SourceMap("<seed>", ""))
    return write_plan_bytes(plan, "xlsx")


@functools.cache
def seed_rule_texts() -> tuple[str, ...]:
    files = sorted((ROOT / "rules" / "mpi2013").glob("*.rules"))
    files.append(ROOT / "bench" / "equivalent.rules")
    return tuple(f.read_text(encoding="utf-8") for f in files if f.exists())


# --- values and document mutations -------------------------------------------------------------

SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-10**30, 10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["", "2025-07-18", "2025-13-45", "%", "DPI", "five_year_sedp", "sum",
                     "input", "outcome", "G1", "G1.S1", "O1.T1", "plan/1", "plan/2",
                     "nâng cao", "2026-H1", "2026-Q5", "x" * 300]),
)
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.one_of(st.text(max_size=8), st.sampled_from(
        ["id", "min", "max", "at_least", "at_most", "value", "year", "vi", "en", "kind",
         "targets", "annual", "with", "on"])), inner, max_size=4)),
    max_leaves=12)


def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            out.extend(_paths(value, (*path, key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out.extend(_paths(value, (*path, index)))
    return out


def _parent(doc: Any, path: tuple[Any, ...]) -> Any:
    for part in path[:-1]:
        doc = doc[part]
    return doc


@st.composite
def mutated_documents(draw: st.DrawFn, seed: dict[str, Any] | None = None) -> Any:
    """The seed plan with one to four structural mutations."""
    doc: Any = copy.deepcopy(seed if seed is not None else seed_plan())
    for _ in range(draw(st.integers(1, 4))):
        paths = _paths(doc)
        path = draw(st.sampled_from(paths))
        op = draw(st.sampled_from(["replace", "drop", "add", "duplicate"]))
        if not path:
            if op == "replace":
                doc = draw(VALUES)
            continue
        parent = _parent(doc, path)
        key = path[-1]
        if op == "replace":
            parent[key] = draw(VALUES)
        elif op == "drop":
            del parent[key]
        elif op == "add" and isinstance(parent, dict):
            parent[draw(st.one_of(st.text(max_size=10), st.integers(1990, 2040)))] = draw(VALUES)
        elif op == "add" and isinstance(parent, list):
            parent.insert(key, draw(VALUES))
        elif op == "duplicate" and isinstance(parent, list):
            parent.insert(key, copy.deepcopy(parent[key]))
    return doc


# --- text mutations ---------------------------------------------------------------------------

COMMON_TOKENS = ["\n", " ", "\t", "\x00", "\ufeff", "\u2028", "\\", '"', "'", "#", ",", ":",
                 "{", "}", "[", "]", "(", ")", "0", "-1", "1e999", "NaN", "é", "\ud7ff"]
YAML_TOKENS = ["&a ", "*a", "&a [*a, *a, *a]", "!!python/object/apply:os.system ['true']",
               "!!binary AAAA", "!!int x", "!!float y", "!!bool maybe", "!!null z", "!!set {}",
               "!custom ", "<<: *a", "? ", "- ", ": ", "|", ">", "%YAML 1.1\n", "%TAG ! tag:x:\n",
               "---\n", "...\n", "~", "no", "on", "0x1F", "0o17", ".nan", "-.inf",
               "2025-07-18T00:00:00Z", "[" * 80, "{a: " * 40]
JSON_TOKENS = ['{"a": 1, "a": 2}', "NaN", "Infinity", "-Infinity", "1e400", '"\\ud800"',
               '"\\u0000"', "[" * 200, "true", "null", '"format": "plan/1"', "//", "/*"]
TURTLE_TOKENS = ["@prefix x: <http://example.org/> .\n", "@base <http://example.org/> .\n",
                 "PREFIX ex: <http://example.org/>\n", "<file:///etc/passwd>",
                 "<http://example.org/a>", '"""', '"x"^^xsd:integer', '"x"^^xsd:date',
                 '"x"^^xsd:decimal', '"1"^^xsd:boolean', '"9"^^<http://example.org/t>',
                 "99999999999999999999999", "1.5e308", "_:b0", "a", "pc:order", "pc:year",
                 "pc:Target", "pc:Plan", "pc:hasTarget", "pc:number", "@vi", "@xx-yy", ";", ".",
                 "( ", " )", "[ ", " ]", "<>", "^^", "rdf:first", "rdf:nil", "\\u0000"]
JSONLD_TOKENS = ['"@context": "http://example.org/ctx"', '"@import": "http://example.org/c"',
                 '"@context": ["https://w3id.org/plancheck/context.jsonld", "http://e.org/c"]',
                 '"@id": "http://example.org/x"', '"@type": "@json"', '"@vocab": "http://e/"',
                 '"@base": "file:///"', '"@list": []', '"@value": 1', '"@graph": []',
                 '"@reverse": {}', '"@language": "vi"', '"@version": 1.1', '"@nest": {}']
RULE_TOKENS = ["rule", "concept", "parameter", "import", "for", "each", "where", "let",
               "require", "message", "title", "severity", "source", "tags", "rationale", "doc",
               "vi", "en", "error", "warning", "info", "target", "objective", "plan",
               "solution", "consultation", "t", "o", "p", "x", ".", ",", "(", ")", "[", "]",
               "=", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "and", "or", "not",
               "exists", "no", "every", "in", "satisfies", "between", "is", "missing",
               "present", "one", "of", "within", "percent", "count", "sum", "min", "max",
               "mean", "collect", "matches", "contains_any", "low", "high", "number",
               "values_of", "len", "coalesce", "t.unit", "t.target", "t.annual", "t.actual",
               "o.targets", "p.targets", "t.objective.targets", '"%"', '"(a+)+$"', '"["',
               '"x"', "0", "1.5", "-3", "1e9", "99999999999999999999", "{t.id}", "{", "}",
               '"{nope}"', "CAT-04", "X-1", "\n", "  ", "#", '"', "\\"]


@st.composite
def mutated_text(draw: st.DrawFn, seed: str, tokens: list[str]) -> str:
    """``seed`` with one to five text mutations: insert a token, delete, duplicate, cut."""
    text = seed
    vocabulary = tokens + COMMON_TOKENS
    for _ in range(draw(st.integers(1, 5))):
        n = len(text)
        at = draw(st.integers(0, n))
        op = draw(st.sampled_from(["insert", "insert", "delete", "duplicate", "replace",
                                   "truncate", "random"]))
        if op == "insert":
            text = text[:at] + draw(st.sampled_from(vocabulary)) + text[at:]
        elif op == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 40)):]
        elif op == "duplicate":
            end = min(n, at + draw(st.integers(1, 200)))
            text = text[:end] + text[at:end] + text[end:]
        elif op == "replace":
            text = text[:at] + draw(st.sampled_from(vocabulary)) + text[at + 1:]
        elif op == "truncate":
            text = text[:at]
        else:
            text = text[:at] + draw(st.text(max_size=8)) + text[at:]
    return text


def yaml_texts() -> st.SearchStrategy[str]:
    dumped = mutated_documents().map(
        lambda d: yaml.safe_dump(d, allow_unicode=True, sort_keys=False))
    return st.one_of(dumped, mutated_text(seed_texts()["yaml"], YAML_TOKENS),
                     dumped.flatmap(lambda t: mutated_text(t, YAML_TOKENS)), st.text())


def json_texts() -> st.SearchStrategy[str]:
    dumped = mutated_documents().map(lambda d: json.dumps(d, ensure_ascii=False, default=str))
    return st.one_of(dumped, mutated_text(seed_texts()["json"], JSON_TOKENS), st.text())


@st.composite
def mutated_graphs(draw: st.DrawFn) -> str:
    """The seed plan's graph with triples dropped, added or altered, as Turtle."""
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import XSD

    graph = Graph().parse(data=seed_texts()["ttl"], format="turtle")
    triples = sorted(graph, key=lambda t: tuple(str(x) for x in t))
    subjects = sorted({s for s, _, _ in triples}, key=str)
    predicates = sorted({p for _, p, _ in triples}, key=str)
    objects = sorted({o for _, _, o in triples}, key=str)
    literals = st.one_of(
        st.builds(Literal, st.text(max_size=10)),
        st.builds(lambda v: Literal(v), st.integers(-10**20, 10**20)),
        st.builds(lambda t, d: Literal(t, datatype=d), st.text(max_size=6),
                  st.sampled_from([XSD.integer, XSD.decimal, XSD.date, XSD.boolean,
                                   XSD.double, URIRef("http://example.org/type")])),
        st.builds(lambda t, lang: Literal(t, lang=lang), st.text(max_size=6),
                  st.sampled_from(["vi", "en", "fr"])))
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["drop", "add", "object"]))
        if op == "drop" and len(graph):
            graph.remove(draw(st.sampled_from(triples)))
        elif op == "add":
            graph.add((draw(st.sampled_from(subjects)), draw(st.sampled_from(predicates)),
                       draw(st.one_of(st.sampled_from(objects), literals))))
        else:
            s, p, o = draw(st.sampled_from(triples))
            graph.remove((s, p, o))
            graph.add((s, p, draw(st.one_of(st.sampled_from(objects), literals))))
    return graph.serialize(format="turtle")


def turtle_texts() -> st.SearchStrategy[str]:
    return st.one_of(mutated_graphs(), mutated_text(seed_texts()["ttl"], TURTLE_TOKENS),
                     st.text())


def jsonld_texts() -> st.SearchStrategy[str]:
    seed = json.loads(seed_texts()["jsonld"])
    dumped = mutated_documents(seed).map(lambda d: json.dumps(d, ensure_ascii=False,
                                                              default=str))
    return st.one_of(dumped, mutated_text(seed_texts()["jsonld"], JSONLD_TOKENS + JSON_TOKENS),
                     st.text())


# --- workbooks --------------------------------------------------------------------------------

XML_TOKENS = ['<!DOCTYPE x [<!ENTITY e SYSTEM "http://example.org/x">]>',
              '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>',
              "&e;", "&b;", "<c r=\"A1\" t=\"s\"><v>99999</v></c>", "<v>-1</v>", "<v>x</v>",
              "<f>SUM(A1:A9)</f>", 't="inlineStr"', 't="e"', 't="b"', 'r="XFD1048576"',
              'r="A0"', "<mergeCell ref=\"A1:Z99\"/>", "</row>", "<row r=\"0\">", "<", ">",
              "&", "\"", "=", "/>"]


def _rezip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


class Workbook(bytes):
    """A mutated workbook's bytes, shown in failure reports by what was done to it."""

    note = ""

    def __repr__(self) -> str:
        return f"<workbook of {len(self):,} bytes: {self.note}>"


def _workbook(data: bytes, note: str) -> Workbook:
    out = Workbook(data)
    out.note = note
    return out


@st.composite
def mutated_workbooks(draw: st.DrawFn, seed: bytes) -> Workbook:
    """The seed workbook with a part's XML mutated, parts dropped or added, or its bytes
    flipped or cut."""
    op = draw(st.sampled_from(["part", "part", "part", "drop", "add", "bytes", "cut"]))
    if op == "bytes":
        data = bytearray(seed)
        flips = [(draw(st.integers(0, len(data) - 1)), draw(st.integers(0, 255)))
                 for _ in range(draw(st.integers(1, 8)))]
        for at, value in flips:
            data[at] = value
        return _workbook(bytes(data), f"bytes set {flips}")
    if op == "cut":
        at = draw(st.integers(0, len(seed) - 1))
        return _workbook(seed[:at], f"cut at {at}")
    with zipfile.ZipFile(io.BytesIO(seed)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    names = sorted(parts)
    if op == "drop":
        name = draw(st.sampled_from(names))
        del parts[name]
        note = f"dropped {name}"
    elif op == "add":
        name = draw(st.sampled_from(["xl/externalLinks/externalLink1.xml",
                                     "xl/externalLinks/_rels/externalLink1.xml.rels",
                                     "xl/worksheets/sheet99.xml", "xl/vbaProject.bin",
                                     "../evil.txt", "xl/media/image1.png"]))
        parts[name] = draw(st.sampled_from([
            b"<externalLink/>", b'<Relationships><Relationship Id="r1" '
            b'Target="http://example.org/x.xlsx" TargetMode="External"/></Relationships>',
            b"\x00" * 64, b"<worksheet/>"]))
        note = f"added {name}: {parts[name][:60]!r}"
    else:
        name = draw(st.sampled_from([n for n in names if n.endswith((".xml", ".rels"))]))
        text = draw(mutated_text(parts[name].decode("utf-8", "replace"), XML_TOKENS))
        parts[name] = text.encode("utf-8", "surrogatepass")
        note = f"mutated {name}, now {len(text)} chars"
    return _workbook(_rezip(parts), note)


# --- rule files -------------------------------------------------------------------------------

ATTRS = ["t.unit", "t.target", "t.baseline", "t.annual", "t.actual", "t.category", "t.id",
         "t.indicator", "t.compiling_agency", "t.objective", "t.plan.level", "t.rollup",
         "t.objective.targets", "t.plan.years", "t.baseline_year"]
FUNCS = ["number", "low", "high", "mid", "len", "sum", "min", "max", "mean", "values_of",
         "years_of", "keys", "coalesce", "abs", "round", "text", "lower", "normalize",
         "contains_any", "matches", "unit_kind", "is_quantitative", "all_equal", "diffs",
         "cagr", "growth", "first", "last", "join"]


def _calls(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    from validator.rulelang.builtins import BUILTINS

    names = sorted(BUILTINS)
    return st.sampled_from(names).flatmap(lambda name: st.lists(
        inner, min_size=BUILTINS[name].min_args,
        max_size=max(BUILTINS[name].min_args, min(BUILTINS[name].max_args, 3))
    ).map(lambda args: f"{name}({', '.join(args)})"))


def values() -> st.SearchStrategy[str]:
    """Value expressions of the rule language over a target ``t``."""
    leaves = st.one_of(st.sampled_from(ATTRS), st.integers(-5, 3000).map(str),
                       st.sampled_from(['"%"', '"input"', '"x"', "1.5", "[1, 2]", "[]",
                                        '"(a+)+$"', '"[a-"', "0", "99999999999999999999"]))

    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            _calls(inner),
            st.builds(lambda a, op, b: f"({a} {op} {b})", inner,
                      st.sampled_from(["+", "-", "*", "/"]), inner),
            st.builds(lambda a, b: f"{a}[{b}]", st.sampled_from(["t.annual", "t.actual"]),
                      inner),
            st.builds(lambda f, e: f"{f}({e} for x in t.objective.targets)",
                      st.sampled_from(["sum", "min", "max", "mean", "collect"]),
                      st.sampled_from(["number(x.target)", "x.unit", "low(x.baseline)"])),
            st.just('count(x in t.plan.targets where x.category = "input")'),
        )
    return st.recursive(leaves, extend, max_leaves=5)


def conditions() -> st.SearchStrategy[str]:
    """Condition expressions of the rule language over a target ``t``."""
    v = values()
    leaves = st.one_of(
        st.builds(lambda a, op, b: f"({a} {op} {b})", v,
                  st.sampled_from(["=", "!=", "<", "<=", ">", ">="]), v),
        st.builds(lambda a, b, c: f"({a} between {b} and {c})", v, v, v),
        st.builds(lambda a, t: f"({a} is {t})", v, st.sampled_from(
            ["missing", "present", "not missing", 'one of ["%", "km", 1]',
             'not one of [0, 1.5, true, "input"]', "one of t.plan.years",
             'one of [[1, 2], "x"]'])),
        st.builds(lambda a, b: f"({a} = {b} within 5 percent)", v, v),
        st.builds(lambda a, p: f"matches({a}, {p})", v, st.sampled_from(
            ['"[0-9]"', '"(a|b)*c"', '"^x$"', '"tốc độ"'])),
        st.builds(lambda q, c: f"({q} x in {c} where x.unit is present)",
                  st.sampled_from(["exists", "no"]),
                  st.sampled_from(["t.objective.targets", "t.plan.targets",
                                   "t.objective.solutions"])),
        st.builds(lambda c: f"(every x in t.objective.targets satisfies {c})", st.sampled_from(
            ["x.unit is present", "number(x.target) > 0", 'x.category != "impact"'])),
        st.sampled_from(["true", "false", "t.unit is present"]))

    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.builds(lambda a, op, b: f"({a} {op} {b})", inner, st.sampled_from(["and", "or"]),
                      inner),
            st.builds(lambda a: f"not ({a})", inner))
    return st.recursive(leaves, extend, max_leaves=4)


@st.composite
def generated_rules(draw: st.DrawFn) -> str:
    """A syntactically plausible rule over targets with drawn expressions."""
    lets = draw(st.lists(values(), max_size=2))
    body = "".join(f"  let v{i} = {e}\n" for i, e in enumerate(lets))
    where = draw(st.one_of(st.none(), conditions()))
    return ('rule FZ-01\n  title vi "t" en "t"\n  severity warning\n  for each target t\n'
            + (f"  where {where}\n" if where else "") + body
            + f"  require {draw(conditions())}\n"
            + '  message vi "{t.id}" en "{t.id}"\n')


def rule_texts() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(seed_rule_texts()).flatmap(lambda t: mutated_text(t, RULE_TOKENS)),
        generated_rules(),
        generated_rules().flatmap(lambda t: mutated_text(t, RULE_TOKENS)),
        st.text())


# --- valid plans, for the engine ------------------------------------------------------------

_VALUES = st.one_of(st.integers(-50, 2000), st.floats(-10, 500, allow_nan=False).map(
    lambda v: round(v, 2)), st.builds(lambda a, b: {"min": min(a, b), "max": max(a, b)},
                                      st.integers(0, 300), st.integers(0, 300)),
    st.integers(0, 300).map(lambda v: {"at_least": v}),
    st.integers(0, 300).map(lambda v: {"at_most": v}), st.sampled_from(["all communes"]))
_NAMES = ["Tỷ lệ hộ nghèo", "Số km đường", "Nâng cao chất lượng", "GRDP growth rate",
          "Tốc độ tăng trưởng GRDP", "Share of agriculture in GRDP", "Investment",
          "Tổng số trường đạt chuẩn", "improve services"]


@st.composite
def _target(draw: st.DrawFn, tid: str, solutions: list[str], years: list[int]) -> dict:
    t: dict[str, Any] = {"id": tid, "indicator": draw(st.sampled_from(_NAMES))}
    optional = {
        "category": st.sampled_from(["input", "output", "outcome", "impact"]),
        "unit": st.sampled_from(["%", "km", "billion VND", "household", "%/year", "‰"]),
        "direction": st.sampled_from(["increase", "decrease", "maintain"]),
        "rollup": st.sampled_from(["sum", "last", "mean"]),
        "target": _VALUES,
        "baseline": st.fixed_dictionaries({"value": _VALUES}, optional={
            "year": st.integers(2020, 2026)}),
        "annual": st.dictionaries(st.sampled_from(years + [2019, 2035]), _VALUES,
                                  max_size=6),
        "actual": st.dictionaries(st.sampled_from(["2026", "2026-H1", "2027", "2027-Q2"]),
                                  _VALUES, max_size=3),
        "frequency": st.sampled_from(["monthly", "quarterly", "annual", "five_yearly"]),
        "compiling_agency": st.sampled_from(["DPI", "DOH", "PSO", "CPC", "XYZ"]),
        "code": st.sampled_from(["ECO-01", "ECO-02", "X-99"]),
        "notes": st.just("explained"),
    }
    for key, strategy in optional.items():
        if draw(st.booleans()):
            t[key] = draw(strategy)
    if solutions and draw(st.booleans()):
        t["solution"] = draw(st.sampled_from(solutions))
    return t


@st.composite
def valid_plans(draw: st.DrawFn) -> dict[str, Any]:
    """Small plan/1 documents that load, with values drawn to make rules fire or not."""
    first = draw(st.sampled_from([2021, 2026]))
    last = first + draw(st.sampled_from([0, 4]))
    years = list(range(first, last + 1))
    objectives = []
    for n in range(draw(st.integers(1, 4))):
        oid = f"O{n + 1}"
        solutions = [f"{oid}.S{i + 1}" for i in range(draw(st.integers(0, 2)))]
        objective: dict[str, Any] = {
            "id": oid, "kind": "general" if n == 0 else draw(st.sampled_from(
                ["general", "specific"])), "title": f"Objective {n}",
            "solutions": [{"id": s, "title": s} for s in solutions],
            "targets": [draw(_target(f"{oid}.T{i + 1}", solutions, years))
                        for i in range(draw(st.integers(0, 5)))]}
        if objective["kind"] == "specific" and draw(st.booleans()):
            objective["parent"] = "O1"
        objectives.append(objective)
    return {"format": "plan/1", "plan": {
        "id": "fz", "title": "Fuzz", "kind": "five_year_sedp" if last > first else "annual_sedp",
        "level": draw(st.sampled_from(["province", "district"])), "locality": "Lào Cai",
        "period": [first, last], "baseline_year": first - 1,
        "submitted": {"by": "DPI", "on": draw(st.sampled_from(["2020-07-10", "2025-12-30"]))}},
        "objectives": objectives}


# --- well-typed rules (what the type checker accepts), for the engine's oracles -----------

def _typed(kind: str, depth: int) -> st.SearchStrategy[str]:
    """An expression of ``kind`` (number, text, numbers, cond) over a target ``t``."""
    leaves = {
        "number": st.one_of(st.integers(-5, 3000).map(str), st.sampled_from([
            "1.5", "number(t.target)", "low(t.baseline)", "high(t.target)", "mid(t.target)",
            "t.baseline_year", "len(t.plan.years)", "t.plan.period_start",
            'count(x in t.plan.targets where x.category = "input")',
            "sum(number(x.target) for x in t.objective.targets)", "t.annual[2027]",
            "first(values_of(t.annual))", "max(t.plan.years)"])),
        "text": st.sampled_from(['"%"', '"km"', "t.unit", "t.indicator",
                                 "unit_kind(t.unit)", "lower(t.indicator)", "t.id",
                                 'coalesce(t.unit, "%")', "text(t.indicator, \"en\")"]),
        "numbers": st.sampled_from(["t.plan.years", "[1, 2.5, 3]", "years_of(t.annual)",
                                    "values_of(t.annual)", "diffs(values_of(t.annual))",
                                    "collect(number(x.target) for x in t.objective.targets)",
                                    "[]"]),
    }
    if kind == "cond":
        n, t, ns = (_typed(k, depth + 1) for k in ("number", "text", "numbers"))
        options = [
            st.builds(lambda a, op, b: f"({a} {op} {b})", n,
                      st.sampled_from(["=", "!=", "<", "<=", ">", ">="]), n),
            st.builds(lambda a, op, b: f"({a} {op} {b})", t, st.sampled_from(["=", "!="]), t),
            st.builds(lambda a, b, c: f"({a} between {b} and {c})", n, n, n),
            st.builds(lambda a, m: f"({a} is {m})", st.one_of(n, t, ns), st.sampled_from(
                ["missing", "present", "not missing"])),
            st.builds(lambda a: f'({a} is one of ["%", "km", "%/year"])', t),
            st.builds(lambda a, b: f"({a} is one of {b})", n, ns),
            st.builds(lambda a, b: f"({a} = {b} within 5 percent)", n, n),
            st.builds(lambda a, p: f"matches({a}, {p})", t, st.sampled_from(
                ['"[0-9]"', '"(a|b)*c"', '"^x$"', '"tốc độ"'])),
            st.builds(lambda a: f'contains_any({a}, ["tăng", "growth"])', t),
            st.builds(lambda q, c: f"({q} x in {c} where x.unit is present)",
                      st.sampled_from(["exists", "no"]),
                      st.sampled_from(["t.objective.targets", "t.plan.targets",
                                       "t.solution.targets"])),
            st.builds(lambda op, c: f't.category {op} "{c}"', st.sampled_from(["=", "!="]),
                      st.sampled_from(["input", "output", "outcome", "impact"])),
            st.builds(lambda c: f"(every x in t.objective.targets satisfies {c})",
                      st.sampled_from(["x.unit is present", "number(x.target) > 0",
                                       'x.category != "impact"'])),
            st.builds(lambda a: f"(every v in {a} satisfies v > 0)", ns),
            st.sampled_from(["true", "false", "t.unit is present", "is_quantitative(t.target)"]),
        ]
        if depth < 2:
            inner = _typed("cond", depth + 1)
            options += [st.builds(lambda a, op, b: f"({a} {op} {b})", inner,
                                  st.sampled_from(["and", "or"]), inner),
                        st.builds(lambda a: f"not ({a})", inner)]
        return st.one_of(*options)
    if depth >= 2:
        return leaves[kind]
    inner = _typed(kind, depth + 1)
    grown = {
        "number": [st.builds(lambda a, op, b: f"({a} {op} {b})", inner,
                             st.sampled_from(["+", "-", "*", "/"]), inner),
                   st.builds(lambda a: f"abs({a})", inner), st.builds(lambda a: f"-{a}", inner),
                   st.builds(lambda a, b: f"growth({a}, {b})", inner, inner),
                   st.builds(lambda a, b: f"coalesce({a}, {b})", inner, inner),
                   st.builds(lambda a: f"round({a}, 1)", inner),
                   st.builds(lambda a: f"sum({a})", _typed("numbers", depth + 1)),
                   st.builds(lambda a: f"len({a})", _typed("numbers", depth + 1))],
        "text": [st.builds(lambda a: f"lower({a})", inner),
                 st.builds(lambda a, b: f"({a} + {b})", inner, inner)],
        "numbers": [st.builds(lambda a, b: f"({a} + {b})", inner, inner),
                    st.builds(lambda a, b: f"without({a}, {b})", inner, inner)],
    }[kind]
    return st.one_of(leaves[kind], *grown)


@st.composite
def typed_rules(draw: st.DrawFn) -> str:
    """A well-typed rule over targets: every generated rule passes the type checker."""
    lets = draw(st.lists(st.sampled_from(["number", "text", "numbers"]).flatmap(
        lambda k: _typed(k, 0)), max_size=2))
    body = "".join(f"  let v{i} = {e}\n" for i, e in enumerate(lets))
    where = draw(st.one_of(st.none(), _typed("cond", 0)))
    return ('rule FZ-01\n  title vi "t" en "t"\n  severity warning\n  for each target t\n'
            + (f"  where {where}\n" if where else "") + body
            + f"  require {draw(_typed('cond', 0))}\n"
            + '  message vi "{t.id}" en "{t.id}"\n')
