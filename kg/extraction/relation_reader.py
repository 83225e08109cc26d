"""The trained relation reader: which of a sentence's people hold a post in, or belong
to, which of the states and bodies the document names.

The rules (``kg.extraction.relations``) read a post only where a lexicon's title
stands right before or after a name and its holder is spelt out next to it.  On the
corpus's training split they found 511 of the 980 posts its annotators gave, though for
865 of them both the person and the holder were among the linked entities, and
not one membership of a person in a party ("Alexander Schallenberg (ÖVP)", "der
SPD-Politiker", "candidato del Frente de Todos").  This stage reads every (person,
holder) pair of a sentence -- the holder one the sentence names, or the state the
document is mostly about, or the state the report comes from -- as a candidate post and
a candidate membership, scored by one logistic regression over what the rules said of
the pair, the titles and words between them, their order and distance, and whom else
the sentence names in between.  The rules' relations stand; for each person and type
the rules gave no relation in the document, the model adds its most probable holder
above its threshold (``decode``).  On five folds of the train splits: relations F1 0.571
(the rules) -> 0.602 (docs/quality.md).

The model is trained by ``kg train-relations`` (``kg.extraction.relation_training``)
from the annotated corpus and stored as plain JSON in
``kg/data/models/relations.json``; without that file only the rules read relations.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Protocol

from kg.extraction.lexicon import Terms
from kg.extraction.participants import Participant
from kg.extraction.words import Words
from kg.linear import BinaryModel, model_file
from kg.model import Relation, Span
from kg.paths import DATA_DIR

MODEL_PATH = DATA_DIR / "models" / "relations.json"
MODEL_ENV = "GEOKG_RELATIONS_MODEL"  # another model file to run with (method comparisons)
MODEL_FORMAT = "geokg-relations/1"
# The relation types the model reads, with the entity types their object may have.
READ_TYPES = {
    "HOLDS_POSITION": frozenset({"state", "organization", "alliance", "armed_forces"}),
    "MEMBER_OF": frozenset({"organization", "alliance"}),
}
HOLDER_TYPES = frozenset().union(*READ_TYPES.values())
BETWEEN_WORDS = 6  # the words between a pair are features when there are at most this many
TITLE_REACH = 48  # characters before a name where its title may begin (as the rules read)
TITLE_AFTER_GAP = 12  # characters between a name and a title that follows it ("X, the ")
MODEL_SCORE = 0.6  # a relation the model adds is scored at most this (the rules' own: 0.7-0.8)


@dataclass(frozen=True, slots=True)
class Holder:
    """A state or body a person could hold a post in or belong to."""

    ref: str
    type: str
    # mention (the sentence names it) | main (the state the document is mostly about)
    # | home (the state the report comes from)
    kind: str
    start: int | None  # document offsets of its mention in the sentence
    end: int | None


@dataclass(frozen=True, slots=True)
class RelationCandidate:
    type: str
    subject: str  # the person's Entity.ref
    object: str  # the holder's Entity.ref
    features: tuple[str, ...]
    evidence: Span  # the sentence
    extra: str | None  # the post a title near the name names ("minister"), if any
    ruled: bool = False  # the rules read this very relation in this sentence: it stands


class RelationChooser(Protocol):
    """What ``find_relations`` asks, once the document's sentences are read, to add
    relations (the model, or a trainer's recorder of candidates); ``ruled`` are the
    relations the rules read in the document."""

    def __call__(
        self, candidates: list[RelationCandidate], ruled: Sequence[Relation]
    ) -> list[Relation]: ...


def decode(
    scored: Iterable[tuple[float, RelationCandidate]],
    threshold: float,
    ruled: Collection[tuple[str, str]] = (),
) -> list[tuple[float, RelationCandidate]]:
    """The candidates of one document that become relations: for each person and type
    that the rules gave no relation of that type (``ruled``: (type, subject) pairs), the
    most probable holder above the threshold, read where it is most probable.
    Relations are facts of the document, not of a sentence: a person named in five
    sentences holds one post, not five chances of a wrong one."""
    best: dict[tuple[str, str], tuple[float, RelationCandidate]] = {}
    for probability, candidate in scored:
        key = (candidate.type, candidate.subject)
        if candidate.ruled or key in ruled or probability < threshold:
            continue
        if key not in best or probability > best[key][0]:
            best[key] = (probability, candidate)
    return list(best.values())


class RelationModel(BinaryModel):
    def choose(
        self, candidates: list[RelationCandidate], ruled: Sequence[Relation]
    ) -> list[Relation]:
        scored = [(self.probability(c.features), c) for c in candidates]
        kept = decode(scored, self.threshold, {(r.type, r.subject) for r in ruled})
        return [
            Relation(
                c.type, c.subject, c.object, c.extra, round(min(p, MODEL_SCORE), 4), c.evidence
            )
            for p, c in kept
        ]


@cache
def _read(path: Path) -> RelationModel:
    return RelationModel.read(path, MODEL_FORMAT)


def default_relation_model() -> RelationModel | None:
    """The model in ``$GEOKG_RELATIONS_MODEL`` or the packaged one; None before one is
    trained."""
    path = model_file(MODEL_ENV, MODEL_PATH)
    return _read(path) if path is not None else None


# --- candidates ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SentenceFacts:
    """What the candidates of one sentence are read against."""

    sentence: Span
    text: str  # the whole document
    lang: str
    participants: Sequence[Participant]
    words: Words  # the document's words
    posts: Sequence[tuple[str, Terms]]  # the lexicon's titles, by post
    ruled: frozenset[tuple[str, str, str]]  # (type, subject, object) the rules read here
    main: str | None  # the state the document is mostly about
    home: str | None  # the state the report comes from, if the document names it
    official_of: dict[str, str]  # a known office holder's ref -> their state's ref


def candidates(facts: SentenceFacts) -> list[RelationCandidate]:
    """Every (person, holder) pair of the sentence, once per type the holder can take."""
    people = [p for p in facts.participants if p.kind == "mention" and p.person]
    if not people:
        return []
    holders = _holders(facts)
    found: list[RelationCandidate] = []
    for person in people:
        assert person.person is not None
        title = _title_before(facts, person)
        about_person = _person_features(facts, person, title)
        for holder in holders:
            if holder.ref == person.person:
                continue
            shared = about_person + _pair_features(facts, person, holder, people, holders, title)
            for rel_type, object_types in READ_TYPES.items():
                if holder.type not in object_types:
                    continue
                key = (rel_type, person.person, holder.ref)
                features = (f"{rel_type}.bias", *(f"{rel_type}.{f}" for f in shared))
                if key in facts.ruled:
                    features += (f"{rel_type}.ruled",)
                found.append(
                    RelationCandidate(
                        rel_type,
                        person.person,
                        holder.ref,
                        features,
                        facts.sentence,
                        title[0] if title and rel_type == "HOLDS_POSITION" else None,
                        key in facts.ruled,
                    )
                )
    return found


def _holders(facts: SentenceFacts) -> list[Holder]:
    """The sentence's states and bodies, then the document's main and home states where
    the sentence does not name them (a title with no state: "Außenminister Steinmeier")."""
    found: list[Holder] = []
    seen: set[str] = set()
    for p in facts.participants:
        if p.type not in HOLDER_TYPES or p.kind == "speaker" or p.person:
            continue
        for ref in p.refs:
            if ref not in seen:
                seen.add(ref)
                found.append(Holder(ref, p.type, "mention", p.start, p.end))
    for kind, state in (("main", facts.main), ("home", facts.home)):
        if state is not None and state not in seen:
            seen.add(state)
            found.append(Holder(state, "state", kind, None, None))
    return found


def _title_before(facts: SentenceFacts, person: Participant) -> tuple[str, int, int] | None:
    """The last title (post, start, end) in the few words before the person's name."""
    start = max(facts.sentence.start, person.start - TITLE_REACH)
    window = facts.text[start : person.start]
    best: tuple[str, int, int] | None = None
    for post, pattern in facts.posts:
        for match in pattern.finditer(window):
            if best is None or start + match.end() > best[2]:
                best = (post, start + match.start(), start + match.end())
    return best


def _title_after(facts: SentenceFacts, person: Participant) -> tuple[str, int, int] | None:
    """The first title (post, start, end) right after the name ("X, the president of
    Y", "Y'nin X Bakanı")."""
    at = person.end
    tail = facts.text[at : min(facts.sentence.end, at + TITLE_REACH)]
    found = min(
        (
            (m.start(), m.end(), post)
            for post, pattern in facts.posts
            for m in pattern.finditer(tail)
        ),
        default=None,
    )
    if found is None or found[0] > TITLE_AFTER_GAP:
        return None
    return found[2], at + found[0], at + found[1]


def _person_features(
    facts: SentenceFacts, person: Participant, title: tuple[str, int, int] | None
) -> list[str]:
    """What is said of the person whatever the holder: the titles around the name and
    the words next to it."""
    features: list[str] = []
    if title is not None:
        features += ["title_before", f"post:{title[0]}"]
        if person.start - title[2] <= 6:
            features.append("title_next_to_name")
    after = _title_after(facts, person)
    if after is not None:
        features += ["title_after", f"post_after:{after[0]}"]
    return features + _next_to_name(facts, person)


def _pair_features(
    facts: SentenceFacts,
    person: Participant,
    holder: Holder,
    people: list[Participant],
    holders: list[Holder],
    title: tuple[str, int, int] | None,
) -> list[str]:
    features = [f"holder:{holder.type}", f"kind:{holder.kind}"]
    if facts.official_of.get(person.person or "") == holder.ref:
        features.append("known_official")
    if holder.ref == facts.main:
        features.append("main_state")
    if holder.ref == facts.home:
        features.append("home_state")
    if holder.start is None or holder.end is None:
        return features + _context_features(holder, holders, title)
    return features + _mention_features(facts, person, holder, people, holders, title)


def _context_features(
    holder: Holder, holders: list[Holder], title: tuple[str, int, int] | None
) -> list[str]:
    """A holder the sentence does not name: it matters whether the sentence names
    another one the title could be of."""
    named = [h for h in holders if h.kind == "mention" and h.type == "state"]
    return [f"states_named:{min(len(named), 2)}", f"titled:{title is not None}"]


def _mention_features(
    facts: SentenceFacts,
    person: Participant,
    holder: Holder,
    people: list[Participant],
    holders: list[Holder],
    title: tuple[str, int, int] | None,
) -> list[str]:
    assert holder.start is not None and holder.end is not None
    before = holder.end <= person.start
    left, right = (holder.end, person.start) if before else (person.end, holder.start)
    between = facts.words.between(left, right)
    gap = facts.text[left:right] if right > left else ""
    features = [
        f"order:{'holder_first' if before else 'person_first'}",
        f"words:{_bucket(len(between))}",
        f"people_between:{min(sum(1 for p in people if left <= p.start < right), 2)}",
        f"holders_between:{min(_holders_between(holders, left, right), 2)}",
    ]
    if _nearest(person, holder, holders):
        features.append("nearest_holder")
    if title is not None and holder.end <= title[1] and title[1] - holder.end <= 4:
        features.append("holder_before_title")  # "NATO Secretary-General X", "Egypt's President"
    if title is not None and title[2] <= holder.start and holder.end <= person.start:
        features.append("holder_inside_title")  # "Perdana Menteri Armenia Nikol Pashinyan"
    if not before and gap.strip() in ("(", "[", "-", "–", ","):
        features.append(f"gap_after_name:{gap.strip()}")  # "Schallenberg (ÖVP)"
    if before and facts.text[holder.end : holder.end + 1] == "-":
        features.append("hyphen_after_holder")  # "SPD-Politiker", "CDU-Chef"
    if len(between) <= BETWEEN_WORDS:
        features += [f"between:{facts.lang}:{w}" for w in between.stems]
    features += _around(facts, holder)
    return features


def _around(facts: SentenceFacts, holder: Holder) -> list[str]:
    """The words right before and after the holder's mention, in its sentence."""
    assert holder.start is not None and holder.end is not None
    words = facts.words
    first = bisect_left(words.starts, holder.start)
    after = bisect_left(words.starts, holder.end)
    out: list[str] = []
    if first > 0 and words.starts[first - 1] >= facts.sentence.start:
        out.append(f"holder_left:{facts.lang}:{words.stems[first - 1]}")
    if after < len(words.starts) and words.ends[after] <= facts.sentence.end:
        out.append(f"holder_right:{facts.lang}:{words.stems[after]}")
    return out


def _next_to_name(facts: SentenceFacts, person: Participant) -> list[str]:
    """The two words before the name and the one after it: titles the lexicon does not
    list ("Emir", "canciller"), and "X, candidate of"."""
    words = facts.words
    first = bisect_left(words.starts, person.start)
    last = bisect_left(words.starts, person.end)
    opening = bisect_left(words.starts, facts.sentence.start)
    closing = bisect_left(words.starts, facts.sentence.end)
    before = words.stems[max(first - 2, opening) : first]
    after = words.stems[last : min(last + 1, closing)]
    return [f"name_left:{facts.lang}:{w}" for w in before] + [
        f"name_right:{facts.lang}:{w}" for w in after
    ]


def _holders_between(holders: list[Holder], left: int, right: int) -> int:
    return sum(1 for h in holders if h.start is not None and left <= h.start < right)


def _nearest(person: Participant, holder: Holder, holders: list[Holder]) -> bool:
    """Whether no other named holder stands closer to the person."""

    def distance(h: Holder) -> int:
        assert h.start is not None and h.end is not None
        return person.start - h.end if h.end <= person.start else h.start - person.end

    named = [h for h in holders if h.start is not None]
    return min(named, key=distance) is holder


def _bucket(count: int) -> str:
    return str(count) if count <= 3 else "4-6" if count <= 6 else "7-12" if count <= 12 else "13+"
