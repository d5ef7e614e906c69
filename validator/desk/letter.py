"""The remarks letter: the DPI's written response to a submission, as a Word document.

It names the plan, its version and the date, lists the open findings grouped by objective
(each with the reviewer's remarks on it), the exceptions accepted with their reasons, and
the reviewer's general remarks. Vietnamese by default, as the letter goes to a Vietnamese
office.
"""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import UTC, date, datetime
from typing import Any

from docx import Document
from docx.shared import Pt

from validator.core.i18n import _, render
from validator.desk import shown
from validator.desk.service import SEVERITY_TEXT


def letter(sub: Any, events: list[Any], waivers: list[Any], lang: str = "vi",
           day: date | None = None) -> bytes:
    """The .docx bytes of the remarks letter for a checked submission."""
    day = day or date.today()
    result = sub.result or {}
    plan = (result.get("plans") or [{}])[0]
    title = (plan.get("title") or {}).get(lang) or sub.filename

    def t(message: Any) -> str:
        return render(message, lang)

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(13)
    doc.add_heading(t(_("Remarks on the submitted plan")), level=1)
    doc.add_paragraph(t(_("Plan: {title}", title=title)))
    doc.add_paragraph(t(_("Plan id: {plan_id}; version {version}; file {file}",
                          plan_id=sub.plan_id or "", version=sub.version or 1,
                          file=sub.filename)))
    doc.add_paragraph(t(_("Date: {day}", day=day)))

    remarks: dict[tuple[str, str], list[str]] = defaultdict(list)
    general = []
    for event in events:
        if not event.remark:
            continue
        if event.rule:
            if not any(w.rule == event.rule and w.entity == event.entity for w in waivers):
                remarks[(event.rule, event.entity or "")].append(event.remark)
        else:
            general.append(event)

    objectives = {o["id"]: o for o in plan.get("objectives", [])}
    groups: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
    for finding in result.get("findings", []):
        objective = finding["entity"]["objective"]
        groups[objective if objective in objectives else None].append(finding)
    doc.add_heading(t(_("Findings to address")), level=2)
    if not groups:
        doc.add_paragraph(t(_("The checks found nothing to address.")))
    order = [None, *objectives] if None in groups else list(objectives)
    for objective in order:
        if objective not in groups:
            continue
        heading = (t(_("The plan as a whole")) if objective is None else
                   f"{objective}: {objectives[objective]['title'].get(lang, '')}")
        doc.add_heading(heading, level=3)
        for finding in groups[objective]:
            where = shown.where(finding["location"], lang)
            para = doc.add_paragraph(style="List Number")
            para.add_run(f"{t(SEVERITY_TEXT[finding['severity']])} "
                         f"{finding['rule']} ({finding['entity']['id']}"
                         f"{', ' + where if where else ''}): ").bold = True
            para.add_run(finding["message"].get(lang) or finding["message"].get("en", ""))
            for remark in remarks.get((finding["rule"], finding["entity"]["id"]), []):
                doc.add_paragraph(t(_("Reviewer's remark: {remark}", remark=remark)),
                                  style="List Bullet")

    doc.add_heading(t(_("Accepted exceptions")), level=2)
    if not waivers:
        doc.add_paragraph(t(_("None.")))
    for waiver in waivers:
        doc.add_paragraph(t(_("{rule} on {entity}: {reason} (accepted by {reviewer}, {day})",
                              rule=waiver.rule, entity=waiver.entity, reason=waiver.reason,
                              reviewer=waiver.reviewer, day=_day(waiver.created_at))),
                          style="List Bullet")
    if general:
        doc.add_heading(t(_("General remarks")), level=2)
        for event in general:
            doc.add_paragraph(f"{event.remark} ({event.actor}, "
                              f"{render(_day(event.at), lang)})", style="List Bullet")
    doc.core_properties.title = t(_("Remarks on the submitted plan"))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _day(moment: datetime) -> date:
    """The day of a stored time (UTC) in the desk machine's time zone."""
    return moment.replace(tzinfo=UTC).astimezone().date()
