"""The state a news outlet publishes from, read from its web address.

A report names its own country's officials without the country: "Außenminister Heiko
Maas" on a .de site, "Dışişleri Bakanı Mevlüt Çavuşoğlu" on a .com.tr one.  The outlet's
country-code domain says which state that is; .com, .org and the country codes sold
worldwide for their letters (.tv, .io, kg/data/gazetteer/outlets.json) say nothing.
"""

from __future__ import annotations

import json
import urllib.parse
from functools import cache

from rigour.territories import get_territory

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
