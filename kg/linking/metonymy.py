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
DATELINE_REACH = 40  # characters after "JAKARTA," in which a dateline's dash comes
DASHES = ("-", "–", "—")


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
        if before.key in cues.literal_before and not (
            before.key in cues.object_markers and _acting_verb_at(tokens, match.first - 2, cues)
        ):
            return False
        if before.key in cues.metonym_before or _passive_verb(before, cues):
            return True
        if _from_source(tokens, match, cues):
            return True  # "dukungan dari Yerevan", "pressure from Washington"
        if before.key in cues.acting_verbs:
            return True  # "accused Washington", "وقالت طهران" (Tehran said)
        if before.key in cues.object_markers and _acting_verb_at(tokens, match.first - 2, cues):
            return True  # "acusó a Kiev"
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


def _acting_verb_at(tokens: list[Token], position: int, cues: Cues) -> bool:
    return position >= 0 and tokens[position].key in cues.acting_verbs


def _verb_follows(text: str, tokens: list[Token], match: Match, cues: Cues) -> bool:
    """Does a verb come within a few lower-case words after the match, in the
    same clause ("Washington along with its allies demanded")?  In verb-final
    languages the verb closes the clause, after any words."""
    reach = SUBJECT_REACH * 2 if cues.verb_final else SUBJECT_REACH
    for position in range(match.last + 1, min(len(tokens), match.last + 1 + reach)):
        token = tokens[position]
        if not same_clause(text, match.end, token.start):
            return False
        if token.text[:1].isupper() and not cues.verb_final:
            return False
        if token.key in cues.acting_verbs or _looks_like_verb(token, cues):
            return True
    return False


def dateline(text: str, match: Match) -> bool:
    """ "JAKARTA, JITUNEWS.COM –", "Jakarta-Kalau bukan...": a city opening a
    line before a dash, or before a comma and then a dash (the source), is
    where the story was filed -- not "Moskova, Kiev yönetimini suçladı"."""
    line_start = text.rfind("\n", 0, match.start) + 1
    if text[line_start : match.start].strip() != "":
        return False
    following = text[match.end : match.end + 1]
    if following in DASHES:
        return True
    source = text[match.end : match.end + DATELINE_REACH].split("\n")[0]
    return following == "," and any(dash in source for dash in DASHES)


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
