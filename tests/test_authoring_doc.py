"""docs/authoring.md is run as written: each ```` ```LANG file=PATH ```` block is written to a
scratch folder, each ```` ```console [exit=N] ```` block runs its ``$ plancheck ...`` commands
there and must print the lines shown (``...`` stands for anything), in order. The pack the
tutorial builds is the sample pack of examples/packs/lao-cai, file for file."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT

DOC = ROOT / "docs" / "authoring.md"
SAMPLE = ROOT / "examples" / "packs" / "lao-cai"
FENCE = re.compile(r"^```(\S*)([^\n]*)\n(.*?)^```$", re.M | re.S)


def blocks() -> list[tuple[str, dict[str, str], str, int]]:
    """(language, marker options, body, line) of each fenced block of the tutorial."""
    text = DOC.read_text(encoding="utf-8")
    out = []
    for match in FENCE.finditer(text):
        options = dict(re.findall(r"(\w+)=(\S+)", match.group(2)))
        out.append((match.group(1), options, match.group(3),
                    text.count("\n", 0, match.start()) + 1))
    return out


def _pattern(expected: str) -> re.Pattern[str]:
    parts = [re.escape(" ".join(p.split())) for p in expected.split("...")]
    return re.compile(".*".join(parts))


def _check_output(expected: list[str], actual: str, where: str) -> None:
    lines = [" ".join(line.split()) for line in actual.splitlines()]
    position = 0
    for want in expected:
        if want.strip() in ("", "..."):
            continue
        pattern = _pattern(want.strip())
        for index in range(position, len(lines)):
            if pattern.search(lines[index]):
                position = index + 1
                break
        else:
            raise AssertionError(f"{where}: {want.strip()!r} not found in order in:\n{actual}")


def _run(body: str, exit_code: int, line: int) -> None:
    from validator.cli import main

    commands: list[tuple[str, list[str]]] = []
    for text in body.splitlines():
        if text.startswith("$ "):
            commands.append((text[2:], []))
        else:
            assert commands, f"authoring.md:{line}: output before any command"
            commands[-1][1].append(text)
    for command, expected in commands:
        words = shlex.split(command)
        assert words[0] == "plancheck", f"authoring.md:{line}: only plancheck commands run"
        result = CliRunner().invoke(main, words[1:], catch_exceptions=False)
        where = f"authoring.md:{line}: {command}"
        assert result.exit_code == exit_code, f"{where}: exit {result.exit_code}\n{result.output}"
        _check_output(expected, result.output, where)


def test_every_block_is_marked_to_run():
    found = blocks()
    assert len(found) >= 15
    for lang, options, _, line in found:
        assert "file" in options or lang == "console", (
            f"authoring.md:{line}: mark the block with file=PATH or make it a console block")


def test_the_tutorial_runs_and_builds_the_sample_pack(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for _lang, options, body, line in blocks():
        if "file" in options:
            path = tmp_path / options["file"]
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(body, encoding="utf-8")
        else:
            _run(body, int(options.get("exit", 0)), line)
    built = {str(p.relative_to(tmp_path / "lao-cai")): p.read_text(encoding="utf-8")
             for p in sorted((tmp_path / "lao-cai").rglob("*")) if p.is_file()}
    sample = {str(p.relative_to(SAMPLE)): p.read_text(encoding="utf-8")
              for p in sorted(SAMPLE.rglob("*")) if p.is_file()}
    assert built == sample, "the tutorial and examples/packs/lao-cai must give the same pack"


def test_the_tutorial_covers_every_command_of_the_issue():
    commands = " ".join(body for lang, _, body, _ in blocks() if lang == "console")
    for needed in ("rules new", "rules test", "rules list", "rules lint", "explain",
                   "--min-coverage", "validate"):
        assert needed in commands, needed


@pytest.mark.parametrize("expected, actual, ok", [
    (["a ... c"], "a b c", True), (["x"], "a\nb", False), (["b", "a"], "a\nb", False),
    (["...", "b   c"], "a\nb c", True)])
def test_the_output_matcher(expected, actual, ok):
    if ok:
        _check_output(expected, actual, "t")
    else:
        with pytest.raises(AssertionError):
            _check_output(expected, actual, "t")


def test_the_sample_pack_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/authoring.md" in readme
    assert Path(ROOT / "docs" / "rule-language.md").read_text(encoding="utf-8").count(
        "pack.yaml") >= 1
