"""Relations the text asserts: membership, posts, leadership, disputes, parts, allies.

Each relation type has one small function over a sentence's participants and
the language's pattern lists (``relations.*`` in the lexicon).  Besides the
relations, the pass reports which mentions only *modify* a name ("Perdana
Menteri **Armenia** Nikol Pashinyan", "pimpinan **Rusia**") so that events do
not mistake them for actors, and which state each person acts for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from kg.extraction.lexicon import Lexicon, TermMatch, Terms
from kg.extraction.participants import (
    ORG_TYPES,
    ListHits,
    MentionIndex,
    Participant,
    coordinated_groups,
    refs_of,
)
from kg.gazetteer.normalize import UNSPACED
from kg.gazetteer.sources import office_holders
from kg.model import Entity, Relation, Span

POST_HOLDER_TYPES = frozenset({"state", "organization", "alliance", "armed_forces"})
STATE = frozenset({"state"})
# How far (characters) a title may stand from the name it qualifies.
TITLE_REACH = 48
# A bare head-of-state title ("President X") names the document's main state.
HEAD_POSTS = frozenset({"president", "prime minister", "king", "chancellor"})
BARE_TITLE_GAP = 6  # "President Mr. " at most
LEADER_REACH = 14
CHAIR_REACH = 45
ORG_REACH = 40  # "anggota penuh BRICS", "member of the NATO military alliance"
TOPIC_REACH = 80  # how far a membership word may stand from its organization and members


@dataclass
class RelationFinds:
    relations: list[Relation] = field(default_factory=list)
    modifiers: set[tuple[int, int]] = field(default_factory=set)  # spans that only qualify
    participants: dict[int, list[Participant]] = field(default_factory=dict)  # by sentence

    def add(self, relation: Relation) -> None:
        key = (relation.type, relation.subject, relation.object)
        for i, old in enumerate(self.relations):
            if (old.type, old.subject, old.object) == key:
                if old.extra is None and relation.extra is not None:
                    self.relations[i] = relation
                return
        self.relations.append(relation)


@dataclass(slots=True)  # not frozen: built four times faster (nothing sets a field)
class SentenceView:
    """A sentence with its participants; offsets are document offsets."""

    # span.text is the sentence: one string object for every term list asked
    # about it, so their shared scan is found by identity, not re-sliced.
    span: Span
    text: str  # the whole document text
    participants: list[Participant]
    # The sentence's matches of every term list (``Lexicon.list_hits``): the finders
    # read their words here, one look-up each, rather than query list by list.
    hits: ListHits

    def words(self, name: str) -> list[TermMatch[str]]:
        """The matches of term list ``name`` in the sentence."""
        return self.hits.get(name, [])

    def of_types(self, types: frozenset[str]) -> list[Participant]:
        return [p for p in self.participants if p.type in types]


def demonym_state(word_text: str, lex: Lexicon, entities: list[Entity]) -> str | None:
    """The ref of the document's state that ``word_text`` is the adjective of."""
    index = lex.table_index("relations.demonyms")
    for match in index.finditer(word_text) if index is not None else []:
        for entity in entities:
            if entity.type == "state" and _same_country(entity.label, str(match.value)):
                return entity.ref
    return None


def _same_country(entity_label: str, label: str) -> bool:
    a, b = entity_label.casefold(), label.casefold()
    return a == b or a.endswith(" of " + b) or b.endswith(" of " + a)


def find_positions(
    view: SentenceView,
    lex: Lexicon,
    entities: list[Entity],
    finds: RelationFinds,
    home: str | None = None,
) -> None:
    """HOLDS_POSITION (and CITIZEN_OF by rank) for every person in the sentence;
    ``home`` is the state the report comes from, if its address or language says
    (``outlet.home_state``)."""
    posts = post_patterns(lex)
    for person in [p for p in view.participants if p.kind == "mention" and p.person]:
        if person.person is None:
            continue
        holder = (
            _title_before(view, person, posts, lex, entities, home)
            or _title_after(view, person, posts, lex, entities)
            or _title_following(view, person, posts, lex, entities, home)
        )
        if holder is not None:
            post, target, modifier = holder
            finds.add(_relation("HOLDS_POSITION", person.person, target, post, 0.8, view.span))
            if modifier is not None:
                finds.modifiers.add(modifier)
        _citizenship(view, person, lex, entities, finds)


