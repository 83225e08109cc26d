"""Per-language lexicons: trigger words and patterns kept as data, compiled once.

Each language has one JSON file in ``kg/data/lexicons/<lang>.json`` (see the
README there for the schema, sources and licence).  The code in this package is
generic over them: adding a language means adding a file, not code.

Terms are written as plain words or phrases with two conveniences:

* a trailing ``*`` matches any word ending ("accus*" -> accused, accusation),
  which is how inflected languages (Russian, Turkish, German...) are handled;
* a leading ``*`` matches any word beginning (Arabic and Indonesian clitics);
* a lone ``*`` between words stands for one to four words ("lehnt * ab").

A term written entirely in capitals ("PM", "KTT") matches case-sensitively;
everything else ignores case.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from operator import itemgetter
from typing import Any, Generic, Protocol, TypeVar

from kg.gazetteer.normalize import UNSPACED
from kg.paths import DATA_DIR

LEXICON_DIR = DATA_DIR / "lexicons"
FALLBACK_LANGUAGE = "en"


# A letter of a word in scripts with combining marks: \w, and the marks and joiners \w
# leaves out: Latin combining accents, Arabic vowel marks, Devanagari's vowel signs and
# virama (its block whole but the dandas, ।॥, which end sentences), the Persian
# non-joiner.  So "हमला" is one word and "मार" is not found inside "कुमार".  Another
# Indic script's lexicon would add its block here.  Only term lists written with such
# marks use it: Python's re compiles a class range by range, and this class in every
# term of every lexicon made loading them six times slower.
WORD_CHAR = (
    "[\\w\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u0900-\u0963\u0966-\u097f\u200c\u200d]"
)
PLAIN_WORD_CHAR = r"\w"
_MARKED = re.compile(WORD_CHAR.replace("\\w", "", 1))  # a character of those scripts


def term_pattern(term: str, word_prefix: str = "", word: str = PLAIN_WORD_CHAR) -> str:
    """Regex source for one lexicon term, anchored at word boundaries; ``word`` is the
    class of a word's characters (``WORD_CHAR`` for scripts with combining marks)."""
    core = term.strip()
    open_start = core.startswith("*")
    open_end = core.endswith("*")
    core = core.strip("*")
    body = _phrase(core.split(), word)
    if open_start:
        body = word + "*" + body
    if open_end:
        body = body + word + "*"
    if core.isupper() and any(ch.isalpha() for ch in core):
        body = f"(?-i:{body})"
    # Word boundaries only where the term itself starts/ends with a letter of a script
    # written with spaces: "-led" must match inside "Russian-led", "U.S." before a space,
    # and "请求" inside "帕希尼扬请求集体安全条约组织" (Han and kana have no word boundary).
    left = f"(?<!{word})" if open_start or _spaced_letter(core[:1]) else ""
    right = f"(?!{word})" if open_end or _spaced_letter(core[-1:]) else ""
    return rf"{left}{word_prefix}{body}{right}"


def _spaced_letter(char: str) -> bool:
    return (char.isalnum() or re.match(WORD_CHAR, char) is not None) and not UNSPACED.match(char)


def _phrase(parts: list[str], letter: str = PLAIN_WORD_CHAR) -> str:
    """Words joined by white space; a lone ``*`` stands for one to four words
    (German separable verbs: "lehnt * ab" matches "lehnt den Antrag ab"), a
    star ending a word for any ending of that word (``letter``: a word's characters)."""
    out = ""
    for i, part in enumerate(parts):
        if part == "*":
            out += r"(?:\S+\s+){1,4}?"
            continue
        # A word's own trailing star is any ending ("lev* les sanctions",
        # "нанес* удар"): inflection inside a phrase, not only at its end.
        stem = part.endswith("*") and len(part) > 1
        word = part[:-1] if stem else part
        # An inner hyphen is optional or a space: "Secretary-General" == "Secretary General".
        out += r"(?:[-‐‑]|\s+)?".join(re.escape(piece) for piece in _inner_hyphen_split(word))
        if stem:
            out += letter + "*"
        if i + 1 < len(parts):
            out += r"\s+"
    return out


