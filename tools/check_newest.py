"""Run the test suite on the newest releases that pyproject.toml allows, to see drift early.

CI installs from the lock (``.ci/constraints.txt``), so a new release of a dependency cannot
break a landing; this script installs the same project without the lock, in a fresh
virtualenv, says which packages resolved to a release other than the locked one, and runs
pytest there. Its exit code is pytest's (0: the newest releases pass).

    python tools/check_newest.py            # the whole suite
    python tools/check_newest.py -x tests/test_loader.py   # pytest's own arguments
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / ".ci" / "constraints.txt"
_PIN = re.compile(r"^([A-Za-z0-9_.-]+)==([^\s;]+)")


def pins(lines: list[str]) -> dict[str, str]:
    """Package name (normalised) to version, from ``name==version`` lines."""
    out: dict[str, str] = {}
    for line in lines:
        match = _PIN.match(line.strip())
        if match:
            out[re.sub(r"[-_.]+", "-", match[1]).lower()] = match[2]
    return out


def drift(locked: dict[str, str], installed: dict[str, str]) -> list[str]:
    """One line per package whose installed release is not the locked one."""
    lines = []
    for name in sorted(locked.keys() | installed.keys()):
        old, new = locked.get(name), installed.get(name)
        if old != new and name != "plancheck":
            lines.append(f"  {name}: {old or 'not locked'} -> {new or 'not installed'}")
    return lines


def main(argv: list[str]) -> int:
    env = {k: v for k, v in os.environ.items() if k not in ("PIP_CONSTRAINT", "VIRTUAL_ENV")}
    with tempfile.TemporaryDirectory(prefix="plancheck-newest-") as folder:
        venv.create(folder, with_pip=True)
        python = str(Path(folder) / "bin" / "python")
        pip = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        subprocess.run([*pip, "--upgrade", "pip"], check=True, env=env)
        subprocess.run([*pip, "--upgrade", "--upgrade-strategy", "eager", "-e",
                        f"{ROOT}[dev,bench]"], check=True, env=env)
        frozen = subprocess.run([python, "-m", "pip", "freeze"], check=True, env=env,
                                capture_output=True, text=True).stdout.splitlines()
        changed = drift(pins(LOCK.read_text(encoding="utf-8").splitlines()), pins(frozen))
        print("newest releases against the lock:", *(changed or ["  none differ"]), sep="\n")
        tests = subprocess.run([python, "-m", "pytest", *(argv or ["-q"])], cwd=ROOT, env=env)
        verdict = "pass" if tests.returncode == 0 else "FAIL"
        print(f"the suite on the newest releases: {verdict} (exit {tests.returncode})")
        return tests.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
