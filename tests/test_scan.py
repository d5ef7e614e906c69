"""Folder scans: files that are not plans (waivers, baselines, configuration, plancheck's
own annotated copies) are skipped and listed; --latest keeps the newest version of a plan."""

from __future__ import annotations

import json
import os
import shutil

from conftest import EXAMPLES

PLAN = EXAMPLES / "district-annual-sedp-2022.yaml"
WORKBOOK = EXAMPLES / "xlsx" / "province-five-year-manual-layout.xlsx"


def folder(tmp_path, cli):
    root = tmp_path / "nop"
    (root / ".github" / "workflows").mkdir(parents=True)
    shutil.copyfile(PLAN, root / "huyen.yaml")
    shutil.copyfile(WORKBOOK, root / "tinh.xlsx")
    (root / "plancheck-waivers.yaml").write_text(
        "- rule: PAR-01\n  entity: x\n  reason: accepted\n  approved_by: DPI\n",
        encoding="utf-8")
    (root / "mkdocs.yml").write_text("site_name: plans\nnav: []\n", encoding="utf-8")
    (root / ".github" / "workflows" / "ci.yml").write_text("on: push\n", encoding="utf-8")
    code, out, err = cli("validate", root / "huyen.yaml", "--write-baseline",
                         root / "baseline.json")
    assert (root / "baseline.json").is_file(), err
    code, out, err = cli("validate", root / "tinh.xlsx", "--annotate",
                         root / "tinh-nhan-xet.xlsx")
    assert (root / "tinh-nhan-xet.xlsx").is_file(), err
    return root


def test_a_folder_scan_skips_what_is_not_a_plan_and_lists_it(cli, tmp_path):
    root = folder(tmp_path, cli)
    code, out, err = cli("validate", root, "--format", "json", "--lang", "en")
    report = json.loads(out)
    assert sorted(os.path.basename(f) for f in report["files"]) == ["huyen.yaml", "tinh.xlsx"]
    reasons = {os.path.basename(s["file"]): s["reason"] for s in report["skipped"]}
    assert reasons == {
        "baseline.json": "a baseline file", "plancheck-waivers.yaml": "a waivers file",
        "mkdocs.yml": "not a plan: no 'format: plan/1' (a configuration or other data file)",
        "tinh-nhan-xet.xlsx": "an annotated copy written by plancheck"}
    code, out, err = cli("validate", root, "--lang", "vi")
    assert "Đã bỏ qua 4 tệp không phải kế hoạch:" in out
    assert f"{root / 'tinh-nhan-xet.xlsx'}: " in out


def test_a_file_named_on_the_command_line_is_always_read(cli, tmp_path):
    root = folder(tmp_path, cli)
    code, out, err = cli("validate", root / "mkdocs.yml")
    assert code == 2 and "mkdocs.yml" in err


def test_latest_keeps_the_newest_version_of_a_submission(cli, tmp_path):
    root = tmp_path / "nop"
    root.mkdir()
    text = PLAN.read_text(encoding="utf-8")
    (root / "v1.yaml").write_text(text, encoding="utf-8")
    assert "submitted: {by: DPC, on: 2021-07-03}" in text
    newer = text.replace("submitted: {by: DPC, on: 2021-07-03}",
                         "submitted: {by: DPC, on: 2021-07-20}")
    (root / "v2.yaml").write_text(newer, encoding="utf-8")
    os.utime(root / "v2.yaml", (1_700_000_000, 1_700_000_000))  # older on disk, newer date
    code, out, err = cli("validate", root, "--format", "json")
    assert code == 2 and err  # two plans with one id: refused without --latest
    code, out, err = cli("validate", root, "--format", "json", "--latest", "--lang", "en")
    report = json.loads(out)
    assert [os.path.basename(f) for f in report["files"]] == ["v2.yaml"]
    [skipped] = report["skipped"]
    assert skipped["file"].endswith("v1.yaml") and "an older version of plan" in \
        skipped["reason"]


def test_latest_without_submission_dates_keeps_the_last_modified(cli, tmp_path):
    root = tmp_path / "nop"
    root.mkdir()
    for name in ("a.yaml", "b.yaml"):
        shutil.copyfile(PLAN, root / name)
    os.utime(root / "b.yaml", (1_700_000_000, 1_700_000_000))
    code, out, err = cli("validate", root, "--format", "json", "--latest")
    assert [os.path.basename(f) for f in json.loads(out)["files"]] == ["a.yaml"]
