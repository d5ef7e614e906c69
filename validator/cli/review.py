"""Commands for reviewers and CI: validate plans, report on monitoring, convert plans, write
templates, look up the ontology's codes.

Each command imports what it runs inside its body: ``plancheck --help`` and a command's
``--help`` then start without the rule engine, rdflib or openpyxl.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import click

from validator.cli.options import (
    FORMATS,
    apply,
    error_lang,
    fail_on_option,
    lang_option,
    output_option,
    params_option,
    parse_params,
    parse_plan,
    plan_option,
    reads_of,
    rules_option,
    use_lang,
    write_output,
)
from validator.core.i18n import N_, _, lang_first
from validator.core.i18n import render as text_in

DEFAULT_TIMEOUT = 300.0  # validator.pipeline.workers.DEFAULT_TIMEOUT (a test checks)
DEFAULT_MEMORY_MB = 4096  # validator.pipeline.workers.DEFAULT_MEMORY_MB

PLAN_KINDS = ["five_year_sedp", "annual_sedp", "five_year_sectoral", "annual_sectoral"]
TEMPLATE_LEVELS = ["province", "district", "commune", "nation", "village"]


def _ci_options(fn):  # type: ignore[no-untyped-def]
    path = click.Path(dir_okay=False, path_type=Path)
    return apply(
        fn,
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
                     help="Worker processes (0: one per CPU); a small batch stays in one."),
        click.option("--timeout", type=click.FloatRange(min=0, min_open=True),
                     default=DEFAULT_TIMEOUT, show_default=True, metavar="SECONDS",
                     help="Time limit per file: a file over it is an input error and the "
                          "others are still checked."),
        click.option("--memory-limit", type=click.IntRange(min=64), default=DEFAULT_MEMORY_MB,
                     show_default=True, metavar="MB",
                     help="Memory limit of each worker process (with --jobs): a file over "
                          "it is an input error and the others are still checked."))


@click.command()
@click.argument("files", nargs=-1, required=True)
@rules_option()
@params_option()
@plan_option()
@_ci_options
@lang_option(default=None, help="Language of titles and messages  [default: vi, or the "
                                "config's].")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text",
              show_default=True, help="Report format.")
@fail_on_option()
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Configuration file (default: the nearest plancheck.toml or pyproject.toml "
                   "with [tool.plancheck] above the first input).")
@output_option("Write the report here instead of standard output.")
@click.option("--annotate", "annotate_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write a copy of the (one) .xlsx or .docx input with each finding as a "
                   "comment on its cell (and, for a workbook, a Findings sheet).")
@click.option("--latest", is_flag=True,
              help="Of two versions of one plan (the same plan ID), check only the newest: "
                   "the latest submission date, then the latest modification time.")
@click.option("--group/--no-group", "group", default=None,
              help="One finding per rule and plan where the rule groups its findings about "
                   "many entities, or one per entity  [default: grouped, or the config's].")
@click.option("--explain", "explain_findings", is_flag=True,
              help="Add to each finding the trace of why its rule fired (lets, conditions "
                   "and their values).")
def validate(files: tuple[str, ...], rule_paths: tuple[str, ...], params: tuple[str, ...],
             plan_fields: tuple[str, ...], lang: str | None, fmt: str, fail_on: str | None,
             config_path: Path | None,
             output: Path | None, select: tuple[str, ...], ignore: tuple[str, ...],
             waivers_path: Path | None, baseline_path: Path | None,
             write_baseline: Path | None, jobs: int, timeout: float, memory_limit: int,
             latest: bool, explain_findings: bool, annotate_path: Path | None,
             group: bool | None) -> None:
    """Validate plan FILES (files, folders or globs) against the rules."""
    from validator.core.errors import InputError
    from validator.core.findings import exit_code
    from validator.core.output import check_outputs
    from validator.findings.selection import selection_for, split_selectors
    from validator.pipeline.config import config_for, load_config
    from validator.pipeline.validate import Policy
    from validator.pipeline.validate import validate as run_validation
    from validator.pipeline.workers import Limits
    from validator.report import ReportOptions, render

    config = load_config(config_path) if config_path else config_for(files)
    lang = use_lang(lang or config.lang or "vi")
    fail_on = fail_on or config.fail_on or "warning"
    if baseline_path is None and write_baseline is None and config.baseline:
        baseline_path = Path(config.baseline)
    waivers_path = waivers_path or (Path(config.waivers) if config.waivers else None)
    check_outputs([("-o", output), ("--write-baseline", write_baseline),
                   ("--annotate", annotate_path)],
                  reads_of(files, rule_paths or tuple(config.rules), (config.path, waivers_path),
                           [(baseline_path, "--write-baseline")]))
    policy = Policy(selection_for(config, split_selectors(select), split_selectors(ignore)),
                    waivers_path, baseline_path, write_baseline,
                    group=group if group is not None else config.group is not False)
    given_params = parse_params(params)
    try:
        result = run_validation(files, rule_paths or tuple(config.rules),
                                {**config.params, **given_params}, policy=policy,
                                jobs=jobs, progress=sys.stderr.isatty(),
                                limits=Limits(timeout, memory_limit),
                                keep_plans=fmt == "html" or explain_findings
                                or annotate_path is not None,
                                given=parse_plan(plan_fields, config.plan, config),
                                latest=latest)
    except InputError as exc:  # a bad [params] value: at its key in the configuration
        raise config.param_error(exc, given_params) from None
    if write_baseline is not None and result.baseline is not None:
        click.echo(text_in(_("plancheck: recorded {findings} in {file}", findings=N_(
            "{n} finding", "{n} findings", result.baseline.unchanged), file=write_baseline),
            lang), err=True)
    if explain_findings:
        from validator.authoring.explain import attach_traces  # traces: only when asked

        result = attach_traces(result)
    if annotate_path is not None:
        from validator.report.annotate import annotate_workbook  # openpyxl: only when asked

        books = [p for p in result.plans if Path(p.file).suffix.lower() in (".xlsx", ".docx")]
        if len(books) != 1:
            raise click.UsageError(text_in(_("--annotate needs exactly one .xlsx or .docx "
                                            "input; got {n}", n=len(books)), lang))
        if Path(books[0].file).suffix.lower() == ".docx":
            if annotate_path.suffix.lower() != ".docx":
                raise click.BadParameter(text_in(_("the annotated copy of a .docx is a .docx"),
                                                 lang), param_hint="--annotate")
            from validator.report.annotate_docx import annotate_document

            annotate_document(books[0], result.findings, lang, annotate_path)
        else:
            annotate_workbook(books[0], result.findings, lang, annotate_path)
    options = ReportOptions(lang=lang, color=output is None and sys.stdout.isatty(),
                            fail_on=fail_on)
    write_output(render(result, fmt, options), output)
    sys.exit(exit_code(result.findings, fail_on))


@click.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--form", type=click.Choice(["six_month", "annual", "five_year"]), required=True,
              help="six_month/annual: Table 4.2 results frame; five_year: Table 4.5.")
@click.option("--year", type=int, help="The year reported on (six_month and annual); default: "
              "the year of the one annual plan given.")
@lang_option(help="Language of the tables.")
@output_option("Write Markdown (.md) or an Excel workbook (.xlsx); default: Markdown on "
               "standard output.")
def report(files: tuple[str, ...], form: str, year: int | None, lang: str,
           output: Path | None) -> None:
    """Monitoring tables of the manual's Chapter IV from plans and their actual values."""
    from validator.core.output import check_outputs
    from validator.facts.linking import linked_views
    from validator.load import expand_inputs, load_all
    from validator.report.monitoring import build_tables, to_markdown, to_xlsx

    if output is not None and output.suffix.lower() not in (".md", ".xlsx"):
        raise click.BadParameter(text_in(_("the output must end in .md or .xlsx"), lang),
                                 param_hint="--output")
    check_outputs([("-o", output)], reads_of(files))
    views = linked_views(load_all(expand_inputs(files)))
    if form != "five_year" and year is None:
        annual = sorted({v.period_start for v in views if v.period_start == v.period_end})
        if len(annual) != 1:  # one annual plan given: its year is the one reported on
            raise click.UsageError(text_in(_(
                "--form {form} needs --year (the inputs hold no single annual plan to take "
                "it from)", form=form), lang))
        year = annual[0]
    tables = build_tables(views, form, year, lang)
    if not tables:
        raise click.UsageError(text_in(_("no loaded plan covers that form and year"), lang))
    if output is not None and output.suffix.lower() == ".xlsx":
        to_xlsx(tables, output)
    else:
        write_output(to_markdown(tables), output)


