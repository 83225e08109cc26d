"""Where the knowledge of entities comes from, read into one record type.

Four sources, merged by QID in ``kg.gazetteer.index``:

1. rigour territories (states, historical states, dependencies, sub-national
   jurisdictions) with their strong and weak names, parents, claims and
   successors (``preferred_qids.tsv`` picks another of a territory's own QIDs);
2. ``curated.tsv`` -- organizations, alliances, people, capitals, regions,
   conflicts, generated from the verified facts table (``curate.py``), and
   ``sourced.tsv``, the same columns for entities sourced by hand;
3. ``aliases.tsv`` and ``demonyms.tsv`` -- extra names for QIDs already sourced
   above (news abbreviations such as Korsel, RRT, ОДКБ; "Russian", "schwedisch");
   a prior of 0 refutes a source's name; ``induced_aliases.tsv``, the names the
   annotated corpus's train splits teach, and ``refuted_aliases.tsv``, the forms they
   refute in one language (both ``kg train-aliases``);
4. Wikidata snapshots (JSON Lines written by ``kg gazetteer update``).

``history.tsv`` adds when states began and ended (``kg.gazetteer.index``).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from kg.model import ENTITY_TYPES
from kg.paths import DATA_DIR

GAZETTEER_DIR = DATA_DIR / "gazetteer"
CURATED_PATH = GAZETTEER_DIR / "curated.tsv"
SOURCED_PATH = GAZETTEER_DIR / "sourced.tsv"  # hand-sourced rows, same columns
ALIASES_PATH = GAZETTEER_DIR / "aliases.tsv"
INDUCED_ALIASES_PATH = GAZETTEER_DIR / "induced_aliases.tsv"  # kg train-aliases writes it
REFUTED_ALIASES_PATH = GAZETTEER_DIR / "refuted_aliases.tsv"  # and this one
HISTORY_PATH = GAZETTEER_DIR / "history.tsv"
PREFERRED_PATH = GAZETTEER_DIR / "preferred_qids.tsv"

# How much a name is trusted to mean its entity, before context.
PRIOR_LABEL = 1.0
PRIOR_VERIFIED_LABEL = 1.1  # a label of the curated, verified table wins name clashes
PRIOR_STRONG = 0.9
PRIOR_ALIAS = 0.85
PRIOR_WEAK = 0.6
PRIOR_QUALIFIED = 0.8  # "Georgia (USA)" read as "Georgia"
PRIOR_SUBNATIONAL = 0.8  # labels of sub-national territories ("Washington" the US state)

_QUALIFIER = re.compile(r"\s*\([^)]*\)\s*$")
_LANG_PREFIX = re.compile(r"^([a-z]{2,3}):(.+)$")
_LANG_SUFFIX = re.compile(r"^(.+?)\s*\(([a-z]{2,3})\)$")


@dataclass(frozen=True, slots=True)
class Name:
    """One way of writing an entity's name, and how much it is trusted."""

    text: str
    prior: float
    weak: bool = False
    lang: str | None = None
    bound: bool = False  # only in documents of ``lang`` (demonyms)


@dataclass
class KnownEntity:
    """An entity of the knowledge base, as every source describes it."""

    qid: str
    label: str
    type: str
    names: list[Name] = field(default_factory=list)
    capital_of: str | None = None  # QID of the state whose capital this city is
    related: set[str] = field(default_factory=set)  # QIDs that make it likely
    successor_of: set[str] = field(default_factory=set)  # historical predecessors
    valid_from: int | None = None  # year it came to exist (states)
    valid_to: int | None = None  # year it ceased to exist
    parent: str | None = None  # QID of the territory this one is part of
    source: str = ""


def rigour_entities() -> Iterator[KnownEntity]:
    """Every rigour territory with a QID: states, regions and their names."""
    from rigour._core import territories_jsonl

    rows = [json.loads(line) for line in territories_jsonl().splitlines()]
    qid_by_code = rigour_qids(rows)
    for row in rows:
        if row.get("qid"):
            yield _rigour_entity(row, qid_by_code)


def rigour_qids(rows: list[dict] | None = None) -> dict[str, str]:
    """Territory code -> the QID geokg links it to (``preferred_qids.tsv`` applied)."""
    if rows is None:
        from rigour._core import territories_jsonl

        rows = [json.loads(line) for line in territories_jsonl().splitlines()]
    preferred = {row["code"]: row["qid"] for row in read_tsv(PREFERRED_PATH)}
    qids: dict[str, str] = {}
    for row in rows:
        if not row.get("qid"):
            continue
        choice = preferred.get(row["code"])
        sourced = choice is not None and choice in (row.get("other_qids") or [])
        qids[row["code"]] = choice if sourced and choice else row["qid"]
    return qids


