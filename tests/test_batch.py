"""Batch runs: ``--jobs N`` gives the same report as one process (linked plans included),
input errors are reported the same way, the progress bar stays off when stderr is not a
terminal, and the batch bench runs."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys

import pytest
import yaml
from conftest import BROKEN_EXAMPLES, EXAMPLES, FLAWED_EXAMPLES, ROOT, small_plan
from test_formats import CI_RULES, make_project


@pytest.fixture(autouse=True)
def workers_even_for_small_batches(monkeypatch):
    """The batches here are small; they still go to worker processes with --jobs 2."""
    from validator.pipeline import batch

    monkeypatch.setattr(batch, "BYTES_PER_WORKER", 1)


def dump(path, data) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture
def batch(tmp_path):
    """The flawed examples plus a province plan and a district plan linked to it, named so
    that they fall into different chunks of work."""
    folder = tmp_path / "batch"
    folder.mkdir()
    for path in FLAWED_EXAMPLES:
        shutil.copy(path, folder / path.name)
    dump(folder / "a-district.yaml", small_plan(id="dist", level="district", parent="prov"))
    dump(folder / "z-province.yaml", small_plan(id="prov"))
    return folder


def test_jobs_give_the_same_report_as_one_process(cli, batch):
    """With the bundled pack, whose cross-plan rules see the district's parent only when
    both plans are checked together."""
    one = cli("validate", batch, "--format", "json", "--lang", "en")
    two = cli("validate", batch, "--format", "json", "--lang", "en", "--jobs", "2")
    assert one[0] == two[0] == 1
    assert two[1] == one[1] and two[2] == one[2] == ""


def test_linked_groups():
    from validator.pipeline.batch import linked_groups
    from validator.plan.loaded import LoadedPlan
    from validator.plan.model import Plan

    def loaded(file: str, **header) -> LoadedPlan:
        return LoadedPlan(Plan.model_validate(small_plan(**header)), file)

    plans = [loaded("a", id="prov"), loaded("b", id="dist", level="district", parent="prov"),
             loaded("c", id="other", parent="nowhere"), loaded("d", id="com", parent="dist",
                                                               level="commune"),
             loaded("e", id="twin"), loaded("f", id="twin"), loaded("g", id="alone",
                                                                    parent="nowhere")]
    assert linked_groups(plans) == [["a", "b", "d"], ["e", "f"]]


def test_input_errors_are_the_same_with_jobs(cli, tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    for path in [EXAMPLES / "province-five-year-sedp.yaml", *BROKEN_EXAMPLES]:
        shutil.copy(path, folder / path.name)
    one = cli("validate", folder, "--rules", CI_RULES)
    two = cli("validate", folder, "--rules", CI_RULES, "--jobs", "2")
    assert one[0] == two[0] == 2 and two[1] == ""
    assert two[2] == one[2] and all(p.name in two[2] for p in BROKEN_EXAMPLES)


def test_duplicate_plan_ids_across_chunks_are_refused_with_jobs(cli, tmp_path):
    folder = tmp_path / "dups"
    folder.mkdir()
    for i in range(6):
        dump(folder / f"{i}.yaml", small_plan(id=f"p{i}"))
    dump(folder / "9.yaml", small_plan(id="p0"))
    one = cli("validate", folder, "--rules", CI_RULES)
    two = cli("validate", folder, "--rules", CI_RULES, "--jobs", "2")
    assert one[0] == two[0] == 2 and "mỗi kế hoạch phải có mã riêng" in two[2]
    assert two[2] == one[2]


def test_progress_is_quiet_off_a_terminal_and_harmless_on(cli, capsys):
    from validator.pipeline.batch import check_files
    from validator.rulelang.cache import load_ruleset

    code, _, err = cli("validate", EXAMPLES / "flawed", "--rules", CI_RULES, "--jobs", "0")
    assert code == 1 and err == ""
    ruleset = load_ruleset((str(CI_RULES),))
    paths = sorted((EXAMPLES / "flawed").glob("*.yaml"))[:3]
    quiet = check_files(paths, ruleset, (str(CI_RULES),), None, jobs=1, progress=False)
    drawn = check_files(paths, ruleset, (str(CI_RULES),), None, jobs=1, progress=True)
    assert drawn[1] == quiet[1] and len(drawn[0]) == 3


def test_batch_bench_runs(tmp_path):
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "batch.py"), "--files", "4",
                           "--targets", "8", "--jobs", "2", "--rules", str(CI_RULES)],
                          capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert done.returncode == 0, done.stderr
    row = done.stdout.splitlines()[-1].split()
    assert row[:2] == ["4", "2"] and float(row[2]) > 0 and float(row[3]) > 0


def test_pre_commit_hook_and_the_github_actions_example(cli, tmp_path, monkeypatch):
    hook = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))[0]
    assert (hook["id"], hook["entry"], hook["language"]) == ("plancheck", "plancheck validate",
                                                              "python")
    files = re.compile(hook["files"])
    assert files.search("plans/lc.yaml") and files.search("so/plan/2026.ttl")
    assert not files.search(".github/workflows/ci.yml") and not files.search("plans/x.txt")
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    workflow = next(yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", text,
                                                                  re.S) if "upload-sarif" in block)
    steps = workflow["jobs"]["plancheck"]["steps"]
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/"))
    assert upload["with"]["sarif_file"] == "plancheck.sarif"
    command = next(s["run"] for s in steps if "--format sarif" in s.get("run", ""))
    monkeypatch.chdir(tmp_path)
    make_project(tmp_path)
    code, _, err = cli(*shlex.split(command)[1:], "--rules", CI_RULES)
    assert code == 0, err
    sarif = json.loads((tmp_path / "plancheck.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0" and len(sarif["runs"][0]["results"]) == 6