@click.command()
@click.argument("plan", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--to", "fmt", required=True,
              type=click.Choice(["yaml", "json", "ttl", "jsonld", "xlsx"]),
              help="Output format.")
@output_option("Write here instead of standard output (required for xlsx).")
@lang_option(help="Language of a workbook's headers and labels (xlsx).")
@plan_option()
def convert(plan: Path, fmt: str, output: Path | None, lang: str,
            plan_fields: tuple[str, ...]) -> None:
    """Convert a plan between YAML, JSON, Turtle, JSON-LD and Excel (.xlsx)."""
    from validator.core.output import check_outputs
    from validator.formats.write import write_plan, write_plan_bytes
    from validator.load import load_plan
    from validator.pipeline.config import config_for

    check_outputs([("-o", output)], reads_of([str(plan)]))
    config = config_for([str(plan)])
    given = parse_plan(plan_fields, config.plan, config)
    if fmt == "xlsx":
        if output is None:
            raise click.UsageError(text_in(_("--to xlsx writes a workbook: give -o FILE.xlsx"),
                                          lang))
        write_output(write_plan_bytes(load_plan(plan, given).plan, fmt, lang), output)
        return
    write_output(write_plan(load_plan(plan, given).plan, fmt), output)


@click.command()
@click.option("--kind", required=True, type=click.Choice(PLAN_KINDS), help="Plan kind.")
@lang_option(help="Language of headers, labels and drop-downs.")
@click.option("--level", type=click.Choice(TEMPLATE_LEVELS), default="province",
              show_default=True)
