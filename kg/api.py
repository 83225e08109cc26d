"""The Python twins of the ``kg`` commands, for notebooks and scripts.

    import kg
    record = kg.extract("Armenia asked the CSTO for military aid.", lang="en")
    summary = kg.build(["articles/"], store="my-store")
    with kg.open_store("my-store") as store:
        rows = store.query("members-of-organization", org="Q318693")
        events = store.table("events")            # a pyarrow Table; .to_pandas() with pandas

Each function calls the same library code as its command (``kg extract``, ``kg build``,
``kg query``, ``kg export``, ``kg evaluate``); the names are listed in ``kg.__all__``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.closing import ClosesOnExit
from kg.errors import QueryError

if TYPE_CHECKING:
    import pyarrow

    from kg.builder import BuildSummary
    from kg.evaluation.report import Report
    from kg.exports import ExportResult
    from kg.store import Store


def extract(
    text: str,
    lang: str | None = None,
    *,
    id: str = "text",  # noqa: A002 -- the record's field name
    published: datetime | None = None,
    url: str | None = None,
) -> dict[str, Any]:
    """What the offline pipeline finds in ``text``: the ``geokg-extract/1`` record
    (entities with QIDs, generic actors, relations, PLOVER events) as a dict.
    ``lang`` is identified from the text when not given."""
    from kg.documents import detect_language
    from kg.model import Document
    from kg.pipeline import PipelineSpec, pipeline_for

    doc = Document(
        id=id, text=text, lang=lang or detect_language(text), published=published, url=url
    )
    return pipeline_for(PipelineSpec())(doc).to_json()


def extract_files(paths: Iterable[Path | str]) -> Iterator[dict[str, Any]]:
    """``extract`` for every document under ``paths`` (the inputs ``kg build`` reads)."""
    from kg.documents import read_documents
    from kg.pipeline import PipelineSpec, pipeline_for

    pipeline = pipeline_for(PipelineSpec())
    for extraction in pipeline.pipe(read_documents(list(paths), keep_duplicate_ids=True)):
        yield extraction.to_json()


def build(
    paths: Iterable[Path | str] | Path | str,
    store: Path | str,
    *,
    workers: int = 1,
    replace: bool = False,
    skip_bad: bool = False,
) -> BuildSummary:
    """Build the documents under ``paths`` into the store at ``store`` (a directory, or
    a SPARQL endpoint URL), as ``kg build`` does; returns the build's summary."""
    from kg.builder import BuildOptions
    from kg.builder import build as run_build

    if isinstance(paths, (str, Path)):
        paths = [paths]
    options = BuildOptions(workers=workers, replace=replace, skip_bad=skip_bad)
    return run_build(list(paths), store, options)


def open_store(path: Path | str, *, read_only: bool = True) -> KnowledgeStore:
    """The embedded store at ``path``, for named queries and tables (read-only unless
    asked); use it in a ``with`` block, or ``close()`` it."""
    from kg.store import Store

    return KnowledgeStore(Store.open(path, read_only=read_only))


def export(store: Path | str, fmt: str, out: Path | str) -> ExportResult:
    """``kg export FORMAT``: one export directory (data, codebook, DCAT, checksums)."""
    from kg.exports import export as run_export

    return run_export(Path(store), fmt, Path(out))


def evaluate(gold: Path | str, predictions: Path | str | None = None) -> Report:
    """``kg evaluate``: scores against a gold set (the pipeline runs when no
    ``predictions`` file of ``kg extract`` output is given)."""
    from kg.evaluation import evaluate as run_evaluate

    return run_evaluate(Path(gold), Path(predictions) if predictions else None)


class KnowledgeStore(ClosesOnExit):
    """A store opened from Python: named queries as rows, export tables as Arrow
    (``with kg.open_store(path) as store``, or ``close()`` it)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def query(self, name: str, **params: str) -> list[dict[str, str | None]]:
        """Rows of a named query (``queries/NAME.rq``) or a ``.rq`` file, parameters
        bound as typed terms: ``store.query("events-involving-state", state="Q399")``."""
        from kg.queries import rows_as_dicts, run_query

        return rows_as_dicts(run_query(self.store, name, params))

    def table(self, name: str) -> pyarrow.Table:
        """One tidy table of ``kg export csv`` (documents, entities, mentions, events,
        event_participants, relations, memberships) with its declared types."""
        import pyarrow as pa

        from kg.exports.codes import read_codes
        from kg.exports.source import Source
        from kg.exports.tables import arrow_schema, build_table, table_specs

        specs = {spec.name: spec for spec in table_specs()}
        if name not in specs:
            raise QueryError(f"no table {name!r}; tables: {', '.join(specs)}")
        source = Source(self.store)
        rows = build_table(source, specs[name], read_codes(source))
        columns = {c.name: [row[c.name] for row in rows] for c in specs[name].columns}
        return pa.Table.from_pydict(columns, schema=arrow_schema(specs[name]))

    def close(self) -> None:
        self.store.close()
