"""Project configuration: ``plancheck.toml``, or ``[tool.plancheck]`` in ``pyproject.toml``,
found by walking up from the files being validated. Command-line flags win over it.

    [tool.plancheck]
    rules = ["rules/mpi2013", "rules/province"]   # paths relative to the config file
    lang = "en"
    fail-on = "error"

    [tool.plancheck.params]
    growth_max = 12
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from validator.errors import InputError, Problem

KEYS = {"rules", "lang", "fail-on", "params"}
LANGS = ("vi", "en")
FAIL_ON = ("error", "warning", "info", "never")


@dataclass
class Config:
    """The settings read from a configuration file (all optional)."""

    path: Path | None = None
    rules: list[str] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)
    lang: str | None = None
    fail_on: str | None = None


def find_config(start: Path) -> Path | None:
    """The nearest plancheck.toml, or pyproject.toml with [tool.plancheck], at or above
    ``start``."""
    folder = start.resolve()
    if not folder.is_dir():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        own = candidate / "plancheck.toml"
        if own.is_file():
            return own
        project = candidate / "pyproject.toml"
        if project.is_file() and re.search(r"^\[tool\.plancheck[\].]",
                                           project.read_text(encoding="utf-8",
                                                             errors="replace"), re.M):
            return project
    return None


def _table(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"at line (\d+), column (\d+)", str(exc))
        line, column = (int(found.group(1)), int(found.group(2))) if found else (None, None)
        raise InputError([Problem(str(path), f"invalid TOML: {exc}", line=line,
                                  column=column)]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError.single(str(path), f"cannot read the configuration: {exc}") from None
    if path.name == "pyproject.toml":
        return data.get("tool", {}).get("plancheck", {})
    return data


def load_config(path: Path) -> Config:
    """Read and check one configuration file."""
    table = _table(path)
    prefix = "tool.plancheck." if path.name == "pyproject.toml" else ""
    problems = []

    def bad(key: str, message: str) -> None:
        problems.append(Problem(str(path), f"{prefix}{key}: {message}"))

    import difflib

    for key in table:
        if key not in KEYS:
            close = difflib.get_close_matches(key, sorted(KEYS), n=1)
            bad(key, "unknown setting" + (f"; did you mean {close[0]!r}?" if close else
                                          f"; expected one of {', '.join(sorted(KEYS))}"))
    config = Config(path)
    rules = table.get("rules", [])
    if isinstance(rules, str):
        rules = [rules]
    if not isinstance(rules, list) or not all(isinstance(r, str) for r in rules):
        bad("rules", "expected a list of rule files, folders or pack names")
    else:
        config.rules = [str(path.parent / r) if (path.parent / r).exists() else r
                        for r in rules]
    params = table.get("params", {})
    if not isinstance(params, dict):
        bad("params", "expected a table of parameter values")
    else:
        config.params = dict(params)
    for key, allowed in (("lang", LANGS), ("fail-on", FAIL_ON)):
        value = table.get(key)
        if value is not None and value not in allowed:
            bad(key, f"expected one of {', '.join(allowed)}, got {value!r}")
    config.lang = table.get("lang")
    config.fail_on = table.get("fail-on")
    if problems:
        raise InputError(problems)
    return config


def config_for(inputs: tuple[str, ...] | list[str]) -> Config:
    """The configuration that applies to ``inputs`` (none found: defaults)."""
    start = Path(inputs[0]) if inputs else Path.cwd()
    if not start.exists():
        start = Path.cwd()
    found = find_config(start)
    return load_config(found) if found else Config()
