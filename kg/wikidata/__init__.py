"""Online Wikidata: the Action API and query-service clients, the gazetteer
update, enrichment of the store with background facts, and NIL resolution.

Everything here may touch the network; everything honours the offline
switch (``--offline`` / ``GEOKG_OFFLINE=1``) by raising ``OfflineError``.
"""

from kg.wikidata.config import RetryPolicy, WikidataConfig
from kg.wikidata.errors import OfflineError, WikidataError

__all__ = ["OfflineError", "RetryPolicy", "WikidataConfig", "WikidataError"]