@click.option("--period", metavar="YEAR[-YEAR]",
              help="Plan period  [default: 2026-2030 for five-year kinds, 2026 for annual; "
                   "for the district, which ended on 30 June 2025, 2021-2025 and 2025].")
@output_option("The workbook to write (.xlsx).", required=True)
def template(kind: str, lang: str, level: str, period: str | None, output: Path) -> None:
    """Write an empty plan workbook (the manual's framework layout, with drop-downs)."""
    from validator.formats.xlsx.template import template_workbook

    years = None
    if period is not None:
        match = re.fullmatch(r"\s*(\d{4})\s*(?:[-–]\s*(\d{4}))?\s*", period)
        if not match or (match.group(2) and int(match.group(2)) < int(match.group(1))):
            raise click.BadParameter(text_in(_("{period} is not YEAR or YEAR-YEAR",
                                              period=repr(period)), lang),
                                     param_hint="--period")
        years = (int(match.group(1)), int(match.group(2) or match.group(1)))
        from validator.plan.timeline import levels_for_period

        if level not in levels_for_period(*years):
            raise click.BadParameter(text_in(_(
                "there is no {level} level in {period}: the district level ended on 30 June "
                "2025 (Law 72/2025/QH15); plans from 2026 are made at the province or the "
                "commune", level=level, period=period), lang), param_hint="--period")
    write_output(template_workbook(kind, lang, level, years), output)
    click.echo(text_in(_("plancheck: wrote {file}", file=output), lang), err=True)


def _day(value: str | None) -> dt.date | None:
    """A --on DATE option (YYYY-MM-DD) as a date; a bad one is a usage error (exit 2)."""
    import datetime as dt

    from validator.core.i18n import _

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(text_in(_("{value} is not a date; expected YYYY-MM-DD, e.g. "
                                       "2026-01-01", value=repr(value)), error_lang()),
                                 param_hint="--on") from None


