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
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from kg.paths import DATA_DIR

LEXICON_DIR = DATA_DIR / "lexicons"
FALLBACK_LANGUAGE = "en"


def term_pattern(term: str, word_prefix: str = "") -> str:
    """Regex source for one lexicon term, anchored at word boundaries."""
    core = term.strip()
    open_start = core.startswith("*")
    open_end = core.endswith("*")
    core = core.strip("*")
    body = _phrase(core.split())
    if open_start:
        body = r"\w*" + body
    if open_end:
        body = body + r"\w*"
    if core.isupper() and any(ch.isalpha() for ch in core):
        body = f"(?-i:{body})"
    # Word boundaries only where the term itself starts/ends with a letter:
    # "-led" must match inside "Russian-led", "U.S." before a space.
    left = r"(?<!\w)" if open_start or core[:1].isalnum() else ""
    right = r"(?!\w)" if open_end or core[-1:].isalnum() else ""
    return rf"{left}{word_prefix}{body}{right}"


def _phrase(parts: list[str]) -> str:
    """Words joined by white space; a lone ``*`` stands for one to four words
    (German separable verbs: "lehnt * ab" matches "lehnt den Antrag ab")."""
    out = ""
    for i, part in enumerate(parts):
        if part == "*":
            out += r"(?:\S+\s+){1,4}?"
            continue
        # An inner hyphen is optional or a space: "Secretary-General" == "Secretary General".
        out += r"(?:[-‐‑]|\s+)?".join(re.escape(piece) for piece in _inner_hyphen_split(part))
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


def compile_terms(terms: list[str], word_prefix: str = "") -> re.Pattern[str] | None:
    """One alternation over ``terms``, longest first so that phrases win."""
    if not terms:
        return None
    ordered = sorted(set(terms), key=len, reverse=True)
    return re.compile("|".join(term_pattern(t, word_prefix) for t in ordered), re.IGNORECASE)


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
    pattern: re.Pattern[str]


@dataclass
class Lexicon:
    """Everything language-specific that extraction needs, compiled."""

    lang: str
    raw: dict[str, Any]
    triggers: re.Pattern[str] | None
    trigger_entries: list[Trigger]
    mode_cues: list[ModeCue]
    word_lists: dict[str, re.Pattern[str] | None] = field(default_factory=dict)

    def words(self, name: str) -> re.Pattern[str] | None:
        """Compiled alternation of the term list ``name`` (None if the list is empty)."""
        if name not in self.word_lists:
            self.word_lists[name] = compile_terms(self.terms(name), self.word_prefix)
        return self.word_lists[name]

    def words_for(self, key: str, terms: list[str]) -> re.Pattern[str] | None:
        """Compiled alternation of ``terms``, cached under ``key``."""
        if key not in self.word_lists:
            self.word_lists[key] = compile_terms(terms, self.word_prefix)
        return self.word_lists[key]

    def terms(self, name: str) -> list[str]:
        """A term list by dotted name, e.g. ``"modality.negation"``."""
        node: Any = self.raw
        for key in name.split("."):
            node = node.get(key, {}) if isinstance(node, dict) else {}
        return list(node) if isinstance(node, list) else []

    def table(self, name: str) -> dict[str, Any]:
        node: Any = self.raw
        for key in name.split("."):
            node = node.get(key, {}) if isinstance(node, dict) else {}
        return dict(node) if isinstance(node, dict) else {}

    @property
    def word_prefix(self) -> str:
        return str(self.raw.get("word_prefix", ""))

    def trigger_at(self, match: re.Match[str]) -> Trigger:
        """The entry whose term produced ``match`` (group ``t<index>``)."""
        assert match.lastgroup is not None
        return self.trigger_entries[int(match.lastgroup[1:])]


def _compile_triggers(
    raw: dict[str, Any], word_prefix: str
) -> tuple[re.Pattern[str] | None, list[Trigger]]:
    """One regex with a named group per term, so a single scan finds every trigger."""
    entries: list[Trigger] = []
    alternatives: list[tuple[str, int]] = []
    for item in raw.get("events", []):
        trigger = Trigger(
            type=item["type"],
            mode=item.get("mode"),
            context=tuple(item.get("context", [])),
            voice=item.get("voice", "active"),
            score=float(item.get("score", 0.7)),
        )
        for term in item["terms"]:
            alternatives.append((term, len(entries)))
            entries.append(trigger)
    if not alternatives:
        return None, entries
    alternatives.sort(key=lambda pair: len(pair[0]), reverse=True)
    source = "|".join(f"(?P<t{i}>{term_pattern(term, word_prefix)})" for term, i in alternatives)
    return re.compile(source, re.IGNORECASE), entries


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


@cache
def load_lexicon(lang: str) -> Lexicon:
    """The compiled lexicon of ``lang`` (cached: compiled once per process).

    Languages without a lexicon fall back to English, whose triggers still catch
    English loan words and quotes; the fallback is logged by the caller.
    """
    path = LEXICON_DIR / f"{lang}.json"
    if not path.exists():
        path = LEXICON_DIR / f"{FALLBACK_LANGUAGE}.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    prefix = str(raw.get("word_prefix", ""))
    triggers, entries = _compile_triggers(raw, prefix)
    return Lexicon(
        lang=lang,
        raw=raw,
        triggers=triggers,
        trigger_entries=entries,
        mode_cues=_compile_mode_cues(raw, prefix),
    )
