"""The review desk as a real server (``plancheck serve`` in its own process group): 50
concurrent uploads of good and bad files, a power cut with work queued, a worker killed
mid-check, and PostgreSQL in a throwaway cluster."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

pytest.importorskip("fastapi")

from conftest import EXAMPLES, ROOT  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
import serve as desk_bench  # noqa: E402  bench/serve.py: the server helper and the burst

GOOD = EXAMPLES / "province-five-year-sedp.yaml"
FLAWED = EXAMPLES / "flawed" / "ph04-dir01-sum-mismatch-poverty-rises.yaml"
BROKEN = EXAMPLES / "broken" / "period-wrong-type.yaml"


def wait_all_checked(url: str, expected: int, seconds: float = 120) -> list[dict]:
    import httpx

    deadline = time.monotonic() + seconds
    while True:
        subs = httpx.get(f"{url}/api/submissions", params={"limit": 1000}, timeout=30).json()
        if (len(subs) >= expected
                and all(s["state"] not in ("queued", "running") for s in subs)):
            return subs
        assert time.monotonic() < deadline, [(s["id"], s["state"]) for s in subs]
        time.sleep(0.3)


def test_fifty_concurrent_uploads_all_stored_none_lost_no_500(tmp_path):
    server = desk_bench.Server(tmp_path / "desk", workers=2)
    try:
        out = desk_bench.burst(server, 50, 50)
    finally:
        server.stop()
    assert out["uploads"] == 51 and out["missing"] == []
    assert out["codes"] == {201: 51}
    # the mix: 2 of 6 example files cannot be read, and the Python file is not a plan
    assert out["states"] == {"done": 34, "invalid": 17}
    assert out["peak_rss_mb"] < 1500, out  # the server and two workers, bounded
    blobs = [p for p in (tmp_path / "desk" / "blobs").rglob("*") if p.is_file()]
    assert len(blobs) == 7  # content-addressed: the same file uploaded again is kept once


def test_a_restart_keeps_everything_and_resumes_queued_work(tmp_path):
    data = tmp_path / "desk"
    server = desk_bench.Server(data, workers=1)
    try:
        answers = [desk_bench.upload(server.url, path, f"{i}-{path.name}", wait=False)
                   for i, path in enumerate([GOOD, FLAWED, BROKEN] * 2)]
        assert all(code == 201 for code, _, _ in answers)
        first = desk_bench.upload(server.url, FLAWED, "checked-first.yaml", wait=True)[2]
        assert first["state"] == "done"
        import httpx

        for path, body in ((f"/api/submissions/{first['id']}/accept",
                            {"rule": "DIR-01", "entity": "O1.T5", "reason": "sáp nhập xã"}),
                           (f"/api/submissions/{first['id']}/status",
                            {"status": "returned", "remark": "bổ sung số liệu"})):
            assert httpx.post(server.url + path, json=body, timeout=30).status_code == 200
        server.kill()  # a power cut: no shutdown, work still queued
    finally:
        server.stop()
    again = desk_bench.Server(data, workers=1, port=server.port)
    try:
        subs = wait_all_checked(again.url, 7)
    finally:
        again.stop()
    assert len(subs) == 7
    assert sorted(s["filename"] for s in subs) == sorted(
        [f"{i}-{p.name}" for i, p in enumerate([GOOD, FLAWED, BROKEN] * 2)]
        + ["checked-first.yaml"])
    by_name = {s["filename"]: s for s in subs}
    kept = by_name["checked-first.yaml"]
    assert kept["status"] == "returned"  # the reviewer's work survives the power cut
    assert [f["rule"] for f in kept["waived"]] == ["DIR-01"]  # re-checked with the waiver
    assert kept["findings"] == [f for f in first["findings"] if f["rule"] != "DIR-01"]
    assert all(s["state"] == ("invalid" if "period-wrong" in s["filename"] else "done")
               for s in subs)
    flawed = sorted((s for s in subs if s["plan_id"] == "cb-sedp-2026-2030"),
                    key=lambda s: s["id"])
    assert [s["version"] for s in flawed] == [1, 2, 3]


def test_a_worker_killed_mid_check_loses_no_submission(tmp_path):
    server = desk_bench.Server(tmp_path / "desk", workers=2)
    try:
        for i in range(8):
            code, _, _ = desk_bench.upload(server.url, GOOD, f"{i}.yaml", wait=False)
            assert code == 201
        killed = 0
        deadline = time.monotonic() + 60
        while not killed and time.monotonic() < deadline:
            for pid in desk_bench._children(server.process.pid):
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
                if b"spawn_main" in cmdline:
                    os.kill(pid, signal.SIGKILL)  # a worker this test's server started
                    killed += 1
                    break
            time.sleep(0.1)
        assert killed
        subs = wait_all_checked(server.url, 8)
    finally:
        server.stop()
    assert len(subs) == 8 and {s["state"] for s in subs} == {"done"}


def _postgres_bin() -> Path | None:
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    found = shutil.which("initdb")
    return Path(found).resolve().parent if found else None


@pytest.fixture
def postgres():
    """A throwaway PostgreSQL cluster in a temporary folder, on a free port."""
    folder = _postgres_bin()
    if folder is None:
        pytest.skip("PostgreSQL's initdb and pg_ctl are missing; .ci/run installs Debian's "
                    "postgresql")
    base = Path(tempfile.mkdtemp(prefix="desk-pg-"))  # outside pytest's folder: see below
    cluster, port = base / "pg", desk_bench.free_port()
    user = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root: the nobody user runs it
        shutil.chown(base, "nobody")
        user = ["runuser", "-u", "nobody", "--"]

    def run(*args: str) -> None:
        done = subprocess.run([*user, *args], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr + done.stdout

    try:
        run(str(folder / "initdb"), "-D", str(cluster), "-U", "desk", "--auth=trust",
            "-E", "UTF8", "--locale=C")
        run(str(folder / "pg_ctl"), "-D", str(cluster), "-w", "-l", str(base / "pg.log"),
            "-o", f"-p {port} -k {base} -h 127.0.0.1", "start")
        run(str(folder / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "desk",
            "plancheck")
        yield f"postgresql://desk@127.0.0.1:{port}/plancheck"
    finally:
        subprocess.run([*user, str(folder / "pg_ctl"), "-D", str(cluster), "-m", "fast",
                        "-w", "stop"], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def test_the_desk_on_postgresql(tmp_path, postgres):
    data = tmp_path / "data"
    server = desk_bench.Server(data, workers=1, db=postgres)
    try:
        code, _, body = desk_bench.upload(server.url, FLAWED, "flawed.yaml")
        assert code == 201 and body["state"] == "done" and body["counts"]["error"] == 2
        import httpx

        assert httpx.get(f"{server.url}/healthz").json()["database"] == "postgresql"
    finally:
        server.stop()
    assert not (data / "desk.sqlite3").exists()
    again = desk_bench.Server(data, workers=1, db=postgres)  # migrations run again: no-op
    try:
        import httpx

        versions = httpx.get(f"{again.url}/api/plans/cb-sedp-2026-2030/versions").json()
        assert [v["findings"] for v in versions] == [body["findings"]]
    finally:
        again.stop()
