"""The ontology's time API (validator/plan/timeline.py) and `plancheck ontology --on`.

What a reviewer relies on: a body is valid on the days the acts say and not after, what
replaced an ended body is found through a chain of changes, the district level and its
bodies end on 30 June 2025, the two sides of 1 July 2025 have 63 and 34 provinces, and an
old province's name leads to the new one with a note.
"""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from validator.cli import main
from validator.plan import timeline as tl

BEFORE_MARCH = dt.date(2025, 2, 28)
MARCH = dt.date(2025, 3, 1)
JUNE_END = dt.date(2025, 6, 30)
JULY = dt.date(2025, 7, 1)
NEXT_CYCLE = dt.date(2026, 1, 1)


def test_levels_of_each_cycle():
    assert tl.levels_for_period(2021, 2025) == ("nation", "province", "district", "commune",
                                                "village")
    assert "district" not in tl.levels_for_period(2026, 2030)
    assert tl.level_valid_on("district", JUNE_END) and not tl.level_valid_on("district", JULY)


@pytest.mark.parametrize(("day", "parent"), [(JUNE_END, "district"), (JULY, "province"),
                                             (NEXT_CYCLE, "province")])
def test_a_communes_parent_level_by_date(day, parent):
    assert tl.parent_level("commune", day) == parent
    assert tl.parent_level("district", dt.date(2024, 1, 1)) == "province"
    assert tl.parent_level("nation", day) is None


def test_dpi_ends_on_28_february_and_leads_to_the_department_of_finance():
    assert tl.agency_exists("DPI", "province", BEFORE_MARCH)
    assert not tl.agency_exists("Sở KH&ĐT", "province", MARCH)
    assert tl.successors("DPI", MARCH) == ["DOF"]
    assert tl.successors("DPI", BEFORE_MARCH) == []  # still valid: nothing to name instead
    assert tl.successors("DOF", NEXT_CYCLE) == []


def test_successors_follow_a_chain_and_fall_back_to_the_bodies_that_took_the_functions():
    # Phòng NN&PTNT -> Phòng NN&MT (1 Mar 2025), which ended with the district level
    assert tl.successors("agriculture-rural-development-division", dt.date(2025, 4, 1)) == [
        "agriculture-environment-division"]
    assert tl.successors("agriculture-rural-development-division", NEXT_CYCLE) == []
    # the commune office-statistics officer's work went to the Office and the Economic Division
    assert tl.successors("commune-office-statistics-officer", NEXT_CYCLE) == [
        "commune-economic-division", "commune-office"]
    assert tl.successors("DOLISA", NEXT_CYCLE) == ["DOHA"]
    assert set(tl.successors("DOLISA", NEXT_CYCLE, transfers=True)) == {"DOHA"}


def test_agency_exists_in_a_window_needs_the_level_then_too():
    period_2021 = (dt.date(2021, 1, 1), dt.date(2025, 12, 31))
    assert tl.agency_exists("agriculture-rural-development-division", "district", *period_2021)
    assert tl.agency_exists("Phòng Nông nghiệp và PTNT", "district", *period_2021)
    assert not tl.agency_exists("agriculture-rural-development-division", "commune",
                                *period_2021)
    assert not tl.agency_exists("DPC", "district", NEXT_CYCLE, dt.date(2030, 12, 31))
    assert tl.agency_exists("commune-economic-division", "commune", NEXT_CYCLE)
    assert not tl.agency_exists("commune-economic-division", "commune", JUNE_END)
    assert not tl.agency_exists("no such body", "province", NEXT_CYCLE)


def test_agencies_of_a_level_on_a_day():
    commune_2026 = tl.agencies_on("commune", NEXT_CYCLE)
    assert {"CPC", "commune-economic-division", "commune-culture-social-division",
            "commune-office", "commune-public-service-centre", "military-command", "police",
            "VFF", "womens-union", "commune-party-committee"} <= set(commune_2026)
    assert "commune-office-statistics-officer" not in commune_2026
    assert not any(a in commune_2026 for a in ("MOF", "DOF", "DPC"))
    assert tl.agencies_on("district", NEXT_CYCLE) == []
    assert "commune-party-committee" not in tl.agencies_on("commune", NEXT_CYCLE,
                                                           approvers=False)
    nation_2024 = tl.agencies_on("nation", dt.date(2024, 1, 1))
    nation_2026 = tl.agencies_on("nation", NEXT_CYCLE)
    assert "MPI" in nation_2024 and "MPI" not in nation_2026 and "MAE" in nation_2026


