"""Build a store from sources: read, check, extract, write -- one document at a time.

All input is checked before anything is written (``iter_records``), so a bad
line at the end of a corpus cannot leave half of it in the store.  Each
document is then written in its own transaction, whole or not at all, and
re-writing an unchanged document adds nothing (deterministic IRIs).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kg.documents import OnError, iter_records, raise_error, to_document
from kg.errors import InputError
from kg.model import Extraction
from kg.pipeline import Pipeline, default_pipeline


@dataclass
class BuildSummary:
    documents: int = 0
    entities: set[str] = field(default_factory=set)
    linked: set[str] = field(default_factory=set)
    mentions: int = 0
    relations: int = 0
    events: int = 0
    quads_before: int = 0
    quads_after: int = 0
    seconds: float = 0.0
    skipped: list[InputError] = field(default_factory=list)

    def add(self, extraction: Extraction) -> None:
        self.documents += 1
        for entity in extraction.entities:
            self.entities.add(entity.ref)
            self.mentions += len(entity.mentions)
            if entity.qid:
                self.linked.add(entity.qid)
        self.relations += len(extraction.relations)
        self.events += len(extraction.events)

    def paragraph(self, store_path: Path) -> str:
        added = self.quads_after - self.quads_before
        return (
            f"Built {self.documents} document(s) into {store_path} in {self.seconds:.1f} s: "
            f"{len(self.entities)} distinct entities ({len(self.linked)} linked to Wikidata, "
            f"{self.mentions} mentions), {self.relations + self.events} assertions "
            f"({self.relations} relations, {self.events} events); "
            f"{added} quads added, {self.quads_after} in the store."
            + (f" Skipped {len(self.skipped)} bad input(s)." if self.skipped else "")
        )


def build(
    paths: Iterable[Path | str],
    store_path: Path,
    pipeline: Pipeline | None = None,
    progress: Callable[[int], Iterable[int]] | None = None,
    skip_bad: bool = False,
) -> BuildSummary:
    """Extract every document under ``paths`` into the store at ``store_path``.

    With ``skip_bad`` a bad file or line is reported in the summary and the
    rest is built; without it, the first one stops the build before any write.
    """
    from kg.store import Store

    paths = list(paths)
    started = time.perf_counter()
    summary = BuildSummary()
    on_error: OnError = summary.skipped.append if skip_bad else raise_error
    # The checking pass: raises before any write (or collects, with skip_bad).
    total = sum(1 for _ in iter_records(paths, on_error))
    quiet: OnError = lambda error: None  # noqa: E731 -- already reported by the checking pass
    pipeline = pipeline or default_pipeline()
    with Store.open(store_path) as store:
        summary.quads_before = store.quad_count()
        ticks = iter(progress(total)) if progress else None
        for record in iter_records(paths, quiet if skip_bad else raise_error):
            extraction = pipeline(to_document(record))
            store.write_extraction(extraction)
            summary.add(extraction)
            if ticks is not None:
                next(ticks, None)
        summary.quads_after = store.quad_count()
    summary.seconds = time.perf_counter() - started
    return summary
