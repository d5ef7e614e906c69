"""The ``plancheck`` command line: one click group; heavy imports happen inside commands."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, NoReturn

import click

from validator import __version__

EXIT_CLEAN, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2
SEVERITIES = ("error", "warning", "info")
# report formats (validator.report.REPORTERS keys), listed here so --help stays import-light
FORMATS = ["text", "json", "sarif", "junit", "github", "markdown", "shacl",
           "html"]  # html: issue 7


def _fail_input(error: Exception) -> NoReturn:
    """Print a located input error to stderr and exit 2."""
    click.echo(str(error), err=True)
    sys.exit(EXIT_INPUT)


def _guard(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Run a command, turning input errors into exit code 2 with their message."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from validator.errors import InputError

        try:
            return fn(*args, **kwargs)
        except InputError as exc:
            _fail_input(exc)

    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    return wrapper


def _parse_params(values: Iterable[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{item!r} is not NAME=VALUE", param_hint="--param")
        params[name.strip()] = value.strip()
    return params


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", prog_name="plancheck")
def main() -> None:
    """plancheck: check development plans (SEDPs, sectoral plans) against rule packs.

    Plans are plan/1 files (YAML, JSON, Turtle, JSON-LD). Exit codes: 0 clean,
    1 findings at or above --fail-on, 2 usage or input error.
    """


@main.command()
@click.argument("plan", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--to", "fmt", required=True,
              type=click.Choice(["yaml", "json", "ttl", "jsonld", "xlsx"]),
              help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write here instead of standard output (required for xlsx).")
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True,
              help="Language of a workbook's headers and labels (xlsx).")  # issue 7
@_guard
def convert(plan: Path, fmt: str, output: Path | None, lang: str = "vi") -> None:
    """Convert a plan between YAML, JSON, Turtle, JSON-LD and Excel (.xlsx)."""
    from validator.convert import write_plan
    from validator.loader import load_plan

    if fmt == "xlsx":  # issue 7: a binary workbook
        from validator.convert import write_plan_bytes

        if output is None:
            raise click.UsageError("--to xlsx writes a workbook: give -o FILE.xlsx")
        output.write_bytes(write_plan_bytes(load_plan(plan).plan, fmt, lang))
        return
    text = write_plan(load_plan(plan).plan, fmt)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")


# --- issue 7: workbook templates ---

@main.command()
@click.option("--kind", required=True,
              type=click.Choice(["five_year_sedp", "annual_sedp", "five_year_sectoral",
                                 "annual_sectoral"]), help="Plan kind.")
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True,
              help="Language of headers, labels and drop-downs.")
@click.option("--level", type=click.Choice(["province", "district", "commune", "nation",
                                            "village"]), default="province", show_default=True)
@click.option("--period", metavar="YEAR[-YEAR]",
              help="Plan period  [default: 2026-2030 for five-year kinds, 2026 for annual].")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The workbook to write (.xlsx).")
def template(kind: str, lang: str, level: str, period: str | None, output: Path) -> None:
    """Write an empty plan workbook (the manual's framework layout, with drop-downs)."""
    import re

    from validator.xlsx.writer import template_workbook

    years = None
    if period is not None:
        match = re.fullmatch(r"\s*(\d{4})\s*(?:[-–]\s*(\d{4}))?\s*", period)
        if not match or (match.group(2) and int(match.group(2)) < int(match.group(1))):
            raise click.BadParameter(f"{period!r} is not YEAR or YEAR-YEAR",
                                     param_hint="--period")
        years = (int(match.group(1)), int(match.group(2) or match.group(1)))
    output.write_bytes(template_workbook(kind, lang, level, years))
    click.echo(f"plancheck: wrote {output}", err=True)

# --- end issue 7 ---


@main.command()
@click.argument("scheme", required=False)
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True)
@_guard
def ontology(scheme: str | None, lang: str) -> None:
    """List the ontology's code schemes, or the codes of SCHEME with their labels."""
    from validator.ontology import SCHEMES, codes

    if scheme is None:
        for name in SCHEMES:
            click.echo(f"{name:<10} {len(codes(name)):>4} codes")
        return
    if scheme not in SCHEMES:
        import difflib

        close = difflib.get_close_matches(scheme, SCHEMES, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise click.BadParameter(f"unknown scheme {scheme!r}{hint} (one of: "
                                 f"{', '.join(SCHEMES)})", param_hint="SCHEME")
    entries = codes(scheme)
    width = max((len(c) for c in entries), default=4)
    for code, entry in entries.items():
        label = entry.label_vi if lang == "vi" else entry.label_en
        broader = f"  [{entry.broader}]" if entry.broader else ""
        click.echo(f"{code:<{width}}  {label}{broader}")


def _rules_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    fn = click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
                      help="Override a rule parameter (repeatable).")(fn)
    fn = click.option("--rules", "rule_paths", multiple=True, metavar="PATH",
                      help="Rule file or folder (repeatable); default: the bundled "
                           "mpi2013 pack.")(fn)
    return fn