def _timeline_lines(scheme: str, level: str | None, day: dt.date | None,
                    lang: str) -> list[str]:
    """The lines of `ontology agency|level|province [--level L] [--on DATE]`: a count, then
    one line per concept with its code, both names (the --lang one first), the dates it is
    valid for and, for one that has ended, what replaced it."""
    from validator.core.i18n import _, render
    from validator.plan import timeline
    from validator.plan.ontology import codes, label

    rows: list[tuple[str, str, str, timeline.Span]] = []
    if scheme == "province":
        for p in timeline.provinces().values():
            if day is None or p.span.valid_on(day):
                rows.append((p.code, p.label_vi, p.label_en, p.span))
    else:
        table = timeline.spans(scheme)
        for code, entry in codes(scheme).items():
            if scheme == "agency" and level is not None and level not in entry.levels:
                continue
            ok = (timeline.agency_exists(code, level, day) if scheme == "agency"
                  and day is not None else day is None or table[code].valid_on(day))
            if ok:
                rows.append((code, entry.label_vi, entry.label_en, table[code]))
    where = {"agency": _("agencies"), "level": _("levels"), "province": _("provinces")}[scheme]
    head = _("{count} {what}", count=len(rows), what=where)
    if level is not None:
        head = _("{head} at the {level} level", head=head,
                 level=label("level", level, lang).lower())
    if day is not None:
        head = _("{head} on {day}", head=head, day=day)
    lines = [f"# {render(head, lang)}"]
    width = max((len(r[0]) for r in rows), default=4)
    for code, vi, en, span in rows:
        names = " / ".join(lang_first(lang, (vi, en)))
        since = render(span.valid_from, lang) if span.valid_from else "…"
        until = render(span.valid_through, lang) if span.valid_through else "…"
        dates = "" if span.valid_from is None and span.valid_through is None \
            else f"  [{since} – {until}]"
        after = f"  → {', '.join(span.successors)}" if span.successors else ""
        lines.append(f"{code:<{width}}  {names}{dates}{after}")
    return lines


@click.command()
@click.argument("scheme", required=False)
@lang_option(help="Language of the labels.")
@click.option("--level", "level", metavar="LEVEL",
              help="agency: only the agencies of this level (nation, province, district, "
                   "commune, village).")
@click.option("--on", "on", metavar="DATE",
              help="agency, level, province: only what exists on this day (YYYY-MM-DD), "
                   "with both names and the dates it is valid for.")
@click.option("--name", "name", metavar="TEXT",
              help="province: the province TEXT names on the --on day (a merged one as its "
                   "successor, with a note).")
def ontology(scheme: str | None, lang: str, level: str | None, on: str | None,
             name: str | None) -> None:
    """List the ontology's code schemes, or the codes of SCHEME with their labels.

    With --on (and, for agencies, --level) it lists what exists on that day: `plancheck
    ontology agency --level commune --on 2026-01-01` gives the commune bodies of the
    two-level state; `plancheck ontology province --on 2025-06-30` the 63 provinces;
    `plancheck ontology province --on 2026-01-01 --name "Yên Bái"` the new Lào Cai.
    """
    from validator.core.hints import close_matches
    from validator.core.i18n import _
    from validator.plan.ontology import SCHEMES, canonical_code, codes

    day = _day(on)
    timed = ("agency", "level", "province")
    if scheme is None:
        for name in SCHEMES:
            click.echo(f"{name:<10} " + text_in(N_("{n} code", "{n} codes",
                                                      len(codes(name))), lang))
        return
    if scheme not in SCHEMES and scheme != "province":
        names = [*SCHEMES, "province"]
        near = close_matches(scheme, names)
        message = (_("unknown scheme {scheme}; did you mean {near}? (one of: {schemes})",
                     scheme=repr(scheme), near=repr(near[0]), schemes=", ".join(names))
                   if near else _("unknown scheme {scheme} (one of: {schemes})",
                                  scheme=repr(scheme), schemes=", ".join(names)))
        raise click.BadParameter(text_in(message, lang), param_hint="SCHEME")
    if level is not None and scheme != "agency":
        raise click.BadParameter(text_in(_("--level applies to the agency scheme only"), lang),
                                 param_hint="--level")
    if (day is not None or scheme == "province") and scheme not in timed:
        raise click.BadParameter(text_in(_("--on applies to the agency, level and province "
                                       "schemes only"), lang), param_hint="--on")
    if level is not None and canonical_code("level", level) is None:
        raise click.BadParameter(text_in(_("unknown level {level}; expected one of: {levels}",
                                       level=repr(level), levels=", ".join(codes("level"))), lang),
                                 param_hint="--level")
    if name is not None:
        if scheme != "province" or day is None:
            raise click.BadParameter(text_in(_("--name needs the province scheme and --on "
                                               "DATE"), lang),
                                     param_hint="--name")
        from validator.plan.timeline import province_in

        match = province_in(name, day)
        if match is None:
            raise click.BadParameter(text_in(_("no province is named {name} on {day}",
                                           name=repr(name), day=day), lang), param_hint="--name")
        p = match.province
        names = " / ".join(lang_first(lang, (p.label_vi, p.label_en)))
        click.echo(f"{p.code}  {names}  [{p.admin_code}]")
        if match.former is not None:
            click.echo(f"# {match.note(lang)}")
        return
    if scheme in timed and (day is not None or level is not None or scheme == "province"):
        for line in _timeline_lines(scheme, canonical_code("level", level) if level else None,
                                   day, lang):
            click.echo(line)
        return
    entries = codes(scheme)
    width = max((len(c) for c in entries), default=4)
    for code, entry in entries.items():
        shown = lang_first(lang, (entry.label_vi, entry.label_en))[0]
        broader = f"  [{entry.broader}]" if entry.broader else ""
        click.echo(f"{code:<{width}}  {shown}{broader}")


