"""Plans the review desk's tests upload: a flawed workbook (PH-04 and DIR-01) and the same
plan fixed for PH-04, made from an example so they stay in step with the rules."""

from __future__ import annotations

from pathlib import Path

from conftest import EXAMPLES

FLAWED_YAML = EXAMPLES / "flawed" / "ph04-dir01-sum-mismatch-poverty-rises.yaml"
BROKEN_YAML = EXAMPLES / "broken" / "period-wrong-type.yaml"
GOOD_YAML = EXAMPLES / "province-five-year-sedp.yaml"


def workbooks(folder: Path) -> tuple[Path, Path]:
    """``flawed.xlsx`` (PH-04 on O1.T2, DIR-01 on O1.T5) and ``fixed.xlsx`` (DIR-01 only)."""
    from validator.formats.write import write_plan_bytes
    from validator.load import load_plan

    text = FLAWED_YAML.read_text(encoding="utf-8")
    assert text.count("target: 12000") == 1
    out = []
    for name, body in (("flawed", text), ("fixed", text.replace("target: 12000",
                                                               "target: 11400"))):
        source = folder / f"{name}.yaml"
        source.write_text(body, encoding="utf-8")
        book = folder / f"{name}.xlsx"
        book.write_bytes(write_plan_bytes(load_plan(source).plan, "xlsx", "vi"))
        out.append(book)
    return out[0], out[1]
