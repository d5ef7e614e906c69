"""Packaging and docs: the wheel carries the data folders; the built-ins are documented."""

from __future__ import annotations

import subprocess
import sys
import zipfile

from conftest import ROOT

from validator.rulelang.builtins import BUILTINS


def test_wheel_carries_grammar_rules_and_ontology(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps",
                    "--no-build-isolation", "-q", "-w", str(tmp_path)], check=True,
                   capture_output=True)
    wheel = next(tmp_path.glob("plancheck-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "validator/_data/grammar/rules.lark" in names
    assert "validator/_data/ontology/codes.ttl" in names
    assert "validator/_data/ontology/catalogue.ttl" in names
    assert "validator/_data/rules/mpi2013/phasing.rules" in names
    assert "validator/_data/rules/mpi2013/cases/PH-04.yaml" in names


def test_every_builtin_is_documented():
    doc = (ROOT / "docs" / "rule-language.md").read_text(encoding="utf-8")
    missing = [b.signature for b in BUILTINS.values() if f"`{b.signature}`" not in doc]
    assert not missing, f"document these built-ins in docs/rule-language.md: {missing}"


def test_cli_formats_match_the_reporters():
    from validator.cli import FORMATS
    from validator.report import REPORTERS

    assert sorted(FORMATS) == sorted(REPORTERS)
