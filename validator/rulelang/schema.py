"""What rules can talk about: entity kinds, their attributes and relations, with types.

The names are the plan/1 keys; each attribute also names the ontology term the lift writes
for it (``term``), so the rule language, the RDF graph and the docs use one vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass

from validator.core.i18n import Shown, _

# the kinds as a reviewer names them (the rule language writes them in English)
_KIND_WORDS = {"plan": _("plan"), "objective": _("objective"), "solution": _("solution"),
               "target": _("target"), "consultation": _("consultation")}


@dataclass(frozen=True)
class KindName(Shown):
    """An entity kind in a message about a rule file: its name in the reader's language
    with the rule language's word after it (``chỉ tiêu (target)``; in English ``target``)."""

    kind: str

    def render(self, lang: str) -> str:
        word = _KIND_WORDS.get(self.kind)
        shown = word.render(lang) if word is not None else self.kind
        return shown if shown == self.kind else f"{shown} ({self.kind})"


@dataclass(frozen=True)
class Attribute:
    """One attribute or relation of an entity kind."""

    name: str
    type: str  # text | str | int | number | value | series | date | list | code:<scheme>
    #            | entity:<kind> | entities:<kind>
    term: str  # ontology term, e.g. "pc:indicatorName"
    doc: str

    @property
    def is_relation(self) -> bool:
        return self.type.startswith("entities:")

    @property
    def target_kind(self) -> str | None:
        if self.type.startswith(("entity:", "entities:")):
            return self.type.split(":", 1)[1]
        return None

    @property
    def scheme(self) -> str | None:
        return self.type.split(":", 1)[1] if self.type.startswith("code:") else None


def _attrs(*rows: tuple[str, str, str, str]) -> dict[str, Attribute]:
    return {name: Attribute(name, type_, term, doc) for name, type_, term, doc in rows}


