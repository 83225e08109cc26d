"""Who is mentioned where: entity mentions, pronouns, "both countries" and anaphors.

Events and relations both need, for a sentence, the ordered list of things
that can fill a role.  A ``Participant`` is a span of text standing for one or
more entity refs: a linked mention ("Yerevan" -> Armenia), a group ("kedua
negara" -> Armenia and Azerbaijan), an anaphor ("blok tersebut" -> the CSTO)
or the speaker's "we" ("pihaknya", "kami").
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Any

from kg.extraction.lexicon import Lexicon, TermMatch, Terms
from kg.model import Entity, Span

# Entity types that can act in an event (a city reaching us is a place, not a
# metonym: the linker already turns metonymic capitals into the state).
ACTOR_TYPES = frozenset({"state", "organization", "alliance", "armed_forces", "person", "generic"})
# The participant type of a generic actor ("police", "protesters"), whatever its entity type.
GENERIC = "generic"
ORG_TYPES = frozenset({"organization", "alliance"})
ListHits = dict[str, list[TermMatch[str]]]  # a text's matches of every term list, by list
RECIPIENT_ONLY_TYPES = frozenset({"region"})
PERSON_TYPES = frozenset({"person"})
# (Term list names and type sets spelt out once: every sentence asks for them.)
_GROUP_WORDS = (("groups.both", 2), ("groups.three", 3))  # and how many states they name
_ANAPHORA = (  # words that refer back, with the types of what they refer to
    ("anaphora.alliance", ORG_TYPES),
    ("anaphora.state", frozenset({"state"})),
    ("anaphora.region", frozenset({"region"})),
)


# Not frozen: a frozen dataclass is built four times slower, and every sentence
# builds its participants (treat them as values all the same: nothing sets a field).
@dataclass(slots=True)
class Participant:
    start: int
    end: int
    refs: tuple[str, ...]
    type: str  # entity type of what it stands for
    kind: str = "mention"  # mention | group | anaphor | speaker
    person: str | None = None  # Entity.ref of the person behind it, if any
    sector: str | None = None  # a generic actor's sector ("police", "protesters")

    def __contains__(self, offset: int) -> bool:
        return self.start <= offset < self.end


@dataclass(slots=True)  # not frozen, like Participant
class Located:
    """One entity mention with its entity, in document order."""

    start: int
    end: int
    entity: Entity


def located_mentions(entities: list[Entity]) -> list[Located]:
    """All mentions in document order; a mention nested in a longer one is dropped."""
    found = sorted(
        (Located(m.start, m.end, e) for e in entities for m in e.mentions),
        key=lambda loc: (loc.start, -(loc.end - loc.start)),
    )
    kept: list[Located] = []
    for loc in found:
        if kept and loc.start < kept[-1].end:
            continue  # nested or overlapping: the outer (first, longer) one wins
        kept.append(loc)
    return kept


class MentionIndex:
    """Mentions of a document, searchable by position, with role mapping.

    ``affiliation`` maps a person or armed force ref to the state/organization
    it acts for (from HOLDS_POSITION / CITIZEN_OF, or the force's own name), so
    that "Pashinyan said" or "pasukan Azerbaijan" act as the state.
    """

    def __init__(self, entities: list[Entity], affiliation: dict[str, str] | None = None):
        self.mentions = located_mentions(entities)
        self.starts = [m.start for m in self.mentions]
        self.by_ref = {e.ref: e for e in entities}
        self.affiliation = affiliation or {}
        self._of_types: dict[frozenset[str], list[Located]] = {}
        self._leader_cache: dict[frozenset[str], tuple[list[int], list[str]]] = {}

    def within(self, start: int, end: int) -> list[Located]:
        first = bisect_left(self.starts, start)
        last = bisect_left(self.starts, end)
        return [m for m in self.mentions[first:last] if m.end <= end]

    def of_types(self, types: frozenset[str]) -> list[Located]:
        """Mentions of entities of ``types`` (cached per set of types)."""
        if types not in self._of_types:
            self._of_types[types] = [m for m in self.mentions if m.entity.type in types]
        return self._of_types[types]

    def last_before(self, offset: int, types: frozenset[str], skip: int = 0) -> Located | None:
        """The latest mention of one of ``types`` ending before ``offset``."""
        hits = [m for m in self.of_types(types) if m.end <= offset]
        return hits[-1 - skip] if len(hits) > skip else None

    def most_named_before(self, offset: int, types: frozenset[str]) -> str | None:
        """The ref of ``types`` mentioned most often before ``offset`` (ties: latest)."""
        ends, leaders = self._leaders(types)
        at = bisect_right(ends, offset)
        return leaders[at - 1] if at else None

    def _leaders(self, types: frozenset[str]) -> tuple[list[int], list[str]]:
        """After each mention of ``types``, which ref has been named most (cached)."""
        key = types
        if key not in self._leader_cache:
            counts: dict[str, int] = {}
            ends: list[int] = []
            leaders: list[str] = []
            best = ""
            for m in sorted(self.of_types(types), key=lambda m: m.end):
                ref = m.entity.ref
                counts[ref] = counts.get(ref, 0) + 1
                if not best or counts[ref] >= counts[best]:
                    best = ref
                ends.append(m.end)
                leaders.append(best)
            self._leader_cache[key] = (ends, leaders)
        return self._leader_cache[key]

    def last_distinct_states(self, offset: int, count: int) -> list[str]:
        """Refs of the ``count`` most recently mentioned distinct states before ``offset``."""
        refs: list[str] = []
        for m in reversed(self.mentions):
            if m.end <= offset and m.entity.type == "state" and m.entity.ref not in refs:
                refs.append(m.entity.ref)
                if len(refs) == count:
                    break
        return list(reversed(refs))

    def acting_for(self, affiliation: dict[str, str]) -> MentionIndex:
        """This index acting as ``affiliation`` says: the mentions, and the caches
        over them (which do not depend on affiliations), are shared, so the
        document's mentions are sorted once for the relation and event passes."""
        acting = MentionIndex([])  # (an empty index whose fields are then this one's)
        vars(acting).update(vars(self), affiliation=affiliation)
        return acting

    def acting_ref(self, entity: Entity) -> tuple[str, str, str | None]:
        """(ref, type, person ref) an entity acts as in an event."""
        if entity.ref in self.affiliation:
            target = self.affiliation[entity.ref]
            # A spokesperson of a coast guard acts for the coast guard's state.
            target = self.affiliation.get(target, target)
            target_type = self.by_ref[target].type if target in self.by_ref else "state"
            person = entity.ref if entity.type == "person" else None
            return target, target_type, person
        person = entity.ref if entity.type == "person" else None
        return entity.ref, GENERIC if entity.is_generic else entity.type, person

    def remap(self, found: list[Participant]) -> list[Participant]:
        """Participants computed without affiliations, acting as this index's
        affiliations say (a person for their state): saves a second scan."""
        return [self._acting(p) for p in found]

    def _acting(self, p: Participant) -> Participant:
        """``p`` as it acts under this index's affiliations; ``p`` itself when that
        changes nothing (most names act as themselves: no new object to build)."""
        if p.kind not in ("mention", "anaphor") or len(p.refs) != 1 or p.refs[0] not in self.by_ref:
            return p
        ref, type_, person = self.acting_ref(self.by_ref[p.refs[0]])
        person = person or p.person
        if ref == p.refs[0] and type_ == p.type and person == p.person:
            return p
        return Participant(p.start, p.end, (ref,), type_, p.kind, person, p.sector)

    def participants(
        self, sentence: Span, lex: Lexicon, speaker: Participant | None
    ) -> list[Participant]:
        """Every role filler in ``sentence``, in text order."""
        found: list[Participant] = []
        for loc in self.within(sentence.start, sentence.end):
            ref, kind_type, person = self.acting_ref(loc.entity)
            found.append(
                Participant(
                    loc.start, loc.end, (ref,), kind_type, "mention", person, loc.entity.sector
                )
            )
        # Group and anaphor words are read from the sentence's scan of every term
        # list directly: one look-up instead of one query per list (six of them).
        hits = lex.list_hits(sentence.text)
        found.extend(self._groups(sentence, hits))
        found.extend(self._anaphors(sentence, hits))
        if speaker is not None:
            found.extend(self._speaker_pronouns(sentence, lex, speaker))
        found = [p for p in found if not _overlaps_earlier(p, found)]
        return sorted(found, key=lambda p: p.start)

    def add_speaker(
        self, found: list[Participant], sentence: Span, lex: Lexicon, speaker: Participant | None
    ) -> list[Participant]:
        """``found`` (from ``participants`` without a speaker) plus the speaker's "we"."""
        if speaker is None:
            return found
        pronouns = [
            p
            for p in self._speaker_pronouns(sentence, lex, speaker)
            if not any(q.start < p.end and p.start < q.end for q in found)
        ]
        return sorted(found + pronouns, key=lambda p: p.start) if pronouns else found

    def _groups(self, sentence: Span, hits: ListHits) -> list[Participant]:
        """ "kedua negara", "both countries": the two (three) states last mentioned."""
        out = []
        for words, size in _GROUP_WORDS:
            for match in hits.get(words, ()):
                refs = self.last_distinct_states(sentence.start + match.start(), size)
                if len(refs) == size:
                    out.append(_at(sentence, match, tuple(refs), "state", "group"))
        return out

    def _anaphors(self, sentence: Span, hits: ListHits) -> list[Participant]:
        """ "blok tersebut", "the bloc", "республики", "политик": the last entity of that kind."""
        out = []
        for words, types in _ANAPHORA:
            for match in hits.get(words, ()):
                antecedent = self.last_before(sentence.start + match.start(), types)
                if antecedent is not None:
                    ref = antecedent.entity.ref
                    out.append(_at(sentence, match, (ref,), antecedent.entity.type, "anaphor"))
        for match in hits.get("anaphora.person", ()):
            person = self.last_before(sentence.start + match.start(), PERSON_TYPES)
            if person is not None:
                ref, type_, who = self.acting_ref(person.entity)
                out.append(_at(sentence, match, (ref,), type_, "anaphor", who))
        return out

    def _speaker_pronouns(
        self, sentence: Span, lex: Lexicon, speaker: Participant
    ) -> list[Participant]:
        """ "kami", "pihaknya", "we": the side of whoever is speaking."""
        return [
            _at(sentence, m, speaker.refs, speaker.type, "speaker", speaker.person)
            for m in _finditer(lex.words("pronouns.we"), sentence)
        ]


def _finditer(pattern: Terms | None, sentence: Span) -> list[TermMatch[Any]]:
    """The matches of ``pattern`` in the sentence (the scan's own list: read, never change)."""
    return pattern.finditer(sentence.text) if pattern is not None else []


def _at(
    sentence: Span,
    match: TermMatch[Any],
    refs: tuple[str, ...],
    type_: str,
    kind: str,
    person: str | None = None,
) -> Participant:
    return Participant(
        sentence.start + match.start(), sentence.start + match.end(), refs, type_, kind, person
    )


def _overlaps_earlier(candidate: Participant, found: list[Participant]) -> bool:
    """Entity mentions win over pronoun/anaphor readings of the same words."""
    for other in found:
        if other is candidate:
            return False
        if other.start < candidate.end and candidate.start < other.end:
            return True
    return False


def find_speaker(
    participants: list[Participant], sentence: Span, lex: Lexicon
) -> Participant | None:
    """The person or state a speech verb attributes this sentence to, if any.

    "kata Pashinyan", "Pashinyan said", "said Pashinyan": the participant
    nearest to the speech verb.
    """
    best: tuple[int, Participant] | None = None
    for match in speech_verbs(sentence, lex):
        verb_at = sentence.start + match.start()
        for p in participants:
            if p.kind != "mention" or p.type not in ("state", "person", "organization"):
                continue
            if p.person is None and p.type == "person":
                continue
            distance = abs(p.start - verb_at)
            if best is None or distance < best[0]:
                best = (distance, p)
    return best[1] if best is not None else None


def speech_verbs(sentence: Span, lex: Lexicon) -> list[TermMatch[Any]]:
    """ "kata", "said", "заявил": the words that attribute a sentence to a speaker."""
    return _finditer(lex.words("speech"), sentence)


def _is_coordination_gap(gap: str, lex: Lexicon) -> bool:
    """True if ``gap`` only joins two names: commas, "and", "dan", articles..."""
    if len(gap) > 24 or not gap.strip():
        return False  # names side by side ("Jenderal Rusia Anatoly") are no list
    pattern = lex.words("coordination")
    rest = pattern.sub(" ", gap) if pattern is not None else gap
    if rest == gap and not lex.raw.get("comma_coordinates", True):
        return False  # Turkish "Azerbaycan, Ermenistan'ı suçladı": the comma ends the subject
    return _LIST_PUNCTUATION.fullmatch(rest) is not None


_LIST_PUNCTUATION = re.compile(r"[\s,;/&–—-]*")  # compiled once: asked per pair of names


def coordinated_groups(
    participants: list[Participant], text: str, lex: Lexicon
) -> list[list[Participant]]:
    """Runs of participants joined by coordination ("Niger, Mali, dan Burkina Faso")."""
    groups: list[list[Participant]] = []
    conjoined: list[bool] = []  # whether some gap of the group has "and"/"dan"
    for p in participants:
        gap = gap_with_clitic(text, groups[-1][-1].end, p.start, lex) if groups else ""
        if groups and _is_coordination_gap(gap, lex):
            groups[-1].append(p)
            conjoined[-1] = conjoined[-1] or _has_conjunction(gap, lex)
        else:
            groups.append([p])
            conjoined.append(False)
    # "keanggotaan Swedia, Hungaria terus ...": commas alone end a phrase; a list
    # has its "dan"/"and" ("Niger, Mali, dan Burkina Faso").
    out: list[list[Participant]] = []
    for group, joined in zip(groups, conjoined, strict=True):
        out.extend([group] if joined or len(group) == 1 else [[p] for p in group])
    return out


def first_coordinated_group(
    participants: list[Participant], text: str, lex: Lexicon
) -> list[Participant]:
    """``coordinated_groups(...)[0]`` (or []), reading no gap past the first run."""
    if not participants:
        return []
    run, joined = [participants[0]], False
    for p in participants[1:]:
        gap = gap_with_clitic(text, run[-1].end, p.start, lex)
        if not _is_coordination_gap(gap, lex):
            break
        joined = joined or _has_conjunction(gap, lex)
        run.append(p)
    return run if joined or len(run) == 1 else run[:1]


def last_coordinated_group(
    participants: list[Participant], text: str, lex: Lexicon
) -> list[Participant]:
    """``coordinated_groups(...)[-1]`` (or []), read from the end: no gap before the
    last run is looked at (a trigger late in a sentence has many names before it)."""
    if not participants:
        return []
    run, joined = [participants[-1]], False
    for p in reversed(participants[:-1]):
        gap = gap_with_clitic(text, p.end, run[0].start, lex)
        if not _is_coordination_gap(gap, lex):
            break
        joined = joined or _has_conjunction(gap, lex)
        run.insert(0, p)
    return run if joined or len(run) == 1 else run[-1:]


def gap_with_clitic(text: str, left: int, right: int, lex: Lexicon) -> str:
    """The text between two names, with a conjunction written onto the second
    name (Arabic "مصر والسعودية": "و" + the name) read as a word of the gap."""
    gap = text[left:right]
    clitic = str(lex.raw.get("conjunction_clitic", ""))
    if clitic and text.startswith(clitic, right) and gap.strip() == "":
        return f"{gap}{clitic} "
    return gap


def _has_conjunction(gap: str, lex: Lexicon) -> bool:
    pattern = lex.words("partner_links") or lex.words("coordination")
    return pattern is not None and pattern.search(gap) is not None


def refs_of(group: list[Participant]) -> list[str]:
    """Distinct refs of a group, in order."""
    out: list[str] = []
    for p in group:
        for ref in p.refs:
            if ref not in out:
                out.append(ref)
    return out
