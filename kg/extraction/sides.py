"""The trained side chooser: which of a sentence's parties are an event's actor and
recipient.

The rules (``kg.extraction.events``) and the detector propose a sentence's events with
their sides, read from word order and function words.  Where they get the type right,
they most often get the sides wrong (on the corpus's training split, 920 of 1,767 wrong
events were of a type the gold also had in that document).  This stage re-reads the
sides: for every event type proposed in a sentence, every (actor, recipient) pair of the
sentence's parties (and every party alone, with no recipient) is a candidate -- the
parties being those the sentence names, and, for a side it leaves unnamed, the last
actors the sentence before names and the article's two most named actors -- scored by
one logistic regression over what the rules said about it, where the parties stand
against the event's word, the words next to them, their types and sectors.  The lexicon's
events stand as its rules read them; the model adds, above its threshold, one act of
each type per party the rules gave no side in that type (``decode``), and re-reads the
detector's events whole.

The model is trained by ``kg train-sides`` (``kg.extraction.side_training``) from the
annotated corpus, after the detector (whose events it re-reads), and stored as plain
JSON in ``kg/data/models/event-sides.json``; without that file the rules' sides stand.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Protocol, TypeVar

from kg.extraction.words import Words
from kg.linear import BinaryModel, model_file
from kg.model import SYMMETRIC_TYPES, Event
from kg.paths import DATA_DIR

MODEL_PATH = DATA_DIR / "models" / "event-sides.json"
MODEL_ENV = "GEOKG_SIDES_MODEL"  # another model file to run with (method comparisons)
MODEL_FORMAT = "geokg-event-sides/1"
NEAR_WORDS = 3  # a party this many words or fewer from the event's word stands next to it
# Parties from outside the sentence that a side may fall to (``Party.kind``).
CONTEXT_KINDS = frozenset({"previous", "topic0", "topic1"})


@dataclass(frozen=True, slots=True)
class Party:
    """One entity that could take a side in a sentence's event."""

    ref: str
    type: str  # entity type ("state", "person", ...) or "generic"
    sector: str | None
    country: str | None  # a generic actor's state
    # mention | group | anaphor | speaker | outside (a proposed event names it from another
    # sentence) | previous (named in the sentence before) | topic0, topic1 (the document's
    # most and second most named actor)
    kind: str
    start: int | None  # document offsets of its mention in the sentence
    end: int | None


@dataclass(frozen=True, slots=True)
class Candidate:
    """One way to fill an event's sides, with what the model reads about it."""

    type: str
    actor: str
    recipient: str | None
    features: tuple[str, ...]
    base: Event  # the proposed event it re-reads (mode, modality, date, evidence)
    # The lexicon's rules read this very pair: kept whatever the model says (re-reading
    # the rules' own pairs lost more events right than wrong on the kit's dev set, where
    # the lexicons are precise; docs/quality.md).  The model may add others.
    ruled: bool = False
    # The recipients a proposed event read together with this one ("30 periodistas,
    # opositores y activistas"): one act of the doer, however many it acts on.
    together: tuple[str, ...] = ()


class SideChooser(Protocol):
    """What ``find_events`` asks to settle a sentence's sides (the model, or a trainer's
    recorder of candidates); ``ruled`` are the types the lexicon found there."""

    def __call__(
        self, events: list[Event], candidates: list[Candidate], ruled: Collection[str]
    ) -> list[Event]: ...


class Choice(Protocol):
    """What decoding reads of a candidate (a ``Candidate``, or a training example)."""

    @property
    def type(self) -> str: ...
    @property
    def actor(self) -> str: ...
    @property
    def recipient(self) -> str | None: ...
    @property
    def ruled(self) -> bool: ...
    @property
    def together(self) -> tuple[str, ...]: ...


C = TypeVar("C", bound=Choice)


