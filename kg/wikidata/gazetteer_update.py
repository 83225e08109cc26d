"""``kg gazetteer update``: pull whole classes from a SPARQL endpoint that holds
Wikidata's RDF into a versioned gazetteer snapshot.

What is pulled is data (``kg/data/wikidata/classes.json``: one *pull* per
kind of actor, its classes and its query template); the queries are data too
(``kg/data/wikidata/*.rq``).  Each pull is read page by page (LIMIT/OFFSET
over items ordered by IRI); every finished page is written to a work folder
at once, with a state file, so an interrupted update resumes where it
stopped.  When all pages are in, they are merged into one JSON Lines file,
``<cache>/snapshots/wikidata-YYYYMMDDTHHMMSS.jsonl``, and the manifest beside
it names it as current.  That is the contract with the gazetteer: one item per
line, ``{"qid", "type", "labels": {lang: label}, "aliases": {lang: [..]},
"retrieved", "classes", "positions", "pulls"}``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tqdm import tqdm

from kg import __version__
from kg.paths import DATA_DIR, cache_dir
from kg.wikidata.errors import WikidataError
from kg.wikidata.sparql import Row, SparqlClient

log = logging.getLogger(__name__)

QUERY_DIR = DATA_DIR / "wikidata"
CLASSES_FILE = QUERY_DIR / "classes.json"
DEFAULT_LANGUAGES = ("en", "id", "ru", "fr", "es", "de", "ar", "zh", "uk")
DEFAULT_PAGE_SIZE = 500
MANIFEST = "manifest.json"

QID = re.compile(r"^Q[1-9][0-9]*$")
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]+)*$")
PLACEHOLDER = re.compile(r"\{\{([A-Z]+)\}\}")


# -- the pulls, as declared in classes.json ---------------------------------


@dataclass(frozen=True)
class Pull:
    """One kind of actor to pull: its gazetteer type, classes and query."""

    name: str
    type: str
    query: str
    classes: tuple[str, ...]
    subclasses: bool = False

    @property
    def is_office(self) -> bool:
        return self.query == "office-holders.rq"


def load_pulls(names: Iterable[str] | None = None) -> list[Pull]:
    """The pulls of classes.json, all or the named ones, in file order."""
    declared = json.loads(CLASSES_FILE.read_text(encoding="utf-8"))["pulls"]
    pulls = [
        Pull(
            name=entry["name"],
            type=entry["type"],
            query=entry["query"],
            classes=tuple(c["qid"] for c in entry["classes"]),
            subclasses=bool(entry.get("subclasses", False)),
        )
        for entry in declared
    ]
    if names is None:
        return pulls
    wanted = list(names)
    known = {pull.name for pull in pulls}
    unknown = [name for name in wanted if name not in known]
    if unknown:
        raise WikidataError(
            f"unknown class pull(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
    return [pull for pull in pulls if pull.name in wanted]


# -- query templates ----------------------------------------------------------


def wd_terms(qids: Iterable[str]) -> str:
    """``wd:Q1 wd:Q2`` for a VALUES block; refuses anything but a QID."""
    terms = []
    for qid in qids:
        if not QID.match(qid):
            raise WikidataError(f"not a Wikidata item id: {qid!r}")
        terms.append(f"wd:{qid}")
    return " ".join(terms)


def language_list(languages: Sequence[str]) -> str:
    """``"en", "id"`` for a FILTER ... IN; refuses anything but language codes."""
    for lang in languages:
        if not LANGUAGE.match(lang):
            raise WikidataError(f"not a language code: {lang!r}")
    return ", ".join(f'"{lang}"' for lang in languages)


def render(template: str, **values: str | int) -> str:
    """A query template with its {{NAME}} placeholders filled.

    Values are validated by the helpers above before they get here, so
    filling is plain substitution; a placeholder left unfilled is a bug.
    """
    lines = (QUERY_DIR / template).read_text(encoding="utf-8").splitlines()
    # The comment header documents the template; the endpoint needs none of it.
    text = "\n".join(line for line in lines if not line.startswith("#")) + "\n"

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise WikidataError(f"query template {template} needs {{{{{name}}}}}")
        return str(values[name])

    return PLACEHOLDER.sub(fill, text)


# -- fetching one page ----------------------------------------------------------


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def plain_date(value: str) -> str:
    """'1991-09-21T00:00:00Z' -> '1991-09-21'; other forms pass unchanged."""
    return value.split("T", 1)[0] if "T" in value else value


def page_items(client: SparqlClient, pull: Pull, offset: int, page_size: int) -> list[str]:
    path = "wdt:P31/wdt:P279*" if pull.subclasses else "wdt:P31"
    query = render(
        pull.query, CLASSES=wd_terms(pull.classes), PATH=path, LIMIT=page_size, OFFSET=offset
    )
    return [row["item"] for row in client.select(query) if QID.match(row.get("item", ""))]


def new_record(qid: str, pull: Pull, retrieved: str) -> dict[str, Any]:
    return {
        "qid": qid,
        "type": pull.type,
        "labels": {},
        "aliases": {},
        "retrieved": retrieved,
        "classes": [],
        "positions": [],
        "pulls": [pull.name],
    }


def add_names(records: dict[str, dict[str, Any]], rows: list[Row]) -> None:
    for row in rows:
        record = records.get(row.get("item", ""))
        lang = row.get("name__lang")
        if record is None or not lang:
            continue
        if row.get("kind") == "label":
            record["labels"].setdefault(lang, row["name"])
        else:
            aliases = record["aliases"].setdefault(lang, [])
            if row["name"] not in aliases:
                aliases.append(row["name"])


def add_classes(records: dict[str, dict[str, Any]], rows: list[Row]) -> None:
    for row in rows:
        record = records.get(row.get("item", ""))
        if record is not None and row.get("class") not in record["classes"]:
            record["classes"].append(row["class"])


def add_positions(records: dict[str, dict[str, Any]], rows: list[Row]) -> None:
    for row in rows:
        record = records.get(row.get("item", ""))
        if record is None:
            continue
        term = {"position": row.get("position")}
        if row.get("start"):
            term["start"] = plain_date(row["start"])
        if row.get("end"):
            term["end"] = plain_date(row["end"])
        if term not in record["positions"]:
            record["positions"].append(term)


def fetch_page(
    client: SparqlClient, pull: Pull, qids: list[str], languages: Sequence[str]
) -> list[dict[str, Any]]:
    """Snapshot records for one page of items: names, classes, terms of office."""
    retrieved = now_iso()
    records = {qid: new_record(qid, pull, retrieved) for qid in qids}
    items = wd_terms(qids)
    names = render("labels.rq", ITEMS=items, LANGS=language_list(languages))
    add_names(records, client.select(names))
    add_classes(records, client.select(render("types.rq", ITEMS=items)))
    if pull.is_office:
        query = render("positions.rq", ITEMS=items, CLASSES=wd_terms(pull.classes))
        add_positions(records, client.select(query))
    # An item with no name in any chosen language cannot be linked: leave it out.
    return [r for r in records.values() if r["labels"] or r["aliases"]]


# -- resumable work folder --------------------------------------------------------


@dataclass
class UpdateOptions:
    """What to pull, from where, in which languages, how many items per page."""

    endpoint: str
    languages: tuple[str, ...] = DEFAULT_LANGUAGES
    pulls: tuple[str, ...] | None = None  # None: every pull in classes.json
    page_size: int = DEFAULT_PAGE_SIZE
    snapshot_dir: Path | None = None  # None: <cache_dir>/snapshots
    progress: bool | None = None  # None: a bar on terminals only

    def directory(self) -> Path:
        return self.snapshot_dir or cache_dir() / "snapshots"


@dataclass
class UpdateResult:
    """What an update produced, for the CLI's summary."""

    snapshot: Path
    items: int
    pages_fetched: int
    pages_resumed: int
    per_pull: dict[str, int] = field(default_factory=dict)