def post_patterns(lex: Lexicon) -> list[tuple[str, Terms]]:
    """(post, its terms) for every post of the lexicon, built once per lexicon."""
    cached = _POSTS.get(lex.lang)
    if cached is None or cached[0] is not lex:
        posts = [
            (post, pattern)
            for post in lex.table("relations.positions")
            if (pattern := lex.words(f"relations.positions.{post}")) is not None
        ]
        cached = _POSTS[lex.lang] = (lex, posts)
    return cached[1]


_POSTS: dict[str, tuple[Lexicon, list[tuple[str, Terms]]]] = {}


def _last_post_in(window: str, posts: list[tuple[str, Terms]]) -> tuple[str, TermMatch[Any]] | None:
    best: tuple[str, TermMatch[Any]] | None = None
    for post, pattern in posts:
        for match in pattern.finditer(window):
            if (
                best is None
                or match.end() > best[1].end()
                or (match.end() == best[1].end() and match.start() < best[1].start())
            ):
                best = (post, match)
    return best


def _title_before(
    view: SentenceView,
    person: Participant,
    posts: list[tuple[str, Terms]],
    lex: Lexicon,
    entities: list[Entity],
    home: str | None = None,
) -> tuple[str, str, tuple[int, int] | None] | None:
    """ "Perdana Menteri Armenia Nikol Pashinyan", "Armenian Prime Minister Nikol Pashinian"."""
    start = max(view.span.start, person.start - TITLE_REACH)
    window = view.text[start : person.start]
    found = _last_post_in(window, posts)
    if found is None:
        return None
    post, match = found
    title_start, title_end = start + match.start(), start + match.end()
    if _person_between(view, title_end, person.start):
        return None  # "Russian President Vladimir Putin met Xi Jinping": Putin's title
    if _appositive(lex) and _follows_a_name(view, title_start):
        return None  # "«دونالد ترامپ» رئیس جمهور آمریکا، «بنیامین نتانیاهو»": Trump's title
    # Between the title and the name only a holder, honorifics or a comma may stand.
    holder = _holder_between(view, title_end, person.start) or _holder_before(
        view, title_start, lex, entities
    )
    if holder is None:
        state = demonym_state(view.text[start : person.start], lex, entities)
        if state is None and _bare_gap(view.text[title_end : person.start]):
            state = _unnamed_state(person.person or "", post, entities, home)
        return (post, state, None) if state else None
    return post, holder[0], holder[1]


def _unnamed_state(person: str, post: str, entities: list[Entity], home: str | None) -> str | None:
    """The state of a title that names none, right before a name: the one the gazetteer
    knows the person as an official of ("Presiden Jokowi"), else the report's home state
    ("Außenminister Heiko Maas" on a .de site, "Dışişleri Bakanı" in Turkish) unless
    another state leads the story, else for a head-of-state title the document's main
    state ("Presiden Prabowo Subianto" in a story on Indonesia).  Only a state the
    document names: relations refer to its entities."""
    named = {e.ref for e in entities if e.type == "state"}
    known = office_holders().get(person)
    if known is not None:
        return known if known in named else None  # never another state than theirs
    main = main_state(entities)
    if home in named and main in (None, home):
        return home
    return main if post in HEAD_POSTS else None


def _person_between(view: SentenceView, left: int, right: int) -> bool:
    """Whether another person is named in [left, right): a title before it is theirs."""
    return any(p.person and left <= p.start and p.end <= right for p in view.participants)


def _bare_gap(gap: str) -> bool:
    """Whether a title stands right before a name: a few characters apart ("President
    Mr. "), and in Han or kana none at all, where a few characters are whole words
    ("普京总统会见了习近平": 会见了, "met", parts Putin's title from Xi)."""
    return len(gap) <= BARE_TITLE_GAP and UNSPACED.search(gap) is None


def main_state(entities: list[Entity]) -> str | None:
    """The state a document names most often, if one clearly leads (over twice the next).

    Stricter than the generic actors' context state (``actors._main_state``: the most
    named, ties to the first named): a post given the wrong state is a wrong fact, and
    that looser rule here lost relations on every split (train 0.489 -> 0.481)."""
    states = sorted(
        (e for e in entities if e.type == "state"), key=lambda e: len(e.mentions), reverse=True
    )
    if not states or (len(states) > 1 and len(states[1].mentions) * 2 > len(states[0].mentions)):
        return None
    return states[0].ref


def _holder_between(
    view: SentenceView, left: int, right: int
) -> tuple[str, tuple[int, int]] | None:
    for p in view.participants:
        if left <= p.start and p.end <= right and p.type in POST_HOLDER_TYPES:
            return p.refs[0], (p.start, p.end)
    return None


