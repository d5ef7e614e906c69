"""Outputs never destroy inputs, and are written whole or not at all: an output path that is
an input (by name, through a symlink, as a hard link, or read from an input folder) is
refused before anything runs; a failed write is a located error with exit code 2 and leaves
the previous file as it was."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import EXAMPLES, small_plan

from validator.core.errors import InputError
from validator.core.output import write_file
from validator.formats.xlsx import write_xlsx
from validator.load import load_plan

FLAWED = EXAMPLES / "flawed" / "ph04-dir01-sum-mismatch-poverty-rises.yaml"


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(small_plan(), allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def book(tmp_path: Path) -> Path:
    path = tmp_path / "book.xlsx"
    path.write_bytes(write_xlsx(load_plan(FLAWED).plan, "vi"))
    return path


def _refused(result: tuple[int, str, str], *words: str) -> None:
    code, _, err = result
    assert code == 2, err
    assert "Traceback" not in err
    for word in words:
        assert word in err


@pytest.mark.parametrize("option", ["-o", "--write-baseline"])
def test_validate_refuses_to_write_over_its_plan(cli, plan: Path, option: str) -> None:
    before = plan.read_bytes()
    _refused(cli("validate", plan, option, plan), option, str(plan))
    assert plan.read_bytes() == before


def test_annotate_refuses_to_write_over_the_submitted_workbook(cli, book: Path) -> None:
    before = book.read_bytes()
    _refused(cli("validate", book, "--annotate", book), "--annotate")
    assert book.read_bytes() == before


def test_an_output_reaching_an_input_through_a_symlink_or_hard_link_is_refused(
        cli, plan: Path, tmp_path: Path) -> None:
    before = plan.read_bytes()
    (tmp_path / "report.txt").symlink_to(plan)
    os.link(plan, tmp_path / "hard.txt")
    _refused(cli("validate", plan, "-o", tmp_path / "report.txt"), "-o")
    _refused(cli("validate", plan, "-o", tmp_path / "hard.txt"), "-o")
    linked = tmp_path / "linked.yaml"
    linked.symlink_to(plan)  # the input is read from plan.yaml: that path is refused too
    _refused(cli("validate", linked, "-o", plan), "-o")
    assert plan.read_bytes() == before


def test_outputs_over_files_of_an_input_folder_the_config_or_rules_are_refused(
        cli, plan: Path, tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    inside = folder / "other.yaml"
    inside.write_bytes(plan.read_bytes())
    _refused(cli("validate", folder, "-o", inside), "-o", str(folder))
    rules = tmp_path / "my.rules"
    rules.write_text("", encoding="utf-8")
    _refused(cli("validate", plan, "--rules", rules, "-o", rules), "-o")
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text("[]\n", encoding="utf-8")
    _refused(cli("validate", plan, "--waivers", waivers, "--write-baseline", waivers))
    assert inside.read_bytes() == plan.read_bytes() and rules.read_text() == ""
    # a new file in the folder destroys nothing
    code, _, err = cli("validate", folder, "-o", folder / "report.txt")
    assert code in (0, 1), err


def test_two_outputs_naming_the_same_file_are_refused(cli, plan: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    _refused(cli("validate", plan, "-o", out, "--write-baseline", out),
             "--write-baseline", "-o")
    assert not out.exists()


def test_a_baseline_may_be_rewritten_in_place(cli, plan: Path, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    assert cli("validate", plan, "--write-baseline", baseline)[0] in (0, 1)
    code, _, err = cli("validate", plan, "--baseline", baseline, "--write-baseline", baseline)
    assert code in (0, 1), err


@pytest.mark.parametrize("fmt", ["json", "xlsx"])
def test_convert_refuses_to_write_over_its_input(cli, plan: Path, fmt: str) -> None:
    before = plan.read_bytes()
    _refused(cli("convert", plan, "--to", fmt, "-o", plan), "-o")
    assert plan.read_bytes() == before


def test_report_refuses_to_write_over_its_input(cli, book: Path) -> None:
    before = book.read_bytes()
    _refused(cli("report", book, "--form", "five_year", "-o", book), "-o")
    assert book.read_bytes() == before


@pytest.mark.parametrize("command", [
    ("validate", "{plan}", "-o", "{out}"),
    ("validate", "{plan}", "--write-baseline", "{out}"),
    ("validate", "{book}", "--annotate", "{out}"),
    ("convert", "{plan}", "--to", "json", "-o", "{out}"),
    ("convert", "{plan}", "--to", "xlsx", "-o", "{out}"),
    ("template", "--kind", "annual_sedp", "-o", "{out}"),
    ("report", "{plan}", "--form", "five_year", "-o", "{out}"),
])
def test_writing_into_a_missing_folder_is_a_located_error(cli, plan: Path, book: Path,
                                                          tmp_path: Path, command) -> None:
    out = tmp_path / "no" / "such" / ("out.md" if command[0] == "report" else "out.xlsx")
    args = [a.format(plan=plan, book=book, out=out) for a in command] + ["--lang", "en"]
    _refused(cli(*args), str(out), "does not exist")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_a_full_disk_is_a_located_error(cli, plan: Path) -> None:
    _refused(cli("validate", plan, "-o", "/dev/full"), "/dev/full")
    _refused(cli("convert", plan, "--to", "xlsx", "-o", "/dev/full"), "/dev/full")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_a_full_standard_output_is_a_located_error(plan: Path) -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "validator", "validate", str(plan),
                               "--lang", "en"], stdout=full, stderr=subprocess.PIPE,
                              text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
    assert "<stdout>" in done.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_is_a_located_error(cli, plan: Path, tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        _refused(cli("validate", plan, "-o", folder / "r.txt"), str(folder / "r.txt"))
    finally:
        folder.chmod(0o700)


def test_a_failed_write_leaves_the_previous_file_whole(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "report.json"
    out.write_text("previous report", encoding="utf-8")

    def killed(*args: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "replace", killed)
    with pytest.raises(InputError) as caught:
        write_file(out, "new report " * 10_000)
    assert str(out) in str(caught.value) and "Input/output error" in str(caught.value)
    assert out.read_text(encoding="utf-8") == "previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]  # no temp file left


def test_writes_replace_a_planted_symlink_instead_of_following_it(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    planted = tmp_path / "index.md"
    planted.symlink_to(victim)
    write_file(planted, "the page")
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert not planted.is_symlink() and planted.read_text(encoding="utf-8") == "the page"


def test_rules_doc_does_not_follow_symlinks_planted_in_its_folder(cli, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    out = tmp_path / "docs"
    out.mkdir()
    (out / "index.md").symlink_to(victim)
    code, _, err = cli("rules", "doc", "--out", out, "--format", "md")
    assert code == 0, err
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert not (out / "index.md").is_symlink()


def test_a_written_file_keeps_the_mode_of_the_one_it_replaces(tmp_path: Path) -> None:
    out = tmp_path / "report.txt"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o640)
    write_file(out, "new")
    assert out.read_text(encoding="utf-8") == "new" and (out.stat().st_mode & 0o777) == 0o640
