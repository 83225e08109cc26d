"""Matches that are only part of something longer, and so not linked.

"Bank Central Asia", "Garuda Indonesia", "Jakarta Selatan", "Korea Times",
"France 24", "TNI AU", "Mahamat Idriss Déby Itno", and a city that is its club
in a sports sentence ("Madrid menang 2-0").  Languages whose genitive marks a
place after a name ("Банка России") and languages that capitalise every noun
(German) are read with their own rules.
"""

from __future__ import annotations

from bisect import bisect_right

from kg.gazetteer.index import AliasIndex
from kg.gazetteer.normalize import Token
from kg.linking.context import adjacent, in_parentheses, opens_sentence
from kg.linking.cues import Cues, name_like, title_ends_at
from kg.linking.detect import Match
from kg.linking.metonymy import dateline
from kg.text import sentences

MAX_OFFICE_WORDS = 4  # "Menteri Luar Negeri ..." before a state


def sports_sentences(text: str, tokens: list[Token], cues: Cues) -> list[tuple[int, int]]:
    """Character ranges of the sentences that report sports."""
    hits = [token.start for token in tokens if token.key in cues.sports_words]
    if not hits:
        return []
    ranges = [(span.start, span.end) for span in sentences(text)]
    starts = [start for start, _ in ranges]
    sporty = {bisect_right(starts, hit) - 1 for hit in hits}
    return [ranges[k] for k in sorted(sporty) if k >= 0]


def club_not_city(
    text: str,
    tokens: list[Token],
    match: Match,
    index: AliasIndex,
    cues: Cues,
    sporty: list[tuple[int, int]],
) -> bool:
    """ "Madrid menang 2-0": in a sports sentence a city that is not a place
    ("in Madrid", "(Ереван)") is its club."""
    if not sporty or index.entities[match.candidates[0].entity].type != "city":
        return False
    if in_parentheses(text, match) or dateline(text, match):
        return False
    if match.first > 0 and tokens[match.first - 1].key in cues.literal_before:
        return False
    return any(start <= match.start < end for start, end in sporty)


def treaty_not_city(tokens: list[Token], match: Match, index: AliasIndex, cues: Cues) -> bool:
    """ "Convención de Viena", "Vienna Convention", "Minsker Abkommen", "اتفاقية أوسلو":
    a city beside a treaty's noun names the treaty."""
    if index.entities[match.candidates[0].entity].type != "city":
        return False
    before = match.first - 1
    if before >= 0 and tokens[before].key in cues.of_words:
        before -= 1
    return (before >= 0 and tokens[before].key in cues.treaty_words) or (
        match.last + 1 < len(tokens) and tokens[match.last + 1].key in cues.treaty_words
    )


def longer_organization_name(
    text: str, tokens: list[Token], match: Match, index: AliasIndex, cues: Cues
) -> range | None:
    """The words of a longer organization name that this organization's name
    opens ("United Nations Office for West Africa and the Sahel"), if any:
    a capitalised word that continues names of bodies comes right after it."""
    top = index.entities[match.candidates[0].entity]
    after = match.last + 1
    if top.type not in ("organization", "alliance") or after >= len(tokens):
        return None
    tail = tokens[after]
    if text[match.end : tail.start] != " " or tail.key not in cues.org_tails:
        return None
    if not tail.text[:1].isupper():
        return None
    last = after
    while last + 1 < len(tokens) and text[tokens[last].end : tokens[last + 1].start] == " ":
        following = tokens[last + 1]
        if not (following.text[:1].isupper() or following.key in cues.joining_words):
            break
        last += 1
    while last > after and tokens[last].key in cues.joining_words:
        last -= 1  # a name does not end on "and", "of"
    return range(match.first, last + 1)


def inside_longer_name(
    text: str,
    tokens: list[Token],
    match: Match,
    index: AliasIndex,
    cues: Cues,
    matched: set[int],
) -> bool:
    """Is the match only part of a longer name ("France 24", "Mahamat Idriss Déby
    Itno")?  A number right after a name makes a title of it; a person's name
    with more capitalised words around it is another person."""
    before = match.first - 1 if match.first > 0 else None
    after = match.last + 1 if match.last + 1 < len(tokens) else None
    if after is not None and _numbered_title(text, tokens, match, after):
        return True
    top = index.entities[match.candidates[0].entity]
    if top.type == "person":
        # A given name before a known name makes another person ("Mahamat
        # Idriss Déby Itno"); a word after it is as often a title-case headline
        # ("Putin Peringatkan Barat"); a capitalised word opening the sentence
        # is not part of the name ("Ternyata Jokowi ...", "Представитель Путина").
        return (
            before is not None
            and before not in matched
            and not opens_sentence(text, tokens[before].start)
            and _name_neighbour(text, tokens[before], match, cues)
        )
    if _is_acronym(match) and not cues.genitive_places:  # "УК РФ" is Russia's code
        return any(
            k is not None and k not in matched and _acronym_neighbour(text, tokens[k], match)
            for k in (before, after)
        )
    if top.type not in ("state", "city", "region"):
        return False
    if match.candidates[0].lang is not None:
        return False  # a language-bound form, an adjective: "Rus Genelkurmay Başkanı"
    if cues.capitalised_nouns:
        return (
            before is not None
            and before not in matched
            and _org_head_before(text, tokens[before], match, cues)
        )
    if (
        before is not None
        and before not in matched
        and _name_before(text, tokens, before, match, cues)
    ):
        return True  # "Bank Central Asia", "Garuda Indonesia", "Badrodin Haiti"
    if (
        before is not None
        and before not in matched
        and _acronym_head(text, tokens[before], match, cues)
    ):
        return True  # "LRT Jakarta", "PDIP DKI": a project or branch named after the place
    if after is None or after in matched:
        return False
    if (
        before is not None
        and adjacent(text, tokens[before], match)
        and (title_ends_at(tokens, before, cues) or tokens[before].key in cues.state_heads)
    ):
        return False  # "Gubernur Jakarta Ahok": an office of the place, then a person
    # "Jakarta Selatan", "Korea Times", "Shanghai Five": one more capitalised
    # word makes another place or an organization; two make a person ("Jakarta
    # Basuki Tjahaja Purnama", "Rusia Anatoly Sidorov") and leave the place be.
    two_after = after + 1 if after + 1 < len(tokens) else None
    return (
        adjacent(text, tokens[after], match)
        and _capitalised_word(tokens[after], cues)
        and not (
            two_after is not None
            and text[tokens[after].end : tokens[two_after].start] == " "
            and name_like(tokens[two_after], cues)
        )
    )