def _holder_before(
    view: SentenceView, title_start: int, lex: Lexicon, entities: list[Entity]
) -> tuple[str, tuple[int, int]] | None:
    """A holder right before the title: "NATO Secretary-General", "Egypt’s President"."""
    for p in reversed(view.participants):
        if p.end <= title_start and title_start - p.end <= 4 and p.type in POST_HOLDER_TYPES:
            return p.refs[0], (p.start, p.end)
    return None


def _title_after(
    view: SentenceView,
    person: Participant,
    posts: list[tuple[str, Terms]],
    lex: Lexicon,
    entities: list[Entity],
) -> tuple[str, str, tuple[int, int] | None] | None:
    """ "Anatoly Sidorov, kepala staf gabungan blok tersebut", "X, presiden republik ini"."""
    tail = view.text[person.end : min(view.span.end, person.end + TITLE_REACH + 10)]
    if not (_APPOSITION.match(tail) or _appositive(lex) and _BARE_APPOSITION.match(tail)):
        return None
    for post, pattern in posts:
        match = pattern.search(tail)
        if match is None or match.start() > 6:
            continue
        title_end = person.end + match.end()
        for p in view.participants:
            if title_end <= p.start <= title_end + 30 and p.type in POST_HOLDER_TYPES:
                return post, p.refs[0], (p.start, p.end)
        demonym = demonym_state(view.text[title_end : title_end + 30], lex, entities)
        if demonym:
            return post, demonym, None
    return None


_APPOSITION = re.compile(r"\s*[,(–—-]\s*")  # "X, kepala staf ...", "X (presiden ...)"
# Where a post follows a name with no comma (``appositive_titles``: "«استف بلاک» وزیر خارجه
# هلند", Stef Blok, foreign minister of the Netherlands), a closing quote and a space do.
_BARE_APPOSITION = re.compile(r"[»”\"']?\s+")
_QUOTES_AND_SPACES = re.compile(r"[\s«»“”\"']*")
FOLLOWING_REACH = 16  # a title after a name with no comma starts this close to it


def _appositive(lex: Lexicon) -> bool:
    return bool(lex.raw.get("appositive_titles"))


def _follows_a_name(view: SentenceView, title_start: int) -> bool:
    """Whether a person's name ends right before the title (quotes and spaces between):
    where posts follow names, the title is that person's, not the next one's."""
    return any(
        p.person
        and p.end <= title_start
        and _QUOTES_AND_SPACES.fullmatch(view.text[p.end : title_start]) is not None
        for p in view.participants
    )


def _title_following(
    view: SentenceView,
    person: Participant,
    posts: list[tuple[str, Terms]],
    lex: Lexicon,
    entities: list[Entity],
    home: str | None = None,
) -> tuple[str, str, tuple[int, int] | None] | None:
    """Where titles follow names with no comma (``titles_follow_names``: Japanese,
    Korean): "푸틴 러시아 대통령", "プーチン・ロシア大統領" (the state between name and
    title), "韓国の李在明大統領", "러시아의 푸틴 대통령" (the state just before the name).
    A title right after the name with no state there ("高市早苗首相", "박근혜 대통령")
    takes its state as a bare title before a name does in other languages
    (``_unnamed_state``: the person's known state, the report's home state, or for a
    head of state the document's main state)."""
    if not lex.raw.get("titles_follow_names"):
        return None
    tail = view.text[person.end : min(view.span.end, person.end + TITLE_REACH)]
    found = min(
        ((m.start(), post) for post, pattern in posts for m in pattern.finditer(tail)),
        default=None,
    )
    if found is None or found[0] > FOLLOWING_REACH:
        return None
    title_start, post = person.end + found[0], found[1]
    states = [p for p in view.participants if p.type in POST_HOLDER_TYPES and p is not person]
    between = [p for p in states if person.end <= p.start and p.end <= title_start]
    just_before = [p for p in states if p.end <= person.start and person.start - p.end <= 3]
    state = between[0] if between else just_before[-1] if just_before else None
    if state is not None:
        return post, state.refs[0], (state.start, state.end)
    if not _bare_gap(view.text[person.end : title_start]):
        return None
    unnamed = _unnamed_state(person.person or "", post, entities, home)
    return (post, unnamed, None) if unnamed else None


