"""Small deterministic classifiers for tests, doctests and examples.

They implement the full classifier interface without any trained weights, so the evaluation
harness, the CLI and whole-article mode can be tested with known answers.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np

from stance.classifier import BaseClassifier
from stance.schema import LABELS, PairRecord

__all__ = ["KeywordClassifier", "FixedClassifier"]

_THREAT = ("crush", "war", "retaliat", "sanction", "punish", "heavy price", "fire", "strike")
_CONCIL = ("cooperat", "partner", "peace", "talks", "dialogue", "welcome", "thank", "friend")


class KeywordClassifier(BaseClassifier):
    """Labels by a handful of keywords: a transparent stand-in for a real model in tests."""

    name = "keyword-dummy"

    def _predict_proba(self, records: Sequence[PairRecord], batch_size: int, show_progress: bool):
        st = np.full((len(records), 3), 0.1)
        se = np.full((len(records), 3), 0.1)
        for i, r in enumerate(records):
            low = r.text.lower()
            if any(k in low for k in _THREAT):
                st[i, 0], se[i, 0] = 0.8, 0.8
            elif any(k in low for k in _CONCIL):
                st[i, 1], se[i, 2] = 0.8, 0.8
            else:
                st[i, 2], se[i, 1] = 0.8, 0.8
        return {"stance": st, "sentiment": se}


class FixedClassifier(BaseClassifier):
    """Returns given labels per record id (confidence ``confidence``), for exact metric tests.

    ``answers`` maps a record ``id`` to ``(stance, sentiment)``.
    """

    name = "fixed-dummy"

    def __init__(self, answers: Mapping[str, tuple[str, str]], confidence: float = 0.9):
        self.answers = answers
        self.confidence = confidence

    def _predict_proba(self, records: Sequence[PairRecord], batch_size: int, show_progress: bool):
        out = {}
        rest = (1.0 - self.confidence) / 2
        for k, task in enumerate(("stance", "sentiment")):
            arr = np.full((len(records), 3), rest)
            for i, r in enumerate(records):
                label = self.answers[r.id][k]
                arr[i, LABELS[task].index(label)] = self.confidence
            out[task] = arr
        return out
