"""JUnit XML (``--format junit``): a test case per plan file, a failure per finding at or
above ``--fail-on``; lower findings and waived ones are listed in the case's system-out.
``failures`` counts the failing test cases (files)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from validator.core.findings import SEVERITY_RANK, Finding
from validator.core.i18n import _
from validator.core.i18n import render as say
from validator.report.cite import citation
from validator.report.reading import SEVERITY_NAMES


def _fails(finding: Finding, fail_on: str) -> bool:
    return fail_on != "never" and SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[fail_on]


def _line(finding: Finding, lang: str) -> str:
    message = finding.message_in(lang)
    severity = say(SEVERITY_NAMES[finding.severity], lang)
    return f"{finding.location}: {severity} {finding.rule} [{finding.entity}]: {message}"


def render(result: Any, options: Any) -> str:
    lang, fail_on = options.lang, options.fail_on
    by_file: dict[str, list[Finding]] = {f: [] for f in result.files}
    for finding in result.findings:
        by_file.setdefault(finding.location.file, []).append(finding)
    waived: dict[str, list[Any]] = {}
    for w in result.waived:
        waived.setdefault(w.finding.location.file, []).append(w)
        by_file.setdefault(w.finding.location.file, [])
    suites = ET.Element("testsuites", name="plancheck")
    suite = ET.SubElement(suites, "testsuite", name="plancheck")
    failing = 0  # test cases (files) with a failure
    for file, findings in by_file.items():
        case = ET.SubElement(suite, "testcase", classname="plancheck", name=file, file=file)
        notes = []
        for finding in findings:
            title = finding.title_in(lang)
            if _fails(finding, fail_on):
                failure = ET.SubElement(case, "failure", type=finding.severity,
                                        message=f"{finding.rule}: {title}")
                failure.text = _line(finding, lang) + "\n" + citation(finding.source, lang)
            else:
                notes.append(_line(finding, lang))
        notes += [say(_("waived: {finding} (reason: {reason})", finding=_line(w.finding, lang),
                           reason=w.waiver.reason), lang) for w in waived.get(file, [])]
        if notes:
            ET.SubElement(case, "system-out").text = "\n".join(notes)
        failing += case.find("failure") is not None
    for element in (suites, suite):
        element.set("tests", str(len(by_file)))
        element.set("failures", str(failing))
        element.set("errors", "0")
    suite.set("skipped", "0")
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(
        suites, encoding="unicode") + "\n"