def _inner_hyphen_split(word: str) -> list[str]:
    """ "Secretary-General" -> two pieces; "-led" keeps its leading hyphen."""
    head = len(word) - len(word.lstrip("-"))
    tail = len(word) - len(word.rstrip("-"))
    inner = word[head : len(word) - tail] if tail else word[head:]
    pieces = inner.split("-") if inner else [""]
    pieces[0] = word[:head] + pieces[0]
    pieces[-1] = pieces[-1] + (word[len(word) - tail :] if tail else "")
    return pieces


def compile_terms(terms: list[str], word_prefix: str = "") -> Terms | None:
    """An index over ``terms`` (None for an empty list); the longest match wins."""
    if not terms:
        return None
    return TermIndex([(t, None) for t in dict.fromkeys(terms)], word_prefix)


@dataclass(frozen=True)
class Trigger:
    """One lexicon entry: the words that signal a PLOVER event and how to read it.

    ``voice`` says where the actor stands relative to the trigger word:
    ``active`` (before it), ``passive`` (after it, "dibantah oleh Yerevan"),
    ``nominal`` (right after a noun, "invasi Rusia ke Ukraina"), ``symmetric``
    (every side is an actor: clashes, talks, agreements) or ``mediation``
    (a third party between the others).
    """

    type: str
    mode: str | None
    context: tuple[str, ...]
    voice: str
    score: float


@dataclass(frozen=True)
class ModeCue:
    """Words near a trigger that refine its mode/context ("meminta bantuan" -> assist)."""

    type: str
    mode: str | None
    context: tuple[str, ...]
    pattern: Terms


V = TypeVar("V")

_WORD_START = re.compile(r"\w+")
_KEY = 4  # characters of a word's start that select the terms to try there


@dataclass(slots=True)
class TermMatch(Generic[V]):
    """A term found in a text, shaped like ``re.Match`` where the code needs it.

    Not frozen (nothing sets a field all the same): a frozen dataclass is built
    four times slower, and a scan builds one for every term it finds.
    """

    span_start: int
    span_end: int
    text: str
    value: V

    def start(self) -> int:
        return self.span_start

    def end(self) -> int:
        return self.span_end

    def group(self, _index: int = 0) -> str:
        return self.text


class MatchQueries(Generic[V]):
    """search / match / sub, answered from a subclass's ``finditer``."""

    def finditer(self, text: str) -> list[TermMatch[V]]:
        raise NotImplementedError

    def search(self, text: str) -> TermMatch[V] | None:
        found = self.finditer(text)
        return found[0] if found else None

    def match(self, text: str) -> TermMatch[V] | None:
        """A match that starts the text."""
        found = self.search(text)
        return found if found is not None and found.span_start == 0 else None

    def sub(self, replacement: str, text: str) -> str:
        out, cursor = [], 0
        for m in self.finditer(text):
            out.append(text[cursor : m.span_start] + replacement)
            cursor = m.span_end
        return "".join(out) + text[cursor:]


