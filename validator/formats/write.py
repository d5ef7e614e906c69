"""Write a plan in any supported format: YAML, JSON, Turtle or JSON-LD."""

from __future__ import annotations

import json
from typing import Any

import yaml

from validator.formats.rdf.lift import serialise
from validator.formats.xlsx import write_xlsx
from validator.plan.model import Plan

FORMATS = ("yaml", "json", "ttl", "jsonld")


def plan_data(plan: Plan) -> dict[str, Any]:
    """The plan as plain data in file layout, without keys left at their defaults."""
    return plan.model_dump(mode="python", by_alias=True, exclude_defaults=True)


class _Dumper(yaml.SafeDumper):
    """Block style, with short value maps (ranges, bounds, texts) on one line."""


def _represent_dict(dumper: yaml.SafeDumper, data: dict[Any, Any]) -> yaml.Node:
    flow = len(data) <= 6 and all(not isinstance(v, dict | list) for v in data.values()) and (
        set(data) <= {"min", "max", "at_least", "at_most", "year", "value", "unit", "by", "on",
                      "with", "participants"} or all(isinstance(k, int) for k in data))
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=flow)


_Dumper.add_representer(dict, _represent_dict)
_Dumper.add_representer(tuple, lambda dumper, data: dumper.represent_sequence(
    "tag:yaml.org,2002:seq", list(data), flow_style=True))


def write_plan(plan: Plan, fmt: str) -> str:
    """Serialise ``plan`` as ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "yaml":
        return yaml.dump(plan_data(plan), Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                         width=100)
    if fmt == "json":
        return json.dumps(plan.model_dump(mode="json", by_alias=True, exclude_defaults=True),
                          ensure_ascii=False, indent=2) + "\n"
    return serialise(plan, fmt)


def write_plan_bytes(plan: Plan, fmt: str, lang: str = "vi") -> bytes:
    """Serialise ``plan`` as a binary format: ``xlsx`` (headers and labels in ``lang``)."""
    if fmt == "xlsx":
        return write_xlsx(plan, lang)
    return write_plan(plan, fmt).encode("utf-8")