def run_key(options: UpdateOptions, pulls: Sequence[Pull]) -> str:
    """Same endpoint, pulls, languages and page size: same work folder."""
    spec = [options.endpoint, [p.name for p in pulls], list(options.languages), options.page_size]
    return hashlib.sha256(json.dumps(spec).encode()).hexdigest()[:12]


class WorkFolder:
    """Pages fetched so far, and which pulls are complete.

    A page is written to a temporary name and renamed, then the state is
    written the same way: a crash leaves at worst one page to refetch.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        self.state_file = path / "state.json"
        self.state: dict[str, Any] = (
            json.loads(self.state_file.read_text(encoding="utf-8"))
            if self.state_file.exists()
            else {"pulls": {}}
        )

    def progress(self, pull: str) -> dict[str, Any]:
        return dict(self.state["pulls"].get(pull, {"pages": 0, "done": False}))

    def page_path(self, pull: str, number: int) -> Path:
        return self.path / f"{pull}-{number:05d}.jsonl"

    def save_page(self, pull: str, number: int, records: list[dict[str, Any]], done: bool) -> None:
        write_atomic(self.page_path(pull, number), "".join(json_line(r) for r in records))
        self.state["pulls"][pull] = {"pages": number + 1, "done": done}
        write_atomic(self.state_file, json.dumps(self.state, indent=1))

    def mark_done(self, pull: str) -> None:
        entry = self.state["pulls"].setdefault(pull, {"pages": 0, "done": False})
        entry["done"] = True
        write_atomic(self.state_file, json.dumps(self.state, indent=1))

    def records(self, pull: str) -> Iterator[dict[str, Any]]:
        for number in range(self.progress(pull)["pages"]):
            with self.page_path(pull, number).open(encoding="utf-8") as lines:
                for line in lines:
                    if line.strip():
                        yield json.loads(line)


def json_line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n"


def write_atomic(path: Path, text: str) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


# -- the update -------------------------------------------------------------------


def pull_pages(
    client: SparqlClient,
    pull: Pull,
    work: WorkFolder,
    options: UpdateOptions,
    bar: tqdm[Any],
) -> int:
    """Fetch the pages of one pull not yet in the work folder; returns how many."""
    state = work.progress(pull.name)
    number = state["pages"]
    fetched = 0
    while not state["done"]:
        qids = page_items(client, pull, number * options.page_size, options.page_size)
        done = len(qids) < options.page_size
        records = fetch_page(client, pull, qids, options.languages) if qids else []
        work.save_page(pull.name, number, records, done)
        bar.update(len(qids))
        fetched += 1
        number += 1
        state = work.progress(pull.name)
    return fetched


def merge(records: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """One record per QID; the first pull's type wins, names and terms unite."""
    merged: dict[str, dict[str, Any]] = {}
    for record in records:
        seen = merged.get(record["qid"])
        if seen is None:
            merged[record["qid"]] = record
            continue
        for lang, label in record["labels"].items():
            seen["labels"].setdefault(lang, label)
        for lang, aliases in record["aliases"].items():
            known = seen["aliases"].setdefault(lang, [])
            known.extend(a for a in aliases if a not in known)
        for key in ("classes", "positions", "pulls"):
            seen[key].extend(v for v in record[key] if v not in seen[key])
    return merged