def _citizenship(
    view: SentenceView,
    person: Participant,
    lex: Lexicon,
    entities: list[Entity],
    finds: RelationFinds,
) -> None:
    """ "Jenderal Rusia Anatoly Sidorov", "Stanislav Zas dari Belarusia"."""
    assert person.person is not None
    after = view.text[person.end : person.end + 12]
    from_word = lex.words("relations.citizen_from")
    if from_word is not None and (m := from_word.match(after.lstrip())):
        gap = len(after) - len(after.lstrip()) + m.end()
        for p in view.participants:
            if p.type == "state" and 0 <= p.start - (person.end + gap) <= 2:
                finds.add(_relation("CITIZEN_OF", person.person, p.refs[0], None, 0.7, view.span))
                finds.modifiers.add((p.start, p.end))
    ranks = lex.words("relations.ranks")
    before = view.text[max(view.span.start, person.start - 30) : person.start]
    rank = _last_match(ranks, before)
    if rank is None or _covered_by_post(before, rank, lex):
        return
    rank_end = person.start - len(before) + rank.end()
    state = next(
        (p for p in view.participants if p.type == "state" and rank_end <= p.start < person.start),
        None,
    )
    ref = state.refs[0] if state else demonym_state(before, lex, entities)
    if ref is not None:
        finds.add(_relation("CITIZEN_OF", person.person, ref, None, 0.7, view.span))
        if state is not None:
            finds.modifiers.add((state.start, state.end))


def _covered_by_post(text: str, rank: TermMatch[Any], lex: Lexicon) -> bool:
    """ "Sekretaris Jenderal" is a post, not the rank "Jenderal"."""
    for _, pattern in post_patterns(lex):
        for m in pattern.finditer(text):
            if m.start() <= rank.start() and rank.end() <= m.end():
                return True
    return False


def _last_match(pattern: Terms | None, text: str) -> TermMatch[Any] | None:
    if pattern is None:
        return None
    matches = list(pattern.finditer(text))
    return matches[-1] if matches else None


def find_memberships(
    view: SentenceView, lex: Lexicon, index: MentionIndex, finds: RelationFinds
) -> None:
    """MEMBER_OF: "anggota aliansi", "member of", "Mitglieder des", "член ОДКБ", "joined"."""
    matches = view.words("relations.membership.member")
    if not matches:
        return
    status = _membership_status(view.span.text, lex)
    for match in matches:
        at = view.span.start + match.start()
        org = _nearest_org(view, at, index)
        if org is None:
            continue
        members = _nearest_state_group(view, at, lex, exclude=org)
        for ref in members:
            finds.add(_relation("MEMBER_OF", ref, org, status, 0.75, view.span))


def _membership_status(local: str, lex: Lexicon) -> str | None:
    for status in ("former", "suspended", "observer", "applicant"):
        pattern = lex.words(f"relations.membership.{status}")
        if pattern is not None and pattern.search(local):
            return status
    return None


def _nearest_org(view: SentenceView, at: int, index: MentionIndex) -> str | None:
    """The organization a membership word is about.

    "member of X" / "anggota X" names it right after the word; otherwise the
    sentence's first organization is its topic ("The SCO, formed as the
    Shanghai Five, initially comprised ..."); with none in the sentence, the
    organization the document has named most so far.
    """
    orgs = view.of_types(ORG_TYPES)
    following = [p for p in orgs if 0 <= p.start - at <= ORG_REACH]
    if following:
        return following[0].refs[0]
    if orgs:
        # "15 членами семьи" far from the Taliban named elsewhere: not that membership.
        near = [p for p in orgs if abs(p.start - at) <= TOPIC_REACH]
        return near[0].refs[0] if near else None
    return index.most_named_before(view.span.start, ORG_TYPES)


def _nearest_state_group(view: SentenceView, at: int, lex: Lexicon, exclude: str) -> list[str]:
    """Refs of the coordinated states closest to ``at`` (before or after it)."""
    orgs = view.of_types(ORG_TYPES)
    states = [
        p
        for p in view.of_types(STATE)
        if p.kind != "speaker" and exclude not in p.refs and not _names_an_org(p, orgs)
    ]
    best: tuple[int, list[str]] | None = None
    for group in coordinated_groups(states, view.text, lex):
        distance = at - group[-1].end if group[-1].end <= at else group[0].start - at
        distance = max(distance, 0)
        if distance <= TOPIC_REACH and (best is None or distance < best[0]):
            best = (distance, refs_of(group))
    return best[1] if best else []


def _names_an_org(state: Participant, orgs: list[Participant]) -> bool:
    """ "Австралийскую лейбористскую партию": the state qualifies the name that follows."""
    return any(0 <= org.start - state.end <= 1 for org in orgs)


# (Term list names spelt out once: every sentence asks for them.)
_LEADERSHIP_WORDS = (  # where the leader stands, the list, how far from the word
    ("leader_after", "relations.leads.leader_after", LEADER_REACH),
    ("leader_before", "relations.leads.leader_before", LEADER_REACH),
    ("chair", "relations.leads.chair", CHAIR_REACH),
)
_DISPUTE_WORDS = (  # the list, and whether it needs a territory named near it
    ("relations.dispute.territorial", False),
    ("relations.dispute.generic", True),
)


