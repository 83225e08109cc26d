"""One pass over a document that both extraction stages share.

Order matters: relations first (they say which state a person speaks for and
which names only qualify another), then events over the same sentences.
"""

from __future__ import annotations

import logging
import os
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

from kg.errors import GeokgError
from kg.extraction import relation_reader
from kg.extraction.boilerplate import split_sentences
from kg.extraction.dates import resolve_date
from kg.extraction.detector import EventDetector, default_detector, sentence_names
from kg.extraction.events import (
    COMPLEMENT_REACH,
    SentenceContext,
    dedupe,
    detected_event,
    diplomats_expelled,
    sentence_events,
    sideless_event,
)
from kg.extraction.lexicon import Lexicon, Terms, has_lexicon, lexicon_language, load_lexicon
from kg.extraction.outlet import home_state
from kg.extraction.participants import (
    ORG_TYPES,
    MentionIndex,
    Participant,
    find_speaker,
    speech_verbs,
)
from kg.extraction.political import default_filter
from kg.extraction.relation_reader import RelationCandidate, RelationChooser, SentenceFacts
from kg.extraction.relations import (
    RelationFinds,
    SentenceView,
    demonym_state,
    find_alliances,
    find_disputes,
    find_leadership,
    find_memberships,
    find_parts,
    find_positions,
    main_state,
    post_patterns,
)
from kg.extraction.sides import (
    Party,
    SideChooser,
    candidates,
    default_side_model,
    sentence_parties,
)
from kg.extraction.words import Words, document_words
from kg.gazetteer.sources import office_holders
from kg.model import Document, Entity, Event, Relation, Span

log = logging.getLogger(__name__)

# How events are found (chosen by measurement on the corpus's dev split, docs/quality.md):
# "rules" -- the trigger lexicons alone; "model" -- the trained detector alone,
# roles by the same rules; "both" -- the lexicons' events, and the detector's
# where the lexicons found no event of that type in the sentence.
EVENT_METHODS = ("rules", "model", "both")
EVENT_METHOD = os.environ.get("GEOKG_EVENTS", "both")
# Entity types that can take a side in an event (a person acts for what they lead).
DETECTABLE_SIDES = frozenset({"state", "organization", "alliance", "armed_forces", "person"})
# With the side chooser, the detector also proposes the types that reach this share of
# their threshold: the chooser weighs them with their sides (the strength of the
# detection is one of its features).
SIDE_SLACK = 0.4
# Triggers whose complement is an act that has not happened ("asked X to send aid").
UNREALISED_CONTENT = frozenset({"REQUEST", "THREATEN", "REJECT"})


@dataclass(frozen=True)
class Analysis:
    relations: list[Relation]
    events: list[Event]


# The pipeline calls the two stages back to back on the same objects; keep the
# last analysis so the document is read once.
_last: tuple[Document, list[Entity], Analysis] | None = None


def analyse(
    doc: Document,
    entities: list[Entity],
    sides: SideChooser | None = None,
    relations: RelationChooser | None = None,
) -> Analysis:
    """Relations and events of ``doc``; ``sides`` settles events' sides in place of the
    trained side chooser, ``relations`` adds relations in place of the trained relation
    reader (a trainer records the candidates with them)."""
    global _last
    trained = sides is None and relations is None
    if trained and _last is not None and _last[0] is doc and _last[1] is entities:
        return _last[2]
    if not has_lexicon(doc.lang):
        # No lexicon to read an event's sides or a relation's ends with: linking only,
        # as the document's record says (kg.extraction.support).
        return Analysis([], [])
    lex = lexicon_for(doc.lang)
    sentences, captions = split_sentences(doc, lex)
    with_captions = sorted(sentences + captions, key=lambda span: span.start)
    index = MentionIndex(entities)
    finds = find_relations(doc, entities, with_captions, lex, index, relations)
    acting = index.acting_for(affiliations(finds.relations, entities, lex))
    spans = _mention_spans(entities)
    events = (
        find_events(
            doc,
            sentences,
            lex,
            acting,
            finds.modifiers,
            finds.participants,
            mentions=spans,
            sides=sides,
        )
        if reads_politics(doc)
        else []
    )
    result = Analysis(finds.relations, events)
    if trained:
        _last = (doc, entities, result)
    return result


def reads_politics(doc: Document) -> bool:
    """Whether the political-news filter (``kg.extraction.political``) lets the
    document's events be read: a football report or a quake bulletin is not."""
    political = default_filter()
    if political is None:
        return True
    probability = political.probability(document_words(doc.text, doc.lang).stems)
    if probability < political.threshold:
        log.debug(
            "%s: not political news (%.2f < %.2f): no events read",
            doc.id,
            probability,
            political.threshold,
        )
        return False
    return True


