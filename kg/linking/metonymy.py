"""Capital-city metonymy: does a capital stand for its state here?

"Yerevan denied", "ditengahi Moskow", "Tehran's accession", "dukungan dari
Yerevan": the capital speaks for its government.  "in Moscow", "(Ереван)",
a dateline: the city.  With no cue either way, the city.
"""

from __future__ import annotations

from kg.gazetteer.normalize import Token
from kg.linking.context import in_parentheses, opens_sentence, same_clause
from kg.linking.cues import Cues
from kg.linking.detect import Match

SUBJECT_REACH = 5  # words after a sentence-opening capital in which to look for its verb


def acts_as_state(text: str, tokens: list[Token], match: Match, cues: Cues) -> bool:
    """Does this capital stand for its state here ("Yerevan denied") rather
    than name the city ("in Moscow")?

    Literal cues win over acting cues; with neither, the capital is the city.
    """
    before = tokens[match.first - 1] if match.first > 0 else None
    after = tokens[match.last + 1] if match.last + 1 < len(tokens) else None
    if in_parentheses(text, match):
        return False
    if before is not None and same_clause(text, before.end, match.start):
        if before.key in cues.literal_before:
            return False
        if before.key in cues.metonym_before or _passive_verb(before, cues):
            return True
        if _from_source(tokens, match, cues):
            return True  # "dukungan dari Yerevan", "pressure from Washington"
        if cues.verb_first and before.key in cues.acting_verbs:
            return True  # "وقالت طهران": Tehran said
    if _possessive(match):
        return True  # "Tehran's accession", "Moscow's position"
    if after is not None and same_clause(text, match.end, after.start):
        if after.key in cues.literal_after:
            return False
        if after.key in cues.acting_verbs or after.key in cues.metonym_after:
            return True  # "Yerevan denied", "the Khartoum government"
        if opens_sentence(text, match.start) and _verb_follows(text, tokens, match, cues):
            return True  # the subject of its sentence: "Minsk applied", "Beijing menolak"
    return False


def _verb_follows(text: str, tokens: list[Token], match: Match, cues: Cues) -> bool:
    """Does a verb come within a few lower-case words after the match, in the
    same clause ("Washington along with its allies demanded")?"""
    for position in range(match.last + 1, min(len(tokens), match.last + 1 + SUBJECT_REACH)):
        token = tokens[position]
        if not same_clause(text, match.end, token.start) or token.text[:1].isupper():
            return False
        if token.key in cues.acting_verbs or _looks_like_verb(token, cues):
            return True
    return False


def dateline(text: str, match: Match) -> bool:
    """ "JAKARTA, JITUNEWS.COM –", "Jakarta-Kalau bukan...": a city opening a
    line before a comma or dash is where the story was filed."""
    line_start = text.rfind("\n", 0, match.start) + 1
    opens_line = text[line_start : match.start].strip() == ""
    return opens_line and text[match.end : match.end + 1] in (",", "-", "–", "—")


def _from_source(tokens: list[Token], match: Match, cues: Cues) -> bool:
    if match.first < 2:
        return False
    preposition, noun = tokens[match.first - 1], tokens[match.first - 2]
    return preposition.key in cues.source_prepositions and noun.key in cues.source_nouns


def _looks_like_verb(token: Token, cues: Cues) -> bool:
    return cues.verb_shape is not None and bool(cues.verb_shape.match(token.text))


def _possessive(match: Match) -> bool:
    tail = match.text[-2:].replace("’", "'")
    return tail == "'s" or match.text.endswith(("'", "’"))


def _passive_verb(token: Token, cues: Cues) -> bool:
    """Indonesian passive "di-" verbs take their agent right after:
    "gencatan senjata yang ditengahi Moskow"."""
    prefix = cues.passive_prefix
    return bool(
        prefix
        and token.text.startswith(prefix)
        and len(token.text) >= len(prefix) + 4
        and token.key not in cues.literal_before
    )
