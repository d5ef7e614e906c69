"""The code-generation pass: what it emits is built from its own templates, and what it
cannot emit falls back to the closures with the same result."""

from __future__ import annotations

import textwrap

import pytest
from conftest import small_plan

from validator.core.sourcemap import SourceMap
from validator.facts.views import build_views
from validator.pipeline.check import fire
from validator.plan.data import plan_from_data
from validator.plan.loaded import LoadedPlan
from validator.plan.model import LocalText
from validator.rulelang.build import build_ruleset

HEADER = '''
rule T-01
  title vi "Tiêu đề" en "Title"
  severity warning
  source "test"
'''


def _ruleset(tmp_path, body: str):
    path = tmp_path / "test.rules"
    path.write_text(textwrap.dedent(HEADER + body), encoding="utf-8")
    return build_ruleset([str(path)])


def _findings(ruleset) -> list[tuple[str, str]]:
    loaded = LoadedPlan(plan_from_data(small_plan(), SourceMap("plan.yaml", "")), "plan.yaml")
    return [(f.rule, f.entity) for f in fire([build_views(loaded)], ruleset)]


def test_rule_text_never_reaches_the_generated_source(tmp_path):
    hostile = "'); __import__('os').system('echo pwned') #"
    ruleset = _ruleset(tmp_path, f'''
  for each target t
  let label = "{hostile}"
  where t.unit is present and label != "x"
  require contains_any(t.indicator, ["{hostile}", "nước sạch"])
  message vi "x" en "x"
''')
    variant = ruleset.variants[0]
    source = variant.fires.source
    assert "__import__" not in source and "os" not in source.replace("focus", "")
    assert "nước" not in source and "label" not in source and "indicator" not in source
    # the function runs with none of Python's built-ins but the few it needs
    assert "__import__" not in variant.fires.__globals__["__builtins__"]
    assert _findings(ruleset) == [("T-01", "O1.T1")]


def test_nesting_beyond_pythons_block_limit_falls_back_to_the_closures(tmp_path):
    # 30 nested calls need 30 nested try blocks: more than Python compiles (20)
    deep = "number(" * 30 + "t.target" + ")" * 30
    ruleset = _ruleset(tmp_path, f'''
  for each target t
  require {deep} < 1000
  message vi "x" en "x"
''')
    assert not hasattr(ruleset.variants[0].fires, "source")  # the closure decides
    assert _findings(ruleset) == [("T-01", "O1.T1")]


def test_a_rule_decided_on_one_entity_is_one_generated_function(tmp_path):
    ruleset = _ruleset(tmp_path, '''
  for each target t
  where t.category = "outcome"
  let gap = number(t.target) - number(t.baseline)
  require t.baseline is present and gap < 10
  message vi "x" en "x"
''')
    source = ruleset.variants[0].fires.source
    assert source.startswith("def decision(focus, memo):") and "env" not in source
    assert _findings(ruleset) == [("T-01", "O1.T2")]


@pytest.mark.parametrize("text,words,expected", [
    (None, ["x"], None),
    ("", ["x"], False),
    ("Tăng cường năng lực", ["tăng cường"], True),
    ("tang cuong nang luc", ["tăng cường"], True),  # written without marks: compared bare
    ("Tăng cường", ["tang cuong"], False),  # written with marks: the marks count
    ("Improve services", ["improve"], True),
    ("Improved services", ["improve"], False),  # whole words only
    (LocalText(vi="Tỷ lệ hộ nghèo", en="Poverty rate"), ["poverty rate"], True),
    ("x", [], False),
    ("x", ["", "  "], False),
    ("Tỷ lệ", ["tỷ lệ", 3], True),
])
def test_text_builtins_prepared_for_a_constant_word_list(text, words, expected):
    from validator.rulelang.builtins import BUILTINS

    contains_any = BUILTINS["contains_any"]
    assert contains_any.prepare(words)(text) is expected  # what generated code calls
    assert contains_any.fn(text, words) is expected  # what the closures call
    if len(words) == 1:
        assert BUILTINS["contains"].prepare(words[0])(text) is expected