def lexicon_for(lang: str) -> Lexicon:
    if lexicon_language(lang) != lang:
        log.debug("language %r is read with the %r lexicon", lang, lexicon_language(lang))
    return load_lexicon(lang)


def find_relations(
    doc: Document,
    entities: list[Entity],
    sentences: list[Span],
    lex: Lexicon,
    index: MentionIndex,
    reader: RelationChooser | None = None,
) -> RelationFinds:
    """The rules' relations, sentence by sentence, and those the relation reader adds
    (``reader``, else the trained model where one is packaged)."""
    finds = RelationFinds()
    home = home_state(doc.url, doc.lang)
    reader = reader or default_relation_model_chooser()
    read = _ReaderContext.of(doc, entities, lex, home) if reader is not None else None
    offered: list[RelationCandidate] = []
    for sentence in sentences:
        found = index.participants(sentence, lex, None)
        finds.participants[sentence.start] = found
        view = SentenceView(sentence, doc.text, found, lex.list_hits(sentence.text))
        before = len(finds.relations)
        find_positions(view, lex, entities, finds, home)
        find_memberships(view, lex, index, finds)
        find_leadership(view, lex, index, finds)
        find_disputes(view, lex, finds)
        find_parts(view, lex, finds)
        find_alliances(view, lex, finds)
        if read is not None:
            ruled = frozenset((r.type, r.subject, r.object) for r in finds.relations[before:])
            offered += relation_reader.candidates(read.facts(sentence, found, ruled))
    if reader is not None:
        for relation in reader(offered, finds.relations):
            finds.add(relation)
    return finds


def default_relation_model_chooser() -> RelationChooser | None:
    model = relation_reader.default_relation_model()
    return model.choose if model is not None else None


@dataclass(frozen=True)
class _ReaderContext:
    """What the relation reader reads every sentence against, worked out once a document."""

    doc: Document
    words: Words
    posts: list[tuple[str, Terms]]  # the lexicon's titles, by post
    main: str | None
    home: str | None
    official_of: dict[str, str]

    @classmethod
    def of(
        cls, doc: Document, entities: list[Entity], lex: Lexicon, home: str | None
    ) -> _ReaderContext:
        named = {e.ref for e in entities if e.type == "state"}
        holders = office_holders()
        official_of = {
            e.ref: holders[e.qid]
            for e in entities
            if e.type == "person" and e.qid in holders and holders[e.qid] in named
        }
        return cls(
            doc,
            document_words(doc.text, doc.lang),
            post_patterns(lex),
            main_state(entities),
            home if home in named else None,
            official_of,
        )

    def facts(
        self,
        sentence: Span,
        participants: list[Participant],
        ruled: frozenset[tuple[str, str, str]],
    ) -> SentenceFacts:
        return SentenceFacts(
            sentence,
            self.doc.text,
            self.doc.lang,
            participants,
            self.words,
            self.posts,
            ruled,
            self.main,
            self.home,
            self.official_of,
        )


def affiliations(relations: list[Relation], entities: list[Entity], lex: Lexicon) -> dict[str, str]:
    """Whom a person or a body acts for: a person's post, else their citizenship, else
    the state the gazetteer knows them as an official of (if the document names it); a
    state's armed forces, coast guard or ministry, the state."""
    out: dict[str, str] = {}
    for rel_type in ("CITIZEN_OF", "HOLDS_POSITION"):  # posts override citizenship
        for relation in relations:
            if relation.type == rel_type:
                out[relation.subject] = relation.object
    # A known office holder the text names without a post acts for their state, where
    # the document names that state too (an event refers to the document's entities):
    # "Israel... Netanyahu thanked Biden".
    holders = office_holders()
    named = {e.ref for e in entities if e.type == "state"}
    for entity in entities:
        state = holders.get(entity.qid or "")
        if entity.type == "person" and state in named and entity.ref not in out:
            out[entity.ref] = state
    state_mentions = [
        (m.start, m.end, e.ref) for e in entities if e.type == "state" for m in e.mentions
    ]
    for entity in entities:
        if entity.ref in out or entity.type not in ("armed_forces", "organization"):
            continue
        state = _state_mentioned_inside(entity, state_mentions)
        if state is None and entity.type == "armed_forces":
            state = _state_in_name(entity, entities, lex)
        if state is not None:
            out[entity.ref] = state
    return out


