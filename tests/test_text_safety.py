"""Text is safe to print: control characters from plans (OSC escapes, carriage returns, C1
codes) are shown escaped in every report and every error excerpt; lone surrogates and
infinite numbers are refused at load with their location (so reports are always encodable
and standard JSON); excerpts come from a line index built once per file."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import yaml
from conftest import EXAMPLES, small_plan

from validator.core import errors
from validator.core.errors import caret_excerpt

VAGUE = EXAMPLES / "flawed" / "smart-s-vague-indicator.yaml"
RAW = ("\x1b", "\x07", "\r", "\x9b")  # ESC (OSC starts with it), BEL (ends it), CR, CSI


@pytest.fixture
def hostile_plan(tmp_path: Path) -> Path:
    """The vague-indicator example, with an OSC escape that would retitle the terminal, a
    carriage return and a C1 control in the indicator its finding quotes."""
    text = VAGUE.read_text(encoding="utf-8").replace(
        'en: "Improve the quality of education"',
        'en: "Improve the quality of education \\e]X;PWNED\\a\\r\\x9bK"')
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "github", "markdown",
                                 "html"])
def test_plan_texts_reach_no_report_raw(cli, hostile_plan: Path, fmt: str) -> None:
    code, out, err = cli("validate", hostile_plan, "--format", fmt, "--lang", "en")
    assert code == 1, err
    assert "PWNED" in out  # the text is there, escaped
    assert not [c for c in RAW if c in out], fmt
    if fmt in ("json", "sarif"):
        json.loads(out)  # still valid JSON


def test_error_excerpts_show_escapes_with_the_caret_under_its_character(
        cli, tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    data = small_plan()
    path.write_text(yaml.safe_dump(data, allow_unicode=True).replace(
        "rollup: sum", 'rollup: "\\e]0;PWNED\\a sum"'), encoding="utf-8")
    code, _, err = cli("validate", path, "--lang", "en")
    assert code == 2 and "PWNED" in err and not [c for c in RAW if c in err], err
    excerpt = caret_excerpt("a\x1bb: 1\n", 1, 3)
    assert excerpt == "  a\\x1bb: 1\n       ^"  # under the b, after the 4-character escape


def test_a_lone_surrogate_is_refused_at_load_and_keeps_the_old_report(cli,
                                                                    tmp_path: Path) -> None:
    """A "\\udfff" escape loaded, then every reporter crashed with a traceback, and -o left
    the previous report at 0 bytes."""
    data = small_plan()
    data["objectives"][0]["title"] = "Water \udfff"
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    report = tmp_path / "report.txt"
    report.write_text("previous report", encoding="utf-8")
    for fmt in ("text", "json", "sarif"):
        code, _, err = cli("validate", path, "--format", fmt, "-o", report, "--lang", "en")
        assert code == 2 and "lone surrogate" in err and "objective 1, key 'title'" in err, err
        assert f"{path}:" in err and "\\udfff" in err
    assert report.read_text(encoding="utf-8") == "previous report"
    code, _, err = cli("convert", path, "--to", "ttl", "--lang", "en")
    assert code == 2 and "lone surrogate" in err


@pytest.mark.parametrize("name,old,new", [
    ("plan.yaml", "target: 75", "target: .inf"),
    ("plan.yaml", "target: 75", "target: -.Inf"),
    ("plan.yaml", "target: 75", "target: 1e400"),
    ("plan.json", '"target": 75', '"target": 1e400'),
    ("plan.json", '"target": 75', '"target": Infinity'),
    ("plan.json", '"value": 61', '"value": -Infinity'),
])
def test_infinite_numbers_are_refused_like_nan(cli, tmp_path: Path, name: str, old: str,
                                               new: str) -> None:
    """.inf and 1e400 were accepted, and JSON and SARIF output then held the non-standard
    token Infinity."""
    data = small_plan()
    text = (yaml.safe_dump(data) if name.endswith(".yaml") else json.dumps(data, indent=2))
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new), encoding="utf-8")
    code, out, err = cli("validate", path, "--format", "json", "--lang", "en")
    assert code == 2 and "expected a finite number" in err, err
    assert err.startswith(f"{path}:") and "objective 1, target 2, key" in err
    assert "Infinity" not in out


def test_excerpts_come_from_one_line_index(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Every located problem re-split the whole file for its excerpt: 40,000 bad values in
    a 2 MB YAML file took 103 s."""
    text = "".join(f"key{i}: value\n" for i in range(200_000))
    splits = []
    real = errors.line_index.__wrapped__

    def counted(t: str):  # type: ignore[no-untyped-def]
        splits.append(1)
        return real(t)

    errors.line_index.cache_clear()
    monkeypatch.setattr(errors, "line_index", __import__("functools").lru_cache(16)(counted))
    started = time.monotonic()
    excerpts = [caret_excerpt(text, line, 1) for line in range(1, 200_001, 5)]
    assert time.monotonic() - started < 5
    assert len(splits) == 1
    assert excerpts[1] == "  key5: value\n  ^"
    assert caret_excerpt("x" * 1_000_000, 1, 500_000).count("x") <= 200  # long lines clipped


def test_problems_are_rendered_only_when_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    """An InputError rendered all its problems in English when made, and a plan's errors
    are made three times on their way to the terminal (bench/hostile.py: 40,000 bad values
    spent a fifth of their load in it). It also pickled back with a text as problems."""
    import pickle

    rendered = []
    real = errors.Problem.render
    monkeypatch.setattr(errors.Problem, "render",
                        lambda self, lang="vi": rendered.append(1) or real(self, lang))
    problems = [errors.Problem("plan.yaml", "expected a text", line=n) for n in range(1, 500)]
    error = errors.InputError(errors.InputError(problems).problems)
    assert not rendered
    again = pickle.loads(pickle.dumps(error))
    assert again.problems == problems and str(again) == str(error)
    assert len(rendered) == 2 * 499  # each problem once for each str()
    assert str(error).startswith("plan.yaml:1: expected a text\nplan.yaml:2:")
