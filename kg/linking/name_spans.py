"""Trained name scorers: which spans of words name a person, or an organization, the
knowledge base does not know.

News names many more people and bodies than any knowledge base holds (ministers and
spokespeople; ministries, commissions, parties, militias, police forces).  Such a name
shows by its shape and its company: a title before a person ("Bundeskanzlerin",
"la canciller boliviana,"), a speech verb after; a head word in an organization
("Ministerio", "Commission", "Partei"), a preposition before it.  Which shapes and
which company, in many languages, is learned from the annotated corpus rather than
listed by hand.  A ``NameShape`` says what a run of a kind of name may hold; every span
of one to ``max_span`` words inside such a run is a candidate (so a model also learns
where a name starts and ends: "Bundeskanzlerin Angela Merkel" holds the name "Angela
Merkel"), described by sparse features (``candidates``) and scored by a logistic
regression (``SpanModel``) trained by ``kg train-names`` (``name_training.py``).  The
chosen spans are the best-scoring ones at or above the model's threshold that do not
overlap.

In scripts without capital letters (Arabic, Persian, Devanagari, Hangul, Han) no run
of capitals marks where a name may be: there every span of a clause is a candidate
(``caseless_runs``), its features kept apart under a prefix of their own, and its
threshold its own (``name_training``).  Before, such names were found only by the
hand-written title rule; on held-out halves of the training split's Arabic, Persian,
Hindi, Korean, Chinese and Japanese documents the names found went from 0.044 to
0.342 F1 (Arabic) and from 0.221 to 0.335 (the others; docs/quality.md).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from kg.gazetteer.normalize import UNSPACED, Token
from kg.linear import BinaryModel
from kg.linking.cues import Cues, capitalised, name_like, title_before

SUFFIX = 3  # letters of a word's end kept as a feature (-ov, -ovic, -enko, -son)
FAMILY = 5  # letters of a word's start kept as its family ("minis", "comis", "parti")
MAX_JOINED = 2  # lower-case words in a row inside an organization's name ("of the")
CASELESS = "caseless|"  # the prefix of the features of spans in scripts without capitals

Scorer = TypeVar("Scorer", bound="SpanModel")


@dataclass(frozen=True)
class NameShape:
    """What the candidates of one kind of name look like."""

    max_span: int  # words of a candidate name
    max_run: int  # a run is cut after this many words: a name and its title fit in it
    # Organizations: lower-case joining words ("Office of the High Commissioner",
    # "Ministerio de Defensa") and acronyms ("CICPC") inside a run, and what the words
    # share across languages (their first letters, an organization's tail word).
    organization: bool = False
    # In Han and kana, where each character is a word, a run goes on from character to
    # character (``caseless_runs``); otherwise a run there is one character and no name
    # of the shape can be found in Chinese or Japanese.
    unspaced_runs: bool = True


@dataclass(frozen=True)
class NameContext:
    """A document as the name scorers read it."""

    text: str
    tokens: list[Token]
    covered: dict[int, str]  # word index -> type of the linked entity whose mention holds it
    cues: Cues
    lang: str

    def parts(self) -> tuple[str, list[Token], dict[int, str], Cues, str]:
        return self.text, self.tokens, self.covered, self.cues, self.lang


@dataclass(frozen=True)
class Candidate:
    """A span of words (token indexes, both inclusive) that could be a name."""

    first: int
    last: int
    features: tuple[str, ...]


def name_runs(
    text: str,
    tokens: list[Token],
    covered: dict[int, str],
    headline: set[int],
    cues: Cues,
    shape: NameShape,
) -> list[tuple[int, int]]:
    """Maximal runs of adjacent capitalised words, titles included (particles such as
    "bin" inside, and for organizations joining words and acronyms), outside linked
    mentions and headlines."""
    runs: list[tuple[int, int]] = []
    bridge = _bridge(cues, shape)
    free = 0  # the first word not yet in a run
    # Only a capitalised word starts a run: the others are skipped in one pass.
    for position in [k for k, token in enumerate(tokens) if token.text[:1].isupper()]:
        if (
            position < free
            or position in covered
            or position in headline
            or not _starts_name(tokens[position], cues, shape)
        ):
            continue
        last = position
        while last + 1 < len(tokens) and last + 1 - position < shape.max_run:
            following = _next_in_run(text, tokens, last, covered, cues, shape, bridge)
            if following is None:
                break
            last = following
        runs.append((position, last))
        free = last + 1
    return runs


def caseless_runs(
    text: str, tokens: list[Token], covered: dict[int, str], unspaced: bool = True
) -> list[tuple[int, int]]:
    """Maximal runs of adjacent words of scripts without capital letters (Arabic,
    Persian, Devanagari, Hangul, Han), outside linked mentions.

    There a name shows by its words and its company only, so every span of such a run is
    a candidate for the trained scorers, never for the hand-written cue rules (which read
    capitals).  A run stops at punctuation, a line break or a linked mention; in Han and
    kana, where nothing stands between words, touching characters continue it only where
    ``unspaced`` (``NameShape.unspaced_runs``)."""
    runs: list[tuple[int, int]] = []
    for position, token in enumerate(tokens):
        if position in covered or not caseless(token):
            continue
        if (
            runs
            and runs[-1][1] == position - 1
            and _adjacent(text, tokens[position - 1], token, unspaced)
        ):
            runs[-1] = (runs[-1][0], position)
        else:
            runs.append((position, position))
    return runs


def caseless(token: Token) -> bool:
    """Is this a word of a script without capital letters?"""
    initial = token.text[:1]
    return initial.isalpha() and initial.upper() == initial.lower()


def _starts_name(token: Token, cues: Cues, shape: NameShape) -> bool:
    """Could this word be in a name of the shape?  A person's: capitalised, and not a
    word that never names one ("Monday", "The", "Ministry": ``cues.non_names``).  An
    organization's: those, an institution's word ("Ministry", "Kementerian") or an
    acronym ("UNHCR")."""
    if not token.text[:1].isupper():  # most words: the one test they need
        return False
    if shape.organization and (token.key in cues.institution_words or _acronym(token)):
        return True
    return capitalised(token, cues)


def _acronym(token: Token) -> bool:
    word = token.text
    return len(word) > 1 and word.isupper() and any(ch.isalpha() for ch in word)


def _bridge(cues: Cues, shape: NameShape) -> frozenset[str]:
    """The lower-case words a name of the shape may hold between its name words
    ("bin"; for organizations also "of", "de"), but not start or end on."""
    return cues.particles | cues.joining_words if shape.organization else cues.particles


def _next_in_run(
    text: str,
    tokens: list[Token],
    last: int,
    covered: dict[int, str],
    cues: Cues,
    shape: NameShape,
    bridge: frozenset[str],
) -> int | None:
    """The last word of the run's next step after word ``last``: the next name word,
    or the name word after ``bridge`` words between; None where the run ends."""
    reach = MAX_JOINED if shape.organization else 1
    following = last + 1
    for _ in range(reach + 1):
        if (
            following >= len(tokens)
            or following in covered
            or not _adjacent(text, tokens[following - 1], tokens[following])
        ):
            return None
        if _starts_name(tokens[following], cues, shape):
            return following
        if tokens[following].key not in bridge:
            return None
        following += 1
    return None


def _adjacent(text: str, left: Token, right: Token, unspaced: bool = True) -> bool:
    """Whether two words stand next to each other within a name: a space or a hyphen
    apart, or in Han and kana, where each character is a word of its own, touching or
    joined by a middle dot ("姆努钦", "彼得·勒纳", "ウラジーミル・プーチン")."""
    gap = text[left.end : right.start]
    if gap in (" ", "-", "\u00a0"):
        return True
    return (
        unspaced
        and gap in _UNSPACED_JOINS
        and bool(UNSPACED.match(left.text[-1:]) and UNSPACED.match(right.text[:1]))
    )


_UNSPACED_JOINS = frozenset({"", "·", "・", "‧"})


def candidates(
    context: NameContext, runs: list[tuple[int, int]], shape: NameShape
) -> list[Candidate]:
    """Every span of up to ``shape.max_span`` words inside one of ``runs``
    (``name_runs``), not starting or ending on a particle, with what a model sees of
    it: its words, their endings and shape, where it stands in its run, the words and
    linked entities before it, the word after it, the punctuation around it, and
    whether the hand-written cues (a title before, a speech verb after) would call it
    a person.  (What stands before and after a word is computed once per word, not per
    span.)"""
    bridge = _bridge(context.cues, shape)
    found: list[Candidate] = []
    for run in runs:
        words, before, after = _run_features(context, run, shape)
        for first, last, ends in _spans(context.tokens, run, bridge, shape.max_span):
            if not ends:
                continue
            features = _span_shape(context.tokens, (first, last), run, context.lang)
            for k in range(first, last + 1):
                features += words[k]
            features += before[first] + after[last]
            found.append(Candidate(first, last, tuple(dict.fromkeys(features))))
    return found


RunFeatures = tuple[dict[int, list[str]], dict[int, list[str]], dict[int, list[str]]]


def _run_features(context: NameContext, run: tuple[int, int], shape: NameShape) -> RunFeatures:
    """Each word of ``run``: its own features, those of what stands before it (when a
    span starts there) and after it (when a span ends there)."""
    text, tokens, covered, cues, lang = context.parts()
    positions = range(run[0], run[1] + 1)
    features = (
        {k: _word_features(tokens[k], cues, shape) for k in positions},
        {k: _before(text, tokens, k, covered, cues, lang) for k in positions},
        {k: _after(text, tokens, k, covered, cues, lang) for k in positions},
    )
    if caseless(tokens[run[0]]):
        # Every span of a clause is a candidate there, a population of its own: its
        # features are kept apart, so it does not move the weights capitals earned.
        return _with_prefix(features[0]), _with_prefix(features[1]), _with_prefix(features[2])
    return features


def _with_prefix(by_word: dict[int, list[str]]) -> dict[int, list[str]]:
    return {k: [CASELESS + feature for feature in features] for k, features in by_word.items()}


def _spans(
    tokens: list[Token], run: tuple[int, int], bridge: frozenset[str], max_span: int
) -> Iterator[tuple[int, int, bool]]:
    """(first, last, ends) for each first word of ``run`` that is not a ``bridge``
    word and each last word after it up to ``max_span`` words, in order; ``ends`` is
    False where the last word is a bridge word: the span runs on past it, but no
    candidate ends there."""
    run_first, run_last = run
    for first in range(run_first, run_last + 1):
        if tokens[first].key in bridge:
            continue
        for last in range(first, min(run_last, first + max_span - 1) + 1):
            yield first, last, tokens[last].key not in bridge


def _span_shape(
    tokens: list[Token], span: tuple[int, int], run: tuple[int, int], lang: str
) -> list[str]:
    first, last = span
    length = min(last - first + 1, 4)
    script = CASELESS if caseless(tokens[first]) else ""  # as in ``_run_features``
    return [
        f"{script}bias",
        f"{script}len={length}",
        f"{script}len={length}|{lang}",
        f"{script}run_start={first == run[0]}",
        f"{script}run_end={last == run[1]}",
        f"{script}first={tokens[first].key}",
        f"{script}last={tokens[last].key}",
        f"{script}last_suffix={tokens[last].key[-SUFFIX:]}",
        f"{script}first_suffix={tokens[first].key[-SUFFIX:]}",
    ]


def _word_features(token: Token, cues: Cues, shape: NameShape) -> list[str]:
    features = [f"word={token.key}"]
    if "-" in token.text:
        features.append("hyphenated")
    if token.key in cues.title_words if caseless(token) else not name_like(token, cues):
        features.append("holds_title_word")  # "Presiden", "Bundeskanzler" inside the span
    if shape.organization:
        if len(token.key) > FAMILY:
            # "ministerio", "ministère", "ministry": one family across languages.
            features.append(f"family={token.key[:FAMILY]}")
        if _acronym(token):
            features.append("acronym")
        if token.key in cues.org_tails or token.key in cues.org_heads:
            features.append("organization_word")
        if token.key in cues.joining_words:
            features.append("joined")
    return features


def _before(
    text: str, tokens: list[Token], first: int, covered: dict[int, str], cues: Cues, lang: str
) -> list[str]:
    if first == 0:
        return ["prev=<start>"]
    gap = text[tokens[first - 1].end : tokens[first].start].strip()
    features = [f"prev_punct={gap[:2]}" if gap else "prev_punct=none"]
    if "\n" in text[tokens[first - 1].end : tokens[first].start]:
        return [*features, "prev=<line>"]
    previous = tokens[first - 1]
    features += [f"prev={previous.key}", f"prev={previous.key}|{lang}"]
    if first - 1 in covered:
        features.append(f"prev_entity={covered[first - 1]}")
    if first >= 2 and not gap:
        features.append(f"prev2={tokens[first - 2].key}|{previous.key}")
        if first - 2 in covered:
            features.append(f"prev2_entity={covered[first - 2]}")
    if title_before(text, tokens, first, covered, cues):
        features.append("title_before")
    if caseless(tokens[first]) and _title_near(text, tokens, first, cues):
        features.append("title_near")
    return features


TITLE_REACH = 3  # "وزير الداخلية الأردني ...": a title, then what it is minister of
CONJUNCTIONS = ("و", "ف")  # Arabic "and", "so", written joined to the next word


def _title_near(text: str, tokens: list[Token], first: int, cues: Cues) -> bool:
    """Is a title word among the few words right before, in the same clause?  Where no
    capitals show where a title ends, its complement ("of the interior") stands between
    it and the name."""
    for k in range(first - 1, max(-1, first - 1 - TITLE_REACH), -1):
        if text[tokens[k].end : tokens[k + 1].start].strip():
            return False
        key = tokens[k].key
        if key in cues.title_words or (
            key.startswith(CONJUNCTIONS) and key[1:] in cues.title_words
        ):
            return True
    return False


def _after(
    text: str, tokens: list[Token], last: int, covered: dict[int, str], cues: Cues, lang: str
) -> list[str]:
    if last + 1 >= len(tokens):
        return ["next=<end>"]
    gap = text[tokens[last].end : tokens[last + 1].start].strip()
    following = tokens[last + 1]
    features = [f"next_punct={gap[:2]}" if gap else "next_punct=none"]
    if not gap:
        features.append(f"next={following.key}|{lang}")
        if following.key in cues.speech_verbs:
            features.append("speech_after")
    if last + 1 in covered:
        features.append(f"next_entity={covered[last + 1]}")
    return features


class SpanModel(BinaryModel):
    """Weights per span feature; the threshold a probability of being a name.  Each kind
    of name subclasses it with its file format's name."""

    model_format: ClassVar[str]

    def to_json(self) -> dict[str, Any]:
        return self.model_json(self.model_format)

    @classmethod
    def read_file(cls: type[Scorer], path: Path) -> Scorer:
        """The model in ``path``; ValueError if it is of another format or its threshold
        would make every span a name."""
        model = cls.read(path, cls.model_format)
        if model.threshold == 0:
            raise ValueError(f"{path}: threshold {model.threshold} is not a probability")
        return model

    def choose(self, found: list[Candidate]) -> list[tuple[int, int]]:
        """The best-scoring candidates at or above the threshold that overlap no better
        one, in text order."""
        return self.choose_scored([(self.probability(c.features), c.first, c.last) for c in found])

    def choose_scored(self, scored: list[tuple[float, int, int]]) -> list[tuple[int, int]]:
        """``choose`` over (probability, first, last) triples (``span_probabilities``)."""
        taken: set[int] = set()
        chosen: list[tuple[int, int]] = []
        for probability, first, last in sorted(scored, key=lambda s: (-s[0], s[1], s[2])):
            if probability < self.threshold:
                break
            if any(k in taken for k in range(first, last + 1)):
                continue
            taken.update(range(first, last + 1))
            chosen.append((first, last))
        return sorted(chosen)

    def span_probabilities(
        self, context: NameContext, runs: list[tuple[int, int]], shape: NameShape
    ) -> list[tuple[float, int, int]]:
        """(probability, first, last) of every candidate of ``candidates``, without
        building each span's feature list (run time; the same figures).  A span's
        features are its shape's, the union of its words' and those around its ends
        (``candidates``: the kinds never share a name), so for each first word the
        words' weights are summed once as the span grows, each feature counted once."""
        weight = self.weights.get
        bridge = _bridge(context.cues, shape)
        found: list[tuple[float, int, int]] = []
        for run in runs:
            words, before, after = _run_features(context, run, shape)
            starting = {k: _sum(weight, features) for k, features in before.items()}
            ending = {k: _sum(weight, features) for k, features in after.items()}
            seen: set[str] = set()
            inside = 0.0
            for first, last, ends in _spans(context.tokens, run, bridge, shape.max_span):
                if last == first:  # a new first word: its spans' words start anew
                    seen, inside = set(), 0.0
                for feature in words[last]:
                    if feature not in seen:
                        seen.add(feature)
                        inside += weight(feature, 0.0)
                if not ends:
                    continue
                shape_features = _span_shape(context.tokens, (first, last), run, context.lang)
                score = (
                    self.intercept
                    + _sum(weight, shape_features)
                    + inside
                    + starting[first]
                    + ending[last]
                )
                found.append((1.0 / (1.0 + math.exp(-score)), first, last))
        return found


def _sum(weight: Callable[[str, float], float], features: list[str]) -> float:
    return sum(weight(f, 0.0) for f in features)
