"""Commands for rule authors: check, list, document, test, scaffold and lint rule sets, and
explain why a rule fired (or not) on a plan.

Each command imports what it runs inside its body, so ``--help`` starts light (as in
:mod:`validator.cli.review`).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from validator.cli.options import (
    EXIT_CLEAN,
    EXIT_FINDINGS,
    error_lang,
    errors_lang_option,
    lang_option,
    params_option,
    parse_params,
    rules_option,
)
from validator.core.i18n import N_, Message, Number, _, render


def _say(message: Message) -> None:
    """A line of a command's own, in the language of its errors and summaries (--lang)."""
    click.echo(render(message, error_lang()))


@click.group()
def rules() -> None:
    """Work with rule files: check them, list them, run their cases."""


@rules.command("check")
@click.argument("paths", nargs=-1, required=True)
@errors_lang_option()
def rules_check(paths: tuple[str, ...]) -> None:
    """Parse and resolve rule files; exit 2 on any error."""
    from validator.rulelang.cache import load_ruleset

    ruleset = load_ruleset(paths)
    _say(_("ok: {rules}, {concepts}, {params} in {files}",
           rules=N_("{n} rule", "{n} rules", len(ruleset.rules)),
           concepts=N_("{n} concept", "{n} concepts", len(ruleset.concepts)),
           params=N_("{n} parameter", "{n} parameters", len(ruleset.params)),
           files=N_("{n} file", "{n} files", len(ruleset.files))))


@rules.command("list")
@rules_option()
@lang_option(help="Language of the titles.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "md"]), default="text",
              show_default=True, help="md: a Markdown table with both languages' titles.")
@click.option("--tag", default=None, metavar="TAG", help="Only the rules with this tag.")
def rules_list(rule_paths: tuple[str, ...], lang: str, fmt: str, tag: str | None) -> None:
    """List the rules of a rule set (in id order) with their severity and title."""
    from validator.authoring.docs import list_json, list_markdown, list_text, select
    from validator.rulelang.cache import load_ruleset

    chosen = select(load_ruleset(rule_paths), tag)
    if tag is not None and not chosen:
        raise click.BadParameter(_("no rule has the tag {tag}", tag=repr(tag)).render(
            error_lang()), param_hint="--tag")
    text = {"json": list_json, "md": list_markdown}.get(fmt)
    click.echo(text(chosen) if text else list_text(chosen, lang), nl=False)


@rules.command("doc")
@rules_option()
@errors_lang_option()
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write the reference into (created if needed).")
@click.option("--format", "fmt", type=click.Choice(["md", "html", "both"]), default="both",
              show_default=True)
def rules_doc(rule_paths: tuple[str, ...], out: Path, fmt: str) -> None:
    """Write the rule reference: an index and one page per rule, in Markdown and HTML."""
    from validator.authoring.docs import select, write_docs
    from validator.core.output import Reads, check_outputs
    from validator.rulelang.cache import load_ruleset

    ruleset = load_ruleset(rule_paths)
    titles = [p.title.get("en") for p in ruleset.packs if p.title.get("en")]
    formats = ("md", "html") if fmt == "both" else (fmt,)
    pages = [out / f"{name}.{ext}" for name in ["index", *(r.id for r in select(ruleset))]
             for ext in formats]
    check_outputs([("--out", page) for page in pages], [Reads(Path(f)) for f in ruleset.files])
    written = write_docs(ruleset, out, formats, titles[-1] if titles else "Rule reference")
    _say(_("wrote {files} ({rules}) to {folder}", files=N_("{n} file", "{n} files", len(written)),
           rules=N_("{n} rule", "{n} rules", len(ruleset.rules)), folder=out))


@rules.command("test")
@click.argument("paths", nargs=-1)
@click.option("--select", "selectors", multiple=True, metavar="ID|TAG",
              help="Only the cases of these rules: rule ids or tags (repeatable, or "
                   "comma-separated).")
@click.option("--changed", is_flag=True,
              help="Only the cases of the rules whose rule file or case file differs from git "
                   "HEAD (with --select: both).")
