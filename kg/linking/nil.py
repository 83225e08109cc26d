"""People the knowledge base does not know: found by cues, merged by surname.

A NIL person is a span of capitalised words outside every linked mention that
the trained person-name scorer chooses (``person_names.py``: which spans, in which
company, name people, learned from the annotated corpus), or a run of two to six
capitalised words (particles such as "bin", "al", "da" inside) that a person cue
introduces: a title shortly before it (skipping capitalised words and
entities named in between: "Sekretaris Jenderal CSTO Stanislav Zas", "Kepala
Intelijen Mesir Abbas Kamel") or a speech verb beside it.  Later
single words equal to a found person's surname (or given name) are further
mentions of that person ("Zas").  Headlines are skipped: every word of them is
capitalised.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.gazetteer.normalize import UNSPACED, Token
from kg.linking.cues import Cues, name_like, title_before, title_ends_at, title_starts_at
from kg.linking.name_spans import NameContext, caseless_runs, name_runs
from kg.linking.person_names import PERSON, PersonNameModel
from kg.text import lines

MAX_NAME_WORDS = 6  # "Mohammed bin Abdulrahman Al-Thani"
HEADLINE_CAPITALISED = 0.7


@dataclass
class NilPerson:
    """A person found in the text without a knowledge-base entry."""

    label: str
    spans: list[tuple[int, int]] = field(default_factory=list)  # token index ranges
    keys: frozenset[str] = frozenset()  # surname and given-name keys, for merging
    score: float = 0.6


def find_nil_persons(
    text: str,
    tokens: list[Token],
    covered: dict[int, str],
    cues: Cues,
    headline: set[int],
    lang: str,
    model: PersonNameModel | None = None,
) -> list[NilPerson]:
    """NIL persons of the document, each with all its mentions.  ``covered`` maps the
    words of linked mentions to their entity types.  A name is a span the trained
    ``model`` chooses (``person_names.py``) or, where it chose nothing, a run the cue
    rule accepts: the rule alone on the corpus's dev split found 65 names with 13 wrong,
    the model 108 with 22, both together 115 with 30 (of 161)."""
    capitalised = name_runs(text, tokens, covered, headline, cues, PERSON)
    runs = _without_titles(capitalised, tokens, cues)
    persons: list[NilPerson] = []
    chosen: list[tuple[int, int]] = []
    if model is not None:
        context = NameContext(text, tokens, covered, cues, lang)
        scored = model.span_probabilities(
            context,
            capitalised + caseless_runs(text, tokens, covered, PERSON.unspaced_runs),
            PERSON,
        )
        chosen = [
            _after_titles(first, last, tokens, cues) for first, last in model.choose_scored(scored)
        ]
    taken = {k for first, last in chosen for k in range(first, last + 1)}
    chosen += [
        (first, last)
        for first, last in runs
        if last > first
        and not any(k in taken for k in range(first, last + 1))
        and _has_person_cue(text, tokens, first, last, covered, cues)
    ]
    for first, last in sorted(chosen, key=lambda span: span[0] - span[1]):
        _add_or_merge(persons, text, tokens, first, last)  # longest first: full names
    taken = {k for person in persons for a, b in person.spans for k in range(a, b + 1)}
    for first, last in runs:
        if last == first and first not in taken:
            _merge_single(persons, tokens, first)
    for first, last in _uncased_runs(text, tokens, set(covered), cues):
        _add_or_merge(persons, text, tokens, first, last)
    for person in persons:
        person.spans.sort()
    return persons


def _uncased_runs(
    text: str, tokens: list[Token], covered: set[int], cues: Cues
) -> list[tuple[int, int]]:
    """In scripts without capital letters (Arabic) a name shows only by its
    cue: the two words after a title, past an entity named in between --
    "الجنرال الروسي أناتولي سيدوروف" (the Russian general Anatoly Sidorov);
    where posts follow names, the name before a title instead (``_names_before_titles``):
    the words after one are its own ("وزیر امور خارجه", minister of foreign affairs)."""
    if cues.names_before_titles:
        return _names_before_titles(text, tokens, covered, cues)
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


QUOTED_NAME_WORDS = 4  # "« محمد بازوم »": at most this many words between the quotes


def _names_before_titles(
    text: str, tokens: list[Token], covered: set[int], cues: Cues
) -> list[tuple[int, int]]:
    """Where posts follow names (Persian): the quoted words right before a title
    ("«استف بلاک» وزیر خارجه هلند") or, unquoted, the two words before it ("محمدجواد
    ظریف وزیر امور خارجه")."""
    runs = []
    for position in range(1, len(tokens)):
        if not title_starts_at(tokens, position, cues):
            continue
        run = _quoted_before(text, tokens, position, covered, cues) or _two_before(
            text, tokens, position, covered, cues
        )
        if run is not None:
            runs.append(run)
    return runs


def _quoted_before(
    text: str, tokens: list[Token], title: int, covered: set[int], cues: Cues
) -> tuple[int, int] | None:
    last = title - 1
    if "»" not in text[tokens[last].end : tokens[title].start]:
        return None
    for first in range(last, max(-1, last - QUOTED_NAME_WORDS), -1):
        before = text[tokens[first - 1].end if first else 0 : tokens[first].start]
        if "«" in before:
            words = range(first, last + 1)
            if all(_uncased_name_word(tokens[k], covered, k, cues) for k in words):
                return first, last
            return None
    return None


def _two_before(
    text: str, tokens: list[Token], title: int, covered: set[int], cues: Cues
) -> tuple[int, int] | None:
    first, last = title - 2, title - 1
    if first < 0 or text[tokens[last].end : tokens[title].start] != " ":
        return None
    if text[tokens[first].end : tokens[last].start] != " ":
        return None
    if all(_uncased_name_word(tokens[k], covered, k, cues) for k in (first, last)):
        return first, last
    return None


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


def _without_titles(
    runs: list[tuple[int, int]], tokens: list[Token], cues: Cues
) -> list[tuple[int, int]]:
    """The runs of name-like words (at most ``MAX_NAME_WORDS``, particles inside) within
    runs of capitalised words, which may hold titles ("Bundeskanzlerin Angela Merkel")."""
    found: list[tuple[int, int]] = []
    for run_first, run_last in runs:
        first: int | None = None
        for position in range(run_first, run_last + 2):
            inside = position <= run_last and (
                name_like(tokens[position], cues)
                or (first is not None and tokens[position].key in cues.particles)
            )
            if inside and first is not None and position - first >= MAX_NAME_WORDS:
                found.append(_trim_particles(first, position - 1, tokens, cues))
                first = None
            if inside and first is None and name_like(tokens[position], cues):
                first = position
            elif not inside and first is not None:
                found.append(_trim_particles(first, position - 1, tokens, cues))
                first = None
    return found


APOSTROPHES = "'’ʼ"


def name_end(text: str, start: int, end: int) -> int:
    """Where a name ending at ``end`` ends without a clitic or case ending joined to it
    by an apostrophe ("Compaore’s", "Kılıçdaroğlu'nun"); an apostrophe inside a name
    ("O'Brien", "D'Alema") is followed by a capital and kept."""
    cut = max(text.rfind(mark, start, end) for mark in APOSTROPHES)
    if cut > start and text[cut + 1 : end].isalpha() and text[cut + 1 : end].islower():
        return cut
    return end


def _after_titles(first: int, last: int, tokens: list[Token], cues: Cues) -> tuple[int, int]:
    """A chosen span without the titles it starts with: "President Robert Mugabe" is
    Robert Mugabe (the title says what he holds, for the relations to read).

    In Han and kana every character is a word, and a character of some title starts many
    names ("王" of "国王", king, in "王毅"; "安" of "国家安全保障担当补佐官", security
    adviser, in "安倍"): there only a whole title ("外长", "首相") is taken off."""
    while first < last:
        if UNSPACED.match(tokens[first].text):
            size = _whole_title_size(tokens, first, last, cues)
            if size == 0:
                break
            first += size
        elif tokens[first].key in cues.title_words:
            first += 1
        else:
            break
    return first, last


def _whole_title_size(tokens: list[Token], first: int, last: int, cues: Cues) -> int:
    """The number of words of the longest title that starts at word ``first`` and leaves
    a word of the span after it, else 0."""
    keys = tuple(token.key for token in tokens[first:last])
    return max((len(t) for t in cues.person_titles if keys[: len(t)] == t), default=0)


def _trim_particles(first: int, last: int, tokens: list[Token], cues: Cues) -> tuple[int, int]:
    while last > first and tokens[last].key in cues.particles:
        last -= 1
    return first, last


def _has_person_cue(
    text: str, tokens: list[Token], first: int, last: int, covered: dict[int, str], cues: Cues
) -> bool:
    """A speech verb right after the run, or a title or speech verb shortly before it."""
    after = tokens[last + 1].key if last + 1 < len(tokens) else ""
    return after in cues.speech_verbs or title_before(
        text, tokens, first, covered, cues, also=cues.speech_verbs
    )


def _add_or_merge(
    persons: list[NilPerson], text: str, tokens: list[Token], first: int, last: int
) -> None:
    keys = frozenset({tokens[first].key, tokens[last].key})
    for person in persons:
        if tokens[last].key in person.keys:
            person.spans.append((first, last))
            return
    label = text[tokens[first].start : name_end(text, tokens[first].start, tokens[last].end)]
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
