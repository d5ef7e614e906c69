"""Batches are robust: a file over the time or memory limit, or whose worker dies, is an
input error of that file while the others are still checked; Ctrl-C exits 130 with one line."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, small_plan

from validator.core.errors import InputError
from validator.pipeline import batch, workers
from validator.rulelang.cache import load_ruleset


def _batch(folder: Path, names: list[str]) -> list[Path]:
    folder.mkdir()
    paths = []
    for i, name in enumerate(names):
        path = folder / name
        path.write_text(yaml.safe_dump(small_plan(id=f"p{i}"), allow_unicode=True),
                        encoding="utf-8")
        paths.append(path)
    return paths


@pytest.fixture
def hostile(monkeypatch):
    """load_plan as it would behave on hostile files: one hangs, one kills its process, one
    needs more memory than there is; workers are forked, so they run this too."""
    real = batch.load_plan

    def load(path, given=None):
        name = Path(path).name
        if name.startswith("hang"):
            time.sleep(3600)
        if name.startswith("die"):
            os.kill(os.getpid(), signal.SIGKILL)
        if name.startswith("huge"):
            return bytearray(8 * 1024 ** 3)  # over the worker's address space limit
        return real(path, given)

    monkeypatch.setattr(batch, "load_plan", load)
    monkeypatch.setattr(workers, "load_plan", load)
    monkeypatch.setattr(batch, "BYTES_PER_WORKER", 1)
    if "fork" not in __import__("multiprocessing").get_all_start_methods():
        pytest.skip("the workers run the patched loader only when forked")


def _problems(paths, jobs, limits):
    ruleset = load_ruleset()
    with pytest.raises(InputError) as raised:
        batch.check_files(paths, ruleset, (), None, jobs, limits=limits)
    return {Path(p.file).name: p.message.render("en") for p in raised.value.problems}


@pytest.mark.parametrize("jobs", [2, 1])
def test_a_hanging_file_is_stopped_and_the_run_goes_on(hostile, tmp_path, jobs):
    paths = _batch(tmp_path / "b", ["a.yaml", "hang.yaml", "b.yaml", "c.yaml"])
    start = time.monotonic()
    found = _problems(paths, jobs, workers.Limits(timeout=2.0))
    assert time.monotonic() - start < 60
    assert list(found) == ["hang.yaml"]
    assert "longer than the limit of 2 seconds (--timeout)" in found["hang.yaml"]


def test_a_dead_worker_is_an_error_of_its_file(hostile, tmp_path):
    paths = _batch(tmp_path / "b", ["a.yaml", "die.yaml", "b.yaml", "c.yaml", "d.yaml"])
    found = _problems(paths, 2, workers.Limits(timeout=120))
    assert list(found) == ["die.yaml"]
    assert "stopped (killed by signal 9)" in found["die.yaml"]


def test_memory_over_the_limit_is_an_error_of_its_file(hostile, tmp_path):
    paths = _batch(tmp_path / "b", ["a.yaml", "huge.yaml", "b.yaml"])
    found = _problems(paths, 2, workers.Limits(timeout=120, memory_mb=2048))
    assert list(found) == ["huge.yaml"]
    assert "more than the limit of 2,048 MB (--memory-limit)" in found["huge.yaml"]


def test_without_hostile_files_workers_give_every_plan(monkeypatch, tmp_path):
    monkeypatch.setattr(batch, "BYTES_PER_WORKER", 1)
    paths = _batch(tmp_path / "b", [f"{i}.yaml" for i in range(6)])
    ruleset = load_ruleset()
    plans, findings = batch.check_files(paths, ruleset, (), None, 2)
    assert [p.file for p in plans] == [str(p) for p in paths]
    alone, _ = batch.check_files(paths, ruleset, (), None, 2, keep_plans=False)
    assert alone == []
    assert batch.check_files(paths, ruleset, (), None, 2, keep_plans=False)[1] == findings
    assert batch.check_files(paths, ruleset, (), None, 1)[1] == findings


def test_jobs_zero_is_the_cpus_and_small_batches_stay_in_one_process(tmp_path):
    assert batch.workers(0) == workers.available_cpus() >= 1
    paths = _batch(tmp_path / "b", ["a.yaml", "b.yaml"])
    assert batch.workers(8, [str(p) for p in paths]) == 1  # a few KB: not worth a worker
    assert batch.workers(8, [str(p) for p in paths] * 0) == 1


def test_the_cli_defaults_are_the_pools():
    from validator.cli import review

    assert review.DEFAULT_TIMEOUT == workers.DEFAULT_TIMEOUT
    assert review.DEFAULT_MEMORY_MB == workers.DEFAULT_MEMORY_MB


def test_ctrl_c_exits_130_with_one_line(tmp_path):
    folder = tmp_path / "plans"
    sys.path.insert(0, str(ROOT / "bench"))
    from batch import write_batch  # bench/batch.py: commune plans

    write_batch(folder, 400, 24)  # enough that the run is still going when Ctrl-C comes
    env = {**os.environ, "PLANCHECK_CACHE_DIR": str(tmp_path / "cache")}
    command = [sys.executable, "-c", "from validator.cli import main; main()", "validate",
               str(folder), "--jobs", "2", "--lang", "en"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    time.sleep(4)
    os.killpg(process.pid, signal.SIGINT)  # as a terminal sends it: to the whole group
    out, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    assert err.strip() == "plancheck: interrupted" and out == ""
