"""Waivers: accepted findings, each with a reason, kept in a YAML file (``--waivers FILE``).

    - rule: SMART-S                 # required: a rule id
      entity: O2.T4                 # an entity id (plan, objective, solution, target) ...
      path: "communes/*.yaml"       # ... and/or a path glob, relative to this file's folder
      plan: lc-sedp-2026-2030       # optional: only in this plan
      reason: "The indicator name is the ministry's own wording."   # required
      approved_by: "DPI Lào Cai"
      expires: 2026-12-31           # optional: the waiver lapses after this day

Waived findings are reported apart with their waiver. A waiver past its ``expires`` date
waives nothing and becomes a finding itself (``WAIVER-EXPIRED``); a waiver that could have
matched in this run but matched nothing is reported like an unused ``noqa``
(``WAIVER-UNUSED``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from validator.core.errors import InputError, Problem, caret_excerpt, format_path
from validator.core.files import read_text
from validator.core.findings import Finding, Location
from validator.core.hints import close_matches, did_you_mean
from validator.core.sourcemap import SourceMap
from validator.findings.meta import EXPIRED, META_RULES, UNUSED
from validator.findings.selection import path_matches
from validator.formats.yaml_json import load_yaml
from validator.plan.loaded import LoadedPlan

FIELDS = ("rule", "entity", "path", "plan", "reason", "approved_by", "expires")
@dataclass(frozen=True)
class Waiver:
    """One entry of a waiver file."""

    rule: str
    reason: str
    file: str
    index: int
    entity: str | None = None
    path: str | None = None
    plan: str | None = None
    approved_by: str | None = None
    expires: date | None = None
    line: int | None = None
    column: int | None = None

    @property
    def base(self) -> Path:
        return Path(self.file).parent

    @property
    def label(self) -> str:
        """``RULE entity``, ``RULE path`` or ``RULE entity in path``."""
        scope = " in ".join(s for s in (self.entity, self.path) if s)
        return f"{self.rule} {scope}".strip()

    def matches(self, finding: Finding) -> bool:
        return (finding.rule == self.rule
                and (self.entity is None or finding.entity == self.entity)
                and (self.plan is None or finding.plan == self.plan)
                and (self.path is None or path_matches(self.path, finding.location.file,
                                                       self.base)))

    def expired(self, today: date) -> bool:
        return self.expires is not None and self.expires < today

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "entity": self.entity, "path": self.path, "plan": self.plan,
                "reason": self.reason, "approved_by": self.approved_by,
                "expires": self.expires.isoformat() if self.expires else None,
                "file": self.file, "line": self.line}


@dataclass(frozen=True)
class Waived:
    """A finding accepted by a waiver."""

    finding: Finding
    waiver: Waiver

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        return {**self.finding.to_dict(lang), "waiver": self.waiver.to_dict()}


def load_waivers(path: Path) -> list[Waiver]:
    """Read and check a waiver file; a malformed one is a located input error (exit 2)."""
    file = str(path)
    text = read_text(path)
    if all(not line.strip() or line.lstrip().startswith(("#", "---"))
           for line in text.splitlines()):
        return []
    data, source = load_yaml(text, file)
    if not isinstance(data, list):
        raise InputError([Problem(file, "expected a list of waivers (- rule: …, reason: …), "
                                  f"got a {type(data).__name__}", line=1, column=1,
                                  excerpt=caret_excerpt(text, 1, 1) or None)])
    problems: list[Problem] = []
    waivers = [w for i, item in enumerate(data)
               if (w := _entry(item, i, file, source, problems)) is not None]
    if problems:
        raise InputError(problems)
    return waivers


def _entry(item: Any, i: int, file: str, source: SourceMap,
           problems: list[Problem]) -> Waiver | None:
    def bad(key: str | None, message: str) -> None:
        problems.append(source.problem((i, key) if key else (i,), message))

    if not isinstance(item, dict):
        bad(None, "expected a waiver: a mapping with rule, reason and entity or path")
        return None
    before = len(problems)
    for key in item:
        if key not in FIELDS:
            bad(key, "unknown field" + (did_you_mean(str(key), FIELDS)
                                        or f"; expected one of {', '.join(FIELDS)}"))
    for key in ("rule", "entity", "path", "plan", "reason", "approved_by"):
        value = item.get(key)
        if value is not None and not (isinstance(value, str) and value.strip()):
            bad(key, f"expected text, got {value!r}")
    for key, what in (("rule", "the id of the rule waived"),
                      ("reason", "why the finding is accepted")):
        if key not in item:
            bad(None, f"missing {key!r}: {what}")
    if "entity" not in item and "path" not in item:
        bad(None, "a waiver needs an 'entity' id or a 'path' glob (or both)")
    expires = item.get("expires")
    if expires is not None:
        try:
            expires = date.fromisoformat(str(expires))
        except ValueError:
            bad("expires", f"expected a date YYYY-MM-DD, got {item['expires']!r}")
    if len(problems) > before:
        return None
    where = source.locate((i,))
    return Waiver(rule=item["rule"].strip(), reason=item["reason"].strip(), file=file,
                  index=i, entity=item.get("entity"), path=item.get("path"),
                  plan=item.get("plan"), approved_by=item.get("approved_by"),
                  expires=expires, line=where[0] if where else None,
                  column=where[1] if where else None)


def entity_ids(loaded: LoadedPlan) -> set[str]:
    """The ids a finding about this plan can name."""
    plan = loaded.plan
    ids = {plan.plan.id} | {f"consultation-{i + 1}" for i in range(len(plan.plan.consultations))}
    for o in plan.objectives:
        ids.add(o.id)
        ids.update(s.id for s in o.solutions)
        ids.update(t.id for t in o.targets)
    return ids


def in_scope(waiver: Waiver, plans: Iterable[LoadedPlan]) -> bool:
    """Whether this run checked what the waiver is about: a plan its ``plan`` and ``path``
    cover, or, for a waiver naming only an entity, a plan that has that entity (so a run
    over some of the files does not call the others' waivers unused)."""
    scoped = waiver.plan is not None or waiver.path is not None
    return any((waiver.plan is None or p.plan.plan.id == waiver.plan)
               and (waiver.path is None or path_matches(waiver.path, p.file, waiver.base))
               and (scoped or waiver.entity in entity_ids(p))
               for p in plans)


def meta_finding(rule: str, waiver: Waiver, message: dict[str, str]) -> Finding:
    info = META_RULES[rule]
    return Finding(rule=rule, severity=info["severity"], title=dict(info["title"]),
                   message=message, entity_kind="waiver", entity=waiver.label, plan="",
                   objective=None,
                   location=Location(waiver.file, waiver.line, waiver.column,
                                     format_path((waiver.index,))),
                   source=info["source"], tags=tuple(info["tags"]),
                   evidence={k: v for k, v in waiver.to_dict().items()
                             if v is not None and k not in ("file", "line")})


def apply_waivers(findings: list[Finding], waivers: list[Waiver], plans: list[LoadedPlan],
                  enabled: Callable[[str], bool], known_rules: set[str],
                  today: date | None = None) -> tuple[list[Finding], list[Waived],
                                                      list[Finding]]:
    """Split findings into kept and waived; return also the findings about the waivers
    themselves (expired, unused)."""
    today = today or date.today()
    active = [w for w in waivers if not w.expired(today)]
    kept, waived, used = [], [], set()
    for finding in findings:
        waiver = next((w for w in active if w.matches(finding)), None)
        if waiver is None:
            kept.append(finding)
        else:
            waived.append(Waived(finding, waiver))
            used.add(waiver.index)
    meta = []
    for w in waivers:
        if w.expired(today):
            day = w.expires.isoformat() if w.expires else ""
            meta.append(meta_finding(EXPIRED, w, {
                "vi": f"Miễn trừ {w.label} đã hết hạn ngày {day} (lý do: {w.reason}); các "
                      "phát hiện của nó được báo cáo lại.",
                "en": f"The waiver for {w.label} expired on {day} (reason: {w.reason}); its "
                      "findings are reported again."}))
        elif w.index not in used and w.rule not in known_rules:
            close = close_matches(w.rule, known_rules)
            hint_vi = f"; có phải là {close[0]}?" if close else ""
            hint_en = f"; did you mean {close[0]}?" if close else ""
            meta.append(meta_finding(UNUSED, w, {
                "vi": f"Miễn trừ {w.label} nêu quy tắc {w.rule} không có trong bộ quy tắc"
                      f"{hint_vi}",
                "en": f"The waiver for {w.label} names rule {w.rule}, which is not in the "
                      f"rule set{hint_en}"}))
        elif w.index not in used and enabled(w.rule) and in_scope(w, plans):
            meta.append(meta_finding(UNUSED, w, {
                "vi": f"Miễn trừ {w.label} không khớp phát hiện nào; hãy xoá nó.",
                "en": f"The waiver for {w.label} matches no finding; remove it."}))
    return kept, waived, meta
