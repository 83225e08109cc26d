"""``kg train-aliases``, ``kg train-names``, ``kg train-relations``, ``kg train-events``,
``kg train-sides``: induce aliases, train the name scorers, the relation reader, the
event detector (with the political-news filter) and the side chooser from the annotated
corpus, in that order (each reads what the one before changes)."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from kg.errors import InputError, NotImplementedYet
from kg.extraction.detector import MODEL_PATH
from kg.extraction.political import FILTER_PATH
from kg.extraction.relation_reader import MODEL_FORMAT as RELATIONS_MODEL_FORMAT
from kg.extraction.relation_reader import MODEL_PATH as RELATIONS_MODEL_PATH
from kg.extraction.sides import MODEL_FORMAT as SIDES_MODEL_FORMAT
from kg.extraction.sides import MODEL_PATH as SIDES_MODEL_PATH
from kg.gazetteer.sources import INDUCED_ALIASES_PATH, REFUTED_ALIASES_PATH
from kg.linear import write_model_json
from kg.linking.organization_names import MODEL_PATH as ORGANIZATION_MODEL_PATH
from kg.linking.person_names import MODEL_PATH as PERSON_MODEL_PATH

if TYPE_CHECKING:
    from kg.evaluation.dev import GoldDoc
    from kg.linking.name_spans import SpanModel
    from kg.linking.name_training import NameExample

F = TypeVar("F", bound=Callable[..., Any])

corpus_argument = click.argument(
    "corpus", type=click.Path(exists=True, file_okay=False, path_type=Path), default="news-corpus"
)


def output_file_option(default: Path, what: str) -> Callable[[F], F]:
    """``-o/--output FILE``: where a trainer writes ``what`` (default: the packaged file)."""
    return click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, path_type=Path),
        default=default,
        show_default=True,
        help=f"Where to write {what} (default: the packaged file, read by every run).",
    )


def require_scikit_learn() -> None:
    """scikit-learn is the `train` extra: the models it fits are read without it."""
    if importlib.util.find_spec("sklearn") is None:
        raise NotImplementedYet("training needs scikit-learn: pip install 'geokg[train]'")


def training_documents(corpus: Path, *, labelled_leads: bool = False) -> list[GoldDoc]:
    """CORPUS/train.jsonl and the train.jsonl of each folder in CORPUS (such as
    next-languages/); never a dev or test split.

    Leads labelled only as non-political (``"annotation": "document"``, such as
    negatives/) come only with ``labelled_leads``: their events are known (none), their
    names and posts are not, so they teach event detection but not names or relations."""
    from kg.evaluation.dev import read_dev_gold

    if not (corpus / "train.jsonl").exists():
        raise InputError(str(corpus / "train.jsonl"), "missing: a corpus has a train.jsonl")
    train_files = [corpus / "train.jsonl", *sorted(corpus.glob("*/train.jsonl"))]
    documents = [doc for path in train_files for doc in read_dev_gold(path)]
    return [doc for doc in documents if labelled_leads or doc.fully_annotated]


@click.command("train-events")
@corpus_argument
@click.option(
    "--method",
    type=click.Choice(["logreg", "induced"]),
    default="logreg",
    show_default=True,
    help="A logistic regression per type, or a trigger lexicon induced from the corpus.",
)
@output_file_option(MODEL_PATH, "the model")
@click.option(
    "--filter-output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=f"Where to write the political-news filter [default: {FILTER_PATH.name} by the model].",
)
@click.option(
    "--labelled-negatives",
    is_flag=True,
    help="Learn also from leads labelled only as non-political (negatives/train.jsonl);"
    " measured, not the packaged models' way (docs/quality.md).",
)
def train_events_command(
    corpus: Path, method: str, output: Path, filter_output: Path | None, labelled_negatives: bool
) -> None:
    """Train the event detector on CORPUS/train.jsonl (and the train.jsonl of each folder in
    CORPUS, such as next-languages/), each type's threshold chosen by five-fold
    cross-validation on the same data; and, from the same leads, the filter that keeps
    events out of non-political news (sport, disasters, markets).

    Neither the dev split nor the test split is read: both stay held-out measures.
    Deterministic: the same corpus gives the same model file.

    Example:

    \b
        kg train-events news-corpus/
        kg evaluate news-corpus/dev.jsonl
    """
    from kg.extraction import training
    from kg.pipeline import default_pipeline

    if method == "logreg":
        require_scikit_learn()
    documents = training_documents(corpus, labelled_leads=labelled_negatives)
    train = training.examples(documents, default_pipeline())
    train_model = training.train_logreg if method == "logreg" else training.train_induced
    detector = train_model(train)
    write_model_json(detector.to_json(), output)
    positives = sum(1 for e in train if e.types)
    click.echo(
        f"{method}: {len(train)} training sentences ({positives} with events),"
        f" {len(detector.types)} types -> {output}"
    )
    filter_output = filter_output or output.with_name(FILTER_PATH.name)
    negatives = sum(1 for d in documents if not d.political)
    if method == "logreg" and not negatives:
        click.echo(
            f"political filter: no non-political leads to learn from; {filter_output} left as it is"
        )
    elif method == "logreg":
        political = training.train_political(documents)
        write_model_json(political.to_json(), filter_output)
        click.echo(
            f"political filter: {len(documents)} leads ({negatives} non-political),"
            f" threshold {political.threshold} -> {filter_output}"
        )


@click.command("train-sides")
@corpus_argument
@output_file_option(SIDES_MODEL_PATH, "the model")
def train_sides_command(corpus: Path, output: Path) -> None:
    """Train the side chooser (which of a sentence's parties are an event's actor and
    recipient) on CORPUS/train.jsonl and the train.jsonl of each folder in CORPUS, its
    threshold chosen by five-fold cross-validation on the same data.  It re-reads the
    events the rules and the packaged detector propose: run it after `kg train-events`.

    Neither the dev split nor the test split is read.  Deterministic: the same corpus
    gives the same model file.

    Example:

    \b
        kg train-sides news-corpus/
        kg evaluate news-corpus/dev.jsonl
    """
    from kg.extraction import side_training
    from kg.pipeline import default_pipeline

    require_scikit_learn()
    # Training offers every pair to a recorder in the chooser's place: no side model is
    # read, whatever $GEOKG_SIDES_MODEL says.
    documents = training_documents(corpus)
    found = side_training.examples(documents, default_pipeline())
    model = side_training.train(found)
    write_model_json(model.model_json(SIDES_MODEL_FORMAT), output)
    right = sum(1 for e in found.examples if e.right)
    click.echo(
        f"side chooser: {len(found.examples)} candidate pairs ({right} right), {len(model.weights)}"
        f" weights, threshold {model.threshold} -> {output}"
    )


@click.command("train-relations")
@corpus_argument
@output_file_option(RELATIONS_MODEL_PATH, "the model")
def train_relations_command(corpus: Path, output: Path) -> None:
    """Train the relation reader (which of a sentence's people hold a post in, or belong
    to, which state or body) on CORPUS/train.jsonl and the train.jsonl of each folder in
    CORPUS, its threshold chosen by five-fold cross-validation on the same data.  Run it
    after `kg train-names` (it reads the linked people) and before `kg train-events`
    (whom a person acts for in an event follows their post).

    Neither the dev split nor the test split is read.  Deterministic: the same corpus
    gives the same model file.

    Example:

    \b
        kg train-relations news-corpus/
        kg evaluate news-corpus/dev.jsonl
    """
    from kg.extraction import relation_training
    from kg.pipeline import default_pipeline

    require_scikit_learn()
    # Training offers every candidate to a recorder in the reader's place: no relation
    # model is read, whatever $GEOKG_RELATIONS_MODEL says.
    found = relation_training.examples(training_documents(corpus), default_pipeline())
    model = relation_training.train(found)
    write_model_json(model.model_json(RELATIONS_MODEL_FORMAT), output)
    right = sum(1 for e in found.examples if e.right)
    click.echo(
        f"relation reader: {len(found.examples)} candidates ({right} right),"
        f" {len(model.weights)} weights, threshold {model.threshold} -> {output}"
    )


@click.command("train-names")
@corpus_argument
@click.option(
    "-o",
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=PERSON_MODEL_PATH.parent,
    show_default=True,
    help=(
        f"Where to write {ORGANIZATION_MODEL_PATH.name} and {PERSON_MODEL_PATH.name}"
        " (default: the packaged models, read by every linking)."
    ),
)
def train_names_command(corpus: Path, output_dir: Path) -> None:
    """Train the name scorers (which words name an organization, and which a person,
    the knowledge base does not know) on CORPUS/train.jsonl and the
    train.jsonl of each folder in CORPUS, each threshold chosen by five-fold
    cross-validation on the same data.  The organization scorer comes first: the person
    scorer reads the words it leaves.

    Neither the dev split nor the test split is read.  Deterministic: the same corpus
    gives the same model files.  Retrain them before `kg train-events` when the corpus
    or the gazetteer changes (the detector's training reads the linked entities).

    Example:

    \b
        kg train-names news-corpus/
        kg evaluate news-corpus/dev.jsonl
    """
    from kg.linking import Linker
    from kg.linking import name_training as training
    from kg.linking.organization_names import ORGANIZATION, OrganizationNameModel
    from kg.linking.person_names import PERSON, PersonNameModel

    require_scikit_learn()
    documents = training_documents(corpus)
    linker = Linker.default()
    # Each scorer is trained on the spans it will see: what linking leaves, and for the
    # person scorer what the organization scorer leaves too.
    linker.organization_model = linker.person_model = None
    kinds = training.ORGANIZATION_TYPES
    found = training.examples(documents, linker, ORGANIZATION, kinds)
    organization_output = output_dir / ORGANIZATION_MODEL_PATH.name
    if any(e.is_name for e in found):
        organizations = training.train(found, OrganizationNameModel, training.ORGANIZATION_C)
        _write_scorer(organizations, found, organization_output, "organization")
        linker.organization_model = organizations
    else:
        click.echo(
            f"organization names: none to learn from in the corpus; {organization_output}"
            " left as it is"
        )
    found = training.examples(documents, linker, PERSON, training.PERSON_TYPES)
    persons = training.train(found, PersonNameModel)
    _write_scorer(persons, found, output_dir / PERSON_MODEL_PATH.name, "person")


@click.command("train-aliases")
@corpus_argument
@output_file_option(INDUCED_ALIASES_PATH, "the aliases")
@click.option(
    "--refuted-output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=REFUTED_ALIASES_PATH,
    show_default=True,
    help="Where to write the refuted forms (default: the packaged file, read by every run).",
)
def train_aliases_command(corpus: Path, output: Path, refuted_output: Path) -> None:
    """Learn from CORPUS/train.jsonl and the train.jsonl of each folder in CORPUS which
    forms name which entities.

    Induced aliases: a form the gold gives an entity the gazetteer knows, that linking
    misses in at least two documents and that names that entity in at least 80% of the
    language's documents holding it ("آمریکا", "米国": the United States); a form missed
    so in documents of two languages or more, and naming the entity in 80% of all
    documents holding it, is an alias in any language ("ISIS", "داعش").

    Refuted forms: a common word of the language (by simplemma) by which linking gives an
    entity in at least two documents whose gold lacks it, and in at least 80% of the
    language's documents where it gives it so (Indonesian "Para", a plural marker, is no
    Pará); the form stops naming that entity in that language.

    Neither the dev split nor the test split is read.  Deterministic.  Run it first, then
    `kg train-names` and `kg train-events` (both read the linked entities).

    Example:

    \b
        kg train-aliases news-corpus/
    """
    from kg.gazetteer import default_snapshots
    from kg.gazetteer.index import build_index
    from kg.linking import Linker
    from kg.linking.alias_induction import induce, refute, refuted_to_tsv, to_tsv

    documents = training_documents(corpus)
    linker = Linker(build_index(default_snapshots(), induced=False))
    aliases = induce(documents, linker)
    refuted = refute(documents, linker)
    output.write_text(to_tsv(aliases, len(documents)), encoding="utf-8")
    refuted_output.write_text(refuted_to_tsv(refuted, len(documents)), encoding="utf-8")
    languages = len({a.lang for a in aliases if a.lang})
    in_any = sum(1 for a in aliases if not a.lang)
    click.echo(f"{len(aliases)} aliases in {languages} languages ({in_any} in any) -> {output}")
    languages = len({a.lang for a in refuted})
    click.echo(f"{len(refuted)} refuted forms in {languages} languages -> {refuted_output}")


def _write_scorer(
    model: SpanModel,
    examples: list[NameExample],
    output: Path,
    kind: str,
) -> None:
    write_model_json(model.to_json(), output)
    names = sum(1 for e in examples if e.is_name)
    documents = len({e.doc_id for e in examples})
    click.echo(
        f"{kind} names: {len(examples)} candidate spans in {documents} documents"
        f" ({names} names), threshold {model.threshold} -> {output}"
    )


COMMANDS = [
    train_aliases_command,
    train_names_command,
    train_relations_command,
    train_events_command,
    train_sides_command,
]
