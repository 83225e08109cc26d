"""The one alias index over every source, built once and cached on disk.

An alias is stored under the space-joined keys of its words (see
``normalize.py``): "Korea Selatan" under ``"korea selatan"``, "Армения" under
``"армен"``.  Each key holds its candidates: which entity, how surely
(prior), how it must be written (exact acronyms, capitalised names, or any
case) and, for language-bound forms such as lower-case demonyms, the language.

The built index is pickled under ``kg.paths.cache_dir()/gazetteer`` in a file
named by a hash of its sources (data files, rigour's version, snapshot sizes
and times), so a changed source builds a new index and loading an unchanged
one takes a fraction of a second.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from importlib.metadata import version
from pathlib import Path
from typing import NamedTuple

from kg.gazetteer import normalize, sources
from kg.gazetteer.normalize import MORPHOLOGY_PATH, name_keys, transliteration_variants
from kg.gazetteer.sources import KnownEntity, Name
from kg.paths import cache_dir

log = logging.getLogger(__name__)

INDEX_FORMAT = "geokg-alias-index/1"
DEMONYMS_PATH = sources.GAZETTEER_DIR / "demonyms.tsv"
PRIOR_DEMONYM = 0.75
PRIOR_SURNAME = 0.5  # a person's family name alone, before the document confirms it
PRIOR_ALIAS = sources.PRIOR_ALIAS

# How a candidate must be written in the text.
CASE_TITLE = 0  # first letter upper case (in cased scripts)
CASE_EXACT = 1  # exactly as the alias (acronyms: "AS", never "as")
CASE_ANY = 2  # any case (demonyms: "schwedischen", "marocaine")
_CASE_BY_NAME = {"title": CASE_TITLE, "exact": CASE_EXACT, "any": CASE_ANY}
_MAX_ACRONYM = 6


class Candidate(NamedTuple):
    """One entity an alias may name."""

    entity: int  # position in AliasIndex.entities
    prior: float
    case: int
    exact: str | None  # the alias as written, for CASE_EXACT
    lang: str | None  # only in documents of this language (None: any)
    weak: bool
    surname: bool = False


class EntityInfo(NamedTuple):
    """What the linker needs of an entity."""

    qid: str
    label: str
    type: str
    capital_of: str | None
    parent: str | None  # the territory this one is part of (sub-national regions)
    related: frozenset[str]
    valid_from: int | None
    valid_to: int | None
    before: str | None  # QID a mention meant before ``valid_from``


@dataclass
class AliasIndex:
    """Alias keys -> candidates, plus the entities they point to."""

    entities: list[EntityInfo] = field(default_factory=list)
    table: dict[str, tuple[Candidate, ...]] = field(default_factory=dict)
    prefixes: set[str] = field(default_factory=set)  # proper prefixes of multi-word keys
    by_qid: dict[str, int] = field(default_factory=dict)
    capitals: dict[str, str] = field(default_factory=dict)  # state QID -> capital QID
    # language -> (form key, entity) pairs the annotated corpus refutes in that language
    refuted: dict[str, frozenset[tuple[str, int]]] = field(default_factory=dict)

    def lookup(self, key: str) -> tuple[Candidate, ...]:
        found = self.table.get(key, ())
        if found and type(found[0]) is tuple:  # as unpickled: plain tuples
            found = tuple(map(Candidate._make, found))
            self.table[key] = found
        return found

    def __getstate__(self) -> dict:
        """Candidates as plain tuples: a million of them unpickle in a blink,
        where named tuples or dataclasses would each cost a Python call."""
        state = dict(self.__dict__)
        state["table"] = {key: tuple(map(tuple, found)) for key, found in self.table.items()}
        state["entities"] = [tuple(info) for info in self.entities]
        return state

    def __setstate__(self, state: dict) -> None:
        state["entities"] = _EntityList(state["entities"])
        self.__dict__.update(state)

    def entity(self, qid: str) -> EntityInfo | None:
        position = self.by_qid.get(qid)
        return None if position is None else self.entities[position]

    def __len__(self) -> int:
        return len(self.table)


class _EntityList(list):
    """Entities as unpickled (plain tuples), made EntityInfo when first read."""

    def __getitem__(self, position):  # type: ignore[override]
        item = super().__getitem__(position)
        if type(item) is tuple:
            item = EntityInfo._make(item)
            super().__setitem__(position, item)
        return item


# -- building ---------------------------------------------------------------


class _Builder:
    """Accumulates entities and aliases, then freezes them into an AliasIndex."""

    def __init__(self) -> None:
        self.known: dict[str, KnownEntity] = {}
        self.extra: list[tuple[str, Name, int]] = []  # (qid, name, case)
        self.refuted_in: list[tuple[str, str, str]] = []  # (qid, form, language)
        self.history: dict[str, tuple[int | None, int | None, str | None]] = {}

    def add_entity(self, entity: KnownEntity, override_type: bool = False) -> None:
        existing = self.known.get(entity.qid)
        if existing is None:
            self.known[entity.qid] = entity
            return
        existing.names += entity.names
        existing.related |= entity.related
        existing.capital_of = existing.capital_of or entity.capital_of
        existing.parent = existing.parent or entity.parent
        if override_type:
            existing.type = entity.type
            existing.label = entity.label or existing.label

    def cities_by_name(self) -> dict[str, str]:
        """Casefolded English name (label or strong alias: "City of Brussels", "Brussels")
        -> QID of the known city, for the names no other city shares."""
        found: dict[str, str | None] = {}
        for qid, entity in self.known.items():
            if entity.type != "city":
                continue
            english = {n.text for n in entity.names if n.lang in (None, "en") and not n.weak}
            for key in {name.casefold() for name in (entity.label, *english)}:
                found[key] = None if found.get(key, qid) != qid else qid
        return {name: qid for name, qid in found.items() if qid is not None}

    def add_alias(self, qid: str, name: Name, case: int | None = None) -> None:
        self.extra.append((qid, name, CASE_TITLE if case is None else case))

    def refute_in_language(self, qid: str, form: str, lang: str) -> None:
        self.refuted_in.append((qid, form, lang))

    def build(self) -> AliasIndex:
        index = AliasIndex()
        for qid, entity in self.known.items():
            index.by_qid[qid] = len(index.entities)
            index.entities.append(self._info(entity))
            if entity.capital_of:
                index.capitals.setdefault(entity.capital_of, qid)
        # Each key gathers its candidates in a list (a dict per key would cost
        # a quarter of a kilobyte per alias at a million aliases).
        grouped: dict[str, list[Candidate]] = {}
        for qid, entity in self.known.items():
            for name in entity.names:
                self._add(grouped, index, qid, name, None)
            if entity.type == "person":
                self._add_person_forms(grouped, index, qid, entity)
        refuted: set[tuple[str, int]] = set()
        for qid, name, case in self.extra:
            if qid not in index.by_qid:
                log.warning("alias %r names %s, which no source knows: skipped", name.text, qid)
            elif name.prior <= 0:  # "European" is an adjective, not a name of the EU
                refuted.add((" ".join(name_keys(name.text)), index.by_qid[qid]))
            else:
                bound = name.bound or _local_acronym(name, case)
                self._add(grouped, index, qid, replace(name, bound=bound), case)
        for key, candidates in grouped.items():
            kept = [c for c in candidates if (key, c.entity) not in refuted]
            if kept:
                index.table[key] = _best_per_identity(kept)
            words = key.split(" ")
            for count in range(1, len(words)):
                index.prefixes.add(" ".join(words[:count]))
        index.refuted = self._refuted_by_language(index)
        return index

    def _refuted_by_language(self, index: AliasIndex) -> dict[str, frozenset[tuple[str, int]]]:
        by_language: dict[str, set[tuple[str, int]]] = {}
        for qid, form, lang in self.refuted_in:
            if qid in index.by_qid:
                key = " ".join(name_keys(form))
                by_language.setdefault(lang, set()).add((key, index.by_qid[qid]))
        return {lang: frozenset(pairs) for lang, pairs in by_language.items()}

    def _info(self, entity: KnownEntity) -> EntityInfo:
        valid_from, valid_to, before = self.history.get(entity.qid, (None, None, None))
        return EntityInfo(
            qid=entity.qid,
            label=entity.label,
            type=entity.type,
            capital_of=entity.capital_of,
            parent=entity.parent,
            related=frozenset(entity.related - {entity.qid}),
            valid_from=valid_from,
            valid_to=valid_to,
            before=before,
        )

    def _add(
        self,
        grouped: dict[str, list[Candidate]],
        index: AliasIndex,
        qid: str,
        name: Name,
        case: int | None,
        surname: bool = False,
    ) -> None:
        text = name.text.strip()
        keys = name_keys(text)
        if not keys or all(key.isdigit() for key in keys):
            return
        letters = sum(ch.isalnum() for ch in text)
        case = _case_of(text, letters) if case is None else case
        if name.weak and (letters < _min_weak_letters(text) or case == CASE_EXACT):
            return  # short weak names are noise in some language or other
        candidate = Candidate(
            entity=index.by_qid[qid],
            prior=name.prior,
            case=case,
            exact=text if case == CASE_EXACT else None,
            lang=name.lang if (case == CASE_ANY or name.bound) else None,
            weak=name.weak,
            surname=surname,
        )
        grouped.setdefault(" ".join(keys), []).append(candidate)

    def _add_person_forms(
        self,
        grouped: dict[str, list[Candidate]],
        index: AliasIndex,
        qid: str,
        entity: KnownEntity,
    ) -> None:
        """Short forms of people's names: first + last, the tail from any
        capitalised word on, last alone, spellings.

        A surname alone is a weak, confirm-first alias -- unless the sources
        list it as a name of the person ("Putin"): such a person is known by
        the surname, in every script ("Путина" too).
        """
        known_by_surname = _known_by_surname(entity)
        for name in list(entity.names):
            words = name.text.split()
            if len(words) < 2 or not words[-1][:1].isupper():
                continue
            if len(words) >= 3:
                self._add(grouped, index, qid, Name(f"{words[0]} {words[-1]}", name.prior), None)
            for start in range(1, len(words) - 1):  # "Lula da Silva", "Tayyip Erdoğan"
                if words[start][:1].isupper():
                    tail = Name(" ".join(words[start:]), name.prior * 0.9)
                    self._add(grouped, index, qid, tail, None)
            surname = Name(words[-1], PRIOR_ALIAS if known_by_surname else PRIOR_SURNAME)
            self._add(grouped, index, qid, surname, None, surname=not known_by_surname)
            for variant in transliteration_variants(name.text):
                self._add(grouped, index, qid, Name(variant, name.prior * 0.95), None)


def _known_by_surname(entity: KnownEntity) -> bool:
    single = {name.text for name in entity.names if " " not in name.text.strip()}
    return any(
        len(words := name.text.split()) >= 2 and words[-1] in single for name in entity.names
    )


def _best_per_identity(candidates: list[Candidate]) -> tuple[Candidate, ...]:
    """One candidate per (entity, case rule, exact form, language), the most
    trusted; most trusted first."""
    best: dict[tuple, Candidate] = {}
    for candidate in candidates:
        identity = (candidate.entity, candidate.case, candidate.exact, candidate.lang)
        kept = best.get(identity)
        if kept is None or kept.prior < candidate.prior:
            best[identity] = candidate
    return tuple(sorted(best.values(), key=lambda c: -c.prior))


def _local_acronym(name: Name, case: int) -> bool:
    """A very short acronym that ``aliases.tsv`` gives for one language ("AS"
    in Indonesian, "AB" in Turkish) is that language's: in English "AS" is a
    word in capitals."""
    return case == CASE_EXACT and name.lang is not None and len(name.text.replace(".", "")) <= 2


def _min_weak_letters(text: str) -> int:
    """Four letters for a weak name in Latin or Cyrillic script, where short
    words collide with common words; three elsewhere ("مصر" is Egypt)."""
    return 4 if any(ch.isascii() or "\u0400" <= ch <= "\u04ff" for ch in text) else 3


def _case_of(text: str, letters: int) -> int:
    """Acronyms and very short names must be written exactly; others capitalised.  A name
    in a script without case ("일본", "日本", "مصر") is neither: it stands as written,
    with the endings its language adds ("일본과")."""
    if text.lower() == text.upper():
        return CASE_TITLE
    bare = text.replace(".", "")
    if letters <= 3 or (bare.isupper() and letters <= _MAX_ACRONYM and " " not in bare):
        return CASE_EXACT
    return CASE_TITLE


def _load_history(builder: _Builder) -> None:
    qid_by_code = sources.rigour_qids()
    for row in sources.history_rows():
        qid = qid_by_code.get(row["code"])
        if qid is None:
            continue
        builder.history[qid] = (
            int(row["from"]) if row["from"] else None,
            int(row["to"]) if row["to"] else None,
            qid_by_code.get(row["before"]) if row["before"] else None,
        )


def _demonym_aliases() -> Iterable[tuple[str, Name, int]]:
    for row in sources.read_tsv(DEMONYMS_PATH):
        case = _CASE_BY_NAME[row["case"]]
        for form in row["forms"].split(","):
            if form.strip():
                name = Name(form.strip(), PRIOR_DEMONYM, lang=row["lang"], bound=True)
                yield row["qid"], name, case


def build_index(
    snapshots: Iterable[Path] = (),
    induced: bool = True,
    refuted: Iterable[tuple[str, str, str]] | None = None,
) -> AliasIndex:
    """Build the index from every source (slow: seconds). Prefer ``load_index``.

    ``induced=False`` leaves out what the corpus taught (induced aliases and refuted
    forms): the index they are learnt against (``kg train-aliases``).  ``refuted``, as
    (QID, form, language) triples, replaces the packaged refuted forms (cross-validation
    learns them per fold)."""
    builder = _Builder()
    _load_history(builder)
    for entity in sources.rigour_entities():
        builder.add_entity(entity)
    for path in (sources.CURATED_PATH, sources.SOURCED_PATH):
        for entity in sources.curated_entities(path):
            builder.add_entity(entity, override_type=True)
    for qid, name in sources.cldr_city_names(builder.cities_by_name()):
        builder.add_alias(qid, name)
    for entity in sources.snapshot_entities(snapshots):
        builder.add_entity(entity)
    for qid, name, rule in sources.alias_rows():
        builder.add_alias(qid, name, _CASE_BY_NAME.get(rule))
    for qid, name, rule in sources.induced_alias_rows() if induced else ():
        builder.add_alias(qid, name, _CASE_BY_NAME.get(rule))
    if induced:
        for qid, form, lang in sources.refuted_alias_rows() if refuted is None else refuted:
            builder.refute_in_language(qid, form, lang)
    for qid, name, case in _demonym_aliases():
        if _people_not_state(builder.known.get(qid)):
            continue
        builder.add_alias(qid, name, case)
    return builder.build()


def _people_not_state(entity: KnownEntity | None) -> bool:
    """Is this a territory that is no state (Palestine, a region in rigour)?  Its
    adjective names its people ("Palestinians", "palestinos", "الفلسطينيين") far more
    often than the territory: the annotation guide counts the adjectives of states and
    the corpus's train splits link 6 of the 32 documents where it stands alone."""
    return entity is not None and entity.type == "region"


