"""No file is read through a symlink unless --follow-symlinks, and never one resolving to a
device or /proc (a planted plans/x.yaml -> /proc/self/environ printed the environment, CI
secrets included, in a parse error's excerpt); rule imports stay inside the pack and the
folders given."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLES

GOOD = EXAMPLES / "province-five-year-sedp.yaml"
SECRET = "PLANCHECK_TEST_SECRET_VALUE"
RULE = ('rule R-1\n  title vi "t" en "t"\n  severity warning\n  for each target t\n'
        '  require t.unit != ""\n  message vi "{t.id}" en "{t.id}"\n')


@pytest.fixture(autouse=True)
def secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SECRET, "hunter2-" * 4)
    monkeypatch.delenv("PLANCHECK_FOLLOW_SYMLINKS", raising=False)


def _no_leak(result: tuple[int, str, str]) -> tuple[int, str, str]:
    code, out, err = result
    assert "hunter2" not in out + err and SECRET not in out + err
    assert "Traceback" not in err
    return result


@pytest.mark.parametrize("target", ["/proc/self/environ", "/dev/zero"])
def test_a_plan_linking_to_a_system_file_is_refused_even_when_following(
        cli, tmp_path: Path, target: str) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "x.yaml").symlink_to(target)
    given = plans / "x.yaml"  # a folder given skips them; named, they are refused
    code, _, err = _no_leak(cli("validate", given, "--lang", "en"))
    assert code == 2 and "symbolic link" in err and "--follow-symlinks" in err
    code, _, err = _no_leak(cli("--follow-symlinks", "validate", given, "--lang", "en"))
    assert code == 2 and "not a regular file" in err


def test_a_symlinked_plan_is_read_only_when_asked(cli, tmp_path: Path) -> None:
    real = tmp_path / "real.yaml"
    shutil.copy(GOOD, real)
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    code, _, err = cli("validate", link, "--lang", "en")
    assert code == 2 and f"{link} is a symbolic link" in err
    assert cli("--follow-symlinks", "validate", link)[0] in (0, 1)


def test_a_symlinked_folder_on_a_relative_path_is_refused(cli, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    (tmp_path / "real").mkdir()
    shutil.copy(GOOD, tmp_path / "real" / "plan.yaml")
    (tmp_path / "plans").symlink_to(tmp_path / "real")
    monkeypatch.chdir(tmp_path)
    code, _, err = cli("validate", "plans/plan.yaml", "--lang", "en")
    assert code == 2 and "plans is a symbolic link" in err


def test_a_rule_file_linking_to_the_environment_is_refused(cli, tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "x.rules").symlink_to("/proc/self/environ")
    code, _, err = _no_leak(cli("rules", "check", pack))
    assert code == 2 and "symlink" in err and "--follow-symlinks" in err  # rules check: vi


@pytest.mark.parametrize("written", ["../outside.rules", "{outside}"])
def test_rule_imports_stay_inside_the_pack(cli, tmp_path: Path, written: str) -> None:
    outside = tmp_path / "outside.rules"
    outside.write_text(RULE.replace("R-1", "R-2"), encoding="utf-8")
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "main.rules").write_text(f'import "{written.format(outside=outside)}"\n' + RULE,
                                     encoding="utf-8")
    code, _, err = cli("rules", "check", pack / "main.rules")
    assert code == 2 and "outside.rules'" in err and "import" in err, err  # in Vietnamese
    assert err.startswith(f"{pack / 'main.rules'}:1:")
    # the folder given on the command line may be imported from
    (pack / "sub").mkdir()
    (pack / "sub" / "lib.rules").write_text(RULE.replace("R-1", "R-3"), encoding="utf-8")
    (pack / "main.rules").write_text('import "sub/lib.rules"\n' + RULE, encoding="utf-8")
    code, out, err = cli("rules", "check", pack / "main.rules")
    assert code == 0, err


def test_the_choice_is_kept_in_the_environment_for_worker_processes(
        cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cli("--follow-symlinks", "rules", "check", "--help")
    assert os.environ.get("PLANCHECK_FOLLOW_SYMLINKS") == "1"
    real = tmp_path / "real.yaml"
    shutil.copy(GOOD, real)
    (tmp_path / "link.yaml").symlink_to(real)
    monkeypatch.setenv("PLANCHECK_FOLLOW_SYMLINKS", "1")  # as a worker process inherits it
    from validator.load import load_plan

    assert load_plan(tmp_path / "link.yaml").plan.plan.id