def test_current_agencies_bring_a_table_of_2013_into_the_new_cycle():
    window = (NEXT_CYCLE, dt.date(2030, 12, 31))
    assert tl.current_agencies(["DPI", "DOF", "PSO"], "province", *window) == ["DOF", "PSO"]
    assert tl.current_agencies(["DARD", "DONRE"], "province", *window) == ["DAE"]
    old = (dt.date(2021, 1, 1), dt.date(2025, 12, 31))
    assert tl.current_agencies(["DPI", "DARD"], "province", *old) == ["DPI", "DARD"]


def test_provinces_on_either_side_of_1_july_2025():
    assert len(tl.provinces_on(JUNE_END)) == 63
    assert len(tl.provinces_on(JULY)) == 34
    codes = [p.admin_code for p in tl.provinces_on(JULY)]
    assert codes == sorted(codes) and len(set(codes)) == 34


def test_a_merged_province_resolves_to_its_successor_with_a_note():
    match = tl.province_on("Yên Bái", NEXT_CYCLE)
    assert match is not None and match.province.code == "lao-cai"
    assert match.province.admin_code == "15"
    assert match.note("en") == ("Yên Bái Province was merged into Lào Cai Province on "
                                "2025-07-01")
    assert "đã hợp nhất vào Tỉnh Lào Cai" in match.note("vi")
    old = tl.province_on("Lào Cai", dt.date(2023, 5, 1))
    assert old.province.code == "lao-cai-until-2025" and old.former is None
    assert tl.province_on("tinh lao cai", NEXT_CYCLE).province.code == "lao-cai"
    assert tl.province_on("Hà Nội", NEXT_CYCLE).note() is None
    assert tl.province_on("Atlantis", NEXT_CYCLE) is None


def _cli(*args):
    return CliRunner().invoke(main, ["ontology", *args])


def test_cli_lists_the_commune_bodies_of_2026_in_both_languages():
    result = _cli("agency", "--level", "commune", "--on", "2026-01-01", "--lang", "en")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("# 16 agencies at the commune level on")
    economic = next(line for line in lines if line.startswith("commune-economic-division "))
    assert "Commune Economic Division / Phòng Kinh tế" in economic
    assert "[2025-07-01 – …]" in economic
    assert not any(line.startswith(("MOF ", "DOF ", "DPC ")) for line in lines)
    vi = _cli("agency", "--level", "district", "--on", "2024-06-01", "--lang", "vi").output
    assert "ở cấp huyện" in vi.splitlines()[0]
    assert "Phòng Nông nghiệp và Phát triển nông thôn" in vi
    assert "→ agriculture-environment-division" in vi
    assert "[01/07/2025 – …]" in _cli("agency", "--level", "commune", "--lang", "vi").output
    assert _cli("agency", "--level", "district", "--on", "2026-01-01").output.startswith(
        "# 0 ")


def test_cli_provinces_and_levels_on_a_day():
    assert _cli("province", "--on", "2025-06-30").output.startswith("# 63 ")
    assert _cli("province", "--on", "2025-07-01").output.startswith("# 34 ")
    levels = _cli("level", "--on", "2026-01-01", "--lang", "en").output
    assert "district" not in levels and "commune" in levels


@pytest.mark.parametrize(("args", "words"), [
    (("agency", "--on", "2026-13-01"), "not a date"),
    (("agency", "--level", "distrct"), "unknown level"),
    (("unit", "--on", "2026-01-01"), "--on applies"),
    (("unit", "--level", "commune"), "--level applies"),
])
def test_cli_refuses_bad_options_with_exit_2(args, words):
    result = _cli(*args, "--lang", "en")
    assert result.exit_code == 2 and words in result.output


def test_cli_resolves_a_merged_provinces_name_with_a_note():
    result = _cli("province", "--on", "2026-01-01", "--name", "Yên Bái", "--lang", "en")
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "lao-cai  Lào Cai Province / Tỉnh Lào Cai  [15]",
        "# Yên Bái Province was merged into Lào Cai Province on 2025-07-01"]
    vi = _cli("province", "--on", "2023-01-01", "--name", "Lào Cai", "--lang", "vi").output
    assert vi == "lao-cai-until-2025  Tỉnh Lào Cai / Lào Cai Province  [10]\n"
    assert _cli("province", "--name", "Yên Bái").exit_code == 2  # needs --on
    assert _cli("province", "--on", "2026-01-01", "--name", "Atlantis").exit_code == 2


def test_the_cached_tables_are_the_turtles():
    # what the cache on disk keeps (timeline._tables) is what the Turtle says
    assert tl._tables() == tl.tables_from_turtle()
