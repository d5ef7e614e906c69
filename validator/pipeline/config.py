"""Project configuration: ``plancheck.toml``, or ``[tool.plancheck]`` in ``pyproject.toml``,
found by walking up from the files being validated. Command-line flags win over it.

    [tool.plancheck]
    rules = ["rules/mpi2013", "rules/province"]   # paths relative to the config file
    lang = "en"
    fail-on = "error"

    select = ["ALL"]                  # rule ids, id prefixes or tags (validator.selection)
    ignore = ["PH-03", "baseline"]
    waivers = "plancheck-waivers.yaml"  # paths relative to the config file
    baseline = "plancheck-baseline.json"

    [tool.plancheck.params]
    growth_max = 12

    [tool.plancheck.per-file-ignores]
    "drafts/**" = ["SMART"]           # path globs relative to the config file

    [tool.plancheck.severity]
    SMART-S = "info"
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from validator.core.errors import InputError, Problem
from validator.core.findings import FAIL_ON, SEVERITIES
from validator.core.hints import did_you_mean
from validator.core.i18n import LANGS

KEYS = {"rules", "lang", "fail-on", "params", "select", "ignore", "per-file-ignores",
        "severity", "waivers", "baseline"}


@dataclass
class Config:
    """The settings read from a configuration file (all optional)."""

    path: Path | None = None
    rules: list[str] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)
    lang: str | None = None
    fail_on: str | None = None
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    severity: dict[str, str] = field(default_factory=dict)
    waivers: str | None = None
    baseline: str | None = None

    @property
    def prefix(self) -> str:
        """How keys are named in messages (``tool.plancheck.`` inside pyproject.toml)."""
        return "tool.plancheck." if self.path and self.path.name == "pyproject.toml" else ""


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


    for key in table:
        if key not in KEYS:
            bad(key, "unknown setting" + (did_you_mean(key, KEYS)
                                          or f"; expected one of {', '.join(sorted(KEYS))}"))
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
    _read_selection(table, config, bad)
    if problems:
        raise InputError(problems)
    return config


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v for v in value)


def _read_selection(table: dict[str, Any], config: Config, bad: Any) -> None:
    """select, ignore, per-file-ignores, severity, waivers and baseline."""
    for key in ("select", "ignore"):
        value = table.get(key)
        if value is not None and not _strings(value):
            bad(key, "expected a list of rule ids, id prefixes or tags")
        elif value is not None:
            setattr(config, key, list(value))
    ignores = table.get("per-file-ignores", {})
    if not isinstance(ignores, dict):
        bad("per-file-ignores", "expected a table of path globs to lists of rule ids, id "
            "prefixes or tags")
    else:
        for pattern, selectors in ignores.items():
            if not _strings(selectors):
                bad(f"per-file-ignores.{pattern!r}", "expected a list of rule ids, id "
                    "prefixes or tags")
            else:
                config.per_file_ignores[pattern] = list(selectors)
    levels = table.get("severity", {})
    if not isinstance(levels, dict):
        bad("severity", "expected a table of rule ids to severities")
    else:
        for rule, level in levels.items():
            if level not in SEVERITIES:
                bad(f"severity.{rule}", f"expected one of {', '.join(SEVERITIES)}, got "
                    f"{level!r}")
            else:
                config.severity[rule] = level
    for key in ("waivers", "baseline"):
        value = table.get(key)
        if value is not None and not (isinstance(value, str) and value):
            bad(key, "expected a file path")
        elif value is not None and config.path is not None:
            setattr(config, key, _near(config.path.parent / value))


def _near(path: Path) -> str:
    """``path`` relative to the working folder when it can be (reports stay portable)."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive
        return str(path)


def config_for(inputs: tuple[str, ...] | list[str]) -> Config:
    """The configuration that applies to ``inputs`` (none found: defaults)."""
    start = Path(inputs[0]) if inputs else Path.cwd()
    if not start.exists():
        start = Path.cwd()
    found = find_config(start)
    return load_config(found) if found else Config()
