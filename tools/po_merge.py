"""A git merge driver for the message catalogue: entries merge by msgid, not by line.

Branches that add messages add entries next to each other in the sorted .po, which git's
line merge reports as conflicts. This driver reads the three versions with Babel and keeps
every entry of both sides; where both sides changed the same entry's translation, ours is
kept and the clash is printed, so a reviewer can look. Set it up once per clone:

    git config merge.po-catalogue.driver "python tools/po_merge.py %O %A %B"

(.gitattributes routes the catalogue to it.) Then run ``python tools/messages.py`` to drop
the entries neither side's code still has.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

sys.path.insert(0, str(Path(__file__).resolve().parent))
from messages import serialised  # noqa: E402  (a sibling script, not a package)


def read(path: str) -> Catalog:
    with open(path, "rb") as handle:
        return read_po(handle, locale="vi", domain="plancheck")


def merged(base: Catalog, ours: Catalog, theirs: Catalog) -> tuple[Catalog, list[str]]:
    """Ours, with their new entries, their changes to entries ours left as in base, and
    without the entries they dropped that ours left as in base."""
    clashes = []
    for message in theirs:
        if not message.id:
            continue
        mine = ours.get(message.id, message.context)
        if mine is None:
            if base.get(message.id, message.context) is None:
                ours[message.id] = message
            continue
        original = base.get(message.id, message.context)
        before = original.string if original is not None else ""
        if mine.string == message.string or message.string == before:
            continue
        if mine.string == before or not mine.string:
            mine.string = message.string
        else:
            clashes.append(str(message.id))
    for message in list(base):
        # dropped by their side and left as it was by ours: dropped
        mine = ours.get(message.id, message.context) if message.id else None
        if mine is not None and theirs.get(message.id, message.context) is None \
                and mine.string == message.string:
            ours.delete(message.id, message.context)
    return ours, clashes


def main(argv: list[str]) -> int:
    base, ours_path, theirs = argv
    catalog, clashes = merged(read(base), read(ours_path), read(theirs))
    Path(ours_path).write_bytes(serialised(catalog))
    for msgid in clashes:
        print(f"po_merge: both sides translated {msgid!r}; kept ours", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
