"""Entity linking: mentions in a document -> entities with Wikidata QIDs.

``Linker.default()`` links against the bundled knowledge and any snapshots in
``cache_dir()/snapshots``; calling the linker on a ``Document`` returns its
entities, each with every mention.  The stages, one module each:

- ``detect``: alias matches over word keys, inflection-aware (``detect.py``);
- ``resolve``: one entity per match from priors, coherence, context cues,
  metonymy (``metonymy.py``), what the match is part of (``longer_names.py``)
  and the publication date, with a score and a threshold (``resolve.py``);
- ``nil``: organizations without a knowledge-base entry, defined by an acronym
  (``nil_orgs.py``) or chosen by a trained scorer (``organization_names.py``), then
  people, merged by surname (``nil.py``, with the trained ``person_names.py``); both
  scorers share their candidates and features (``name_spans.py``);
- ``spellings``: a NIL person who is a known person written another way
  ("Baschar al-Assad") is that person (``spellings.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from kg.gazetteer import AliasIndex, default_snapshots, load_index, snapshots_signature
from kg.gazetteer.normalize import Token, tokens
from kg.linking.cues import Cues, cues_for
from kg.linking.detect import detect, lowercase_keys
from kg.linking.name_spans import (
    Candidate,
    NameContext,
    NameShape,
    candidates,
    caseless_runs,
    name_runs,
)
from kg.linking.nil import NilPerson, find_nil_persons, headline_tokens
from kg.linking.nil_orgs import NilOrganization, find_nil_organizations
from kg.linking.organization_names import ORGANIZATION, OrganizationNameModel
from kg.linking.organization_names import default_model as default_organization_model
from kg.linking.person_names import default_model as default_person_model
from kg.linking.resolve import LINK_THRESHOLD, Link, resolve
from kg.linking.spellings import PersonSpellings
from kg.model import Document, Entity, Mention

__all__ = ["LINK_THRESHOLD", "Linker"]

# A person found by a near spelling of a known name: surer than a bare surname after a
# title, less sure than a name the knowledge lists.
SPELLING_SCORE = 0.7


@dataclass
class _Known:
    lang: str
    words: list[Token]
    cues: Cues
    headline: set[int]
    links: list[Link]
    organizations: list[NilOrganization]
    covered: dict[int, str]  # word index -> type of the entity whose mention holds it


class Linker:
    """Links the entities of documents against one alias index."""

    def __init__(self, index: AliasIndex, follow_snapshots: bool = False) -> None:
        self.index = index
        # A default linker notices a new snapshot (``kg gazetteer update``)
        # even when a long-lived pipeline holds it: one directory listing per
        # document, a reload only when the snapshots changed.
        self._follow = follow_snapshots
        self._seen = snapshots_signature(default_snapshots()) if follow_snapshots else ()
        self.person_model = default_person_model()
        self.organization_model: OrganizationNameModel | None = default_organization_model()
        self._spellings: tuple[AliasIndex, PersonSpellings] | None = None  # built when needed

    @classmethod
    def default(cls, snapshots: Iterable[Path] | None = None) -> Linker:
        """A linker over the bundled knowledge and the snapshots in
        ``cache_dir()/snapshots`` (or exactly ``snapshots``, when given)."""
        if snapshots is not None:
            return cls(load_index(list(snapshots)))
        return cls(load_index(None), follow_snapshots=True)

    def __call__(self, doc: Document) -> list[Entity]:
        if self._follow:
            self._reload_if_snapshots_changed()
        known = self._known(doc)
        entities = self._linked_entities(known.links)
        entities += [_nil_organization(doc.text, o) for o in known.organizations]
        nil = find_nil_persons(
            doc.text,
            known.words,
            known.covered,
            known.cues,
            known.headline,
            known.lang,
            self.person_model,
        )
        entities = self._with_known_spellings(
            entities, [_nil_entity(doc.text, known.words, person) for person in nil]
        )
        return sorted(entities, key=lambda e: min(m.start for m in e.mentions))

    def _with_known_spellings(self, entities: list[Entity], nil: list[Entity]) -> list[Entity]:
        """``entities`` and the NIL people, each NIL person that is a known person spelled
        another way ("Baschar al-Assad") made that person, or more mentions of them."""
        if self._spellings is None or self._spellings[0] is not self.index:
            self._spellings = (self.index, PersonSpellings(self.index, cues_for("en").particles))
        spellings = self._spellings[1]
        by_qid = {e.qid: e for e in entities if e.qid}
        out = list(entities)
        for person in nil:
            qid = spellings.person(person.label)
            info = self.index.entity(qid) if qid else None
            if info is None:
                out.append(person)
                continue
            known = by_qid.get(info.qid)
            if known is None:
                known = Entity(qid=info.qid, label=info.label, type=info.type, score=SPELLING_SCORE)
                by_qid[info.qid] = known
                out.append(known)
            known.mentions.extend(replace(m, method="spelling") for m in person.mentions)
        return out

    def name_candidates(
        self, doc: Document, shape: NameShape
    ) -> tuple[list[Token], list[Candidate]]:
        """The words of ``doc`` and the spans of ``shape`` a name scorer reads in it,
        after what ``__call__`` finds before that scorer (for ``kg train-names``: the
        person scorer reads what the organization scorer left; train the organization
        scorer with ``organization_model`` None)."""
        known = self._known(doc)
        runs = name_runs(doc.text, known.words, known.covered, known.headline, known.cues, shape)
        runs += caseless_runs(doc.text, known.words, known.covered, shape.unspaced_runs)
        context = NameContext(doc.text, known.words, known.covered, known.cues, known.lang)
        found = candidates(context, runs, shape)
        return known.words, found

    def _known(self, doc: Document) -> _Known:
        """Everything found before NIL persons: alias matches resolved to entities,
        organizations defined by an acronym, and which words they cover."""
        lang = document_language(doc)
        words = tokens(doc.text)
        matches = detect(doc.text, words, self.index, lang, lowercase_keys(words))
        cues = cues_for(lang)
        headline = headline_tokens(doc.text, words)  # all capitalised: no name runs to read
        links = resolve(doc.text, words, matches, self.index, cues, doc.published, headline)
        covered = _covered_words(links)
        organizations = find_nil_organizations(doc.text, words, set(covered), cues)
        covered.update(dict.fromkeys(_word_positions(words, organizations), "organization"))
        if self.organization_model is not None:
            named = self._named_organizations(doc.text, words, covered, headline, cues, lang)
            covered.update(dict.fromkeys(_word_positions(words, named), "organization"))
            organizations += named
        return _Known(lang, words, cues, headline, links, organizations, covered)

    def _named_organizations(
        self,
        text: str,
        words: list[Token],
        covered: dict[int, str],
        headline: set[int],
        cues: Cues,
        lang: str,
    ) -> list[NilOrganization]:
        """Organizations the trained scorer chooses among the spans no linked mention or
        acronym definition holds; the same name written again is the same organization."""
        assert self.organization_model is not None
        runs = name_runs(text, words, covered, headline, cues, ORGANIZATION)
        runs += caseless_runs(text, words, covered, ORGANIZATION.unspaced_runs)
        model = self.organization_model
        chosen = model.choose_scored(
            model.span_probabilities(
                NameContext(text, words, covered, cues, lang), runs, ORGANIZATION
            )
        )
        by_name: dict[str, NilOrganization] = {}
        for first, last in chosen:
            start, end = words[first].start, words[last].end
            name = " ".join(text[start:end].split())
            found = by_name.setdefault(name, NilOrganization(name, "", method="organization-name"))
            found.spans.append((start, end))
        return list(by_name.values())

    def country_of(self, qid: str) -> str | None:
        """The state a city or region lies in, as the knowledge says (a capital's state,
        a region's parent territory); None when it does not say."""
        info = self.index.entity(qid)
        if info is None:
            return None
        country = info.capital_of or info.parent
        parent = self.index.entity(country) if country else None
        return country if parent is not None and parent.type == "state" else None

    def _reload_if_snapshots_changed(self) -> None:
        current = snapshots_signature(default_snapshots())
        if current != self._seen:
            self.index = load_index([Path(name) for name, _, _ in current])
            self._seen = current

    def _linked_entities(self, links: list[Link]) -> list[Entity]:
        by_qid: dict[str, Entity] = {}
        for link in links:
            info = self.index.entity(link.qid)
            entity = by_qid.get(link.qid)
            if entity is None:
                label = info.label if info else link.qid
                entity_type = info.type if info else link.type
                entity = Entity(qid=link.qid, label=label, type=entity_type, score=link.score)
                by_qid[link.qid] = entity
            entity.score = max(entity.score, link.score)
            match = link.match
            entity.mentions.append(Mention(match.start, match.end, match.text, link.method))
        return list(by_qid.values())


def _nil_entity(text: str, words: list[Token], person: NilPerson) -> Entity:
    mentions = [
        Mention(
            words[first].start,
            words[last].end,
            text[words[first].start : words[last].end],
            "person-cue" if index == 0 else "coreference",
        )
        for index, (first, last) in enumerate(person.spans)
    ]
    return Entity(
        qid=None, label=person.label, type="person", score=person.score, mentions=mentions
    )


def _covered_words(links: list[Link]) -> dict[int, str]:
    """Word index -> the type of the linked entity whose mention holds it."""
    return {k: link.type for link in links for k in range(link.match.first, link.match.last + 1)}


def _word_positions(words: list[Token], organizations: list[NilOrganization]) -> set[int]:
    """Indexes of the words inside the organizations' mentions."""
    spans = [span for organization in organizations for span in organization.spans]
    if not spans:
        return set()
    return {k for k, word in enumerate(words) if any(s <= word.start < e for s, e in spans)}


def _nil_organization(text: str, organization: NilOrganization) -> Entity:
    mentions = [
        Mention(start, end, text[start:end], _organization_method(organization, index))
        for index, (start, end) in enumerate(organization.spans)
    ]
    return Entity(
        qid=None,
        label=organization.label,
        type="organization",
        score=organization.score,
        mentions=mentions,
    )


def _organization_method(organization: NilOrganization, index: int) -> str:
    """How a NIL organization's mention was found (the mention's ``method``)."""
    if organization.method != "acronym":
        return organization.method
    return "acronym-definition" if index == 0 else "acronym"


def document_language(doc: Document) -> str:
    """The document's ISO 639-1 language, identified from the text if unknown."""
    if doc.lang and doc.lang not in ("und", "xx"):
        return doc.lang.split("-")[0].lower()
    import py3langid

    lang, _ = py3langid.classify(doc.text[:2000])
    return str(lang)
