"""How the bundled pack reads on published plans, measured against a reviewer's list.

``reviewed.yaml`` holds, for each plan file here, the remarks a provincial planning
department's reviewer would write on it (read from the plan and the MPI 2013 manual) and a
verdict on every finding the pack prints: TRUE (a remark the reviewer would make), FALSE (a
false alarm) or NOISE (right, but a repeat of one problem per entity that the reviewer
writes once). From it and the findings of a fresh run this module computes, per plan and
overall:

- precision: TRUE findings / all findings;
- recall: reviewer's remarks covered by at least one finding / all remarks;
- volume: findings / reviewer's remarks.

A finding is the pair (rule, entity): the pack reports each pair once. A grouped finding
(one for many entities of a plan, docs/rule-language.md "Grouping") is one finding; it is
judged through its members, which keep their per-entity verdicts: it is TRUE when one of
them is a remark the reviewer makes (TRUE, or NOISE: the repeat the group now writes once),
FALSE when all are false alarms. A remark is covered by a finding (or a member) of its rule
about one of its entities, or by a finding whose entry names the remark (a remark a
neighbouring rule makes). Entries marked ``fixed`` record false alarms
that a rule change removed; they are documentation and are not counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from validator.pipeline.validate import validate

HERE = Path(__file__).resolve().parent
REVIEWED = HERE / "reviewed.yaml"
VERDICTS = ("TRUE", "FALSE", "NOISE")
MISSING = "MISSING:"

Pair = tuple[str, str]  # (rule id, entity id)


class ReviewError(ValueError):
    """reviewed.yaml is not of the shape this module reads."""


@dataclass(frozen=True)
class Remark:
    """One remark of the reviewer: the rule that would make it (or MISSING:<name>)."""

    id: str
    rule: str
    entities: tuple[str, ...]
    why: str
    # set when a re-review found that the manual does not support the remark: the written,
    # cited reason; such a remark stays in the list but is not counted (recall, volume)
    outside_manual: str | None = None


@dataclass(frozen=True)
class Verdict:
    """The reviewer's verdict on the findings of one rule about some entities."""

    rule: str
    entities: tuple[str, ...]
    verdict: str
    why: str
    remark: str | tuple[str, ...] | None = None  # the remark (or remarks) it makes
    fixed: str | None = None  # the rule case that removed this false alarm


@dataclass(frozen=True)
class PlanReview:
    """Everything reviewed.yaml says about one plan file."""

    file: str
    kind: str
    level: str
    remarks: tuple[Remark, ...]
    verdicts: tuple[Verdict, ...]

    def labels(self) -> dict[Pair, Verdict]:
        """The verdict of each (rule, entity) the list judges, fixed entries included."""
        out: dict[Pair, Verdict] = {}
        for entry in self.verdicts:
            for entity in entry.entities:
                out[(entry.rule, entity)] = entry
        return out


@dataclass
class PlanMetrics:
    """The measures of one plan (or of all plans, when ``plan`` is "overall")."""

    plan: str
    kind: str
    level: str
    targets: int
    findings: int
    remarks: int
    true: int
    covered: int
    unreviewed: list[Pair] = field(default_factory=list)  # printed but not in the list
    stale: list[Pair] = field(default_factory=list)  # in the list but no longer printed
    refired: list[Pair] = field(default_factory=list)  # marked fixed, yet printed again
    uncovered: list[str] = field(default_factory=list)  # remark ids no finding covers

    @property
    def precision(self) -> float | None:
        return self.true / self.findings if self.findings else None

    @property
    def recall(self) -> float | None:
        return self.covered / self.remarks if self.remarks else None

    @property
    def volume(self) -> float | None:
        return self.findings / self.remarks if self.remarks else None

    @property
    def complete(self) -> bool:
        """True when every printed finding is judged and every judgement still applies."""
        return not (self.unreviewed or self.stale or self.refired)


