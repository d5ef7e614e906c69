"""Static types of the rule language: wrong types are located errors with what was expected
and what was probably meant; the signatures of the built-ins are declared and checked."""

from __future__ import annotations

import textwrap

import pytest

import validator.rulelang  # noqa: F401  (registers every built-in)
from validator.core.errors import InputError
from validator.rulelang import types as ty
from validator.rulelang.build import build_ruleset
from validator.rulelang.builtins import BUILTINS, builtin

RULE = '''
rule T-01
  title vi "Tiêu đề" en "Title"
  severity warning
  for each {kind} {var}
  require {require}
  message vi "{{{var}.id}}" en "{{{var}.id}}"
'''


def check(tmp_path, require: str, kind: str = "target", var: str = "t") -> InputError | None:
    path = tmp_path / "test.rules"
    path.write_text(textwrap.dedent(RULE.format(kind=kind, var=var, require=require)),
                    encoding="utf-8")
    try:
        build_ruleset([str(path)])
    except InputError as exc:
        return exc
    return None


@pytest.mark.parametrize("require, kind, var, message, caret_under", [
    ("t.unit > 5", "target", "t",
     "cannot compare a text (t.unit) with a number (5): '>' would never be true; "
     "did you mean unit_kind(t.unit)?", "t.unit"),
    ('t.target + "abc" > 3', "target", "t",
     "cannot add a text (\"abc\") and a period value (t.target): '+' works on numbers, and "
     "joins two lists or two texts; a number is written without quotes", '"abc"'),
    ("p.submitted_on < 2025", "plan", "p",
     "cannot compare a date (p.submitted_on) with a number (2025): '<' would never be true; "
     "did you mean year(p.submitted_on)?", "p.submitted_on"),
])
def test_the_three_wrong_rules_of_issue_22_are_errors(tmp_path, require, kind, var, message,
                                                      caret_under):
    error = check(tmp_path, require, kind, var)
    assert error is not None, f"{require} type-checked"
    assert len(error.problems) == 1, str(error)
    problem = error.problems[0]
    assert message in problem.text("en")
    line = f"  require {require}"
    assert problem.line == 6 and problem.column == line.index(caret_under) + 1
    assert problem.excerpt.splitlines() == [f"    require {require}",
                                            " " * (problem.column + 1) + "^"]
    assert "không thể" in problem.text("vi")  # the Vietnamese text of the same error


@pytest.mark.parametrize("require, expected", [
    ("len(t.indicator) > 2", "len() counts the items of a list, not the letters of a text"),
    ("t.annual > 3", "did you mean len(t.annual)?"),
    ("contains(t.indicator, 5)", "contains() takes a text as argument 2, got a number (5)"),
    ("t.plan.years = 2025", "cannot compare a list of years (t.plan.years) with a number"),
    ("year(t.baseline_year) = 2025", "year() takes a date as argument 1, got a year"),
    ("sum(u.unit for u in t.plan.targets) > 0",
     "expected a number to aggregate with sum, got a text (u.unit)"),
    ("t.indicator between 1 and 5", "cannot compare a text (t.indicator) with a number (1)"),
    ("t.unit is one of [1, 2]", "cannot compare a text (t.unit) with a number ([1, 2])"),
    ("-t.unit > 0", "expected a number after '-', got a text (t.unit)"),
    ("t.plan.title[0] = 1", "a text (t.plan.title) cannot be indexed"),
    ("t.target = t.plan", "compare an attribute of the entity"),
    ('t.unit is one of ["%", 5]', "the items of a list are of one kind: a number (5) among "
     "texts"),
    ('coalesce(t.unit, 7) = "%"', "coalesce() takes a text like the other arguments as "
     "argument 2, got a number (7)"),
    ('t.target = "5"', "a number is written without quotes"),
    ("number(t.unit) > 1", "number() takes a period value as argument 1, got a text (t.unit)"),
    ('first(lookup([["MAC-29", "MAC-30"], [7, "MAC-36"]], t.code)) = "x"',
     "the items of a list are of one kind: a number (7) among texts"),
    ("len([t.plan.years] + t.providing_agencies) > 0", "cannot join a list of agency codes "
     "(t.providing_agencies) to a list of lists ([t.plan.years])"),
])
def test_type_mistakes_say_what_was_expected(tmp_path, require, expected):
    error = check(tmp_path, require)
    assert error is not None, f"{require} type-checked"
    assert expected in str(error)


@pytest.mark.parametrize("require", [
    "t.target > 5", "t.baseline_year < 2025", 't.target = "đạt"', "len(t.plan.years) = 5",
    "first(values_of(t.annual)) > 1", 'coalesce(t.unit, "%") = "%"',
    "year(t.plan.submitted_on) >= t.plan.period_start", "t.annual[2027] > t.baseline",
    "t.plan.period_end - t.plan.period_start = 4", 'period(2027, "H1") is one of keys(t.actual)',
    'exists y in keys(t.annual) where t.annual[y - 1] > 0',
    'first(lookup([["%", 100], ["per mille", 1000]], t.unit)) > 0',
    "len([t.compiling_agency] + t.providing_agencies) > 1",
])
def test_well_typed_rules_load(tmp_path, require):
    assert check(tmp_path, require) is None


