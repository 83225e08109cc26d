"""Organizations the knowledge base does not know, found where the text
defines their acronym: "Penjaga Pantai Filipina (PCG)", "North Atlantic
Council (NAC)".  The long name and every later use of the acronym are
mentions of one entity without QID.  Nothing else is guessed: a capitalised
phrase alone may as well be a title, a place or a slogan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.gazetteer.normalize import Token
from kg.linking.cues import Cues

MAX_NAME_WORDS = 8
_ACRONYM = re.compile(r"[A-ZА-ЯЁ][A-ZА-ЯЁ0-9&]{1,7}")
# Short lower-case words allowed inside a name ("Office for West Africa").
_JOINING_WORDS = frozenset(
    ("of", "for", "and", "the", "on", "in", "dan", "untuk", "dari", "di", "de", "du", "des")
    + ("la", "le", "et", "für", "und", "der", "die", "das", "del", "y", "e", "da", "do")
)


@dataclass
class NilOrganization:
    """An organization the knowledge base does not know: named in full once, then by its
    acronym, or a name the trained scorer chose (``organization_names.py``)."""

    label: str
    acronym: str
    spans: list[tuple[int, int]] = field(default_factory=list)  # character ranges
    score: float = 0.6
    method: str = "acronym"  # or "organization-name": chosen by the trained scorer


def find_nil_organizations(
    text: str, tokens: list[Token], covered: set[int], cues: Cues
) -> list[NilOrganization]:
    """Organizations defined as "Long Name (ACRONYM)" and not linked otherwise."""
    found: dict[str, NilOrganization] = {}
    for position, token in enumerate(tokens):
        if position in covered or not _defined_acronym(text, token):
            continue
        first = _name_start(text, tokens, position, covered, cues)
        if first is None or token.text in found:
            continue
        label = text[tokens[first].start : tokens[position - 1].end]
        found[token.text] = NilOrganization(label=label, acronym=token.text)
        found[token.text].spans.append((tokens[first].start, tokens[position - 1].end))
    for position, token in enumerate(tokens):
        organization = found.get(token.text)
        if organization is not None and position not in covered:
            organization.spans.append((token.start, token.end))
    return list(found.values())


def _defined_acronym(text: str, token: Token) -> bool:
    """Is this word an acronym standing alone in brackets: "(PCG)"?"""
    return (
        bool(_ACRONYM.fullmatch(token.text))
        and text[token.start - 1 : token.start] == "("
        and text[token.end : token.end + 1] == ")"
    )


def _name_start(
    text: str, tokens: list[Token], acronym: int, covered: set[int], cues: Cues
) -> int | None:
    """First word of the capitalised name right before "(ACRONYM)", if any."""
    first = None
    position = acronym - 1
    while position >= 0 and acronym - position <= MAX_NAME_WORDS:
        following = tokens[position + 1]
        if position + 1 < acronym and text[tokens[position].end : following.start] != " ":
            break  # "NATO - North Atlantic Council": the name starts after the dash
        word = tokens[position].text
        if word[:1].isupper() and tokens[position].key not in cues.title_words:
            first = position
        elif word.lower() not in _JOINING_WORDS:
            break
        position -= 1
    if first is None or acronym - first < 2:
        return None
    if all(k in covered for k in range(first, acronym)):
        return None  # the whole name is a known entity: its acronym is an alias
    return first
