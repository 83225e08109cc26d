"""NIL resolution online: link the entities the offline linker left unlinked.

Only with ``--online`` (the default stays offline and deterministic).  For each
unlinked entity of a document:

1. search its label with ``wbsearchentities`` in the document's language and
   in English;
2. fetch the candidates with ``wbgetentities``;
3. score each: does a label or alias equal the mention (name), do its classes
   (P31) fit the mention's type (type; a misfit rejects it outright), do its
   statements point at entities the same document links (context), and was
   it dissolved (P576) before the document was published (a penalty);
4. link the best candidate only when its score reaches the threshold and no
   other candidate ties with it.

Every decision -- link or not -- comes with a reason, kept in
:class:`NilDecision` and, for links, in the mentions' ``method``
(``"wikidata-nil"``), which the RDF mapping writes as ``gk:matchMethod``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from kg.extraction.words import Words, words_of
from kg.model import Document, Entity
from kg.wikidata import items
from kg.wikidata.client import WikidataClient
from kg.wikidata.config import WikidataConfig
from kg.wikidata.gazetteer_update import CLASSES_FILE

log = logging.getLogger(__name__)

DEFAULT_THRESHOLD = 0.7
NIL_METHOD = "wikidata-nil"
INSTANCE_OF = "P31"
DISSOLVED = "P576"
POSITION_HELD, COUNTRY, JURISDICTION = "P39", "P17", "P1001"
# Words of the mention's neighbourhood that also describe a candidate (its description,
# its posts' labels) break a tie between candidates the claims cannot tell apart.
CONTEXT_REACH = 80  # characters either side of each mention
MIN_WORD = 4
# Weights of the evidence; name + fitting type (0.8) links a name with no
# context, a partial name needs context to get there.
WEIGHT_NAME, WEIGHT_TYPE, WEIGHT_CONTEXT = 0.5, 0.3, 0.2
PENALTY_DISSOLVED = 0.3
# A name that only begins a label ("Armen" for "Armen Testoyan") counts for
# little: even with fitting type and context it stays below the threshold.
PARTIAL_NAME = 0.3


@lru_cache(maxsize=1)
def type_classes() -> dict[str, frozenset[str]]:
    """Entity type -> the Wikidata classes that fit it (classes.json)."""
    declared = json.loads(CLASSES_FILE.read_text(encoding="utf-8"))["entity_types"]
    return {
        kind: frozenset(c["qid"] for c in classes)
        for kind, classes in declared.items()
        if not kind.startswith("_")
    }


@dataclass(frozen=True)
class Candidate:
    """One Wikidata item considered for an unlinked entity, with its score."""

    qid: str
    label: str
    score: float
    reasons: tuple[str, ...]
    rejected: bool = False


@dataclass
class NilDecision:
    """What NIL resolution decided for one unlinked entity, and why."""

    label: str
    type: str
    qid: str | None
    score: float
    reason: str
    candidates: list[Candidate] = field(default_factory=list)


def fold(text: str) -> str:
    """Case- and space-insensitive form of a name, for comparing."""
    return " ".join(text.split()).casefold()


def name_score(mention: str, entity: dict[str, Any], languages: Sequence[str]) -> float:
    """1 for an exact label/alias, PARTIAL_NAME for one that starts with the mention."""
    names = [fold(n) for n in items.names(entity, languages)]
    wanted = fold(mention)
    if wanted in names:
        return 1.0
    if any(n.startswith(wanted) or wanted.startswith(n) for n in names if n):
        return PARTIAL_NAME
    return 0.0


def type_fit(entity_type: str, classes: Iterable[str]) -> bool | None:
    """True/False when the type has known classes; None for "other" types."""
    expected = type_classes().get(entity_type)
    if not expected:
        return None
    return bool(expected & set(classes))


def context_links(
    entity: dict[str, Any], linked: set[str], posts: dict[str, dict[str, Any]] | None = None
) -> list[str]:
    """Entities of the same document that the candidate's statements name:
    directly (citizenship, conflicts, memberships...), or through the country
    (P17) of a post it held (P39) -- a foreign minister of a state the text names."""
    found = []
    for pid, claims in sorted(entity.get("claims", {}).items()):
        if pid == INSTANCE_OF:
            continue
        for statement in items.statements({"claims": {pid: claims}}, pid):
            if statement.value in linked:
                found.append(f"{pid}={statement.value}")
    for post in items.values(entity, POSITION_HELD):
        held = (posts or {}).get(post, {})
        countries = items.values(held, COUNTRY) + items.values(held, JURISDICTION)
        found.extend(
            f"{POSITION_HELD}={post} in {c}" for c in dict.fromkeys(countries) if c in linked
        )
    return found


def context_words(document: Document, unlinked: Entity, entities: Sequence[Entity]) -> set[str]:
    """Stems of the words around the unlinked entity's mentions, names left out: what
    the text says of it ("Foreign Minister", "footballer")."""
    names = [(m.start, m.end) for e in entities for m in e.mentions]
    found: set[str] = set()
    for mention in unlinked.mentions:
        start = max(0, mention.start - CONTEXT_REACH)
        window = document.text[start : mention.end + CONTEXT_REACH]
        words = words_of(window, document.lang)
        found |= _long_stems(words, words.inside((x - start, y - start) for x, y in names))
    return found


def candidate_words(
    entity: dict[str, Any], posts: dict[str, dict[str, Any]], lang: str
) -> set[str]:
    """Stems of what a candidate is described as: its descriptions in any language the
    answer holds, and the labels of the posts it held."""
    texts = [str(d["value"]) for d in entity.get("descriptions", {}).values()]
    for post in items.values(entity, POSITION_HELD):
        texts += [str(v["value"]) for v in posts.get(post, {}).get("labels", {}).values()]
    return _long_stems(words_of(" ".join(texts), lang))


def _long_stems(words: Words, skip: frozenset[int] = frozenset()) -> set[str]:
    """Stems of the words of ``MIN_WORD`` letters or more, but those at ``skip``."""
    return {
        stem
        for i, (a, b, stem) in enumerate(zip(words.starts, words.ends, words.stems, strict=True))
        if b - a >= MIN_WORD and i not in skip
    }


def dissolved_before(entity: dict[str, Any], document: Document) -> str | None:
    if document.published is None:
        return None
    published = document.published.date().isoformat()
    for value in items.values(entity, DISSOLVED):
        if value[:10] < published[: len(value[:10])]:
            return value
    return None


def score_candidate(
    unlinked: Entity,
    qid: str,
    entity: dict[str, Any],
    document: Document,
    linked: set[str],
    languages: Sequence[str],
    posts: dict[str, dict[str, Any]] | None = None,
) -> Candidate:
    label = items.label(entity, languages) or qid
    name = name_score(unlinked.label, entity, languages)
    classes = items.values(entity, INSTANCE_OF)
    fits = type_fit(unlinked.type, classes)
    if fits is False:
        why = f"P31 {', '.join(classes) or 'none'} does not fit type {unlinked.type}"
        return Candidate(qid, label, 0.0, (why,), rejected=True)
    reasons = [f"name match {name:.1f}"]
    score = WEIGHT_NAME * name
    if fits:
        score += WEIGHT_TYPE
        reasons.append(f"P31 fits {unlinked.type}")
    else:
        score += WEIGHT_TYPE / 2  # unknown type: neither for nor against
    context = context_links(entity, linked, posts)
    if context:
        score += WEIGHT_CONTEXT
        reasons.append("context " + ", ".join(context[:3]))
    dissolved = dissolved_before(entity, document)
    if dissolved:
        score -= PENALTY_DISSOLVED
        reasons.append(f"dissolved {dissolved} before publication")
    return Candidate(qid, label, round(max(score, 0.0), 4), tuple(reasons))


class NilResolver:
    """Searches Wikidata for unlinked entities and links the convincing ones."""

    def __init__(
        self,
        client: WikidataClient,
        threshold: float = DEFAULT_THRESHOLD,
        fallback_language: str = "en",
        search_limit: int = 7,
    ) -> None:
        self.client = client
        self.threshold = threshold
        self.fallback_language = fallback_language
        self.search_limit = search_limit

    def languages(self, document: Document) -> list[str]:
        return list(dict.fromkeys([document.lang or "en", self.fallback_language]))

    def candidates(self, label: str, languages: Sequence[str]) -> list[str]:
        found: list[str] = []
        for lang in languages:
            hits = self.client.search_entities(label, lang, limit=self.search_limit)
            found.extend(hit.id for hit in hits if hit.id not in found)
        return found

    def decide(
        self,
        unlinked: Entity,
        document: Document,
        linked: set[str],
        entities: Sequence[Entity] = (),
    ) -> NilDecision:
        languages = self.languages(document)
        qids = self.candidates(unlinked.label, languages)
        if not qids:
            return NilDecision(unlinked.label, unlinked.type, None, 0.0, "no Wikidata candidates")
        fetched = self.client.get_entities(qids, languages=languages)
        posts = self.posts(fetched.values(), languages) if unlinked.type == "person" else {}
        scored = sorted(
            (
                score_candidate(unlinked, q, fetched[q], document, linked, languages, posts)
                for q in qids
                if q in fetched
            ),
            key=lambda c: -c.score,
        )
        around = context_words(document, unlinked, entities or [unlinked])
        described = {
            c.qid: around & candidate_words(fetched[c.qid], posts, document.lang) for c in scored
        }
        return self.verdict(unlinked, scored, described)

    def posts(
        self, candidates: Iterable[dict[str, Any]], languages: Sequence[str] = ("en",)
    ) -> dict[str, dict[str, Any]]:
        """The posts (P39 values) candidates held, to read their countries and labels."""
        held = sorted({p for c in candidates for p in items.values(c, POSITION_HELD)})
        return self.client.get_entities(held, languages=list(languages)) if held else {}

    def verdict(
        self,
        unlinked: Entity,
        scored: list[Candidate],
        described: dict[str, set[str]] | None = None,
    ) -> NilDecision:
        """The best viable candidate when it reaches the threshold and nothing ties it:
        a tie of scores is broken by the candidate whose description or posts share
        more words with the mention's neighbourhood ("Foreign Minister" for the
        minister, not his namesake the footballer); an even tie abstains."""
        viable = [c for c in scored if not c.rejected]
        if not viable:
            why = "; ".join(f"{c.qid}: {c.reasons[0]}" for c in scored) or "no candidates"
            return NilDecision(unlinked.label, unlinked.type, None, 0.0, why, scored)
        best = viable[0]
        if best.score < self.threshold:
            reasons = "; ".join(best.reasons)
            why = f"best {best.qid} scored {best.score} < {self.threshold} ({reasons})"
            return NilDecision(unlinked.label, unlinked.type, None, best.score, why, scored)
        tied = [c for c in viable if c.score == best.score]
        if len(tied) > 1:
            words = described or {}
            ranked = sorted(tied, key=lambda c: -len(words.get(c.qid, ())))
            first, second = ranked[0], ranked[1]
            if len(words.get(first.qid, ())) == len(words.get(second.qid, ())):
                why = f"ambiguous: {best.qid} and {viable[1].qid} both scored {best.score}"
                return NilDecision(unlinked.label, unlinked.type, None, best.score, why, scored)
            shared = ", ".join(sorted(words[first.qid]))
            why = (
                f"linked {first.qid} ({'; '.join(first.reasons)}; tie with {second.qid}"
                f" broken by context words: {shared})"
            )
            return NilDecision(unlinked.label, unlinked.type, first.qid, first.score, why, scored)
        why = f"linked {best.qid} ({'; '.join(best.reasons)})"
        return NilDecision(unlinked.label, unlinked.type, best.qid, best.score, why, scored)

    def resolve(
        self, document: Document, entities: list[Entity]
    ) -> tuple[list[Entity], list[NilDecision]]:
        """The entities with convincing NIL links filled in, and every decision."""
        linked = {e.qid for e in entities if e.qid}
        decisions: list[NilDecision] = []
        result: list[Entity] = []
        for entity in entities:
            if entity.qid:
                result.append(entity)
                continue
            decision = self.decide(entity, document, linked, entities)
            decisions.append(decision)
            log.info("NIL %r (%s): %s", entity.label, entity.type, decision.reason)
            result.append(link(entity, decision) if decision.qid else entity)
        return merge_same_qid(result), decisions


def link(entity: Entity, decision: NilDecision) -> Entity:
    """The entity linked as decided; its mentions record how."""
    mentions = [replace(m, method=NIL_METHOD) for m in entity.mentions]
    return replace(
        entity,
        qid=decision.qid,
        score=decision.score,
        mentions=mentions,
        link_reason=decision.reason,
    )


def merge_same_qid(entities: list[Entity]) -> list[Entity]:
    """One entity per QID: a NIL link may land on an entity already linked."""
    by_qid: dict[str, Entity] = {}
    merged: list[Entity] = []
    for entity in entities:
        if entity.qid and entity.qid in by_qid:
            by_qid[entity.qid].mentions.extend(entity.mentions)
            continue
        if entity.qid:
            by_qid[entity.qid] = entity
        merged.append(entity)
    return merged


class OnlineLinker:
    """A link stage: the offline linker, then NIL resolution on what it left.

    Drop-in for ``Pipeline.link`` when a command runs with ``--online``;
    ``decisions`` keeps the reasons of the last document for reporting.
    """

    def __init__(self, offline: Callable[[Document], list[Entity]], resolver: NilResolver) -> None:
        self.offline = offline
        self.resolver = resolver
        self.decisions: list[NilDecision] = []

    def __call__(self, doc: Document) -> list[Entity]:
        entities, self.decisions = self.resolver.resolve(doc, self.offline(doc))
        return entities


def online_linker(
    config: WikidataConfig | None = None, threshold: float = DEFAULT_THRESHOLD
) -> OnlineLinker:
    """The default offline linker followed by NIL resolution: what ``--online``
    puts in the pipeline's link stage (``kg.pipeline.with_online_linking``)."""
    from kg.linking import Linker  # the offline linker; imported late, it loads the index

    client = WikidataClient(config or WikidataConfig.from_env())
    return OnlineLinker(Linker.default(), NilResolver(client, threshold=threshold))