def decode(scored: Iterable[tuple[float, C]], threshold: float) -> list[tuple[float, C]]:
    """The candidates of one sentence that become events: the pairs the lexicon's rules
    read, and, for each type, at most one act per doer the rules gave no side in an act
    of that type: its most probable candidate above the threshold, with the recipients
    the proposing rule read together with that one, whatever their own probability ("30
    journalists, opponents and activists").  A doer is thus never kept both with a
    recipient and alone: the two would be one act told twice.

    Keeping every pair above the threshold (the seventh session's decoding) made a
    "three states" sentence an event between every two of them, and "A accused B" B's
    accusation of A as well.  By cross-validation on the train splits this decoding
    scores 0.287 against 0.291 on the first nine languages and 0.283 against 0.280 on the
    next eight, and better on the dev split (0.361 against 0.350); docs/quality.md."""
    items = list(scored)
    ruled = [c for _, c in items if c.ruled]
    sided = {(c.type, side) for c in ruled for side in (c.actor, c.recipient) if side}
    best: dict[tuple[str, str], tuple[float, C]] = {}
    for probability, candidate in items:
        key = (candidate.type, candidate.actor)
        if candidate.ruled or key in sided or probability < threshold:
            continue
        if key not in best or probability > best[key][0]:
            best[key] = (probability, candidate)
    chosen = [(p, c) for p, c in items if c.ruled] + list(best.values())
    for probability, candidate in items:
        top = best.get((candidate.type, candidate.actor))
        if top is None or candidate is top[1] or candidate.ruled:
            continue
        if candidate.recipient is not None and candidate.recipient in top[1].together:
            chosen.append((probability, candidate))
    return chosen


class SideModel(BinaryModel):
    def choose(
        self, events: list[Event], candidates: list[Candidate], ruled: Collection[str]
    ) -> list[Event]:
        """The sentence's events: those of the lexicon's types and the negated ones as the
        rules read them, and one event per act the model adds (``decode``): a doer's
        recipients read together are one event's."""
        kept = [e for e in events if (e.negated and e.actor) or (not e.negated and e.type in ruled)]
        scored = [(1.0 if c.ruled else self.probability(c.features), c) for c in candidates]
        acts: dict[tuple[str, str], list[tuple[float, Candidate]]] = {}
        for probability, candidate in decode(scored, self.threshold):
            if not candidate.ruled:
                acts.setdefault((candidate.type, candidate.actor), []).append(
                    (probability, candidate)
                )
        for act in acts.values():
            probability, first = max(act, key=lambda pc: pc[0])
            event = _event_of(first, probability)
            others = [c.recipient for _, c in act if c is not first and c.recipient]
            kept.append(replace(event, recipient=event.recipient + others) if others else event)
        return kept


def _event_of(candidate: Candidate, probability: float) -> Event:
    base = candidate.base
    actor, recipient = [candidate.actor], [candidate.recipient] if candidate.recipient else []
    if candidate.recipient in base.actor and candidate.type in SYMMETRIC_TYPES:
        actor, recipient = actor + recipient, []  # a joint act, as the rules read it
    return replace(
        base,
        actor=actor,
        recipient=recipient,
        score=round(min(base.score, probability), 4),
        actor_persons=list(base.actor_persons) if candidate.actor in base.actor else [],
        more_evidence=[],
    )


@cache
def _read(path: Path) -> SideModel:
    return SideModel.read(path, MODEL_FORMAT)


def default_side_model() -> SideModel | None:
    """The model in ``$GEOKG_SIDES_MODEL`` or the packaged one; None before one is trained."""
    path = model_file(MODEL_ENV, MODEL_PATH)
    return _read(path) if path is not None else None


# --- candidates ---------------------------------------------------------------------


def candidates(
    events: list[Event],
    parties: list[Party],
    words: Words,
    lang: str,
    ruled: Collection[str] = (),
    strength: Mapping[str, float] | None = None,
    every_pair: bool = True,
    context: Iterable[Party] = (),
) -> list[Candidate]:
    """Every (actor, recipient) pair of ``parties`` for each type of the asserted
    ``events`` (a party alone too), with its features; ``words`` are the sentence's
    (document offsets), ``ruled`` the types the lexicon found, ``strength`` each
    detected type's probability over its threshold.  Without ``every_pair``, a party
    the rules gave a side in a type is offered only the rules' own pairs of that type,
    and those without features: ``decode`` keeps them and no other pair of theirs
    whatever the model says (training reads every pair: it learns from them).
    ``context`` are parties from outside the sentence that may take a side the sentence
    does not name ("The ministry condemned the strike": whose ministry the article has
    said before)."""
    strength = strength or {}
    found: list[Candidate] = []
    by_type: dict[str, list[Event]] = {}
    for event in events:
        if not event.negated:
            by_type.setdefault(event.type, []).append(event)
    for kind, proposed in by_type.items():
        pool = _with_outside(parties, proposed, context)
        found_by = _found_by(kind, ruled, strength)
        pairs = [
            (actor, recipient, kind in ruled and _rules_read(kind, actor.ref, other, proposed))
            for actor in pool
            for recipient in [None, *pool]
            for other in [recipient.ref if recipient else None]
            if other != actor.ref
            # an unordered pair is one candidate
            and not (kind in SYMMETRIC_TYPES and other is not None and other < actor.ref)
        ]
        sided = set() if every_pair else _sided(pairs)
        reader = PairReader(kind, proposed, words, lang, (found_by, f"{kind}|{found_by}"))
        for actor, recipient, ruled_pair in pairs:
            if not ruled_pair and actor.ref in sided:
                continue
            other = recipient.ref if recipient else None
            # The rules' pairs are kept whatever the model says: read them only to learn.
            features = reader.features(actor, recipient) if every_pair or not ruled_pair else ()
            together = _read_together(actor.ref, other, proposed)
            base = _base(proposed, actor.ref)
            found.append(Candidate(kind, actor.ref, other, features, base, ruled_pair, together))
    return found