class TermIndex(MatchQueries[V]):
    """A list of terms (each with a value), found fast in any text.

    One alternation of hundreds of terms makes the regex engine try each at
    every position; instead each term is filed under the first letters of its
    first word and tried (``Pattern.match``) only at words that begin so.
    Terms without a literal start ("*...", "-led") are scanned for directly.
    """

    def __init__(self, terms: list[tuple[str, V]], word_prefix: str = ""):
        self.keyed: dict[str, list[tuple[re.Pattern[str], V]]] = {}
        self.unkeyed: list[tuple[re.Pattern[str], V]] = []
        # A literal piece each unkeyed term must contain: "*abkommen" is only
        # scanned for in texts that contain "abkommen" (None: always scanned).
        self.needles: list[str | None] = []
        self.stem_keys: set[str] = set()  # short stems: tried at every word they begin
        word = WORD_CHAR if any(_MARKED.search(term) for term, _ in terms) else PLAIN_WORD_CHAR
        for term, value in terms:
            pattern = re.compile(term_pattern(term, word_prefix, word), re.IGNORECASE)
            filed = _term_key(term)
            if filed is None:
                self.unkeyed.append((pattern, value))
                self.needles.append(_needle(term))
                continue
            key, short_stem = filed
            self.keyed.setdefault(key, []).append((pattern, value))
            if short_stem:
                self.stem_keys.add(key)
        self._last: tuple[str, list[TermMatch[V]]] | None = None
        # Terms to try at a word, by its head, for every head met so far, and
        # the heads among them that have any: most words of a text start no
        # term, and set operations skip them without a look-up each.
        self._candidates: dict[str, list[tuple[re.Pattern[str], V]]] = {}
        self._heads_with_terms: set[str] = set()
        # A head with many phrases ("the": "the bloc", "the alliance", "the two
        # countries"...) gets one pattern matching where any of them does: at
        # most of its words none does, and one try then replaces many.
        self._screens: dict[str, tuple[re.Pattern[str], list[tuple[re.Pattern[str], V]]]] = {}
        if not self.stem_keys:
            for key, filed_here in self.keyed.items():
                self._screen(key, filed_here)
        # Clitics (Arabic "و", "ال") may stand before a term's first letters.
        self.clitic_reach = 3 if word_prefix else 0

    def finditer(self, text: str) -> list[TermMatch[V]]:
        """Non-overlapping matches, leftmost first, the longest where several start together."""
        if self._last is not None and self._last[0] == text:
            return self._last[1]  # callers filter one sentence's matches by offset
        kept = self._finditer(text)
        self._last = (text, kept)
        return kept

    def _unkeyed(self, text: str) -> list[TermMatch[V]]:
        if not self.unkeyed:
            return []
        lowered = text.lower()
        return [
            TermMatch(m.start(), m.end(), m.group(0), value)
            for (pattern, value), needle in zip(self.unkeyed, self.needles, strict=True)
            if needle is None or needle in lowered
            for m in pattern.finditer(text)
        ]

    def _finditer(self, text: str) -> list[TermMatch[V]]:
        found = self._unkeyed(text)
        found.extend(self._keyed(text))
        found.sort(key=_leftmost_longest)
        kept: list[TermMatch[V]] = []
        for match in found:
            if not kept or match.span_start >= kept[-1].span_end:
                kept.append(match)
        return kept

    def finditer_grouped(
        self, text: str, group: Callable[[V], str]
    ) -> dict[str, list[TermMatch[V]]]:
        """Like ``finditer`` for each group of values (``group(value)``) separately."""
        found = self._unkeyed(text)
        found.extend(self._keyed(text))
        found.sort(key=_leftmost_longest)
        grouped: dict[str, list[TermMatch[V]]] = {}
        for match in found:
            kept = grouped.setdefault(group(match.value), [])
            if not kept or match.span_start >= kept[-1].span_end:
                kept.append(match)
        return grouped

    def finditer_by_value(self, text: str) -> dict[V, list[TermMatch[V]]]:
        """Like ``finditer`` for each value separately: lists sharing one index."""
        found = self._unkeyed(text)
        found.extend(self._keyed(text))
        found.sort(key=_leftmost_longest)
        grouped: dict[V, list[TermMatch[V]]] = {}
        for match in found:
            kept = grouped.setdefault(match.value, [])
            if not kept or match.span_start >= kept[-1].span_end:
                kept.append(match)
        return grouped

    def _keyed(self, text: str) -> list[TermMatch[V]]:
        heads = _word_heads(text, self.clitic_reach)
        # Without short stems a head's terms are exactly those filed under it.
        terms_at = self._candidates if self.stem_keys else self.keyed
        out = []
        for head in self._heads_to_try(heads):
            candidates = terms_at[head]
            screen = self._screens.get(head)
            for start in heads[head]:  # (start by start: equal matches keep their order)
                to_try = candidates
                if screen is not None and screen[0].match(text, start) is None:
                    to_try = screen[1]  # no phrase starts here: only single words can
                for pattern, value in to_try:
                    m = pattern.match(text, start)
                    if m:
                        end = m.end()
                        out.append(TermMatch(start, end, text[start:end], value))
        return out

    def _screen(self, head: str, candidates: list[tuple[re.Pattern[str], V]]) -> None:
        """One pattern for the phrases among a head's many terms, and the single
        words left to try when it fails ("the" of "the bloc" matches too often to
        gain from screening)."""
        phrases = [pattern.pattern for pattern, _ in candidates if r"\s" in pattern.pattern]
        if len(phrases) >= _SCREENED:
            any_phrase = re.compile("|".join(f"(?:{p})" for p in phrases), re.IGNORECASE)
            words = [
                (pattern, value) for pattern, value in candidates if r"\s" not in pattern.pattern
            ]
            self._screens[head] = (any_phrase, words)

    def _heads_to_try(self, heads: dict[str, list[int]]) -> Iterable[str]:
        """The heads of a text at which some term may start.

        Without clitics every word start has one head, so two matches at one
        start come from one head and the order of heads cannot change what
        ``_finditer`` keeps; with clitics one start has several heads, which
        keep their order in the text (the first of two equal matches wins).
        """
        # (Each operation iterates over the text's few heads, not the many known.)
        if not self.stem_keys:
            found = heads.keys() & self.keyed.keys()
        else:
            if not heads.keys() <= self._candidates.keys():
                self._learn_heads(heads)
            found = self._heads_with_terms.intersection(heads)
        if self.clitic_reach and len(found) > 1:
            return [head for head in heads if head in found]
        return found

    def _learn_heads(self, heads: Iterable[str]) -> None:
        """Work out the terms to try at each of ``heads`` not met before."""
        if len(self._candidates) > _CANDIDATE_CACHE:
            self._candidates.clear()
            self._heads_with_terms.clear()
            self._screens.clear()
        for head in heads:
            if head in self._candidates:
                continue
            candidates = self._candidates[head] = self._candidates_for(head)
            if candidates:
                self._heads_with_terms.add(head)
            self._screen(head, candidates)

    def _candidates_for(self, head: str) -> list[tuple[re.Pattern[str], V]]:
        """Terms to try at a word that begins with ``head``: those filed under
        it and under every short stem it starts with (worked out once per head)."""
        candidates = list(self.keyed.get(head, ()))
        for stem in self.stem_keys:
            if head.startswith(stem) and stem != head:
                candidates.extend(self.keyed[stem])
        return candidates


