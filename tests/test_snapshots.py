"""Snapshots: the JSON and SARIF reports (and the refusals) of every example, byte for byte.

A SARIF report's rule metadata (``tool.driver.rules``) is the same for every run of one rule
set, so it is kept once per rule set (``sarif-rules.<rule set>.<lang>.json``) and the rest of each
report beside it; the report is also checked to be exactly its data as the reporter writes
it, so nothing of the bytes goes uncompared.

A change that should not change output (a refactoring, a speed-up) keeps these passing; a
change that means to change output updates them on purpose and shows the difference in its
commit:

    PLANCHECK_UPDATE_SNAPSHOTS=1 pytest tests/test_snapshots.py
"""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner
from conftest import EXAMPLES, ROOT

from validator.cli import main

SNAPSHOTS = ROOT / "tests" / "snapshots"
UPDATE = os.environ.get("PLANCHECK_UPDATE_SNAPSHOTS") == "1"


def _scenarios() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for path in sorted(EXAMPLES.rglob("*")):
        if path.suffix in (".yaml", ".xlsx") and "packs" not in path.parts:
            rel = path.relative_to(ROOT).as_posix()
            out[path.relative_to(EXAMPLES).with_suffix("").as_posix().replace("/", "--")] = [
                rel]
    out["all-good-plans"] = sorted(p.relative_to(ROOT).as_posix()
                                   for p in EXAMPLES.glob("*.yaml"))
    out["flawed-folder-en"] = ["examples/flawed", "--lang", "en"]
    out["lao-cai-pack"] = ["examples/province-five-year-sedp.yaml", "--rules",
                           "examples/packs/lao-cai"]
    return out


SCENARIOS = _scenarios()


def _check(snapshot_name: str, got: str) -> None:
    snapshot = SNAPSHOTS / snapshot_name
    if UPDATE:
        snapshot.parent.mkdir(parents=True, exist_ok=True)
        snapshot.write_text(got, encoding="utf-8")
    assert snapshot.exists(), f"no snapshot {snapshot.name} yet (see this module's docstring)"
    assert got == snapshot.read_text(encoding="utf-8"), (
        f"{snapshot_name} changed; if that is meant, update the snapshots (see this module's "
        "docstring)")


def _option(args: list[str], name: str, default: str) -> str:
    return args[args.index(name) + 1] if name in args else default


def _dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


@pytest.mark.parametrize("fmt", ["json", "sarif"])
@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_report_matches_its_snapshot(name: str, fmt: str, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    args = SCENARIOS[name]
    result = CliRunner().invoke(main, ["validate", *args, "--format", fmt],
                                catch_exceptions=False)
    stdout = result.stdout
    if fmt == "sarif" and result.exit_code != 2:
        data = json.loads(stdout)
        assert _dumps(data) == stdout
        rules = data["runs"][0]["tool"]["driver"].pop("rules")
        rule_set = _option(args, "--rules", "mpi2013").rsplit("/", 1)[-1]
        _check(f"sarif-rules.{rule_set}.{_option(args, '--lang', 'vi')}.json", _dumps(rules))
        stdout = _dumps(data)
    _check(f"{name}.{fmt}.txt",
           f"exit {result.exit_code}\n--- stdout\n{stdout}--- stderr\n{result.stderr}")
