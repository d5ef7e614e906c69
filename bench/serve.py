"""Benchmark: the review desk under a burst of concurrent uploads, as on the last day of a
submission season.

    python bench/serve.py [--uploads 50] [--concurrency 50] [--workers 2] [--json]

Starts ``plancheck serve`` on a free port with a fresh data folder, sends --uploads plan
files at once from --concurrency threads (a mix of good and flawed YAML plans, a workbook,
files that cannot be read and one that is not a plan at all), each waiting for its check
(``POST /api/submissions``), and prints the throughput, the latency percentiles, the
answers' status codes and the checks' states, and the peak memory of the desk's processes
(the server and its workers). Exits 1 when an upload was answered with a 5xx, or a
submission is missing or unchecked at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
MIX = [EXAMPLES / "province-five-year-sedp.yaml",
       EXAMPLES / "flawed" / "ph04-dir01-sum-mismatch-poverty-rises.yaml",
       EXAMPLES / "xlsx" / "province-five-year-manual-layout.xlsx",
       EXAMPLES / "broken" / "period-wrong-type.yaml",
       EXAMPLES / "flawed" / "smart-s-vague-indicator.yaml",
       EXAMPLES / "broken" / "yaml-syntax-error.yaml"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``plancheck serve`` in a process group of its own (its workers are its children)."""

    def __init__(self, data: Path, workers: int = 2, port: int | None = None,
                 db: str | None = None) -> None:
        self.data, self.port = data, port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        args = [sys.executable, "-m", "validator", "serve", "--port", str(self.port),
                "--data", str(data), "--workers", str(workers)]
        if db:
            args += ["--db", db]
        self.process = subprocess.Popen(args, start_new_session=True,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"the desk did not start: {self.process.stderr.read()}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the desk did not answer within 60 s")
            time.sleep(0.2)

    def rss_mb(self) -> float:
        """The resident memory of the server and its worker processes, in MB."""
        total = 0
        for pid in [self.process.pid, *_children(self.process.pid)]:
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            except OSError:
                continue
        return total / 1024

    def kill(self) -> None:
        """Stop the desk at once, as a power cut would (SIGKILL to its process group)."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                out += [int(child), *_children(int(child))]
    except OSError:
        pass
    return out


def upload(url: str, path: Path, name: str, wait: bool = True) -> tuple[int, float, dict]:
    start = time.monotonic()
    with httpx.Client(timeout=300) as client:
        r = client.post(f"{url}/api/submissions", params={"wait": str(wait).lower()},
                        files={"file": (name, path.read_bytes())})
    body = r.json() if r.headers.get("content-type", "").startswith("application/json") else {}
    return r.status_code, time.monotonic() - start, body


def burst(server: Server, uploads: int, concurrency: int) -> dict:
    """Send the uploads at once; the numbers a reader of the bench wants."""
    files = [(MIX[i % len(MIX)], f"{i:03d}-{MIX[i % len(MIX)].name}") for i in range(uploads)]
    files.append((Path(__file__), "not-a-plan.py")) if uploads > len(MIX) else None
    peak = [server.rss_mb()]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.2):
            peak.append(server.rss_mb())

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    start = time.monotonic()
    with ThreadPoolExecutor(concurrency) as pool:
        answers = list(pool.map(lambda f: upload(server.url, f[0], f[1]), files))
    elapsed = time.monotonic() - start
    done.set()
    sampler.join()
    latencies = sorted(a[1] for a in answers)
    stored = httpx.get(f"{server.url}/api/submissions", params={"limit": 1000},
                       timeout=60).json()
    names = {s["filename"] for s in stored}
    return {
        "uploads": len(files), "concurrency": concurrency, "seconds": round(elapsed, 2),
        "per_second": round(len(files) / elapsed, 2),
        "p50": round(statistics.median(latencies), 3),
        "p90": round(latencies[int(0.9 * (len(latencies) - 1))], 3),
        "p99": round(latencies[int(0.99 * (len(latencies) - 1))], 3),
        "max": round(latencies[-1], 3),
        "codes": dict(Counter(a[0] for a in answers)),
        "states": dict(Counter(s["state"] for s in stored)),
        "missing": sorted(n for _, n in files if n not in names),
        "peak_rss_mb": round(max(peak), 1),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uploads", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        server = Server(Path(folder) / "desk", args.workers)
        try:
            out = burst(server, args.uploads, args.concurrency)
        finally:
            server.stop()
    if args.json:
        print(json.dumps(out))
    else:
        print(f"{out['uploads']} uploads from {out['concurrency']} clients in "
              f"{out['seconds']} s: {out['per_second']} uploads/s")
        print(f"latency (upload and check) p50 {out['p50']} s, p90 {out['p90']} s, "
              f"p99 {out['p99']} s, max {out['max']} s")
        print(f"answers {out['codes']}; checks {out['states']}; missing {len(out['missing'])}; "
              f"peak memory of the desk {out['peak_rss_mb']} MB")
    unchecked = sum(n for s, n in out["states"].items() if s in ("queued", "running"))
    bad = any(code >= 500 for code in out["codes"]) or out["missing"] or unchecked
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