def _leftmost_longest(match: TermMatch[Any]) -> tuple[int, int]:
    """Sort key of raw matches: leftmost first, the longest first where several start together."""
    return match.span_start, match.span_start - match.span_end


def _needle(term: str) -> str | None:
    """The longest run of letters (and apostrophes: "n't") a term's every match
    contains, lower-cased, or a term of punctuation alone (";") as written; None
    where case folding could differ (dotted and dotless i) or nothing is literal."""
    literal = term.strip()
    if literal and not re.search(r"[\w\s*]", literal):
        return literal
    runs = re.findall(r"[\w']+", term.replace("*", " "))
    if not runs:
        return None
    needle = max(runs, key=len).lower()
    return None if len(needle) < 3 or any(ch in needle for ch in "iıİI") else needle


_CANDIDATE_CACHE = 200_000  # word heads remembered per index
_SCREENED = 10  # phrases under one head from which one screening try pays

_WORD_HEAD = re.compile(rf"(?<!\w)\w{{1,{_KEY}}}")


@lru_cache(maxsize=2048)
def _word_heads(text: str, clitic_reach: int) -> dict[str, list[int]]:
    """Where words start, by their first ``_KEY`` letters (a shorter word by all
    of it), after up to ``clitic_reach`` clitic letters: computed once per text
    and shared by every index."""
    heads: dict[str, list[int]] = {}
    # Turkish capital dotted I lower-cases to two characters ("i" and a combining dot):
    # read it as a plain "i" so that "İki ülke" is filed with "iki".
    lowered = text.replace("İ", "I").lower()
    if clitic_reach == 0 and len(lowered) == len(text):
        for m in _WORD_HEAD.finditer(lowered):
            heads.setdefault(m.group(), []).append(m.start())
        _add_unspaced_heads(text, heads)
        return heads
    for m in _WORD_START.finditer(text):
        word = m.group(0).replace("İ", "I").lower()
        for skip in range(min(clitic_reach, len(word) - 1) + 1):
            starts = heads.setdefault(word[skip : skip + _KEY], [])
            if not starts or starts[-1] != m.start():
                starts.append(m.start())
    _add_unspaced_heads(text, heads)
    return heads


