"""Disambiguation: choose one entity per alias match, with a score.

Evidence, in order of application:

1. the alias prior (label > strong name > alias > weak name > surname alone);
2. capital-city metonymy: a capital that acts ("Yerevan denied", "ditengahi
   Moskow") stands for its state; "in Moscow" stays the city;
3. document coherence: a candidate related to another entity of the document
   (Georgia next to Tbilisi, Georgia (USA) next to the United States) gains;
4. person cues: a surname alone is trusted only when the document names the
   person in full or a title or speech verb stands beside it;
5. publication date: a state named before it existed means its predecessor
   ("Russia" in 1985 is the Soviet Union).

A link below ``LINK_THRESHOLD`` is not made.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kg.gazetteer.index import AliasIndex, Candidate, EntityInfo
from kg.gazetteer.normalize import Token
from kg.linking.cues import Cues, name_like
from kg.linking.detect import Match
from kg.text import sentences

LINK_THRESHOLD = 0.5
COHERENCE_BONUS = 0.15  # per related entity of the document, at most two
CUE_BONUS = 0.25
METONYM_FACTOR = 0.95
SHORT_WEAK_NAME = 5  # weak names this short are often common words ("Kini", "Sina")
MAX_OFFICE_WORDS = 4  # "Menteri Luar Negeri ..." before a state
STATE_CUE_BONUS = 0.2  # "Pemerintah Inggris", "Perdana Menteri Inggris": the state


@dataclass
class Link:
    """A decided match: which entity, of which type, how surely, and how found."""

    match: Match
    qid: str
    type: str
    score: float
    method: str


def resolve(
    text: str,
    tokens: list[Token],
    matches: list[Match],
    index: AliasIndex,
    cues: Cues,
    published: datetime | None,
    headline: set[int],
) -> list[Link]:
    """One link (or none) per match (``headline``: indexes of words on headline lines)."""
    anchors = _anchor_qids(matches, index)
    full_names = _persons_named_in_full(matches, index)
    matched = {k for match in matches for k in range(match.first, match.last + 1)}
    sporty = _sports_sentences(text, tokens, cues)
    links: list[Link] = []
    other_people: set[str] = set()  # known persons whose name is part of a longer one
    for match in matches:
        if _club_not_city(text, tokens, match, index, cues, sporty):
            continue
        if match.first not in headline and _inside_longer_name(
            text, tokens, match, index, cues, matched
        ):
            # "Mahamat Idriss Déby Itno" is not Idriss Déby: nor is a later "Mr. Déby".
            top = index.entities[match.candidates[0].entity]
            if top.type == "person":
                full_names.discard(top.qid)
                other_people.add(top.qid)
            continue
        link = _best_link(text, tokens, match, index, cues, anchors, full_names)
        if link is None or link.score < LINK_THRESHOLD:
            continue
        if link.qid in other_people and match.first == match.last:
            continue
        if links and _coordinated_metonym(text, tokens, links[-1], match, index, cues):
            link = _as_state(link, index)
        links.append(_in_time(link, index, published))
    return _without_unsupported_openers(text, links)


def _sports_sentences(text: str, tokens: list[Token], cues: Cues) -> list[tuple[int, int]]:
    """Character ranges of the sentences that report sports."""
    if not any(token.key in cues.sports_words for token in tokens):
        return []
    ranges = [(span.start, span.end) for span in sentences(text)]
    return [
        (start, end)
        for start, end in ranges
        if any(start <= t.start < end and t.key in cues.sports_words for t in tokens)
    ]


def _club_not_city(
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
    if _in_parentheses(text, match):
        return False
    if match.first > 0 and tokens[match.first - 1].key in cues.literal_before:
        return False
    return any(start <= match.start < end for start, end in sporty)


def _coordinated_metonym(
    text: str, tokens: list[Token], previous: Link, match: Match, index: AliasIndex, cues: Cues
) -> bool:
    """ "antara Baku dan Yerevan": a capital joined by "and" to a capital that
    stands for its state stands for its state too."""
    conjunction = match.first - 1
    return (
        previous.method == "metonym"
        and previous.match.last == conjunction - 1
        and conjunction >= 0
        and tokens[conjunction].key in cues.conjunctions
        and _same_clause(text, previous.match.end, match.start)
    )


def _as_state(link: Link, index: AliasIndex) -> Link:
    city = index.entity(link.qid)
    state = index.entity(city.capital_of) if city and city.capital_of else None
    if state is None:
        return link
    return Link(link.match, state.qid, state.type, link.score * METONYM_FACTOR, "metonym")


def _inside_longer_name(
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
        return any(
            k is not None and k not in matched and _name_neighbour(text, tokens[k], match, cues)
            for k in (before, after)
        )
    if _is_acronym(match) and not cues.genitive_places:  # "УК РФ" is Russia's code
        return any(
            k is not None and k not in matched and _acronym_neighbour(text, tokens[k], match)
            for k in (before, after)
        )
    if top.type not in ("state", "city", "region"):
        return False
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
    if after is None or after in matched:
        return False
    # "Jakarta Selatan", "Korea Times", "Shanghai Five": one more capitalised
    # word makes another place or an organization; two make a person ("Jakarta
    # Basuki Tjahaja Purnama", "Rusia Anatoly Sidorov") and leave the place be.
    two_after = after + 1 if after + 1 < len(tokens) else None
    return _name_neighbour(text, tokens[after], match, cues) and not (
        two_after is not None
        and text[tokens[after].end : tokens[two_after].start] == " "
        and name_like(tokens[two_after], cues)
    )


def _org_head_before(text: str, token: Token, match: Match, cues: Cues) -> bool:
    return (
        _adjacent(text, token, match) and token.key in cues.org_heads and token.text[:1].isupper()
    )


def _name_before(text: str, tokens: list[Token], before: int, match: Match, cues: Cues) -> bool:
    """Is the word before a place the start of a longer name that holds it?
    An organization head always is; another capitalised word is, unless it
    merely opens the sentence ("Pembalap Indonesia", "Di Singapura")."""
    token = tokens[before]
    if cues.genitive_places or not _adjacent(text, token, match) or not token.text[:1].isupper():
        return False
    if token.key in cues.org_heads:
        return True
    if not name_like(token, cues) or _opens_sentence(text, token.start):
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
    return _adjacent(text, token, match) and token.text.isupper() and 2 <= len(token.text) <= 5


def _adjacent(text: str, token: Token, match: Match) -> bool:
    gap = (
        text[token.end : match.start] if token.end <= match.start else text[match.end : token.start]
    )
    return gap == " "


def _name_neighbour(text: str, token: Token, match: Match, cues: Cues) -> bool:
    """Is this adjacent word one more part of a person's name (not a title)?

    In case languages a capitalised noun opening the sentence before a name in
    the genitive ("Представитель Путина") is not part of the name."""
    before = token.end <= match.start
    gap = text[token.end : match.start] if before else text[match.end : token.start]
    if before and cues.genitive_places and _opens_sentence(text, token.start):
        return False
    return gap == " " and name_like(token, cues)


def _without_unsupported_openers(text: str, links: list[Link]) -> list[Link]:
    """Drop a short weak one-word name that opens a sentence ("Kini ..." is not Guinea)
    unless the document names the same entity elsewhere: a capital letter at the
    start of a sentence says nothing about being a name."""
    mentioned: dict[str, int] = {}
    for link in links:
        mentioned[link.qid] = mentioned.get(link.qid, 0) + 1
    return [
        link
        for link in links
        if not (
            link.match.first == link.match.last
            and len(link.match.text) <= SHORT_WEAK_NAME
            and all(c.weak for c in link.match.candidates)
            and _opens_sentence(text, link.match.start)
            and mentioned[link.qid] == 1
        )
    ]


def _opens_sentence(text: str, start: int) -> bool:
    before = text[max(0, start - 3) : start].rstrip(" \t\"'“‘«(")
    return before == "" or before[-1] in ".!?\n:"


@dataclass
class Anchors:
    """Entities the document surely names, and which of them are parts of what."""

    qids: set[str]
    children: dict[str, set[str]]  # parent territory QID -> anchors inside it


def _anchor_qids(matches: list[Match], index: AliasIndex) -> Anchors:
    """The top candidate of each match, and every state a capital stands for."""
    anchors = Anchors(set(), {})
    for match in matches:
        top = index.entities[match.candidates[0].entity]
        anchors.qids.add(top.qid)
        if top.capital_of:
            anchors.qids.add(top.capital_of)
        if top.parent:
            anchors.children.setdefault(top.parent, set()).add(top.qid)
    return anchors


def _persons_named_in_full(matches: list[Match], index: AliasIndex) -> set[str]:
    return {
        index.entities[c.entity].qid
        for match in matches
        for c in match.candidates
        if not c.surname and index.entities[c.entity].type == "person"
    }


def _best_link(
    text: str,
    tokens: list[Token],
    match: Match,
    index: AliasIndex,
    cues: Cues,
    anchors: Anchors,
    full_names: set[str],
) -> Link | None:
    best: Link | None = None
    for candidate in match.candidates:
        entity = index.entities[candidate.entity]
        link = _candidate_link(text, tokens, match, candidate, entity, index, cues, full_names)
        if link is None:
            continue
        own = {index.entities[c.entity].qid for c in match.candidates}
        link.score += COHERENCE_BONUS * _coherence(entity, anchors, index, own)
        if best is None or link.score > best.score:
            best = link
    if best is not None:
        best.score = min(best.score, 0.99)
    return best


def _candidate_link(
    text: str,
    tokens: list[Token],
    match: Match,
    candidate: Candidate,
    entity: EntityInfo,
    index: AliasIndex,
    cues: Cues,
    full_names: set[str],
) -> Link | None:
    score = candidate.prior
    if candidate.surname:
        if entity.qid in full_names:
            score += CUE_BONUS
        elif _person_cue_near(tokens, match, cues):
            score += CUE_BONUS * 0.8
        else:
            return None
    if entity.type == "state" and _state_cue_before(tokens, match, cues):
        score += STATE_CUE_BONUS
    state = index.entity(entity.capital_of) if entity.capital_of else None
    if (
        state is not None
        and not _dateline(text, match)
        and acts_as_state(text, tokens, match, cues)
    ):
        return Link(match, state.qid, state.type, score * METONYM_FACTOR, "metonym")
    return Link(match, entity.qid, entity.type, score, "alias")


def _coherence(entity: EntityInfo, anchors: Anchors, index: AliasIndex, own: set[str]) -> int:
    """How many entities the document surely names support this candidate, at
    most two: its capital, a part of it (Abkhazia for Georgia), and, for a
    region, a sibling region of the same country (which then makes the
    country count too).  The parent country alone is no evidence: an article
    about Georgia the state may well mention the United States.  Nor is the
    match itself (``own``: its candidates): "Inggris" does not support the
    United Kingdom by being also a name of England."""
    support = 0
    capital = index.capitals.get(entity.qid)
    if capital is not None and capital in anchors.qids:
        support += 1
    if anchors.children.get(entity.qid, set()) - own:
        support += 1
    if entity.parent is not None and anchors.children.get(entity.parent, set()) - {entity.qid}:
        support += 1 + (entity.parent in anchors.qids)
    return min(support, 2)


def _state_cue_before(tokens: list[Token], match: Match, cues: Cues) -> bool:
    """Does a state institution or an office title stand just before the match
    (the words of a title phrase in between allowed: "Menteri Luar Negeri")?"""
    for position in range(match.first - 1, max(-1, match.first - 1 - MAX_OFFICE_WORDS), -1):
        key = tokens[position].key
        if key in cues.state_heads or key in cues.title_words:
            return True
        if not tokens[position].text[:1].isupper():
            return False
    return False


def _person_cue_near(tokens: list[Token], match: Match, cues: Cues) -> bool:
    before = tokens[match.first - 1].key if match.first > 0 else ""
    after = tokens[match.last + 1].key if match.last + 1 < len(tokens) else ""
    return (
        before in cues.title_last_words
        or before in cues.speech_verbs
        or (after in cues.speech_verbs)
    )


def acts_as_state(text: str, tokens: list[Token], match: Match, cues: Cues) -> bool:
    """Does this capital stand for its state here ("Yerevan denied") rather
    than name the city ("in Moscow")?

    Literal cues win over acting cues; with neither, the capital is the city.
    """
    before = tokens[match.first - 1] if match.first > 0 else None
    after = tokens[match.last + 1] if match.last + 1 < len(tokens) else None
    if _in_parentheses(text, match):
        return False
    if before is not None and _same_clause(text, before.end, match.start):
        if before.key in cues.literal_before:
            return False
        if before.key in cues.metonym_before or _passive_verb(before, cues):
            return True
        if _from_source(tokens, match, cues):
            return True  # "dukungan dari Yerevan", "pressure from Washington"
    if _possessive(match):
        return True  # "Tehran's accession", "Moscow's position"
    if after is not None and _same_clause(text, match.end, after.start):
        if after.key in cues.literal_after:
            return False
        if after.key in cues.acting_verbs:
            return True
        if _opens_sentence(text, match.start) and _looks_like_verb(after, cues):
            return True  # the subject of its sentence: "Minsk applied", "Beijing menolak"
    return False


def _from_source(tokens: list[Token], match: Match, cues: Cues) -> bool:
    if match.first < 2:
        return False
    preposition, noun = tokens[match.first - 1], tokens[match.first - 2]
    return preposition.key in cues.source_prepositions and noun.key in cues.source_nouns


def _looks_like_verb(token: Token, cues: Cues) -> bool:
    return cues.verb_shape is not None and bool(cues.verb_shape.match(token.text))


def _possessive(match: Match) -> bool:
    tail = match.text[-2:].replace("’", "'")
    return tail == "'s" or match.text.endswith(("'", "’"))


def _dateline(text: str, match: Match) -> bool:
    """ "JAKARTA, JITUNEWS.COM –": a city opening a line before a comma is where
    the story was filed."""
    line_start = text.rfind("\n", 0, match.start) + 1
    return text[line_start : match.start].strip() == "" and text[match.end : match.end + 1] == ","


def _in_parentheses(text: str, match: Match) -> bool:
    return text[match.start - 1 : match.start] == "(" and text[match.end : match.end + 1] == ")"


def _same_clause(text: str, left: int, right: int) -> bool:
    gap = text[left:right]
    return not any(mark in gap for mark in ".;:!?\n")


def _passive_verb(token: Token, cues: Cues) -> bool:
    """Indonesian passive "di-" verbs take their agent right after:
    "gencatan senjata yang ditengahi Moskow"."""
    prefix = cues.passive_prefix
    return bool(
        prefix
        and token.text.startswith(prefix)
        and len(token.text) >= len(prefix) + 4
        and token.key not in cues.literal_before
    )


def _in_time(link: Link, index: AliasIndex, published: datetime | None) -> Link:
    """A state named before it existed stands for the state that preceded it."""
    if published is None:
        return link
    entity = index.entity(link.qid)
    if entity is None or entity.before is None or entity.valid_from is None:
        return link
    if published.year >= entity.valid_from:
        return link
    predecessor = index.entity(entity.before)
    if predecessor is None:
        return link
    return Link(link.match, predecessor.qid, predecessor.type, link.score, "historical")