def _capitalised_word(token: Token, cues: Cues) -> bool:
    """A capitalised word that can continue a name ("Post", "University",
    "Selatan"), not an acronym, a title or a state institution."""
    word = token.text
    return (
        word[:1].isupper()
        and not (word.isupper() and len(word) > 1)
        and word.isalpha()
        and len(word) > 2  # not "Rp", "Mr"
        and token.key not in cues.title_words
        and token.key not in cues.state_heads
    )


def _acronym_head(text: str, token: Token, match: Match, cues: Cues) -> bool:
    """ "LRT Jakarta", "PDIP DKI" -- but not "МИД России", a genitive, nor
    "DPRD DKI Jakarta", an institution of the place."""
    word = token.text
    return (
        not cues.genitive_places
        and adjacent(text, token, match)
        and word.isupper()
        and word.isalpha()
        and 2 <= len(word) <= 5
        and token.key not in cues.title_words
        and token.key not in cues.state_heads
    )


def _org_head_before(text: str, token: Token, match: Match, cues: Cues) -> bool:
    return adjacent(text, token, match) and token.key in cues.org_heads and token.text[:1].isupper()


def _name_before(text: str, tokens: list[Token], before: int, match: Match, cues: Cues) -> bool:
    """Is the word before a place the start of a longer name that holds it?
    An organization head always is; another capitalised word is, unless it
    merely opens the sentence ("Pembalap Indonesia", "Di Singapura")."""
    token = tokens[before]
    if cues.genitive_places or not adjacent(text, token, match) or not token.text[:1].isupper():
        return False
    if token.key in cues.org_heads:
        return True
    if token.key in cues.state_heads:
        return False  # "Pemprov DKI Jakarta", "DPRD DKI": an institution of the place
    if not name_like(token, cues) or opens_sentence(text, token.start):
        return False
    return not _office_phrase(text, tokens, before, cues)


def _office_phrase(text: str, tokens: list[Token], last: int, cues: Cues) -> bool:
    """Do the capitalised words ending at ``last`` name an office of a state
    ("Kepala Intelijen Mesir", "Menteri Luar Negeri Tiongkok")?  Then the place
    after them is the state itself, not part of a longer name."""
    position = last
    while position > 0 and last - position < MAX_OFFICE_WORDS:
        previous = tokens[position - 1]
        if text[previous.end : tokens[position].start] != " " or not previous.text[:1].isupper():
            break
        position -= 1
    return any(tokens[k].key in cues.title_words for k in range(position, last + 1))


def _numbered_title(text: str, tokens: list[Token], match: Match, after: int) -> bool:
    """ "France 24" is a channel; "Indonesia 11 orang" is a count after a name."""
    number = tokens[after]
    if text[match.end : number.start] != " " or not number.text.isdigit() or len(number.text) > 3:
        return False
    following = tokens[after + 1] if after + 1 < len(tokens) else None
    return following is None or not following.text[:1].islower()


def _is_acronym(match: Match) -> bool:
    return match.first == match.last and match.text.isupper() and len(match.text) <= 4


def _acronym_neighbour(text: str, token: Token, match: Match) -> bool:
    """ "TNI AU" is the air force, not the African Union."""
    return adjacent(text, token, match) and token.text.isupper() and 2 <= len(token.text) <= 5


def _name_neighbour(text: str, token: Token, match: Match, cues: Cues) -> bool:
    """Is this adjacent word one more part of a person's name (not a title)?

    In case languages a capitalised noun opening the sentence before a name in
    the genitive ("Представитель Путина") is not part of the name."""
    before = token.end <= match.start
    gap = text[token.end : match.start] if before else text[match.end : token.start]
    if before and cues.genitive_places and opens_sentence(text, token.start):
        return False
    return gap == " " and name_like(token, cues)
