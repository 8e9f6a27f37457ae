"""Whole-article mode: articles in, one result per statement-target pair out.

:func:`classify_articles` parses all articles with spaCy (``nlp.pipe``, batched), extracts
statements, speakers and target actors (:mod:`stance.extract`), and classifies every pair of
every article in a single ``model.predict`` call. :func:`classify_frame` does the same for a
:class:`pandas.DataFrame` column of article texts.

>>> from stance.testing import KeywordClassifier
>>> text = 'Iran said it would retaliate against Israel. "We want peace with Egypt," Iran said.'
>>> [(r.record.target_actor, r.stance) for r in classify_articles([text], KeywordClassifier())[0]]
[('Israel', 'threatening'), ('Egypt', 'conciliatory')]
"""

from __future__ import annotations

import logging
from typing import Any, Sequence

from stance.actors import ActorResolver
from stance.errors import InvalidInputError
from stance.schema import PairRecord, StanceResult, has_lone_surrogate

__all__ = ["classify_articles", "extract_articles", "classify_frame"]

logger = logging.getLogger("stance.article")


def _check_texts(texts: Any) -> list[str]:
    if isinstance(texts, str) or not isinstance(texts, Sequence):
        raise InvalidInputError(f"texts must be a list of article strings, got {type(texts).__name__}")
    out = []
    for i, t in enumerate(texts):
        if not isinstance(t, str):
            raise InvalidInputError(f"article {i} must be a string, got {type(t).__name__}")
        if not t.strip():
            raise InvalidInputError(f"article {i} is empty or whitespace only")
        if has_lone_surrogate(t):
            raise InvalidInputError(f"article {i} contains a lone surrogate code point (not valid Unicode text)")
        out.append(t)
    return out


def extract_articles(
    texts: Sequence[str],
    doc_ids: Sequence[str | None] | None = None,
    nlp: Any = None,
    resolver: ActorResolver | Sequence[ActorResolver | None] | None = None,
    batch_size: int = 32,
    show_progress: bool | None = None,
    person_targets: bool = True,
    n_process: int = 1,
) -> list[list[PairRecord]]:
    """Pair records of many articles (one list per article, in order).

    ``doc_ids`` default to ``doc0``, ``doc1``, ... . spaCy parses the articles in batches of
    ``batch_size`` (``nlp.pipe``); ``n_process`` > 1 parses in that many worker processes
    (spaCy's multiprocessing; worth it for dozens of articles or more, each worker loads the
    pipeline once). ``resolver`` is an :class:`~stance.actors.ActorResolver` (e.g. with
    user-added actors, or dated), or a list with one per article (articles of different dates);
    with ``person_targets`` people who stand for no known actor are targets of their own
    (guideline 14).
    """
    from stance.classifier import check_batch_size, progress_enabled
    from stance.extract import check_length, get_nlp, pairs_from_statements, statements_from_doc, text_for_parser

    texts = _check_texts(texts)
    check_batch_size(batch_size)
    if isinstance(n_process, bool) or not isinstance(n_process, int) or n_process < 1:
        raise InvalidInputError(f"n_process must be a positive integer (worker processes for spaCy), got {n_process!r}")
    if doc_ids is None:
        doc_ids = [f"doc{i}" for i in range(len(texts))]
    elif len(doc_ids) != len(texts):
        raise InvalidInputError(f"doc_ids has {len(doc_ids)} entries for {len(texts)} articles")
    else:
        seen: dict[Any, int] = {}
        for i, d in enumerate(doc_ids):
            if d is not None and d in seen:
                raise InvalidInputError(
                    f"doc_ids: article {i} has the id {d!r} of article {seen[d]}; ids name the articles in the "
                    "results (record ids are built from them), so give each article its own id")
            seen.setdefault(d, i)
    resolvers = list(resolver) if isinstance(resolver, (list, tuple)) else [resolver] * len(texts)
    if len(resolvers) != len(texts):
        raise InvalidInputError(f"resolver has {len(resolvers)} entries for {len(texts)} articles (give one, or one per article)")
    nlp = nlp or get_nlp()
    for i, t in enumerate(texts):
        check_length(t, nlp, what=f"article {i}")
    docs = nlp.pipe([text_for_parser(t) for t in texts], batch_size=batch_size, n_process=max(1, min(n_process, len(texts))))
    if progress_enabled(show_progress):
        from tqdm.auto import tqdm

        docs = tqdm(docs, total=len(texts), desc="extracting", unit="article")
    out = []
    for doc, did, text, res in zip(docs, doc_ids, texts, resolvers):
        statements = statements_from_doc(doc, doc_id=did, resolver=res, person_targets=person_targets, text=text)
        out.append(pairs_from_statements(statements, did))
    return out