KINDS: dict[str, dict[str, Attribute]] = {
    "plan": _attrs(
        ("id", "str", "pc:identifier", "the plan's id"),
        ("title", "text", "pc:title", "the plan's title"),
        ("kind", "code:kind", "pc:planKind", "plan kind (annual_sedp, five_year_sedp, ...)"),
        ("level", "code:level", "pc:level", "administrative level"),
        ("locality", "str", "pc:locality", "the place the plan covers"),
        ("sector", "code:sector", "pc:sector", "sector of a sectoral plan"),
        ("period_start", "int", "pc:periodStart", "first year of the period"),
        ("period_end", "int", "pc:periodEnd", "last year of the period"),
        ("years", "list", "pc:periodStart", "the years of the period, as a list"),
        ("baseline_year", "int", "pc:baselineYear", "the default baseline year"),
        ("parent", "entity:plan", "pc:parentPlan",
         "the loaded plan this one phases or rolls up into"),
        ("parent_id", "str", "pc:parentPlan", "id of the plan this one phases or rolls up into"),
        ("children", "entities:plan", "pc:parentPlan",
         "loaded plans that name this one as parent (annual phases, lower levels)"),
        ("excerpt", "bool", "pc:excerpt",
         "true when the file holds only part of the plan's framework"),
        ("submitted_by", "code:agency", "pc:submittedBy", "agency that submitted the plan"),
        ("submitted_on", "date", "pc:submittedOn", "date of submission"),
        ("document", "str", "pc:documentKind",
         "what the document is: adopted_plan, me_framework, dossier, monitoring_report"),
        ("adopted_act", "str", "pc:adoptedAct", "number of the act that approved the plan"),
        ("adopted_on", "date", "pc:adoptedOn", "date of the act that approved the plan"),
        ("adopted_by", "str", "pc:adoptedBy",
         "body that approved it: national_assembly, peoples_council, peoples_committee, "
         "party_committee"),
        ("not_encoded", "list", "pc:notEncoded",
         "what the source does not publish or the file does not encode (solutions, agencies, ...)"),
        ("objectives", "entities:objective", "pc:hasObjective", "the plan's objectives"),
        ("solutions", "entities:solution", "pc:hasSolution", "all solutions of the plan"),
        ("targets", "entities:target", "pc:hasTarget", "all targets of the plan"),
        ("consultations", "entities:consultation", "pc:consultation",
         "the participatory steps behind the plan"),
    ),
    "objective": _attrs(
        ("id", "str", "pc:identifier", "the objective's id"),
        ("kind", "code:objkind", "pc:objectiveKind", "general or specific"),
        ("title", "text", "pc:title", "the objective's title"),
        ("field", "code:sector", "pc:field", "field (macro, economic, social, ...)"),
        ("sector", "code:sector", "pc:sector", "sector"),
        ("parent", "entity:objective", "pc:parentObjective", "the general objective served"),
        ("plan", "entity:plan", "pc:hasObjective", "the plan"),
        ("solutions", "entities:solution", "pc:hasSolution", "the objective's solutions"),
        ("shared_solutions", "entities:solution", "pc:serves",
         "plan-level solutions (task groups) that serve this objective among others"),
        ("targets", "entities:target", "pc:hasTarget", "the objective's targets"),
        ("children", "entities:objective", "pc:parentObjective",
         "objectives that name this one as parent"),
    ),
    "solution": _attrs(
        ("id", "str", "pc:identifier", "the solution's id"),
        ("title", "text", "pc:title", "the solution's title"),
        ("budget", "number", "pc:amount", "the budget amount"),
        ("budget_unit", "str", "pc:unit", "the budget's unit"),
        ("objective", "entity:objective", "pc:hasSolution",
         "the objective it serves (missing for a plan-level solution)"),
        ("shared", "bool", "pc:serves",
         "true for a plan-level solution (a task group serving several objectives)"),
        ("plan", "entity:plan", "pc:hasObjective", "the plan"),
        ("serves", "entities:objective", "pc:serves",
         "the objectives it serves (its own objective, or those a plan-level one names)"),
        ("targets", "entities:target", "pc:measuresSolution", "targets that measure it"),
    ),
    "target": _attrs(
        ("id", "str", "pc:identifier", "the target's id"),
        ("indicator", "text", "pc:indicatorName", "the indicator's name"),
        ("code", "code:indicator", "pc:indicatorCode", "catalogue code"),
        ("category", "code:category", "pc:category", "input, output, outcome or impact"),
        ("unit", "str", "pc:unit", "unit as written"),
        ("direction", "code:direction", "pc:direction", "increase, decrease or maintain"),
        ("rollup", "code:rollup", "pc:rollup", "sum, last or mean"),
        ("baseline", "value", "pc:baseline", "the baseline value"),
        ("baseline_year", "int", "pc:year", "the baseline's year"),
        ("target", "value", "pc:targetValue", "the value for the whole period"),
        ("annual", "series", "pc:annualValue", "yearly values (year -> value)"),
        ("actual", "series", "pc:actualValue", "reported values (period -> value)"),
        ("frequency", "code:frequency", "pc:frequency", "collection frequency"),
        ("timing", "text", "pc:timing", "collection timing"),
        ("compiling_agency", "code:agency", "pc:compilingAgency", "compiling agency"),
        ("providing_agencies", "list", "pc:providingAgencies",
         "information-providing agencies"),
        ("data_source", "text", "pc:dataSource", "data source"),
        ("price_basis", "str", "pc:priceBasis", "the prices a value is at: current or comparative"),
        ("price_year", "int", "pc:priceYear", "the base year of comparative prices (2010)"),
        ("relative_kind", "str", "pc:relativeKind",
         "the values are a change against a base: percent_change, times or points"),
        ("relative_year", "int", "pc:relativeYear", "the base year of a relative target (2020)"),
        ("per_year", "bool", "pc:perYear",
         "true when a relative target's change is each year on the year before"),
        ("approximate", "list", "pc:approximate",
         "which values are approximate ('khoảng'): target, baseline, annual, actual, orientation"),
        ("orientation", "series", "pc:orientationValue",
         "values for years after the period (a 2030 orientation): year -> value"),
        ("named", "list", "pc:namedUnits", "the units counted, by name (districts, communes)"),
        ("part_of", "entity:target", "pc:partOf", "the target this one is a part of ('trong đó')"),
        ("parts", "entities:target", "pc:partOf", "the targets that are parts of this one"),
        ("notes", "text", "pc:notes", "notes"),
        ("solution", "entity:solution", "pc:measuresSolution", "the solution it measures"),
        ("objective", "entity:objective", "pc:hasTarget", "the objective it measures"),
        ("plan", "entity:plan", "pc:hasObjective", "the plan"),
        ("parent_target", "entity:target", "pc:indicatorCode",
         "the same indicator in the parent plan (by code, else name and unit)"),
        ("child_targets", "entities:target", "pc:indicatorCode",
         "the same indicator in each child plan"),
    ),
    "consultation": _attrs(
        ("with", "str", "pc:consultedWith", "who was consulted"),
        ("on", "date", "pc:date", "when"),
        ("participants", "int", "pc:participants", "how many took part"),
        ("plan", "entity:plan", "pc:consultation", "the plan"),
    ),
}

# How a relation's members point back at their owner, as the name of a field of the
# member's fact (see validator.facts): (owner kind, relation) -> member fact field.
LINKS: dict[tuple[str, str], str] = {
    ("plan", "objectives"): "plan",
    ("plan", "solutions"): "plan",
    ("plan", "targets"): "plan",
    ("plan", "consultations"): "plan",
    ("objective", "solutions"): "objective",
    ("objective", "targets"): "objective",
    ("objective", "children"): "parent",
    ("solution", "targets"): "solution",
}

# Single-valued navigations whose id the focus fact carries: (kind, attribute) -> fact field.
NAV_FIELDS: dict[tuple[str, str], str] = {
    ("objective", "plan"): "plan",
    ("objective", "parent"): "parent",
    ("solution", "objective"): "objective",
    ("solution", "plan"): "plan",
    ("target", "objective"): "objective",
    ("target", "solution"): "solution",
    ("target", "plan"): "plan",
    ("consultation", "plan"): "plan",
}


def attribute(kind: str, name: str) -> Attribute | None:
    return KINDS.get(kind, {}).get(name)
