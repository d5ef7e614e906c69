"""Inputs in, loaded plans out — or every problem found, located.

Each format reads its own files (:mod:`validator.formats`); this module finds the plan files
of the inputs (files, folders, glob patterns), picks the reader by suffix, and refuses a run
when any input cannot be read whole.
"""

from __future__ import annotations

import glob
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from validator.core.errors import InputError, Problem
from validator.core.files import read_text
from validator.core.i18n import Message, _
from validator.formats.docx import DOCUMENT_SUFFIXES, load_docx
from validator.formats.scan import hidden, not_a_plan
from validator.formats.xlsx import WORKBOOK_SUFFIXES, load_xlsx
from validator.formats.yaml_json import load_json, load_yaml
from validator.plan.data import plan_from_data
from validator.plan.loaded import LoadedPlan

YAML_SUFFIXES = {".yaml", ".yml"}
JSON_SUFFIXES = {".json"}
RDF_SUFFIXES = {".ttl": "turtle", ".jsonld": "json-ld", ".json-ld": "json-ld"}
PLAN_SUFFIXES = (YAML_SUFFIXES | JSON_SUFFIXES | set(RDF_SUFFIXES) | WORKBOOK_SUFFIXES
                 | DOCUMENT_SUFFIXES)


def load_plan(path: str | Path, given: Mapping[str, Any] | None = None) -> LoadedPlan:
    """Load one plan file of any supported format; ``given`` header fields (``--plan``) fill
    in what a workbook or document does not say."""
    path = Path(path)
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        return load_xlsx(path, given)
    if path.suffix.lower() in DOCUMENT_SUFFIXES:
        return load_docx(path, given)
    _check_suffix(path, PLAN_SUFFIXES)
    return load_plan_text(read_text(path), str(path))


def load_plan_text(text: str, file: str) -> LoadedPlan:
    """Load a plan from its text (YAML, JSON, Turtle or JSON-LD, by the suffix of ``file``):
    what an editor holds before it is saved."""
    suffix = _check_suffix(Path(file))
    if suffix in RDF_SUFFIXES:
        from validator.formats.rdf.lower import plan_from_rdf_text  # rdflib: RDF input only

        return LoadedPlan(plan_from_rdf_text(text, file, RDF_SUFFIXES[suffix]), file)
    if suffix in YAML_SUFFIXES:
        data, source = load_yaml(text, file)
    else:
        data, source = load_json(text, file)
    return LoadedPlan(plan_from_data(data, source), file, source)


def _check_suffix(path: Path, allowed: set[str] = PLAN_SUFFIXES - WORKBOOK_SUFFIXES
                  - DOCUMENT_SUFFIXES) -> str:
    """The suffix of a plan given as text (any format but a workbook or document), or a
    located error."""
    suffix = path.suffix.lower()
    if suffix not in allowed:
        known = ", ".join(sorted(allowed))
        raise InputError.single(str(path), _("unknown plan file type {suffix}; expected one "
                                             "of {known}", suffix=repr(suffix) if suffix else
                                             _("(no suffix)"), known=known))
    return suffix


def expand_inputs(inputs: tuple[str, ...] | list[str]) -> list[Path]:
    """Files as given; folders searched for plan files; glob patterns expanded. Sorted, unique."""
    return scan_inputs(inputs)[0]


def scan_inputs(inputs: tuple[str, ...] | list[str]
                ) -> tuple[list[Path], list[tuple[str, Message]]]:
    """:func:`expand_inputs`, and the files of scanned folders that are not plans (waivers,
    baselines, configuration, plancheck's annotated copies) with why they were skipped."""
    out: list[Path] = []
    skipped: list[tuple[str, Message]] = []
    problems: list[Problem] = []
    for raw in inputs:
        path = Path(raw)
        if path.is_dir():
            # office lock files (~$plan.xlsx), hidden files and folders are not plans
            found = []
            for p in sorted(p for p in path.rglob("*") if p.is_file()
                            and p.suffix.lower() in PLAN_SUFFIXES
                            and not p.name.startswith(("~$", ".")) and not hidden(p, path)):
                why = not_a_plan(p)
                if why is None:
                    found.append(p)
                else:
                    skipped.append((str(p), why))
            if not found:
                problems.append(Problem(raw, _("no plan files in this folder (looked for "
                                               "{suffixes})",
                                               suffixes=", ".join(sorted(PLAN_SUFFIXES)))))
            out.extend(found)
        elif path.exists():
            out.append(path)
        elif any(ch in raw for ch in "*?["):
            found = sorted(Path(p) for p in glob.glob(raw, recursive=True) if Path(p).is_file())
            if not found:
                problems.append(Problem(raw, _("the pattern matches no file")))
            out.extend(found)
        else:
            problems.append(Problem(raw, _("no such file or folder")))
    if problems:
        raise InputError(problems)
    unique: dict[str, Path] = {}
    for p in out:
        unique.setdefault(str(p), p)
    # in one order whatever the order of the arguments: every report is then the same
    return sorted(unique.values(), key=str), skipped


def keep_latest(plans: list[LoadedPlan]) -> tuple[list[LoadedPlan], list[tuple[str, Message]]]:
    """Of plans sharing a plan id (versions of one submission), the newest: the latest
    submission date, then the latest modification time; the others, with why dropped."""
    groups: dict[str, list[LoadedPlan]] = {}
    for plan in plans:
        groups.setdefault(plan.plan.plan.id, []).append(plan)
    kept: set[int] = set()
    dropped: list[tuple[str, Message]] = []
    for ident, group in groups.items():
        newest = max(group, key=_newness)
        kept.add(id(newest))
        for plan in group:
            if plan is not newest:
                dropped.append((plan.file, _("an older version of plan {plan} (kept {file})",
                                             plan=ident, file=newest.file)))
    return [p for p in plans if id(p) in kept], dropped


def _newness(plan: LoadedPlan) -> tuple[str, float, str]:
    submitted = plan.plan.plan.submitted
    try:
        mtime = Path(plan.file).stat().st_mtime
    except OSError:
        mtime = 0.0
    return (submitted.on.isoformat() if submitted else "", mtime, plan.file)


def load_all(paths: list[Path], given: Mapping[str, Any] | None = None) -> list[LoadedPlan]:
    """Load every plan; if any cannot be read, refuse the run with every problem found."""
    plans, problems = [], []
    for path in paths:
        try:
            plans.append(load_plan(path, given))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    return plans