def _rigour_entity(row: dict, qid_by_code: dict[str, str]) -> KnownEntity:
    entity = KnownEntity(
        qid=qid_by_code[row["code"]],
        label=row["name"],
        type="state" if row.get("is_country") else "region",
        source="rigour",
    )
    for name in (row["name"], row.get("full_name")):
        if name:
            label = _label_or_qualified(name)
            if not row.get("is_country"):
                label = Name(label.text, min(label.prior, PRIOR_SUBNATIONAL))
            entity.names.append(label)
    entity.names += [Name(name, PRIOR_STRONG) for name in row.get("names_strong", [])]
    entity.names += [Name(name, PRIOR_STRONG, lang=lang) for lang, name in cldr_names(row["code"])]
    entity.names += [Name(name, PRIOR_WEAK, weak=True) for name in row.get("names_weak", [])]
    entity.parent = qid_by_code.get(row.get("parent") or "")
    for code in [row.get("parent"), *row.get("claims", []), *row.get("see", [])]:
        if code and code in qid_by_code:
            entity.related.add(qid_by_code[code])
    for code in row.get("successors", []):
        if code in qid_by_code:
            entity.related.add(qid_by_code[code])
    return entity


# Languages whose territory names come from Unicode CLDR (through babel): those rigour's
# names do not cover, in scripts it does not hold ("亚美尼亚", "아르메니아", "आर्मेनिया").
CLDR_LANGUAGES = ("it", "pl", "uk", "fa", "zh", "ja", "ko", "hi")


# The CLDR locales that name things in a language, where it has more than one: Chinese
# as written in mainland China, and in Taiwan and Hong Kong, whose names differ ("尼日"
# for Niger, not "尼日尔"; "紐西蘭" for New Zealand) besides their traditional characters,
# which fold to simplified ones (kg.gazetteer.normalize).
CLDR_LOCALES = {"zh": ("zh", "zh_Hant", "zh_Hant_HK")}


def cldr_locales(lang: str) -> tuple[str, ...]:
    return CLDR_LOCALES.get(lang, (lang,))


def cldr_names(code: str) -> list[tuple[str, str]]:
    """(language, name) of a territory with an ISO 3166 alpha-2 code in CLDR."""
    if len(code) != 2:
        return []
    found = [
        (lang, names[code.upper()])
        for lang in CLDR_LANGUAGES
        for locale in cldr_locales(lang)
        if code.upper() in (names := _cldr_territories(locale))
    ]
    return list(dict.fromkeys(found))


@cache
def _cldr_territories(lang: str) -> dict[str, str]:
    from babel import Locale

    return dict(Locale.parse(lang).territories)


# Languages whose city names are read from CLDR's time-zone cities: every language with
# a lexicon (the names differ: "Londra", "Teheran", "تهران", "德黑兰", "Тегеран").
CLDR_CITY_LANGUAGES = (
    *("ar", "de", "en", "es", "fr", "id", "pt", "ru", "tr"),
    *CLDR_LANGUAGES,
)


def cldr_city_names(cities: dict[str, str]) -> Iterator[tuple[str, Name]]:
    """(QID, name) of the cities CLDR names as time-zone cities ("Asia/Tehran": "تهران",
    "德黑兰", "Teheran"), for the cities ``cities`` already knows by English name
    (casefolded label or alias -> QID): CLDR gives the names, the sourced QIDs stay ours."""
    english = _cldr_zone_cities("en")
    for zone in sorted(_cldr_zones()):
        # CLDR's English city, else the zone's own ("Asia/Kuala_Lumpur": "Kuala Lumpur")
        label = english.get(zone) or zone.rpartition("/")[2].replace("_", " ")
        qid = cities.get(label.casefold())
        if qid is None:
            continue
        for lang in CLDR_CITY_LANGUAGES:
            names = {_cldr_zone_cities(locale).get(zone) for locale in cldr_locales(lang)}
            for name in sorted(n for n in names if n):
                if name != label and name.casefold() not in _cldr_calendar_words(lang):
                    yield qid, Name(name, PRIOR_STRONG, lang=lang)


def _cldr_zones() -> set[str]:
    return {
        zone
        for lang in CLDR_CITY_LANGUAGES
        for locale in cldr_locales(lang)
        for zone in _cldr_zone_cities(locale)
    }


@cache
def _cldr_calendar_words(lang: str) -> frozenset[str]:
    """The names of the days and months in ``lang``: Persian "دوشنبه" is Monday before it
    is Dushanbe."""
    from babel import Locale

    locale = Locale.parse(lang)
    return frozenset(
        name.casefold()
        for names in (locale.days, locale.months)
        for context in names.values()
        for width in context.values()
        for name in width.values()
    )


@cache
def _cldr_zone_cities(lang: str) -> dict[str, str]:
    """Time zone -> the city CLDR names it by, in ``lang`` (only where it names one)."""
    from babel import Locale

    return {
        zone: names["city"]
        for zone, names in Locale.parse(lang).time_zones.items()
        if names.get("city")
    }


def _label_or_qualified(name: str) -> Name:
    """ "Georgia (USA)" is named "Georgia" too, but less surely than the country."""
    bare = _QUALIFIER.sub("", name)
    if bare != name:
        return Name(bare, PRIOR_QUALIFIED)
    return Name(name, PRIOR_LABEL)