# --- issue 5: CI options of validate (selection, waivers, baseline, batch) ---

def _ci_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    path = click.Path(dir_okay=False, path_type=Path)
    for decorator in reversed([
        click.option("--select", multiple=True, metavar="IDS",
                     help="Report only these rule ids, id prefixes or tags (comma-separated, "
                          "repeatable); replaces the config's selection."),
        click.option("--ignore", multiple=True, metavar="IDS",
                     help="Do not report these rule ids, id prefixes or tags (comma-separated, "
                          "repeatable); added to the config's."),
        click.option("--waivers", "waivers_path", type=path,
                     help="YAML file of waivers (rule, entity or path, reason, approved_by, "
                          "expires)  [default: the config's]."),
        click.option("--baseline", "baseline_path", type=path,
                     help="Report only findings that are not in this baseline  [default: the "
                          "config's]."),
        click.option("--write-baseline", type=path,
                     help="Record the findings in this baseline file (they are then "
                          "unchanged)."),
        click.option("-j", "--jobs", type=click.IntRange(min=0), default=1, show_default=True,
                     help="Worker processes (0: one per CPU)."),
    ]):
        fn = decorator(fn)
    return fn

# --- end issue 5 ---


# --- issue 7: workbook inputs of validate ---

def _workbook_findings(result: Any) -> None:
    """Add the findings made while loading workbooks (validator.xlsx.load_findings)."""
    from validator.findings import sort_findings
    from validator.xlsx import load_findings

    extra = load_findings(result.plans)
    if extra:
        result.findings = sort_findings(result.findings + extra)


def _annotate(result: Any, path: Path, lang: str) -> None:
    """--annotate: the one workbook input, annotated with the reported findings."""
    from validator.xlsx.annotate import annotate_workbook

    books = [p for p in result.plans if Path(p.file).suffix.lower() == ".xlsx"]
    if len(books) != 1:
        raise click.UsageError(f"--annotate needs exactly one .xlsx input; got {len(books)}")
    annotate_workbook(books[0], result.findings, lang, path)

# --- end issue 7 ---


@main.command()
@click.argument("files", nargs=-1, required=True)
@_rules_options
@_ci_options
@click.option("--lang", type=click.Choice(["vi", "en"]), default=None,
              help="Language of titles and messages  [default: vi, or the config's].")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text",
              show_default=True, help="Report format.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]),
              default=None,
              help="Lowest severity that makes the exit code 1  [default: warning, or the "
                   "config's].")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Configuration file (default: the nearest plancheck.toml or pyproject.toml "
                   "with [tool.plancheck] above the first input).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report here instead of standard output.")
@click.option("--annotate", "annotate_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write a copy of the (one) .xlsx input with each finding as a cell "
                   "comment and a Findings sheet.")  # issue 7
@click.option("--explain", "explain_findings", is_flag=True,  # issue 6
              help="Add to each finding the trace of why its rule fired (lets, conditions "
                   "and their values).")
@_guard
def validate(files: tuple[str, ...], rule_paths: tuple[str, ...], params: tuple[str, ...],
             lang: str | None, fmt: str, fail_on: str | None, config_path: Path | None,
             output: Path | None, select: tuple[str, ...], ignore: tuple[str, ...],
             waivers_path: Path | None, baseline_path: Path | None,
             write_baseline: Path | None, jobs: int, explain_findings: bool = False,
             annotate_path: Path | None = None) -> None:
    """Validate plan FILES (files, folders or globs) against the rules."""
    from validator.config import config_for, load_config
    from validator.findings import exit_code
    from validator.report import ReportOptions, render
    from validator.run import validate_files

    config = load_config(config_path) if config_path else config_for(files)
    lang = lang or config.lang or "vi"
    fail_on = fail_on or config.fail_on or "warning"
    overrides = {**config.params, **_parse_params(params)}
    # --- issue 5: selection, waivers, baseline, batch ---
    from validator.baseline import load_baseline
    from validator.ruleset import load_ruleset
    from validator.run import apply_policy
    from validator.selection import check_rules, selection_for, split_selectors
    from validator.waivers import load_waivers

    selection = selection_for(config, split_selectors(select), split_selectors(ignore))
    check_rules(selection, load_ruleset(rule_paths or tuple(config.rules), overrides).rules)
    waivers_path = waivers_path or (Path(config.waivers) if config.waivers else None)
    waivers = load_waivers(waivers_path) if waivers_path else None
    if baseline_path is None and write_baseline is None and config.baseline:
        baseline_path = Path(config.baseline)
    if baseline_path is not None:
        load_baseline(baseline_path)  # a malformed baseline fails before the run
    result = validate_files(files, rule_paths or tuple(config.rules), overrides, jobs=jobs,
                            progress=sys.stderr.isatty())
    _workbook_findings(result)  # issue 7: formulas saved without a value
    apply_policy(result, selection, waivers, baseline_path, write_baseline)
    if write_baseline is not None:
        recorded = sum(load_baseline(write_baseline).values())
        click.echo(f"plancheck: recorded {recorded} findings in {write_baseline}", err=True)
    # --- end issue 5 ---
    if explain_findings:  # issue 6: a trace on each finding
        from validator.explain import attach_traces

        attach_traces(result)
    options = ReportOptions(lang=lang, color=output is None and sys.stdout.isatty(),
                            fail_on=fail_on)
    if annotate_path is not None:  # issue 7
        _annotate(result, annotate_path, lang)
    text = render(result, fmt, options)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
    sys.exit(exit_code(result.findings, fail_on))


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--form", type=click.Choice(["six_month", "annual", "five_year"]), required=True,
              help="six_month/annual: Table 4.2 results frame; five_year: Table 4.5.")
