"""The same inputs give byte-identical JSON and SARIF reports: across runs, in one process
and in fresh ones, under different hash seeds and with worker processes."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from click.testing import CliRunner
from conftest import EXAMPLES, ROOT

from validator.cli import main
from validator.formats.write import write_plan
from validator.load import load_plan

# renders both reports in one fresh process (a process per format would double the cost)
SCRIPT = """
import sys
from click.testing import CliRunner
from validator.cli import main
for fmt in ("json", "sarif"):
    result = CliRunner().invoke(main, ["validate", *sys.argv[1:], "--format", fmt])
    sys.stdout.write(f"== {fmt} exit {result.exit_code}\\n" + result.stdout)
"""


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """Flawed plans in YAML, Turtle and JSON-LD, and a generated 300-target plan."""
    folder = tmp_path_factory.mktemp("determinism")
    flawed = sorted((EXAMPLES / "flawed").glob("*.yaml"))
    for fmt in ("ttl", "jsonld"):
        plan = load_plan(flawed[0]).plan
        plan.plan.id += f"-{fmt}"  # plan ids are unique in a run
        (folder / f"{flawed[0].stem}.{fmt}").write_text(write_plan(plan, fmt), encoding="utf-8")
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from generate import write
    finally:
        sys.path.remove(str(ROOT / "bench"))
    write(300, folder / "generated-300.yaml")
    return [str(EXAMPLES / "flawed"), str(folder)]


def _fresh(inputs: list[str], seeds: tuple[str, ...]) -> dict[str, bytes]:
    """The reports of fresh processes (run side by side), by hash seed."""
    running = {seed: subprocess.Popen([sys.executable, "-c", SCRIPT, *inputs], cwd=ROOT,
                                      env={**os.environ, "PYTHONHASHSEED": seed},
                                      stdout=subprocess.PIPE) for seed in seeds}
    return {seed: process.communicate()[0] for seed, process in running.items()}


def test_json_and_sarif_are_byte_identical_across_hash_seeds(inputs: list[str]) -> None:
    outputs = _fresh(inputs, ("0", "1", "4242"))
    assert len(set(outputs.values())) == 1
    text = outputs["0"].decode("utf-8")
    assert "== json exit 1" in text and "== sarif exit 1" in text
    assert '"findings"' in text and '"$schema"' in text and "generated-300" in text


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_repeated_runs_in_one_process_are_byte_identical(inputs: list[str], fmt: str) -> None:
    runs = {CliRunner().invoke(main, ["validate", *inputs, "--format", fmt]).stdout
            for _ in range(2)}
    assert len(runs) == 1 and len(next(iter(runs))) > 1000


def test_worker_processes_give_the_same_report(inputs: list[str]) -> None:
    single = CliRunner().invoke(main, ["validate", *inputs, "--format", "json"])
    parallel = CliRunner().invoke(main, ["validate", *inputs, "--format", "json", "-j", "2"])
    assert single.exit_code == parallel.exit_code == 1
    assert single.stdout == parallel.stdout


CONVERT = """
import sys
from validator.formats.write import write_plan
from validator.load import load_plan
for fmt in ("ttl", "jsonld"):
    sys.stdout.write(write_plan(load_plan(sys.argv[1]).plan, fmt))
"""


def test_turtle_and_json_ld_are_byte_identical_across_hash_seeds() -> None:
    # rdflib writes a JSON-LD graph's nodes in a set's order: they changed with the seed
    plan = str(EXAMPLES / "province-five-year-sedp.yaml")
    outputs = {subprocess.run([sys.executable, "-c", CONVERT, plan], cwd=ROOT, check=True,
                              env={**os.environ, "PYTHONHASHSEED": seed},
                              capture_output=True).stdout for seed in ("0", "1", "4242")}
    assert len(outputs) == 1 and b'"@graph"' in outputs.pop()
