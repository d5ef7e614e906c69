"""Packaging and docs: the wheel carries the data folders; the built-ins are documented."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest
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
    assert "validator/desk/templates/submission.html" in names  # plancheck serve's pages
    assert "validator/desk/migrations/versions/0001_initial.py" in names


def test_the_dev_extra_holds_the_serve_extra():
    import tomllib

    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"]
    assert set(extras["serve"]) <= set(extras["dev"])


def test_every_builtin_is_documented():
    doc = (ROOT / "docs" / "rule-language.md").read_text(encoding="utf-8")
    missing = [b.signature for b in BUILTINS.values() if f"`{b.signature}`" not in doc]
    assert not missing, f"document these built-ins in docs/rule-language.md: {missing}"


def test_the_import_contracts_hold():
    # pyproject.toml's [tool.importlinter]: each stage imports only the stages below it, and
    # no two modules of a package import each other, even from inside a function
    command = "from importlinter.cli import lint_imports_command; lint_imports_command()"
    done = subprocess.run([sys.executable, "-c", command], cwd=ROOT, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout


def test_cli_formats_match_the_reporters():
    from validator.cli.options import FORMATS
    from validator.report import REPORTERS

    assert sorted(FORMATS) == sorted(REPORTERS)


def _requirements() -> list[str]:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    return [*project["dependencies"], *extras["dev"], *extras["bench"]]


def test_the_ci_lock_pins_every_dependency_within_pyproject():
    # CI installs from .ci/constraints.txt: a dependency added to pyproject.toml without
    # regenerating the lock would install unpinned, one outside its range would not install
    from packaging.requirements import Requirement

    sys.path.insert(0, str(ROOT / "tools"))
    from check_newest import LOCK, pins

    locked = pins(LOCK.read_text(encoding="utf-8").splitlines())
    wrong = []
    for line in _requirements():
        requirement = Requirement(line)
        name = requirement.name.replace("_", "-").lower()
        version = locked.get(name)
        if version is None or not requirement.specifier.contains(version, prereleases=True):
            wrong.append(f"{requirement} (locked: {version or 'not locked'})")
    assert not wrong, f"regenerate .ci/constraints.txt (README, Development): {wrong}"


def test_check_newest_reports_drift_against_the_lock():
    sys.path.insert(0, str(ROOT / "tools"))
    from check_newest import drift, pins

    locked = pins(["PyYAML==6.0.3", "click==8.1.0", "# via x", "rich==13.0"])
    assert locked == {"pyyaml": "6.0.3", "click": "8.1.0", "rich": "13.0"}
    installed = pins(["pyyaml==6.0.4", "click==8.1.0", "new_pkg==1.0", "plancheck==0.1.0"])
    assert drift(locked, installed) == ["  new-pkg: not locked -> 1.0",
                                        "  pyyaml: 6.0.3 -> 6.0.4",
                                        "  rich: 13.0 -> not installed"]


@pytest.mark.newest
def test_the_suite_passes_on_the_newest_allowed_releases():
    # deselected by default (pyproject's addopts); run with: pytest -m newest
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "check_newest.py"), "-q", "-x"],
                          capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
