"""Plan files in, validated :class:`~validator.model.Plan` objects out — or located errors.

YAML and JSON are read with a source map (key path -> line:column); Turtle and JSON-LD are
lowered from RDF by :mod:`validator.lift`. Known codes are normalised to their canonical
spelling (codes are matched without regard to case).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from validator.errors import InputError, Problem
from validator.model import Objective, Plan, PlanHeader, Solution, Target, reference_problems
from validator.sourcemap import SourceMap, load_json, load_yaml, paused_gc

MAX_FILE_BYTES = 64 * 1024 * 1024

YAML_SUFFIXES = {".yaml", ".yml"}
JSON_SUFFIXES = {".json"}
RDF_SUFFIXES = {".ttl": "turtle", ".jsonld": "json-ld", ".json-ld": "json-ld"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}  # workbooks (validator.xlsx); .xlsm is refused there
PLAN_SUFFIXES = YAML_SUFFIXES | JSON_SUFFIXES | set(RDF_SUFFIXES) | XLSX_SUFFIXES


@dataclass
class LoadedPlan:
    """A plan and where it came from."""

    plan: Plan
    file: str
    source: SourceMap | None = None

    def locate(self, path: tuple[str | int, ...]) -> tuple[int, int] | None:
        """``(line, column)`` of a key path in the file, when the format keeps lines."""
        return self.source.locate(path) if self.source else None

    def cell(self, path: tuple[str | int, ...]) -> str | None:
        """``Sheet!D14`` of a key path, when the plan came from a workbook."""
        find = getattr(self.source, "cell", None)
        return find(path) if find else None


def check_size(path: Path, limit: int, kind: str) -> None:
    """Refuse a file over ``limit`` bytes before reading it (``kind``: "plan files", ...)."""
    file = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError.single(file, f"cannot read the file: {exc.strerror or exc}") from None
    if size > limit:
        raise InputError.single(file, f"the file is {size:,} bytes; {kind} are limited to "
                                      f"{limit:,}")


def read_text(path: Path, limit: int = MAX_FILE_BYTES, kind: str = "plan files") -> str:
    """Read a UTF-8 text file with a size cap, as a located error when that fails."""
    file = str(path)
    check_size(path, limit, kind)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError.single(file, f"cannot read the file: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError([Problem(file, "the file is not UTF-8 text", line=line,
                                  column=column)]) from None


def load_plan(path: str | Path) -> LoadedPlan:
    """Load one plan file of any supported format."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in XLSX_SUFFIXES:
        from validator.xlsx import load_xlsx

        return load_xlsx(path)
    if suffix in RDF_SUFFIXES:
        from validator.lift import plan_from_rdf_text

        text = read_text(path)
        plan = plan_from_rdf_text(text, str(path), RDF_SUFFIXES[suffix])
        return LoadedPlan(normalise_codes(plan), str(path))
    if suffix in YAML_SUFFIXES:
        data, source = load_yaml(read_text(path), str(path))
    elif suffix in JSON_SUFFIXES:
        data, source = load_json(read_text(path), str(path))
    else:
        known = ", ".join(sorted(PLAN_SUFFIXES))
        raise InputError.single(str(path), f"unknown plan file type {suffix or '(none)'!r}; "
                                f"expected one of {known}")
    return LoadedPlan(plan_from_data(data, source), str(path), source)


def plan_from_data(data: Any, source: SourceMap) -> Plan:
    """Validate plain data against plan/1, raising located problems."""
    if not isinstance(data, dict):
        raise InputError([source.problem((), "expected a mapping with 'format', 'plan' and "
                                         "'objectives' at the top of the file")])
    if "format" in data and data["format"] != "plan/1":
        raise InputError([source.problem(("format",), f"unsupported format "
                                         f"{data['format']!r}; expected 'plan/1'")])
    # a large plan is hundreds of thousands of new, acyclic objects: the collector's passes
    # over them would cost a fifth of the load
    with paused_gc():
        try:
            plan = Plan.model_validate(data)
        except ValidationError as exc:
            raise InputError(validation_problems(exc, source)) from None
        problems = [source.problem(path, message)
                    for path, message in reference_problems(plan)]
        if problems:
            raise InputError(problems)
        return normalise_codes(plan)


# --- pydantic errors as plain sentences ---------------------------------------------

_MODEL_FOR_KEY: dict[str, type] = {
    "plan": PlanHeader, "objectives": Objective, "solutions": Solution, "targets": Target,
}


def _model_at(path: tuple[str | int, ...]) -> type:
    for part in reversed(path):
        if isinstance(part, str) and part in _MODEL_FOR_KEY:
            return _MODEL_FOR_KEY[part]
    return Plan


def _keys_of(model: type) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]  # type: ignore[attr-defined]


def _describe(error: dict[str, Any], path: tuple[str | int, ...]) -> str:
    kind = error["type"]
    given = error.get("input")
    shown = repr(given) if not isinstance(given, dict | list) else type(given).__name__
    if kind == "missing":
        return f"missing required key {path[-1]!r}" if path else "missing required key"
    if kind == "extra_forbidden":
        key = str(path[-1])
        keys = _keys_of(_model_at(path[:-1]))
        close = difflib.get_close_matches(key, keys, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else f"; expected one of {', '.join(keys)}"
        return f"unknown key {key!r}{hint}"
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return f"expected a whole number, got {shown}"
    if kind in {"float_parsing", "float_type"}:
        return f"expected a number, got {shown}"
    if kind == "string_type":
        return f"expected a text, got {shown}"
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        return f"expected one of {expected}, got {shown}"
    if kind.startswith("date"):
        return f"expected a date like 2025-07-18, got {shown}"
    if kind in {"list_type", "tuple_type"}:
        return f"expected a list, got {shown}"
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return f"expected a mapping, got {shown}"
    if kind == "too_short" or kind == "too_long":
        return "expected [first_year, last_year]" if path and path[-1] == "period" else (
            error["msg"])
    return str(error["msg"]).removeprefix("Value error, ")


def validation_problems(exc: ValidationError, source: SourceMap) -> list[Problem]:
    """Turn pydantic's errors into located problems, one per error, in file order."""
    problems = []
    for error in exc.errors(include_url=False):
        path = tuple(p if isinstance(p, int) else str(p) for p in error["loc"])
        problems.append(source.problem(path, _describe(error, path)))
    problems.sort(key=lambda p: (p.line or 0, p.column or 0, str(p.path)))
    return problems


# --- codes ---------------------------------------------------------------------------

def normalise_codes(plan: Plan) -> Plan:
    """Spell known codes canonically (``dpi`` -> ``DPI``); unknown codes stay as written."""
    from validator.ontology import canonical_code

    def fix(scheme: str, text: str | None) -> str | None:
        if text is None:
            return None
        return canonical_code(scheme, text) or text

    header = plan.plan
    header.kind = fix("kind", header.kind) or header.kind
    header.level = fix("level", header.level) or header.level
    header.sector = fix("sector", header.sector)
    if header.submitted:
        header.submitted.by = fix("agency", header.submitted.by) or header.submitted.by
    for objective in plan.objectives:
        objective.field = fix("sector", objective.field)
        objective.sector = fix("sector", objective.sector)
        for target in objective.targets:
            target.category = fix("category", target.category)
            target.frequency = fix("frequency", target.frequency)
            target.code = fix("indicator", target.code)
            target.compiling_agency = fix("agency", target.compiling_agency)
            target.providing_agencies = [fix("agency", a) or a
                                         for a in target.providing_agencies]
    return plan
