"""``stance.classify``: one call for a statement with given targets, or for whole articles."""

from __future__ import annotations

import os
import threading
from typing import Any, Sequence

from stance.classifier import Classifier
from stance.errors import InvalidInputError
from stance.schema import PairRecord, StanceResult

__all__ = ["classify", "get_classifier"]

_cache: dict[str, Any] = {}
_cache_lock = threading.Lock()


def get_classifier(model: Any = None) -> Classifier:
    """Return a classifier for ``model``: an object with ``predict`` is used as it is; a name
    or path is loaded once and cached for later calls (``None`` = the default model)."""
    if model is not None and hasattr(model, "predict"):
        return model
    if model is not None and not isinstance(model, (str, os.PathLike)):
        raise InvalidInputError(
            f"model must be None, a shipped model name, a path or a classifier with predict(), got {type(model).__name__}"
        )
    key = "<default>" if model is None else os.fspath(model)
    with _cache_lock:
        if key not in _cache:
            from stance.loading import load

            _cache[key] = load(model)
        return _cache[key]


def _reject_bytes(value: Any, what: str) -> None:
    """Raise for ``bytes`` (a ``Sequence`` of ints, which would otherwise be read as a list)."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        raise InvalidInputError(
            f"{what} is {type(value).__name__}, not a string; decode it first, e.g. with .decode('utf-8')"
        )


def _check_text(value: Any, what: str) -> str:
    _reject_bytes(value, what)
    if not isinstance(value, str):
        raise InvalidInputError(f"{what} must be a string, got {type(value).__name__}")
    if not value.strip():
        raise InvalidInputError(f"{what} is empty or whitespace only")
    return value


def classify(
    text: str | Sequence[str],
    targets: Sequence[str] | str | None = None,
    *,
    speaker: str | None = None,
    speaker_actor: str | None = None,
    context: str | None = None,
    model: Any = None,
    batch_size: int = 32,
    show_progress: bool | None = None,
    resolver: Any = None,
    person_targets: bool = True,
    n_process: int = 1,
    date: Any = None,
) -> list[StanceResult] | list[list[StanceResult]]:
    """Label stance and sentiment toward actors.

    * With ``targets``: ``text`` is one statement; returns one result per target, in order.
      A target need not occur in the text (``result.target_found`` says whether it does).
    * Without ``targets``: ``text`` is a news article (whole-article mode); statements,
      speakers and target actors are found automatically and one result is returned per
      statement-target pair, with character offsets into the article. A list of articles
      gives a list of result lists.

    ``model`` is ``None`` (the default shipped model, loaded once and cached), a shipped model
    name, a path, or a loaded classifier. ``resolver`` is an :class:`~stance.actors.ActorResolver`
    (default: the shipped tables), e.g. with your own actors added. With ``targets`` it resolves
    each target mention, and the speaker when ``speaker_actor`` is not given, to its canonical
    actor ("Beijing" -> China); the results' records carry them (``None`` where no actor is
    found), and the default model reads them beside the mentions. In whole-article mode,
    ``date`` (``"2010-05-01"`` or a ``datetime.date``): when the text was written; officials
    stand for their state only while the event-coding dictionary has them in office then
    (``ActorResolver(date=...)``; give either ``date`` or ``resolver``).
    ``n_process`` > 1 parses a list of articles in that many spaCy worker processes (worth it
    for dozens of articles or more; the README's speed table has measured figures).
    ``person_targets=False`` keeps only targets that are actors of the tables (states,
    organisations, groups, people the tables link to a state) and drops people who stand for no
    actor (guideline 14 makes them targets with an empty code).

    >>> from stance.testing import KeywordClassifier
    >>> [r.stance for r in classify("We will strike Atlantis and talk with Lemuria.",
    ...                              targets=["Atlantis"], model=KeywordClassifier())]
    ['threatening']

    ``speaker``, ``speaker_actor`` and ``context`` describe one statement and need ``targets``;
    ``person_targets`` and ``n_process`` apply to whole articles only;
    ``text`` and the targets must be strings (decode ``bytes`` first).
    """
    _reject_bytes(text, "text")
    _reject_bytes(targets, "targets")
    if targets is None:
        single = [f"{n}=" for n, v in (("speaker", speaker), ("speaker_actor", speaker_actor), ("context", context))
                  if v is not None]
        if single:
            verb, it = ("applies", "it") if len(single) == 1 else ("apply", "them")
            raise InvalidInputError(
                f"{' and '.join(single)} only {verb} with targets= (one statement and its targets); without targets "
                "the text is a whole article whose speakers and context are found automatically: give "
                f"targets=[...] or drop {it}"
            )
    else:
        article_only = [f"{n}=" for n, v, default in (("person_targets", person_targets, True), ("n_process", n_process, 1))
                        if v != default]
        if article_only:
            raise InvalidInputError(
                f"{' and '.join(article_only)} only apply to whole articles (without targets=); with targets= the "
                "text is one statement whose targets you give: drop them")
    if date is not None:
        if resolver is not None:
            raise InvalidInputError("give either date or resolver, not both: for a resolver with your own actors and a "
                                    "date, build ActorResolver(date=...) and add the actors to it")
        from stance.actors import ActorResolver

        resolver = ActorResolver(date=date)
    if targets is None:
        from stance.article import classify_articles

        opts = dict(batch_size=batch_size, show_progress=show_progress, resolver=resolver, person_targets=person_targets,
                    n_process=n_process)
        if isinstance(text, str):
            return classify_articles([text], model=get_classifier(model), **opts)[0]
        if isinstance(text, Sequence):
            for i, t in enumerate(text):
                _reject_bytes(t, f"article {i}")
            return classify_articles(list(text), model=get_classifier(model), **opts)
        raise InvalidInputError(f"text must be a string or a list of strings, got {type(text).__name__}")
    _check_text(text, "text")
    if isinstance(targets, str):
        targets = [targets]
    if not isinstance(targets, Sequence) or not targets:
        raise InvalidInputError("targets must be a non-empty list of target mentions (or None for whole-article mode)")
    from stance.actors import resolve_records

    records = resolve_records(
        [
            PairRecord(text=text, target=_check_text(t, f"target {i}"), speaker=speaker, speaker_actor=speaker_actor,
                       context=context)
            for i, t in enumerate(targets)
        ],
        resolver,
    )
    return get_classifier(model).predict(records, batch_size=batch_size, show_progress=show_progress)
