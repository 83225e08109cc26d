"""geokg: geopolitical knowledge graphs from news, linked to Wikidata.

The command line (``kg``) has a Python twin for each command; see ``kg.api``::

    import kg
    kg.extract("Armenia asked the CSTO for military aid.", lang="en")
    kg.build(["articles/"], store="my-store")
    with kg.open_store("my-store") as store:
        store.query("members-of-organization", org="Q318693")
        store.table("events").to_pandas()
"""

__version__ = "0.1.0"

# kg.api imports the heavy stages only when a function is called, so `import kg`
# (and the CLI, which reads __version__) stays quick.
from kg.api import (  # noqa: E402
    KnowledgeStore,
    build,
    evaluate,
    export,
    extract,
    extract_files,
    open_store,
)

__all__ = [
    "KnowledgeStore",
    "__version__",
    "build",
    "evaluate",
    "export",
    "extract",
    "extract_files",
    "open_store",
]
