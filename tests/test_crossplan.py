"""Checks across plans: one knowledge base from several files, cross-plan rules, monitoring."""

from __future__ import annotations

import sys

import pytest
from conftest import EXAMPLES, ROOT, small_plan

from validator.core.errors import InputError
from validator.pipeline.validate import validate

sys.path.insert(0, str(ROOT / "bench"))
from crossplan import PLANTS, generate_set  # noqa: E402

# what each planted inconsistency must produce (the off-track actual is also a 30-point
# deviation that no note explains: REP-01)
EXPECTED = {"annual_phase": ["PH-02"], "district_sum": ["RU-02"],
            "off_track": ["MON-02", "REP-01"]}


def _run(folder, **params):
    return validate([str(folder)], params={"rollup_complete": True, **params})


def test_a_clean_generated_set_has_no_findings(tmp_path):
    generate_set(tmp_path, districts=3, communes=2)
    assert _run(tmp_path).findings == []


@pytest.mark.parametrize("plant", sorted(PLANTS))
def test_each_planted_inconsistency_is_found_with_both_files_named(tmp_path, plant):
    files = generate_set(tmp_path, districts=3, communes=2, plant=(plant,))
    findings = _run(tmp_path).findings
    assert sorted(f.rule for f in findings) == EXPECTED[plant]
    finding = next(f for f in findings if f.rule == EXPECTED[plant][0])
    if plant == "district_sum":
        assert finding.location.file == str(files["prov"])
        cited = " ".join(finding.evidence["lower_targets"])
        assert all(str(files[f"prov-d0{d}"]) in cited for d in (1, 2, 3))
    elif plant == "annual_phase":
        assert finding.location.file == str(files["prov-2026"])
        assert finding.evidence["five_year"].startswith(str(files["prov"]) + "#")
    else:
        assert finding.location.file == str(files["prov-2026"])
        assert finding.evidence["behind"] == [2026]


def test_all_plants_together(tmp_path):
    generate_set(tmp_path, districts=3, communes=2, plant=tuple(PLANTS))
    assert sorted(f.rule for f in _run(tmp_path).findings) == sorted(
        rule for rules in EXPECTED.values() for rule in rules)


def test_partial_sets_only_check_that_parts_do_not_exceed_the_whole(tmp_path):
    files = generate_set(tmp_path, districts=3, communes=2)
    files["prov-d03"].unlink()  # a district missing: the province is now above the sum
    for commune in tmp_path.glob("prov-d03-c*.yaml"):
        commune.unlink()
    assert validate([str(tmp_path)]).findings == []
    assert {f.rule for f in _run(tmp_path).findings} <= {"RU-02", "RU-03"}


def test_parent_not_loaded_is_reported_once_as_info():
    result = validate([str(EXAMPLES / "district-annual-sedp-2027.yaml")])
    notes = [f for f in result.findings if f.rule == "LNK-01"]
    assert len(notes) == 1 and notes[0].severity == "info"
    assert notes[0].entity_kind == "plan"


def test_the_example_set_validated_together():
    result = validate([str(p) for p in sorted(EXAMPLES.glob("*.yaml"))])
    found = {(f.rule, f.location.file.rsplit("/", 1)[-1]) for f in result.findings}
    assert ("PH-02N", "district-annual-sedp-2027.yaml") in found  # adjusted, with its note
    assert ("LNK-02", "district-five-year-sedp.yaml") in found  # 2026's annual plan absent
    assert ("LNK-01", "province-five-year-sedp.yaml") in found  # the national plan
    assert not any(rule == "LNK-01" for rule, file in found if "district" in file)
    assert not any(f.rule.startswith(("PH-02", "RU-")) and f.severity == "error"
                   for f in result.findings)


def test_duplicate_plan_ids_across_files_are_refused(write_plan, tmp_path):
    a = write_plan(small_plan(), "a.yaml")
    b = write_plan(small_plan(), "b.yaml")
    with pytest.raises(InputError) as info:
        validate([str(a), str(b)])
    assert f"{b}: plan.id: plan id 'p' is also the id of the plan in {a}" in str(info.value)
