"""The ``plancheck`` command line: one click group, its commands split by audience
(:mod:`.review` for reviewers and CI, :mod:`.authoring` for rule authors)."""

from __future__ import annotations

import atexit
import errno
import gc
import os
import sys
from typing import Any

import click

from validator import __version__
from validator.cli import authoring, review
from validator.cli.click_text import install as install_click_texts
from validator.cli.click_text import name_paths, word_help
from validator.cli.options import InputFailure, error_lang, run_lang
from validator.core.errors import InputError
from validator.core.files import FOLLOW_SYMLINKS
from validator.core.i18n import _
from validator.core.output import stdout_failure


class _Group(click.Group):
    """A click group that reports an input that cannot be used as an :class:`InputFailure`
    (its located problems, exit code 2), whichever command met it; called as the program
    (``plancheck``, ``python -m validator``), it spares the process's end its collections
    (:func:`_skip_collection_at_exit`)."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        _state["program"] = True  # not through main.main(), as click's test runner calls
        return super().__call__(*args, **kwargs)

    def main(self, args: Any = None, *rest: Any, **kwargs: Any) -> Any:
        """Run the command line, click's own texts in the run's language."""
        install_click_texts(error_lang)
        given = list(sys.argv[1:] if args is None else args)
        with run_lang(given):
            name_paths(self)
            word_help(self, error_lang())
            return super().main(given, *rest, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InputError as exc:
            raise InputFailure(exc.render(error_lang())) from None
        except OSError as exc:
            if exc.errno not in (errno.EPIPE, errno.ENOSPC):
                raise
            # standard output closed or full (every file write is located already)
            raise InputFailure(stdout_failure(exc).render(error_lang())) from None
        except KeyboardInterrupt:
            raise Interrupted(_("plancheck: interrupted").render(error_lang())) from None


class Interrupted(click.ClickException):
    """Ctrl-C: one line on stderr, exit code 130 (as a shell reports SIGINT)."""

    exit_code = 130

    def show(self, file: Any = None) -> None:
        click.echo(self.message, err=True)


@click.group(cls=_Group,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", prog_name="plancheck")
@click.option("--no-cache", is_flag=True,
              help="Compile the rules and read the ontology without the cache on disk "
                   "(the output is the same).")
@click.option("--follow-symlinks", is_flag=True, envvar=FOLLOW_SYMLINKS,
              help="Read input files through symbolic links (never to devices or /proc).")
def main(no_cache: bool, follow_symlinks: bool) -> None:
    """plancheck: check development plans (SEDPs, sectoral plans) against rule packs.

    Plans are plan/1 files (YAML, JSON, Turtle, JSON-LD). Exit codes: 0 clean,
    1 findings at or above --fail-on, 2 usage or input error.
    """
    if _state["program"]:
        _skip_collection_at_exit(click.get_current_context().invoked_subcommand)
    if no_cache:
        from validator.core import diskcache

        diskcache.set_enabled(False)
    # kept in the environment, so that worker processes read files the same way
    os.environ[FOLLOW_SYMLINKS] = "1" if follow_symlinks else "0"


LONG_RUNNING = {"serve", "lsp"}  # commands whose process outlives one piece of work


def _skip_collection_at_exit(command: str | None) -> None:
    """The program's process ends after its command: everything is moved out of the cyclic
    collector's reach at the exit, where the interpreter's last collections walk each
    object a command made only to free them (0.25 s CPU of a small plan's command; memory
    is given back by the exit), and, unless the command runs on (a server), what it loads
    from the cache on disk (a compiled rule set) is kept out of its passes while it runs."""
    atexit.register(gc.freeze)
    if command not in LONG_RUNNING:
        from validator.core import diskcache

        diskcache.freeze_loaded()


_state = {"program": False}

for _command in (*review.COMMANDS, *authoring.COMMANDS):
    main.add_command(_command)
