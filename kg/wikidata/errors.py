"""Errors of the online Wikidata clients, in the geokg hierarchy."""

from __future__ import annotations

from kg.errors import GeokgError


class WikidataError(GeokgError):
    """A Wikidata service failed, answered nonsense, or could not be reached."""

    exit_code = 7


class OfflineError(WikidataError):
    """Network access was requested while geokg runs offline."""

    exit_code = 8

    def __init__(self, what: str) -> None:
        super().__init__(
            f"{what} needs the network, but geokg is offline "
            "(--offline or GEOKG_OFFLINE=1); drop the switch or use the bundled snapshot"
        )