@click.option("--year", type=int, help="The year reported on (six_month and annual).")
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write Markdown (.md) or an Excel workbook (.xlsx); default: Markdown "
                   "on standard output.")
@_guard
def report(files: tuple[str, ...], form: str, year: int | None, lang: str,
           output: Path | None) -> None:
    """Monitoring tables of the manual's Chapter IV from plans and their actual values."""
    from validator.linking import knowledge_base
    from validator.monitoring_report import build_tables, to_markdown, to_xlsx
    from validator.run import expand_inputs, load_all

    if form != "five_year" and year is None:
        raise click.UsageError(f"--form {form} needs --year")
    if output is not None and output.suffix.lower() not in (".md", ".xlsx"):
        raise click.BadParameter("the output must end in .md or .xlsx", param_hint="--output")
    plans = knowledge_base(load_all(expand_inputs(files)))
    tables = build_tables(plans, form, year, lang)
    if not tables:
        raise click.UsageError("no loaded plan covers that form and year")
    if output is not None and output.suffix.lower() == ".xlsx":
        to_xlsx(tables, output)
    elif output is not None:
        output.write_text(to_markdown(tables), encoding="utf-8")
    else:
        click.echo(to_markdown(tables), nl=False)


@main.group()
def rules() -> None:
    """Work with rule files: check them, list them, run their cases."""


@rules.command("check")
@click.argument("paths", nargs=-1, required=True)
@_guard
def rules_check(paths: tuple[str, ...]) -> None:
    """Parse and resolve rule files; exit 2 on any error."""
    from validator.ruleset import load_ruleset

    ruleset = load_ruleset(paths)
    click.echo(f"ok: {len(ruleset.rules)} rules, {len(ruleset.concepts)} concepts, "
               f"{len(ruleset.params)} parameters in {len(ruleset.files)} files")


@rules.command("list")
@click.option("--rules", "rule_paths", multiple=True, metavar="PATH",
              help="Rule file, folder or pack (repeatable); default: the bundled pack.")
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "md"]), default="text",
              show_default=True, help="md: a Markdown table with both languages' titles.")
@click.option("--tag", default=None, metavar="TAG", help="Only the rules with this tag.")
@_guard
def rules_list(rule_paths: tuple[str, ...], lang: str, fmt: str, tag: str | None) -> None:
    """List the rules of a rule set (in id order) with their severity and title."""
    from validator.ruledoc import list_json, list_markdown, list_text, select
    from validator.ruleset import load_ruleset

    rules = select(load_ruleset(rule_paths), tag)
    if tag is not None and not rules:
        raise click.BadParameter(f"no rule has the tag {tag!r}", param_hint="--tag")
    text = {"json": list_json, "md": list_markdown}.get(fmt)
    click.echo(text(rules) if text else list_text(rules, lang), nl=False)


@rules.command("doc")
@click.option("--rules", "rule_paths", multiple=True, metavar="PATH",
              help="Rule file, folder or pack (repeatable); default: the bundled pack.")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write the reference into (created if needed).")
@click.option("--format", "fmt", type=click.Choice(["md", "html", "both"]), default="both",
              show_default=True)
@_guard
def rules_doc(rule_paths: tuple[str, ...], out: Path, fmt: str) -> None:
    """Write the rule reference: an index and one page per rule, in Markdown and HTML."""
    from validator.ruledoc import write_docs
    from validator.ruleset import load_ruleset

    ruleset = load_ruleset(rule_paths)
    titles = [p.title.get("en") for p in ruleset.packs if p.title.get("en")]
    formats = ("md", "html") if fmt == "both" else (fmt,)
    written = write_docs(ruleset, out, formats, titles[-1] if titles else "Rule reference")
    click.echo(f"wrote {len(written)} files ({len(ruleset.rules)} rules) to {out}")