def _state_mentioned_inside(body: Entity, state_mentions: list[tuple[int, int, str]]) -> str | None:
    """A state named inside a body's name acts through it: "Penjaga Pantai Filipina",
    "Kementerian Luar Negeri Tiongkok", "Armed Forces of Azerbaijan".

    ``state_mentions``: (start, end, ref) of every state mention, in entity order.
    """
    spans = [(m.start, m.end) for m in body.mentions]
    for start, end, ref in state_mentions:
        for a, b in spans:
            if a <= start and end <= b and (a, b) != (start, end):
                return ref
    return None


def _state_in_name(force: Entity, entities: list[Entity], lex: Lexicon) -> str | None:
    """ "Armed Forces of Azerbaijan", "Philippine Coast Guard" -> that state."""
    for entity in entities:
        if entity.type == "state" and entity.label.casefold() in force.label.casefold():
            return entity.ref
    english = load_lexicon("en")
    return demonym_state(force.label, english, entities) or demonym_state(
        force.label, lex, entities
    )


def _after_word(sentence: Span, participant: Participant, ends: set[int]) -> bool:
    """Whether a word ending at one of ``ends`` stands right before the participant
    (white space apart)."""
    if not ends or participant.kind != "mention":
        return False
    return len(sentence.text[: participant.start - sentence.start].rstrip()) in ends


def _ends(sentence: Span, words: Terms | None) -> set[int]:
    """Where the matches of ``words`` end in the sentence (one scan per sentence)."""
    return {m.end() for m in words.finditer(sentence.text)} if words is not None else set()


def places_and_populations(
    sentence: Span, text: str, found: list[Participant], lex: Lexicon
) -> tuple[list[Participant], list[Participant]]:
    """Names that say where ("KTT di Johannesburg, Afrika Selatan") or whose
    people ("warga Palestina") rather than who acts: neither fills a role."""
    places: list[Participant] = []
    prep_ends = _ends(sentence, lex.words("location_preps"))
    for p in found:
        if p.type == "generic":
            continue  # "fired tear gas at protesters": a group is never where
        after_place = bool(places) and text[places[-1].end : p.start].strip() == ","
        if after_place or _after_word(sentence, p, prep_ends):
            places.append(p)
    people_ends = _ends(sentence, lex.words("population_words"))
    populations = [p for p in found if _after_word(sentence, p, people_ends)]
    return places, populations


MentionSpans = list[tuple[int, int, str | None]]


def _mention_spans(entities: list[Entity]) -> MentionSpans:
    """(start, end, sector) of every entity mention (sector None for named entities):
    the detector reads generic actors' sectors and anchors events outside names."""
    return sorted((m.start, m.end, e.sector) for e in entities for m in e.mentions)


