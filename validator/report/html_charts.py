"""Inline SVG charts for the HTML report: a target's yearly path against the uniform path,
its actual values, and completion bars. Plain strings, no scripts, deterministic."""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape
from typing import Any

from validator.core.i18n import _, render
from validator.plan.model import Target
from validator.plan.ontology import unit_kind
from validator.plan.shown import number_text

W, H = 420, 200
LEFT, RIGHT, TOP, BOTTOM = 56, 24, 14, 30
PLAN, UNIFORM, ACTUAL = "#1f5fa8", "#8a8f98", "#d9480f"


def num(value: float, lang: str = "en") -> str:
    """A number for display in ``lang`` (``6.400`` / ``6,400``): at most two decimals."""
    return number_text(round(float(value), 2), lang)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@dataclass
class Path:
    """The series of one phased target, ready to draw."""

    years: list[int]
    plan: dict[int, float]
    uniform: dict[int, float]
    actual: dict[int, float]
    baseline: tuple[int, float] | None
    completion: list[tuple[str, float, float, float]]  # (period, plan, actual, %)
    whole: bool = False  # a count: its axis is marked in whole numbers


def target_path(target: Target, period: tuple[int, int]) -> Path | None:
    """The plan, uniform and actual series of a target with two or more numeric years."""
    plan = {y: float(v) for y, v in sorted(target.annual.items()) if _is_number(v)}
    if len(plan) < 2:
        return None
    years = sorted(set(plan) | set(range(period[0], period[1] + 1)))
    baseline = None
    if target.baseline is not None and _is_number(target.baseline.value) and \
            target.baseline.year is not None:
        baseline = (target.baseline.year, float(target.baseline.value))
    total = float(target.target) if _is_number(target.target) else None
    span = [y for y in years if period[0] <= y <= period[1]] or years
    uniform: dict[int, float] = {}
    if target.rollup == "sum":
        whole = total if total is not None else sum(plan.values())
        uniform = {y: whole / len(span) for y in span}
    elif target.rollup == "last":
        start = baseline[1] if baseline else plan[min(plan)]
        end = total if total is not None else plan[max(plan)]
        first = baseline[0] if baseline else span[0]
        steps = max(span[-1] - first, 1)
        uniform = {y: start + (end - start) * (y - first) / steps for y in span}
    elif target.rollup == "mean":
        level = total if total is not None else sum(plan.values()) / len(plan)
        uniform = {y: level for y in span}
    # no roll-up: how the years make the period's value is unknown, so no even split is drawn
    actual = {int(p): float(v) for p, v in target.actual.items()
              if str(p).isdigit() and _is_number(v)}
    completion = []
    for key, value in sorted(target.actual.items()):
        if not _is_number(value):
            continue
        year = int(str(key)[:4])
        planned = (total if str(key) == f"{period[0]}-{period[1]}" else plan.get(year))
        if planned:
            completion.append((str(key), planned, float(value), float(value) / planned * 100))
    whole = unit_kind(target.unit) == "count" if target.unit else False
    return Path(years, plan, uniform, actual, baseline, completion, whole)


def _scale(values: list[float], whole: bool = False) -> tuple[float, float, float]:
    """The axis from a round value below the data to one above it, and its round step
    (1, 2, 2.5 or 5 times a power of ten; at least 1 for counts): about four ticks."""
    low, high = min(values), max(values)
    if low == high:
        low, high = low - (abs(low) or 1) * 0.1, high + (abs(high) or 1) * 0.1
    raw = (high - low) / 4
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    if whole:
        step = max(1.0, float(math.ceil(step)))
    return math.floor(low / step) * step, math.ceil(high / step) * step, step


def ticks(low: float, high: float, step: float) -> list[float]:
    """The round values from ``low`` to ``high``, ``step`` apart."""
    count = round((high - low) / step)
    return [round(low + step * i, 10) for i in range(count + 1)]


PLAN_WORD, UNIFORM_WORD, ACTUAL_WORD, BASELINE_WORD = (
    _("Plan"), _("Uniform"), _("Actual"), _("Baseline"))