def update_gazetteer(client: SparqlClient, options: UpdateOptions) -> UpdateResult:
    """Pull the chosen classes into a new snapshot; resumes an interrupted run."""
    pulls = load_pulls(options.pulls)
    language_list(options.languages)  # fail before any request on a bad code
    directory = options.directory()
    work = WorkFolder(directory / f"partial-{run_key(options, pulls)}")
    resumed = sum(work.progress(p.name)["pages"] for p in pulls)
    if resumed:
        log.info("resuming: %d page(s) already fetched in %s", resumed, work.path)
    fetched = 0
    disable = None if options.progress is None else not options.progress
    for pull in pulls:
        with tqdm(desc=pull.name, unit=" items", disable=disable, leave=False) as bar:
            fetched += pull_pages(client, pull, work, options, bar)
    merged = merge(r for pull in pulls for r in work.records(pull.name))
    per_pull = {p.name: sum(1 for r in merged.values() if p.name in r["pulls"]) for p in pulls}
    snapshot = write_snapshot(directory, merged.values(), options, pulls)
    shutil.rmtree(work.path, ignore_errors=True)
    return UpdateResult(snapshot, len(merged), fetched, resumed, per_pull)


def write_snapshot(
    directory: Path,
    records: Iterable[dict[str, Any]],
    options: UpdateOptions,
    pulls: Sequence[Pull],
) -> Path:
    """Write the versioned snapshot file, then point the manifest at it."""
    created = datetime.now(UTC)
    path = directory / f"wikidata-{created.strftime('%Y%m%dT%H%M%S')}.jsonl"
    ordered = sorted(records, key=lambda r: int(r["qid"][1:]))
    write_atomic(path, "".join(json_line(r) for r in ordered))
    manifest = read_manifest(directory)
    entry = {
        "file": path.name,
        "created": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "endpoint": options.endpoint,
        "languages": list(options.languages),
        "pulls": [p.name for p in pulls],
        "items": len(ordered),
        "geokg": __version__,
    }
    manifest["current"] = path.name
    manifest["snapshots"] = [s for s in manifest["snapshots"] if s["file"] != path.name] + [entry]
    write_atomic(directory / MANIFEST, json.dumps(manifest, indent=1))
    return path


def read_manifest(directory: Path) -> dict[str, Any]:
    path = directory / MANIFEST
    if not path.exists():
        return {"format": "geokg-wikidata-snapshot/1", "current": None, "snapshots": []}
    manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return manifest


def current_snapshot(directory: Path | None = None) -> Path | None:
    """The snapshot the manifest names as current, if there is one."""
    directory = directory or cache_dir() / "snapshots"
    current = read_manifest(directory).get("current")
    if current and (directory / current).exists():
        return directory / current
    return None