def _add_unspaced_heads(text: str, heads: dict[str, list[int]]) -> None:
    """Every Han or kana character is a head of its own (terms in those scripts are
    filed under their first character): words there are not set apart by spaces."""
    if UNSPACED.search(text) is None:
        return
    for m in UNSPACED.finditer(text):
        starts = heads.setdefault(m.group(), [])
        if not starts or starts[-1] != m.start():
            starts.append(m.start())


class Terms(Protocol):
    """What extraction asks of a term list: found in a text, like a regex."""

    def finditer(self, text: str) -> list[TermMatch[Any]]: ...

    def search(self, text: str) -> TermMatch[Any] | None: ...

    def match(self, text: str) -> TermMatch[Any] | None: ...

    def sub(self, replacement: str, text: str) -> str: ...


class ListView(MatchQueries[Any]):
    """One named term list of a lexicon, answered from the lexicon's shared scan.

    Every list of a language sits in one index; a text is scanned once and each
    list reads its own matches from that scan (cached per text).
    """

    def __init__(self, lexicon: Lexicon, name: str):
        self.lexicon = lexicon
        self.name = name

    def finditer(self, text: str) -> list[TermMatch[Any]]:
        # list_hits' own first test, made here: a sentence asks it some twenty times.
        last = self.lexicon._last_hits
        hits = last[1] if last is not None and last[0] is text else self.lexicon.list_hits(text)
        return hits.get(self.name, [])


_HIT_CACHE = 4096
DATE_TABLES = ("dates.months", "dates.weekdays", "dates.relative")
_NOT_TERM_LISTS = frozenset({"_meta", "events", "mode_cues", "word_order", "word_prefix"})


def _is_word_form_list(name: str) -> bool:
    """Lists of word forms ("voice.passive_affix": "*ован", "*ена"...) are matched
    against one word at a time (``events._affix``), never searched in sentences:
    they stay out of the shared sentence scan, where every such suffix was a
    regex run over the whole sentence."""
    return name.endswith("_affix")


def _term_lists(node: Any, path: str = "") -> list[tuple[str, list[str]]]:
    """Every list of strings in a lexicon with its dotted name ("modality.negation")."""
    if isinstance(node, list) and all(isinstance(item, str) for item in node):
        return [(path, node)]
    if not isinstance(node, dict):
        return []
    out = []
    for key, value in node.items():
        if not path and key in _NOT_TERM_LISTS:
            continue
        out.extend(_term_lists(value, f"{path}.{key}" if path else key))
    return out


def _term_key(term: str) -> tuple[str, bool] | None:
    """How a term is filed: the first ``_KEY`` letters of its first word, and
    whether that key is only a prefix of the words to try (a short stem with a
    star, "tu*"); None for a term without a literal start ("*...", "-led").  A term in
    Han or kana, which have no word starts, is filed under its first character."""
    first = term.strip().split()[0] if term.strip() else ""
    literal = re.match(r"\w+", first)
    if literal is None or first.startswith("*"):
        return None
    if UNSPACED.match(first):
        return first[0], False  # Han and kana: tried wherever that character stands
    key = literal.group().lower()
    short_stem = len(key) < _KEY and first[len(key) : len(key) + 1] == "*"
    return key[:_KEY], short_stem


