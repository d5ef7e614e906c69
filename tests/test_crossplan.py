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


CYCLES = ["2021-2025", "2026-2030"]


@pytest.mark.parametrize("cycle", CYCLES)
def test_a_clean_generated_set_has_no_findings(tmp_path, cycle):
    files = generate_set(tmp_path, districts=3, communes=2, cycle=cycle)
    levels = {"2021-2025": 1 + 3 + 6, "2026-2030": 1 + 6}[cycle]  # province, districts, communes
    assert len(files) == levels + 1  # and the province's annual plan
    result = _run(tmp_path)
    assert result.findings == []
    assert {p.plan.plan.level for p in result.plans} == (
        {"province", "district", "commune"} if cycle == "2021-2025" else {"province", "commune"})


def test_the_2026_2030_roll_up_goes_commune_to_province(tmp_path):
    files = generate_set(tmp_path, districts=3, communes=2, cycle="2026-2030",
                         plant=("district_sum",))
    assert not any(name.startswith("prov-d") for name in files)  # no district plans
    finding = next(f for f in _run(tmp_path).findings if f.rule == "RU-02")
    cited = " ".join(finding.evidence["lower_targets"])
    assert all(str(files[f"prov-c{c:03d}"]) in cited for c in range(1, 7))


def test_a_2026_2030_set_with_districts_in_between_is_refused_its_levels(tmp_path):
    files = generate_set(tmp_path, districts=2, communes=1, cycle="2021-2025")
    for path in files.values():  # the same set, moved five years on
        path.write_text(path.read_text(encoding="utf-8").replace("202", "203")
                        .replace("2019", "2029"), encoding="utf-8")
    rules = {f.rule for f in validate([str(tmp_path)]).findings}
    assert {"LV-01", "LV-02", "AG-07", "AG-08"} <= rules


@pytest.mark.parametrize("cycle", CYCLES)
@pytest.mark.parametrize("plant", sorted(PLANTS))
def test_each_planted_inconsistency_is_found_with_both_files_named(tmp_path, plant, cycle):
    files = generate_set(tmp_path, districts=3, communes=2, plant=(plant,), cycle=cycle)
    first = cycle[:4]
    findings = _run(tmp_path).findings
    assert sorted(f.rule for f in findings) == EXPECTED[plant]
    finding = next(f for f in findings if f.rule == EXPECTED[plant][0])
    if plant == "district_sum":
        assert finding.location.file == str(files["prov"])
        cited = " ".join(finding.evidence["lower_targets"])
        parts = ([f"prov-d0{d}" for d in (1, 2, 3)] if cycle == "2021-2025"
                 else [f"prov-c{c:03d}" for c in range(1, 7)])
        assert all(str(files[part]) in cited for part in parts)
    elif plant == "annual_phase":
        assert finding.location.file == str(files[f"prov-{first}"])
        assert finding.evidence["five_year"].startswith(str(files["prov"]) + "#")
    else:
        assert finding.location.file == str(files[f"prov-{first}"])
        assert finding.evidence["behind"] == [int(first)]


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
    result = validate([str(EXAMPLES / "district-annual-sedp-2022.yaml")])
    assert not [f for f in result.findings if f.rule == "LNK-01"]  # a note of the run
    notes = [f for f in result.notes if f.rule == "LNK-01"]
    assert len(notes) == 1 and notes[0].severity == "info"
    assert notes[0].entity_kind == "plan"


def test_the_example_set_validated_together():
    result = validate([str(p) for p in sorted(EXAMPLES.glob("*.yaml"))])
    found = {(f.rule, f.location.file.rsplit("/", 1)[-1])
             for f in [*result.findings, *result.notes]}
    assert ("PH-02N", "district-annual-sedp-2022.yaml") in found  # adjusted, with its note
    assert ("LNK-02", "district-five-year-sedp.yaml") in found  # 2021's annual plan absent
    assert ("LNK-01", "province-five-year-sedp.yaml") in found  # the national plan
    # the 2021-2025 district plan's province plan is not among the examples
    assert ("LNK-01", "district-five-year-sedp.yaml") in found
    assert ("LNK-01", "district-annual-sedp-2022.yaml") not in found
    assert not any(rule == "LNK-01" for rule, file in found if "commune" in file)
    assert not any(f.rule.startswith(("PH-02", "RU-")) and f.severity == "error"
                   for f in result.findings)


def test_duplicate_plan_ids_across_files_are_refused(write_plan, tmp_path):
    a = write_plan(small_plan(), "a.yaml")
    b = write_plan(small_plan(), "b.yaml")
    with pytest.raises(InputError) as info:
        validate([str(a), str(b)])
    assert f"{b}: plan.id: plan id 'p' is also the id of the plan in {a}" in str(info.value)


def test_the_2026_2030_commune_example_rolls_up_into_its_province():
    from validator.facts.linking import linked_views
    from validator.load import load_plan

    views = {v.id: v for v in linked_views(
        [load_plan(EXAMPLES / "commune-five-year-sedp.yaml"),
         load_plan(EXAMPLES / "province-five-year-sedp.yaml")])}
    commune, province = views["lc-bacha-xa-sedp-2026-2030"], views["lc-sedp-2026-2030"]
    assert commune.parent is province and commune.level == "commune"
    investment = next(t for t in commune.targets if t.code == "MAC-40")
    assert investment.parent_target is not None and investment.parent_target.plan is province
    result = validate([str(EXAMPLES / "commune-five-year-sedp.yaml"),
                       str(EXAMPLES / "province-five-year-sedp.yaml")])
    assert not result.findings
    assert {f.rule for f in result.notes} == {"LNK-01"}  # only the national plan is absent
