"""The two languages of everything a user reads, and how a text is picked in one of them."""

from __future__ import annotations

from collections.abc import Mapping

LANGS = ("vi", "en")  # Vietnamese first: it is the default everywhere


def in_lang(texts: Mapping[str, str], lang: str) -> str:
    """A text in ``lang``, else in English, else in Vietnamese, else ""."""
    return texts.get(lang) or texts.get("en") or texts.get("vi") or ""
