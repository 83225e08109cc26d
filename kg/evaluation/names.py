"""Names the knowledge base lacks: mention-level scores of the people and
organizations found without a QID (``kg/linking/nil.py``, the trained name scorers).

Linking scores compare QID sets, so they cannot see these; relations and events
see them only through a role.  Here a gold mention is an occurrence in the text of a
surface form of a gold entity without a QID, on word boundaries and inside no longer
occurrence ("Bazoum" alone, not inside "Mohamed Bazoum"); a predicted mention is a
mention of a predicted entity without a QID that is not a generic actor.  They meet
only with the same offsets.  A predicted mention on a span gold gives a QID is not
counted: it is a linking miss, scored there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from kg.evaluation.metrics import Breakdown, counts_of, outcomes
from kg.evaluation.predictions import PredictedDoc
from kg.gazetteer.normalize import UNSPACED

if TYPE_CHECKING:  # dev.py scores with this module
    from kg.evaluation.dev import GoldDoc, GoldEntity

# The entity types each kind of name covers, in gold and in predictions.
NAME_KINDS: dict[str, frozenset[str]] = {
    "person": frozenset({"person"}),
    "organization": frozenset({"organization", "armed_forces", "alliance"}),
}

Span = tuple[int, int]


def score_nil_names(gold: GoldDoc, predicted: PredictedDoc, breakdown: Breakdown) -> None:
    """Add the document's NIL name mentions, per kind and per kind and language."""
    linked = _occurrences(gold, [e for e in gold.entities if e.qid])
    for kind, types in NAME_KINDS.items():
        wanted = _occurrences(gold, [e for e in gold.entities if _nil_of(e, types)])
        found = {
            (m.start, m.end)
            for e in predicted.entities
            if e.qid is None and e.sector is None and e.type in types
            for m in e.mentions
        }
        found -= linked - wanted
        for _, outcome in outcomes(wanted, found):
            breakdown.add(counts_of(outcome), kind, f"{kind} lang={gold.lang}")


def _nil_of(entity: GoldEntity, types: frozenset[str]) -> bool:
    return entity.qid is None and entity.sector is None and entity.type in types


def _occurrences(gold: GoldDoc, entities: list[GoldEntity]) -> set[Span]:
    """Offsets of every occurrence of the entities' surface forms, on word
    boundaries, that lies inside no longer one."""
    forms = [form for entity in entities for form in entity.surface_forms]
    return outermost(
        {
            (start, end)
            for start, end in form_occurrences(gold.text, forms)
            if _on_word_boundaries(gold.text, start, end)
        }
    )


def form_occurrences(text: str, forms: Iterable[str]) -> Iterator[Span]:
    """(start, end) of every occurrence in ``text`` of each form that is not blank."""
    for form in forms:
        if form.strip():
            for match in re.finditer(re.escape(form), text):
                yield match.start(), match.end()


def outermost(spans: set[Span]) -> set[Span]:
    """The spans that lie inside no other one ("Bazoum" inside "Mohamed Bazoum" goes)."""
    return {
        (a, b)
        for a, b in spans
        if not any(c <= a and b <= d and (c, d) != (a, b) for c, d in spans)
    }


def _on_word_boundaries(text: str, start: int, end: int) -> bool:
    """Whether a span starts and ends between words.  In Han and kana each character is
    a word of its own (as the linker reads them, ``kg.gazetteer.normalize``): "姆努钦" in
    "美国财政部长姆努钦表示" is a name on its boundaries."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    first, last = text[start : start + 1], text[end - 1 : end]
    return _boundary(before, first) and _boundary(last, after)


def _boundary(left: str, right: str) -> bool:
    """Whether a word ends between the characters ``left`` and ``right``."""
    if not left.isalnum() or not right.isalnum():
        return True
    return UNSPACED.match(left) is not None or UNSPACED.match(right) is not None