def find_events(
    doc: Document,
    sentences: list[Span],
    lex: Lexicon,
    index: MentionIndex,
    modifiers: set[tuple[int, int]],
    known: dict[int, list[Participant]] | None = None,
    mentions: MentionSpans | None = None,
    method: str | None = None,
    sides: SideChooser | None = None,
) -> list[Event]:
    """Events of every sentence; ``index`` acts with the affiliations, ``known``
    holds participants the relation pass already found (by sentence start); ``sides``
    settles each sentence's sides (default: the trained side chooser, where there is one)."""
    known = known or {}
    # A chooser the caller gives (a trainer's recorder) is offered every pair; the model
    # is not offered the pairs its decoding would never keep.
    every_pair = sides is not None
    if sides is None:
        side_model = default_side_model()
        sides = side_model.choose if side_model is not None else None
    method = method or EVENT_METHOD
    if method not in EVENT_METHODS:
        raise GeokgError(f"GEOKG_EVENTS={method!r}: use one of {', '.join(EVENT_METHODS)}")
    detector = default_detector() if method != "rules" else None
    slack = SIDE_SLACK if sides is not None else 1.0
    detected = (
        _detect(
            detector,
            doc,
            [s for s in sentences if _has_actor(index, s)],
            lex,
            mentions or [],
            slack,
        )
        if detector is not None
        else {}
    )
    events: list[Event] = []
    speaker: Participant | None = None
    topic: list[Party] | None = None  # worked out at the first sentence whose sides are settled
    for number, sentence in enumerate(sentences):
        triggered = lex.triggers is not None and bool(lex.triggers.finditer(sentence.text))
        detections = detected.get(sentence.start, [])
        if not triggered and not detections and not speech_verbs(sentence, lex):
            continue  # neither an event nor a new speaker: nothing to read here
        seen = known.get(sentence.start)
        plain = index.remap(seen) if seen is not None else index.participants(sentence, lex, None)
        speaker = find_speaker(plain, sentence, lex) or speaker
        if not triggered and not detections:
            continue  # no event word: only the speaker mattered
        found = index.add_speaker(plain, sentence, lex, speaker)
        names = tuple((p.start, p.end) for p in found if p.kind == "mention")
        places, populations = places_and_populations(sentence, doc.text, found, lex)
        people = [
            p
            for p in found
            if (p.start, p.end) not in modifiers and p not in places and p not in populations
        ]
        context = SentenceContext(
            sentence,
            doc.text,
            people,
            None,
            names,
            tuple(p.refs[0] for p in places),
            index.most_named_before(sentence.start, ORG_TYPES),
            tuple(p for p in places if p.type in ("state", "region") and p.kind == "mention"),
        )
        found_events = sentence_events(context, lex) if method != "model" else []
        ruled = {e.type for e in found_events}
        # "asked the CSTO to provide military support", "rejected an offer to host
        # talks": what is asked for, threatened or refused has not happened, so it
        # is no event of its own.  (What an accusation claims did happen, as a claim.)
        detections = [d for d in detections if not _governed(d[1][0][0], sentence, lex)]
        # Where the detector's strongest word is the lexicon's own trigger of that type,
        # the rules read it and found no sides ("Permintaan tersebut diajukan...": the
        # request already told): their reading stands.
        detections = [d for d in detections if not _declined(d, sentence, lex)]
        for kind, anchors, probability in detections:
            if kind not in ruled:
                event = detected_event(context, lex, kind, anchors, probability)
                if event is None and sides is not None:
                    # The structure read no sides: the side chooser may, from the
                    # sentence's parties.
                    event = sideless_event(context, lex, kind, anchors, probability)
                found_events += [event] if event is not None else []
        found_events = diplomats_expelled(found_events, sentence.text, lex)
        if sides is not None and found_events:
            strength = {
                kind: probability / detector.thresholds[kind]
                for kind, _, probability in detections
                if detector is not None
            }
            before = known.get(sentences[number - 1].start, []) if number else []
            topic = _topic_parties(index) if topic is None else topic
            outside = _previous_parties(index, before) + topic
            found_events = _settle_sides(
                sides,
                found_events,
                sentence,
                people,
                doc,
                index,
                ruled,
                strength,
                every_pair,
                outside,
            )
        if found_events:  # dates are read only where an event needs one
            date = resolve_date(sentence.text, lex, doc.published)
            for event in found_events:
                event.date = date
        events.extend(found_events)
    return dedupe(events)


def _settle_sides(
    sides: SideChooser,
    events: list[Event],
    sentence: Span,
    people: list[Participant],
    doc: Document,
    index: MentionIndex,
    ruled: set[str],
    strength: dict[str, float],
    every_pair: bool = False,
    context: Sequence[Party] = (),
) -> list[Event]:
    """The sentence's events with their sides re-read by ``sides``; ``ruled`` are the
    types the lexicon found, ``strength`` the detector's probability of each type it
    found over the type's threshold; ``every_pair`` offers ``sides`` even the pairs its
    decoding would not keep (a trainer learns from them); ``context`` are parties from
    outside the sentence that may take a side in it."""

    def country_of(ref: str) -> str | None:
        entity = index.by_ref.get(ref)
        return entity.country if entity is not None else None

    parties = sentence_parties(
        ((p.start, p.end, p.refs, p.type, p.kind, p.sector) for p in people), country_of
    )
    words = document_words(doc.text, doc.lang).between(sentence.start, sentence.end)
    offered = candidates(events, parties, words, doc.lang, ruled, strength, every_pair, context)
    return sides(events, offered, ruled)


# Parties from outside a sentence that may take a side it leaves unnamed (the side
# chooser weighs them): on the training split, 440 sides of gold events whose type was
# proposed in their sentence were states the document names elsewhere.
CONTEXT_ACTOR_TYPES = frozenset({"state", "organization", "alliance", "armed_forces"})
PREVIOUS_PARTIES = 2  # the last ones the sentence before names
TOPIC_PARTIES = 2  # the article's most named


