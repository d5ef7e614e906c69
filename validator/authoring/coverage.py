"""Case coverage of a rule set: which rules are tested both ways, and which ever fire.

A rule is *covered* when it has a passing case (``expect: []``) and a failing case (one
that expects findings) that both succeed and, when a corpus of plans is given, it reports at
least one finding on that corpus. Coverage is the share of the rule set's rules covered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from validator.core.i18n import N_, Message, Number, _
from validator.pipeline.validate import validate


@dataclass
class Coverage:
    """Coverage of a rule set by its cases (and a corpus of plans)."""

    rules: list[str]
    no_failing: list[str] = field(default_factory=list)
    no_passing: list[str] = field(default_factory=list)
    never_fired: list[str] | None = None  # None: no corpus given
    corpus: list[str] = field(default_factory=list)

    @property
    def covered(self) -> list[str]:
        missing = set(self.no_failing) | set(self.no_passing) | set(self.never_fired or ())
        return [r for r in self.rules if r not in missing]

    @property
    def percent(self) -> float:
        return 100.0 if not self.rules else 100.0 * len(self.covered) / len(self.rules)

    def lines(self) -> list[Message]:
        """The coverage report, one line per fact (shown in the user's language)."""
        out = [N_("coverage: {covered}/{n} rule ({percent}%) has a passing and a failing case "
                  "that succeed",
                  "coverage: {covered}/{n} rules ({percent}%) have a passing and a failing "
                  "case that succeed", len(self.rules), covered=len(self.covered),
                  percent=Number(self.percent, 1))]
        if self.no_failing:
            out.append(_("  no failing case: {ids}", ids=", ".join(self.no_failing)))
        if self.no_passing:
            out.append(_("  no passing case: {ids}", ids=", ".join(self.no_passing)))
        if self.never_fired:
            out.append(N_("  never fired on the corpus ({n} plan): {ids}",
                          "  never fired on the corpus ({n} plans): {ids}", len(self.corpus),
                          ids=", ".join(self.never_fired)))
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"rules": len(self.rules), "covered": len(self.covered),
                "percent": round(self.percent, 1), "no_failing_case": self.no_failing,
                "no_passing_case": self.no_passing, "never_fired": self.never_fired,
                "corpus": self.corpus}


def measure(ruleset: Any, outcomes: list[Any], corpus: list[str] | None = None,
            rule_paths: tuple[str, ...] = (), params: dict[str, Any] | None = None) -> Coverage:
    """Coverage of ``ruleset``'s rules by the case ``outcomes`` and a corpus of plan files or
    folders (validated with the same rule set)."""
    ids = [r.id for r in ruleset.rules]
    passing = {o.rule for o in outcomes if o.ok and o.case is not None and not o.case.expect}
    failing = {o.rule for o in outcomes if o.ok and o.case is not None and o.case.expect}
    result = Coverage(ids, [r for r in ids if r not in failing],
                      [r for r in ids if r not in passing])
    if corpus:
        run = validate(corpus, rule_paths, params)
        fired = {f.rule for f in run.findings}
        result.never_fired = [r for r in ids if r not in fired]
        result.corpus = run.files
    return result