def test_each_mistake_is_reported_once(tmp_path):
    error = check(tmp_path, 't.unitt > 5 and t.unitt + 1 > 2')
    assert error is not None
    places = [(p.line, p.column) for p in error.problems]
    assert len(places) == len(set(places)) == 2, str(error)  # one per place, no follow-ons
    assert all("unknown attribute 'unitt'" in p.text("en") for p in error.problems)


def test_every_built_in_has_a_signature_that_matches_its_arity():
    for fn in BUILTINS.values():
        sig = fn.types
        assert sig.rest or len(sig.params) == fn.max_args, fn.name
        assert sig.rest or len(sig.params) - sig.optional == fn.min_args, fn.name
        assert sig.describe(fn.name).startswith(fn.name + "(")


def test_a_built_in_with_a_malformed_or_mismatched_signature_is_refused_at_import():
    with pytest.raises(ValueError, match="bad type"):
        builtin("zz_bad(x)", "doc", 1, types="(numbr-) -> number")
    with pytest.raises(ValueError, match="do not take"):
        builtin("zz_bad(x)", "doc", 1, types="(number, number) -> number")(lambda x: x)
    assert "zz_bad" not in BUILTINS


def test_signatures_parse_and_print_back():
    sig = ty.parse_signature("(list[T], number=) -> T?")
    assert sig.describe("f") == "f(list[T], number=) -> T?"
    assert ty.parse_type("list[code[agency]]") == ty.list_of(ty.code("agency").sure(), False)
    assert ty.parse_signature("(T...) -> T").rest


def test_types_join_and_fit():
    assert ty.join(ty.NUMBER, ty.YEAR).kind == "number"
    assert ty.join(ty.TEXT, ty.code("unit")).kind == "text"
    assert ty.join(ty.NUMBER, ty.TEXT).kind == "value"
    assert not ty.comparable(ty.DATE, ty.NUMBER)
    assert ty.comparable(ty.VALUE, ty.TEXT) and not ty.orderable(ty.VALUE, ty.TEXT)
    bound: dict = {}
    assert ty.accepts(ty.parse_type("list[T]"), ty.list_of(ty.YEAR), bound)
    assert bound["T"].kind == "year"


@pytest.mark.parametrize("text, line, column, message", [
    ("  requre t.unit is present\n", 6, 3, "unexpected 'requre'; did you mean 'require'?"),
    ("  wher t.unit is present\n  require true\n", 6, 3, "did you mean 'where'?"),
    ('  require exist u in t.plan.targets where u.id = "a"\n', 6, 11,
     "unexpected 'exist'; did you mean 'exists'?"),
    ('  require t.id = "a" ad t.id = "b"\n', 6, 22, "unexpected 'ad'; did you mean 'and'?"),
    ("  require t.unit is presnt\n", 6, 11, "unknown concept 'presnt'; did you mean 'present'?"),
])
def test_keyword_typos_get_a_suggestion_once(tmp_path, text, line, column, message):
    path = tmp_path / "test.rules"
    path.write_text('rule T-01\n  title vi "a" en "b"\n  severity warning\n  for each target t\n'
                    '\n' + text + '  message vi "{t.id}" en "{t.id}"\n', encoding="utf-8")
    with pytest.raises(InputError) as info:
        build_ruleset([str(path)])
    assert len(info.value.problems) == 1
    problem = info.value.problems[0]
    assert (problem.line, problem.column) == (line, column)
    assert message in problem.text("en")


def test_a_misspelt_severity_keyword_is_suggested(tmp_path):
    path = tmp_path / "test.rules"
    path.write_text('rule T-01\n  title vi "a" en "b"\n  severty error\n', encoding="utf-8")
    with pytest.raises(InputError) as info:
        build_ruleset([str(path)])
    assert "did you mean 'severity'?" in str(info.value)
    assert "có phải ý bạn là 'severity'?" in info.value.problems[0].text("vi")


def test_an_unknown_entity_variable_in_a_message_is_reported_once(tmp_path):
    path = tmp_path / "test.rules"
    path.write_text('rule T-01\n  title vi "a" en "b"\n  severity warning\n  for each targt t\n'
                    '  require true\n  message vi "{t.id}" en "{t.id}"\n', encoding="utf-8")
    with pytest.raises(InputError) as info:
        build_ruleset([str(path)])
    assert [p.line for p in info.value.problems] == [4], str(info.value)


def test_the_reference_lists_every_built_in_with_its_types():
    from conftest import ROOT

    doc = (ROOT / "docs" / "rule-language.md").read_text(encoding="utf-8")
    for fn in BUILTINS.values():
        if fn.name.startswith("zz_"):
            continue
        types = fn.types.describe(fn.name)[len(fn.name):].replace("|", "\\|")
        assert f"| `{fn.signature}` | `{types}` |" in doc, fn.name
