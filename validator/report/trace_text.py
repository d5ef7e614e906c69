"""Traces of why a rule fired (or not) as text: ``plancheck explain`` and the traces that
``validate --explain`` puts under each finding.

A reviewer reads a trace as sentences: the verdict, the values the rule looked at (labelled
as a form labels them, in the reader's language) and the entities its conditions picked
out. The raw view, for a rule author (``explain --raw``; the JSON has the same data), shows
the rule's text, each ``let`` and condition as written with its value, in the rule
language's own words (``let``, ``where``, ``require``).
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from validator.core.i18n import N_, Message, _, in_lang, render
from validator.plan.model import LocalText, format_value
from validator.plan.shown import value_text
from validator.report.cite import citation
from validator.report.reading import KIND_NAMES, SEVERITY_NAMES, evidence_rows

# --- the raw view: the rule as written, each condition's value ---

RAW_VERDICTS = {"fired": _("FIRED: the requirement is false"),
                "not_applicable": _("not applicable: a where condition does not hold"),
                "holds": _("passed: the requirement holds"),
                "unknown": _("undecided: data is missing to judge the requirement")}
RAW_ROLES = {"witnesses": _("matching"), "counterexamples": _("failing"),
             "counted": _("counted")}
TRUE, FALSE, UNKNOWN, MISSING = _("true"), _("false"), _("unknown"), _("missing")


def display(value: Any, lang: str = "en") -> str:
    """A value as it reads in the raw view: texts quoted, lists in brackets."""
    if value is None:
        return render(MISSING, lang)
    if isinstance(value, bool):
        return render(TRUE if value else FALSE, lang)
    if hasattr(value, "KIND"):
        return f"{value.KIND} {value.id}"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, LocalText):
        return " / ".join(f'"{t}"' for t in (value.vi, value.en) if t)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(display(v, lang) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {display(v, lang)}" for k, v in value.items()) + "}"
    return format_value(value)


def trace_lines(t: dict[str, Any], lang: str = "en", indent: str = "") -> list[str]:
    """A trace in the raw view: the lets, each condition with its value, the members
    matched."""
    lines = [indent + render(RAW_VERDICTS[t["verdict"]], lang)]
    for let in t["lets"]:
        value = display(let["value"], lang)
        lines.append(f"{indent}  let {let['name']} = {let['text']}  → {value}")
    for c in t["conditions"]:
        mark = {True: "✓", False: "✗", None: "?"}[c["value"]]
        if t["verdict"] == "not_applicable" and c["clause"] == "require":
            mark = "·"  # not needed: the rule does not apply
        value = render(UNKNOWN, lang) if c["value"] is None else display(c["value"], lang)
        lines.append(f"{indent}  {mark} {c['clause']} {c['text']}  → {value}")
        for m in c.get("matched", []):
            ids = ", ".join(format_value(x) for x in m["members"]) or "—"
            lines.append(f"{indent}      {render(RAW_ROLES[m['role']], lang)}: {ids}")
    if t["values"]:
        shown = "; ".join(f"{k} = {display(v, lang)}" for k, v in t["values"].items())
        lines.append(indent + "  " + render(_("values read: {values}", values=shown), lang))
    return lines


def render_text(report: dict[str, Any], lang: str = "en", raw: bool = False) -> str:
    """The ``plancheck explain`` report as text: for a reviewer (the rule's title, reason
    and citation, and for each entity the verdict and the values looked at, in ``lang``),
    or with ``raw`` for a rule author (the rule's text and each condition's value)."""
    if not raw:
        return _reviewer_text(report, lang)
    rule = report["rule"]
    out = [render(_("rule {id} ({severity}): {title}", id=rule["id"],
                    severity=report["severity"], title=rule["title"].get(lang, "")), lang),
           f"  {rule['file']}:{rule['line']}", ""]
    out += ["  " + line for line in rule["text"].splitlines()]
    for t in report["traces"]:
        e = t["entity"]
        where = f"{e['file']}:{e['line']}" if e["line"] else e["file"]
        out += ["", f"{e['kind']} {e['id']}  ({where})"]
        out += trace_lines(t, lang, "  ")
    if report["counts"]:
        c = report["counts"]
        out += ["", render(N_(
            "{n} {kind} entity: {fired} fired, {na} not applicable, {ok} passed, {unknown} "
            "undecided",
            "{n} {kind} entities: {fired} fired, {na} not applicable, {ok} passed, {unknown} "
            "undecided", report["candidates"], kind=rule["entity"], fired=c["fired"],
            na=c["not_applicable"], ok=c["holds"], unknown=c["unknown"]), lang)]
    return "\n".join(out) + "\n"


# --- the reviewer's view: sentences ---

VERDICTS = {"fired": _("FOUND: the rule's requirement is not met"),
            "not_applicable": _("not applicable: the rule does not concern this entity"),
            "holds": _("passed: the rule's requirement is met"),
            "unknown": _("undecided: data is missing to judge it")}
RAW_HINT = _("(the rule's conditions and computed values: explain --raw)")


def counted(kind: str, n: int) -> Message:
    """``8 chỉ tiêu`` / ``8 targets``: a count of entities of one kind."""
    found = {"plan": N_("{n} plan", "{n} plans", n),
             "objective": N_("{n} objective", "{n} objectives", n),
             "solution": N_("{n} solution", "{n} solutions", n),
             "target": N_("{n} target", "{n} targets", n),
             "consultation": N_("{n} consultation", "{n} consultations", n)}
    return found.get(kind) or N_("{n} entity", "{n} entities", n)


def reviewer_rows(t: dict[str, Any], lang: str) -> list[tuple[str, str]]:
    """What a trace shows a reviewer, as (label, value): the values the rule looked at,
    then the entities (or values) that the deciding conditions picked out."""
    seen = SimpleNamespace(evidence=t["values"], entity_kind=t["entity"]["kind"])
    rows = evidence_rows(seen, lang)
    deciding = set(t.get("because", []))
    for c in t["conditions"]:
        if c["text"] not in deciding:
            continue
        for m in c.get("matched", []):
            if not m["members"]:
                continue
            label = _("Counted") if m["role"] == "counted" else _("In question")
            items = ", ".join(x if isinstance(x, str) else value_text(x, lang)
                              for x in m["members"])
            rows.append((render(label, lang), items))
    return rows


def reviewer_lines(t: dict[str, Any], lang: str, indent: str = "") -> list[str]:
    """A trace as a reviewer reads it: the verdict, then one labelled line per value."""
    lines = [indent + render(VERDICTS[t["verdict"]], lang)]
    lines += [f"{indent}  {label}: {value}" for label, value in reviewer_rows(t, lang)]
    return lines


def _reviewer_text(report: dict[str, Any], lang: str) -> str:
    rule = report["rule"]
    severity = render(SEVERITY_NAMES.get(report["severity"], report["severity"]), lang)
    out = [render(_("Rule {id} ({severity}): {title}", id=rule["id"], severity=severity,
                    title=in_lang(rule["title"], lang)), lang)]
    reason = in_lang(rule.get("rationale") or {}, lang)
    if reason:
        out.append("  " + reason)
    if rule.get("source"):
        out.append("  " + render(_("Source: {source}", source=citation(rule["source"], lang)),
                                 lang))
    for t in report["traces"]:
        e = t["entity"]
        kind = render(KIND_NAMES.get(e["kind"], e["kind"]), lang)
        where = render(_("{file}, line {line}", file=e["file"], line=e["line"]), lang) \
            if e["line"] else e["file"]
        out += ["", f"{kind} {e['id']}  ({where})", *reviewer_lines(t, lang, "  ")]
    if report["counts"]:
        c = report["counts"]
        out += ["", render(_("{entities}: {fired} found, {na} not applicable, {ok} passed, "
                             "{unknown} undecided",
                             entities=counted(rule["entity"], report["candidates"]),
                             fired=c["fired"], na=c["not_applicable"], ok=c["holds"],
                             unknown=c["unknown"]), lang)]
    out += ["", render(RAW_HINT, lang)]
    return "\n".join(out) + "\n"
