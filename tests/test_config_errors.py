"""Every wrong setting of a configuration file is reported at its key's line and column in
the file, in the user's language, with exit code 2: the model's errors, the ``[params]``
values the rule set refuses, ``[plan]`` fields, selectors naming no rule, and path globs
too costly to match (checked by the model itself)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import small_plan
from pydantic import ValidationError

from validator.pipeline.config import ConfigFile
from validator.pipeline.toml_places import toml_places


def _project(tmp_path: Path, toml: str, name: str = "plancheck.toml") -> Path:
    plan = tmp_path / "plans" / "plan.yaml"
    plan.parent.mkdir()
    plan.write_text(yaml.safe_dump(small_plan()), encoding="utf-8")
    (tmp_path / name).write_text(toml, encoding="utf-8")
    return plan


def _refused(cli, *args: object) -> dict[str, str]:
    """stderr of a refused run, in English and in Vietnamese."""
    out = {}
    for lang in ("en", "vi"):
        code, stdout, err = cli("validate", *args, "--lang", lang)
        assert code == 2 and stdout == "" and "Traceback" not in err, err
        out[lang] = err
    return out


@pytest.mark.parametrize("toml, where, en, vi", [
    ('lang = "en"\n\n[params]\nphasing_tolerance = inf\n', "4:1: params.phasing_tolerance",
     "expects a finite number of at most 10^18", "cần một số hữu hạn có độ lớn tối đa 10^18"),
    ('[params]\ngrowth_max = 12\nphasing_tolerance = "high"\n', "3:1: params.phasing_tolerance",
     "expects a finite number of at most 40 characters", "cần một số hữu hạn có tối đa 40 ký tự"),
    ('params = { growth_max = 12, phasing_tolerance = nan }\n',
     "1:29: params.phasing_tolerance", "expects a finite number", "cần một số hữu hạn"),
])
def test_a_bad_param_in_the_configuration_is_at_its_key(cli, tmp_path, toml, where, en, vi):
    plan = _project(tmp_path, toml)
    err = _refused(cli, plan)
    config = tmp_path / "plancheck.toml"
    assert err["en"].startswith(f"{config}:{where}: ") and en in err["en"], err["en"]
    assert err["vi"].startswith(f"{config}:{where}: ") and vi in err["vi"], err["vi"]
    line = toml.splitlines()[int(where.split(":")[0]) - 1]
    assert f"\n  {line}\n" in err["en"]  # the line of the file, under the message


def test_a_param_of_the_wrong_kind_or_unknown_is_at_its_key(cli, tmp_path):
    plan = _project(tmp_path, "[params]\n# the rule set's words\nvague_words = 3\n")
    config = tmp_path / "plancheck.toml"
    for err in _refused(cli, plan).values():
        assert err.startswith(f"{config}:3:1: params.vague_words: ") and "3" in err, err
    (tmp_path / "plancheck.toml").write_text('[params]\n  growht_max = 3\n', encoding="utf-8")
    for err in _refused(cli, plan).values():
        assert err.startswith(f"{config}:2:3: params.growht_max: ") and "growth_max" in err


def test_a_param_given_on_the_command_line_is_blamed_on_the_command_line(cli, tmp_path):
    plan = _project(tmp_path, "[params]\nphasing_tolerance = 5\n")
    err = _refused(cli, plan, "--param", "phasing_tolerance=inf")
    assert err["en"].startswith("--param: phasing_tolerance expects a finite number"), err["en"]
    assert "plancheck.toml" not in err["en"]


def test_a_param_in_pyproject_is_named_under_tool_plancheck(cli, tmp_path):
    plan = _project(tmp_path, '[project]\nname = "x"\n\n[tool.plancheck.params]\n'
                              'phasing_tolerance = -inf\n', name="pyproject.toml")
    err = _refused(cli, plan)
    assert err["en"].startswith(
        f"{tmp_path / 'pyproject.toml'}:5:1: tool.plancheck.params.phasing_tolerance: "), err


def test_other_tables_are_located_too(cli, tmp_path):
    plan = _project(tmp_path, '[plan]\nlevl = "district"\n\n[severity]\n"SMART-S" = "fatal"\n')
    config = tmp_path / "plancheck.toml"
    err = _refused(cli, plan)
    assert err["en"].startswith(f"{config}:5:1: severity.SMART-S: expected one of "), err
    assert err["vi"].startswith(f"{config}:5:1: severity.SMART-S: cần một trong "), err
    config.write_text('[plan]\nlevl = "district"\n', encoding="utf-8")
    err = _refused(cli, plan)
    assert err["en"].startswith(f"{config}:2:1: plan.levl: unknown plan header field"), err
    assert err["vi"].startswith(f"{config}:2:1: plan.levl: trường thông tin kế hoạch không "
                                "xác định"), err
    config.write_text('ignore = ["SMART-S", "NOPE"]\n', encoding="utf-8")
    err = _refused(cli, plan)
    assert err["en"].startswith(f"{config}:1:22: ignore[1]: 'NOPE' is not a rule id"), err
    assert err["vi"].startswith(f"{config}:1:22: ignore[1]: 'NOPE' không phải mã quy tắc"), err


def test_a_costly_glob_is_refused_by_the_model(cli, tmp_path):
    glob = "**/a/" * 5 + "*.yaml"
    with pytest.raises(ValidationError) as caught:
        ConfigFile.model_validate({"per-file-ignores": {glob: ["PAR-01"], "ok/*": ["PAR-01"]}})
    errors = caught.value.errors()
    assert [e["loc"] for e in errors] == [("per-file-ignores", glob, "[key]")]
    plan = _project(tmp_path, f'lang = "en"\n[per-file-ignores]\n"{glob}" = ["PAR-01"]\n')
    err = _refused(cli, plan)
    start = f"{tmp_path / 'plancheck.toml'}:3:1: per-file-ignores.{glob!r}: "
    assert err["en"].startswith(start + "the glob has 5 '**'; at most 4 are allowed"), err
    assert err["vi"].startswith(start + "mẫu đường dẫn có 5 '**'; chỉ cho phép tối đa 4"), err


def test_toml_places_follow_tables_arrays_and_inline_tables():
    text = ('# a comment\nrules = ["a",\n  3]   # after\n[params]\n"quoted key" = [1, {a = 2}]\n'
            'a.b = 1979-05-27 07:32:00\ns = """x\ny = 1\n"""\nz = \'lit\'\n'
            '[[srv]]\nport = 1\n[[srv]]\nport = 2\n[srv.sub]\nk = {x = [1, 2], y.z = true}\n')
    places = toml_places(text)
    assert places[("rules",)] == (2, 1) and places[("rules", 1)] == (3, 3)
    assert places[("params",)] == (4, 2)
    assert places[("params", "quoted key")] == (5, 1)
    assert places[("params", "quoted key", 1, "a")] == (5, 21)
    assert places[("params", "a", "b")] == (6, 1)
    assert ("params", "y") not in places  # inside the multi-line string
    assert places[("params", "z")] == (10, 1)
    assert places[("srv", 0, "port")] == (12, 1) and places[("srv", 1, "port")] == (14, 1)
    assert places[("srv", 1, "sub", "k", "y", "z")] == (16, 18)
    assert places[("srv", 1, "sub", "k", "x", 1)] == (16, 14)
