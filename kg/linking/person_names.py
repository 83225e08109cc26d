"""The trained person-name scorer: which runs of capitalised words name a person.

The knowledge base knows a few thousand politicians; news names many more people
(ministers, spokespeople, governors, commanders).  Such a name shows by its shape (two or
three capitalised words) and by its company: a title before it ("Bundeskanzlerin",
"la canciller boliviana,", "Juru Bicara Kementerian Luar Negeri China"), a speech verb
after it.  Which titles and which company, in nine languages, is learned from the
annotated corpus rather than listed by hand: every span of one to ``MAX_SPAN`` words
inside a run of name-like words is a candidate (so the model also learns where a name
starts: "Bundeskanzlerin Angela Merkel" holds the name "Angela Merkel"), described by
sparse features (``candidates``), and scored by a logistic regression trained by
``kg train-names`` (``person_training.py``) on the corpus's training split.  The chosen
spans are the best-scoring ones at or above the model's threshold that do not overlap.

Stored as plain JSON in ``kg/data/models/person-names.json`` (weights per feature, an
intercept, a threshold chosen on out-of-fold probabilities of the training data).
Without a model file, the hand-written cue rule of ``nil.py`` decides alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from kg.gazetteer.normalize import Token
from kg.linear import BinaryModel, model_file
from kg.linking.cues import Cues, capitalised, name_like, title_before
from kg.paths import DATA_DIR

MODEL_PATH = DATA_DIR / "models" / "person-names.json"
MODEL_ENV = "GEOKG_PERSON_MODEL"
MODEL_FORMAT = "geokg-person-names/1"
MAX_SPAN = 5  # words of a candidate name ("Mohammed bin Abdulrahman Al-Thani" is 4)
MAX_RUN = 8  # a run is cut after this many words: a name and its title fit in it
SUFFIX = 3  # letters of a word's end kept as a feature (-ov, -ovic, -enko, -son)


@dataclass(frozen=True)
class Candidate:
    """A span of words (token indexes, both inclusive) that could name a person."""

    first: int
    last: int
    features: tuple[str, ...]


def name_runs(
    text: str, tokens: list[Token], covered: dict[int, str], headline: set[int], cues: Cues
) -> list[tuple[int, int]]:
    """Maximal runs of adjacent capitalised words, titles included (particles such as
    "bin" inside), outside linked mentions and headlines."""
    runs: list[tuple[int, int]] = []
    position = 0
    while position < len(tokens):
        if position in covered or position in headline or not capitalised(tokens[position], cues):
            position += 1
            continue
        last = position
        while last + 1 < len(tokens) and last + 1 - position < MAX_RUN:
            following = last + 1
            if following in covered or not _adjacent(text, tokens[last], tokens[following]):
                break
            if capitalised(tokens[following], cues):
                last = following
            elif (
                tokens[following].key in cues.particles
                and following + 1 < len(tokens)
                and following + 1 not in covered
                and capitalised(tokens[following + 1], cues)
            ):
                last = following + 1
            else:
                break
        runs.append((position, last))
        position = last + 1
    return runs


def _adjacent(text: str, left: Token, right: Token) -> bool:
    return text[left.end : right.start] in (" ", "-", "\u00a0")


def candidates(
    text: str,
    tokens: list[Token],
    covered: dict[int, str],
    cues: Cues,
    lang: str,
    runs: list[tuple[int, int]],
) -> list[Candidate]:
    """Every span of up to ``MAX_SPAN`` words inside one of ``runs`` (``name_runs``),
    with what the model sees of it: its words, their endings and shape, where it
    stands in its run, the words and linked entities before it, the word after it, the
    punctuation around it, and whether the hand-written cues (a title before, a speech
    verb after) would call it a person.  (What stands before and after a word is
    computed once per word, not per span.)"""
    found: list[Candidate] = []
    for run in runs:
        run_first, run_last = run
        words = {k: _word_features(tokens[k], cues) for k in range(run_first, run_last + 1)}
        before = {k: _before(text, tokens, k, covered, cues, lang) for k in words}
        after = {k: _after(text, tokens, k, covered, cues, lang) for k in words}
        for first in range(run_first, run_last + 1):
            if tokens[first].key in cues.particles:
                continue
            for last in range(first, min(run_last, first + MAX_SPAN - 1) + 1):
                if tokens[last].key in cues.particles:
                    continue
                features = _span_shape(tokens, (first, last), run, lang)
                for k in range(first, last + 1):
                    features += words[k]
                features += before[first] + after[last]
                found.append(Candidate(first, last, tuple(dict.fromkeys(features))))
    return found


def _span_shape(
    tokens: list[Token], span: tuple[int, int], run: tuple[int, int], lang: str
) -> list[str]:
    first, last = span
    length = min(last - first + 1, 4)
    return [
        "bias",
        f"len={length}",
        f"len={length}|{lang}",
        f"run_start={first == run[0]}",
        f"run_end={last == run[1]}",
        f"first={tokens[first].key}",
        f"last={tokens[last].key}",
        f"last_suffix={tokens[last].key[-SUFFIX:]}",
        f"first_suffix={tokens[first].key[-SUFFIX:]}",
    ]


def _word_features(token: Token, cues: Cues) -> list[str]:
    features = [f"word={token.key}"]
    if "-" in token.text:
        features.append("hyphenated")
    if not name_like(token, cues):
        features.append("holds_title_word")  # "Presiden", "Bundeskanzler" inside the span
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
    return features


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


class PersonNameModel(BinaryModel):
    """Weights per span feature; the threshold a probability of naming a person."""

    def choose(self, found: list[Candidate]) -> list[tuple[int, int]]:
        """The best-scoring candidates at or above the threshold that overlap no better
        one, in text order."""
        scored = sorted(
            ((self.probability(c.features), c.first, c.last) for c in found),
            key=lambda item: (-item[0], item[1], item[2]),
        )
        taken: set[int] = set()
        chosen: list[tuple[int, int]] = []
        for probability, first, last in scored:
            if probability < self.threshold:
                break
            if any(k in taken for k in range(first, last + 1)):
                continue
            taken.update(range(first, last + 1))
            chosen.append((first, last))
        return sorted(chosen)

    def to_json(self) -> dict[str, Any]:
        return self.model_json(MODEL_FORMAT)


def read_model(path: Path) -> PersonNameModel:
    model = PersonNameModel.read(path, MODEL_FORMAT)
    if model.threshold == 0:  # every span would be a name
        raise ValueError(f"{path}: threshold {model.threshold} is not a probability")
    return model


@cache
def default_model() -> PersonNameModel | None:
    """The packaged model (or the one ``$GEOKG_PERSON_MODEL`` names), or None before one
    has been trained: then the cue rule alone finds names."""
    path = model_file(MODEL_ENV, MODEL_PATH)
    return read_model(path) if path else None