def _topic_parties(index: MentionIndex) -> list[Party]:
    """The document's most named actors (states, organizations, alliances, armed
    forces; a person as the state they act for), as parties of any sentence's events:
    "The ministry condemned the strike" is the ministry of the state the article is
    about."""
    counts: dict[str, int] = {}
    types: dict[str, str] = {}
    for located in index.mentions:
        ref, party_type, _ = index.acting_ref(located.entity)
        if party_type in CONTEXT_ACTOR_TYPES:
            counts[ref] = counts.get(ref, 0) + 1
            types[ref] = party_type
    ranked = sorted(counts, key=lambda ref: -counts[ref])[:TOPIC_PARTIES]  # ties: first named
    return [
        Party(ref, types[ref], None, None, f"topic{rank}", None, None)
        for rank, ref in enumerate(ranked)
    ]


def _previous_parties(index: MentionIndex, before: list[Participant]) -> list[Party]:
    """The actors the sentence before names last, as parties of this one's events."""
    named = [p for p in index.remap(before) if p.type in CONTEXT_ACTOR_TYPES and p.refs]
    refs = list(dict.fromkeys(p.refs[0] for p in reversed(named)))[:PREVIOUS_PARTIES]
    types = {p.refs[0]: p.type for p in named}
    return [Party(ref, types[ref], None, None, "previous", None, None) for ref in refs]


Detected = list[tuple[str, list[tuple[int, int]], float]]


def _detect(
    detector: EventDetector,
    doc: Document,
    sentences: list[Span],
    lex: Lexicon,
    mentions: MentionSpans,
    slack: float = 1.0,
) -> dict[int, Detected]:
    """For each sentence (by its start), the event types the trained detector finds in
    it: (type, document spans of its strongest words, probability).  The document's
    words are read once, and its sentences scored at once."""
    words = document_words(doc.text, doc.lang)
    parts = [words.between(s.start, s.end) for s in sentences]
    inside = [_mentions_between(mentions, s.start, s.end) for s in sentences]
    others = [
        sentence_names(trigger_types(s.text, lex), [x for _, _, x in names if x is not None])
        for s, names in zip(sentences, inside, strict=True)
    ]
    named = [
        part.inside((a, b) for a, b, _ in names) for part, names in zip(parts, inside, strict=True)
    ]
    stems = [part.stems for part in parts]
    found: dict[int, Detected] = {}
    for sentence, part, detections in zip(
        sentences, parts, detector.detect_sentences(stems, others, named, slack), strict=True
    ):
        if detections and len(part):
            found[sentence.start] = [
                (d.type, [(part.starts[i], part.ends[i]) for i in d.tokens or (0,)], d.probability)
                for d in detections
            ]
    return found


def _mentions_between(mentions: MentionSpans, start: int, end: int) -> MentionSpans:
    """The mentions (sorted by start) that lie in [start, end)."""
    first = bisect_left(mentions, (start,))
    last = bisect_left(mentions, (end,))
    return [m for m in mentions[first:last] if m[1] <= end]


def _has_actor(index: MentionIndex, sentence: Span) -> bool:
    """Whether a named or generic actor is mentioned in the sentence: without one no
    detected event could have a side, so the detector need not read it."""
    return any(
        m.entity.type in DETECTABLE_SIDES or m.entity.is_generic
        for m in index.within(sentence.start, sentence.end)
    )


def _declined(
    detection: tuple[str, list[tuple[int, int]], float], sentence: Span, lex: Lexicon
) -> bool:
    """Whether the detection's strongest word lies in a lexicon trigger of its type."""
    if lex.triggers is None:
        return False
    kind, anchors, _ = detection
    at = anchors[0][0] - sentence.start
    return any(
        m.value.type == kind and m.start() <= at < m.end()
        for m in lex.triggers.finditer(sentence.text)
    )


def _governed(at: int, sentence: Span, lex: Lexicon) -> bool:
    """Whether document offset ``at`` is in a trigger of an act not yet done (REQUEST,
    THREATEN, REJECT) in the sentence, or in that act's content next to it."""
    if lex.triggers is None:
        return False
    local = at - sentence.start
    # The content follows the verb ("threatened to attack"), or in a verb-final language
    # precedes it ("saldırmakla tehdit etti").
    verb_final = lex.raw.get("word_order") == "SOV"
    before, after = (COMPLEMENT_REACH, 0) if verb_final else (0, COMPLEMENT_REACH)
    return any(
        m.value.type in UNREALISED_CONTENT and m.start() - before <= local <= m.end() + after
        for m in lex.triggers.finditer(sentence.text)
    )


def trigger_types(text: str, lex: Lexicon) -> set[str]:
    """The event types the language's trigger lexicon matches in ``text``: features of
    the detector that carry across languages."""
    return {m.value.type for m in lex.triggers.finditer(text)} if lex.triggers else set()
