"""Keep the Vietnamese message catalogue in step with the code.

plancheck's own messages are written in English in the code, as ``_("...")`` and
``N_("...", "...", n)`` (validator/core/i18n.py), and the command line's help texts;
their Vietnamese lives in
``validator/locale/vi/LC_MESSAGES/plancheck.po``. This script extracts the msgids from the
package with Babel, adds the new ones to the catalogue (untranslated), drops those the code
no longer has, and writes the file sorted, without line numbers, so it changes only where
the messages do. Translate the empty entries with any .po editor (Poedit, Weblate) or by
hand; tests/test_messages.py fails while one is empty.

    python tools/messages.py            # update the catalogue
    python tools/messages.py --check    # exit 1 if it is out of date
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "validator"
CATALOGUE = PACKAGE / "locale" / "vi" / "LC_MESSAGES" / "plancheck.po"
KEYWORDS = {"_": None, "N_": (1, 2)}
# the review desk's pages call _("...") in their Jinja templates (validator/desk/templates)
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2.ext:babel_extract")]
HEADER = ("# Vietnamese messages of plancheck: the text of each English msgid in the code, as a\n"
          "# reviewer reads it. Updated by tools/messages.py; translate the empty entries.")
VOLATILE = ('"POT-Creation-Date:', '"PO-Revision-Date:', '"Report-Msgid-Bugs-To:',
            '"Generated-By:')


def extracted() -> Catalog:
    """Every msgid of the package, as a template catalogue."""
    template = Catalog(project="plancheck", domain="plancheck")
    for filename, lineno, message, comments, context in extract_from_dir(
            str(PACKAGE), method_map=METHODS, keywords=KEYWORDS,
            comment_tags=("i18n:",), strip_comment_tags=True):
        template.add(message, locations=[(filename, lineno)], auto_comments=comments,
                     context=context)
    for text in command_help():
        template.add(text)
    return template


def command_help() -> list[str]:
    """The command line's help (commands' docstrings, options' help), which click shows
    as written: its msgids are the English texts themselves (validator/cli/click_text.py)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from validator.cli import main
    from validator.cli.click_text import help_texts

    return list(help_texts(main))


def updated() -> bytes:
    """The catalogue as it should be: today's translations for today's msgids."""
    if CATALOGUE.is_file():
        with CATALOGUE.open("rb") as handle:
            catalog = read_po(handle, locale="vi", domain="plancheck")
    else:
        catalog = Catalog(locale="vi", project="plancheck", domain="plancheck")
    catalog.update(extracted(), no_fuzzy_matching=True)
    catalog.obsolete.clear()
    catalog.fuzzy = False
    catalog.header_comment = HEADER
    catalog.project, catalog.version = "plancheck", ""
    catalog.last_translator = catalog.language_team = "plancheck developers"
    return serialised(catalog)


def serialised(catalog: Catalog) -> bytes:
    """The catalogue as the file holds it: sorted, without line numbers or volatile dates."""
    out = io.BytesIO()
    write_po(out, catalog, width=100, no_location=True, omit_header=False, sort_output=True,
             include_previous=False)
    # dates and tool versions would change the file on every run: leave them out
    lines = out.getvalue().decode("utf-8").splitlines(keepends=True)
    return "".join(line for line in lines if not line.startswith(VOLATILE)).encode("utf-8")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if out of date")
    args = parser.parse_args(argv)
    wanted = updated()
    current = CATALOGUE.read_bytes() if CATALOGUE.is_file() else b""
    if args.check:
        if wanted != current:
            print(f"{CATALOGUE.relative_to(ROOT)} is out of date: run python tools/messages.py")
            return 1
        return 0
    CATALOGUE.parent.mkdir(parents=True, exist_ok=True)
    CATALOGUE.write_bytes(wanted)
    print(f"wrote {CATALOGUE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
