"""Baselines: the findings accepted at one point (``--write-baseline FILE``), so that later
runs (``--baseline FILE``) report only what is new.

A finding is the same as a baseline entry when its rule id, file and entity id agree; lines
are not compared, so edits elsewhere in a file do not churn. Files are recorded relative to
the baseline file's folder, so a baseline matches wherever the command runs from.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from validator.core.errors import InputError, Problem
from validator.core.files import read_text
from validator.core.findings import Finding
from validator.core.i18n import _
from validator.core.output import write_file
from validator.findings.selection import relative_posix
from validator.formats.yaml_json import load_json

SCHEMA = "https://w3id.org/plancheck/baseline/1"
Key = tuple[str, str, str]  # rule id, file (relative to the baseline's folder), entity id


@dataclass
class Comparison:
    """How a run compares with a baseline."""

    file: str
    new: int = 0
    unchanged: int = 0
    fixed: int = 0
    fixed_entries: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "new": self.new, "unchanged": self.unchanged,
                "fixed": self.fixed, "fixed_findings": self.fixed_entries}


def key(finding: Finding, base: Path) -> Key:
    return (finding.rule, relative_posix(finding.location.file, base), finding.entity)


def _entry(k: Key) -> dict[str, str]:
    return {"rule": k[0], "file": k[1], "entity": k[2]}


def write_baseline(path: Path, findings: list[Finding]) -> Counter[Key]:
    """Record ``findings`` as accepted (sorted by file, rule and entity); return what a
    later run reads back from the file."""
    keys = sorted((key(f, path.parent) for f in findings), key=lambda k: (k[1], k[0], k[2]))
    data = {"$schema": SCHEMA, "version": 1, "findings": [_entry(k) for k in keys]}
    write_file(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    return Counter(keys)


def load_baseline(path: Path) -> Counter[Key]:
    """The accepted findings of a baseline file; a malformed one is a located error."""
    file = str(path)
    data, source = load_json(read_text(path), file)
    if not isinstance(data, dict) or data.get("version") != 1:
        raise InputError([Problem(file, _("expected a plancheck baseline: an object with "
                                          "{version} and {findings} (write one with "
                                          "--write-baseline)", version='"version": 1',
                                          findings='"findings"'), line=1, column=1)])
    problems = [source.problem((k,), _("unknown field {key}; expected $schema, version, "
                                       "findings", key=repr(k)))
                for k in data if k not in ("$schema", "version", "findings")]
    entries = data.get("findings")
    if not isinstance(entries, list):
        problems.append(source.problem(("findings",), _("expected a list of findings")))
        entries = []
    keys: Counter[Key] = Counter()
    for i, entry in enumerate(entries):
        if (not isinstance(entry, dict) or set(entry) != {"rule", "file", "entity"}
                or not all(isinstance(v, str) for v in entry.values())):
            problems.append(source.problem(("findings", i), _(
                "expected {shape} with text values",
                shape='{"rule": …, "file": …, "entity": …}')))
            continue
        keys[(entry["rule"], entry["file"], entry["entity"])] += 1
    if problems:
        raise InputError(problems)
    return keys


def compare(findings: list[Finding], path: Path, accepted: Counter[Key],
            files: list[str], waived: list[Finding] = ()) -> tuple[list[Finding], Comparison]:
    """The findings not in the baseline, and the counts. Entries of files outside this run
    (``files``), or matched by a finding waived since, are not counted as fixed."""
    base = path.parent
    remaining = Counter(accepted)
    remaining.subtract(key(f, base) for f in waived)
    new, unchanged = [], 0
    for finding in findings:
        k = key(finding, base)
        if remaining[k] > 0:
            remaining[k] -= 1
            unchanged += 1
        else:
            new.append(finding)
    checked = {relative_posix(f, base) for f in files}
    fixed = sorted((k for k, n in remaining.items() if k[1] in checked for _ in range(max(n, 0))),
                   key=lambda k: (k[1], k[0], k[2]))
    return new, Comparison(str(path), len(new), unchanged, len(fixed),
                           [_entry(k) for k in fixed])
