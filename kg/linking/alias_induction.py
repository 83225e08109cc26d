"""Names the annotated corpus teaches: aliases induced from the training split's gold, and
forms it refutes.

The gazetteer's sources spell names as references do; news writes them as people say them:
Persian "آمریکا" and Japanese "米国" for the United States, Korean "한국" for South Korea,
Ukrainian "ЗСУ" for its armed forces.  Where the training leads name an entity the gazetteer
already knows (a sourced QID) by a form the linker misses, in several documents, and that
form, wherever it appears in the language's training leads, names that entity, the form
becomes an alias of it in that language (``kg/data/gazetteer/induced_aliases.tsv``, read
by the index like ``aliases.tsv``).

The other way round, some names of the sources are common words of a language:
Indonesian "Para" (a plural marker) is Pará once its accent is folded away, Portuguese
"Praia" (a beach) the capital of Cape Verde.  Where a form is a common word of the
language by simplemma, linking gives an entity by it in several training documents of
the language, and in nearly all of the documents where it does the gold does not hold
that entity, the form is refuted as a name of that entity in that language
(``kg/data/gazetteer/refuted_aliases.tsv``); other languages and other forms of the
entity keep it.  Without the common-word condition the rule would learn what annotators
leave out (news agencies, continents) rather than what is no name (docs/quality.md).

Only the train splits are read (``kg train-aliases``); the linker that judges what is
missed, and what is linked wrong, is built without either file, so a rerun gives the same
files.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from kg.evaluation.dev import GoldDoc
from kg.gazetteer.index import AliasIndex
from kg.gazetteer.normalize import UNSPACED, is_common_word, name_keys, tokens
from kg.linking import Linker

# A form is kept when it names the entity in at least this many training documents the
# linker missed it in, and in at least this share of the language's documents it occurs in
# (set before any measurement, not tuned).
MIN_DOCUMENTS = 2
MIN_PRECISION = 0.8
MIN_LETTERS = 2  # one Han character ("米", America and rice) is too many things
ANY_LANGUAGE = ""  # the language of an alias induced from several languages' documents
HEADER = "# Aliases induced from the annotated corpus's train splits by `kg train-aliases`"
REFUTED_HEADER = "# Forms refuted by the annotated corpus's train splits (`kg train-aliases`)"


@dataclass(frozen=True)
class InducedAlias:
    alias: str  # the form as most often written
    qid: str
    lang: str  # ANY_LANGUAGE: induced from documents of several languages, used in any
    case: str  # exact, title or any (the case rules of aliases.tsv)
    documents: int  # training documents where gold names the entity so and linking missed it
    precision: float  # share of the language's documents holding the form that name the entity


def induce(documents: Iterable[GoldDoc], linker: Linker) -> list[InducedAlias]:
    """The aliases the training documents teach, sorted by language, QID and alias.

    A form is judged per language, and also over every language that writes it the same
    ("ISIS" in German, Indonesian and Polish leads, "داعش" in Arabic and Persian ones):
    one missed in documents of at least two languages, that names the entity in the share
    of all documents holding it, becomes an alias in any language (``lang`` empty)."""
    docs = list(documents)
    missed, written = _missed_forms(docs, linker)
    across = _across_languages(missed, linker.index)
    candidates = {k: ids for k, ids in (missed | across).items() if len(ids) >= MIN_DOCUMENTS}
    present = _documents_holding({key for _, key, _ in candidates}, docs)
    anywhere: dict[str, list[str]] = defaultdict(list)
    for (_, key), holding_ids in present.items():
        anywhere[key] += holding_ids
    gold_qids = {doc.id: {e.qid for e in doc.entities if e.qid} for doc in docs}
    out = []
    for (lang, key, qid), ids in candidates.items():
        holding = present.get((lang, key), []) if lang else anywhere.get(key, [])
        precision = sum(qid in gold_qids[d] for d in holding) / len(holding) if holding else 0.0
        if precision >= MIN_PRECISION:
            forms = _written_in(written, lang, key, qid)
            alias = max(forms, key=lambda form: (forms[form], form))
            out.append(InducedAlias(alias, qid, lang, _case(alias), len(ids), precision))
    return sorted(out, key=lambda a: (a.lang, a.qid, a.alias))


Forms = dict[tuple[str, str, str], set[str]]  # (language, key, QID) -> document ids
Spellings = dict[tuple[str, str, str], dict[str, int]]  # (language, key, QID) -> form -> count


def _missed_forms(docs: list[GoldDoc], linker: Linker) -> tuple[Forms, Spellings]:
    """The forms the gold gives known entities that linking misses, with the documents."""
    missed: Forms = defaultdict(set)
    written: Spellings = defaultdict(lambda: defaultdict(int))
    for doc in docs:
        found = {e.qid for e in linker(doc.document()) if e.qid}
        for entity in doc.entities:
            if not entity.qid or entity.qid in found or entity.qid not in linker.index.by_qid:
                continue
            for form in entity.surface_forms:
                key = " ".join(name_keys(form))
                if key and sum(ch.isalpha() for ch in form) >= MIN_LETTERS:
                    missed[(doc.lang, key, entity.qid)].add(doc.id)
                    written[(doc.lang, key, entity.qid)][form] += 1
    return missed, written


def _across_languages(missed: Forms, index: AliasIndex) -> Forms:
    """(ANY_LANGUAGE, key, QID) -> documents, for the forms missed in two languages or more.

    People are left out: a surname alone ("Assad") is confirm-first by design (a weak
    alias until the document names the person in full), and as an alias in any language
    it would take "Assad" out of "Baschar al-Assad"."""
    languages: dict[tuple[str, str], set[str]] = defaultdict(set)
    pooled: Forms = defaultdict(set)
    for (lang, key, qid), ids in missed.items():
        entity = index.entity(qid)
        if entity is None or entity.type == "person":
            continue
        languages[(key, qid)].add(lang)
        pooled[(ANY_LANGUAGE, key, qid)] |= ids
    return {k: ids for k, ids in pooled.items() if len(languages[(k[1], k[2])]) >= 2}


def _written_in(written: Spellings, lang: str, key: str, qid: str) -> dict[str, int]:
    """How the form was written in ``lang``'s documents, or in every language's."""
    if lang:
        return written[(lang, key, qid)]
    counts: dict[str, int] = defaultdict(int)
    for (_, other_key, other_qid), forms in written.items():
        if (other_key, other_qid) == (key, qid):
            for form, count in forms.items():
                counts[form] += count
    return counts


@dataclass(frozen=True)
class RefutedAlias:
    form: str  # as most often written
    qid: str
    lang: str
    wrong: int  # training documents where linking gave the entity by this form, gold not
    share_wrong: float  # of the language's documents where linking gave it by this form


def refute(documents: Iterable[GoldDoc], linker: Linker) -> list[RefutedAlias]:
    """The forms the training documents refute, sorted by language, QID and form.

    A form is refuted when it is a common word of the language (``is_common_word``),
    linking gives the entity by it in at least ``MIN_DOCUMENTS`` documents whose gold
    lacks the entity, and those are at least ``MIN_PRECISION`` of the documents where
    linking gives it by that form (the thresholds of induction)."""
    right_in: dict[tuple[str, str, str], dict[str, bool]] = defaultdict(dict)
    written: Spellings = defaultdict(lambda: defaultdict(int))
    for doc in documents:
        gold = {e.qid for e in doc.entities if e.qid}
        for entity in linker(doc.document()):
            if not entity.qid:
                continue
            for mention in entity.mentions:
                key = (doc.lang, " ".join(name_keys(mention.text)), entity.qid)
                right_in[key][doc.id] = entity.qid in gold
                written[key][mention.text] += 1
    out = []
    for key, right in right_in.items():
        wrong = sum(not is_right for is_right in right.values())
        share = wrong / len(right)
        forms = written[key]
        form = max(forms, key=lambda f: (forms[f], f))
        if wrong >= MIN_DOCUMENTS and share >= MIN_PRECISION and is_common_word(form, key[0]):
            out.append(RefutedAlias(form, key[2], key[0], wrong, share))
    return sorted(out, key=lambda a: (a.lang, a.qid, a.form))


def _documents_holding(keys: set[str], docs: list[GoldDoc]) -> dict[tuple[str, str], list[str]]:
    """(language, key) -> ids of the documents whose words spell the key."""
    longest = max((len(key.split(" ")) for key in keys), default=0)
    holding: dict[tuple[str, str], list[str]] = defaultdict(list)
    for doc in docs:
        words = [token.key for token in tokens(doc.text)]
        grams = {
            " ".join(words[i : i + n])
            for n in range(1, longest + 1)
            for i in range(len(words) - n + 1)
        }
        for key in keys & grams:
            holding[(doc.lang, key)].append(doc.id)
    return holding


def _case(alias: str) -> str:
    """How the alias must be written: an acronym exactly, a capitalised name capitalised,
    a name in a script without case (or written in lower case) in any case."""
    letters = [ch for ch in alias if ch.isalpha()]
    if (
        not letters
        or UNSPACED.search(alias)
        or not any(ch.isupper() or ch.islower() for ch in letters)
    ):
        return "any"
    if all(ch.isupper() for ch in letters) and len(letters) <= 5:
        return "exact"
    return "title" if alias[:1].isupper() else "any"


def to_tsv(aliases: list[InducedAlias], documents: int) -> str:
    out = io.StringIO()
    out.write(
        f"{HEADER} from {documents} documents: a form the linker missed in at least"
        f" {MIN_DOCUMENTS} of them,\n# naming the entity in at least {MIN_PRECISION:.0%} of the"
        " language's documents that hold it. Every QID is one the gazetteer's sources\n"
        "# already hold. Generated: do not edit; rerun the command.\n"
    )
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow(["alias", "qid", "lang", "case", "documents", "precision"])
    for a in aliases:
        writer.writerow([a.alias, a.qid, a.lang, a.case, a.documents, f"{a.precision:.2f}"])
    return out.getvalue()


def refuted_to_tsv(refuted: list[RefutedAlias], documents: int) -> str:
    out = io.StringIO()
    out.write(
        f"{REFUTED_HEADER} from {documents} documents: linking gave the entity by the form in"
        f" at least {MIN_DOCUMENTS}\n# of them whose gold lacks it, and in at least"
        f" {MIN_PRECISION:.0%} of the language's documents where it gave it by the form.\n"
        "# The form no longer names the entity in that language. Generated: do not edit;"
        " rerun the command.\n"
    )
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow(["form", "qid", "lang", "wrong", "share_wrong"])
    for a in refuted:
        writer.writerow([a.form, a.qid, a.lang, a.wrong, f"{a.share_wrong:.2f}"])
    return out.getvalue()