# -- caching ----------------------------------------------------------------


SNAPSHOT_MANIFEST = "manifest.json"


def default_snapshots() -> list[Path]:
    """Snapshot files in ``cache_dir()/snapshots`` (written by ``kg gazetteer update``).

    When the folder's manifest names a current snapshot, that one alone (older
    versions stay on disk for comparison); otherwise every ``*.jsonl`` file.
    """
    folder = cache_dir() / "snapshots"
    if not folder.is_dir():
        return []
    manifest = folder / SNAPSHOT_MANIFEST
    if manifest.exists():
        try:
            current = json.loads(manifest.read_text(encoding="utf-8")).get("current")
        except (OSError, ValueError) as error:
            log.warning(
                "snapshot manifest %s unreadable (%s): reading every snapshot", manifest, error
            )
            current = None
        if current and (folder / current).exists():
            return [folder / current]
    return sorted(folder.glob("*.jsonl"))


def snapshots_signature(paths: Iterable[Path]) -> tuple[tuple[str, int, int], ...]:
    """What identifies a set of snapshot files: names, sizes, modification times."""
    signature = []
    for path in paths:
        stat = path.stat()
        signature.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(signature)


def sources_hash(snapshots: Iterable[Path]) -> str:
    """A hash of everything the index is built from."""
    digest = hashlib.sha256(INDEX_FORMAT.encode())
    digest.update(version("rigour").encode())
    digest.update(version("babel").encode())  # CLDR's territory and city names
    digest.update(version("pyicu").encode())  # traditional -> simplified Han characters
    for path in (
        sources.CURATED_PATH,
        sources.SOURCED_PATH,
        sources.ALIASES_PATH,
        sources.INDUCED_ALIASES_PATH,
        sources.REFUTED_ALIASES_PATH,
        sources.HISTORY_PATH,
        sources.PREFERRED_PATH,
        DEMONYMS_PATH,
        MORPHOLOGY_PATH,
        Path(__file__),
        Path(sources.__file__),
        Path(normalize.__file__),  # how words become keys
    ):
        digest.update(path.read_bytes() if path.exists() else b"(none)")
    for name, size, modified in snapshots_signature(path.resolve() for path in snapshots):
        digest.update(f"{name}|{size}|{modified}".encode())
    return digest.hexdigest()[:20]


def load_index(snapshots: list[Path] | None = None) -> AliasIndex:
    """The alias index over the bundled knowledge and ``snapshots``.

    ``snapshots=None`` means the files in ``cache_dir()/snapshots``.  The first
    call builds and caches the index; later calls with the same sources load
    the cached file.
    """
    paths = default_snapshots() if snapshots is None else list(snapshots)
    path = cache_dir() / "gazetteer" / f"index-{sources_hash(paths)}.pickle"
    if path.exists():
        try:
            with path.open("rb") as handle:
                loaded = pickle.load(handle)
            if isinstance(loaded, AliasIndex):
                return loaded
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError) as error:
            log.warning("alias index cache %s unreadable (%s): rebuilding", path, error)
    index = build_index(paths)
    _write_atomically(path, index)
    return index


def _write_atomically(path: Path, index: AliasIndex) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            pickle.dump(index, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except OSError as error:
        log.warning("could not cache the alias index at %s: %s", path, error)
        Path(temporary).unlink(missing_ok=True)
