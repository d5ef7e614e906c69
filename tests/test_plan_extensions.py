"""What real plans say beyond a level (issue 16, part 5): targets relative to a base,
approximate values, a later horizon, "of which" parts, units counted by name and plan-level
solutions. Each is optional, kept through the RDF lift, read by the rules, and refused with
its place when it does not fit."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml
from rdflib import RDF, Graph

from validator.facts.views import build_views, entities
from validator.formats.rdf.lift import plan_to_graph
from validator.formats.rdf.lower import graph_to_plan
from validator.load import load_plan
from validator.plan.ontology import NS, ontology_graph

PLAN: dict[str, Any] = {
    "format": "plan/1",
    "plan": {"id": "lch", "title": "Lai Châu 2021-2025", "kind": "five_year_sedp",
             "level": "province", "locality": "Lai Châu", "period": [2021, 2025]},
    "objectives": [
        {"id": "O1", "kind": "specific", "title": "Kinh tế",
         "solutions": [{"id": "O1.S1", "title": "Phát triển chè"}],
         "targets": [
             {"id": "O1.T1", "indicator": "Diện tích chè", "unit": "ha", "target": 10000,
              "approximate": ["orientation", "target"], "orientation": {2030: 15000}},
             {"id": "O1.T2", "indicator": "Trồng mới chè", "unit": "ha", "target": 3000,
              "part_of": "O1.T1"},
             {"id": "O1.T3", "indicator": "Huyện đạt chuẩn nông thôn mới", "unit": "huyện",
              "target": 2, "named": ["Tam Đường", "Than Uyên"], "solution": "S9"}]},
        {"id": "O2", "kind": "specific", "title": "Xã hội",
         "targets": [
             {"id": "O2.T1", "indicator": "Lượt khách du lịch", "unit": "%",
              "direction": "increase", "target": 50,
              "relative_to": {"year": 2020, "kind": "percent_change"}},
             {"id": "O2.T2", "indicator": "Tỷ lệ hộ nghèo đa chiều",
              "unit": "percentage point", "direction": "decrease",
              "target": {"min": 1, "max": 1.5},
              "relative_to": {"kind": "points", "per_year": True}, "solution": "S9"}]},
    ],
    "solutions": [{"id": "S9", "title": "Cải cách hành chính", "serves": ["O1", "O2"]}],
}


def _write(tmp_path, data) -> Any:
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    return path


def test_every_new_field_loads_and_rules_can_read_it(tmp_path):
    loaded = load_plan(_write(tmp_path, PLAN))
    plan = build_views(loaded)
    t = {v.id: v for v in plan.targets}
    assert t["O1.T1"].approximate == ["target", "orientation"]  # one fixed order
    assert t["O1.T1"].orientation == {2030: 15000}
    assert t["O1.T2"].part_of is t["O1.T1"] and t["O1.T1"].parts == [t["O1.T2"]]
    assert t["O1.T3"].named == ["Tam Đường", "Than Uyên"]
    assert (t["O2.T1"].relative_kind, t["O2.T1"].relative_year, t["O2.T1"].per_year) == (
        "percent_change", 2020, False)
    assert (t["O2.T2"].relative_kind, t["O2.T2"].relative_year, t["O2.T2"].per_year) == (
        "points", None, True)
    assert t["O1.T1"].relative_kind is None and t["O1.T1"].per_year is None
    shared = next(s for s in plan.solutions if s.id == "S9")
    assert shared.shared and shared.objective is None and shared.path == ("solutions", 0)
    assert [o.id for o in shared.serves] == ["O1", "O2"]
    assert [s.id for s in plan.objectives[1].shared_solutions] == ["S9"]
    assert plan.objectives[1].solutions == []  # its own solutions stay its own
    assert sorted(v.id for v in shared.targets) == ["O1.T3", "O2.T2"]
    assert [v.id for v in entities(plan)][-1] == "S9"
    assert loaded.locate(shared.path) is not None


def test_a_plan_without_them_reads_as_before(tmp_path):
    plain = copy.deepcopy(PLAN)
    plain.pop("solutions")
    for o in plain["objectives"]:
        for t in o["targets"]:
            for key in ("approximate", "orientation", "part_of", "named", "relative_to",
                        "solution"):
                t.pop(key, None)
    plan = load_plan(_write(tmp_path, plain)).plan
    assert plan.solutions == [] and "solutions" not in plan.model_dump(exclude_defaults=True)
    target = plan.objectives[0].targets[0]
    assert (target.relative_to, target.approximate, target.orientation, target.part_of,
            target.named) == (None, [], {}, None, [])


def test_the_lift_keeps_them_and_declares_its_terms(tmp_path):
    plan = load_plan(_write(tmp_path, PLAN)).plan
    graph = plan_to_graph(plan)
    assert graph_to_plan(graph) == plan
    declared = set(ontology_graph().subjects())
    used = {p for p in graph.predicates() if str(p).startswith(NS)}
    used |= {o for o in graph.objects(None, RDF.type) if str(o).startswith(NS)}
    assert used <= declared, sorted(str(t) for t in used - declared)
    for term in ("relativeTo", "approximate", "orientationValue", "partOf", "namedUnits",
                 "serves"):
        assert any(str(p) == NS + term for p in graph.predicates()), term
    again = Graph().parse(data=graph.serialize(format="turtle"), format="turtle")
    assert graph_to_plan(again) == plan


def _broken(change) -> dict[str, Any]:
    data = copy.deepcopy(PLAN)
    change(data)
    return data


def _t(data, i, j) -> dict[str, Any]:
    return data["objectives"][i]["targets"][j]


BROKEN = {
    "orientation within the period": (
        lambda d: _t(d, 0, 0)["orientation"].update({2024: 9000}),
        ":28:", "orientation year 2024 is not after the plan's period 2021-2025",
        "năm định hướng 2024 không nằm sau kỳ kế hoạch 2021-2025"),
    "part_of names nothing": (
        lambda d: _t(d, 0, 1).update(part_of="O9.T9"),
        ":", "part_of 'O9.T9' names no target of this plan",
        "part_of 'O9.T9' không chỉ tới chỉ tiêu nào của kế hoạch này"),
    "part_of comes back round": (
        lambda d: _t(d, 0, 0).update(part_of="O1.T2"),
        ":", "through part_of, a part of itself", "qua part_of, là một phần của chính nó"),
    "serves an unknown objective": (
        lambda d: d["solutions"][0]["serves"].append("O7"),
        ":", "plan-level solution 1, key 'serves', item 3: serves 'O7', which names no "
        "objective of this plan",
        "phục vụ 'O7', không phải mục tiêu nào của kế hoạch này"),
    "serves nothing": (
        lambda d: d["solutions"][0].update(serves=[]),
        ":", "'serves'", "'serves'"),
    "a base year and per year": (
        lambda d: _t(d, 1, 1)["relative_to"].update(year=2020),
        ":", "give either 'year' or 'per_year', not both",
        "ghi 'year' hoặc 'per_year', không ghi cả hai"),
    "a base year after the period": (
        lambda d: _t(d, 1, 0)["relative_to"].update(year=2027),
        ":", "the base year 2027 is after the plan's last year 2025",
        "năm so sánh 2027 ở sau năm cuối của kế hoạch (2025)"),
    "an unknown kind of change": (
        lambda d: _t(d, 1, 0)["relative_to"].update(kind="ratio"),
        ":", "percent_change", "percent_change"),
    "an unknown approximate value": (
        lambda d: _t(d, 0, 0).update(approximate=["budget"]),
        ":", "orientation", "orientation"),
    "a shared solution that does not serve the target's objective": (
        lambda d: d["solutions"][0].update(serves=["O1"]),
        ":", "solution 'S9' names no solution of objective 'O2'",
        "giải pháp 'S9' không phải giải pháp nào của mục tiêu 'O2'"),
}


@pytest.mark.parametrize("name", BROKEN)
@pytest.mark.parametrize("lang", ["en", "vi"])
def test_what_does_not_fit_is_refused_with_its_place(cli, tmp_path, name, lang):
    change, place, en, vi = BROKEN[name]
    path = _write(tmp_path, _broken(change))
    code, _out, err = cli("validate", path, "--lang", lang)
    assert code == 2, err
    assert err.startswith(str(path) + place), err
    assert (en if lang == "en" else vi) in err, err
    assert "Traceback" not in err


def test_a_plan_level_solution_meets_its_targets_across_objectives(tmp_path):
    """SMART-A asks each solution for an input target: S9's is under the tenth objective and
    its output under the first, which would be engine partitions apart if the objectives it
    joins were not run together; S8 has none."""
    from validator.pipeline.validate import Policy, validate

    objectives = [{"id": f"O{i}", "kind": "general", "title": f"Objective {i}", "targets": [
        {"id": f"O{i}.T{j}", "indicator": f"Indicator {i}.{j}", "category": "output"}
        for j in (1, 2, 3)]} for i in range(1, 11)]
    objectives[0]["targets"][0]["solution"] = "S9"
    objectives[9]["targets"][0].update(solution="S9", category="input")
    objectives[4]["targets"][0]["solution"] = "S8"
    data = {"format": "plan/1", "plan": PLAN["plan"], "objectives": objectives,
            "solutions": [{"id": "S9", "title": "Land clearance", "serves": ["O1", "O10"]},
                          {"id": "S8", "title": "Reform", "serves": ["O5", "O6"]}]}
    path = str(_write(tmp_path, data))
    result = validate([path], policy=Policy(group=False))
    assert {f.entity for f in result.findings if f.rule == "SMART-A"} == {"S8"}
    # the same requirement alone is an objective-level join (no plan-wide condition)
    rules = tmp_path / "x.rules"
    rules.write_text(
        'rule X-1\n  title vi "Giải pháp không có đầu vào" en "No input"\n  severity warning\n'
        '  source "test"\n  for each solution s\n'
        '  require exists t in s.targets where t.category = "input"\n'
        '  message vi "{s.id} không có đầu vào." en "{s.id} has no input."\n', encoding="utf-8")
    found = validate([path], [str(rules)], policy=Policy(group=False)).findings
    assert {f.entity for f in found} == {"S8"}
    # served by S9 or S8: O1, O5, O6, O10; the others have no solution
    assert {f.entity for f in result.findings if f.rule == "STR-09"} == {
        "O2", "O3", "O4", "O7", "O8", "O9"}


def test_a_waiver_may_name_a_plan_level_solution(tmp_path):
    from validator.findings.waivers import entity_ids

    assert "S9" in entity_ids(load_plan(_write(tmp_path, PLAN)))
