"""The knowledge layer: one node per real-world fact and event across the archive.

Each document's graph is evidence: what one article said.  This package derives, in a
graph of its own (``{base}graph/knowledge``), one ``gk:Fact`` per distinct relation and
one ``gk:WorldEvent`` per real-world event, each pointing back at the report-level
assertions it merges (``prov:wasDerivedFrom``), with the documents, outlets and languages
that reported it.

- ``reports``: the report-level assertions of a document graph, as plain records;
- ``clustering``: which reports are one fact or one real-world event (pure functions,
  also used to score coreference against gold clusters);
- ``layer``: keeps the knowledge graph in step with the documents in a store.
"""
