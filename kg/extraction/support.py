"""What geokg reads in each language, said per document.

Linking works in any language (names and aliases come from multilingual knowledge);
events and relations need a trigger lexicon (``kg/data/lexicons``) or an event detector
trained on enough documents of the language (``kg/data/models``).  ``kg extract`` writes
the level into each record (``support``) and ``kg build`` counts the documents read
with linking only, so nobody takes a missing event for an absent one.
"""

from __future__ import annotations

from functools import cache

from kg.extraction.detector import default_detector
from kg.extraction.lexicon import LANGUAGE_ALIASES, LEXICON_DIR

LINKING_ONLY = "linking"
LINKING_AND_EVENTS = "linking and events"
SUPPORT_LEVELS = (LINKING_ONLY, LINKING_AND_EVENTS)


@cache
def language_support(lang: str) -> str:
    """``LINKING_AND_EVENTS`` where a lexicon or the trained detector knows ``lang``."""
    lexicon = LANGUAGE_ALIASES.get(lang, lang)
    if (LEXICON_DIR / f"{lexicon}.json").exists():
        return LINKING_AND_EVENTS
    detector = default_detector()
    if detector is not None and lang in detector.languages:
        return LINKING_AND_EVENTS
    return LINKING_ONLY
