"""Inline SVG charts for the HTML report: a target's yearly path against the uniform path,
its actual values, and completion bars. Plain strings, no scripts, deterministic."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

from validator.plan.model import Target

W, H = 420, 200
LEFT, RIGHT, TOP, BOTTOM = 56, 24, 14, 30
PLAN, UNIFORM, ACTUAL = "#1f5fa8", "#8a8f98", "#d9480f"


def num(value: float) -> str:
    """A number for display: no float noise, at most two decimals."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


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
    else:
        level = total if total is not None else sum(plan.values()) / len(plan)
        uniform = {y: level for y in span}
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
    return Path(years, plan, uniform, actual, baseline, completion)


def _scale(values: list[float]) -> tuple[float, float]:
    low, high = min(values), max(values)
    if low == high:
        low, high = low - (abs(low) or 1) * 0.1, high + (abs(high) or 1) * 0.1
    margin = (high - low) * 0.08
    return low - margin, high + margin


def path_chart(path: Path, title: str, words: dict[str, str]) -> str:
    """An SVG line chart: plan (solid), uniform (dashed), actual (dots), baseline (ring)."""
    values = [*path.plan.values(), *path.uniform.values(), *path.actual.values()]
    years = list(path.years)
    if path.baseline:
        values.append(path.baseline[1])
        years = sorted(set(years) | {path.baseline[0]})
    low, high = _scale(values)
    x0, x1 = years[0], years[-1]

    def x(year: int) -> float:
        return LEFT + (W - LEFT - RIGHT) * ((year - x0) / (x1 - x0) if x1 != x0 else 0.5)

    def y(value: float) -> float:
        return TOP + (H - TOP - BOTTOM) * (1 - (value - low) / (high - low))

    def line(series: dict[int, float]) -> str:
        return " ".join(f"{x(k):.1f},{y(v):.1f}" for k, v in sorted(series.items()))

    out = [f'<svg class="chart" viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" '
           f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>']
    for i in range(5):
        value = low + (high - low) * i / 4
        out.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
                   f'class="grid"/><text x="{LEFT - 6}" y="{y(value) + 4:.1f}" '
                   f'class="tick" text-anchor="end">{escape(num(value))}</text>')
    for year in years:
        out.append(f'<text x="{x(year):.1f}" y="{H - 10}" class="tick" '
                   f'text-anchor="middle">{year}</text>')
    out.append(f'<polyline points="{line(path.uniform)}" fill="none" stroke="{UNIFORM}" '
               f'stroke-width="2" stroke-dasharray="6 4"><title>{escape(words["uniform"])}'
               f'</title></polyline>')
    out.append(f'<polyline points="{line(path.plan)}" fill="none" stroke="{PLAN}" '
               f'stroke-width="2.5"/>')
    for year, value in sorted(path.plan.items()):
        out.append(f'<circle cx="{x(year):.1f}" cy="{y(value):.1f}" r="3.5" fill="{PLAN}">'
                   f'<title>{escape(words["plan"])} {year}: {escape(num(value))}</title></circle>')
    if path.baseline:
        year, value = path.baseline
        out.append(f'<circle cx="{x(year):.1f}" cy="{y(value):.1f}" r="4.5" fill="#fff" '
                   f'stroke="{PLAN}" stroke-width="2"><title>{escape(words["baseline"])} '
                   f'{year}: {escape(num(value))}</title></circle>')
    for year, value in sorted(path.actual.items()):
        out.append(f'<rect x="{x(year) - 4:.1f}" y="{y(value) - 4:.1f}" width="8" height="8" '
                   f'fill="{ACTUAL}"><title>{escape(words["actual"])} {year}: '
                   f'{escape(num(value))}</title></rect>')
    out.append("</svg>")
    return "".join(out)


def legend(words: dict[str, str], actual: bool) -> str:
    items = [(f'<svg width="26" height="10"><line x1="0" x2="26" y1="5" y2="5" stroke="{PLAN}" '
              f'stroke-width="2.5"/></svg>', words["plan"]),
             (f'<svg width="26" height="10"><line x1="0" x2="26" y1="5" y2="5" '
              f'stroke="{UNIFORM}" stroke-width="2" stroke-dasharray="6 4"/></svg>',
              words["uniform"])]
    if actual:
        items.append((f'<svg width="10" height="10"><rect width="8" height="8" x="1" y="1" '
                      f'fill="{ACTUAL}"/></svg>', words["actual"]))
    return '<p class="legend">' + " ".join(f"<span>{icon} {escape(text)}</span>"
                                           for icon, text in items) + "</p>"


def completion_bar(percent: float) -> str:
    """A horizontal bar for a completion percentage (capped at 150% for drawing)."""
    shown = max(0.0, min(percent, 150.0))
    width = 160
    colour = "#2b8a3e" if percent >= 100 else "#e67700" if percent >= 80 else "#c92a2a"
    return (f'<svg class="bar" width="{width}" height="12" viewBox="0 0 {width} 12" role="img">'
            f'<title>{escape(num(percent))}%</title>'
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
