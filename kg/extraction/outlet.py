"""The state a report comes from: its outlet's, read from its web address, else its
language's where one state alone speaks it (``home_state``).

A report names its own country's officials without the country: "Außenminister Heiko
Maas" on a .de site, "Dışişleri Bakanı Mevlüt Çavuşoğlu" on a .com.tr one.  The outlet's
country-code domain says which state that is; .com, .org and the country codes sold
worldwide for their letters (.tv, .io, kg/data/gazetteer/outlets.json) say nothing.

Where neither says, the address may still name where a report's unnamed groups are
(``scene_state``): a site's country section or the headline its path repeats, read by
rigour's territory names in many languages.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from functools import cache, lru_cache

from babel.languages import get_territory_language_info
from rigour.territories import get_territories, get_territory, lookup_territory

from kg.paths import DATA_DIR

OUTLETS_PATH = DATA_DIR / "gazetteer" / "outlets.json"


@cache
def _domain_rules() -> tuple[frozenset[str], dict[str, str]]:
    data = json.loads(OUTLETS_PATH.read_text(encoding="utf-8"))
    return frozenset(data["generic_country_code_domains"]), dict(data["domains_not_their_iso_code"])


def outlet_state(url: str | None) -> str | None:
    """The QID of the state whose country-code domain the URL is under, if any."""
    if not url:
        return None
    try:
        host = urllib.parse.urlsplit(url).hostname or ""
    except ValueError:
        return None
    domain = host.rstrip(".").rpartition(".")[2].casefold()
    generic, renamed = _domain_rules()
    if len(domain) != 2 or not domain.isascii() or not domain.isalpha() or domain in generic:
        return None
    territory = get_territory(renamed.get(domain, domain))
    if territory is None or not territory.is_country or territory.is_historical:
        return None
    return territory.qid


# A language counts as one state's when CLDR gives it official status there and as the
# language of at least this share of its people, in no other current state.
MAJORITY_PERCENT = 50.0
NATIONAL_STATUS = frozenset({"official", "de_facto_official"})  # not "official_regional"


def home_state(url: str | None, lang: str) -> str | None:
    """The state a report most likely comes from when it names none: its outlet's
    (country-code domain), else its language's, where only one state has it as the
    official language of most of its people (Turkish, Indonesian, Japanese, Polish,
    Ukrainian; not English, Arabic or Korean)."""
    return outlet_state(url) or language_state(lang)


def scene_state(url: str | None, lang: str) -> str | None:
    """Where a report's unnamed groups (police, protesters) most likely are when it names
    no state: its ``home_state``, else the one state its address names
    (``address_state``).  The home state comes first (a Turkish report on a visit to
    Greece, "…/cavusoglu-yunanistan-…", speaks of Turkey's groups), and only groups read
    the address: "the foreign minister" is the outlet's own, whatever the report is about."""
    return home_state(url, lang) or address_state(url)


ADDRESS_WORDS = 3  # "republique-centrafricaine", "bosnia-and-herzegovina"


def address_state(url: str | None) -> str | None:
    """The one state the words of a URL's path name, in any language rigour knows
    ("vitaminedz.com/fr/Algerie/un-journaliste-arrete…", "alwihdainfo.com/Tchad-Toute-…"):
    a news site's section or the headline its address repeats.  None where the path
    names no state or several."""
    if not url:
        return None
    try:
        path = urllib.parse.unquote(urllib.parse.urlsplit(url).path)
    except ValueError:
        return None
    words = [word for word in re.split(r"[\W_]+", path) if word and not word.isdigit()]
    found: set[str] = set()
    start = 0
    while start < len(words):  # the longest name first: "south-sudan" is not Sudan
        for size in range(min(ADDRESS_WORDS, len(words) - start), 0, -1):
            qid = _state_named(" ".join(words[start : start + size]))
            if qid is not None:
                found.add(qid)
                start += size - 1
                break
        start += 1
    return found.pop() if len(found) == 1 else None


# Bounded: the words of every address a long build reads would otherwise all be kept.
@lru_cache(maxsize=100_000)
def _state_named(name: str) -> str | None:
    if len(name) < 4:  # "de", "us", "fr": language codes and words, not names
        return None
    territory = lookup_territory(name)
    if territory is None or not territory.is_country or territory.is_historical:
        return None
    return territory.qid


@cache
def language_state(lang: str) -> str | None:
    """The QID of the one current state whose official, majority language ``lang`` is
    (CLDR's territory-language figures, as Babel ships them), else None."""
    homes = []
    for territory in get_territories():
        if not territory.is_country or territory.is_historical:
            continue
        info = get_territory_language_info(territory.code.upper()).get(lang)
        if (
            info
            and info["official_status"] in NATIONAL_STATUS
            and float(info["population_percent"] or 0) >= MAJORITY_PERCENT
        ):
            homes.append(territory.qid)
    return homes[0] if len(homes) == 1 else None