def _sided(pairs: list[tuple[Party, Party | None, bool]]) -> set[str]:
    """The parties of the rules' pairs (``decode`` gives them no act of the model's)."""
    return {
        side.ref
        for actor, recipient, ruled in pairs
        if ruled
        for side in (actor, recipient)
        if side
    }


def _rules_read(kind: str, actor: str, recipient: str | None, proposed: list[Event]) -> bool:
    """Whether one of the proposed events counts as this very pair (as ``kg evaluate``
    counts an event: each actor with each recipient; a joint act's actors by pairs)."""
    for event in proposed:
        if actor not in event.actor:
            continue
        if recipient is not None and recipient in event.recipient:
            return True
        joint = not event.recipient and kind in SYMMETRIC_TYPES and len(event.actor) > 1
        if joint and recipient in event.actor:
            return True
        if not joint and not event.recipient and recipient is None:
            return True
    return False


def _read_together(actor: str, recipient: str | None, proposed: list[Event]) -> tuple[str, ...]:
    """The recipients of the proposed event where ``actor`` acts on ``recipient``, if any."""
    return next(
        (tuple(e.recipient) for e in proposed if actor in e.actor and recipient in e.recipient),
        (),
    )


def _found_by(kind: str, ruled: Collection[str], strength: Mapping[str, float]) -> str:
    """Who proposed the type: the lexicon, or the detector and how surely."""
    if kind in ruled:
        return "found:lexicon"
    ratio = strength.get(kind)
    if ratio is None:
        return "found:rules"
    return "found:" + ("sure" if ratio >= 1.5 else "detected" if ratio >= 1 else "weak")


def _with_outside(
    parties: list[Party], events: list[Event], context: Iterable[Party] = ()
) -> list[Party]:
    """The sentence's parties, those the proposed events name from outside it (a
    speaker of an earlier sentence, the organization the article is about), and the
    context's parties the sentence does not name."""
    seen = {p.ref for p in parties}
    pool = list(parties)
    for event in events:
        for ref in event.actor + event.recipient:
            if ref not in seen:
                seen.add(ref)
                pool.append(Party(ref, "outside", None, None, "outside", None, None))
    for party in context:
        if party.ref not in seen:
            seen.add(party.ref)
            pool.append(party)
    return pool


def _base(events: list[Event], actor: str) -> Event:
    """The proposed event a candidate re-reads: one where its actor acts, else the first."""
    return next((e for e in events if actor in e.actor), events[0])


class PairReader:
    """What the model reads about the candidate pairs of one event type in a sentence
    (see the module docstring).  What does not depend on the pair -- the event's word,
    whether the proposal had sides, each party's own features with and without the
    type -- is worked out once for all of them."""

    def __init__(
        self,
        kind: str,
        proposed: list[Event],
        words: Words,
        lang: str,
        extra: tuple[str, ...] = (),
    ) -> None:
        self.kind = kind
        self.proposed = proposed
        self.words = words
        self.lang = lang
        self.anchor = next((e.anchor for e in proposed if e.anchor is not None), None)
        # the detector's proposal, its sides unread
        sideless = () if any(e.actor for e in proposed) else ("proposed:sideless",)
        self.fixed = self._typed(["bias", *sideless]) + extra
        self.own: dict[tuple[str, int], tuple[str, ...]] = {}

    def features(self, actor: Party, recipient: Party | None) -> tuple[str, ...]:
        said = _rule_reading(actor.ref, recipient.ref if recipient else None, self.proposed)
        found = self.fixed + self._typed([f"said:{said}"]) + (f"lang:{self.lang}|said:{said}",)
        found += self._own("a", actor)
        if recipient is None:
            return found + self._typed(["r:none"])
        found += self._own("r", recipient)
        return found + self._typed(_pair_relation(actor, recipient, self.words))

    def _own(self, role: str, party: Party) -> tuple[str, ...]:
        key = (role, id(party))
        if key not in self.own:
            self.own[key] = self._typed(_party_features(role, party, self.anchor, self.words))
        return self.own[key]

    def _typed(self, features: list[str]) -> tuple[str, ...]:
        """Each feature alone and with the type: sides read alike across types where the
        data are thin, and differently where a type has its own pattern (a protest's
        target is seldom named; an attack's nearly always)."""
        return (*features, *(f"{self.kind}|{f}" for f in features))


