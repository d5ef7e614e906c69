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
FORMATS = ["text", "json"]


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
@click.option("--to", "fmt", required=True, type=click.Choice(["yaml", "json", "ttl", "jsonld"]),
              help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write here instead of standard output.")
@_guard
def convert(plan: Path, fmt: str, output: Path | None) -> None:
    """Convert a plan between YAML, JSON, Turtle and JSON-LD."""
    from validator.convert import write_plan
    from validator.loader import load_plan

    text = write_plan(load_plan(plan).plan, fmt)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")


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


@main.command()
@click.argument("files", nargs=-1, required=True)
@_rules_options
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
@_guard
def validate(files: tuple[str, ...], rule_paths: tuple[str, ...], params: tuple[str, ...],
             lang: str | None, fmt: str, fail_on: str | None, config_path: Path | None,
             output: Path | None) -> None:
    """Validate plan FILES (files, folders or globs) against the rules."""
    from validator.config import config_for, load_config
    from validator.findings import exit_code
    from validator.report import ReportOptions, render
    from validator.run import validate_files

    config = load_config(config_path) if config_path else config_for(files)
    lang = lang or config.lang or "vi"
    fail_on = fail_on or config.fail_on or "warning"
    overrides = {**config.params, **_parse_params(params)}
    result = validate_files(files, rule_paths or tuple(config.rules), overrides)
    options = ReportOptions(lang=lang, color=output is None and sys.stdout.isatty(),
                            fail_on=fail_on)
    text = render(result, fmt, options)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
    sys.exit(exit_code(result.findings, fail_on))


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
@click.option("--rules", "rule_paths", multiple=True, metavar="PATH")
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@_guard
def rules_list(rule_paths: tuple[str, ...], lang: str, fmt: str) -> None:
    """List the rules of a rule set with their severity and title."""
    import json

    from validator.ruleset import load_ruleset

    ruleset = load_ruleset(rule_paths)
    if fmt == "json":
        click.echo(json.dumps([r.summary() for r in ruleset.rules], ensure_ascii=False,
                              indent=2))
        return
    for rule in ruleset.rules:
        click.echo(f"{rule.id:<10} {rule.severity:<8} {rule.title.get(lang)}")


@rules.command("test")
@click.argument("paths", nargs=-1)
@_guard
def rules_test(paths: tuple[str, ...]) -> None:
    """Run the pass/fail cases of the rules in PATHS (default: the bundled pack)."""
    from validator.cases import run_cases

    outcomes = run_cases(paths)
    failed = [o for o in outcomes if not o.ok]
    for outcome in outcomes:
        mark = "ok  " if outcome.ok else "FAIL"
        click.echo(f"{mark} {outcome.rule:<10} {outcome.name}")
        if not outcome.ok:
            click.echo(f"     {outcome.detail}")
    click.echo(f"{len(outcomes) - len(failed)} passed, {len(failed)} failed")
    sys.exit(EXIT_FINDINGS if failed else EXIT_CLEAN)


if __name__ == "__main__":  # pragma: no cover
    main()