def path_chart(path: Path, title: str, lang: str = "en") -> str:
    """An SVG line chart: plan (solid), uniform (dashed), actual (dots), baseline (ring)."""
    words = {key: escape(render(message, lang)) for key, message in (
        ("plan", PLAN_WORD), ("uniform", UNIFORM_WORD), ("actual", ACTUAL_WORD),
        ("baseline", BASELINE_WORD))}
    values = [*path.plan.values(), *path.uniform.values(), *path.actual.values()]
    years = list(path.years)
    if path.baseline:
        values.append(path.baseline[1])
        years = sorted(set(years) | {path.baseline[0]})
    low, high, step = _scale(values, path.whole)
    x0, x1 = years[0], years[-1]

    def x(year: int) -> float:
        return LEFT + (W - LEFT - RIGHT) * ((year - x0) / (x1 - x0) if x1 != x0 else 0.5)

    def y(value: float) -> float:
        return TOP + (H - TOP - BOTTOM) * (1 - (value - low) / (high - low))

    def line(series: dict[int, float]) -> str:
        return " ".join(f"{x(k):.1f},{y(v):.1f}" for k, v in sorted(series.items()))

    out = [f'<svg class="chart" viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" '
           f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>']
    for value in ticks(low, high, step):
        out.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
                   f'class="grid"/><text x="{LEFT - 6}" y="{y(value) + 4:.1f}" '
                   f'class="tick" text-anchor="end">{escape(num(value, lang))}</text>')
    for year in years:
        out.append(f'<text x="{x(year):.1f}" y="{H - 10}" class="tick" '
                   f'text-anchor="middle">{year}</text>')
    if path.uniform:
        out.append(f'<polyline points="{line(path.uniform)}" fill="none" stroke="{UNIFORM}" '
                   f'stroke-width="2" stroke-dasharray="6 4"><title>{words["uniform"]}'
                   f'</title></polyline>')
    out.append(f'<polyline points="{line(path.plan)}" fill="none" stroke="{PLAN}" '
               f'stroke-width="2.5"/>')
    for year, value in sorted(path.plan.items()):
        out.append(f'<circle cx="{x(year):.1f}" cy="{y(value):.1f}" r="3.5" fill="{PLAN}">'
                   f'<title>{words["plan"]} {year}: {escape(num(value, lang))}'
                   '</title></circle>')
    if path.baseline:
        year, value = path.baseline
        out.append(f'<circle cx="{x(year):.1f}" cy="{y(value):.1f}" r="4.5" fill="#fff" '
                   f'stroke="{PLAN}" stroke-width="2"><title>{words["baseline"]} '
                   f'{year}: {escape(num(value, lang))}</title></circle>')
    for year, value in sorted(path.actual.items()):
        out.append(f'<rect x="{x(year) - 4:.1f}" y="{y(value) - 4:.1f}" width="8" height="8" '
                   f'fill="{ACTUAL}"><title>{words["actual"]} {year}: '
                   f'{escape(num(value, lang))}</title></rect>')
    out.append("</svg>")
    return "".join(out)


def legend(lang: str, actual: bool, uniform: bool = True) -> str:
    """The key under a chart: the plan's line, the even split's, the actual values'."""
    words = {key: render(message, lang) for key, message in (
        ("plan", PLAN_WORD), ("uniform", UNIFORM_WORD), ("actual", ACTUAL_WORD))}
    items = [(f'<svg width="26" height="10"><line x1="0" x2="26" y1="5" y2="5" stroke="{PLAN}" '
              f'stroke-width="2.5"/></svg>', words["plan"])]
    if uniform:
        items.append((f'<svg width="26" height="10"><line x1="0" x2="26" y1="5" y2="5" '
                      f'stroke="{UNIFORM}" stroke-width="2" stroke-dasharray="6 4"/></svg>',
                      words["uniform"]))
    if actual:
        items.append((f'<svg width="10" height="10"><rect width="8" height="8" x="1" y="1" '
                      f'fill="{ACTUAL}"/></svg>', words["actual"]))
    return '<p class="legend">' + " ".join(f"<span>{icon} {escape(text)}</span>"
                                           for icon, text in items) + "</p>"


def completion_bar(percent: float, lang: str = "en") -> str:
    """A horizontal bar for a completion percentage (capped at 150% for drawing)."""
    shown = max(0.0, min(percent, 150.0))
    width = 160
    colour = "#2b8a3e" if percent >= 100 else "#e67700" if percent >= 80 else "#c92a2a"
    return (f'<svg class="bar" width="{width}" height="12" viewBox="0 0 {width} 12" role="img">'
            f'<title>{escape(num(percent, lang))}%</title>'
            f'<rect width="{width}" height="12" fill="#eceff3"/>'
            f'<rect width="{shown / 150 * width:.1f}" height="12" fill="{colour}"/>'
            f'<line x1="{width / 1.5:.1f}" x2="{width / 1.5:.1f}" y1="0" y2="12" '
            f'stroke="#333" stroke-width="1"/></svg>')


def count_bars(rows: list[tuple[str, int, str]]) -> str:
    """A small horizontal bar chart of counts: (label, count, colour)."""
    if not rows:
        return ""
    top = max(count for _, count, _ in rows) or 1
    height = 22 * len(rows) + 4
    out = [f'<svg class="counts" viewBox="0 0 360 {height}" width="360" height="{height}" '
           'role="img">']
    for i, (label, count, colour) in enumerate(rows):
        y = 4 + 22 * i
        out.append(f'<text x="110" y="{y + 13}" text-anchor="end" class="tick">'
                   f'{escape(label)}</text><rect x="116" y="{y}" height="16" '
                   f'width="{200 * count / top:.1f}" fill="{colour}"/><text '
                   f'x="{122 + 200 * count / top:.1f}" y="{y + 13}" class="tick">{count}</text>')
    out.append("</svg>")
    return "".join(out)