@dataclass
class Lexicon:
    """Everything language-specific that extraction needs, compiled."""

    lang: str
    raw: dict[str, Any]
    triggers: TermIndex[Trigger] | None
    mode_cues: list[ModeCue]
    word_lists: dict[str, Terms | None] = field(default_factory=dict)
    _all_lists: TermIndex[str] | None = None
    _hits: dict[str, dict[str, list[TermMatch[str]]]] = field(default_factory=dict)
    _last_hits: tuple[str, dict[str, list[TermMatch[str]]]] | None = None
    _folded: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _dates: TermIndex[tuple[str, Any]] | None = None
    _last_dates: tuple[str, dict[str, list[TermMatch[Any]]]] | None = None

    def words(self, name: str) -> Terms | None:
        """The term list ``name`` (None if the lexicon has no such list or it is empty)."""
        try:
            return self.word_lists[name]
        except KeyError:  # a list not asked for before
            found = self.word_lists[name] = self._list_terms(name) if self.terms(name) else None
            return found

    def _list_terms(self, name: str) -> Terms:
        """A non-empty term list: a view of the shared sentence scan, or an index of
        its own for a list that scan leaves out."""
        if _is_word_form_list(name):
            return TermIndex([(term, name) for term in self.terms(name)], self.word_prefix)
        return ListView(self, name)

    def compile_all(self) -> None:
        """Build every index now, so that the first document pays nothing extra."""
        self.list_hits("")
        self.date_words("")
        self.table_index("relations.demonyms")

    def list_hits(self, text: str) -> dict[str, list[TermMatch[str]]]:
        """Matches of every term list in ``text``, by list name (one scan, cached)."""
        last = self._last_hits
        if last is not None and last[0] is text:
            return last[1]  # the same sentence, asked again for another list
        found = self._hits.get(text)
        if found is None:
            if self._all_lists is None:
                pairs = [
                    (term, name)
                    for name, terms in _term_lists(self.raw)
                    if not _is_word_form_list(name)
                    for term in terms
                ]
                self._all_lists = TermIndex(pairs, self.word_prefix)
            if len(self._hits) > _HIT_CACHE:
                self._hits.clear()
            found = self._hits[text] = self._all_lists.finditer_by_value(text)
        self._last_hits = (text, found)
        return found

    def date_words(self, text: str) -> dict[str, list[TermMatch[Any]]]:
        """Matches of each date table (``DATE_TABLES``) in ``text``, by table name, each
        carrying the table's value: one scan for the three, which a date reads together."""
        last = self._last_dates
        if last is not None and last[0] is text:
            return last[1]
        if self._dates is None:
            pairs = [
                (term, (name, value))
                for name in DATE_TABLES
                for term, value in self.table(name).items()
            ]
            self._dates = TermIndex(pairs, self.word_prefix)
        found = {
            name: [TermMatch(m.span_start, m.span_end, m.text, m.value[1]) for m in matches]
            for name, matches in self._dates.finditer_grouped(text, itemgetter(0)).items()
        }
        self._last_dates = (text, found)
        return found

    def words_for(self, key: str, terms: list[str]) -> Terms | None:
        """Compiled alternation of ``terms``, cached under ``key``."""
        if key not in self.word_lists:
            self.word_lists[key] = compile_terms(terms, self.word_prefix)
        return self.word_lists[key]

    def table_index(self, name: str) -> Terms | None:
        """An index over the keys of table ``name`` whose matches carry the values."""
        key = f"table:{name}"
        if key not in self.word_lists:
            table = self.table(name)
            self.word_lists[key] = (
                TermIndex(list(table.items()), self.word_prefix) if table else None
            )
        return self.word_lists[key]

    def grouped_index(self, name: str) -> Terms | None:
        """An index over a table of term lists ({post: [terms]}); matches carry the key."""
        key = f"grouped:{name}"
        if key not in self.word_lists:
            pairs = [(term, group) for group, terms in self.table(name).items() for term in terms]
            self.word_lists[key] = TermIndex(pairs, self.word_prefix) if pairs else None
        return self.word_lists[key]

    def terms(self, name: str) -> list[str]:
        """A term list by dotted name, e.g. ``"modality.negation"``."""
        node: Any = self.raw
        for key in name.split("."):
            node = node.get(key, {}) if isinstance(node, dict) else {}
        return list(node) if isinstance(node, list) else []

    def folded_terms(self, name: str) -> tuple[str, ...]:
        """The term list ``name`` case-folded, for plain substring tests (folded
        once per list: boilerplate markers are tested on every line)."""
        if name not in self._folded:
            self._folded[name] = tuple(term.casefold() for term in self.terms(name))
        return self._folded[name]

    def table(self, name: str) -> dict[str, Any]:
        node: Any = self.raw
        for key in name.split("."):
            node = node.get(key, {}) if isinstance(node, dict) else {}
        return dict(node) if isinstance(node, dict) else {}

    @property
    def word_prefix(self) -> str:
        return str(self.raw.get("word_prefix", ""))


