"""Waivers: accepted findings, each with a reason, kept in a YAML file (``--waivers FILE``):
a list of :class:`WaiverEntry`.

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
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    ModelWrapValidatorHandler,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from validator.core.errors import InputError, Problem, caret_excerpt, format_path
from validator.core.files import read_text
from validator.core.findings import Finding, Location
from validator.core.hints import close_matches
from validator.core.i18n import Message, _
from validator.core.schemas import (
    StrictModel,
    Worded,
    Wording,
    errors_at,
    located_problems,
    shown_value,
    worded,
)
from validator.findings.meta import EXPIRED, META_RULES, UNUSED, in_both
from validator.findings.selection import glob_problem, path_matches
from validator.formats.yaml_json import load_yaml
from validator.plan.loaded import LoadedPlan

_Filled = Annotated[str, StringConstraints(pattern=r"\S")]
_Text = Annotated[_Filled | None, Worded(_("expected text, got {got}"))]
_Required = Annotated[_Filled, Worded(_("expected text, got {got}"))]
# the descriptions of the required keys, said after "missing required key" (core.schemas)
_DESCRIBED = (_("the id of the rule waived"), _("why the finding is accepted"))

_UNSCOPED = _("a waiver needs an 'entity' id or a 'path' glob (or both)")


def _day(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(str(value))


def _safe_glob(pattern: str | None) -> str | None:
    problem = glob_problem(pattern) if pattern is not None else None
    if problem is not None:
        raise worded(problem)
    return pattern


class WaiverEntry(StrictModel):
    """One waiver; the file is a list of them::

        - rule: SMART-S                 # required: a rule id
          entity: O2.T4                 # an entity id (plan, objective, solution, target) ...
          path: "communes/*.yaml"       # ... and/or a path glob, relative to this file's folder
          plan: lc-sedp-2026-2030       # optional: only in this plan
          reason: "The indicator name is the ministry's own wording."   # required
          approved_by: "DPI Lào Cai"
          expires: 2026-12-31           # optional: the waiver lapses after this day

    Each value is a text that is not blank (an optional key given as ``null`` is as if it
    were not given); ``expires`` is a day ``YYYY-MM-DD``. Every problem of the file is
    reported at once, at its line and column.
    """

    rule: Annotated[_Required, Field(description="the id of the rule waived")]
    entity: _Text = None
    path: Annotated[_Text, AfterValidator(_safe_glob)] = None
    plan: _Text = None
    reason: Annotated[_Required, Field(description="why the finding is accepted")]
    approved_by: _Text = None
    expires: Annotated[date | None, BeforeValidator(_day),
                       Worded(_("expected a date YYYY-MM-DD, got {got}"))] = None

    @model_validator(mode="wrap")
    @classmethod
    def _scoped(cls, data: Any, handler: ModelWrapValidatorHandler[WaiverEntry]) -> WaiverEntry:
        """A waiver names what it waives: an entity, a path glob or both (reported with the
        other problems of the entry)."""
        unscoped = (isinstance(data, dict) and data.get("entity") is None
                    and data.get("path") is None)
        try:
            entry = handler(data)
        except ValidationError as exc:
            if unscoped:
                raise errors_at([((), _UNSCOPED, data)], exc) from None
            raise
        if unscoped:
            raise worded(_UNSCOPED)
        return entry


WaiverFile = list[Annotated[WaiverEntry, Worded(
    _("expected a waiver: a mapping with rule, reason and entity or path"), depth=0)]]
_ENTRIES = TypeAdapter(WaiverFile)
_WORDING = Wording.of(WaiverFile)


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
        raise InputError([Problem(file, _("expected a list of waivers (- rule: …, reason: …), "
                                          "got {got}", got=shown_value(data)), line=1, column=1,
                                  excerpt=caret_excerpt(text, 1, 1) or None)])
    try:
        entries = _ENTRIES.validate_python(data)
    except ValidationError as exc:
        raise InputError(located_problems(exc, _WORDING, source)) from None
    waivers = []
    for i, entry in enumerate(entries):
        where = source.locate((i,))
        waivers.append(Waiver(
            rule=entry.rule.strip(), reason=entry.reason.strip(), file=file, index=i,
            entity=entry.entity, path=entry.path, plan=entry.plan,
            approved_by=entry.approved_by, expires=entry.expires,
            line=where[0] if where else None, column=where[1] if where else None))
    return waivers


def entity_ids(loaded: LoadedPlan) -> set[str]:
    """The ids a finding about this plan can name."""
    plan = loaded.plan
    ids = {plan.plan.id} | {f"consultation-{i + 1}" for i in range(len(plan.plan.consultations))}
    for o in plan.objectives:
        ids.add(o.id)
        ids.update(s.id for s in o.solutions)
        ids.update(t.id for t in o.targets)
    ids.update(s.id for s in plan.solutions)  # plan-level solutions
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


def meta_finding(rule: str, waiver: Waiver, message: Message) -> Finding:
    info = META_RULES[rule]
    return Finding(rule=rule, severity=info["severity"], title=in_both(info["title"]),
                   message=in_both(message), entity_kind="waiver", entity=waiver.label, plan="",
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
            meta.append(meta_finding(EXPIRED, w, _(
                "The waiver for {waiver} expired on {day} (reason: {reason}); its findings are "
                "reported again.", waiver=w.label, day=w.expires, reason=w.reason)))
        elif w.index not in used and w.rule not in known_rules:
            close = close_matches(w.rule, known_rules)
            hint = _("; did you mean {rule}?", rule=close[0]) if close else ""
            meta.append(meta_finding(UNUSED, w, _(
                "The waiver for {waiver} names rule {rule}, which is not in the rule set{hint}",
                waiver=w.label, rule=w.rule, hint=hint)))
        elif w.index not in used and enabled(w.rule) and in_scope(w, plans):
            meta.append(meta_finding(UNUSED, w, _(
                "The waiver for {waiver} matches no finding; remove it.", waiver=w.label)))
    return kept, waived, meta