def classify_articles(
    texts: list[str],
    model: Any,
    batch_size: int = 32,
    show_progress: bool | None = None,
    doc_ids: Sequence[str | None] | None = None,
    nlp: Any = None,
    resolver: ActorResolver | Sequence[ActorResolver | None] | None = None,
    person_targets: bool = True,
    n_process: int = 1,
) -> list[list[StanceResult]]:
    """Classify every statement-target pair of every article.

    Returns one list of :class:`~stance.schema.StanceResult` per article, in input order
    (an article without attributed statements toward other actors gives an empty list). All
    pairs go to the model in one ``model.predict`` call, batched by ``batch_size``.
    ``resolver`` and ``n_process`` as in :func:`extract_articles`.
    """
    per_doc = extract_articles(
        texts, doc_ids=doc_ids, nlp=nlp, resolver=resolver, batch_size=batch_size, show_progress=show_progress,
        person_targets=person_targets, n_process=n_process,
    )
    flat = [r for recs in per_doc for r in recs]
    logger.info("whole-article mode: %d articles, %d statement-target pairs", len(per_doc), len(flat))
    results = model.predict(flat, batch_size=batch_size, show_progress=show_progress) if flat else []
    out: list[list[StanceResult]] = []
    k = 0
    for recs in per_doc:
        out.append(list(results[k : k + len(recs)]))
        k += len(recs)
    return out


def classify_frame(
    df: Any,
    text_column: str = "text",
    id_column: str | None = None,
    model: Any = None,
    batch_size: int = 32,
    show_progress: bool | None = None,
) -> Any:
    """DataFrame in, DataFrame out: a column of article texts -> one row per statement-target
    pair, with the article id (``doc_id``: the ``id_column`` value or the row index), the
    record fields and the label probabilities (as :func:`stance.results_to_dataframe`).

    >>> import pandas as pd
    >>> from stance.testing import KeywordClassifier
    >>> df = pd.DataFrame({"id": ["n1"], "text": ['"We will retaliate against Israel," Iran said.']})
    >>> out = classify_frame(df, id_column="id", model=KeywordClassifier())
    >>> out[["doc_id", "speaker_actor", "target_actor", "stance"]].values.tolist()
    [['n1', 'Iran', 'Israel', 'threatening']]
    """
    import pandas as pd

    from stance.api import get_classifier
    from stance.schema import results_to_dataframe

    if not isinstance(df, pd.DataFrame):
        raise InvalidInputError(f"df must be a pandas DataFrame, got {type(df).__name__}")
    for col in (text_column, id_column):
        if col is not None and col not in df.columns:
            raise InvalidInputError(f"column {col!r} not in the DataFrame; columns: {', '.join(map(str, df.columns))}")
    for i, v in zip(df.index, df[text_column]):
        if not isinstance(v, str):
            what = "missing (NaN)" if v is None or (isinstance(v, float) and v != v) else f"a {type(v).__name__}"
            raise InvalidInputError(f"column {text_column!r}, row {i!r}: the article text is {what}; drop or fill such rows first")
    ids = [str(v) for v in (df[id_column] if id_column else df.index)]
    results = classify_articles(
        list(df[text_column]), get_classifier(model), batch_size=batch_size, show_progress=show_progress, doc_ids=ids
    )
    flat = [r for rs in results for r in rs]
    if not flat:
        return pd.DataFrame(columns=["doc_id", "id", "text", "target", "stance", "sentiment"])
    return results_to_dataframe(flat)
