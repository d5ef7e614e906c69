"""Entities of different plans that share ids (T1, T2 in every plan) are distinct findings,
whether the plans are files of one run or fragments of one rule case (``plans:``)."""

from __future__ import annotations

import json

import yaml
from conftest import small_plan

from validator.authoring.cases import read_cases, run_case

# productivity outgrowing output at every value the targets allow (SMART-R2 fires on T2)
NATIONAL = [{"id": "T1", "indicator": "Tốc độ tăng trưởng GDP", "unit": "%/year",
             "target": {"min": 6, "max": 6.5}},
            {"id": "T2", "indicator": "Tốc độ tăng năng suất lao động xã hội", "unit": "%/year",
             "target": {"at_least": 7.5}}]
# with an employment target the two do not leave room for (SMART-R2 fires on T2)
PROVINCE = [{"id": "T1", "indicator": "GRDP growth", "unit": "%/year", "target": 8},
            {"id": "T2", "indicator": "Labour productivity growth", "unit": "%/year",
             "target": 6},
            {"id": "T3", "indicator": "Growth of employment", "unit": "%/year", "target": 4}]


def test_a_case_with_fragments_sharing_ids_reports_each_plans_finding(tmp_path):
    fragments = [{"plan": {"id": "national", "kind": "annual_sedp", "level": "nation",
                           "period": [2027, 2027]},
                  "objectives": [{"id": "O1", "kind": "general", "title": "Growth",
                                  "targets": NATIONAL}]},
                 {"plan": {"id": "province"},
                  "objectives": [{"id": "O1", "kind": "general", "title": "Growth",
                                  "targets": PROVINCE}]}]
    path = tmp_path / "SMART-R2.yaml"
    path.write_text(yaml.safe_dump({"rule": "SMART-R2", "cases": [
        {"name": "shared ids", "expect": ["national/T2", "province/T2"],
         "plans": fragments}]}, allow_unicode=True), encoding="utf-8")
    outcome = run_case(read_cases(path)[0], ())
    assert outcome.found == ["national/T2", "province/T2"], outcome.detail


def _plan(targets, **header):
    data = small_plan(**header)
    data["objectives"][0]["targets"] = data["objectives"][0]["targets"] + targets
    return data


def test_two_linked_files_sharing_ids_report_every_finding_of_each(cli, tmp_path):
    """A province and its district, both with O1, O1.T1, T1, T2: each file's own findings
    are those it has alone, and the cross-plan roll-up (RU-02) is reported too."""
    province = _plan(PROVINCE, id="province")
    district = _plan(PROVINCE, id="district", level="district", parent="province")
    district["objectives"][0]["targets"][0]["target"] = 30000  # above the province's 20,000
    district["objectives"][0]["targets"][0]["annual"] = {
        2026: 3000, 2027: 4500, 2028: 6000, 2029: 7500, 2030: 9000}
    files = []
    for name, data in (("province.yaml", province), ("district.yaml", district)):
        files.append(tmp_path / name)
        files[-1].write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    def findings(*paths):
        code, out, err = cli("validate", *paths, "--format", "json", "--lang", "en")
        assert code in (0, 1), out + err
        return [(f["location"]["file"], f["entity"]["plan"], f["rule"], f["entity"]["id"])
                for f in json.loads(out)["findings"]]

    both = findings(*files)
    assert ("province", "SMART-R2", "T2") in [f[1:] for f in both]
    assert ("district", "SMART-R2", "T2") in [f[1:] for f in both]
    assert ("province", "RU-02", "O1.T1") in [f[1:] for f in both]
    crossplan = {"LNK-01", "RU-02"}
    for path in files:
        alone = [f for f in findings(path) if f[2] not in crossplan]
        together = [f for f in both if f[0] == str(path) and f[2] not in crossplan]
        assert together == alone
