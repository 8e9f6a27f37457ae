"""The classifier interface shared by the baseline and the transformer.

Every model implements :meth:`BaseClassifier._predict_proba`, which maps a list of
:class:`~stance.schema.PairRecord` to one probability array per task (rows = records, columns
in the order of :data:`~stance.schema.LABELS`). Everything else (single vs. batch input,
validation, result objects, progress bars) lives here once, so the evaluation harness, the CLI
and whole-article mode never ask which model they hold.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from typing import Any, Mapping, Protocol, Sequence, overload, runtime_checkable

import numpy as np

from stance.errors import InvalidInputError
from stance.schema import LABELS, TASKS, PairRecord, StanceResult, records_from

__all__ = ["Classifier", "BaseClassifier", "progress_enabled"]

logger = logging.getLogger("stance")


@runtime_checkable
class Classifier(Protocol):
    """What the harness, the CLI and whole-article mode need from a model."""

    name: str

    def predict(self, records: Any, batch_size: int = 32, show_progress: bool | None = None) -> Any: ...

    def predict_proba(
        self, records: Any, batch_size: int = 32, show_progress: bool | None = None
    ) -> dict[str, np.ndarray]: ...


def progress_enabled(show_progress: bool | None) -> bool:
    """Resolve ``show_progress``: ``None`` follows the ``stance`` logger (bars at INFO or
    more verbose, as in sentence-transformers)."""
    if show_progress is not None:
        return bool(show_progress)
    return logger.getEffectiveLevel() <= logging.INFO


def check_batch_size(batch_size: Any) -> int:
    if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size < 1:
        raise InvalidInputError(f"batch_size must be a positive integer, got {batch_size!r}")
    return batch_size


class BaseClassifier(ABC):
    """Base class of all pair classifiers: subclasses implement ``_predict_proba``."""

    #: A short human-readable name, recorded in results and evaluation reports.
    name: str = "classifier"

    @abstractmethod
    def _predict_proba(
        self, records: Sequence[PairRecord], batch_size: int, show_progress: bool
    ) -> dict[str, np.ndarray]:
        """Return ``{"stance": (n, 3), "sentiment": (n, 3)}`` arrays, columns in LABELS order."""

    def predict_proba(
        self, records: Any, batch_size: int = 32, show_progress: bool | None = None
    ) -> dict[str, np.ndarray]:
        """Probabilities per task for a record or a list of records.

        Returns ``{"stance": array (n, 3), "sentiment": array (n, 3)}`` with columns in the
        order of :data:`stance.LABELS`; ``n`` is 1 for a single record.
        """
        recs, _ = records_from(records)
        return self._checked_proba(recs, check_batch_size(batch_size), progress_enabled(show_progress))

    def _checked_proba(self, recs: list[PairRecord], batch_size: int, show: bool) -> dict[str, np.ndarray]:
        if not recs:
            return {task: np.zeros((0, len(LABELS[task]))) for task in TASKS}
        probs = self._predict_proba(recs, batch_size, show)
        for task in TASKS:
            arr = probs[task]
            if arr.shape != (len(recs), len(LABELS[task])):
                raise RuntimeError(f"{self.name}: {task} probabilities have shape {arr.shape}, expected {(len(recs), len(LABELS[task]))}")
        return probs

    @overload
    def predict(self, records: PairRecord | Mapping[str, Any], batch_size: int = ..., show_progress: bool | None = ...) -> StanceResult: ...

    @overload
    def predict(self, records: Sequence[Any], batch_size: int = ..., show_progress: bool | None = ...) -> list[StanceResult]: ...

    def predict(self, records: Any, batch_size: int = 32, show_progress: bool | None = None) -> Any:
        """Label records with stance and sentiment.

        One record (a :class:`PairRecord` or a mapping with at least ``text`` and ``target``)
        gives one :class:`StanceResult`; a list gives a list in the same order. Invalid records
        raise :class:`~stance.errors.DataValidationError` listing every bad position; nothing is
        dropped silently.

        >>> from stance.testing import KeywordClassifier
        >>> KeywordClassifier().predict({"text": "We will crush Atlantis.", "target": "Atlantis"}).stance
        'threatening'
        """
        recs, single = records_from(records)
        probs = self._checked_proba(recs, check_batch_size(batch_size), progress_enabled(show_progress))
        results = results_from_proba(recs, probs, model=self.name)
        return results[0] if single else results

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r})"


def results_from_proba(recs: Sequence[PairRecord], probs: Mapping[str, np.ndarray], model: str | None) -> list[StanceResult]:
    """Build :class:`StanceResult` objects from per-task probability arrays."""
    out = []
    st, se = np.asarray(probs["stance"], dtype=float), np.asarray(probs["sentiment"], dtype=float)
    for i, rec in enumerate(recs):
        s_scores = dict(zip(LABELS["stance"], st[i].tolist()))
        m_scores = dict(zip(LABELS["sentiment"], se[i].tolist()))
        out.append(
            StanceResult(
                record=rec,
                stance=LABELS["stance"][int(np.argmax(st[i]))],
                stance_scores=s_scores,
                sentiment=LABELS["sentiment"][int(np.argmax(se[i]))],
                sentiment_scores=m_scores,
                model=model,
            )
        )
    return out
