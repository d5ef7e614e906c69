"""Gathered objectives, solutions and targets -> plan/1 data and the cell map; findings for
formulas saved without a value."""

from __future__ import annotations

from typing import Any

from validator.core.errors import format_path
from validator.core.findings import Finding, Location
from validator.core.sourcemap import KeyPath
from validator.formats.xlsx import vocab
from validator.formats.xlsx.parts import Objective, Solution

FORMULA_RULE = "XLSX-01"


class Assembler:
    """Mixin of :class:`~validator.xlsx.reader.Reader`: ids, order and plan/1 data."""

    # --- assembling plan/1 data ------------------------------------------------------

    def assemble(self) -> dict[str, Any]:
        _name_unnamed(self.objectives, "O{}")
        data_objectives = []
        for i, obj in enumerate(self.objectives):
            data_objectives.append(self.objective_data(i, obj))
        self.check()
        data = {"format": "plan/1", "plan": self.header, "objectives": data_objectives}
        if self.shared:  # type: ignore[attr-defined]
            data["solutions"] = self.shared  # type: ignore[attr-defined]
        return data

    def objective_data(self, i: int, obj: Objective) -> dict[str, Any]:
        base: KeyPath = ("objectives", i)
        self.map.put(base, obj.cell)
        out: dict[str, Any] = {"id": obj.id, "kind": obj.data.get("kind", "specific")}
        if "title" in obj.data:
            out["title"] = obj.data["title"]
        for name in ("field", "sector"):
            if obj.data.get(name) is not None:
                out[name] = obj.data[name]
        if obj.parent_explicit:
            parent = obj.data.get("parent")
            if parent in vocab.NO_PARENT_MARKS and parent not in self.objective_ids:
                parent = None  # "—": no parent (unless an objective has that id)
            if parent is not None:
                out["parent"] = parent
        elif out["kind"] == "specific" and obj.inferred_parent is not None:
            out["parent"] = obj.inferred_parent.id
        for path, cell in obj.cells.items():
            self.map.put((*base, *path), cell)
        _name_unnamed(obj.solutions, f"{obj.id}.S{{}}")
        solutions = []
        for j, sol in enumerate(obj.solutions):
            self.map.put((*base, "solutions", j), sol.cell)
            self.owners[id(sol)] = ("solution", sol.id, obj.id, (*base, "solutions", j))
            for path, cell in sol.cells.items():
                self.map.put((*base, "solutions", j, *path), cell)
            solutions.append({"id": sol.id, **sol.data})
        if solutions:
            out["solutions"] = solutions
        targets = sorted(obj.targets, key=lambda t: (
            t.detail_order is None, t.detail_order or 0, t.mention_order))
        _name_unnamed(targets, f"{obj.id}.T{{}}")
        rows = []
        for j, target in enumerate(targets):
            path = (*base, "targets", j)
            self.owners[id(target)] = ("target", target.id, obj.id, path)
            self.map.put(path, target.cell)
            for sub, cell in target.cells.items():
                self.map.put((*path, *sub), cell)
            item: dict[str, Any] = {"id": target.id}
            for name, value in target.data.items():
                item[name] = value.id if isinstance(value, Solution) else value
            if target.category is not None:
                item["category"] = target.category
            rows.append(item)
        if rows:
            out["targets"] = rows
        return out


def _name_unnamed(parts: list[Any], pattern: str) -> None:
    """Give the parts without an id the next free ids of ``pattern`` ("O{}", "O1.T{}"), in
    order, skipping ids the workbook already uses."""
    used = {part.id for part in parts if part.id}
    n = 0
    for part in parts:
        if part.id is None:
            n += 1
            while pattern.format(n) in used:
                n += 1
            part.id = pattern.format(n)
            used.add(part.id)


def formula_findings(reader: Any, plan_id: str) -> list[Any]:
    """One finding per formula cell the workbook saved without a computed value.

    Such a cell is read as empty; the finding says so, at the cell, so that the reviewer
    knows the value was not judged (rather than refusing the whole workbook).
    """
    out = []
    for owner, sub, cell, formula in reader.uncached:
        kind, entity, objective, base = reader.owners[id(owner)]
        field = ".".join(str(p) for p in sub)
        out.append(Finding(
            rule=FORMULA_RULE, severity="error",
            title={"vi": "Công thức chưa có giá trị đã tính",
                   "en": "Formula without a computed value"},
            message={
                "vi": f"Ô {cell} ({entity}, {field}) chứa công thức {formula} nhưng tệp không "
                      "lưu giá trị đã tính, nên giá trị này bị coi là trống. Hãy mở và lưu lại "
                      "tệp bằng Excel hoặc LibreOffice, hoặc nhập trực tiếp giá trị.",
                "en": f"Cell {cell} ({entity}, {field}) holds the formula {formula} but the "
                      "file saved no computed value for it, so it was read as empty. Open and "
                      "save the workbook in Excel or LibreOffice, or type the value.",
            },
            entity_kind=kind, entity=entity, plan=plan_id, objective=objective,
            location=Location(reader.file, None, None, format_path((*base, *sub)), cell=cell),
            source="plancheck workbook intake (docs/xlsx.md)", tags=("xlsx", "formula"),
            evidence={"cell": cell, "formula": formula, "field": field}))
    return out
