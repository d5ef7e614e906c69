"""A batch's workers are sent their next file before they answer the last, so they do not
idle while the parent takes in findings; a worker replaced (a file over the time limit)
gives the files it had been sent back to the others."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
import yaml
from conftest import small_plan

from validator.pipeline import workers
from validator.rulelang.cache import load_ruleset


def _files(folder: Path, names: list[str]) -> list[str]:
    for i, name in enumerate(names):
        (folder / name).write_text(yaml.safe_dump(small_plan(id=f"p{i}")), encoding="utf-8")
    return [str(folder / name) for name in names]


def _pool(count: int, timeout: float | None = 60) -> workers.Pool:
    return workers.Pool(count, load_ruleset(), (), None, workers.Limits(timeout, None))


def test_a_worker_has_its_next_file_before_it_answers(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    files = _files(tmp_path, [f"p{i}.yaml" for i in range(6)])
    pool = _pool(1)
    in_flight: list[int] = []
    worker = pool.workers[0]
    send = worker.conn.send

    def counted(message: tuple) -> None:
        send(message)
        if message[0] == "file":
            in_flight.append(len(worker.sent))
    monkeypatch.setattr(worker.conn, "send", counted)
    answered: dict[str, tuple] = {}
    try:
        pool.run(files, answered.__setitem__)
    finally:
        pool.close()
    assert sorted(answered) == sorted(files)
    assert all(outcome[0] is not None and not outcome[2] for outcome in answered.values())
    assert max(in_flight) == workers.IN_FLIGHT == 2


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the patched loader runs in forked workers")
def test_the_files_sent_to_a_stopped_worker_are_checked_by_another(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = workers.load_plan

    def load(path, given=None):
        if Path(path).name.startswith("hang"):
            time.sleep(3600)
        return real(path, given)
    monkeypatch.setattr(workers, "load_plan", load)
    files = _files(tmp_path, ["hang.yaml", "a.yaml", "b.yaml", "c.yaml"])
    pool = _pool(1, timeout=3)
    answered: dict[str, tuple] = {}
    try:
        pool.run(files, answered.__setitem__)
    finally:
        pool.close()
    assert sorted(answered) == sorted(files)
    assert answered[files[0]][2] and answered[files[0]][0] is None  # over the limit
    assert all(answered[f][0] is not None and not answered[f][2] for f in files[1:])
