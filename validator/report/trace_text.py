"""Traces of why a rule fired (or not) as text: ``plancheck explain`` and the traces that
``validate --explain`` puts under each finding."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from validator.core.i18n import _, in_lang, render
from validator.plan.model import LocalText, format_value
from validator.report.cite import citation
from validator.report.reading import KIND_NAMES, SEVERITY_NAMES, evidence_rows

VERDICTS = {
    "vi": {"fired": "ĐÃ PHÁT HIỆN: điều kiện require sai",
           "not_applicable": "không áp dụng: một điều kiện where không đúng",
           "holds": "đạt: điều kiện require đúng",
           "unknown": "không kết luận: thiếu dữ liệu để xét điều kiện require",
           "true": "đúng", "false": "sai", "none": "chưa biết", "missing": "không có",
           "witnesses": "thỏa", "counterexamples": "vi phạm", "counted": "được tính",
           "values": "giá trị đã đọc", "of": "trong", "entities": "đối tượng",
           "summary": "{n} {kind}: {fired} phát hiện, {na} không áp dụng, {ok} đạt, "
                      "{unknown} không kết luận"},
    "en": {"fired": "FIRED: the requirement is false",
           "not_applicable": "not applicable: a where condition does not hold",
           "holds": "passed: the requirement holds",
           "unknown": "undecided: data is missing to judge the requirement",
           "true": "true", "false": "false", "none": "unknown", "missing": "missing",
           "witnesses": "matching", "counterexamples": "failing", "counted": "counted",
           "values": "values read", "of": "of", "entities": "entities",
           "summary": "{n} {kind} entities: {fired} fired, {na} not applicable, {ok} passed, "
                      "{unknown} undecided"},
}


def display(value: Any, lang: str = "en") -> str:
    """A value as it reads in an explanation: texts quoted, lists in brackets."""
    if value is None:
        return VERDICTS[lang]["missing"]
    if isinstance(value, bool):
        return VERDICTS[lang]["true" if value else "false"]
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
    """A trace as text lines: the lets, each condition with its value, the members matched."""
    words = VERDICTS[lang]
    lines = [f"{indent}{words[t['verdict']]}"]
    for let in t["lets"]:
        value = display(let["value"], lang)
        lines.append(f"{indent}  let {let['name']} = {let['text']}  → {value}")
    for c in t["conditions"]:
        mark = {True: "✓", False: "✗", None: "?"}[c["value"]]
        if t["verdict"] == "not_applicable" and c["clause"] == "require":
            mark = "·"  # not needed: the rule does not apply
        value = words["none"] if c["value"] is None else display(c["value"], lang)
        lines.append(f"{indent}  {mark} {c['clause']} {c['text']}  → {value}")
        for m in c.get("matched", []):
            ids = ", ".join(format_value(x) for x in m["members"]) or "—"
            lines.append(f"{indent}      {words[m['role']]}: {ids}")
    if t["values"]:
        shown = "; ".join(f"{k} = {display(v, lang)}" for k, v in t["values"].items())
        lines.append(f"{indent}  {words['values']}: {shown}")
    return lines


def render_text(report: dict[str, Any], lang: str = "en", raw: bool = False) -> str:
    """The ``plancheck explain`` report as text: for a reviewer (the rule's title, reason
    and citation, and for each entity the verdict and the values looked at, in ``lang``),
    or with ``raw`` for a rule author (the rule's text and each condition's value)."""
    if not raw:
        return _reviewer_text(report, lang)
    rule = report["rule"]
    out = [f"rule {rule['id']} ({report['severity']}): {rule['title'].get(lang, '')}",
           f"  {rule['file']}:{rule['line']}", ""]
    out += ["  " + line for line in rule["text"].splitlines()]
    for t in report["traces"]:
        e = t["entity"]
        where = f"{e['file']}:{e['line']}" if e["line"] else e["file"]
        out += ["", f"{e['kind']} {e['id']}  ({where})"]
        out += trace_lines(t, lang, "  ")
    if report["counts"]:
        c = report["counts"]
        words = VERDICTS[lang]
        out += ["", words["summary"].format(n=report["candidates"], kind=rule["entity"],
                                            fired=c["fired"], na=c["not_applicable"],
                                            ok=c["holds"], unknown=c["unknown"])]
    return "\n".join(out) + "\n"


_VERDICTS = {"fired": _("FOUND: the rule's requirement is not met"),
             "not_applicable": _("not applicable: the rule does not concern this entity"),
             "holds": _("passed: the rule's requirement is met"),
             "unknown": _("undecided: data is missing to judge it")}


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
    words = VERDICTS[lang]
    for t in report["traces"]:
        e = t["entity"]
        kind = render(KIND_NAMES.get(e["kind"], e["kind"]), lang)
        where = render(_("{file}, line {line}", file=e["file"], line=e["line"]), lang) \
            if e["line"] else e["file"]
        out += ["", f"{kind} {e['id']}  ({where})", "  " + render(_VERDICTS[t["verdict"]], lang)]
        seen = SimpleNamespace(evidence=t["values"], entity_kind=e["kind"])
        rows = evidence_rows(seen, lang)
        if rows:
            out.append("  " + render(_("looked at: {values}", values="; ".join(
                f"{label}: {value}" for label, value in rows)), lang))
    if report["counts"]:
        c = report["counts"]
        kind = render(KIND_NAMES.get(rule["entity"], rule["entity"]), lang)
        out += ["", words["summary"].format(n=report["candidates"], kind=kind,
                                            fired=c["fired"], na=c["not_applicable"],
                                            ok=c["holds"], unknown=c["unknown"])]
    out += ["", render(_("(the rule's conditions and computed values: explain --raw)"), lang)]
    return "\n".join(out) + "\n"