@click.option("-v", "--verbose", is_flag=True, help="Show each case, not one line per rule.")
@errors_lang_option()
@click.option("--corpus", multiple=True, metavar="PATH",
              help="Plan files or folders the rules should fire on; rules that never do are "
                   "not covered (repeatable).")
@click.option("--min-coverage", type=click.FloatRange(0, 100), default=None, metavar="N",
              help="Exit 1 when fewer than N% of the rules are covered.")
def rules_test(paths: tuple[str, ...], selectors: tuple[str, ...], changed: bool,
               verbose: bool, corpus: tuple[str, ...], min_coverage: float | None) -> None:
    """Run the pass/fail cases of the rules in PATHS (a pack, rule files or folders; default:
    the bundled pack): one line per rule (-v: per case), then the rules' coverage (of the
    whole set, when no rule is selected)."""
    from validator.authoring.cases import run_cases
    from validator.authoring.changes import changed_rules, selected
    from validator.authoring.coverage import measure
    from validator.rulelang.cache import load_ruleset

    ruleset = load_ruleset(paths)
    only: set[str] | None = None
    if selectors:
        only = selected(ruleset, selectors)
    if changed:
        found = changed_rules(ruleset)
        only = found if only is None else only | found
    outcomes = run_cases(paths, only)
    failed = [o for o in outcomes if not o.ok]
    by_rule: dict[str, list] = {}
    for outcome in outcomes:
        by_rule.setdefault(outcome.rule, []).append(outcome)
    lang = error_lang()
    marks = {True: render(_("ok"), lang), False: render(_("FAIL"), lang)}
    width = max(len(m) for m in marks.values())
    for rule_id, mine in by_rule.items():
        bad = [o for o in mine if not o.ok]
        counted = render(N_("{passed}/{n} case passed", "{passed}/{n} cases passed",
                            len(mine), passed=len(mine) - len(bad)), lang)
        click.echo(f"{marks[not bad]:<{width}} {rule_id:<10} {counted}")
        for outcome in mine:
            if verbose or not outcome.ok:
                click.echo(f"     {marks[outcome.ok]:<{width}} {outcome.name}")
            if not outcome.ok:
                click.echo(f"          {outcome.where()}: {render(outcome.detail, lang)}")
    if only is not None:
        none = sorted(only - set(by_rule))
        if none:
            _say(_("no cases: {rules}", rules=", ".join(none)))
    _say(_("{rules}, {passed}, {failed}", rules=N_("{n} rule", "{n} rules", len(by_rule)),
           passed=N_("{n} case passed", "{n} cases passed", len(outcomes) - len(failed)),
           failed=N_("{n} failed", "{n} failed", len(failed))))
    low = False
    if only is None:
        coverage = measure(ruleset, outcomes, list(corpus), paths)
        for line in coverage.lines():
            _say(line)
        low = min_coverage is not None and coverage.percent < min_coverage
        if low:
            _say(_("coverage {percent}% is below --min-coverage {minimum}%",
                   percent=Number(coverage.percent, 1), minimum=Number(min_coverage, 1)))
    sys.exit(EXIT_FINDINGS if failed or low else EXIT_CLEAN)


@rules.command("new")
@click.argument("rule_id", metavar="ID")
@errors_lang_option()
@click.option("--pack", "pack", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="The pack folder (or folder of rule files) to add the rule to.")
@click.option("--kind", type=click.Choice(["target", "objective", "solution", "plan"]),
              default="target", show_default=True, help="The entity the rule is about.")
def rules_new(rule_id: str, pack: Path, kind: str) -> None:
    """Write a rule stub and its case file for rule ID in a pack, to be filled in."""
    from validator.authoring.scaffold import scaffold

    made = scaffold(rule_id, pack, kind)
    _say(_("wrote {file}", file=made.rule_file))
    _say(_("wrote {file}", file=made.case_file))
    _say(_("next: fill in the TODOs, then run plancheck rules test {pack}", pack=pack))


