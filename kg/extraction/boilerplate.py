"""Which parts of a page are the article: boilerplate is recognised by its shape.

News pages paste in things that are not the story: headlines of other articles
between paragraphs, "Baca Juga:"/"Read more:" teasers, bylines, photo captions
and credits, "this article comes from ..." source lines.  None of them may
produce events.  They are detected by shape (a lone title-cased line without
sentence punctuation, a line of ``|``-separated capitals, a lead-in marker from
the language's lexicon) -- never by matching the text of a particular headline.
"""

from __future__ import annotations

import re

from kg.extraction.lexicon import Lexicon
from kg.model import Document, Span
from kg.text import lines, sentences

_SENTENCE_PUNCTUATION = frozenset(".!?…»”\"'):;")
_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
# A teaser glued to the next paragraph: "...Jadi SasaranFinlandia bergabung".
_GLUED_SENTENCE = re.compile(r"(?<=[a-zà-ÿа-я])(?=[A-ZÀ-ÞА-Я][a-zà-ÿа-я])")
# Short function words that stay lower case inside a title ("of", "di", "dan").
_MAX_TITLE_WORDS = 18
_MARKER_REACH = 40
_MAX_BYLINE = 160


def content_sentences(doc: Document, lex: Lexicon, keep_captions: bool = False) -> list[Span]:
    """Sentences of the article proper, in document order.

    ``keep_captions`` keeps photo captions: they report no events of the story
    but do name people with their posts ("US Secretary of State Antony Blinken").
    """
    article, captions = split_sentences(doc, lex)
    if not keep_captions:
        return article
    return sorted(article + captions, key=lambda span: span.start)


def split_sentences(doc: Document, lex: Lexicon) -> tuple[list[Span], list[Span]]:
    """(article sentences, caption sentences); every other kind of boilerplate dropped."""
    article: list[Span] = []
    captions: list[Span] = []
    for line in _body_lines(doc):
        kept, is_caption = content_part(line, lex)
        if kept is None:
            continue
        into = captions if is_caption else article
        into.extend(sentences(doc.text, kept.start, kept.end))
    return article, captions


def _body_lines(doc: Document) -> list[Span]:
    if not doc.body:
        return lines(doc.text)
    return [ln for span in doc.body for ln in _lines_within(doc.text, span)]


def _lines_within(text: str, span: Span) -> list[Span]:
    return [Span(s.start + span.start, s.end + span.start, s.text) for s in lines(span.text)]


def content_part(line: Span, lex: Lexicon) -> tuple[Span | None, bool]:
    """The part of ``line`` that is article text or a photo caption, and whether it
    is a caption; (None, False) for any other boilerplate line."""
    text = line.text
    captions = lex.folded_terms("boilerplate.caption")
    if _starts_with(lex.folded_terms("boilerplate.read_more"), text):
        kept = _after_glued_teaser(line)
        return kept, kept is not None and _contains(captions, kept.text.casefold())
    folded = text.casefold()
    if _contains(lex.folded_terms("boilerplate.source_line"), folded):
        return None, False
    if is_byline(text):
        return None, False
    if _contains(captions, folded):
        return line, True
    if looks_like_pasted_headline(text):
        return None, False
    return line, False


def looks_like_pasted_headline(text: str) -> bool:
    """A short line without sentence punctuation whose words are mostly Capitalised."""
    if _ends_like_a_sentence(text):
        return False
    words = _WORD.findall(text)
    if not 2 <= len(words) <= _MAX_TITLE_WORDS:
        return False
    capitalised = sum(1 for w in words if w[0].isupper())
    long_words = [w for w in words if len(w) > 3]
    long_capitalised = sum(1 for w in long_words if w[0].isupper())
    return capitalised / len(words) >= 0.6 and (
        not long_words or long_capitalised / len(long_words) >= 0.75
    )


def _ends_like_a_sentence(text: str) -> bool:
    """Whether the last character before any trailing white space is sentence punctuation."""
    return text.rstrip()[-1:] in _SENTENCE_PUNCTUATION


def is_byline(text: str) -> bool:
    """ "RABU, 29 JANUARI 2025 | 17:09 WIB | LAPORAN: ..." -- pipes and capitals."""
    if text.count("|") >= 2:
        return True
    if len(text) > _MAX_BYLINE or _ends_like_a_sentence(text):
        return False  # (the cheap tests first: most short lines are sentences)
    letters = list(filter(str.isalpha, text))  # (built-in filter and map: no Python loop)
    return len(letters) >= 8 and sum(map(str.isupper, letters)) / len(letters) > 0.8


def _after_glued_teaser(line: Span) -> Span | None:
    """Keep what follows a teaser glued to the next sentence without a space."""
    match = _GLUED_SENTENCE.search(line.text)
    if match is None:
        return None
    cut = match.start()
    return Span(line.start + cut, line.end, line.text[cut:])


def _starts_with(markers: tuple[str, ...], text: str) -> bool:
    """Markers are literal phrases ("Baca Juga", "Read more"), compared without case:
    a plain string test, not a scan of the whole paragraph.  ``markers`` are case-folded."""
    head = text.lstrip()[:_MARKER_REACH].casefold()
    return head.startswith(markers)


def _contains(markers: tuple[str, ...], folded: str) -> bool:
    """Whether ``folded`` (a case-folded text) contains one of ``markers`` (case-folded)."""
    return any(marker in folded for marker in markers)