@rules.command("test")
@click.argument("paths", nargs=-1)
@click.option("--corpus", multiple=True, metavar="PATH",
              help="Plan files or folders the rules should fire on; rules that never do are "
                   "not covered (repeatable).")
@click.option("--min-coverage", type=click.FloatRange(0, 100), default=None, metavar="N",
              help="Exit 1 when fewer than N% of the rules are covered.")
@_guard
def rules_test(paths: tuple[str, ...], corpus: tuple[str, ...],
               min_coverage: float | None) -> None:
    """Run the pass/fail cases of the rules in PATHS (a pack, rule files or folders; default:
    the bundled pack) and report each case and the rules' coverage."""
    # --- issue 6: per-case report and coverage (validator/coverage.py) ---
    from validator.cases import run_cases
    from validator.coverage import measure
    from validator.ruleset import load_ruleset

    outcomes = run_cases(paths)
    failed = [o for o in outcomes if not o.ok]
    for outcome in outcomes:
        mark = "ok  " if outcome.ok else "FAIL"
        click.echo(f"{mark} {outcome.rule:<10} {outcome.name}")
        if not outcome.ok:
            click.echo(f"     {outcome.where()}: {outcome.detail}")
    click.echo(f"{len(outcomes) - len(failed)} passed, {len(failed)} failed")
    coverage = measure(load_ruleset(paths), outcomes, list(corpus), paths)
    for line in coverage.lines():
        click.echo(line)
    low = min_coverage is not None and coverage.percent < min_coverage
    if low:
        click.echo(f"coverage {coverage.percent:.1f}% is below --min-coverage {min_coverage:g}%")
    sys.exit(EXIT_FINDINGS if failed or low else EXIT_CLEAN)


# --- issue 6: rule authoring (rules new, rules lint, explain) ---

@rules.command("new")
@click.argument("rule_id", metavar="ID")
@click.option("--pack", "pack", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="The pack folder (or folder of rule files) to add the rule to.")
@click.option("--kind", type=click.Choice(["target", "objective", "solution", "plan"]),
              default="target", show_default=True, help="The entity the rule is about.")
@_guard
def rules_new(rule_id: str, pack: Path, kind: str) -> None:
    """Write a rule stub and its case file for rule ID in a pack, to be filled in."""
    from validator.scaffold import scaffold

    made = scaffold(rule_id, pack, kind)
    click.echo(f"wrote {made.rule_file}")
    click.echo(f"wrote {made.case_file}")
    click.echo(f"next: fill in the TODOs, then run plancheck rules test {pack}")


@rules.command("lint")
@click.argument("paths", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@_guard
def rules_lint(paths: tuple[str, ...], fmt: str) -> None:
    """Find mistakes in the rules of PATHS (packs, rule files or folders; default: the bundled
    pack): duplicate ids, missing languages, unused params, unknown tags, rules with the same
    conditions, conditions that can never hold, shadowed rules. Exit 1 when there are any."""
    import json

    from validator.lint import lint

    found = lint(paths)
    if fmt == "json":
        click.echo(json.dumps([f.to_dict() for f in found], ensure_ascii=False, indent=2))
    else:
        for finding in found:
            click.echo(str(finding))
        click.echo(f"{len(found)} lint findings" if found else "ok: no lint findings")
    sys.exit(EXIT_FINDINGS if found else EXIT_CLEAN)


@main.command()
@click.argument("rule_id", metavar="RULE_ID")
@click.argument("plans", nargs=-1, required=True)
@click.option("--entity", metavar="ID", help="Explain this entity only (default: the entities "
              "the rule fired on, or every entity of its kind when it fired on none).")
@click.option("--all", "every", is_flag=True, help="Explain every entity of the rule's kind.")
@_rules_options
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@_guard
def explain(rule_id: str, plans: tuple[str, ...], entity: str | None, every: bool,
            rule_paths: tuple[str, ...], params: tuple[str, ...], lang: str, fmt: str) -> None:
    """Why RULE_ID fired (or not) on the entities of PLANS: the rule's text, the values it
    computed and each condition's value."""
    import json

    from validator.explain import explain as explain_rule
    from validator.explain import render_text
    from validator.ruleset import load_ruleset
    from validator.run import expand_inputs, load_all

    ruleset = load_ruleset(rule_paths, _parse_params(params) or None)
    report = explain_rule(ruleset, rule_id, load_all(expand_inputs(plans)), entity, every)
    if fmt == "json":
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        click.echo(render_text(report, lang), nl=False)

# --- end issue 6 ---


if __name__ == "__main__":  # pragma: no cover
    main()
