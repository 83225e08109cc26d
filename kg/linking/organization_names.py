"""The trained organization-name scorer: which spans name an organization the
knowledge base does not know.

Ministries, commissions, parties, militias, police forces and courts are named in news
far more often than any gazetteer lists them ("Ministerio Público", "Syrian Democratic
Forces", "Partido dos Trabalhadores", "CICPC").  Candidates and features are those of
``name_spans``, with the organization's shape: lower-case joining words inside a run
("Office of the High Commissioner", "Ministerio de Defensa"), acronyms, and each word's
first letters as a family shared across languages ("ministerio", "ministère",
"ministry").  The model is trained by ``kg train-names`` on the corpus's training split
and stored as plain JSON in ``kg/data/models/organization-names.json``; without it, only
organizations defined by an acronym (``nil_orgs.py``) are found.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from kg.linear import model_file
from kg.linking.name_spans import NameShape, SpanModel
from kg.paths import DATA_DIR

MODEL_PATH = DATA_DIR / "models" / "organization-names.json"
MODEL_ENV = "GEOKG_ORGANIZATION_MODEL"
MODEL_FORMAT = "geokg-organization-names/1"
# "Office of the United Nations High Commissioner for Human Rights": 9 words.
# Runs in Han and kana stay one character long: joined, the scorer found Japanese and
# Chinese bodies ("警視庁", "国会") that became wrong sides of events (cross-validated
# events in the next eight languages 0.289 -> 0.281; docs/quality.md).
ORGANIZATION = NameShape(max_span=8, max_run=12, organization=True, unspaced_runs=False)


class OrganizationNameModel(SpanModel):
    model_format = MODEL_FORMAT


def read_model(path: Path) -> OrganizationNameModel:
    return OrganizationNameModel.read_file(path)


@cache
def default_model() -> OrganizationNameModel | None:
    """The packaged model (or the one ``$GEOKG_ORGANIZATION_MODEL`` names), or None
    before one has been trained."""
    path = model_file(MODEL_ENV, MODEL_PATH)
    return read_model(path) if path else None