@rules.command("lint")
@click.argument("paths", nargs=-1)
@errors_lang_option()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
def rules_lint(paths: tuple[str, ...], fmt: str) -> None:
    """Find mistakes in the rules of PATHS (packs, rule files or folders; default: the bundled
    pack): duplicate ids, missing languages, unused params, unknown tags, rules with the same
    conditions, conditions that can never hold, shadowed rules. Exit 1 when there are any."""
    from validator.authoring.lint import lint

    found = lint(paths)
    lang = error_lang()
    if fmt == "json":
        click.echo(json.dumps([f.to_dict(lang) for f in found], ensure_ascii=False, indent=2))
    else:
        for finding in found:
            click.echo(finding.render(lang))
        _say(N_("{n} lint finding", "{n} lint findings", len(found)) if found
             else _("ok: no lint findings"))
    sys.exit(EXIT_FINDINGS if found else EXIT_CLEAN)


@rules.command("fmt")
@click.argument("paths", nargs=-1, required=True)
@click.option("--check", "check_only", is_flag=True,
              help="Change nothing; exit 1 when a file is not in the house style.")
@errors_lang_option()
def rules_fmt(paths: tuple[str, ...], check_only: bool) -> None:
    """Format rule files (or the rule files under folders) in the house style, keeping
    comments and line breaks; a file that does not parse is an error (exit 2)."""
    from validator.core.errors import InputError
    from validator.core.files import read_text
    from validator.core.i18n import _
    from validator.rulelang.files import MAX_RULE_FILE_BYTES
    from validator.rulelang.formatting import format_text
    from validator.rulelang.packs import folder_rule_files

    files: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files.extend(folder_rule_files(path))
        elif path.is_file():
            files.append(path)
        else:
            raise InputError.single(given, _("no such file or folder"))
    changed = []
    problems = []
    for path in files:
        text = read_text(path, MAX_RULE_FILE_BYTES, _("rule files"))
        try:
            formatted = format_text(text, str(path))
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        if formatted != text:
            changed.append(path)
            if not check_only:
                path.write_text(formatted, encoding="utf-8")
    if problems:
        raise InputError(problems)
    for path in changed:
        _say(_("would format {file}", file=path) if check_only
             else _("formatted {file}", file=path))
    _say(N_("{kept} of {n} file already formatted", "{kept} of {n} files already formatted",
            len(files), kept=len(files) - len(changed)))
    sys.exit(EXIT_FINDINGS if check_only and changed else EXIT_CLEAN)


@click.command()
@click.argument("rule_id", metavar="RULE_ID")
@click.argument("plans", nargs=-1, required=True)
@click.option("--entity", metavar="ID", help="Explain this entity only (default: the entities "
              "the rule fired on, or every entity of its kind when it fired on none).")
@click.option("--all", "every", is_flag=True, help="Explain every entity of the rule's kind.")
@rules_option()
@params_option()
@lang_option(help="Language of titles and messages.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--raw", is_flag=True, help="Show the rule's text, its computed values and each "
              "condition's value (for rule authors); default: the verdict and the values "
              "looked at, for a reviewer.")
def explain(rule_id: str, plans: tuple[str, ...], entity: str | None, every: bool,
            rule_paths: tuple[str, ...], params: tuple[str, ...], lang: str, fmt: str,
            raw: bool) -> None:
    """Why RULE_ID fired (or not) on the entities of PLANS: the rule's text, the values it
    computed and each condition's value."""
    from validator.authoring.explain import explain as explain_rule
    from validator.load import expand_inputs, load_all
    from validator.report.trace_text import render_text
    from validator.rulelang.cache import load_ruleset

    ruleset = load_ruleset(rule_paths, parse_params(params) or None)
    report = explain_rule(ruleset, rule_id, load_all(expand_inputs(plans)), entity, every)
    if fmt == "json":
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        click.echo(render_text(report, lang, raw), nl=False)


@click.command()
@lang_option(help="Language of the diagnostics.")
def lsp(lang: str) -> None:
    """Serve the rule language to editors: the Language Server Protocol over stdio
    (diagnostics, hover, completion, definitions, formatting, running a rule's cases)."""
    from validator.cli.lsp import serve  # pygls and the rule set only when serving

    serve(lang)


COMMANDS = [rules, explain, lsp]
