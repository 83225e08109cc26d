"""The trained person-name scorer: which spans of words name a person.

The knowledge base knows a few thousand politicians; news names many more people
(ministers, spokespeople, governors, commanders).  Candidates and features are those
of ``name_spans`` (runs of capitalised words, titles inside, particles such as "bin"
between; in scripts without capitals, every span of a clause); the model is trained
by ``kg train-names`` on the corpus's training split.

Stored as plain JSON in ``kg/data/models/person-names.json`` (weights per feature, an
intercept, a threshold chosen on out-of-fold probabilities of the training data).
Without a model file, the hand-written cue rule of ``nil.py`` decides alone.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from kg.linear import model_file
from kg.linking.name_spans import NameShape, SpanModel
from kg.paths import DATA_DIR

MODEL_PATH = DATA_DIR / "models" / "person-names.json"
MODEL_ENV = "GEOKG_PERSON_MODEL"
MODEL_FORMAT = "geokg-person-names/1"
# "Mohammed bin Abdulrahman Al-Thani" is 4 words; a name and its title fit in 8.
PERSON = NameShape(max_span=5, max_run=8)


class PersonNameModel(SpanModel):
    model_format = MODEL_FORMAT


def read_model(path: Path) -> PersonNameModel:
    return PersonNameModel.read_file(path)


@cache
def default_model() -> PersonNameModel | None:
    """The packaged model (or the one ``$GEOKG_PERSON_MODEL`` names), or None before one
    has been trained: then the cue rule alone finds names."""
    path = model_file(MODEL_ENV, MODEL_PATH)
    return read_model(path) if path else None
