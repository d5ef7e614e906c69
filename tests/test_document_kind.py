"""What kind of document a plan file comes from, and the act that adopted it: read from YAML,
kept through the RDF lift and the workbook's plan sheet, and deciding which checks run."""

from __future__ import annotations

import datetime as dt

import yaml
from conftest import small_plan

from validator.formats.rdf.lift import plan_to_graph
from validator.formats.rdf.lower import graph_to_plan
from validator.formats.xlsx import write_xlsx
from validator.load import load_plan
from validator.pipeline.validate import validate


def _file(tmp_path, **header):
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(small_plan(**header), allow_unicode=True), encoding="utf-8")
    return path


ADOPTED = {"act": "39/2020/NQ-HĐND", "on": dt.date(2020, 12, 13), "body": "peoples_council"}


def test_the_document_and_its_adoption_survive_the_lift_and_the_workbook(tmp_path):
    plan = load_plan(_file(tmp_path, document="adopted_plan", adopted=ADOPTED,
                           not_encoded=["agencies", "solutions"])).plan
    assert plan.plan.not_encoded == ["solutions", "agencies"]  # one fixed order
    assert graph_to_plan(plan_to_graph(plan)) == plan
    book = tmp_path / "plan.xlsx"
    book.write_bytes(write_xlsx(plan, "vi"))
    header = load_plan(book).plan.plan
    assert header.document == "adopted_plan"
    assert (header.adopted.act, header.adopted.on, header.adopted.body) == (
        "39/2020/NQ-HĐND", dt.date(2020, 12, 13), "peoples_council")


def test_an_unknown_document_kind_is_refused_with_its_place(cli, tmp_path):
    code, _, err = cli("validate", _file(tmp_path, document="resolution"), "--lang", "en")
    assert code == 2 and "document" in err and "adopted_plan" in err and ":42:3" in err


def test_dossier_checks_run_on_a_dossier_and_not_on_the_published_resolution(tmp_path):
    def rules(**header):
        path = _file(tmp_path, submitted={"by": "DPI", "on": dt.date(2025, 9, 1)}, **header)
        return {f.rule for f in validate([str(path)], policy=_no_group()).findings}
    assert {"PAR-01", "PAR-04"} <= rules(document="dossier")
    assert {"PAR-01", "PAR-04"} <= rules()  # not said: checked as before
    assert not {"PAR-01", "PAR-04"} & rules(document="adopted_plan", adopted=ADOPTED)


def _no_group():
    from validator.pipeline.validate import Policy
    return Policy(group=False)
