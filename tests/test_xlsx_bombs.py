"""Workbook CPU and memory bombs from tiny files: reading is bounded by the cells present in
the file, never by its rows times columns; merged ranges, formula cells and shared strings
are counted against their caps before any parser runs; each refusal names its limit."""

from __future__ import annotations

import resource
import time
from pathlib import Path

import pytest
from test_xlsx_helpers import patch_sheet, simple_book

from validator.core.errors import InputError
from validator.formats.xlsx import grid, guard
from validator.load import load_plan

TEXT = '<c r="{ref}" t="inlineStr"><is><t>x</t></is></c>'


def _load(path: Path) -> tuple[float, str | None]:
    started = time.monotonic()
    try:
        load_plan(path)
        error = None
    except InputError as exc:
        error = exc.render("en")
    return time.monotonic() - started, error


@pytest.mark.parametrize("rows,merges", [
    ('<row r="1048576">' + TEXT.format(ref="XFD1048576") + "</row>", []),
    ('<row r="1048576"><c r="XFD1048576"/></row>', []),
    ('<row r="1048576">' + TEXT.format(ref="A1048576") + "</row>", []),
    ("", ["XFC1048575:XFD1048576"]),
    ('<row r="20000">' + TEXT.format(ref="ZZ20000") + "</row>", ["D100:D120", "ZZ19990:ZZ20000"]),
], ids=["text-at-XFD1048576", "blank-at-XFD1048576", "text-at-A1048576", "merge-in-corner",
        "far-apart"])
def test_a_far_cell_costs_nothing(tmp_path: Path, rows: str, merges: list[str]) -> None:
    """One cell at XFD1048576 made the reader visit 1.7e10 cells (hours); one at A1048576
    alone cost 25 s."""
    path = patch_sheet(simple_book(tmp_path / "far.xlsx"), 2, rows, merges)
    seconds, error = _load(path)
    assert seconds < 10, seconds
    assert error is None or "Traceback" not in error


def test_merged_ranges_are_capped_in_total(tmp_path: Path) -> None:
    """30 ranges of a million cells each took 4.4 GB; each alone is under the old per-range
    cap, so only a cap on their total stops them."""
    merges = [f"{col}1:{col}1000000" for col in ("AA", "AB", "AC", "AD", "AE", "AF", "AG",
                                                 "AH", "AI", "AJ", "AK", "AL", "AM", "AN",
                                                 "AO", "AP", "AQ", "AR", "AS", "AT", "AU",
                                                 "AV", "AW", "AX", "AY", "AZ", "BA", "BB",
                                                 "BC", "BD")]
    path = patch_sheet(simple_book(tmp_path / "merges.xlsx"), 2, merges=merges)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    seconds, error = _load(path)
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before  # KiB
    assert error is not None and "MAX_MERGED_CELLS" in error and "100,000" in error, error
    assert seconds < 10 and grown < 200_000, (seconds, grown)


def test_a_merged_range_under_the_cap_still_reads(tmp_path: Path) -> None:
    path = patch_sheet(simple_book(tmp_path / "merged.xlsx"), 2, merges=["K1:K500"])
    assert _load(path)[1] is None


def test_formula_cells_are_counted_before_any_parser_runs(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    """MAX_CELLS counted only cached values, after two full passes: a million formula-only
    cells were not counted at all."""
    rows = "".join(f'<row r="{r}"><c r="K{r}"><f>1+1</f></c></row>' for r in range(10, 60))
    path = patch_sheet(simple_book(tmp_path / "formulas.xlsx"), 2, rows)
    monkeypatch.setattr(guard, "MAX_CELLS", 40)

    def never(*args: object, **kw: object) -> None:
        raise AssertionError("openpyxl opened the workbook")

    monkeypatch.setattr(grid.openpyxl, "load_workbook", never)
    _, error = _load(path)
    assert error is not None and "more than 40 cells" in error and "MAX_CELLS" in error


def test_shared_strings_are_counted_before_any_parser_runs(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    """A 99 MiB shared-string table took 98 s and 1 GB to parse."""
    path = patch_sheet(simple_book(tmp_path / "strings.xlsx"), 2,
                       strings=[f"s{i}" for i in range(100)])
    monkeypatch.setattr(guard, "MAX_CELLS", 60)
    monkeypatch.setattr(grid.openpyxl, "load_workbook",
                        lambda *a, **kw: (_ for _ in ()).throw(AssertionError("opened")))
    _, error = _load(path)
    assert error is not None and "shared string table" in error and "MAX_CELLS" in error


def test_the_cell_cap_also_holds_while_parsing(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(grid, "MAX_CELLS", 20)
    _, error = _load(simple_book(tmp_path / "plan.xlsx"))
    assert error is not None and "more than 20 cells" in error and "MAX_CELLS" in error


def test_one_pass_gives_formulas_and_their_cached_values(tmp_path: Path) -> None:
    rows = '<row r="4"><c r="K4"><f>2+3</f><v>5</v></c><c r="L4"><f>SUM(A1:A2)</f></c></row>'
    path = patch_sheet(simple_book(tmp_path / "f.xlsx"), 2, rows)
    sheets = grid.read_sheets(path, str(path))
    sheet = sheets[1]
    assert sheet.formulas[(4, 11)] == "=2+3" and sheet.values[(4, 11)] == 5
    assert sheet.uncached(4, 12) == "=SUM(A1:A2)"
    assert sheet.rows(4, 4) == [4] and sheet.columns(4) == [11, 12]