def _tuple(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise ReviewError(f"{where}: entities must be a non-empty list of ids")
    return tuple(value)


def _text(entry: dict[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ReviewError(f"{where}: '{key}' must be a non-empty text")
    return value


def load_reviewed(path: Path = REVIEWED) -> dict[str, PlanReview]:
    """Read reviewed.yaml, refusing entries that could not be counted as meant."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ReviewError(f"{path.name}: expected a mapping of plan files")
    reviews: dict[str, PlanReview] = {}
    for file, body in data.items():
        if not isinstance(body, dict):
            raise ReviewError(f"{path.name}: {file}: expected kind, level, remarks, findings")
        remarks = []
        for i, entry in enumerate(body.get("remarks") or []):
            where = f"{file} remarks[{i}]"
            outside = entry.get("outside_manual")
            if outside is not None:
                outside = _text(entry, "outside_manual", where)
            remarks.append(Remark(_text(entry, "id", where), _text(entry, "rule", where),
                                  _tuple(entry.get("entities"), where), _text(entry, "why", where),
                                  outside))
        ids = [r.id for r in remarks]
        if len(set(ids)) != len(ids):
            raise ReviewError(f"{file}: remark ids repeat: {ids}")
        verdicts = []
        for i, entry in enumerate(body.get("findings") or []):
            where = f"{file} findings[{i}]"
            verdict = _text(entry, "verdict", where)
            if verdict not in VERDICTS:
                raise ReviewError(f"{where}: verdict {verdict!r} is not one of "
                                  f"{', '.join(VERDICTS)}")
            remark = entry.get("remark")
            if isinstance(remark, list):  # one finding that makes several remarks
                remark = tuple(remark)
            for one in (remark if isinstance(remark, tuple) else (remark,)):
                if one is not None and one not in ids:
                    raise ReviewError(f"{where}: remark {one!r} is not a remark of {file}")
            rule = _text(entry, "rule", where)
            if rule.startswith(MISSING):
                raise ReviewError(f"{where}: a finding has a rule of the pack, not {rule}")
            verdicts.append(Verdict(rule, _tuple(entry.get("entities"), where), verdict,
                                    _text(entry, "why", where), remark, entry.get("fixed")))
        review = PlanReview(file, _text(body, "kind", file), _text(body, "level", file),
                            tuple(remarks), tuple(verdicts))
        labels: dict[Pair, int] = {}
        for entry in verdicts:
            for entity in entry.entities:
                labels[(entry.rule, entity)] = labels.get((entry.rule, entity), 0) + 1
        twice = sorted(pair for pair, n in labels.items() if n > 1)
        if twice:
            raise ReviewError(f"{file}: judged more than once: {twice}")
        reviews[file] = review
    return reviews


def plan_files() -> list[Path]:
    """The published plans encoded here."""
    return [p for p in sorted(HERE.glob("*.yaml")) if p.name != REVIEWED.name]


def _remarks(remark: str | tuple[str, ...]) -> tuple[str, ...]:
    return remark if isinstance(remark, tuple) else (remark,)


def measure(review: PlanReview, printed: list[Pair], targets: int,
            groups: dict[Pair, list[Pair]] | None = None) -> PlanMetrics:
    """Compare one plan's printed findings with its reviewed list; ``groups`` gives the
    members of each grouped finding among ``printed``."""
    groups = groups or {}
    labels = review.labels()
    found = list(dict.fromkeys(printed))
    live = {pair: entry for pair, entry in labels.items() if entry.fixed is None}
    judged = [m for pair in found for m in groups.get(pair, [pair])]  # what carries a verdict
    judged_set = set(judged)

    def is_true(pair: Pair) -> bool:
        if pair not in groups:
            return pair in live and live[pair].verdict == "TRUE"
        return any(m in live and live[m].verdict in ("TRUE", "NOISE") for m in groups[pair])

    counted = [r for r in review.remarks if r.outside_manual is None]
    metrics = PlanMetrics(
        plan=review.file, kind=review.kind, level=review.level, targets=targets,
        findings=len(found), remarks=len(counted),
        true=sum(1 for pair in found if is_true(pair)),
        covered=0,
        unreviewed=[pair for pair in judged if pair not in labels],
        stale=sorted(pair for pair in live if pair not in judged_set),
        refired=[pair for pair in judged if pair in labels and labels[pair].fixed is not None])
    found = judged
    linked = {one for pair in found if pair in live and live[pair].remark
              for one in _remarks(live[pair].remark)}
    for remark in counted:
        entities = set(remark.entities)
        if remark.id in linked or any(rule == remark.rule and entity in entities
                                      for rule, entity in found):
            metrics.covered += 1
        else:
            metrics.uncovered.append(remark.id)
    return metrics


def measure_all(reviews: dict[str, PlanReview] | None = None) -> list[PlanMetrics]:
    """Validate every plan file here with the bundled pack and measure it."""
    reviews = load_reviewed() if reviews is None else reviews
    out = []
    for path in plan_files():
        if path.name not in reviews:
            raise ReviewError(f"{path.name} has no entry in {REVIEWED.name}")
        result = validate([str(path)])
        plan = result.plans[0].plan
        printed = [(f.rule, f.entity) for f in result.findings]
        groups = {(f.rule, f.entity): [(m.rule, m.entity) for m in f.members]
                  for f in result.findings if f.members}
        targets = sum(len(o.targets) for o in plan.objectives)
        metrics = measure(reviews[path.name], printed, targets, groups)
        if (plan.plan.kind, plan.plan.level) != (metrics.kind, metrics.level):
            raise ReviewError(f"{path.name}: reviewed as {metrics.kind}/{metrics.level}, but the "
                              f"file says {plan.plan.kind}/{plan.plan.level}")
        out.append(metrics)
    extra = sorted(set(reviews) - {p.name for p in plan_files()})
    if extra:
        raise ReviewError(f"{REVIEWED.name} reviews files that are not here: {extra}")
    return out


def overall(per_plan: list[PlanMetrics]) -> PlanMetrics:
    """All plans together: sums of the counts, so each finding and remark weighs the same."""
    return PlanMetrics(plan="overall", kind="", level="",
                       targets=sum(m.targets for m in per_plan),
                       findings=sum(m.findings for m in per_plan),
                       remarks=sum(m.remarks for m in per_plan),
                       true=sum(m.true for m in per_plan),
                       covered=sum(m.covered for m in per_plan))


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.0f}%"


def table(per_plan: list[PlanMetrics]) -> str:
    """The measures as a Markdown table, one row per plan and an overall row."""
    head = ("| plan | kind | level | targets | findings | remarks | precision | recall | volume |\n"
            "|---|---|---|---:|---:|---:|---:|---:|---:|")
    rows = []
    for m in [*per_plan, overall(per_plan)]:
        volume = "—" if m.volume is None else f"{m.volume:.1f}x"
        rows.append(f"| {m.plan} | {m.kind} | {m.level} | {m.targets} | {m.findings} | "
                    f"{m.remarks} | {_pct(m.precision)} | {_pct(m.recall)} | {volume} |")
    return "\n".join([head, *rows])