def curated_entities(path: Path = CURATED_PATH) -> Iterator[KnownEntity]:
    """Rows of ``curated.tsv`` (see ``curate.py``) as entities."""
    for row in read_tsv(path):
        entity = KnownEntity(
            qid=row["qid"],
            label=row["label_en"],
            type=row["type"] if row["type"] in ENTITY_TYPES else "other",
            capital_of=row["capital_of"] or None,
            source="curated",
        )
        entity.names.append(Name(row["label_en"], PRIOR_VERIFIED_LABEL, lang="en"))
        for lang in ("id", "ru"):
            if row[f"label_{lang}"]:
                entity.names.append(Name(row[f"label_{lang}"], PRIOR_VERIFIED_LABEL, lang=lang))
        entity.names += list(_curated_aliases(row["aliases"]))
        if entity.capital_of:
            entity.related.add(entity.capital_of)
        yield entity


# How curated.tsv's notes say whose official a person is: "head of government of Israel
# (Q801) per BEAR (~2021-22)" (the state's QID from the BEAR facts), or "context (not
# source-checked): Russia; President of Russia" (the state by its name).
_HEAD_OF = re.compile(r"\bof .*\((Q\d+)\) per BEAR")
_CONTEXT_STATE = re.compile(r"^context \(not source-checked\): ([^;]+);")


@cache
def office_holders(path: Path = CURATED_PATH) -> dict[str, str]:
    """Person QID -> QID of the state whose official the curated data says they are (or
    were): where a text names the person without a post, they still act for that state
    (PLOVER codes a leader's act as the state's)."""
    states = {e.label: e.qid for e in rigour_entities() if e.type == "state"}
    out: dict[str, str] = {}
    for row in read_tsv(path):
        if row["type"] != "person":
            continue
        head_of = _HEAD_OF.search(row["note"])
        context = _CONTEXT_STATE.match(row["note"])
        state = head_of.group(1) if head_of else states.get(context.group(1)) if context else None
        if state:
            out[row["qid"]] = state
    return out


def _curated_aliases(cell: str) -> Iterator[Name]:
    for raw in cell.split(";"):
        alias = raw.strip()
        if not alias:
            continue
        lang = None
        prefixed = _LANG_PREFIX.match(alias)
        suffixed = _LANG_SUFFIX.match(alias)
        if prefixed:
            lang, alias = prefixed.group(1), prefixed.group(2).strip()
        elif suffixed:
            alias, lang = suffixed.group(1).strip(), suffixed.group(2)
        yield Name(alias, PRIOR_ALIAS, lang=lang)


def alias_rows(path: Path = ALIASES_PATH) -> Iterator[tuple[str, Name, str]]:
    """(QID, name, case rule) of each row of the extra aliases file."""
    for row in read_tsv(path):
        name = Name(row["alias"], float(row["prior"] or PRIOR_ALIAS), lang=row["lang"] or None)
        yield row["qid"], name, row["case"]


def induced_alias_rows(path: Path = INDUCED_ALIASES_PATH) -> Iterator[tuple[str, Name, str]]:
    """(QID, name, case rule) of each alias the annotated corpus taught
    (``kg.linking.alias_induction``): bound to the language it was seen in, or to none
    when it was seen in several (an empty language)."""
    if not path.exists():
        return
    for row in read_tsv(path):
        lang = row["lang"] or None
        yield row["qid"], Name(row["alias"], PRIOR_ALIAS, lang=lang, bound=bool(lang)), row["case"]


def refuted_alias_rows(path: Path = REFUTED_ALIASES_PATH) -> Iterator[tuple[str, str, str]]:
    """(QID, form, language) of each form the annotated corpus refuted as a name of that
    entity in that language (``kg.linking.alias_induction``): Indonesian "Para" is a
    plural marker, not Pará."""
    if not path.exists():
        return
    for row in read_tsv(path):
        yield row["qid"], row["form"], row["lang"]


def history_rows(path: Path = HISTORY_PATH) -> Iterator[dict[str, str]]:
    """Years states came to exist or ended, and which states they succeeded."""
    yield from read_tsv(path)


def snapshot_entities(paths: Iterable[Path]) -> Iterator[KnownEntity]:
    """Items of Wikidata snapshot files (JSON Lines; see the gazetteer README)."""
    for path in paths:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    yield _snapshot_entity(json.loads(line), path)


def _snapshot_entity(item: dict, path: Path) -> KnownEntity:
    labels: dict[str, str] = item.get("labels") or {}
    entity_type = item.get("type") if item.get("type") in ENTITY_TYPES else "other"
    entity = KnownEntity(
        qid=item["qid"],
        label=labels.get("en") or next(iter(labels.values()), item["qid"]),
        type=str(entity_type),
        source=f"snapshot:{path.name}",
    )
    entity.names += [Name(text, PRIOR_LABEL, lang=lang) for lang, text in labels.items() if text]
    for lang, aliases in (item.get("aliases") or {}).items():
        entity.names += [Name(text, PRIOR_ALIAS, lang=lang) for text in aliases if text]
    return entity


def read_tsv(path: Path) -> Iterator[dict[str, str]]:
    """Rows of a tab-separated data file whose header follows '#' comments."""
    with path.open(encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
        for row in reader:
            yield {key: (value or "").strip() for key, value in row.items() if key}
