"""The bundled pack on published plans: its findings are exactly those judged in NOTES.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from validator.pipeline.validate import validate

HERE = Path(__file__).resolve().parent
NOTES = HERE / "NOTES.md"
PLANS = sorted(HERE.glob("*.yaml"))
_ROW = re.compile(r"^\| ([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+) \| ([^|]+) \| ([^|]+) \|")


def recorded(plan: str) -> set[tuple[str, str]]:
    """The (rule, entity) pairs NOTES.md records for a plan file, without 'tuned' rows."""
    section = NOTES.read_text(encoding="utf-8").split(f"## {plan}\n", 1)[1].split("\n## ", 1)[0]
    pairs = set()
    for line in section.splitlines():
        match = _ROW.match(line)
        if match and match.group(3).strip() != "tuned":
            pairs |= {(match.group(1), e.strip()) for e in match.group(2).split(",")}
    return pairs


def test_there_are_at_least_two_published_plans():
    assert len(PLANS) >= 2
    for path in PLANS:
        head = path.read_text(encoding="utf-8")[:600]
        assert re.search(r"Resolution No\. \d+/\d{4}/", head), f"{path.name} cites no resolution"


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.name)
def test_findings_equal_the_recorded_list(path):
    found = {(f.rule, f.entity) for f in validate([str(path)]).findings}
    expected = recorded(path.name)
    assert found == expected, (f"not in NOTES.md: {sorted(found - expected)}; "
                               f"recorded but not found: {sorted(expected - found)}")


def test_the_manual_s_central_criticism_is_raised():
    """Outcome-heavy frameworks without outputs (manual p.31) on both real plans."""
    for path in PLANS:
        rules = {f.rule for f in validate([str(path)]).findings}
        assert {"CAT-05", "CAT-04"} <= rules, path.name