@click.group()
def cache() -> None:
    """The cache of compiled rule data and ontology tables (in the user's cache folder;
    ``plancheck --no-cache`` runs without it)."""


@cache.command("clear")
@lang_option(help="Language of the message.")
def cache_clear(lang: str) -> None:
    """Remove every entry of the cache (the next command rebuilds what it needs)."""
    from validator.core import diskcache
    from validator.core.i18n import N_

    folder, count = diskcache.clear()
    click.echo(N_("plancheck: removed {count} file from the cache {folder}",
                  "plancheck: removed {count} files from the cache {folder}", count,
                  count=count, folder=str(folder)).render(lang), err=True)


@cache.command("dir")
def cache_dir() -> None:
    """Print the folder of the cache."""
    from validator.core import diskcache

    click.echo(str(diskcache.cache_dir()))



@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; any but this machine's needs --auth or "
                   "PLANCHECK_DESK_TOKEN.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--data", "data", type=click.Path(file_okay=False, path_type=Path),
              default=Path("plancheck-desk"), show_default=True,
              help="Folder of the uploads (and of the SQLite database without --db).")
@click.option("--db", metavar="URL",
              help="A database URL instead of SQLite in the data folder, e.g. "
                   "postgresql://user:password@host/plancheck.")
@click.option("--auth", "auth_path", type=click.Path(dir_okay=False, path_type=Path),
              help="TOML file with a shared token = \"...\" or [users] name = \"$argon2id$...\".")
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True,
              help="Validation worker processes.")
@click.option("--max-upload", type=click.IntRange(1, 1024), default=20, show_default=True,
              metavar="MB", help="Largest uploaded file (a zip: unpacked).")
@click.option("--hash-password", is_flag=True,
              help="Ask for a password and print its hash for --auth's [users], then exit.")
def serve(host: str, port: int, data: Path, db: str | None, auth_path: Path | None,
          workers: int, max_upload: int, hash_password: bool) -> None:
    """Run the review desk: a web app to receive, check, return and track submissions
    (docs/review-desk.md). Needs the serve extra: pip install 'plancheck[serve]'."""
    try:
        import uvicorn

        from validator.desk.app import create_app
        from validator.desk.security import hash_password as make_hash
        from validator.desk.settings import LOCAL_HOSTS, MB, Settings, load_auth
    except ImportError as exc:
        raise click.UsageError(text_in(_(
            "the review desk needs the serve extra ({module} is missing): "
            "pip install 'plancheck[serve]'", module=str(exc.name)), error_lang())) from None
    if hash_password:
        click.echo(make_hash(click.prompt(text_in(_("Password"), error_lang()),
                                          hide_input=True, confirmation_prompt=True)))
        return
    auth = load_auth(auth_path)
    if host not in LOCAL_HOSTS and not auth.required:
        raise click.UsageError(text_in(_(
            "--host {host} lets other machines in: give --auth FILE or set "
            "PLANCHECK_DESK_TOKEN (docs/review-desk.md)", host=host), error_lang()))
    settings = Settings(data=data, db=db, auth=auth, workers=workers,
                        max_upload=max_upload * MB, max_request=max(100, 2 * max_upload) * MB)
    url = f"http://{host}:{port}/"
    where = _("plancheck: the review desk is at {url} (data in {data}, database {db})",
              url=url, data=str(data), db=db.split("@")[-1]) if db else \
        _("plancheck: the review desk is at {url} (data in {data})", url=url, data=str(data))
    click.echo(text_in(where, error_lang()), err=True)
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")


COMMANDS = [validate, report, convert, template, ontology, cache, serve]