def _compile_triggers(raw: dict[str, Any], word_prefix: str) -> TermIndex[Trigger] | None:
    """Every event term of the lexicon, indexed for a fast scan."""
    terms: list[tuple[str, Trigger]] = []
    for item in raw.get("events", []):
        trigger = Trigger(
            type=item["type"],
            mode=item.get("mode"),
            context=tuple(item.get("context", [])),
            voice=item.get("voice", "active"),
            score=float(item.get("score", 0.7)),
        )
        terms.extend((term, trigger) for term in item["terms"])
    return TermIndex(terms, word_prefix) if terms else None


def _compile_mode_cues(raw: dict[str, Any], word_prefix: str) -> list[ModeCue]:
    cues = []
    for item in raw.get("mode_cues", []):
        pattern = compile_terms(item["terms"], word_prefix)
        if pattern is not None:
            cues.append(
                ModeCue(item["type"], item.get("mode"), tuple(item.get("context", [])), pattern)
            )
    return cues


def available_languages() -> list[str]:
    return sorted(p.stem for p in LEXICON_DIR.glob("*.json"))


# Languages read with a close relative's lexicon: language identification often
# labels Indonesian news as Malay.
LANGUAGE_ALIASES = {"ms": "id"}


@cache  # asked for every document; the lexicon files do not come and go during a run
def has_lexicon(lang: str) -> bool:
    """Whether ``lang`` has a lexicon of its own or of the language it is read as."""
    return (LEXICON_DIR / f"{LANGUAGE_ALIASES.get(lang, lang)}.json").exists()


def lexicon_language(lang: str) -> str:
    """The lexicon that serves ``lang``: its own, a close relative's, else English."""
    return LANGUAGE_ALIASES.get(lang, lang) if has_lexicon(lang) else FALLBACK_LANGUAGE


def load_lexicon(lang: str) -> Lexicon:
    """The compiled lexicon serving ``lang`` (compiled once per process).

    Languages without a lexicon fall back to English, whose triggers still catch
    English loan words and quotes; the fallback is logged by the caller.
    """
    return _load(lexicon_language(lang))


@cache
def _load(lang: str) -> Lexicon:
    path = LEXICON_DIR / f"{lang}.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    prefix = str(raw.get("word_prefix", ""))
    lexicon = Lexicon(
        lang=lang,
        raw=raw,
        triggers=_compile_triggers(raw, prefix),
        mode_cues=_compile_mode_cues(raw, prefix),
    )
    lexicon.compile_all()
    return lexicon
