"""The intake corpus (tools/make_intake_corpus.py): every layout, as .xlsx, .xls and .docx,
loads to the same plan/1 data as its YAML twin, or is refused with a message located at a
cell (or a document's line) that says what to do; the same plan in the three formats gives
the same findings, at the same cells in .xlsx and .xls."""

from __future__ import annotations

import json
import sys

import pytest
from conftest import ROOT

from validator.core.errors import InputError
from validator.load import load_plan

sys.path.insert(0, str(ROOT / "tools"))
import make_intake_corpus as corpus  # noqa: E402

ITEMS = corpus.corpus()
CASES = [(item, fmt) for item in ITEMS for fmt in item.formats]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus")
    corpus.build(out)
    return out


def test_the_corpus_is_large_and_varied():
    plans = [i for i in ITEMS if i.twin is not None]
    assert len(plans) >= 20 and len(ITEMS) - len(plans) >= 3
    assert {fmt for i in ITEMS for fmt in i.formats} == {"xlsx", "xls", "docx"}


@pytest.mark.parametrize("item, fmt", CASES, ids=[f"{i.name}.{f}" for i, f in CASES])
def test_each_item_loads_as_its_twin_or_is_refused_where_it_is_wrong(item, fmt, built):
    path = built / f"{item.name}.{fmt}"
    if item.twin is None:
        with pytest.raises(InputError) as caught:
            load_plan(path)
        message = caught.value.render("en")
        cell, *words = item.refusal
        place = f"!{cell}: " if fmt != "docx" else ": title line "
        assert message.startswith(f"{path}") and place in message, message
        assert all(w in message for w in words), message
        assert len(caught.value.problems) == 1, message  # no echoes of the first error
        return
    twin = load_plan(built / f"{item.name}.yaml").plan.dump()
    assert load_plan(path).plan.dump() == twin


def test_the_same_plan_as_xlsx_xls_and_docx_gives_the_same_findings(cli, built):
    found = {}
    for fmt in corpus.FORMATS:
        code, out, err = cli("validate", built / f"01-manual-title-block.{fmt}", "--format",
                             "json", "--lang", "en")
        assert code == 1, err
        found[fmt] = json.loads(out)["findings"]
    what = {fmt: [(f["rule"], f["entity"]["id"], f["message"]) for f in findings
                  if f["rule"] != "XLSX-02"] for fmt, findings in found.items()}
    assert what["xlsx"] == what["xls"] == what["docx"] and what["xlsx"]
    cells = {fmt: [f["location"]["cell"] for f in findings] for fmt, findings in found.items()}
    assert cells["xlsx"] == cells["xls"]
    by_entity = {f["entity"]["id"]: f["location"]["cell"] for f in found["docx"]
                 if f["entity"]["kind"] == "target"}
    assert by_entity["O1.T1"] == "table 2, row 3, column 'Chỉ tiêu đầu vào'"
