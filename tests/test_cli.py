"""The command line: exit codes 0/1/2, messages without tracebacks, convert, ontology, speed."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import EXAMPLES, FLAWED_EXAMPLES, ROOT, small_plan


def test_version(cli):
    code, out, _ = cli("--version")
    assert code == 0 and "plancheck" in out


def test_clean_plan_exits_0(cli):
    code, out, err = cli("validate", EXAMPLES / "province-five-year-sedp.yaml", "--lang", "en")
    assert code == 0, out + err
    # only a note of the run: its parent, the national plan, is not among the loaded plans
    assert "Notes of the run (1):" in out and "LNK-01" in out and "No findings." in out


def test_findings_exit_1_and_fail_on(cli):
    flawed = EXAMPLES / "flawed" / "cat05-outcome-heavy.yaml"  # one warning
    code, out, _ = cli("validate", flawed, "--lang", "en")
    assert code == 1 and "CAT-05" in out
    assert cli("validate", flawed, "--fail-on", "error")[0] == 0
    assert cli("validate", flawed, "--fail-on", "never")[0] == 0
    assert cli("validate", flawed, "--fail-on", "info")[0] == 1


def test_malformed_yaml_exits_2_with_location_and_no_traceback(cli):
    broken = EXAMPLES / "broken" / "yaml-syntax-error.yaml"
    code, out, err = cli("validate", broken, "--lang", "en")
    assert code == 2
    assert err.startswith(f"{broken}:41:8: invalid YAML")
    assert "Traceback" not in out + err


def test_every_load_error_is_reported_and_nothing_is_validated(cli):
    broken = sorted((EXAMPLES / "broken").glob("*.yaml"))
    code, out, err = cli("validate", EXAMPLES / "province-five-year-sedp.yaml", *broken)
    assert code == 2 and out == ""
    for path in broken:
        assert str(path) in err


def test_folders_and_globs(cli):
    code, out, _ = cli("validate", EXAMPLES / "flawed", "--format", "json")
    data = json.loads(out)
    assert code == 1 and len(data["files"]) == len(FLAWED_EXAMPLES)
    code, out, _ = cli("validate", str(EXAMPLES / "flawed" / "ph0*.yaml"), "--format", "json")
    assert len(json.loads(out)["files"]) == 3
    code, _, err = cli("validate", str(EXAMPLES / "nothing-*.yaml"), "--lang", "en")
    assert code == 2 and "matches no file" in err
    code, _, err = cli("validate", str(EXAMPLES / "nothing-*.yaml"))  # Vietnamese by default
    assert code == 2 and "mẫu đường dẫn không khớp tệp nào" in err


def test_json_report_shape(cli):
    flawed = EXAMPLES / "flawed" / "ph04-dir01-sum-mismatch-poverty-rises.yaml"
    code, out, _ = cli("validate", flawed, "--format", "json", "--lang", "en")
    data = json.loads(out)
    assert data["version"] == 1 and data["summary"]["by_severity"]["error"] == 2
    finding = data["findings"][0]
    assert set(finding) >= {"rule", "severity", "title", "message", "entity", "location",
                            "source", "evidence"}
    assert finding["location"]["line"] > 0
    assert finding["message"].startswith("The years of O1.T2")


def test_vietnamese_is_the_default_language(cli):
    _, out, _ = cli("validate", EXAMPLES / "flawed" / "cat05-outcome-heavy.yaml")
    assert "Kế hoạch có 6 chỉ tiêu kết quả" in out
    _, out, _ = cli("validate", EXAMPLES / "flawed" / "cat05-outcome-heavy.yaml", "--lang", "en")
    assert "The plan has 6 outcome targets" in out


def test_param_override(cli):
    flawed = EXAMPLES / "flawed" / "smartr-smartt-growth-25-year-2032.yaml"
    _, out, _ = cli("validate", flawed, "--format", "json")
    assert any(f["rule"] == "SMART-R" for f in json.loads(out)["findings"])
    _, out, _ = cli("validate", flawed, "--format", "json", "--param", "growth_max=30")
    assert not any(f["rule"] == "SMART-R" for f in json.loads(out)["findings"])
    code, _, err = cli("validate", flawed, "--param", "growth_mx=30", "--lang", "en")
    assert code == 2 and "did you mean 'growth_max'" in err
    code, _, err = cli("validate", flawed, "--param", "growth_max=lots", "--lang", "en")
    assert code == 2 and "expects a finite number" in err


def test_convert_round_trip(cli, tmp_path):
    source = EXAMPLES / "district-annual-sedp-2022.yaml"
    ttl = tmp_path / "plan.ttl"
    assert cli("convert", source, "--to", "ttl", "-o", ttl)[0] == 0
    assert "pc:Plan" in ttl.read_text(encoding="utf-8")
    back = tmp_path / "back.yaml"
    assert cli("convert", ttl, "--to", "yaml", "-o", back)[0] == 0
    from validator.load import load_plan

    assert load_plan(back).plan == load_plan(source).plan
    code, out, _ = cli("convert", source, "--to", "json")
    assert code == 0 and json.loads(out)["format"] == "plan/1"


def test_convert_of_a_bad_file_exits_2(cli, write_plan):
    data = small_plan()
    del data["plan"]["kind"]
    code, _, err = cli("convert", write_plan(data), "--to", "ttl", "--lang", "en")
    assert code == 2 and "the plan's header, key 'kind': missing required key 'kind'" in err


def test_ontology_listing(cli):
    code, out, _ = cli("ontology")
    assert code == 0 and "agency" in out
    code, out, _ = cli("ontology", "agency", "--lang", "vi")
    assert "DPI" in out and "Sở Kế hoạch và Đầu tư" in out
    code, out, _ = cli("ontology", "agency", "--lang", "en")
    assert "Department of Planning and Investment" in out
    code, _, err = cli("ontology", "agencie")
    assert code == 2 and "có phải ý bạn là 'agency'" in err  # vi: the default
    code, _, err = cli("ontology", "agencie", "--lang", "en")
    assert code == 2 and "did you mean 'agency'" in err


def test_usage_errors_exit_2(cli):
    assert cli("validate")[0] == 2
    assert cli("convert", EXAMPLES / "province-five-year-sedp.yaml", "--to", "pdf")[0] == 2


def test_help_does_not_import_the_heavy_stack():
    code = ("import sys, validator.cli; "
            "print(sorted(m for m in ('rdflib', 'experta', 'lark', 'pydantic') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout
    assert out.strip() == "[]"


def test_rules_check_exits_2_on_a_bad_rule_file(cli, tmp_path):
    bad = tmp_path / "bad.rules"
    bad.write_text('rule X-01\n  title vi "a" en "a"\n  severity warning\n'
                   '  for each target t\n  require t.untt is present\n'
                   '  message vi "x" en "x"\n', encoding="utf-8")
    code, _, err = cli("rules", "check", bad, "--lang", "en")
    assert code == 2
    assert f"{bad}:5:13: unknown attribute 'untt' of target; did you mean 'unit'?" in err


def test_config_file_sets_params_lang_and_fail_on(cli, tmp_path):
    import shutil

    plan = tmp_path / "plans" / "plan.yaml"
    plan.parent.mkdir()
    shutil.copy(EXAMPLES / "flawed" / "smartr-smartt-growth-25-year-2032.yaml", plan)
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.plancheck]\nlang = "en"\nfail-on = "error"\n\n'
        '[tool.plancheck.params]\ngrowth_max = 30\n', encoding="utf-8")
    code, out, _ = cli("validate", plan)
    assert "SMART-R" not in out  # growth_max = 30 from the config
    assert "SMART-T" in out and "outside the period" in out  # English from the config
    assert code == 1  # SMART-T is an error
    code, out, _ = cli("validate", plan, "--lang", "vi", "--param", "growth_max=15")
    assert "SMART-R" in out and "ngoài kỳ" in out  # flags win over the config


def test_bad_config_exits_2(cli, tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text((EXAMPLES / "province-five-year-sedp.yaml").read_text(encoding="utf-8"),
                    encoding="utf-8")
    (tmp_path / "plancheck.toml").write_text('lnag = "en"\n[params]\ngrowth_max = "high"\n',
                                             encoding="utf-8")
    code, _, err = cli("validate", plan, "--lang", "en")
    assert code == 2 and "lnag: unknown key 'lnag'; did you mean 'lang'?" in err
    (tmp_path / "plancheck.toml").write_text('[params]\ngrowth_max = "high"\n',
                                             encoding="utf-8")
    code, _, err = cli("validate", plan, "--lang", "en")
    assert code == 2 and "growth_max expects a finite number" in err


def test_output_is_byte_identical_across_runs_and_hash_seeds(tmp_path):
    import os

    outputs = set()
    for seed in ("0", "1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run(
            [sys.executable, "-m", "validator", "validate", str(EXAMPLES / "flawed"),
             "--format", "json"], capture_output=True, env=env, cwd=ROOT).stdout
        outputs.add(out)
    assert len(outputs) == 1 and b'"findings"' in next(iter(outputs))
