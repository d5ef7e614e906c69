"""``plancheck rules new``: a rule stub and its case file, for the author to fill in.

The stub parses and resolves, so ``rules check`` and ``rules test`` run on it, but it cannot
pass its own tests until it is filled in: its two cases share one plan and expect opposite
results (no rule can satisfy both), and its ``require false`` reports every entity. The
``TODO`` texts and the ``todo`` tag are reported by ``rules lint`` until they are replaced.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from validator.core.errors import InputError
from validator.core.i18n import _
from validator.rulelang.cache import load_ruleset
from validator.rulelang.packs import is_pack

RULE_ID = re.compile(r"[A-Z][A-Z0-9]*(-[A-Z0-9]+)*")
# the entity a new rule is about, with its variable and a sample entity of that kind
KINDS = {"target": "t", "objective": "o", "solution": "s", "plan": "p"}
_SAMPLE = {
    "target": ("T1", "objectives:\n        - id: O1\n          kind: general\n"
                     "          title: TODO objective\n          targets:\n"
                     "            - {id: T1, indicator: TODO indicator, unit: \"%\", "
                     "target: 50}"),
    "objective": ("O1", "objectives:\n        - id: O1\n          kind: general\n"
                        "          title: TODO objective"),
    "solution": ("S1", "objectives:\n        - id: O1\n          kind: general\n"
                       "          title: TODO objective\n          solutions:\n"
                       "            - {id: S1, title: TODO solution}"),
    "plan": ("case", "objectives: []"),
}


@dataclass
class Scaffold:
    rule_file: Path
    case_file: Path


def rule_stub(rule_id: str, kind: str) -> str:
    var = KINDS[kind]
    return f'''# {rule_id}: fill in every TODO, then run plancheck rules test and rules lint.

rule {rule_id}
  title vi "TODO: tiêu đề ngắn của quy tắc"
        en "TODO: a short title of the rule"
  severity warning
  source "TODO: the document and page this rule rests on"
  tags todo
  rationale vi "TODO: vì sao có quy tắc này"
            en "TODO: why this rule exists"
  for each {kind} {var}
  # where ...            (when the rule applies; remove if it applies to every {kind})
  require false        # TODO: the condition every {kind} must meet
  message vi "TODO: {kind} {{{var}.id}} ..."
          en "TODO: {kind} {{{var}.id}} ..."
'''


def case_stub(rule_id: str, kind: str) -> str:
    entity, plan = _SAMPLE[kind]
    return f'''# Cases of {rule_id}: a plan fragment each, and the entities the rule must report.
# Both cases start from the same plan; change each plan so it shows what it names.
rule: {rule_id}
cases:
  - name: TODO a plan that meets the rule
    expect: []
    plan:
      {plan}
  - name: TODO a plan that breaks the rule
    expect: [{entity}]
    plan:
      {plan}
'''


def _file_name(rule_id: str) -> str:
    return rule_id.lower() + ".rules"


def scaffold(rule_id: str, pack: Path, kind: str = "target") -> Scaffold:
    """Write ``PACK/<id>.rules`` and ``PACK/cases/<ID>.yaml``; refuse to overwrite."""
    if not RULE_ID.fullmatch(rule_id):
        raise InputError.single(rule_id, _("a rule id is upper-case letters and digits in "
                                           "parts joined by '-', like LC-01 or SMART-B"))
    if kind not in KINDS:
        raise InputError.single(kind, _("unknown entity kind; expected one of {kinds}",
                                        kinds=", ".join(KINDS)))
    if not pack.is_dir():
        raise InputError.single(str(pack), _("no such folder; create the pack folder first"))

    has_rules = any(pack.rglob("*.rules"))
    if is_pack(pack) or has_rules:
        existing = load_ruleset((str(pack),))
        found = next((r for r in [*existing.rules, *existing.disabled] if r.id == rule_id), None)
        if found is not None:
            where = f"{found.file}:{found.decl.pos.line}"
            raise InputError.single(str(pack), _(
                "the rule set already has a rule {rule} ({where}); choose another id, or "
                "redefine it by hand and list it under 'overrides' in pack.yaml",
                rule=rule_id, where=where))
    rule_file = pack / _file_name(rule_id)
    case_file = pack / "cases" / f"{rule_id}.yaml"
    for path in (rule_file, case_file):
        if path.exists():
            raise InputError.single(str(path), _("the file exists; not overwriting it"))
    case_file.parent.mkdir(exist_ok=True)
    rule_file.write_text(rule_stub(rule_id, kind), encoding="utf-8")
    case_file.write_text(case_stub(rule_id, kind), encoding="utf-8")
    return Scaffold(rule_file, case_file)