def _rule_reading(actor: str, recipient: str | None, proposed: list[Event]) -> str:
    """How the rules read the pair: as is, the other way round, the actor alone, ..."""
    for event in proposed:
        sides = event.actor + event.recipient
        if recipient is None:
            if actor in event.actor and not event.recipient and len(event.actor) == 1:
                return "alone"
        elif actor in event.actor and recipient in event.recipient:
            return "pair"
        elif actor in event.actor and recipient in event.actor:
            return "joint"
        elif recipient in event.actor and actor in event.recipient:
            return "swapped"
        elif actor in sides and recipient in sides:
            return "both-named"
    actor_role = _role_in(actor, proposed)
    recipient_role = _role_in(recipient, proposed) if recipient else "none"
    return f"{actor_role}-{recipient_role}"


def _role_in(ref: str, proposed: list[Event]) -> str:
    if any(ref in e.actor for e in proposed):
        return "actor"
    if any(ref in e.recipient for e in proposed):
        return "recipient"
    return "other"


def _party_features(role: str, party: Party, anchor: int | None, words: Words) -> list[str]:
    what = f"generic:{party.sector}" if party.sector else party.type
    found = [f"{role}.type:{what}", f"{role}.kind:{party.kind}"]
    if party.kind in CONTEXT_KINDS:
        found.append(f"{role}.kind:{party.kind}|{what}")  # a state is the likelier doer
    if party.start is None or party.end is None:
        return found
    found.append(f"{role}.at:{_place(party, anchor, words)}")
    before, after = _neighbours(party.start, party.end, words)
    found += [f"{role}.prev:{before}", f"{role}.next:{after}"]
    return found


def _place(party: Party, anchor: int | None, words: Words) -> str:
    """Where the party stands against the event's word: just before, before, just after,
    after (in words between them)."""
    assert party.start is not None and party.end is not None
    if anchor is None:
        return "unanchored"
    if party.start <= anchor < party.end:
        return "on"
    if party.end <= anchor:
        gap = _words_between(words, party.end, anchor)
        return "just-before" if gap <= NEAR_WORDS else "before"
    gap = _words_between(words, anchor, party.start) - 1  # the event's word itself
    return "just-after" if gap <= NEAR_WORDS else "after"


def _words_between(words: Words, start: int, end: int) -> int:
    return len(words.between(start, end))


def _neighbours(start: int, end: int, words: Words) -> tuple[str, str]:
    """The stems of the words right before and right after a mention ("^"/"$" at the
    sentence's ends): prepositions, case particles, postpositions."""
    first, after = bisect_left(words.starts, start), bisect_left(words.starts, end)
    return (
        words.stems[first - 1] if first > 0 else "^",
        words.stems[after] if after < len(words) else "$",
    )


def _pair_relation(actor: Party, recipient: Party, words: Words) -> list[str]:
    found = []
    if actor.country is not None and actor.country == recipient.ref:
        found.append("actor-of-recipient")  # protesters of the state they protest
    if recipient.country is not None and recipient.country == actor.ref:
        found.append("recipient-of-actor")  # the state's own police, rebels
    if actor.start is not None and recipient.start is not None:
        if actor.start < recipient.start:
            found.append("order:actor-first")
            between = _words_between(words, actor.end or actor.start, recipient.start)
        else:
            found.append("order:recipient-first")
            between = _words_between(words, recipient.end or recipient.start, actor.start)
        found.append("gap:adjacent" if between <= 1 else "gap:near" if between <= 4 else "gap:far")
    return found


def sentence_parties(
    participants: Iterable[tuple[int, int, tuple[str, ...], str, str, str | None]],
    country_of: Callable[[str], str | None],
) -> list[Party]:
    """The parties of a sentence from its participants (start, end, refs, type, kind,
    sector), each ref once, in the order they are named."""
    parties: list[Party] = []
    seen: set[str] = set()
    for start, end, refs, entity_type, kind, sector in participants:
        for ref in refs:
            if ref in seen:
                continue
            seen.add(ref)
            party_type = "generic" if sector else entity_type
            parties.append(Party(ref, party_type, sector, country_of(ref), kind, start, end))
    return parties
