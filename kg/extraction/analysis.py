"""One pass over a document that both extraction stages share.

Order matters: relations first (they say which state a person speaks for and
which names only qualify another), then events over the same sentences.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from kg.extraction.boilerplate import split_sentences
from kg.extraction.dates import resolve_date
from kg.extraction.events import SentenceContext, dedupe, sentence_events
from kg.extraction.lexicon import Lexicon, Terms, lexicon_language, load_lexicon
from kg.extraction.participants import (
    ORG_TYPES,
    MentionIndex,
    Participant,
    find_speaker,
    speech_verbs,
)
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
)
from kg.model import Document, Entity, Event, Relation, Span

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Analysis:
    relations: list[Relation]
    events: list[Event]


# The pipeline calls the two stages back to back on the same objects; keep the
# last analysis so the document is read once.
_last: tuple[Document, list[Entity], Analysis] | None = None


def analyse(doc: Document, entities: list[Entity]) -> Analysis:
    global _last
    if _last is not None and _last[0] is doc and _last[1] is entities:
        return _last[2]
    lex = lexicon_for(doc.lang)
    sentences, captions = split_sentences(doc, lex)
    with_captions = sorted(sentences + captions, key=lambda span: span.start)
    index = MentionIndex(entities)
    finds = find_relations(doc, entities, with_captions, lex, index)
    acting = index.acting_for(affiliations(finds.relations, entities, lex))
    events = find_events(doc, sentences, lex, acting, finds.modifiers, finds.participants)
    result = Analysis(finds.relations, events)
    _last = (doc, entities, result)
    return result


def lexicon_for(lang: str) -> Lexicon:
    if lexicon_language(lang) != lang:
        log.debug("language %r is read with the %r lexicon", lang, lexicon_language(lang))
    return load_lexicon(lang)


def find_relations(
    doc: Document, entities: list[Entity], sentences: list[Span], lex: Lexicon, index: MentionIndex
) -> RelationFinds:
    finds = RelationFinds()
    for sentence in sentences:
        found = index.participants(sentence, lex, None)
        finds.participants[sentence.start] = found
        view = SentenceView(sentence, doc.text, found, lex.list_hits(sentence.text))
        find_positions(view, lex, entities, finds)
        find_memberships(view, lex, index, finds)
        find_leadership(view, lex, index, finds)
        find_disputes(view, lex, finds)
        find_parts(view, lex, finds)
        find_alliances(view, lex, finds)
    return finds


def affiliations(relations: list[Relation], entities: list[Entity], lex: Lexicon) -> dict[str, str]:
    """Whom a person or a body acts for: a person's post, else their citizenship; a
    state's armed forces, coast guard or ministry, the state."""
    out: dict[str, str] = {}
    for rel_type in ("CITIZEN_OF", "HOLDS_POSITION"):  # posts override citizenship
        for relation in relations:
            if relation.type == rel_type:
                out[relation.subject] = relation.object
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
        after_place = bool(places) and text[places[-1].end : p.start].strip() == ","
        if after_place or _after_word(sentence, p, prep_ends):
            places.append(p)
    people_ends = _ends(sentence, lex.words("population_words"))
    populations = [p for p in found if _after_word(sentence, p, people_ends)]
    return places, populations


def find_events(
    doc: Document,
    sentences: list[Span],
    lex: Lexicon,
    index: MentionIndex,
    modifiers: set[tuple[int, int]],
    known: dict[int, list[Participant]] | None = None,
) -> list[Event]:
    """Events of every sentence; ``index`` acts with the affiliations, ``known``
    holds participants the relation pass already found (by sentence start)."""
    known = known or {}
    events: list[Event] = []
    speaker: Participant | None = None
    for sentence in sentences:
        triggered = lex.triggers is not None and bool(lex.triggers.finditer(sentence.text))
        if not triggered and not speech_verbs(sentence, lex):
            continue  # neither an event nor a new speaker: nothing to read here
        seen = known.get(sentence.start)
        plain = index.remap(seen) if seen is not None else index.participants(sentence, lex, None)
        speaker = find_speaker(plain, sentence, lex) or speaker
        if not triggered:
            continue  # no trigger word: only the speaker mattered
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
        found_events = sentence_events(context, lex)
        if found_events:  # dates are read only where an event needs one
            date = resolve_date(sentence.text, lex, doc.published)
            for event in found_events:
                event.date = date
        events.extend(found_events)
    return dedupe(events)