def find_leadership(
    view: SentenceView, lex: Lexicon, index: MentionIndex, finds: RelationFinds
) -> None:
    """LEADS: "pimpinan Rusia", "Russian-led", "led by X", "X ... holds the presidency"."""
    for direction, words, reach in _LEADERSHIP_WORDS:
        for match in view.words(words):
            start, end = view.span.start + match.start(), view.span.start + match.end()
            leader = _leader(view, start, end, direction, reach)
            if leader is None:
                continue
            org = _nearest_org(view, start, index)
            if org is not None:
                finds.add(_relation("LEADS", leader.refs[0], org, None, 0.75, view.span))
                finds.modifiers.add((leader.start, leader.end))


def _leader(
    view: SentenceView, start: int, end: int, direction: str, reach: int
) -> Participant | None:
    states = view.of_types(STATE)
    if direction == "leader_after":
        after = [p for p in states if 0 <= p.start - end <= reach]
        return after[0] if after else None
    before = [p for p in states if 0 <= start - p.end <= reach]
    return before[-1] if before else None


def find_disputes(view: SentenceView, lex: Lexicon, finds: RelationFinds) -> None:
    """TERRITORIAL_DISPUTE between the sides, over the territory named after the word."""
    for words, needs_territory in _DISPUTE_WORDS:
        for match in view.words(words):
            at = view.span.start + match.start()
            territory = _territory_near(view, at)
            if needs_territory and territory is None:
                continue
            sides = _dispute_sides(view, at, lex)
            extra = territory.refs[0] if territory else None
            for i, a in enumerate(sides):
                for b in sides[i + 1 :]:
                    finds.add(_relation("TERRITORIAL_DISPUTE", a, b, extra, 0.7, view.span))


def _territory_near(view: SentenceView, at: int) -> Participant | None:
    regions = [p for p in view.participants if p.type == "region" and 0 <= p.start - at <= 60]
    return regions[0] if regions else None


def _dispute_sides(view: SentenceView, at: int, lex: Lexicon) -> list[str]:
    for p in view.participants:
        if p.kind == "group" and p.start < at:
            return list(p.refs)
    states = [p for p in view.of_types(STATE) if p.kind != "speaker"]
    for group in coordinated_groups(states, view.text, lex):
        if len(refs_of(group)) >= 2:
            return refs_of(group)
    return refs_of(states)[:2] if len(refs_of(states)) >= 2 else []


def find_parts(view: SentenceView, lex: Lexicon, finds: RelationFinds) -> None:
    """PART_OF (de jure): "daerah tersebut merupakan bagian dari Azerbaijan"."""
    for match in view.words("relations.part_of"):
        start, end = view.span.start + match.start(), view.span.start + match.end()
        regions = [p for p in view.participants if p.type == "region" and p.end <= start]
        states = [p for p in view.of_types(STATE) if 0 <= p.start - end <= 30]
        if regions and not states:
            # Genitive before the word: "Azerbaycan'ın bir parçasıdır"
            states = [
                p
                for p in view.of_types(STATE)
                if regions[-1].end <= p.start and 0 <= start - p.end <= 30
            ][-1:]
        if regions and states:
            finds.add(
                _relation("PART_OF", regions[-1].refs[0], states[0].refs[0], None, 0.7, view.span)
            )


def find_alliances(view: SentenceView, lex: Lexicon, finds: RelationFinds) -> None:
    """ALLY_OF between the states on either side of "sekutu", "ally", "allié"..."""
    for match in view.words("relations.ally"):
        start, end = view.span.start + match.start(), view.span.start + match.end()
        states = [p for p in view.of_types(STATE) if p.kind != "speaker"]
        before = [p for p in states if p.end <= start]
        after = [p for p in states if p.start >= end]
        pair = None
        if before and after:
            pair = before[-1].refs[0], after[0].refs[0]
        elif len(before) >= 2 and not after:
            # "Belarus, Rusya'nın müttefikidir", "Russia and Belarus are allies"
            pair = before[-2].refs[0], before[-1].refs[0]
        if pair is not None and pair[0] != pair[1]:
            finds.add(_relation("ALLY_OF", pair[0], pair[1], None, 0.6, view.span))


def _relation(
    type_: str, subject: str, obj: str, extra: str | None, score: float, evidence: Span
) -> Relation:
    return Relation(type_, subject, obj, extra, score, evidence)
