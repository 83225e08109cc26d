"""People the knowledge base does not know: found by cues, merged by surname.

A NIL person is a run of two to six capitalised words (particles such as
"bin", "al", "da" inside), outside every linked mention, that a person cue
introduces: a title shortly before it (skipping capitalised words and
entities named in between: "Sekretaris Jenderal CSTO Stanislav Zas", "Kepala
Intelijen Mesir Abbas Kamel") or a speech verb beside it.  Later
single words equal to a found person's surname (or given name) are further
mentions of that person ("Zas").  Headlines are skipped: every word of them is
capitalised.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.gazetteer.normalize import Token
from kg.linking.cues import Cues, name_like, title_ends_at
from kg.text import lines

MAX_NAME_WORDS = 6  # "Mohammed bin Abdulrahman Al-Thani"
LOOKBACK_WORDS = 3
HEADLINE_CAPITALISED = 0.7


@dataclass
class NilPerson:
    """A person found in the text without a knowledge-base entry."""

    label: str
    spans: list[tuple[int, int]] = field(default_factory=list)  # token index ranges
    keys: frozenset[str] = frozenset()  # surname and given-name keys, for merging
    score: float = 0.6


def find_nil_persons(
    text: str, tokens: list[Token], covered: set[int], cues: Cues, headline: set[int]
) -> list[NilPerson]:
    """NIL persons of the document, each with all its mentions."""
    runs = _name_runs(text, tokens, covered, headline, cues)
    persons: list[NilPerson] = []
    for first, last in runs:
        if last > first and _has_person_cue(text, tokens, first, last, covered, cues):
            _add_or_merge(persons, text, tokens, first, last)
    for first, last in runs:
        if last == first:
            _merge_single(persons, tokens, first)
    for first, last in _uncased_runs(text, tokens, covered, cues):
        _add_or_merge(persons, text, tokens, first, last)
    return persons


def _uncased_runs(
    text: str, tokens: list[Token], covered: set[int], cues: Cues
) -> list[tuple[int, int]]:
    """In scripts without capital letters (Arabic) a name shows only by its
    cue: the two words after a title, past an entity named in between --
    "الجنرال الروسي أناتولي سيدوروف" (the Russian general Anatoly Sidorov)."""
    runs: list[tuple[int, int]] = []
    for position in range(len(tokens)):
        if not title_ends_at(tokens, position, cues):
            continue
        first = position + 1
        while first < len(tokens) and first in covered and first - position <= 2:
            first += 1
        last = first + 1
        if last >= len(tokens) or text[tokens[first].end : tokens[last].start] != " ":
            continue
        if all(_uncased_name_word(tokens[k], covered, k, cues) for k in (first, last)):
            runs.append((first, last))
    return runs


def _uncased_name_word(token: Token, covered: set[int], position: int, cues: Cues) -> bool:
    word = token.text
    return (
        position not in covered
        and not word[:1].isupper()
        and not word[:1].islower()  # a script without case
        and word[:1].isalpha()
        and len(word) >= 3
        and not word.startswith("ال")  # the article: a noun, not a name
        and token.key not in cues.uncased_stopwords
    )


def _name_runs(
    text: str, tokens: list[Token], covered: set[int], headline: set[int], cues: Cues
) -> list[tuple[int, int]]:
    """Maximal runs of adjacent name-like words (particles allowed inside)."""
    runs: list[tuple[int, int]] = []
    position = 0
    while position < len(tokens):
        if position in covered or position in headline or not name_like(tokens[position], cues):
            position += 1
            continue
        last = position
        while last + 1 < len(tokens) and last + 1 - position < MAX_NAME_WORDS:
            following = last + 1
            if following in covered or not _adjacent(text, tokens[last], tokens[following]):
                break
            if name_like(tokens[following], cues):
                last = following
            elif tokens[following].key in cues.particles and following + 1 < len(tokens):
                if name_like(tokens[following + 1], cues) and following + 1 not in covered:
                    last = following + 1
                else:
                    break
            else:
                break
        runs.append((position, last))
        position = last + 1
    return runs


def _adjacent(text: str, left: Token, right: Token) -> bool:
    return text[left.end : right.start] in (" ", "-", "\u00a0")


def _has_person_cue(
    text: str, tokens: list[Token], first: int, last: int, covered: set[int], cues: Cues
) -> bool:
    after = tokens[last + 1].key if last + 1 < len(tokens) else ""
    if after in cues.speech_verbs:
        return True
    position = first - 1
    skipped = 0
    while position >= 0 and skipped <= LOOKBACK_WORDS:
        token = tokens[position]
        if "\n" in text[token.end : tokens[position + 1].start]:
            return False
        if title_ends_at(tokens, position, cues) or token.key in cues.speech_verbs:
            return True
        if position in covered or token.text[:1].isupper():  # "CSTO", "Intelijen Mesir"
            position -= 1
            skipped += 1
            continue
        return False
    return False


def _add_or_merge(
    persons: list[NilPerson], text: str, tokens: list[Token], first: int, last: int
) -> None:
    keys = frozenset({tokens[first].key, tokens[last].key})
    for person in persons:
        if tokens[last].key in person.keys:
            person.spans.append((first, last))
            return
    label = text[tokens[first].start : tokens[last].end]
    persons.append(NilPerson(label=label, spans=[(first, last)], keys=keys))


def _merge_single(persons: list[NilPerson], tokens: list[Token], position: int) -> None:
    for person in persons:
        if tokens[position].key in person.keys:
            person.spans.append((position, position))
            return


def headline_tokens(text: str, tokens: list[Token]) -> set[int]:
    """Indexes of words on lines that look like headlines (most words capitalised)."""
    marked: set[int] = set()
    position = 0
    for line in lines(text):
        inside: list[int] = []
        while position < len(tokens) and tokens[position].start < line.end:
            if tokens[position].start >= line.start:
                inside.append(position)
            position += 1
        words = [tokens[k].text for k in inside if tokens[k].text[:1].isalpha()]
        capitalised = sum(word[:1].isupper() for word in words)
        closed = text[line.start : line.end].rstrip("\"'”’)»").endswith((".", "?", "!"))
        if not closed and len(words) >= 4 and capitalised >= HEADLINE_CAPITALISED * len(words):
            marked.update(inside)
    return marked
