"""What geokg reads in each language, said per document.

Linking works in any language (names and aliases come from multilingual knowledge);
events need the language's own trigger lexicon (``kg/data/lexicons``): the trained
detector (``kg/data/models``) finds where an event is, but its sides are read with the
lexicon's structure words (prepositions, passive markers, case markers, speech verbs).
Measured on the next languages' test set before they had lexicons, detection without a
lexicon's structure gave events F1 0.010 (3 right, 47 wrong); with their lexicons, 0.139.
So a language without a lexicon stays at linking.  ``kg extract`` writes the level into
each record (``support``) and ``kg build`` counts the documents read with linking only,
so nobody takes a missing event for an absent one.
"""

from __future__ import annotations

from kg.extraction.lexicon import has_lexicon

LINKING_ONLY = "linking"
LINKING_AND_EVENTS = "linking and events"
SUPPORT_LEVELS = (LINKING_ONLY, LINKING_AND_EVENTS)


def language_support(lang: str) -> str:
    """Events and relations where ``lang`` has a trigger lexicon of its own, or of the
    language it is read as (Malay as Indonesian); else linking only."""
    return LINKING_AND_EVENTS if has_lexicon(lang) else LINKING_ONLY
