"""The rules plancheck itself checks, beside a pack's: findings about the waivers of a run.
They are selected, reported and documented like a pack's rules; their texts are the
catalogue's (validator/locale), made into the {language: text} a finding carries when one is
made, so importing this module reads no catalogue."""

from __future__ import annotations

from typing import Any

from validator.core.i18n import LANGS, Message, _, render

EXPIRED, UNUSED = "WAIVER-EXPIRED", "WAIVER-UNUSED"
META_RULES: dict[str, dict[str, Any]] = {
    EXPIRED: {
        "id": EXPIRED, "severity": "warning", "source": "plancheck waivers", "tags": ["waiver"],
        "entity": "waiver", "title": _("Waiver has expired"),
        "rationale": _("An expired waiver waives nothing: fix the plan, or renew the waiver "
                       "with a fresh reason and approval."),
    },
    UNUSED: {
        "id": UNUSED, "severity": "warning", "source": "plancheck waivers", "tags": ["waiver"],
        "entity": "waiver", "title": _("Waiver matches no finding"),
        "rationale": _("A waiver that no longer matches anything should be removed so that it "
                       "cannot hide a later finding."),
    },
}


def in_both(message: Message) -> dict[str, str]:
    """A message in every language, as a finding holds its title and message."""
    return {lang: render(message, lang) for lang in LANGS}


def meta_summary(rule: str) -> dict[str, Any]:
    """A meta rule as ``Rule.summary()`` gives a pack's rule: its texts in each language."""
    return {key: in_both(value) if isinstance(value, Message) else value
            for key, value in META_RULES[rule].items()}
