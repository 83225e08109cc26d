"""Disambiguation: choose one entity per alias match, with a score.

Evidence, in order of application:

1. what the match is part of (``longer_names.py``): a place inside a longer
   name, a known person inside another person's name, a city in a sports
   sentence, a city beside a treaty's noun ("Convención de Viena") are not
   linked;
2. the alias prior (verified label > label > strong name > alias > demonym >
   weak name > surname alone);
3. document coherence: a candidate whose capital, parts or sibling regions the
   document names gains (Georgia next to Tbilisi and Abkhazia; Georgia (USA)
   among Florida and Alabama), and so does a capital whose state another match
   names ("عمان" is Amman beside "الأردني", Oman otherwise);
4. context cues: a state institution or office title before a name prefers
   the state ("Pemerintah Inggris"); a surname alone is trusted only when the
   document names the person in full or a title or speech verb stands beside it;
5. capital-city metonymy (``metonymy.py``): a capital that acts stands for its
   state; "in Moscow" stays the city;
6. publication date: a state named before it existed means its predecessor
   ("Russia" in 1985 is the Soviet Union).

A link scoring below ``LINK_THRESHOLD`` is not made; a short weak name that
opens a sentence and is named nowhere else is dropped ("Kini" is not Guinea).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from kg.gazetteer.index import AliasIndex, Candidate, EntityInfo
from kg.gazetteer.normalize import Token
from kg.linking.context import opens_sentence, same_clause
from kg.linking.cues import Cues
from kg.linking.detect import Match
from kg.linking.longer_names import (
    MAX_OFFICE_WORDS,
    club_not_city,
    inside_longer_name,
    longer_organization_name,
    sports_sentences,
    treaty_not_city,
)
from kg.linking.metonymy import acts_as_state, dateline

LINK_THRESHOLD = 0.5
COHERENCE_BONUS = 0.15  # per related entity of the document, at most two
CUE_BONUS = 0.25
METONYM_FACTOR = 0.95
SHORT_WEAK_NAME = 4  # weak names this short are often common words ("Kini", "Sina")
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
    sporty = sports_sentences(text, tokens, cues)
    links: list[Link] = []
    other_people: set[str] = set()  # known persons whose name is part of a longer one
    swallowed: set[int] = set()  # words of longer organization names
    for match in matches:
        if match.first in swallowed or club_not_city(text, tokens, match, index, cues, sporty):
            continue
        if treaty_not_city(tokens, match, index, cues):
            continue
        longer = longer_organization_name(text, tokens, match, index, cues)
        if longer is not None:
            swallowed.update(longer)
            continue
        if match.first not in headline and inside_longer_name(
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


def _coordinated_metonym(
    text: str, tokens: list[Token], previous: Link, match: Match, index: AliasIndex, cues: Cues
) -> bool:
    """ "antara Baku dan Yerevan", "between Azerbaijan and Yerevan": a capital
    joined by "and" to a state, or to a capital standing for one, stands for
    its state too."""
    conjunction = match.first - 1
    return (
        (previous.method == "metonym" or previous.type == "state")
        and previous.match.last == conjunction - 1
        and conjunction >= 0
        and tokens[conjunction].key in cues.conjunctions
        and same_clause(text, previous.match.end, match.start)
    )


def _as_state(link: Link, index: AliasIndex) -> Link:
    city = index.entity(link.qid)
    state = index.entity(city.capital_of) if city and city.capital_of else None
    if state is None:
        return link
    return Link(link.match, state.qid, state.type, link.score * METONYM_FACTOR, "metonym")


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
            and opens_sentence(text, link.match.start)
            and mentioned[link.qid] == 1
        )
    ]


@dataclass
class Anchors:
    """Entities the document surely names, and which of them are parts of what."""

    qids: set[str]
    children: dict[str, set[str]]  # parent territory QID -> anchors inside it
    matches: dict[str, int] = field(default_factory=dict)  # QID -> matches naming it


def _anchor_qids(matches: list[Match], index: AliasIndex) -> Anchors:
    """The top candidate of each match, and every state a capital stands for."""
    anchors = Anchors(set(), {})
    for match in matches:
        for qid in _anchored_by(match, index):
            anchors.qids.add(qid)
            anchors.matches[qid] = anchors.matches.get(qid, 0) + 1
        top = index.entities[match.candidates[0].entity]
        if top.parent:
            anchors.children.setdefault(top.parent, set()).add(top.qid)
    return anchors


def _anchored_by(match: Match, index: AliasIndex) -> set[str]:
    """What a match makes an anchor: its top candidate, and the state of a capital."""
    top = index.entities[match.candidates[0].entity]
    return {top.qid, top.capital_of} if top.capital_of else {top.qid}


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
        elsewhere = _named_elsewhere(entity.capital_of, match, anchors, index)
        link.score += COHERENCE_BONUS * _coherence(entity, anchors, index, own, elsewhere)
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
        if _opens_longer_name(text, tokens, match):
            return None
        if entity.qid in full_names:
            score += CUE_BONUS
        elif _person_cue_near(tokens, match, cues):
            score += CUE_BONUS * 0.8
        else:
            return None
    if entity.type == "state" and _state_cue_before(tokens, match, cues):
        score += STATE_CUE_BONUS
    state = index.entity(entity.capital_of) if entity.capital_of else None
    if state is not None and not dateline(text, match) and acts_as_state(text, tokens, match, cues):
        return Link(match, state.qid, state.type, score * METONYM_FACTOR, "metonym")
    return Link(match, entity.qid, entity.type, score, "alias")


def _named_elsewhere(qid: str | None, match: Match, anchors: Anchors, index: AliasIndex) -> bool:
    """Does a match other than this one name ``qid``?"""
    if qid is None:
        return False
    return anchors.matches.get(qid, 0) > (qid in _anchored_by(match, index))


def _coherence(
    entity: EntityInfo,
    anchors: Anchors,
    index: AliasIndex,
    own: set[str],
    state_named_elsewhere: bool = False,
) -> int:
    """How many entities the document surely names support this candidate, at
    most two: its capital, a part of it (Abkhazia for Georgia), and, for a
    region, a sibling region of the same country (which then makes the
    country count too).  The parent country alone is no evidence: an article
    about Georgia the state may well mention the United States.  Nor is the
    match itself (``own``: its candidates): "Inggris" does not support the
    United Kingdom by being also a name of England."""
    support = 0
    if state_named_elsewhere and entity.capital_of not in own:
        support += 1  # "عمان" is Amman where Jordan is named, Oman where it is not
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


def _opens_longer_name(text: str, tokens: list[Token], match: Match) -> bool:
    """Is the match followed, with only a space between, by a capitalised word?  Then
    it is a given name, not a surname said alone: "Ali Bongo Ondimba" is not Abiy
    Ahmed Ali, "Ahmed Shah Massoud" not whoever is called Ahmed."""
    if match.last + 1 >= len(tokens):
        return False
    after = tokens[match.last + 1]
    return text[match.end : after.start] == " " and after.text[:1].isupper()


def _person_cue_near(tokens: list[Token], match: Match, cues: Cues) -> bool:
    before = tokens[match.first - 1].key if match.first > 0 else ""
    after = tokens[match.last + 1].key if match.last + 1 < len(tokens) else ""
    return (
        before in cues.title_last_words
        or before in cues.speech_verbs
        or (after in cues.speech_verbs)
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
